"""栏目更新情况: each column's age, the limit that applies to it, and what to say when there is no age.

The chart must say what the findings say. So a column's age is counted from its newest item not after the
check date (checks/freshness.newest_dated: a future date is its own finding, never a negative age), and its
limit is the one the freshness rules apply to its 栏目类型 and level — the number in the finding's message —
taken from the run's own findings first (a county may have changed the params), then from the preset's rules.
A column with no age says why: 空白栏目, 未检查完, no readable date, or only dates after the check date.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from checks.freshness import is_blank, newest_dated, type_level
from crawler.records import ColumnRecord, Snapshot
from reports.guard import clean

STATE_BLANK = "空白栏目"
STATE_UNREAD = "未检查完"
STATE_UNDATED = "信息未标注发布日期"
STATE_FUTURE_ONLY = "仅有晚于检查日期的发布日期"
STATE_EXTERNAL = "由外部平台承载"


@dataclass
class ColumnFreshness:
    """Days since a column's newest item against the limit that applies to it."""

    name: str
    url: str
    type: str | None
    latest: object                            # dt.date | None: newest item not after the check date
    age_days: int | None
    limit_days: int | None
    state: str = ""                           # why there is no age (STATE_*), else ""

    @property
    def stale(self) -> bool:
        return (not self.state and self.age_days is not None and self.limit_days is not None
                and self.age_days > self.limit_days)


@dataclass(frozen=True)
class _Limit:
    types: tuple[str, ...]
    levels: tuple[int, ...]
    days: int


@lru_cache(maxsize=1)
def preset_limits() -> tuple[_Limit, ...]:
    """The column-age limits of the default preset's stale-column rules (empty if the rules cannot be read)."""
    from rules.loader import RuleConfigError, load_ruleset

    try:
        ruleset = load_ruleset()
    except RuleConfigError:
        return ()
    limits = []
    for rule in ruleset.enabled():
        days = rule.params.get("max_age_days")
        if rule.finding_kind == "stale_column" and isinstance(days, int):
            limits.append(_Limit(tuple(rule.applies_to.column_types), tuple(rule.applies_to.level), days))
    return tuple(limits)


def _limit(snapshot: Snapshot, column: ColumnRecord, by_column: dict[str, int], by_type: dict[str, int]) -> int | None:
    if column.url in by_column:
        return by_column[column.url]
    for rule in preset_limits():
        if rule.types and column.type not in rule.types:
            continue
        if rule.levels and type_level(snapshot, column) not in rule.levels:
            continue
        # The run's findings carry the params the check really applied to this type.
        return by_type.get(column.type or "", rule.days)
    return None


def _state(snapshot: Snapshot, column: ColumnRecord, latest) -> str:
    if column.unread_reason:
        return STATE_UNREAD
    if is_blank(column):
        return STATE_BLANK
    if latest is None:
        return STATE_FUTURE_ONLY if column.latest is not None else STATE_UNDATED
    return ""


def column_freshness(snapshot: Snapshot, findings) -> list[ColumnFreshness]:
    """One entry per column, most overdue first; `findings` are FindingViews of this run."""
    by_column: dict[str, int] = {}
    by_type: dict[str, int] = {}
    for f in findings:
        limit = f.observed.get("max_age_days")
        if f.kind != "stale_column" or not isinstance(limit, int):
            continue
        if f.column and f.column.get("url"):
            by_column[f.column["url"]] = limit
        ctype = f.observed.get("column_type") or (f.column or {}).get("type")
        if ctype:
            by_type[ctype] = limit
    from checks.interaction import external_platforms

    hosted = external_platforms(snapshot)
    series = []
    for c in snapshot.columns():
        latest = newest_dated(snapshot, c)
        state = STATE_EXTERNAL if c.url in hosted else _state(snapshot, c, latest)
        age = (snapshot.as_of - latest).days if latest is not None and not state else None
        series.append(ColumnFreshness(clean(c.name), c.url, c.type, latest if not state else None, age,
                                      _limit(snapshot, c, by_column, by_type), state))
    series.sort(key=lambda s: (s.limit_days is None, -(s.age_days or 0) / (s.limit_days or 1), s.name))
    return series

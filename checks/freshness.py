"""Freshness checks (栏目不更新, 空白栏目, 首页不更新, 伪造发稿日期 signs) of 国办秘函〔2019〕19号.

Each check yields Observations only. Undated columns are reported as undated, never guessed stale;
the site-level veto counts (≥5 stale, ≥10 long-stale, ≥5 blank) are their own observations.
A column not read to the end (`unread_reason`: a budget, an interruption, a list page that failed to
parse) gets no verdict at all, and counts toward no veto: its evidence is incomplete, so it is unknown.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from checks.finding import Observation
from crawler.columns import ARTICLES_OVER_NAME, is_landing_page
from crawler.records import ColumnRecord, Snapshot
from rules.column_types import judges_freshness, types_in_group

_DEFAULT_BLANK_MARKERS = ("暂无", "建设中", "正在建设", "无信息", "没有信息", "敬请期待")


def _params(rule: Any) -> dict[str, Any]:
    return dict(getattr(rule, "params", None) or {})


def _applies(rule: Any, key: str) -> tuple:
    applies = getattr(rule, "applies_to", None)
    if applies is None:
        return ()
    value = applies.get(key) if hasattr(applies, "get") else None
    if value is None:
        return ()
    return tuple(value) if isinstance(value, (list, tuple)) else (value,)


def type_level(snapshot: Snapshot, column: ColumnRecord) -> int:
    """1 for a first-level column of its kind (一级栏目): no ancestor column of the same 栏目类型.

    The 19号 indicator counts 通知公告、政策文件类一级栏目. Portals nest such columns under section
    pages (首页/政务公开/政策文件/县政府文件), so breadcrumb depth says little; what matters is whether a
    column of the same type sits above it. Ancestors are found by breadcrumb path prefix.
    """
    parts = [p for p in (column.path or "").split("/") if p]
    ancestors = {"/".join(parts[:i]) for i in range(1, len(parts))}
    same_type_above = sum(1 for other in snapshot.columns_
                          if other is not column and other.type == column.type
                          and "/".join(p for p in (other.path or "").split("/") if p) in ancestors)
    return 1 + same_type_above


def is_read(column: ColumnRecord) -> bool:
    """Whether the column was read to the end, so that a freshness verdict may rest on it."""
    return not column.unread_reason


def _columns(snapshot: Snapshot, rule: Any) -> Iterator[ColumnRecord]:
    """The read columns a rule applies to (applies_to.column_types and applies_to.level)."""
    levels = set(_applies(rule, "level"))
    by_type = _applies(rule, "column_types")
    for column in snapshot.columns(types=by_type or None):
        if not is_read(column):
            continue
        if by_type and not judges_freshness(column.type, column.type_source):
            continue                        # a type guessed from the articles, too weak for this verdict
        if levels and type_level(snapshot, column) not in levels:
            continue
        yield column


def newest_dated(snapshot: Snapshot, column: ColumnRecord):
    """The column's newest entry dated on or before the check date: a future date is its own finding (UPD006)
    and must not make a stale column look fresh (nor give a negative age)."""
    if column.latest is None or column.latest <= snapshot.as_of:
        return column.latest
    dates = [p.published for p in snapshot.pages(column_url=column.url)
             if p.published is not None and p.published <= snapshot.as_of]
    return max(dates, default=None)


def age_days(snapshot: Snapshot, column: ColumnRecord) -> int | None:
    """Days from the column's newest entry not after the check date to the check date (None when undated)."""
    latest = newest_dated(snapshot, column)
    return None if latest is None else (snapshot.as_of - latest).days


def is_blank(column: ColumnRecord) -> str | None:
    """Why a column counts as 空白栏目 (no entries at all, or only a 暂无信息/建设中 marker), else None."""
    if column.items == 0:
        return f"仅显示“{column.blank_marker}”" if column.blank_marker else "无任何信息"
    if column.blank_marker and column.latest is None and column.dated_items == 0 and column.items <= 1:
        return f"仅显示“{column.blank_marker}”"
    return None


def _column_obs(column: ColumnRecord, key: str, **observed: Any) -> Observation:
    return Observation(url=column.url, column_name=column.name, column_url=column.url, key=key,
                       observed={"column_type": column.type, **observed})


def column_stale(snapshot: Snapshot, rule: Any) -> Iterator[Observation]:
    """A column whose newest dated entry is older than params.max_age_days."""
    limit = int(_params(rule)["max_age_days"])
    for column in _columns(snapshot, rule):
        age = age_days(snapshot, column)
        if age is None or is_blank(column):
            continue
        if age > limit:
            observation = _column_obs(column, "stale", age_days=age, latest=newest_dated(snapshot, column),
                                      level=column.level, max_age_days=limit)
            if column.type_source == ARTICLES_OVER_NAME:
                # the type was read from the articles against the column's own name: say why, and let a person judge
                observation.needs_review, observation.confidence = True, 0.5
                observation.evidence = f"栏目类型依据：{column.type_reason}"
            yield observation


def _blank_columns(snapshot: Snapshot, rule: Any) -> Iterator[tuple[ColumnRecord, str]]:
    """(column, reason) for each blank column; params.marker_only_types need a 暂无信息/建设中 marker."""
    marker_only = set(_params(rule).get("marker_only_types") or ())
    for column in _columns(snapshot, rule):
        reason = is_blank(column)
        if reason and (column.blank_marker or column.type not in marker_only):
            yield column, reason


def blank_column(snapshot: Snapshot, rule: Any) -> Iterator[Observation]:
    """A column with no entries, or whose list only says 暂无信息 / 建设中."""
    for column, reason in _blank_columns(snapshot, rule):
        if reason:
            yield _column_obs(column, "blank", items=column.items, blank_marker=column.blank_marker, reason=reason)


def undated_column(snapshot: Snapshot, rule: Any) -> Iterator[Observation]:
    """A column with entries but not one readable date: its freshness cannot be judged, so say so."""
    for column in _columns(snapshot, rule):
        if column.items > 0 and column.latest is None and column.dated_items == 0 and not is_blank(column):
            yield _column_obs(column, "undated", items=column.items, dated_items=column.dated_items)


def future_dated(snapshot: Snapshot, rule: Any) -> Iterator[Observation]:
    """A page dated after the check date (a sign of 伪造发稿日期, or a date typed wrong)."""
    tolerance = int(_params(rule).get("tolerance_days", 0))
    for page in snapshot.pages():
        if page.published is None:
            continue
        ahead = (page.published - snapshot.as_of).days
        if ahead > tolerance:
            column = snapshot.column(page.column_url)
            yield Observation(url=page.url, column_url=page.column_url, column_name=column.name if column else None,
                              key="future", needs_review=True,
                              observed={"published": page.published, "days_ahead": ahead,
                                        "page_title": page.title, "published_source": page.published_source})


def homepage_stale(snapshot: Snapshot, rule: Any) -> Iterator[Observation]:
    """The home page shows nothing new within params.max_age_days.

    Dated pages linked from the home page are the home page's items; when none is dated (a navigation-only
    home page), the newest entry of the first-level columns stands in (19号: 二级页面也无更新).
    """
    limit = int(_params(rule)["max_age_days"])
    home = snapshot.home
    if home is None and not snapshot.columns_:
        return
    pages = {page.url: page for page in snapshot.pages()}
    latest, basis = None, "none"
    if home is not None:
        dates = [pages[link.target_url].published for link in snapshot.links()
                 if link.source_url == home.url and link.target_url in pages
                 and pages[link.target_url].published is not None]
        if dates:
            latest, basis = max(dates), "home_links"
    if latest is None:
        dates = [c.latest for c in snapshot.columns() if c.level == 1 and c.latest is not None]
        if dates:
            latest, basis = max(dates), "columns"
    age = (snapshot.as_of - latest).days if latest is not None else None
    if (age is None or age > limit) and _evidence_incomplete(snapshot):
        return                              # a newer item may sit in what was not read: unknown
    if age is None or age > limit:
        url = home.url if home is not None else snapshot.site_url
        if latest is None:
            summary = "首页及一级栏目信息均未能识别发布日期，视为不更新"
        else:
            where = "首页" if basis == "home_links" else "首页未列出带日期的信息，一级栏目"
            summary = f"{where}最新信息发布于{latest.year}年{latest.month}月{latest.day}日，已{age}天无新增信息"
        yield Observation(url=url, key="homepage", observed={"age_days": age, "latest": latest, "date_basis": basis,
                                                             "summary": summary})


def _evidence_incomplete(snapshot: Snapshot) -> bool:
    """The crawl stopped early, or a first-level column was not read: '首页不更新' cannot be judged.
    A landing page is no such column: it has no entries of its own, its sub-columns are judged."""
    from checks.interaction import external_platforms

    hosted = external_platforms(snapshot)          # a column on another platform is judged, not unread
    return snapshot.stats.get("status") == "incomplete" or any(
        not is_read(c) and not is_landing_page(c) and c.url not in hosted for c in snapshot.columns() if c.level == 1)


def _stale_in_group(snapshot: Snapshot, group: str, limit: int, max_level: int | None = None) -> list[ColumnRecord]:
    out = []
    for column in snapshot.columns(types=types_in_group(group)):
        if not is_read(column) or not judges_freshness(column.type, column.type_source):
            continue
        if column.type_source == ARTICLES_OVER_NAME:
            continue                        # a guessed type against the name: 需人工复核, never a veto's count
        if max_level is not None and type_level(snapshot, column) > max_level:
            continue
        age = age_days(snapshot, column)
        if age is not None and age > limit and not is_blank(column):
            out.append(column)
    return out


def _veto_obs(snapshot: Snapshot, key: str, columns: list[ColumnRecord], count_key: str,
              **observed: Any) -> Observation:
    home = snapshot.home
    return Observation(url=home.url if home else snapshot.site_url, key=key, count=len(columns),
                       evidence="；".join(f"{c.name}（{c.url}）" for c in columns),
                       observed={count_key: len(columns), "columns": [c.name for c in columns], **observed})


def stale_veto(snapshot: Snapshot, rule: Any) -> Iterator[Observation]:
    """19号 栏目不更新(1): stale 动态要闻 (>dynamic_days) + stale 一级 通知公告/政策文件 (>notice_policy_days) ≥ threshold."""
    params = _params(rule)
    dynamic = _stale_in_group(snapshot, "dynamic", int(params["dynamic_days"]))
    notice = _stale_in_group(snapshot, "notice_policy", int(params["notice_policy_days"]),
                             int(params.get("notice_policy_level", 1)))
    columns = dynamic + notice
    if len(columns) >= int(params["threshold"]):
        yield _veto_obs(snapshot, "stale_veto", columns, "stale_count", dynamic_count=len(dynamic),
                        notice_policy_count=len(notice))


def long_stale_veto(snapshot: Snapshot, rule: Any) -> Iterator[Observation]:
    """19号 栏目不更新(2): 应更新但长期未更新的栏目 (动态要闻, 通知公告/政策文件, 人事/规划计划) ≥ threshold."""
    params = _params(rule)
    columns = (_stale_in_group(snapshot, "dynamic", int(params["dynamic_days"]))
               + _stale_in_group(snapshot, "notice_policy", int(params["notice_policy_days"]))
               + _stale_in_group(snapshot, "personnel_plan", int(params["personnel_plan_days"])))
    if len(columns) >= int(params["threshold"]):
        yield _veto_obs(snapshot, "long_stale_veto", columns, "stale_count")


def blank_veto(snapshot: Snapshot, rule: Any) -> Iterator[Observation]:
    """19号 栏目不更新(3): 空白栏目 ≥ threshold."""
    params = _params(rule)
    columns = [column for column, _ in _blank_columns(snapshot, rule)]
    if len(columns) >= int(params["threshold"]):
        yield _veto_obs(snapshot, "blank_veto", columns, "blank_count")


CHECKS = {
    "column_stale": column_stale,
    "blank_column": blank_column,
    "undated_column": undated_column,
    "future_dated": future_dated,
    "homepage_stale": homepage_stale,
    "stale_veto": stale_veto,
    "long_stale_veto": long_stale_veto,
    "blank_veto": blank_veto,
}

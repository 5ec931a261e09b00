"""站点无法访问 (国办秘函〔2019〕19号 单项否决): the failure ratio of a week of probe visits.

19号: monitored for one week, visited at intervals at least 20 times a day; when the visits on which the
site still had not opened after 15 seconds or more make up 5 % or more of all visits, the site fails.
The visits are `govaudit probe` rounds (govaudit/probe.py) the store keeps per site; the window is the
7 whole days before the check date. A week with a day of fewer than 20 visits is not the monitoring
19号 describes: a failure ratio over the threshold then goes to 需人工复核, never into the verdict, and
without any visits the item is 无法判断 (reports/verdict.py says so).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from checks.finding import Observation
from crawler.records import ProbeRecord, Snapshot

# Outcomes that mean the page did not open (govaudit/probe.py tells them apart). A 4xx is an answer.
FAILURES = ("slow", "timeout", "dns", "tls", "refused", "dropped", "http_5xx", "error")
OUTCOME_LABELS = {
    "ok": "正常", "slow": "超过15秒才打开", "timeout": "超时", "dns": "域名解析失败", "tls": "证书或加密连接错误",
    "refused": "连接被拒绝", "dropped": "连接中断", "http_5xx": "服务器错误（5xx）", "http_4xx": "拒绝或不存在（4xx）",
    "error": "其他错误",
}
DEFAULTS = {"window_days": 7, "min_daily_visits": 20, "max_failure_ratio": 0.05}


@dataclass
class DayTally:
    day: dt.date
    visits: int = 0
    failures: int = 0
    outcomes: Counter = field(default_factory=Counter)


@dataclass
class Assessment:
    """The week as 19号 reads it. status: fail | pass | review (ratio over, monitoring short) | short | none."""

    start: dt.date
    end: dt.date                              # inclusive
    days: list[DayTally]
    visits: int
    failures: int
    ratio: float | None
    short_days: list[dt.date]                 # days with fewer visits than 19号 asks for
    status: str
    reason: str
    outcomes: Counter = field(default_factory=Counter)

    @property
    def failures_text(self) -> str:
        return "、".join(f"{OUTCOME_LABELS.get(k, k)}{n}次" for k, n in self.outcomes.most_common()
                        if k in FAILURES) or "无"


def _params(rule: Any) -> dict[str, Any]:
    return {**DEFAULTS, **dict(getattr(rule, "params", None) or {})}


def assess(probes: Iterable[ProbeRecord], as_of: dt.date, window_days: int = 7, min_daily_visits: int = 20,
           max_failure_ratio: float = 0.05) -> Assessment:
    """Tally the `window_days` whole days before `as_of` (visits of the check day itself are not judged)."""
    start, end = as_of - dt.timedelta(days=window_days), as_of - dt.timedelta(days=1)
    days = {start + dt.timedelta(days=i): DayTally(start + dt.timedelta(days=i)) for i in range(window_days)}
    outcomes: Counter = Counter()
    for probe in probes:
        tally = days.get(probe.probed_at.date())
        if tally is None or probe.target == "https":     # https:// is the certificate check, not availability
            continue
        tally.visits += 1
        tally.outcomes[probe.outcome] += 1
        outcomes[probe.outcome] += 1
        if probe.outcome in FAILURES:
            tally.failures += 1
    ordered = [days[d] for d in sorted(days)]
    visits = sum(t.visits for t in ordered)
    failures = sum(t.failures for t in ordered)
    ratio = failures / visits if visits else None
    short = [t.day for t in ordered if t.visits < min_daily_visits]
    period = f"{start.isoformat()}至{end.isoformat()}"
    if not visits:
        # Printed in every report: the how-to (docs/schedule.md, govaudit probe under cron) is for the maintainer.
        status, reason = "none", f"{period}无可用性监测记录，请由系统管理员按使用说明设置每30分钟一次的定时监测"
    elif short and ratio is not None and ratio >= max_failure_ratio:
        status, reason = "review", (f"{period}访问{visits}次、失败{failures}次（{ratio:.1%}），但有{len(short)}天"
                                    f"访问不足{min_daily_visits}次，监测不满足19号要求，需人工复核")
    elif short:
        status, reason = "short", (f"{period}有{len(short)}天访问不足{min_daily_visits}次，监测不满足19号要求，"
                                   f"无法判断（已有访问{visits}次、失败{failures}次）")
    elif ratio is not None and ratio >= max_failure_ratio:
        status, reason = "fail", f"{period}访问{visits}次、失败{failures}次（{ratio:.1%}），达到5%的否决线"
    else:
        status, reason = "pass", f"{period}访问{visits}次、失败{failures}次（{(ratio or 0):.1%}），低于5%的否决线"
    return Assessment(start, end, ordered, visits, failures, ratio, short, status, reason, outcomes)


def assess_snapshot(snapshot: Snapshot, rule: Any = None) -> Assessment:
    p = _params(rule)
    return assess(snapshot.probes_, snapshot.as_of, int(p["window_days"]), int(p["min_daily_visits"]),
                  float(p["max_failure_ratio"]))


def unreachable(snapshot: Snapshot, rule: Any) -> Iterator[Observation]:
    """The site failed 5 % or more of a week's visits: confirmed with full monitoring, else 需人工复核."""
    week = assess_snapshot(snapshot, rule)
    if week.status not in ("fail", "review"):
        return
    yield Observation(
        url=snapshot.site_url, key="availability-week",
        evidence=f"{week.reason}；失败情形：{week.failures_text}",
        observed={"visits": week.visits, "failures": week.failures, "ratio": round(week.ratio or 0, 4),
                  "ratio_text": f"{(week.ratio or 0):.1%}", "start": week.start, "end": week.end,
                  "short_days": len(week.short_days), "failure_kinds": week.failures_text},
        needs_review=week.status == "review", confidence=1.0 if week.status == "fail" else 0.6)


CHECKS = {
    "unreachable": unreachable,
}

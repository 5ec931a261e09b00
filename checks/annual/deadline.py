"""Deadline: 条例第四十九条 — a 人民政府's report by 31 March, a department's by 31 January, of the next year.

The publication date comes from the page (or --published). When it is unknown, the date the report signs itself
with (落款) still decides one case: a report dated after the deadline cannot have been published in time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from checks.annual.context import ReportContext
from checks.annual.model import FAIL, UNKNOWN, Result


def publication_deadline(ctx: ReportContext, rule) -> Iterator[Result]:
    year, published, dated = ctx.report.year, ctx.published, ctx.report.dated
    if year is None:
        yield Result(UNKNOWN, "发布日期", "未能确定报告年度，无法判断是否按时发布。", key="undetermined")
        return
    month_day = rule.params.get(f"{ctx.issuer_level}_deadline", "03-31")
    local = rule.params.get("local_deadline")
    deadline = dt.date.fromisoformat(f"{year + 1}-{month_day}")
    if local:
        deadline = min(deadline, dt.date.fromisoformat(f"{year + 1}-{local}"))
    issuer = "县级以上人民政府" if ctx.issuer_level == "county" else "县级以上人民政府部门"
    if published is None and dated is not None and dated > deadline:
        yield Result(FAIL, "发布日期", f"{year}年度报告落款日期为{dated.isoformat()}，晚于{deadline.isoformat()}的期限"
                     f"（{issuer}），发布日期不会早于落款日期。", evidence=dated.isoformat(),
                     observed={"dated": dated.isoformat(), "deadline": deadline.isoformat(),
                               "days_late": (dated - deadline).days}, key="late")
    elif published is None:
        signed = f"报告落款日期为{dated.isoformat()}，在期限内，但" if dated else ""
        yield Result(UNKNOWN, "发布日期", f"{signed}未能确定发布日期，无法判断是否按时发布。",
                     key="undetermined")
    elif published > deadline:
        yield Result(FAIL, "发布日期", f"{year}年度报告于{published.isoformat()}发布，晚于{deadline.isoformat()}的期限"
                     f"（{issuer}）。", evidence=published.isoformat(),
                     observed={"published": published.isoformat(), "deadline": deadline.isoformat(),
                               "days_late": (published - deadline).days}, key="late")

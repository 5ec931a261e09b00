"""Deadline: 条例第四十九条 — a 人民政府's report by 31 March, a department's by 31 January, of the next year."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from checks.annual.context import ReportContext
from checks.annual.model import FAIL, UNKNOWN, Result


def publication_deadline(ctx: ReportContext, rule) -> Iterator[Result]:
    year, published = ctx.report.year, ctx.published
    if year is None or published is None:
        missing = "报告年度" if year is None else "发布日期"
        yield Result(UNKNOWN, "发布日期", f"未能确定{missing}，无法判断是否按时发布（可用 --published 指定发布日期）。",
                     key="undetermined")
        return
    month_day = rule.params.get(f"{ctx.issuer_level}_deadline", "03-31")
    local = rule.params.get("local_deadline")
    deadline = dt.date.fromisoformat(f"{year + 1}-{month_day}")
    if local:
        deadline = min(deadline, dt.date.fromisoformat(f"{year + 1}-{local}"))
    if published > deadline:
        yield Result(FAIL, "发布日期", f"{year}年度报告于{published.isoformat()}发布，晚于{deadline.isoformat()}的期限"
                     f"（{'县级以上人民政府' if ctx.issuer_level == 'county' else '县级以上人民政府部门'}）。",
                     evidence=published.isoformat(),
                     observed={"published": published.isoformat(), "deadline": deadline.isoformat(),
                               "days_late": (published - deadline).days}, key="late")

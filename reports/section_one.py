"""Draft figures for 一、总体情况: what the crawl counted per column for the report year, never estimated."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from crawler.records import Snapshot
from reports.guard import clean

if TYPE_CHECKING:
    from reports.model import ReportModel, SectionOne

POLICY_INTERPRETATION = "政策解读"


def default_report_year(snapshot: Snapshot) -> int:
    """Annual reports are due by 31 January: a check made in Q1 drafts the previous year's report."""
    return snapshot.as_of.year - 1 if snapshot.as_of.month <= 3 else snapshot.as_of.year


def build_section_one(snapshot: Snapshot, year: int | None = None) -> SectionOne:
    """Count article pages per column whose publication date falls in `year`."""
    from reports.model import SectionOne

    year = year or default_report_year(snapshot)
    per_column: Counter = Counter()
    undated = 0
    for page in snapshot.pages(kind="article"):
        if page.published is None:
            undated += 1
        elif page.published.year == year:
            per_column[page.column_url] += 1
    rows, policy = [], 0
    known = set()
    for column in snapshot.columns():
        known.add(column.url)
        items = per_column.get(column.url, 0)
        rows.append({"column": clean(column.name), "url": column.url, "type": column.type, "items": items})
        if column.type == POLICY_INTERPRETATION or POLICY_INTERPRETATION in (column.name or ""):
            policy += items
    orphans = sum(n for url, n in per_column.items() if url not in known)
    if orphans:
        rows.append({"column": "（未归属栏目）", "url": "", "type": None, "items": orphans})
    rows.sort(key=lambda r: (-r["items"], r["column"]))
    return SectionOne(year=year, rows=rows, total=sum(per_column.values()), policy_interpretations=policy,
                      undated=undated)


def section_one_lines(model: ReportModel) -> list[str]:
    """The draft as markdown lines: one sentence and a table."""
    from reports.unexamined import NO_COUNT_SENTENCE, STATUS_NOT_EXAMINED

    if model.status == STATUS_NOT_EXAMINED:
        return [NO_COUNT_SENTENCE]
    s1 = model.section_one
    lines = [f"{s1.year}年，经对{model.site_name}各栏目抓取统计，共发布政府信息{s1.total}条，其中政策解读{s1.policy_interpretations}条"
             + (f"（另有{s1.undated}条信息未能识别发布日期，未计入）。" if s1.undated else "。"),
             "", "| 序号 | 栏目 | 栏目类型 | 本年发布条数 |", "| --- | --- | --- | ---: |"]
    for i, row in enumerate(s1.rows, 1):
        lines.append(f"| {i} | {row['column']} | {row['type'] or '—'} | {row['items']} |")
    lines.append(f"| | 合计 | | {s1.total} |")
    return lines

"""`govaudit annual-report`: read a report (file or URL) and last year's, run the annual-report rules, write
findings.json, report.html and 问题清单.xlsx. Exit 0 clean, 1 a FAIL found, 2 usage, 3 report unreadable.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from checks.annual.context import ReportContext
from checks.annual.model import FAIL
from checks.annual.reader import ReportUnreadable, read_report
from checks.annual.runner import run_rules
from crawler.errors import AuditError
from reports.annual_html import write_html
from reports.annual_json import write_json
from reports.annual_xlsx import write_xlsx


class AnnualUsageError(AuditError):
    exit_code = 2


class AnnualUnreadable(AuditError):
    exit_code = 3


def fetch(location: str) -> tuple[bytes, str, str]:
    """Bytes, name and content type of a report given as a path or an http(s) URL."""
    if location.startswith(("http://", "https://")):
        import httpx

        try:
            response = httpx.get(location, follow_redirects=True, timeout=30,
                                 headers={"User-Agent": "govaudit annual-report"})
            response.raise_for_status()
        except httpx.HTTPError as exc:
            raise AnnualUnreadable(f"无法获取报告 {location}：{exc}") from exc
        return response.content, location.rsplit("/", 1)[-1], response.headers.get("content-type", "")
    path = Path(location)
    if not path.is_file():
        raise AnnualUnreadable(f"报告文件不存在：{location}")
    return path.read_bytes(), path.name, ""


def load(location: str, issuer_level: str | None, published: dt.date | None = None,
         previous: ReportContext | None = None) -> ReportContext:
    data, name, content_type = fetch(location)
    try:
        report = read_report(data, name, content_type)
    except ReportUnreadable as exc:
        raise AnnualUnreadable(f"报告无法读取（{location}）：{exc}") from exc
    if published:
        report.published_source = "命令行参数"
    return ReportContext.build(report, issuer_level, previous, published)


def run(location: str, previous: str | None = None, issuer_level: str | None = None,
        published: str | None = None, out: str | Path = "annual-report") -> int:
    when = None
    if published:
        try:
            when = dt.date.fromisoformat(published)
        except ValueError:
            raise AnnualUsageError(f"--published 日期格式不正确：{published!r}，请使用 YYYY-MM-DD。") from None
    before = load(previous, issuer_level) if previous else None
    ctx = load(location, issuer_level, when, before)
    if all(h.start < 0 for h in ctx.sections.headings):
        raise AnnualUnreadable(f"未在 {location} 中找到年度报告的任何部分标题，可能不是年度报告或内容无法读取。")
    outcomes = run_rules(ctx)
    out_dir = Path(out)
    out_dir.mkdir(parents=True, exist_ok=True)
    data = write_json(out_dir / "findings.json", ctx, outcomes)
    write_html(out_dir / "report.html", data)
    write_xlsx(out_dir / "问题清单.xlsx", data)
    fails = data["summary"]["fail"]
    print(f"检查完成：问题 {fails} 项，需人工复核 {data['summary']['review']} 项，"
          f"无法判断的规则 {sum(o.status == '无法判断' for o in outcomes)} 条。报告已写入 {out_dir}")
    return 1 if any(o.status == FAIL for o in outcomes) else 0

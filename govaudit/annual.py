"""`govaudit annual-report`: read a report (file or URL) and last year's, run the annual-report rules, write
findings.json, report.html and 问题清单.xlsx. With `--run N` section 五 is held against a stored site audit; with
`--reports DIR|LIST` many reports are checked together and summarised in one table (one row per report).
Exit 0 clean, 1 a FAIL found, 2 usage, 3 report unreadable.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from checks.annual.audit_link import AuditFacts
from checks.annual.context import ReportContext
from checks.annual.model import FAIL
from checks.annual.reader import ReportUnreadable, read_report
from checks.annual.runner import load_rules, run_rules
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


def audit_facts(db: str, run: str) -> AuditFacts:
    """The stored audit run `run` (a number or latest) as the confirmed open problems section 五 is held against."""
    from crawler.errors import StoreError
    from govaudit.audit import open_store, resolve_run

    try:
        with open_store(db) as store:
            run_id = resolve_run(store, run)
            info = store.run(run_id)
            return AuditFacts.from_findings(run_id, info.as_of, info.site_url, store.findings(run_id))
    except StoreError as exc:
        raise AnnualUsageError(f"--run {run}：{exc}") from exc


def load(location: str, issuer_level: str | None, published: dt.date | None = None,
         previous: ReportContext | None = None, audit: AuditFacts | None = None) -> ReportContext:
    data, name, content_type = fetch(location)
    try:
        report = read_report(data, name, content_type)
    except ReportUnreadable as exc:
        raise AnnualUnreadable(f"报告无法读取（{location}）：{exc}") from exc
    if published:
        report.published_source = "命令行参数"
    return ReportContext.build(report, issuer_level, previous, published, audit)


def _date(published: str | None) -> dt.date | None:
    if not published:
        return None
    try:
        return dt.date.fromisoformat(published)
    except ValueError:
        raise AnnualUsageError(f"--published 日期格式不正确：{published!r}，请使用 YYYY-MM-DD。") from None


def run(location: str, previous: str | None = None, issuer_level: str | None = None,
        published: str | None = None, out: str | Path = "annual-report", audit: AuditFacts | None = None) -> int:
    when = _date(published)
    before = load(previous, issuer_level) if previous else None
    ctx = load(location, issuer_level, when, before, audit)
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


REPORT_SUFFIXES = (".html", ".htm", ".shtml", ".docx", ".pdf", ".txt", ".md")


def report_locations(reports: str) -> list[str]:
    """The reports of `--reports`: the report files of a directory (sorted), or the lines of a list file."""
    path = Path(reports)
    if path.is_dir():
        found = sorted(str(p) for p in path.iterdir() if p.is_file() and p.suffix.lower() in REPORT_SUFFIXES)
        if not found:
            raise AnnualUsageError(f"目录 {reports} 中没有年度报告文件（{'、'.join(REPORT_SUFFIXES)}）。")
        return found
    if not path.is_file():
        raise AnnualUsageError(f"--reports 应为目录或报告清单文件：{reports} 不存在。")
    lines = [line.strip() for line in path.read_text(encoding="utf-8-sig").splitlines()]
    found = [line for line in lines if line and not line.startswith("#")]
    if not found:
        raise AnnualUsageError(f"报告清单 {reports} 中没有报告。")
    return [item if item.startswith(("http://", "https://")) or Path(item).is_absolute()
            else str(path.parent / item) for item in found]


def _row_total(ctx: ReportContext, key: str) -> int | None:
    from checks.annual.many import _unique
    return _unique(ctx, key)


def run_many(reports: str, issuer_level: str | None = None, out: str | Path = "annual-report",
             audit: AuditFacts | None = None) -> int:
    """Check every report of a directory or list, each in its own folder, then compare across them and write
    汇总表.xlsx / 汇总表.html. Exit 1 when any FAIL (of a report or across), else 3 when a report could not be read."""
    from checks.annual.many import compare_totals, copied_between, pair_previous
    from reports.annual_summary import write_summary

    out_dir = Path(out)
    out_dir.mkdir(parents=True, exist_ok=True)
    entries: list[dict] = []
    loaded: list[tuple[str, ReportContext, dict]] = []
    for i, location in enumerate(report_locations(reports), start=1):
        name = location.rstrip("/").rsplit("/", 1)[-1]
        entry = {"name": name, "location": location}
        entries.append(entry)
        try:
            ctx = load(location, issuer_level, audit=audit)
        except AnnualUnreadable as exc:
            entry["error"] = str(exc)
            continue
        if all(h.start < 0 for h in ctx.sections.headings):
            entry["error"] = "未找到年度报告的任何部分标题，可能不是年度报告或内容无法读取。"
            continue
        entry["out"] = str(out_dir / f"{i:02d}_{Path(name).stem}"[:80])
        loaded.append((name, ctx, entry))
    pair_previous([ctx for _, ctx, _ in loaded])
    rules = load_rules()
    any_fail = False
    for _name, ctx, entry in loaded:
        outcomes = run_rules(ctx, rules)
        folder = Path(entry["out"])
        folder.mkdir(parents=True, exist_ok=True)
        data = write_json(folder / "findings.json", ctx, outcomes)
        write_html(folder / "report.html", data)
        write_xlsx(folder / "问题清单.xlsx", data)
        any_fail |= any(o.status == FAIL for o in outcomes)
        entry.update(title=ctx.report.title, level=ctx.issuer_level, year=ctx.report.year,
                     published=ctx.published.isoformat() if ctx.published else None, format=ctx.tables.edition,
                     fail=data["summary"]["fail"], review=data["summary"]["review"],
                     unknown=sum(o.status == "无法判断" for o in outcomes),
                     new=_row_total(ctx, "new"), total=_row_total(ctx, "total"),
                     carry_next=_row_total(ctx, "carry_next"),
                     previous=ctx.previous.report.title or ctx.previous.report.source if ctx.previous else None)
    named = [(entry.get("title") or name, ctx) for name, ctx, entry in loaded]
    copied_rule = rules.get("ANR031")
    cross = compare_totals(named) + (copied_between(named, dict(copied_rule.params)) if copied_rule else [])
    xlsx, html = write_summary(out_dir, entries, cross)
    any_fail |= any(c.status == FAIL for c in cross)
    unreadable = sum(1 for e in entries if e.get("error"))
    print(f"共检查年度报告{len(entries)}份（无法读取{unreadable}份），有问题的{sum(1 for e in entries if e.get('fail'))}份，"
          f"跨报告核对不一致{sum(c.status == FAIL for c in cross)}项。汇总表：{xlsx}、{html}")
    return 1 if any_fail else (3 if unreadable else 0)

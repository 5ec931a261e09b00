"""Province view: one row per site checked in a batch, as summary.xlsx and a self-contained summary.html.

Each row: the site's verdict and counts by severity, the trend against the site's previous check
(new this time, and the change in open problems: new minus rectified), and the open problems by kind.
Every number is counted by reports/tally.py, the rule each site's own reports and the CLI use, so a
province's figures and a county's report can be laid side by side.
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from reports.completeness import STATUS_NOT_EXAMINED
from reports.guard import ReportError, assert_clean, clean
from reports.labels import KIND_LABELS, KIND_ORDER
from reports.staging import move_into_place, staging
from reports.tally import tally
from reports.xlsx import display_width

# Open problems by kind, in the order a clerk fixes them (the aggregated 单项否决 items are counted above).
SUMMARY_KINDS = [kind for kind in sorted(KIND_ORDER, key=KIND_ORDER.get) if kind != "veto"]
HEADERS = (["序号", "网站", "运行编号", "抓取状态", "页面数", "待整改问题", "单项否决相关", "重要", "一般",
            "待核实", "前期已整改", "单项否决结论", "本次新发现", "较上次检查"]
           + [KIND_LABELS[kind] for kind in SUMMARY_KINDS] + ["报告目录", "说明"])
VERDICT_COLUMN = HEADERS.index("单项否决结论")


def _get(obj: Any, name: str, default=None):
    return obj.get(name, default) if isinstance(obj, dict) else getattr(obj, name, default)


def summary_rows(results) -> list[list[Any]]:
    """One row per AuditResult-like object (site_url, run_id, crawl_status, stats, findings, resolved, files, error)."""
    rows = []
    for i, r in enumerate(results, 1):
        counted = tally(_get(r, "findings") or [])
        error = _get(r, "error")
        files = _get(r, "files") or []
        if error:
            unfinished = _get(r, "crawl_status") in ("running", "pending")     # still in the queue
            verdict = "未完成" if unfinished else "无法检查"
        elif _get(r, "status") == STATUS_NOT_EXAMINED:
            verdict = STATUS_NOT_EXAMINED                 # no column recognised: neither 合格 nor 不合格
            error = "未识别到网站栏目：" + str((_get(r, "stats") or {}).get("no_columns_reason") or "原因见该网站报告")
        else:
            verdict = "合格" if counted.verdict.passed else "不合格"
        stats = _get(r, "stats") or {}
        resolved = len(_get(r, "resolved") or [])
        severity = counted.by_severity
        rows.append([i, _get(r, "site_url"), _get(r, "run_id"), _get(r, "crawl_status") or "", stats.get("pages", 0),
                     counted.total, severity["veto"], severity["major"], severity["minor"], counted.needs_review,
                     resolved, verdict, "" if error else counted.new, "" if error else _trend(r, counted.new, resolved)]
                    + [counted.by_kind.get(kind, 0) for kind in SUMMARY_KINDS]
                    + [str(Path(files[0]).parent) if files else "", clean(str(error)) if error else ""])
    return rows


def _trend(result, new: int, resolved: int) -> str:
    """Open problems against the previous check: each new one adds, each rectified one removes."""
    if _get(result, "error"):
        return ""
    if _get(result, "previous_run_id") is None:
        return "首次检查"
    change = new - resolved
    return "持平" if change == 0 else (f"增加{change}个" if change > 0 else f"减少{-change}个")


def render_summary(results, out: str | Path) -> list[Path]:
    """Write summary.xlsx and summary.html into `out`; returns both paths.

    Both are written whole in a staging folder and moved in together (reports/staging.py), so a stop while
    they are written leaves the previous summary untouched, never half a file or one new beside one old."""
    out = Path(out)
    rows = summary_rows(results)
    assert_clean("\n".join(str(c) for row in rows for c in row), "summary")
    book = Workbook()
    ws = book.active
    ws.title = "网站汇总"
    for c, h in enumerate(HEADERS, 1):
        cell = ws.cell(row=1, column=c, value=h)
        cell.font = Font(name="宋体", bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="305496")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for r, row in enumerate(rows, 2):
        for c, value in enumerate(row, 1):
            ws.cell(row=r, column=c, value=value).alignment = Alignment(wrap_text=True, vertical="top")
        if row[VERDICT_COLUMN] == "不合格":
            ws.cell(row=r, column=VERDICT_COLUMN + 1).font = Font(bold=True, color="C00000")
    for c, h in enumerate(HEADERS, 1):
        width = max([display_width(h)] + [min(display_width(row[c - 1]), 50) for row in rows])
        ws.column_dimensions[ws.cell(row=1, column=c).column_letter].width = width + 2
    ws.freeze_panes = "B2"
    ws.auto_filter.ref = f"A1:{ws.cell(row=1, column=len(HEADERS)).column_letter}{max(len(rows) + 1, 2)}"
    failing = sum(1 for row in rows if row[VERDICT_COLUMN] == "不合格")
    body = "".join("<tr>" + "".join(f"<td>{escape(str(c))}</td>" for c in row) + "</tr>" for row in rows)
    html = (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>网站自查汇总</title><style>'
        'body{font-family:"WenQuanYi Zen Hei","Microsoft YaHei",sans-serif;margin:24px}'
        "table{border-collapse:collapse;font-size:13px}th,td{border:1px solid #ccd;padding:4px 8px}"
        "th{background:#eef0f5}</style></head><body>"
        f"<h1>网站自查汇总</h1><p>共检查网站{len(rows)}个，其中单项否决不合格{failing}个。</p>"
        "<table><thead><tr>" + "".join(f"<th>{h}</th>" for h in HEADERS) + f"</tr></thead><tbody>{body}</tbody>"
        "</table></body></html>\n")
    names = ["summary.xlsx", "summary.html"]
    try:
        with staging(out) as folder:
            if folder is None:
                raise OSError(f"无法在 {out} 中建立临时目录")
            book.save(folder / names[0])
            (folder / names[1]).write_text(html, encoding="utf-8")
            failed = move_into_place(folder, out, names)
    except OSError as exc:
        raise ReportError(f"无法写入汇总报告 {out}：{exc}") from exc
    if failed:
        name, exc = next(iter(failed.items()))
        raise ReportError(f"汇总报告 {name} 未能放入 {out}（目录中如有同名文件，为先前生成的版本）："
                          f"{exc.strerror or exc}")
    return [out / name for name in names]

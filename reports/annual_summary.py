"""汇总表.xlsx and 汇总表.html of `govaudit annual-report --reports`: one row per report, and the comparisons
across reports (发现问题 / 未发现问题 / 无法判断 with why) on a second sheet and below the table."""

from __future__ import annotations

from html import escape
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

from reports.annual_labels import status_label
from reports.annual_xlsx import wrap_rows

ROW_HEADERS = ["序号", "报告", "发布机关", "年度", "发布日期", "适用格式", "结论", "问题数", "需人工复核",
               "无法判断", "表三新收", "表三办结", "表三结转", "比对的上年报告", "检查结果"]
CROSS_HEADERS = ["序号", "核对内容", "结论", "涉及报告", "说明"]
CHECK_NAMES = {"totals": "汇总数与各报告之和", "copied": "第五部分相互雷同"}
LEVELS = {"county": "人民政府", "department": "政府部门"}


def summary_rows(entries: list[dict]) -> list[list]:
    """Table rows from the per-report entries written by govaudit/annual.py (see run_many)."""
    rows = []
    for i, e in enumerate(entries, start=1):
        if e.get("error"):
            rows.append([i, e["name"], "", "", "", "", "无法读取", "", "", "", "", "", "", "", e["error"]])
            continue
        verdict = "有问题" if e["fail"] else ("需人工复核" if e["review"] else "未发现问题")
        rows.append([i, e["title"] or e["name"], LEVELS.get(e["level"], e["level"]), e["year"] or "未识别",
                     e["published"] or "未能确定", f"{e['format']}年版", verdict, e["fail"], e["review"], e["unknown"],
                     _cell(e["new"]), _cell(e["total"]), _cell(e["carry_next"]), e["previous"] or "无", Path(e["out"]).name])
    return rows


def _cell(value) -> str | int:
    return "未能唯一读出" if value is None else value


def write_summary(out: Path, entries: list[dict], cross: list) -> tuple[Path, Path]:
    rows = summary_rows(entries)
    book = Workbook()
    sheet = book.active
    sheet.title = "各报告"
    sheet.append(ROW_HEADERS)
    for row in rows:
        sheet.append(row)
    for letter, width in zip("ABCDEFGHIJKLMNO", (6, 36, 10, 7, 12, 10, 12, 8, 10, 10, 10, 12, 10, 36, 30)):
        sheet.column_dimensions[letter].width = width
    other = book.create_sheet("跨报告核对")
    other.append(CROSS_HEADERS)
    for i, c in enumerate(cross, start=1):
        other.append([i, CHECK_NAMES.get(c.check, c.check), status_label(c.status), "、".join(c.reports), c.message])
    for letter, width in zip("ABCDE", (6, 20, 10, 50, 80)):
        other.column_dimensions[letter].width = width
    for ws in (sheet, other):
        wrap_rows(ws)
        for cell in ws[1]:
            cell.font = Font(bold=True)
        ws.freeze_panes = "A2"
        ws.page_setup.orientation = "landscape"
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
    xlsx = out / "汇总表.xlsx"
    book.save(xlsx)
    html = out / "汇总表.html"
    html.write_text(render_html(rows, cross), encoding="utf-8")
    return xlsx, html


def render_html(rows: list[list], cross: list) -> str:
    def table(headers, body, folder_column=None):
        def cell(i, v):
            if i == folder_column and v:     # each report's own results, next to this page
                return f"<td><a href='{escape(str(v))}/report.html'>查看</a></td>"
            return f"<td>{escape(str(v))}</td>"
        return ("<table><tr>" + "".join(f"<th>{escape(h)}</th>" for h in headers) + "</tr>"
                + "".join("<tr>" + "".join(cell(i, v) for i, v in enumerate(row)) + "</tr>" for row in body)
                + "</table>")

    cross_rows = [[i, CHECK_NAMES.get(c.check, c.check), status_label(c.status), "、".join(c.reports), c.message]
                  for i, c in enumerate(cross, start=1)]
    return ("<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'><title>政府信息公开工作年度报告检查汇总表</title>"
            "<style>body{font-family:'Noto Sans CJK SC','Microsoft YaHei',sans-serif;margin:2em}"
            "table{border-collapse:collapse;margin-bottom:2em}td,th{border:1px solid #bbb;padding:4px 6px;"
            "vertical-align:top}th{background:#f2f2f2;font-size:.9em;white-space:nowrap}td{font-size:.92em}</style></head><body>"
            f"<h1>政府信息公开工作年度报告检查汇总表</h1><p>共检查报告{len(rows)}份。</p>"
            + table(ROW_HEADERS, rows, folder_column=len(ROW_HEADERS) - 1) + "<h2>跨报告核对</h2>"
            + (table(CROSS_HEADERS, cross_rows) if cross_rows else "<p>无可比较的内容。</p>") + "</body></html>")

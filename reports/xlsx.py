"""rectification.xlsx (整改清单): one row per open finding, a 汇总 sheet, and the clerk's edits carried over.

Plain values only (no formulas: WPS renders some of them differently). A hidden 问题编号 column
holds the finding id, so next run's list keeps the 整改状态 a clerk typed in.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from reports.guard import ReportError, assert_clean, clean
from reports.labels import SEVERITY_ORDER, kind_label, severity_label
from reports.model import ReportModel

SHEET = "整改清单"
SUMMARY_SHEET = "汇总"
HEADERS = ["序号", "问题类型", "问题描述", "所在栏目", "页面或附件地址", "证据（已脱敏）", "依据", "严重程度",
           "整改建议", "责任单位", "整改时限", "整改状态", "首次发现", "最近复核", "问题编号"]
STATUSES = ["未整改", "整改中", "已整改", "无需整改"]
COL = {name: i + 1 for i, name in enumerate(HEADERS)}
MAX_WIDTH = {"问题描述": 48, "证据（已脱敏）": 36, "依据": 36, "整改建议": 40, "页面或附件地址": 40}
VALIDATION_ROWS = 2000                        # drop-down reaches past the data so rows a clerk adds get it too
FONT = "宋体"
SEVERITY_FILL = {"veto": "F4B6B6", "major": "FAD7A0", "minor": "FCF3CF"}
THIN = Side(style="thin", color="999999")


@dataclass
class PreviousRow:
    """What a clerk may have edited in last run's list, keyed by finding id."""

    values: dict[str, object]


def display_width(text: object) -> int:
    """Columns a string takes in a spreadsheet: CJK and full-width characters count double."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in str(text or ""))


def read_previous(path: str | Path) -> dict[str, PreviousRow]:
    """Rows of an earlier rectification.xlsx by finding id; a missing or foreign file gives ReportError."""
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged or foreign file
        raise ReportError(f"无法读取上期整改清单 {path}：{exc}") from exc
    try:
        if SHEET not in book.sheetnames:
            raise ReportError(f"上期整改清单 {path} 中没有“{SHEET}”工作表")
        rows = book[SHEET].iter_rows(values_only=True)
        header = [str(h).strip() if h is not None else "" for h in next(rows, ())]
        if "问题编号" not in header or "整改状态" not in header:
            raise ReportError(f"上期整改清单 {path} 缺少“问题编号”或“整改状态”列")
        out = {}
        for values in rows:
            record = dict(zip(header, values))
            fid = record.get("问题编号")
            if fid:
                out[str(fid)] = PreviousRow(record)
        return out
    finally:
        book.close()


def _date(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def _rows(model: ReportModel, previous: dict[str, PreviousRow]) -> list[dict[str, object]]:
    """Open rows (sorted by severity), then resolved ones, then earlier rows not seen in this run."""
    rows: list[dict[str, object]] = []
    seen: set[str] = set()
    for r in model.rows:
        status = "未整改"
        department = r.department
        prev = previous.get(r.finding_id)
        if prev is not None:
            old = str(prev.values.get("整改状态") or "")
            # A row marked 已整改 whose problem the re-crawl still finds goes back to 未整改.
            if old in STATUSES and old != "已整改":
                status = old
            department = department or str(prev.values.get("责任单位") or "")
        rows.append({"问题类型": r.kind_label, "问题描述": r.description, "所在栏目": r.column,
                     "页面或附件地址": r.url, "证据（已脱敏）": r.evidence, "依据": r.basis,
                     "严重程度": r.severity_label, "_severity": r.severity, "整改建议": r.remediation,
                     "责任单位": department, "整改时限": r.deadline, "整改状态": status,
                     "首次发现": r.first_seen, "最近复核": r.last_review, "问题编号": r.finding_id})
        seen.add(r.finding_id)
    for f in model.resolved:
        if f.id in seen:
            continue
        prev = previous.get(f.id)
        rows.append({"问题类型": f.kind_label, "问题描述": f.message or f.title, "所在栏目": f.column_name,
                     "页面或附件地址": f.url or "", "证据（已脱敏）": f.evidence, "依据": f.basis,
                     "严重程度": f.severity_label, "_severity": f.severity, "整改建议": f.remediation,
                     "责任单位": str(prev.values.get("责任单位") or "") if prev else "",
                     "整改时限": _date(prev.values.get("整改时限")) if prev else None, "整改状态": "已整改",
                     "首次发现": f.first_seen, "最近复核": model.as_of, "问题编号": f.id})
        seen.add(f.id)
    for fid, prev in previous.items():
        if fid in seen:
            continue
        values = {h: prev.values.get(h) for h in HEADERS if h != "序号"}
        for h in ("整改时限", "首次发现", "最近复核"):
            values[h] = _date(values[h])
        severity = next((k for k, v in SEVERITY_ORDER.items() if severity_label(k) == values.get("严重程度")), "minor")
        rows.append({**{k: clean(v) if isinstance(v, str) else v for k, v in values.items()}, "_severity": severity})
    return rows


def _summary(book: Workbook, model: ReportModel) -> None:
    ws = book.create_sheet(SUMMARY_SHEET, 0)
    bold = Font(name=FONT, bold=True, size=11)
    ws["A1"] = f"{model.site_name}网站自查整改清单汇总"
    ws["A1"].font = Font(name=FONT, bold=True, size=14)
    ws["A2"] = f"检查日期：{model.as_of.isoformat()}    网址：{model.site_url}"
    ws["A3"] = "单项否决：" + ("合格" if model.verdict.passed else "不合格")
    ws["A3"].font = Font(name=FONT, bold=True, color="000000" if model.verdict.passed else "C00000")
    ws["A4"] = model.verdict.wording
    ws["A4"].alignment = Alignment(wrap_text=True, vertical="top")
    ws.merge_cells("A4:F4")
    ws.row_dimensions[4].height = 48
    head = ["问题类型", "单项否决", "重要", "一般", "合计"]
    for i, h in enumerate(head, 1):
        cell = ws.cell(row=6, column=i, value=h)
        cell.font = bold
        cell.fill = PatternFill("solid", fgColor="D9E1F2")
    row = 7
    totals = [0, 0, 0]
    for kind, per in model.counts["kind_severity"].items():
        values = [per.get("veto", 0), per.get("major", 0), per.get("minor", 0)]
        totals = [a + b for a, b in zip(totals, values)]
        for i, v in enumerate([kind_label(kind), *values, sum(values)], 1):
            ws.cell(row=row, column=i, value=v)
        row += 1
    for i, v in enumerate(["合计", *totals, sum(totals)], 1):
        ws.cell(row=row, column=i, value=v).font = bold
    row += 2
    ws.cell(row=row, column=1, value="前期问题经复核已整改").font = bold
    ws.cell(row=row, column=2, value=model.counts["resolved"])
    for r in ws.iter_rows(min_row=6, max_row=row - 2, max_col=5):
        for cell in r:
            cell.border = Border(top=THIN, bottom=THIN, left=THIN, right=THIN)
    ws.column_dimensions["A"].width = 24
    for letter in "BCDEF":
        ws.column_dimensions[letter].width = 12


def _named_styles(book: Workbook) -> dict[str, str]:
    """Named styles registered once: assigning one is far cheaper than setting font/border per cell."""
    border = Border(top=THIN, bottom=THIN, left=THIN, right=THIN)
    wrap = Alignment(wrap_text=True, vertical="top")
    specs = {"body": {}, "date": {"number_format": "yyyy-mm-dd"},
             "link": {"font": Font(name=FONT, size=10.5, color="0563C1", underline="single")}}
    for severity, color in SEVERITY_FILL.items():
        specs[severity] = {"fill": PatternFill("solid", fgColor=color)}
    names = {}
    for key, extra in specs.items():
        style = NamedStyle(name=f"清单_{key}", font=extra.get("font", Font(name=FONT, size=10.5)), border=border,
                           alignment=wrap, number_format=extra.get("number_format", "General"))
        if "fill" in extra:
            style.fill = extra["fill"]
        book.add_named_style(style)
        names[key] = style.name
    return names


def write_xlsx(model: ReportModel, path: str | Path, previous: str | Path | None = None) -> Path:
    """Write the 整改清单; `previous` (an earlier list, if it exists) supplies the clerk's status edits."""
    path = Path(path)
    earlier = read_previous(previous) if previous and Path(previous).exists() else {}
    rows = _rows(model, earlier)
    book = Workbook()
    ws = book.active
    ws.title = SHEET
    header_font = Font(name=FONT, bold=True, size=11, color="FFFFFF")
    header_fill = PatternFill("solid", fgColor="305496")
    for i, h in enumerate(HEADERS, 1):
        cell = ws.cell(row=1, column=i, value=h)
        cell.font, cell.fill = header_font, header_fill
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    styles = _named_styles(book)
    widths = {h: display_width(h) for h in HEADERS}
    texts: list[str] = []
    for n, row in enumerate(rows, 1):
        r = n + 1
        for h in HEADERS:
            value = n if h == "序号" else row.get(h)
            if isinstance(value, str):
                texts.append(value)
            cell = ws.cell(row=r, column=COL[h], value=value if value != "" else None)
            if isinstance(value, dt.date):
                cell.style = styles["date"]
                widths[h] = max(widths[h], 10)
            else:
                cell.style = styles["body"]
                if value is not None:
                    widths[h] = max(widths[h], min(display_width(value), MAX_WIDTH.get(h, 30)))
        url = row.get("页面或附件地址")
        if isinstance(url, str) and url.startswith(("http://", "https://")):
            cell = ws.cell(row=r, column=COL["页面或附件地址"])
            cell.hyperlink = url
            cell.style = styles["link"]
        severity = str(row.get("_severity"))
        if severity in SEVERITY_FILL:
            ws.cell(row=r, column=COL["严重程度"]).style = styles[severity]
    for h in HEADERS:
        ws.column_dimensions[get_column_letter(COL[h])].width = widths[h] + 2
    ws.column_dimensions[get_column_letter(COL["问题编号"])].hidden = True
    last = get_column_letter(len(HEADERS) - 1)
    ws.freeze_panes = "B2"
    ws.auto_filter.ref = f"A1:{last}{max(len(rows) + 1, 2)}"
    validation = DataValidation(type="list", formula1='"' + ",".join(STATUSES) + '"', allow_blank=True,
                                showErrorMessage=True, errorTitle="整改状态", error="请从下拉列表中选择整改状态")
    status_col = get_column_letter(COL["整改状态"])
    validation.add(f"{status_col}2:{status_col}{max(VALIDATION_ROWS, len(rows) + 1)}")
    ws.add_data_validation(validation)
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.print_title_rows = "1:1"
    assert_clean("\n".join(texts), f"rectification.xlsx {SHEET}")  # one pass: patterns never span a line break
    _summary(book, model)
    book.active = 1
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        book.save(path)
    except OSError as exc:
        raise ReportError(f"无法写入 {path}：{exc}") from exc
    return path

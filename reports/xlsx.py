"""rectification.xlsx (整改清单): one row per open problem, a 汇总 sheet, and the clerk's edits carried over.

待核实 findings are on a sheet of their own (待核实事项), so the list handed to the units holds only the counted
problems, as the reports count them (reports/tally.py).

Plain values only (no formulas: WPS renders some of them differently). A hidden 问题编号 column
holds the finding id, so next run's list keeps the 整改状态 a clerk typed in.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from copy import copy
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from checks.waivers import DISMISSED_STATUSES
from reports.guard import ReportError, assert_clean, clean
from reports.labels import SEVERITY_ORDER, severity_label
from reports.model import ReportModel
from reports.section_five import cn_date
from reports.verdict_text import verdict_sentence, verdict_short

SHEET = "整改清单"
REVIEW_SHEET = "待核实事项"
SUMMARY_SHEET = "汇总"
# The printed part first (A–L, what a unit reads and answers on paper), then reference columns for the screen.
# 位置 is the page's address broken into lines that fit its printed column (spreadsheets do not wrap inside an
# address); 页面或附件地址, just right of the printed part, keeps it whole as a link to click, copy, and carry over.
HEADERS = ["序号", "责任单位", "所在栏目", "问题类型", "问题描述", "位置", "证据（已脱敏）", "严重程度", "整改建议",
           "整改时限", "整改状态", "整改情况说明", "单位识别依据", "页面或附件地址", "依据", "首次发现", "最近复核",
           "问题编号"]
PRINTED = HEADERS.index("整改情况说明") + 1
STATUSES = ["未整改", "整改中", "已整改", "不成立"]
DISMISSED = "不成立"                           # the clerk's 不成立 / 误报 (checks/waivers.DISMISSED_STATUSES)
UNCONFIRMED = "单位报已整改，本次未能复查，待下次复查确认。"
UNCONFIRMED_RE = re.compile("^" + re.escape(UNCONFIRMED))
# Lists written before 2026-12-05 dated the note 2026-12-05; since then 2026年12月5日 (公文 dates).
REOPENED = re.compile(r"^经(?:\d{4}-\d{2}-\d{2}|\d{4}年\d{1,2}月\d{1,2}日)复查仍存在，请继续整改。")
COL = {name: i + 1 for i, name in enumerate(HEADERS)}
# Column widths in characters (CJK counts double): sized to the content a clerk reads, wrapped beyond.
WIDTHS = {"序号": 5, "责任单位": 14, "所在栏目": 12, "问题类型": 10, "问题描述": 32, "位置": 24, "证据（已脱敏）": 32,
          "严重程度": 8, "整改建议": 28, "整改时限": 11, "整改状态": 8, "整改情况说明": 18, "单位识别依据": 30,
          "页面或附件地址": 40, "依据": 36, "首次发现": 11, "最近复核": 11, "问题编号": 18}
LINE_HEIGHT = 14.0                            # points per wrapped line of 10.5 pt 宋体
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
        out = {}
        for name in (SHEET, REVIEW_SHEET):
            if name not in book.sheetnames:
                continue
            rows = book[name].iter_rows(values_only=True)
            header = [str(h).strip() if h is not None else "" for h in next(rows, ())]
            if "问题编号" not in header or "整改状态" not in header:
                raise ReportError(f"上期整改清单 {path} 的“{name}”工作表缺少“问题编号”或“整改状态”列")
            for values in rows:
                record = dict(zip(header, values))
                fid = record.get("问题编号")
                if fid:
                    out[str(fid)] = PreviousRow(record)
        return out
    finally:
        book.close()


def dismissals(path: str | Path) -> dict[str, str]:
    """Finding id → the clerk's note, for every row of last week's list marked 不成立 (or 误报, 无需整改).

    An unreadable list dismisses nothing (the report stage says why it could not be read)."""
    try:
        rows = read_previous(path)
    except ReportError:
        return {}
    return {fid: str(row.values.get("整改情况说明") or "") for fid, row in rows.items()
            if str(row.values.get("整改状态") or "").strip() in DISMISSED_STATUSES}


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


def carry_over(model: ReportModel, previous: dict[str, PreviousRow]) -> None:
    """The clerk's 整改状态, 整改情况说明 and corrected 责任单位 from last week's list, onto this run's rows.

    A row marked 已整改 whose problem the re-crawl still finds goes back to 未整改 and says so politely
    (经…复查仍存在); a problem this run could not re-check keeps last week's status and 最近复核 date.
    """
    model.reopened = []
    model.dismissed_notes = {f.id: clean(str(previous[f.id].values.get("整改情况说明") or "")).strip()
                             for f in model.dismissed if f.id in previous}
    for r in model.rows:
        prev = previous.get(r.finding_id)
        if prev is None:
            continue
        old = str(prev.values.get("整改状态") or "").strip()
        note = REOPENED.sub("", clean(str(prev.values.get("整改情况说明") or "")))
        if r.finding_status != "unverified":
            note = UNCONFIRMED_RE.sub("", note)
        if old in STATUSES and old not in ("已整改", DISMISSED):
            r.status = old
        if r.finding_status == "unverified":
            # Not seen this run: neither fixed nor found again. A unit's 已整改 waits for the next re-check.
            r.last_review = _date(prev.values.get("最近复核")) or r.last_review
            if old == "已整改":
                r.status = "整改中"
                note = UNCONFIRMED + UNCONFIRMED_RE.sub("", note)
        elif old == "已整改":
            r.reopened = True
            model.reopened.append(r)
            note = f"经{cn_date(model.as_of)}复查仍存在，请继续整改。" + note
        r.note = note or r.note
        unit = str(prev.values.get("责任单位") or "").strip()
        if unit and unit != r.department and not unit.startswith("未能识别"):
            r.department, r.department_source, r.department_reason = clean(unit), "clerk", "整改清单中人工确认"


def _unit_cell(department: str, reason: str, source: str) -> str:
    return f"未能识别（{reason}）" if source == "unknown" else department


def _rows(model: ReportModel, previous: dict[str, PreviousRow]) -> list[dict[str, object]]:
    """Open rows (as the model orders them), then resolved ones, then earlier rows not seen in this run."""
    rows: list[dict[str, object]] = []
    seen: set[str] = set()
    for r in model.rows:
        unseen = f"（本次未能复查，沿用{cn_date(r.last_review)}复查结论）" if r.finding_status == "unverified" else ""
        rows.append({"问题类型": r.kind_label + r.review_mark, "问题描述": r.review_mark + unseen + r.description,
                     "所在栏目": r.column, "页面或附件地址": r.url, "证据（已脱敏）": r.evidence, "依据": r.basis,
                     "严重程度": r.severity_label, "_severity": r.severity, "整改建议": r.remediation
                     + (f"（{cn_date(r.report_back)}前报送整改情况）" if r.report_back else ""),
                     "责任单位": _unit_cell(r.department, r.department_reason, r.department_source),
                     "单位识别依据": r.department_reason, "整改时限": r.deadline, "整改状态": r.status,
                     "整改情况说明": r.note or None, "首次发现": r.first_seen, "最近复核": r.last_review,
                     "问题编号": r.finding_id, "_review": r.needs_review})
        seen.add(r.finding_id)
    for f in model.dismissed:
        if f.id in seen:
            continue
        prev = previous.get(f.id)
        values = prev.values if prev else {}
        rows.append({"问题类型": f.kind_label + ("（待核实）" if f.needs_review else ""),
                     "问题描述": "（经核实不成立，不计入问题数）" + (f.message or f.title), "所在栏目": f.column_name,
                     "页面或附件地址": f.url or "", "证据（已脱敏）": f.evidence, "依据": f.basis,
                     "严重程度": f.severity_label, "_severity": f.severity, "整改建议": f.remediation,
                     "责任单位": clean(str(values.get("责任单位") or "")) or model.resolved_units.get(f.id, ("", ""))[0],
                     "单位识别依据": clean(str(values.get("单位识别依据") or "")) or None,
                     "整改情况说明": clean(str(values.get("整改情况说明") or "")) or None,
                     "整改时限": _date(values.get("整改时限")), "整改状态": DISMISSED, "首次发现": f.first_seen,
                     "最近复核": model.as_of, "问题编号": f.id, "_review": f.needs_review})
        seen.add(f.id)
    for f in model.resolved:
        if f.id in seen or f.kind == "veto":
            continue
        prev = previous.get(f.id)
        rows.append({"问题类型": f.kind_label, "问题描述": f.message or f.title, "所在栏目": f.column_name,
                     "页面或附件地址": f.url or "", "证据（已脱敏）": f.evidence, "依据": f.basis,
                     "严重程度": f.severity_label, "_severity": f.severity, "整改建议": f.remediation,
                     "责任单位": (str(prev.values.get("责任单位") or "") if prev else "")
                     or model.resolved_units.get(f.id, ("", ""))[0],
                     "单位识别依据": (str(prev.values.get("单位识别依据") or "") if prev else "")
                     or model.resolved_units.get(f.id, ("", ""))[1],
                     "整改情况说明": str(prev.values.get("整改情况说明") or "") or None if prev else None,
                     "整改时限": _date(prev.values.get("整改时限")) if prev else None, "整改状态": "已整改",
                     "首次发现": f.first_seen, "最近复核": model.as_of, "问题编号": f.id})
        seen.add(f.id)
    for fid, prev in previous.items():
        if fid in seen:
            continue
        values = {h: prev.values.get(h) for h in HEADERS if h not in ("序号", "位置")}
        for h in ("整改时限", "首次发现", "最近复核"):
            values[h] = _date(values[h])
        severity = next((k for k, v in SEVERITY_ORDER.items() if severity_label(k) == values.get("严重程度")), "minor")
        rows.append({**{k: clean(v) if isinstance(v, str) else v for k, v in values.items()}, "_severity": severity,
                     "_review": _is_review(values)})
    return rows


def _is_review(row: dict[str, object]) -> bool:
    """A 待核实 row, whether built this run or read back from an earlier list (its 问题类型 says so)."""
    return bool(row.get("_review")) or "待核实" in str(row.get("问题类型") or "")


def _unit_table(rows: list[dict[str, object]]) -> list[list[object]]:
    """Per 责任单位: open problems, of which 单项否决-related, personal data, 待核实, and the earliest deadline."""
    table: dict[str, list] = {}
    for row in rows:
        if row.get("整改状态") in ("已整改", DISMISSED):
            continue
        unit = str(row.get("责任单位") or "未能识别")
        unit = "未能识别" if unit.startswith("未能识别") else unit
        entry = table.setdefault(unit, [unit, 0, 0, 0, 0, None])
        review = "待核实" in str(row.get("问题类型") or "")
        entry[4 if review else 1] += 1
        if not review and row.get("_severity") == "veto":
            entry[2] += 1
        if not review and str(row.get("问题类型") or "").startswith(("泄露个人信息", "个人信息")):
            entry[3] += 1
        due = row.get("整改时限")
        if isinstance(due, dt.date) and (entry[5] is None or due < entry[5]):
            entry[5] = due
    return sorted(table.values(), key=lambda e: (e[0] == "未能识别", -(e[1] + e[4]), e[0]))


def _summary(book: Workbook, model: ReportModel, rows: list[dict[str, object]]) -> None:
    ws = book.create_sheet(SUMMARY_SHEET, 0)
    bold = Font(name=FONT, bold=True, size=11)
    ws["A1"] = f"{model.site_name}网站自查整改清单汇总"
    ws["A1"].font = Font(name=FONT, bold=True, size=14)
    ws["A2"] = f"检查日期：{cn_date(model.as_of)}    网址：{model.site_url}"
    ws["A3"] = "单项否决：" + verdict_short(model)
    ws["A3"].font = Font(name=FONT, bold=True, color="000000" if model.verdict.passed and not model.verdict.undetermined else "C00000")
    notes = [verdict_sentence(model)]
    if model.not_examined_reason:                 # 未能检查: the first thing the list says (reports/unexamined.py)
        notes = [model.headline]
    if model.counts.get("needs_review"):
        notes.append(f"另有{model.counts['needs_review']}个问题标注「待核实」，列于「{REVIEW_SHEET}」工作表，核实前不计入问题数。")
    if model.deadline_note:
        notes.append(model.deadline_note)
    ws["A4"] = "".join(notes)
    ws["A4"].alignment = Alignment(wrap_text=True, vertical="top")
    ws.merge_cells("A4:F4")
    ws.row_dimensions[4].height = LINE_HEIGHT * (display_width(ws["A4"].value) // 96 + 2)
    border = Border(top=THIN, bottom=THIN, left=THIN, right=THIN)

    def table(top: int, head: list[str], body: list[list[object]], total: list[object] | None) -> int:
        for i, h in enumerate(head, 1):
            cell = ws.cell(row=top, column=i, value=h)
            cell.font, cell.fill, cell.border = bold, PatternFill("solid", fgColor="D9E1F2"), border
        row = top + 1
        for values in body + ([total] if total else []):
            for i, v in enumerate(values, 1):
                cell = ws.cell(row=row, column=i, value=v)
                cell.border = border
                if isinstance(v, dt.date):
                    cell.number_format = "yyyy-mm-dd"
                if total is not None and values is total:
                    cell.font = bold
            row += 1
        return row + 1

    confirmed = [r for r in rows if r.get("整改状态") not in ("已整改", DISMISSED) and "待核实" not in str(r.get("问题类型"))]
    kinds: dict[str, list[int]] = {}
    for r in confirmed:
        per = kinds.setdefault(str(r.get("问题类型")), [0, 0, 0])
        per[{"veto": 0, "major": 1}.get(str(r.get("_severity")), 2)] += 1
    body = [[k, *v, sum(v)] for k, v in kinds.items()]
    totals = [sum(v[i] for v in kinds.values()) for i in range(3)]
    row = table(6, ["问题类型", "单项否决相关", "重要", "一般", "合计"], body, ["合计", *totals, sum(totals)])
    ws.cell(row=row, column=1, value="按责任单位").font = bold
    row = table(row + 1, ["责任单位", "问题数", "单项否决相关", "个人信息", "待核实", "最早整改时限"],
                _unit_table(rows), None)
    ws.cell(row=row, column=1, value="前期问题经复核已整改").font = bold
    ws.cell(row=row, column=2, value=model.counts["resolved"])
    if model.changes is not None:
        ws.cell(row=row + 1, column=1, value="本周变化").font = bold
        ws.cell(row=row + 1, column=2, value=model.changes.sentence() + "。")
        ws.cell(row=row + 1, column=2).alignment = Alignment(wrap_text=True, vertical="top")
        ws.merge_cells(start_row=row + 1, start_column=2, end_row=row + 1, end_column=6)
        ws.row_dimensions[row + 1].height = LINE_HEIGHT * (display_width(model.changes.sentence()) // 80 + 2)
    ws.column_dimensions["A"].width = 30
    for letter in "BCDEF":
        ws.column_dimensions[letter].width = 14
    _print_setup(ws, "portrait")


def _print_setup(ws, orientation: str) -> None:
    """A4, fitted to one page wide (as many pages tall as needed)."""
    ws.page_setup.orientation = orientation
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.5


def _named_styles(book: Workbook) -> dict[str, str]:
    """Named styles registered once: assigning one is far cheaper than setting font/border per cell."""
    border = Border(top=THIN, bottom=THIN, left=THIN, right=THIN)
    wrap = Alignment(wrap_text=True, vertical="top")
    specs = {"body": {}, "date": {"number_format": "yyyy-mm-dd"},
             "link": {"font": Font(name=FONT, size=10.5, color="0563C1", underline="single")}}
    for severity, color in SEVERITY_FILL.items():
        specs[severity] = {"fill": PatternFill("solid", fgColor=color)}
    names = {}
    existing = set(book.named_styles)
    for key, extra in specs.items():
        names[key] = f"清单_{key}"
        if names[key] in existing:                # a second list sheet in the same book reuses them
            continue
        style = NamedStyle(name=f"清单_{key}", font=extra.get("font", Font(name=FONT, size=10.5)), border=border,
                           alignment=wrap, number_format=extra.get("number_format", "General"))
        if "fill" in extra:
            style.fill = extra["fill"]
        book.add_named_style(style)
    return names


def wrapped_address(url: str, width: int) -> str:
    """`url` in lines of at most `width` characters, broken after a '/' where one falls in the line, else hard."""
    lines: list[str] = []
    rest = url
    while len(rest) > width:
        cut = rest.rfind("/", 0, width) + 1
        if cut <= width // 3:                     # no '/' far enough along: break at the width
            cut = width
        lines.append(rest[:cut])
        rest = rest[cut:]
    return "\n".join([*lines, rest] if rest else lines)


def _row_height(row: dict[str, object]) -> float:
    """Points for a row whose wrapped cells all show every line (LibreOffice and WPS do not autofit on open)."""
    lines = 1
    for h in HEADERS[:PRINTED + 1]:
        value = row.get(h)
        if isinstance(value, str) and value:
            usable = max(WIDTHS[h] - 1, 2)
            lines = max(lines, sum(-(-max(display_width(part), 1) // usable) for part in value.split("\n")))
    return round(lines * LINE_HEIGHT + 4, 1)


def _list_sheets(book: Workbook, rows: list[dict[str, object]]) -> None:
    """整改清单 (the counted problems, then resolved and earlier rows), and 待核实事项 beside it when there are any."""
    ws = book.active
    ws.title = SHEET
    _list_sheet(book, ws, [r for r in rows if not _is_review(r)])
    review = [r for r in rows if _is_review(r)]
    if review:
        _list_sheet(book, book.create_sheet(REVIEW_SHEET), review)


def _list_sheet(book: Workbook, ws, rows: list[dict[str, object]]) -> None:
    """One list sheet: one row per problem, printed columns A–L fitted to an A4 landscape page."""
    header_font = Font(name=FONT, bold=True, size=11, color="FFFFFF")
    header_fill = PatternFill("solid", fgColor="305496")
    for i, h in enumerate(HEADERS, 1):
        cell = ws.cell(row=1, column=i, value=h)
        cell.font, cell.fill = header_font, header_fill
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    styles = _named_styles(book)
    texts: list[str] = []
    for n, row in enumerate(rows, 1):
        r = n + 1
        address = str(row.get("页面或附件地址") or "")
        row = {**row, "位置": wrapped_address(address, WIDTHS["位置"] - 1) if address else None}
        for h in HEADERS:
            value = n if h == "序号" else row.get(h)
            if isinstance(value, str):
                texts.append(value)
            cell = ws.cell(row=r, column=COL[h], value=value if value != "" else None)
            cell.style = styles["date"] if isinstance(value, dt.date) else styles["body"]
        if address.startswith(("http://", "https://")):
            # The whole address is the link; 位置 stays plain text, since LibreOffice shows a linked cell as one
            # unwrapped line and would cut the printed address off.
            cell = ws.cell(row=r, column=COL["页面或附件地址"])
            cell.hyperlink = address
            cell.style = styles["link"]
        severity = str(row.get("_severity"))
        if severity in SEVERITY_FILL:
            ws.cell(row=r, column=COL["严重程度"]).style = styles[severity]
        ws.row_dimensions[r].height = _row_height(row)
    for h in HEADERS:
        ws.column_dimensions[get_column_letter(COL[h])].width = WIDTHS[h] + 1
    ws.column_dimensions[get_column_letter(COL["问题编号"])].hidden = True
    last = get_column_letter(len(HEADERS) - 1)
    ws.freeze_panes = "C2"
    ws.auto_filter.ref = f"A1:{last}{max(len(rows) + 1, 2)}"
    validation = DataValidation(type="list", formula1='"' + ",".join(STATUSES) + '"', allow_blank=True,
                                showErrorMessage=True, errorTitle="整改状态", error="请从下拉列表中选择整改状态")
    status_col = get_column_letter(COL["整改状态"])
    validation.add(f"{status_col}2:{status_col}{max(VALIDATION_ROWS, len(rows) + 1)}")
    ws.add_data_validation(validation)
    _print_setup(ws, "landscape")
    ws.print_title_rows = "1:1"
    ws.print_area = f"A1:{get_column_letter(PRINTED)}{len(rows) + 1}"
    assert_clean("\n".join(texts), f"rectification.xlsx {ws.title}")  # one pass: patterns never span a line break


def _one_font(book: Workbook) -> None:
    """Every cell in 宋体: cells left to the workbook default would print in Calibri beside 宋体 ones."""
    book._named_styles["Normal"].font = Font(name=FONT, size=10.5)
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is not None and cell.font.name != FONT:
                    font = copy(cell.font)         # StyleProxy.copy(**kw) is deprecated in openpyxl 3.1
                    font.name = FONT
                    cell.font = font


def _save(book: Workbook, path: Path) -> Path:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        book.save(path)
    except OSError as exc:
        raise ReportError(f"无法写入 {path}：{exc}") from exc
    return path


def write_xlsx(model: ReportModel, path: str | Path, previous: str | Path | None = None) -> Path:
    """Write the 整改清单; `previous` (an earlier list, if it exists) supplies the clerk's status edits."""
    path = Path(path)
    earlier = read_previous(previous) if previous and Path(previous).exists() else {}
    carry_over(model, earlier)
    rows = _rows(model, earlier)
    book = Workbook()
    _list_sheets(book, rows)
    _summary(book, model, rows)
    from reports.xlsx_errors import write_errors_sheet
    write_errors_sheet(book, model)
    _one_font(book)
    book.active = book.sheetnames.index(SHEET)
    return _save(book, path)


def _safe_name(unit: str) -> str:
    return "".join(ch for ch in unit if ch not in '\\/:*?"<>|').strip() or "未能识别"


def split_by_unit(path: str | Path, out_dir: str | Path | None = None) -> list[Path]:
    """One 整改清单 per 责任单位 (rows as they stand in `path`, the clerk's edits included), for handing out."""
    path = Path(path)
    earlier = read_previous(path)
    target = Path(out_dir) if out_dir else path.parent / "按责任单位"
    groups: dict[str, list[dict[str, object]]] = {}
    for prev in earlier.values():
        row = dict(prev.values)
        for h in ("整改时限", "首次发现", "最近复核"):
            row[h] = _date(row.get(h))
        row["_severity"] = next((k for k in SEVERITY_ORDER if severity_label(k) == row.get("严重程度")), "minor")
        unit = str(row.get("责任单位") or "未能识别")
        groups.setdefault("未能识别" if unit.startswith("未能识别") else unit, []).append(row)
    written = []
    for unit, rows in sorted(groups.items()):
        book = Workbook()
        _list_sheets(book, rows)
        _one_font(book)
        written.append(_save(book, target / f"整改清单_{_safe_name(unit)}.xlsx"))
    return written

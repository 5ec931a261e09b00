"""问题清单.xlsx of `govaudit annual-report`: one row per FAIL or 需人工复核, with where and why, and a 核实状态
column (已核实/不成立) that the next run carries over from the previous workbook in the same out dir, by result id.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from reports.annual_labels import status_label

HEADERS = ["序号", "检查事项", "结论", "位置", "问题", "原文摘录", "依据", "整改建议", "核实状态", "编号"]
STATES = ("已核实", "不成立")


def previous_states(path: Path) -> dict[str, str]:
    """id → 核实状态 from an earlier workbook; an unreadable one carries nothing (it is replaced)."""
    if not path.exists():
        return {}
    try:
        sheet = load_workbook(path, read_only=True)["问题"]
    except Exception:  # a damaged or foreign file: start afresh rather than fail the run
        return {}
    states = {}
    for row in sheet.iter_rows(min_row=2, values_only=True):
        if len(row) >= 10 and row[9] and row[8] in STATES:
            states[str(row[9])] = row[8]
    return states


def write_xlsx(path: Path, data: dict) -> int:
    carried = previous_states(path)
    book = Workbook()
    sheet = book.active
    sheet.title = "问题"
    sheet.append(HEADERS)
    validation = DataValidation(type="list", formula1='"已核实,不成立"', allow_blank=True)
    sheet.add_data_validation(validation)
    listed = [(check, result) for status in ("FAIL", "需人工复核")      # the problems first, then what to look at
              for check in data["checks"] for result in check["results"] if result["status"] == status]
    for n, (check, result) in enumerate(listed, start=1):
        sheet.append([n, check["title"], status_label(result["status"]), result["where"], result["message"],
                      result["evidence"], check["basis"], check["remediation"], carried.get(result["id"], ""),
                      result["id"]])
        validation.add(f"I{n + 1}")
    _lay_out(sheet)
    book.save(path)
    return len(listed)


def _lay_out(sheet) -> None:
    """Readable on screen and on paper: wrapped cells, a bold frozen header, A4 landscape one page wide. The 编号
    column (what carries 核实状态 to the next run) is kept but hidden: it means nothing to a reader."""
    for letter, width in zip("ABCDEFGHIJ", (6, 22, 11, 16, 48, 36, 30, 34, 10, 18)):
        sheet.column_dimensions[letter].width = width
    sheet.column_dimensions["J"].hidden = True
    wrap_rows(sheet, skip={"J"})
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="F2F2F2")
    sheet.freeze_panes = "A2"
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def wrap_rows(sheet, skip: set[str] = frozenset()) -> None:
    """Wrap every cell and give each row the height its longest cell needs: LibreOffice and WPS keep the default
    height for wrapped cells openpyxl writes, so long text would print over the next row."""
    wrap = Alignment(wrap_text=True, vertical="top")
    for row in sheet.iter_rows():
        lines = 1
        for cell in row:
            cell.alignment = wrap
            if cell.value is not None and cell.column_letter not in skip:
                width = sheet.column_dimensions[cell.column_letter].width or 10
                lines = max(lines, _lines(str(cell.value), width))
        sheet.row_dimensions[row[0].row].height = 15 * lines + 3


def _lines(text: str, width: float) -> int:
    """Lines a wrapped cell needs: a Chinese character is two width units, anything else one."""
    units = sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)
    return max(1, -(-units // max(1, int(width) - 1)))

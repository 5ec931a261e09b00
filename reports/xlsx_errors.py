"""The 检查异常 sheet of rectification.xlsx: what the tool could not check or show, and unread columns.

Written only when the check is not whole, so a clean run's workbook keeps its two sheets. Kept apart
from the 整改清单 sheet: these rows are not problems of the site and carry no 整改状态.
"""

from __future__ import annotations

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

from reports.guard import assert_clean, clean

ERRORS_SHEET = "检查异常"
ERROR_HEADERS = ["序号", "环节", "规则", "页面或附件地址", "异常情况"]
UNREAD_HEADERS = ["序号", "栏目", "栏目地址", "未检查完的原因"]
FONT = "宋体"
THIN = Side(style="thin", color="999999")
WIDTHS = {"A": 8, "B": 14, "C": 40, "D": 48, "E": 70}


def write_errors_sheet(book, model) -> None:
    """Add the 检查异常 sheet when the model records failures or unread columns (or the crawl stopped)."""
    if model.status == "完整" and not model.problems and not model.unread:
        return
    ws = book.create_sheet(ERRORS_SHEET)
    bold = Font(name=FONT, bold=True, size=11)
    border = Border(top=THIN, bottom=THIN, left=THIN, right=THIN)
    wrap = Alignment(wrap_text=True, vertical="top")
    texts: list[str] = []

    def put(row: int, values: list, header: bool = False) -> None:
        for column, value in enumerate(values, 1):
            cell = ws.cell(row=row, column=column, value=value if value not in ("", None) else "—")
            cell.border, cell.alignment = border, wrap
            cell.font = bold if header else Font(name=FONT, size=10.5)
            if header:
                cell.fill = PatternFill("solid", fgColor="D9E1F2")
            if isinstance(value, str):
                texts.append(value)

    ws["A1"] = f"检查状态：{model.status}"
    ws["A1"].font = Font(name=FONT, bold=True, size=14, color="C00000" if model.status != "完整" else "000000")
    ws["A2"] = model.headline or "本次检查完整。"
    ws["A2"].alignment = wrap
    ws.merge_cells("A2:E2")
    # A merged cell does not grow with its text: about 80 Chinese characters fit a line across A:E.
    ws.row_dimensions[2].height = 18 * max(2, -(-len(ws["A2"].value) // 80))
    texts.append(ws["A2"].value)
    row = 4
    ws.cell(row=row, column=1, value=f"一、检查异常（{len(model.problems)}项）").font = bold
    row += 1
    if model.problems:
        put(row, ERROR_HEADERS, header=True)
        for seq, p in enumerate(model.problems, 1):
            row += 1
            put(row, [seq, p.stage_label, p.rule or "", p.url or "", clean(p.message)])
    else:
        ws.cell(row=row, column=1, value="无。")
    row += 2
    ws.cell(row=row, column=1, value=f"二、未检查完的栏目（{len(model.unread)}个，未作判定）").font = bold
    row += 1
    if model.unread:
        put(row, UNREAD_HEADERS, header=True)
        for seq, c in enumerate(model.unread, 1):
            row += 1
            put(row, [seq, c.name, c.url, c.reason])
            # Wrapped text does not raise a row written by openpyxl: a Chinese character is two width units.
            ws.row_dimensions[row].height = 15 * max(1, -(-len(c.reason) * 2 // (WIDTHS["D"] - 2)))
    else:
        ws.cell(row=row, column=1, value="无。")
    for letter, width in WIDTHS.items():
        ws.column_dimensions[letter].width = width
    # Printed as the clerk files it: landscape, every column on the page (the reason column was cut off).
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    assert_clean("\n".join(t for t in texts if t), f"rectification.xlsx {ERRORS_SHEET}")

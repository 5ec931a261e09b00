"""rectification.xlsx read back cell by cell and style by style, and the clerk's edits carried over."""

import datetime as dt

import pytest
from conftest import HISTORY, make_findings, make_snapshot
from openpyxl import load_workbook

from reports.guard import ReportError
from reports.model import build_report_model
from reports.xlsx import HEADERS, STATUSES, display_width, write_xlsx


def load(path):
    book = load_workbook(path)
    return book, book["整改清单"]


def as_date(value):
    return value.date() if isinstance(value, dt.datetime) else value


def test_header_rows_and_order(model, tmp_path):
    book, ws = load(write_xlsx(model, tmp_path / "rectification.xlsx"))
    assert book.sheetnames == ["汇总", "整改清单"] and book.active.title == "整改清单"
    assert [c.value for c in ws[1]] == HEADERS
    assert all(c.font.bold for c in ws[1])
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert len(rows) == len(model.rows) + len(model.resolved)
    assert [r[0] for r in rows] == list(range(1, len(rows) + 1))
    assert [r[7] for r in rows[:6]] == ["单项否决", "重要", "重要", "重要", "一般", "一般"]
    first = dict(zip(HEADERS, rows[0]))
    assert first["问题类型"] == "单项否决" and first["问题编号"] == "f-veto-1"
    assert as_date(first["整改时限"]) == dt.date(2023, 2, 7) and first["整改状态"] == "未整改"
    pii = dict(zip(HEADERS, rows[1]))
    assert pii["证据（已脱敏）"].startswith("身份证号码 ") and "*" in pii["证据（已脱敏）"]
    assert pii["责任单位"] == "县政务服务管理局" and as_date(pii["整改时限"]) == dt.date(2023, 2, 15)
    resolved = dict(zip(HEADERS, rows[-1]))
    assert resolved["整改状态"] == "已整改" and as_date(resolved["最近复核"]) == dt.date(2023, 1, 31)


def test_styles_freeze_filter_validation_links_widths(model, tmp_path):
    _, ws = load(write_xlsx(model, tmp_path / "rectification.xlsx"))
    assert ws.freeze_panes == "B2"
    assert ws.auto_filter.ref == "A1:N8"
    [dv] = ws.data_validations.dataValidation
    assert dv.type == "list" and dv.formula1 == '"' + ",".join(STATUSES) + '"'
    assert str(dv.sqref).startswith("L2:L")
    link = ws["E3"]
    assert link.hyperlink.target == link.value and link.value.startswith("http://")
    assert link.font.underline == "single"
    assert ws.column_dimensions["O"].hidden                       # 问题编号
    assert ws["C2"].alignment.wrap_text
    assert ws.column_dimensions["C"].width >= display_width("动态要闻类、通知公告类栏目不更新合计达到5个。")
    assert ws.column_dimensions["A"].width < ws.column_dimensions["B"].width
    assert ws["K2"].number_format == "yyyy-mm-dd"
    assert ws["H2"].fill.fgColor.rgb.endswith("F4B6B6")
    for row in ws.iter_rows():
        for cell in row:
            assert not (isinstance(cell.value, str) and cell.value.startswith("=")), cell.coordinate


def test_summary_sheet(model, tmp_path):
    book, _ = load(write_xlsx(model, tmp_path / "rectification.xlsx"))
    ws = book["汇总"]
    assert ws["A3"].value == "单项否决：不合格"
    table = {r[0]: r[1:5] for r in ws.iter_rows(min_row=7, max_row=12, max_col=5, values_only=True) if r[0]}
    assert table["泄露个人信息"] == (0, 2, 0, 2)
    assert table["合计"] == (1, 3, 2, 6)


def test_display_width_counts_cjk_double():
    assert display_width("ab") == 2 and display_width("栏目") == 4 and display_width("（A）") == 5


def test_carry_over_clerk_edits(tmp_path):
    path = tmp_path / "rectification.xlsx"
    first = build_report_model(make_snapshot(), make_findings(), HISTORY)
    write_xlsx(first, path)
    book, ws = load(path)
    status = HEADERS.index("整改状态") + 1
    ids = {ws.cell(row=r, column=15).value: r for r in range(2, ws.max_row + 1)}
    ws.cell(row=ids["f-blank-1"], column=status, value="整改中")
    ws.cell(row=ids["f-mis-1"], column=status, value="无需整改")
    ws.cell(row=ids["f-pii-2"], column=status, value="已整改")         # claimed, but the re-crawl still finds it
    ws.cell(row=ids["f-veto-1"], column=status, value="整改中")
    book.save(path)

    findings = [f for f in make_findings() if f.id != "f-veto-1"]
    veto = next(f for f in make_findings() if f.id == "f-veto-1")
    veto.status = "resolved"
    second = build_report_model(make_snapshot(), findings, resolved=[veto])
    out = write_xlsx(second, tmp_path / "next.xlsx", previous=path)
    _, ws2 = load(out)
    got = {row[14]: dict(zip(HEADERS, row)) for row in ws2.iter_rows(min_row=2, values_only=True)}
    assert got["f-blank-1"]["整改状态"] == "整改中"
    assert got["f-mis-1"]["整改状态"] == "无需整改"
    assert got["f-pii-2"]["整改状态"] == "未整改"
    assert got["f-veto-1"]["整改状态"] == "已整改"
    assert as_date(got["f-veto-1"]["最近复核"]) == dt.date(2023, 1, 31)
    assert as_date(got["f-veto-1"]["整改时限"]) == dt.date(2023, 2, 7)   # kept from the earlier list


def test_foreign_previous_file_is_report_error(model, tmp_path):
    bad = tmp_path / "old.xlsx"
    bad.write_bytes(b"not a workbook")
    with pytest.raises(ReportError, match="无法读取"):
        write_xlsx(model, tmp_path / "r.xlsx", previous=bad)


def test_second_reader_opens_it(model, tmp_path):
    """python-calamine (a different parser, as strict as WPS about the package) reads the same cells."""
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(write_xlsx(model, tmp_path / "rectification.xlsx")))
    assert book.sheet_names == ["汇总", "整改清单"]
    rows = book.get_sheet_by_name("整改清单").to_python()
    assert rows[0] == HEADERS and len(rows) == 1 + len(model.rows) + len(model.resolved)
    assert rows[1][1] == "单项否决" and rows[1][14] == "f-veto-1"

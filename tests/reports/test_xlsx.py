"""rectification.xlsx read back cell by cell and style by style, and the clerk's edits carried over."""

import datetime as dt

import pytest
from conftest import HISTORY, make_findings, make_snapshot
from openpyxl import load_workbook

from checks.waivers import apply_dismissals
from reports.guard import ReportError
from reports.model import build_report_model
from reports.xlsx import (
    HEADERS,
    REVIEW_SHEET,
    STATUSES,
    WIDTHS,
    dismissals,
    display_width,
    wrapped_address,
    write_xlsx,
)


def load(path):
    book = load_workbook(path)
    return book, book["整改清单"]


def sheet_rows(ws) -> list[dict]:
    return [dict(zip(HEADERS, r)) for r in ws.iter_rows(min_row=2, values_only=True)]


def as_date(value):
    return value.date() if isinstance(value, dt.datetime) else value


def cell_of(ws, header: str, row: int):
    return ws.cell(row=row, column=HEADERS.index(header) + 1)


def test_header_rows_and_order(model, tmp_path):
    book, ws = load(write_xlsx(model, tmp_path / "rectification.xlsx"))
    assert book.sheetnames == ["汇总", "整改清单", REVIEW_SHEET] and book.active.title == "整改清单"
    assert [c.value for c in ws[1]] == HEADERS
    assert all(c.font.bold for c in ws[1])
    rows = sheet_rows(ws)
    counted = [r for r in model.rows if not r.needs_review]
    assert len(rows) == len(counted) + len(model.resolved)
    assert [r["序号"] for r in rows] == list(range(1, len(rows) + 1))
    assert [r["序号"] for r in rows[:len(counted)]] == [r.seq for r in counted]   # the docx annex's numbers
    assert [r["严重程度"] for r in rows[:4]] == ["重要", "重要", "重要", "一般"]
    assert "f-veto-1" not in [r["问题编号"] for r in rows]                 # the verdict is not a row
    pii = next(r for r in rows if r["问题编号"] == "f-pii-1")
    assert "*" in pii["证据（已脱敏）"] and pii["证据（已脱敏）"] != pii["问题描述"]
    assert pii["责任单位"] == "县政务服务管理局" and pii["单位识别依据"] == "站点配置指定"
    assert as_date(pii["整改时限"]) == dt.date(2023, 2, 1) and "2023年2月8日前报送整改情况" in pii["整改建议"]
    assert not [r for r in rows if "待核实" in str(r["问题类型"])]          # handed out: counted problems only
    review_rows = sheet_rows(book[REVIEW_SHEET])
    assert [r["问题编号"] for r in review_rows] == [r.finding_id for r in model.rows if r.needs_review] == ["f-mis-1"]
    review = review_rows[0]
    assert "待核实" in review["问题类型"] and review["问题描述"].startswith("（待核实）")
    assert [c.value for c in book[REVIEW_SHEET][1]] == HEADERS and book[REVIEW_SHEET].print_title_rows
    assert all(r["责任单位"] for r in rows if r["整改状态"] != "已整改")
    resolved = next(r for r in rows if r["整改状态"] == "已整改")
    assert as_date(resolved["最近复核"]) == dt.date(2023, 1, 31)


def test_unknown_unit_says_why(tmp_path):
    snapshot = make_snapshot()
    snapshot.site_name = "示例网站"
    for c in snapshot.columns_:
        c.department = None
    findings = [f for f in make_findings() if f.id == "f-blank-1"]
    book, ws = load(write_xlsx(build_report_model(snapshot, findings), tmp_path / "r.xlsx"))
    unit = cell_of(ws, "责任单位", 2).value
    assert unit.startswith("未能识别（") and "主办单位" in unit


def test_styles_print_setup_and_row_heights(model, tmp_path):
    _, ws = load(write_xlsx(model, tmp_path / "rectification.xlsx"))
    assert ws.freeze_panes == "C2"
    dv = ws.data_validations.dataValidation[0]
    assert dv.type == "list" and dv.formula1 == '"' + ",".join(STATUSES) + '"'
    status_letter = cell_of(ws, "整改状态", 1).column_letter
    assert str(dv.sqref).startswith(f"{status_letter}2:{status_letter}")
    link = cell_of(ws, "页面或附件地址", 2)
    assert link.hyperlink.target == link.value and link.value.startswith("http://")
    place = cell_of(ws, "位置", 2)                                       # printed, in lines that fit the column
    assert place.value.replace("\n", "") == link.value and place.alignment.wrap_text
    assert all(len(line) <= WIDTHS["位置"] - 1 for line in place.value.split("\n"))
    assert ws.column_dimensions[cell_of(ws, "问题编号", 1).column_letter].hidden
    assert ws.page_setup.orientation == "landscape" and ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    assert ws.print_area and "$L$" in ws.print_area                       # A–L: the printed columns
    fonts = {c.font.name for row in ws.iter_rows() for c in row if c.value is not None}
    assert fonts == {"宋体"}
    for r in range(2, ws.max_row + 1):                                   # every wrapped line has room
        text = str(cell_of(ws, "问题描述", r).value or "")
        width = ws.column_dimensions[cell_of(ws, "问题描述", 1).column_letter].width
        lines = -(-display_width(text) // int(width - 2))
        assert ws.row_dimensions[r].height >= lines * 14, r
    for row in ws.iter_rows():
        for cell in row:
            assert not (isinstance(cell.value, str) and cell.value.startswith("=")), cell.coordinate


def test_summary_sheet(model, tmp_path):
    book, _ = load(write_xlsx(model, tmp_path / "rectification.xlsx"))
    ws = book["汇总"]
    assert ws["A3"].value == "单项否决：触发1项"
    assert "待核实" in ws["A4"].value
    values = [r for r in ws.iter_rows(values_only=True) if r[0]]
    table = {r[0]: r[1:5] for r in values}
    assert table["泄露个人信息"] == (0, 2, 0, 2)
    assert table["合计"] == (0, 3, 1, 4)                                  # 待核实 and the verdict not counted
    assert table["县政务服务管理局"][:3] == (2, 0, 2)                     # by 责任单位
    assert {c.font.name for row in ws.iter_rows() for c in row if c.value is not None} == {"宋体"}


def test_display_width_counts_cjk_double():
    assert display_width("ab") == 2 and display_width("栏目") == 4 and display_width("（A）") == 5


def test_carry_over_clerk_edits(tmp_path):
    path = tmp_path / "rectification.xlsx"
    first = build_report_model(make_snapshot(), make_findings(), HISTORY)
    write_xlsx(first, path)
    book, ws = load(path)
    status = HEADERS.index("整改状态") + 1
    fid = HEADERS.index("问题编号") + 1
    ids = {ws.cell(row=r, column=fid).value: r for r in range(2, ws.max_row + 1)}
    ws.cell(row=ids["f-blank-1"], column=status, value="整改中")
    book[REVIEW_SHEET].cell(row=2, column=status, value="不成立")        # the 待核实 row, on its own sheet
    ws.cell(row=ids["f-pii-2"], column=status, value="已整改")         # claimed, but the re-crawl still finds it
    ws.cell(row=ids["f-stale-1"], column=status, value="整改中")
    ws.cell(row=ids["f-blank-1"], column=HEADERS.index("整改情况说明") + 1, value="已提请归并该栏目")
    book.save(path)

    findings = [f for f in make_findings() if f.id != "f-stale-1"]
    stale = next(f for f in make_findings() if f.id == "f-stale-1")
    stale.status = "resolved"
    for f in findings:
        f.status = "persisting"
    # The audit reads the clerk's 不成立 rows at the check stage (govaudit/audit.py), so every count agrees.
    assert apply_dismissals(findings, dismissals(path)) == ["f-mis-1"]
    second = build_report_model(make_snapshot(), findings, HISTORY, resolved=[stale])
    out = write_xlsx(second, tmp_path / "next.xlsx", previous=path)
    book2, ws2 = load(out)
    got = {row[fid - 1]: dict(zip(HEADERS, row))
           for sheet in (ws2, book2[REVIEW_SHEET]) for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert got["f-blank-1"]["整改状态"] == "整改中" and got["f-blank-1"]["整改情况说明"] == "已提请归并该栏目"
    assert got["f-mis-1"]["整改状态"] == "不成立" and "不计入问题数" in got["f-mis-1"]["问题描述"]
    assert [f.id for f in second.dismissed] == ["f-mis-1"] and second.counts["needs_review"] == 0
    # Claimed fixed, but the re-crawl still finds it: back to 未整改, said politely, and named in 本周变化.
    assert got["f-pii-2"]["整改状态"] == "未整改"
    assert got["f-pii-2"]["整改情况说明"] == "经2023年1月31日复查仍存在，请继续整改。"
    assert [r.finding_id for r in second.reopened] == ["f-pii-2"]
    assert got["f-stale-1"]["整改状态"] == "已整改"
    assert as_date(got["f-stale-1"]["最近复核"]) == dt.date(2023, 1, 31)
    assert as_date(got["f-stale-1"]["整改时限"]) == dt.date(2023, 1, 16)   # kept from the earlier list


def test_foreign_previous_file_is_report_error(model, tmp_path):
    bad = tmp_path / "old.xlsx"
    bad.write_bytes(b"not a workbook")
    with pytest.raises(ReportError, match="无法读取"):
        write_xlsx(model, tmp_path / "r.xlsx", previous=bad)


def test_second_reader_opens_it(model, tmp_path):
    """python-calamine (a different parser, as strict as WPS about the package) reads the same cells."""
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(write_xlsx(model, tmp_path / "rectification.xlsx")))
    assert book.sheet_names == ["汇总", "整改清单", REVIEW_SHEET]
    rows = book.get_sheet_by_name("整改清单").to_python()
    review = book.get_sheet_by_name(REVIEW_SHEET).to_python()
    assert rows[0] == HEADERS and len(rows) + len(review) == 2 + len(model.rows) + len(model.resolved)
    assert rows[1][HEADERS.index("问题编号")] == model.rows[0].finding_id


def test_split_by_unit_writes_one_list_per_unit(model, tmp_path):
    from reports.xlsx import split_by_unit

    path = write_xlsx(model, tmp_path / "rectification.xlsx")
    files = split_by_unit(path)
    units = {r.department for r in model.rows} | {u for u, _ in model.resolved_units.values()}
    assert sorted(f.name for f in files) == sorted(f"整改清单_{u}.xlsx" for u in units)
    total = 0
    for f in files:
        book = load_workbook(f)
        rows = [r for ws in book.worksheets for r in sheet_rows(ws)]
        assert rows and len({r["责任单位"] for r in rows}) == 1
        assert not [r for r in sheet_rows(book["整改清单"]) if "待核实" in str(r["问题类型"])]
        total += len(rows)
    assert total == len(model.rows) + len(model.resolved) - sum(1 for f in model.resolved if f.kind == "veto")


def test_wrapped_address_fits_its_column_and_loses_nothing():
    url = "http://www.yx.example.gov.cn/zwgk/tzgg/202611/t20261113_35056.html"
    lines = wrapped_address(url, 30).split("\n")
    assert "".join(lines) == url and all(len(line) <= 30 for line in lines) and len(lines) == 3
    assert lines[0].endswith("/")                                        # broken after a '/', where there is one
    no_slash = "http://x/" + "a" * 60                                    # a long name without '/': broken hard
    assert all(len(line) <= 23 for line in wrapped_address(no_slash, 23).split("\n"))
    assert wrapped_address("http://a.cn/", 23) == "http://a.cn/" and wrapped_address("", 23) == ""


def test_one_font_keeps_every_other_attribute_without_deprecated_copy(model, tmp_path):
    """Cells left in another font get 宋体 and keep bold, size and colour; no openpyxl DeprecationWarning
    (StyleProxy.copy(**kw) warned once per cell, hundreds of times a test run)."""
    import warnings

    from openpyxl import Workbook
    from openpyxl.styles import Font

    from reports.xlsx import FONT, _one_font

    book = Workbook()
    ws = book.active
    ws["A1"] = "标题"
    ws["A1"].font = Font(name="Calibri", bold=True, size=14, color="FFC00000", underline="single")
    ws["B2"] = "正文"
    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)
        _one_font(book)
        write_xlsx(model, tmp_path / "rectification.xlsx")
    font = ws["A1"].font
    assert (font.name, font.b, font.sz, font.color.rgb, font.u) == (FONT, True, 14, "FFC00000", "single")
    assert ws["B2"].font.name == FONT
    _, written = load(tmp_path / "rectification.xlsx")
    assert {c.font.name for row in written.iter_rows() for c in row if c.value is not None} == {FONT}


def test_prose_dates_are_written_as_a_document_writes_them(model, tmp_path):
    """Dates inside sentences read 2023年2月8日, not 2023-02-08 (the demo's list of 2026-12-05 printed
    检查日期：2026-12-05 and （2026-12-07前报送整改情况））; date cells stay dates."""
    import re

    from reports.xlsx import REOPENED

    write_xlsx(model, tmp_path / "r.xlsx")
    book = load_workbook(tmp_path / "r.xlsx")
    prose = [str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    iso = re.compile(r"(?<![\d/])\d{4}-\d{2}-\d{2}(?![\d/])")
    quoted = {d for f in model.findings for d in iso.findall(f"{f.message}{f.evidence}")}   # the checks' own text
    assert {d for t in prose for d in iso.findall(t)} <= quoted
    assert any(t.startswith("检查日期：2023年") for t in prose)
    # A list written before the change still has its reopened note recognised (not stacked twice).
    assert REOPENED.match("经2023-01-31复查仍存在，请继续整改。") and REOPENED.match("经2023年1月31日复查仍存在，请继续整改。")

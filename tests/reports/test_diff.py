import json

import pytest
from conftest import make_findings, make_snapshot

from reports.diff import diff_findings, render_diff_text
from reports.guard import ReportError
from reports.json_report import render_json
from reports.model import build_report_model


def run_findings(findings) -> list[dict]:
    return json.loads(render_json(build_report_model(make_snapshot(), findings)))["findings"]


def test_appeared_fixed_persisting():
    base = make_findings()
    a = run_findings([f for f in base if f.id != "f-mis-1"])
    b = run_findings([f for f in base if f.id != "f-blank-1"])
    result = diff_findings(a, b)
    assert [f["id"] for f in result.appeared] == ["f-mis-1"]
    assert [f["id"] for f in result.fixed] == ["f-blank-1"]
    assert [f["id"] for f in result.persisting] == ["f-veto-1", "f-pii-1", "f-pii-2", "f-stale-1"]
    assert "f-waived" not in {f["id"] for f in result.persisting}   # waived counts as absent


def test_text_renderer_is_chinese_and_masked():
    a = [{"id": "x1", "kind": "stale_column", "severity": "major", "status": "new",
          "column": {"name": "部门动态", "url": None}, "message": "栏目超过2周未更新"}]
    b = [{"id": "x2", "kind": "personal_data", "severity": "major", "status": "new", "column": None,
          "url": "http://a.gov.cn/1.html", "message": "含手机号码13812345678"}]
    text = render_diff_text(diff_findings(a, b), "12", "13")
    assert text.startswith("比对运行 12 → 13：新出现 1 个，已整改 1 个，仍存在 0 个。")
    assert "[重要] 泄露个人信息" in text and "「部门动态」" in text and "仍存在的问题（0）：\n  无" in text
    assert "13812345678" not in text and "138****5678" in text


def test_findings_without_id_are_an_error():
    with pytest.raises(ReportError, match="RUN_B"):
        diff_findings([], [{"kind": "veto"}])


def test_write_reports_all_formats_and_carry_over(tmp_path):
    from openpyxl import load_workbook

    from reports import write_reports

    model = build_report_model(make_snapshot(), make_findings())
    written = write_reports(model, tmp_path)
    assert sorted(p.name for p in written.values()) == ["findings.json", "rectification.xlsx", "report.docx",
                                                       "report.html", "report.md"]
    from reports.xlsx import HEADERS

    status = HEADERS.index("整改状态") + 1
    book = load_workbook(written["xlsx"])
    book["整改清单"].cell(row=3, column=status, value="整改中")
    book.save(written["xlsx"])
    write_reports(model, tmp_path, formats=("xlsx",))          # the existing list is the previous one
    assert load_workbook(written["xlsx"])["整改清单"].cell(row=3, column=status).value == "整改中"
    with pytest.raises(ReportError, match="不支持"):
        write_reports(model, tmp_path, formats=("pdf",))


def test_unverified_is_not_fixed_and_dismissed_is_absent():
    a = [{"id": "u", "kind": "personal_data", "severity": "major", "status": "persisting"},
         {"id": "d", "kind": "site_identity", "severity": "minor", "status": "persisting"}]
    b = [{"id": "u", "kind": "personal_data", "severity": "major", "status": "unverified"},
         {"id": "d", "kind": "site_identity", "severity": "minor", "status": "dismissed"}]
    result = diff_findings(a, b)
    assert [f["id"] for f in result.persisting] == ["u"]        # not seen this run is not fixed
    assert [f["id"] for f in result.fixed] == ["d"]             # the clerk's 不成立 leaves the open list

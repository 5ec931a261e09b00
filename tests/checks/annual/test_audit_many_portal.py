"""Issue 13 items 6–8: section 五 against a stored audit, many reports at once, and the portal's own 年报 column
judged during a normal audit. Reports are the synthetic clean report of test_real_reports, changed in code."""

from __future__ import annotations

import datetime as dt
import json

from openpyxl import load_workbook

from checks.annual.audit_link import AuditFacts
from checks.annual.context import ReportContext
from checks.annual.model import FAIL, PASS, UNKNOWN
from checks.annual.portal import join_portal_reports, portal_findings
from checks.annual.reader import read_report
from checks.annual.runner import run_rules
from checks.engine import CheckResult
from checks.finding import Finding
from crawler.records import AttachmentRecord, ColumnRecord, PageRecord, Snapshot, TextSegment
from govaudit.cli import main
from tests.checks.annual.test_real_reports import PINGTAN, clean_report
from tests.needs import reference_file

FIVE = "（一）存在的主要问题。一是解读形式不够丰富。二是基层公开有待加强。"


def _finding(kind: str, column: str, status: str = "new", review: bool = False) -> dict:
    return {"kind": kind, "status": status, "needs_review": review, "column": {"name": column}}


AUDIT_FINDINGS = [_finding("stale_column", "部门动态"), _finding("stale_column", "乡镇动态"),
                  _finding("personal_data", "社会救助"), _finding("blank_column", "媒体关注", review=True),
                  _finding("category_mismatch", "政策文件", status="resolved")]


def _ctx(text: str, published: str = "2025-02-10", audit: AuditFacts | None = None) -> ReportContext:
    report = read_report(text.encode("utf-8"), "r.txt")
    return ReportContext.build(report, published=dt.date.fromisoformat(published), audit=audit)


def _results(ctx, rule_id):
    outcome = next(o for o in run_rules(ctx) if o.rule_id == rule_id)
    return outcome.status, outcome.results


def _facts(as_of: str) -> AuditFacts:
    return AuditFacts.from_findings(7, dt.date.fromisoformat(as_of), "http://127.0.0.1/", AUDIT_FINDINGS)


# ------------------------------------------------------------------ item 6: section 五 against the audit
def test_problems_the_audit_found_but_section_five_omits():
    status, results = _results(_ctx(clean_report(), audit=_facts("2024-12-01")), "ANR051")
    assert status == FAIL
    kinds = {r.observed["kind"]: r.observed["count"] for r in results}
    assert kinds == {"stale_column": 2, "personal_data": 1}          # review-only and resolved ones never count
    stale = next(r for r in results if r.observed["kind"] == "stale_column")
    assert "「部门动态」" in stale.message and "运行7" in stale.message
    personal = next(r for r in results if r.observed["kind"] == "personal_data")
    assert "社会救助" not in personal.message                           # personal data is counted, never placed
    named = clean_report().replace(FIVE, "（一）存在的主要问题。一是部分栏目更新不够及时。二是个别公示信息脱敏不到位。")
    status, results = _results(_ctx(named, audit=_facts("2024-12-01")), "ANR051")
    assert (status, results) == (PASS, [])


def test_audit_outside_the_report_period_is_unknown_never_a_pass():
    for as_of in ("2023-12-31", "2025-03-01"):                       # before the year, after publication
        status, results = _results(_ctx(clean_report(), audit=_facts(as_of)), "ANR051")
        assert status == UNKNOWN and results[0].key == "period", as_of
    status, results = _results(_ctx(clean_report()), "ANR051")       # no --run given
    assert status == UNKNOWN and results[0].key == "no-audit" and "未指定网站检查结果" in results[0].message


def test_claims_of_rectification_the_latest_audit_still_sees():
    claimed = clean_report().replace(FIVE, "（一）存在的主要问题。一是解读形式不够丰富。二是上年部分栏目更新不及时的问题已完成整改。")
    status, results = _results(_ctx(claimed, audit=_facts("2025-03-01")), "ANR052")
    assert status == FAIL and [r.observed["kind"] for r in results] == ["stale_column"]
    assert "已完成整改" in results[0].evidence
    status, _ = _results(_ctx(claimed, audit=_facts("2025-01-20")), "ANR052")   # before publication
    assert status == UNKNOWN
    status, _ = _results(_ctx(clean_report(), audit=_facts("2025-03-01")), "ANR052")  # nothing claimed
    assert status == PASS


def test_cli_run_of_an_empty_database_is_a_usage_error(tmp_path):
    report = tmp_path / "r.txt"
    report.write_text(clean_report(), encoding="utf-8")
    code = main(["annual-report", str(report), "--run", "3", "--db", str(tmp_path / "empty.sqlite"),
                 "--out", str(tmp_path / "o")])
    assert code == 2
    assert main(["annual-report", "--out", str(tmp_path / "o")]) == 2         # neither a report nor --reports


# ------------------------------------------------------------------ item 7: many reports at once
SUMMARY = "本报告统计数据汇总了县直各部门和各乡镇的政府信息公开工作情况。"


def _write(folder, name, text):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")


def test_many_reports_summary_and_cross_checks(tmp_path):
    reports = tmp_path / "reports"
    county = clean_report().replace("一是完善制度。", SUMMARY + "一是完善制度。")
    _write(reports, "1_county.txt", county)
    for i, unit in enumerate(("某县财政局", "某县民政局")):
        _write(reports, f"2_dept{i}.txt", clean_report().replace("某县人民政府", unit))
    _write(reports, "3_broken.txt", "这不是年度报告，只是一则通知。")
    out = tmp_path / "out"
    code = main(["annual-report", "--reports", str(reports), "--out", str(out)])
    assert code == 1                                                  # the departments' 12 > the summary's 6
    book = load_workbook(out / "汇总表.xlsx")
    rows = list(book["各报告"].iter_rows(min_row=2, values_only=True))
    assert len(rows) == 4
    assert rows[3][6] == "无法读取"
    assert [r[10] for r in rows[:3]] == [6, 6, 6]                     # 表三 新收 总计 of each report
    cross = list(book["跨报告核对"].iter_rows(min_row=2, values_only=True))
    new_row = next(r for r in cross if "本年新收" in r[4])
    assert new_row[2] == "发现问题" and "少于" in new_row[4] and "12件" in new_row[4]
    copied = [r for r in cross if r[1] == "第五部分相互雷同"]
    assert copied and all(r[2] == "发现问题" for r in copied)              # three units, one section 五 between them
    assert (out / "汇总表.html").read_text(encoding="utf-8").count("<tr>") >= 5
    assert (out / "01_1_county" / "findings.json").exists()


def test_county_without_summary_statement_is_not_added_up(tmp_path):
    reports = tmp_path / "reports"
    _write(reports, "county.txt", clean_report())
    _write(reports, "dept.txt", clean_report().replace("某县人民政府", "某县财政局").replace(
        "二是基层公开有待加强", "二是依申请公开答复规范性不足").replace("一是解读形式不够丰富", "一是政策文件数量偏少"))
    listing = tmp_path / "list.txt"
    listing.write_text("# 本县报告\nreports/county.txt\nreports/dept.txt\n", encoding="utf-8")
    out = tmp_path / "out"
    main(["annual-report", "--reports", str(listing), "--out", str(out)])
    cross = list(load_workbook(out / "汇总表.xlsx")["跨报告核对"].iter_rows(min_row=2, values_only=True))
    totals = [r for r in cross if r[1] == "汇总数与各报告之和"]
    assert len(totals) == 1 and totals[0][2] == UNKNOWN and "不等于各部门" in totals[0][4]


def test_real_reports_of_one_issuer_are_paired_by_year(tmp_path):
    reports = tmp_path / "pingtan"
    for year in (2022, 2023):
        _write(reports, PINGTAN[year], reference_file("samples", PINGTAN[year]).read_text(encoding="utf-8"))
    out = tmp_path / "out"
    assert main(["annual-report", "--reports", str(reports), "--out", str(out)]) == 1
    rows = list(load_workbook(out / "汇总表.xlsx")["各报告"].iter_rows(min_row=2, values_only=True))
    assert rows[0][13] == "无" and "2022" in rows[1][13]             # 2023 compared with 2022, found in the set
    data = json.loads((out / f"02_{PINGTAN[2023][:-4]}" / "findings.json").read_text(encoding="utf-8"))
    assert data["summary"]["rules"]["ANR015"] != UNKNOWN              # carry-over judged against 2022
    assert any("三是" in r["message"] for c in data["checks"] if c["rule"] == "ANR022" for r in c["results"])


# ------------------------------------------------------------------ item 8: the portal's own 年报 column
COLUMN = "http://127.0.0.1/zwgk/xxgknb/index.html"


def _page(n: int, title: str, text: str, published: str = "2025-02-10") -> PageRecord:
    return PageRecord(url=f"http://127.0.0.1/zwgk/xxgknb/t{n}.html", column_url=COLUMN, title=title, text=text,
                      published=dt.date.fromisoformat(published), kind="article")


def _snapshot(pages, attachments=()) -> Snapshot:
    return Snapshot("某县人民政府", "http://127.0.0.1/", dt.date(2025, 6, 1),
                    columns_=[ColumnRecord(url=COLUMN, name="政府信息公开年报", type="信息公开年报")],
                    pages_=list(pages), attachments_=list(attachments))


TITLE = "某县人民政府2024年政府信息公开工作年度报告"


def test_portal_column_reports_judged_and_only_faults_become_findings():
    faulty = clean_report().replace("二是基层公开有待加强", "三是基层公开有待加强")
    notice = _page(3, "关于报送2024年度政府信息公开工作年度报告的通知", "请各单位于1月15日前报送年度报告。")
    attached = _page(4, "某县教育体育局2023年政府信息公开工作年度报告", "详见附件。", "2024-01-20")
    pdf = AttachmentRecord(url="http://127.0.0.1/zwgk/xxgknb/2023.pdf", page_url=attached.url, filename="2023.pdf",
                           media_type="pdf", segments=[TextSegment("p.1", clean_report().replace("2024", "2023"))])
    snap = _snapshot([_page(1, TITLE, clean_report()), _page(2, TITLE.replace("人民政府", "财政局"), faulty),
                      notice, attached], [pdf])
    findings = portal_findings(snap)
    assert {f.url for f in findings} == {"http://127.0.0.1/zwgk/xxgknb/t2.html"}
    assert [f.rule for f in findings] == ["ANR022"] or {f.rule for f in findings} <= {"ANR022", "ANR041"}
    numbering = next(f for f in findings if f.rule == "ANR022")
    assert numbering.kind == "annual_report" and "三是" in numbering.message and numbering.basis
    assert numbering.column["type"] == "信息公开年报"


def test_portal_report_read_from_its_attachment_and_history_kept():
    faulty = clean_report().replace("二是基层公开有待加强", "三是基层公开有待加强")
    page = _page(1, TITLE, "详见附件。")
    doc = AttachmentRecord(url="http://127.0.0.1/zwgk/xxgknb/2024.docx", page_url=page.url, filename="年报.docx",
                           media_type="docx", segments=[TextSegment("para 1", faulty)])
    snap = _snapshot([page], [doc])
    first = CheckResult()
    join_portal_reports(snap, first, [])
    assert [f.url for f in first.findings] == [doc.url] and first.findings[0].status == "new"
    gone = Finding(id="0" * 16, rule="ANR023", kind="annual_report", severity="minor", title="t", confidence=1.0,
                   column=None, url=page.url, message="m", remediation="r", basis="b")
    second = CheckResult(resolved=[gone])          # what the engine made of last run's annual findings
    join_portal_reports(snap, second, first.findings + [gone])
    assert [f.status for f in second.findings] == ["persisting"]
    assert [f.id for f in second.resolved] == [gone.id] and second.resolved[0].status == "resolved"


def test_governments_of_different_places_are_not_added_up(tmp_path):
    # 平潭 2022 and 云县 2022 are two governments' reports: no department report to add, so no comparison at all
    reports = tmp_path / "two_counties"
    for name in (PINGTAN[2022], "report_yunxian_2022.txt"):
        _write(reports, name, reference_file("samples", name).read_text(encoding="utf-8"))
    out = tmp_path / "out"
    main(["annual-report", "--reports", str(reports), "--out", str(out)])
    cross = list(load_workbook(out / "汇总表.xlsx")["跨报告核对"].iter_rows(min_row=2, values_only=True))
    assert [r for r in cross if r[1] == "汇总数与各报告之和"] == []

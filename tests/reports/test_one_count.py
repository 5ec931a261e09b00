"""One count, one truth: the CLI, its JSON, the batch summary, the province summary and every report file
count the same run the same way (reports/tally.py), with the veto as a verdict and 待核实 apart."""

import json
import re
from pathlib import Path

from conftest import SITE, col, finding, make_findings, make_resolved, make_snapshot
from lxml import html as lxml_html
from openpyxl import load_workbook

from govaudit import audit
from reports.json_report import render_json
from reports.model import build_report_model
from reports.render import render_all
from reports.summary import HEADERS, summary_rows
from reports.tally import tally


def _findings():
    """The fixture run plus what the demo showed miscounted: a veto summary naming its columns (so 部门动态 is a
    veto-related problem), a second veto sub-item of the same indicator, a suspected fake date (待核实)."""
    return make_findings() + [
        finding("f-veto-2", "veto", "veto", None, f"{SITE}/", rule="UPD012", title="栏目不更新（空白栏目5个以上）",
                observed={"columns": ["部门动态", "规划计划"]}),
        finding("f-future", "future_date", "major", col("通知公告", "/tzgg/"), f"{SITE}/tzgg/f.html", rule="UPD006",
                needs_review=True, observed={"published": "2023-02-20", "page_title": "通知"}),
    ]


def _result(tmp_path: Path, files=()) -> audit.AuditResult:
    findings = _findings()
    return audit.AuditResult(site_url=SITE, run_id=7, crawl_status="complete", stats={"pages": 12},
                             findings=[f for f in findings if f.status in ("new", "persisting")],
                             resolved=make_resolved(), files=list(files), status="完整", previous_run_id=6)


def test_every_output_counts_the_same(tmp_path):
    model = build_report_model(make_snapshot(), _findings(), resolved=make_resolved())
    counts = model.counts
    # The model: problems are the 整改清单's confirmed rows; the veto summaries are not among them.
    confirmed = [r for r in model.rows if not r.needs_review]
    assert counts["total"] == len(confirmed) == 4
    assert counts["by_severity"] == {"veto": 2, "major": 2, "minor": 0}          # 部门动态, 规划计划 behind the veto
    assert counts["by_severity"]["veto"] == sum(1 for r in confirmed if r.severity == "veto")
    assert counts["needs_review"] == sum(1 for r in model.rows if r.needs_review) == 2
    assert model.verdict.triggered == ["栏目不更新"] and model.verdict.pending == ["存在弄虚作假行为"]

    result = _result(tmp_path)
    text = audit.summarise(result)
    assert "待整改问题 4 项（单项否决相关 2 项，重要 2 项，一般 0 项），另有待核实 2 项（核实前不计入）" in text
    assert "单项否决判定：不合格（栏目不更新）" in text
    assert "发现问题" not in text and "单项否决：" not in text.split("判定")[0]
    kinds = dict(re.findall(r"^    (\S+)：(\d+) 项$", text, re.M))
    assert sum(int(n) for n in kinds.values()) == 4 and "单项否决" not in kinds

    as_json = json.loads(audit.summarise(result, fmt="json"))
    assert as_json["findings"] == counts["total"] and as_json["by_severity"] == counts["by_severity"]
    assert as_json["by_kind"] == counts["by_kind"] and as_json["needs_review"] == counts["needs_review"]
    assert as_json["veto"] == {"passed": False, "triggered": ["栏目不更新"], "pending": ["存在弄虚作假行为"]}

    document = json.loads(render_json(model))["summary"]
    assert (document["total"], document["by_severity"], document["needs_review"]) == \
        (as_json["findings"], as_json["by_severity"], as_json["needs_review"])

    many = audit.summarise_many([result], tmp_path)
    assert f"{SITE}：待整改问题 4 项，待核实 2 项，单项否决判定：不合格（栏目不更新）" in many

    row = dict(zip(HEADERS, summary_rows([result])[0]))
    assert (row["待整改问题"], row["单项否决相关"], row["重要"], row["一般"], row["待核实"]) == (4, 2, 2, 0, 2)
    assert row["单项否决结论"] == "不合格"
    assert sum(row[label] for label in HEADERS if label in ("泄露个人信息", "栏目更新不及时", "空白栏目")) == 4


def test_report_files_show_the_same_counts(tmp_path):
    render_all(make_snapshot(), [f.to_dict() for f in _findings()], tmp_path)
    tree = lxml_html.fromstring((tmp_path / "report.html").read_text(encoding="utf-8"))
    cards = [c.text_content() for c in tree.xpath("//section[@id='counts']//div[contains(concat(' ', @class, ' '), ' card ')]")]
    assert cards[:5] == ["4待整改问题", "2单项否决相关", "2重要", "0一般", "2待核实（不计入）"]
    summary = load_workbook(tmp_path / "rectification.xlsx")["汇总"]
    total_row = next(r for r in summary.iter_rows(values_only=True) if r[0] == "合计")
    assert total_row[1:5] == (2, 2, 0, 4)
    assert "另有2个问题标注「待核实」" in str(summary["A4"].value)
    md = (tmp_path / "report.md").read_text(encoding="utf-8")
    annex, review = md.split("## 附件1")[1].split("## 附件3")[0].split("## 附件2")

    def rows(text: str) -> list:
        return [line.split(" | ") for line in text.splitlines() if re.match(r"\| \d+ \|", line)]

    assert len(rows(annex)) == 4 and len(rows(review)) == 2                # 待核实 listed apart, never counted
    assert review.startswith(" 待核实事项（2项，核实前不计入问题数）")


def test_stored_dicts_and_objects_count_alike_and_closed_findings_do_not_count():
    findings = _findings()
    assert tally(f.to_dict() for f in findings).as_dict() == tally(findings).as_dict()
    closed = [finding("x", "veto", "veto", status="resolved"), finding("y", "personal_data", "major", status="waived")]
    nothing = tally(closed)
    assert nothing.total == 0 and nothing.needs_review == 0 and nothing.verdict.passed
    assert tally([]).sentence() == "待整改问题 0 项（单项否决相关 0 项，重要 0 项，一般 0 项）；单项否决判定：合格"


def test_every_file_numbers_and_lists_the_same_rows(tmp_path):
    """The 整改清单's numbers in the docx annex and report.html; 待核实 ones 1, 2 … in their own list everywhere."""
    from docx import Document

    render_all(make_snapshot(), [f.to_dict() for f in _findings()], tmp_path)
    book = load_workbook(tmp_path / "rectification.xlsx")

    def numbers(sheet) -> list[str]:
        return [str(r[0]) for r in book[sheet].iter_rows(min_row=2, values_only=True) if r[0] is not None]

    counted, review = numbers("整改清单"), numbers("待核实事项")
    assert review == ["1", "2"] and len(counted) == 4
    annex, review_annex = Document(str(tmp_path / "report.docx")).tables[-3:-1]
    assert sorted(r.cells[0].text for r in annex.rows[1:]) == sorted(counted)
    assert sorted(r.cells[0].text for r in review_annex.rows[1:]) == review
    tree = lxml_html.fromstring((tmp_path / "report.html").read_text(encoding="utf-8"))
    assert [r.xpath("td")[0].text for r in tree.xpath("//tr[contains(@class,'review-item')]")] == review
    shown = [r.xpath("td")[0].text for r in tree.xpath("//tr[contains(@class,'finding')]")]
    assert sorted(n for n in shown if n != "—") == sorted(counted)          # a waived finding is shown unnumbered

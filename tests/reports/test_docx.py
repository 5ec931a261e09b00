"""report.docx read back with python-docx: page setup, fonts, sizes, spacing, headings, page numbers."""

import docx
import pytest
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Pt

from reports.docx_report import document_text, write_docx


@pytest.fixture
def document(model, tmp_path):
    return docx.Document(str(write_docx(model, tmp_path / "report.docx")))


def east_asia(style) -> str:
    return style.element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia"))


def test_page_setup_gbt_9704(document):
    s = document.sections[0]
    assert round(s.page_width.mm) == 210 and round(s.page_height.mm) == 297
    assert (round(s.top_margin.mm), round(s.bottom_margin.mm)) == (37, 35)
    assert (round(s.left_margin.mm), round(s.right_margin.mm)) == (28, 26)


def test_body_font_and_spacing(document):
    normal = document.styles["Normal"]
    assert east_asia(normal) == "仿宋_GB2312"
    assert normal.font.size == Pt(16)
    fmt = normal.paragraph_format
    assert fmt.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    assert Pt(28) <= fmt.line_spacing <= Pt(29)
    assert fmt.first_line_indent == Pt(32)


def test_heading_fonts_and_text(document):
    h1, h2 = document.styles["Heading 1"], document.styles["Heading 2"]
    assert east_asia(h1) == "黑体" and east_asia(h2) == "楷体_GB2312"
    assert h1.font.size == Pt(16) and h2.font.size == Pt(16)
    fonts = h1.element.rPr.find(qn("w:rFonts"))
    assert not [a for a in fonts.attrib if a.lower().endswith("theme")]
    heads = [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")]
    # 一、（一） numbering from the top: the verdict, what changed since the last run (the model has earlier runs),
    # then the problems; the annexes numbered in order.
    assert heads[:5] == [("Heading 1", "一、单项否决指标判定"), ("Heading 1", "二、与上次检查相比的变化"),
                         ("Heading 1", "三、存在的主要问题及改进情况"),
                         ("Heading 2", "（一）存在的主要问题"), ("Heading 2", "（二）改进情况")]
    assert [t for _, t in heads[5:]] == ["附件1", "附件2", "附件3"]


def test_a_first_run_has_no_changes_section(model, tmp_path):
    model.changes = None
    document = docx.Document(str(write_docx(model, tmp_path / "first.docx")))
    heads = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert heads[:2] == ["一、单项否决指标判定", "二、存在的主要问题及改进情况"]


def test_section_five_text_and_appendices(document, model):
    texts = [p.text for p in document.paragraphs]
    assert model.section5.problems[0] in texts and model.section5.improvements[0] in texts
    findings_table, review_table, s1_table = document.tables
    assert [c.text for c in findings_table.rows[0].cells] == ["序号", "责任单位", "问题及位置", "证据（已脱敏）", "整改要求",
                                                              "整改时限"]
    counted = [r for r in model.rows if not r.needs_review]
    assert sorted(int(row.cells[0].text) for row in findings_table.rows[1:]) == [r.seq for r in counted]
    review = [r for r in model.rows if r.needs_review]                   # numbered in their own list, as on the sheet
    assert [row.cells[0].text for row in review_table.rows[1:]] == [str(i) for i in range(1, len(review) + 1)]
    note = review_table._tbl.getprevious()                               # the note above the table, not after it
    assert "须由责任单位人工核实" in "".join(t.text for t in note.iter(qn("w:t")))
    evidence = {row.cells[0].text: row.cells[3].text for row in findings_table.rows[1:]}
    pii = next(r for r in model.rows if r.finding_id == "f-pii-1")
    assert "*" in evidence[str(pii.seq)]
    assert document.sections[1].orientation == WD_ORIENT.LANDSCAPE          # the annex prints landscape
    assert document.core_properties.language == "zh-CN" and document.core_properties.created.year == 2023
    assert "python-docx" not in (document.core_properties.author + document.core_properties.last_modified_by)
    assert s1_table.rows[-1].cells[3].text == "9"


def test_page_number_field_and_font_fallbacks(document):
    footer = document.sections[0].footer.paragraphs[0]
    assert "PAGE" in footer._p.xml and footer.text.startswith("—")
    table = next(r.target_part for r in document.part.rels.values() if r.reltype.endswith("/fontTable"))
    xml = table.blob.decode("utf-8")
    assert 'w:name="仿宋_GB2312"' in xml and '<w:altName w:val="仿宋"/>' in xml


def test_document_text_includes_tables(document):
    text = document_text(document)
    assert "「部门动态」" in text and "合计" in text


def _rows_xml(table) -> list:
    return table._tbl.findall(qn("w:tr"))


def test_tables_keep_rows_whole_and_repeat_their_header(document):
    for table in document.tables:
        rows = _rows_xml(table)
        assert rows[0].find(qn("w:trPr")).find(qn("w:tblHeader")) is not None
        assert all(r.find(qn("w:trPr")).find(qn("w:cantSplit")) is not None for r in rows)
        assert table._tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
        styles = {p.style.name for row in table.rows for cell in row.cells for p in cell.paragraphs}
        assert styles == {"表格文字"}
    cell_style = document.styles["表格文字"]
    assert cell_style.font.size == Pt(10.5) and cell_style.paragraph_format.first_line_indent == Pt(0)
    assert cell_style.paragraph_format.line_spacing == Pt(14)


def test_annex_rows_name_the_column_once_link_the_page_and_say_what_to_do(document, model):
    findings_table = document.tables[0]
    links = {document.part.rels[h.get(qn("r:id"))].target_ref
             for h in findings_table._tbl.iter(qn("w:hyperlink"))}
    counted = {str(r.seq): r for r in model.rows if not r.needs_review}
    assert links == {r.url for r in counted.values() if r.url}
    for row in findings_table.rows[1:]:
        r = counted[row.cells[0].text]
        problem = row.cells[2].text
        assert problem.count(f"「{r.column}」") == 1, problem
        assert row.cells[4].text == r.remediation
        assert ("位置：" + r.url) in problem


def test_verdict_block_states_one_count(model, tmp_path):
    """The 19号 item table under the overall sentence; the item block's own count (a different unit) is not
    printed beside the overall one, so the report never gives two numbers of 单项否决 items."""
    from reports.verdict import ItemVerdict, VetoVerdict

    items = [ItemVerdict("栏目不更新", "栏目不更新", "failed", "发现2项：栏目不更新（空白栏目5个以上）", findings=2),
             ItemVerdict("服务不实用", "服务不实用", "unjudged", "本工具不作判定")]
    deductions = [ItemVerdict("错别字", "错别字", "failed", "发现1项：存在错别字", findings=1),
                  ItemVerdict("政策文件6个月未更新", "x", "failed", "发现2项", findings=2, points=5, deducted=10)]
    model.veto_items = VetoVerdict(items, deductions, "不合格", "本次自查发现单项否决情形9项（测试）")
    doc = docx.Document(str(write_docx(model, tmp_path / "report.docx")))
    text = document_text(doc)
    assert "单项否决情形9项" not in text
    lead = "本次自查发现单项否决情形1类：「栏目不更新」，涉及国办秘函〔2019〕19号单项否决指标1项（「栏目不更新」）。"
    assert text.count(lead) == 1 and "单项否决指标1项：" not in text         # tally's count, restated once
    veto, deducted = doc.tables[0], doc.tables[1]
    assert [c.text for c in veto.rows[0].cells] == ["指标", "判定", "说明"]
    assert [[c.text for c in r.cells] for r in veto.rows[1:]] == [
        ["栏目不更新", "单项否决", "发现2项：栏目不更新（空白栏目5个以上）"], ["服务不实用", "无法判断", "本工具不作判定"]]
    assert [r.cells[2].text for r in deducted.rows[1:]] == ["发现1项：存在错别字（19号分值未见原文，未计分）",
                                                            "发现2项（每项扣5分，计10分）"]


def test_no_review_annex_when_nothing_awaits_review(tmp_path):
    from conftest import make_findings, make_snapshot

    from reports.model import build_report_model

    findings = [f for f in make_findings() if not f.needs_review]
    for f in findings:
        if f.id == "f-pii-2":
            f.url, f.column = None, None                  # a problem with no page or column: no 位置 line, no link
    model = build_report_model(make_snapshot(), findings)
    doc = docx.Document(str(write_docx(model, tmp_path / "report.docx")))
    heads = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert heads[2:] == ["附件1", "附件2"]
    titles = [p.text for p in doc.paragraphs if p.style.name == "Title"]
    assert not [t for t in titles if "待核实" in t] and len(doc.tables) == 2
    row = next(r for r in model.rows if r.finding_id == "f-pii-2")
    cell = next(r.cells[2] for r in doc.tables[0].rows if r.cells[0].text == str(row.seq))
    assert row.url == "" and "位置" not in cell.text and cell.text == row.description

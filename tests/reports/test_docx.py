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
    assert ("Heading 1", "五、存在的主要问题及改进情况") in heads
    assert ("Heading 2", "（一）存在的主要问题") in heads
    assert ("Heading 2", "（二）改进情况") in heads


def test_section_five_text_and_appendices(document, model):
    texts = [p.text for p in document.paragraphs]
    assert model.section5.problems[0] in texts and model.section5.improvements[0] in texts
    findings_table, s1_table = document.tables
    assert [c.text for c in findings_table.rows[0].cells] == ["序号", "责任单位", "栏目与问题", "证据（已脱敏）", "整改时限"]
    assert len(findings_table.rows) == 1 + len(model.rows)
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

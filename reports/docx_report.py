"""report.docx in the GB/T 9704-2012 公文 layout: the 单项否决 verdict, section 五, then the annexes.

The annexes: 问题清单 (counted problems), 待核实事项 (apart, never counted), the 一、总体情况 figures.

A4; margins 37/35/28/26 mm; body 仿宋_GB2312 三号 (16 pt) at a fixed 28 pt line; 一级标题 黑体,
二级标题 楷体_GB2312; page numbers "— N —" in the footer. Fonts missing on the reader's machine fall
back through the font table's altName (仿宋_GB2312 → 仿宋, 楷体_GB2312 → 楷体).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from reports.guard import ReportError, assert_clean
from reports.markdown import IMPROVEMENTS_TITLE, PROBLEMS_TITLE, SECTION_TITLE, list_numbers
from reports.model import ReportModel
from reports.section_five import cn_date
from reports.unexamined import NO_COUNT_SENTENCE, STATUS_NOT_EXAMINED, empty_list_sentence
from reports.verdict_text import verdict_sentence

BODY_FONT = "仿宋_GB2312"
HEADING1_FONT = "黑体"
HEADING2_FONT = "楷体_GB2312"
TITLE_FONT = "方正小标宋简体"
FALLBACKS = {"仿宋_GB2312": "仿宋", "楷体_GB2312": "楷体", "方正小标宋简体": "宋体"}
BODY_SIZE = Pt(16)                            # 三号
TITLE_SIZE = Pt(22)                           # 二号
TABLE_SIZE = Pt(10.5)                         # 五号, so a 6-column table fits the type area
TABLE_LINE = Pt(14)                           # fixed: a CJK font's "single" line is 1.3-1.5 em, and varies by font
AFTER_TABLE = Pt(8)                           # a paragraph after a table does not touch its bottom rule
LINE = Pt(28)                                 # 22 lines per page on a 225 mm type area
MARGINS = {"top": 37, "bottom": 35, "left": 28, "right": 26}


def set_font(target, name: str, size=None, bold: bool | None = None) -> None:
    """Set a style's or run's font for Latin and East Asian text alike (theme fonts removed)."""
    target.font.name = name
    if size is not None:
        target.font.size = size
    if bold is not None:
        target.font.bold = bold
    rpr = target.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in list(fonts.attrib):
        if attr.lower().endswith("theme"):
            del fonts.attrib[attr]
    for key in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(key), name)


def _style(doc, name: str, font: str, size, bold: bool = False, indent: bool = False, align=None):
    style = doc.styles[name]
    set_font(style, font, size, bold)
    style.font.color.rgb = RGBColor(0, 0, 0)
    fmt = style.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = LINE
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    fmt.first_line_indent = Pt(32) if indent else Pt(0)
    fmt.keep_with_next = name.startswith("Heading")
    if align is not None:
        fmt.alignment = align
    return style


def _font_fallbacks(doc) -> None:
    """Declare altName fallbacks in word/fontTable.xml so Word substitutes 仿宋 for a missing 仿宋_GB2312."""
    for rel in doc.part.rels.values():
        if not rel.reltype.endswith("/fontTable"):
            continue
        part = rel.target_part
        xml = part.blob.decode("utf-8")
        close = xml.rfind("</w:fonts>")
        extra = "".join(f'<w:font w:name="{n}"><w:altName w:val="{alt}"/><w:charset w:val="86"/>'
                        f'<w:family w:val="modern"/><w:pitch w:val="fixed"/></w:font>'
                        for n, alt in FALLBACKS.items() if f'w:name="{n}"' not in xml)
        part._blob = (xml[:close] + extra + xml[close:]).encode("utf-8")


def _page_number(section) -> None:
    """Footer '— N —' with a PAGE field, 宋体 四号, centred (GB/T 9704 7.5)."""
    para = section.footer.paragraphs[0]
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER

    def run(text: str | None = None):
        r = para.add_run(text or "")
        set_font(r, "宋体", Pt(14))
        return r

    run("— ")
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        r = run()
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        elif text.strip() == "PAGE":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        else:
            element = OxmlElement("w:t")
            element.text = text
        r._r.append(element)
    run(" —")


def _table_style(doc):
    """A paragraph style for table cells: 五号 on a fixed 14 pt line, no indent (set once, not per run)."""
    name = "表格文字"
    if name in [s.name for s in doc.styles]:
        return doc.styles[name]
    style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = doc.styles["Normal"]
    set_font(style, BODY_FONT, TABLE_SIZE)
    fmt = style.paragraph_format
    fmt.first_line_indent = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = TABLE_LINE
    fmt.alignment = WD_ALIGN_PARAGRAPH.LEFT
    return style


def _run_xml(text: str, bold: bool = False, link: bool = False):
    r, t = OxmlElement("w:r"), OxmlElement("w:t")
    if bold or link:
        rpr = OxmlElement("w:rPr")
        if bold:
            rpr.append(OxmlElement("w:b"))
        if link:
            color, underline = OxmlElement("w:color"), OxmlElement("w:u")
            color.set(qn("w:val"), "0563C1")
            underline.set(qn("w:val"), "single")
            rpr.extend([color, underline])
        r.append(rpr)
    t.text = text
    t.set(qn("xml:space"), "preserve")
    r.append(t)
    return r


# A cell is one or more paragraphs; a paragraph is a string, or a (label, url) pair printed as "label" + a link
# the reader can click in Word or WPS (the address itself is the link text, so a printed copy still shows it).
Paragraph = str | tuple[str, str]


def _cell_xml(content: Paragraph | list[Paragraph], style_id: str, bold: bool = False,
              width_mm: float | None = None, part=None):
    tc = OxmlElement("w:tc")
    if width_mm:
        tcpr, tcw = OxmlElement("w:tcPr"), OxmlElement("w:tcW")
        tcw.set(qn("w:w"), str(int(width_mm * 56.7)))          # twentieths of a point
        tcw.set(qn("w:type"), "dxa")
        tcpr.append(tcw)
        tc.append(tcpr)
    for item in content if isinstance(content, list) else [content]:
        p, ppr, pstyle = OxmlElement("w:p"), OxmlElement("w:pPr"), OxmlElement("w:pStyle")
        pstyle.set(qn("w:val"), style_id)
        ppr.append(pstyle)
        p.append(ppr)
        if isinstance(item, tuple):
            label, url = item
            if label:
                p.append(_run_xml(label, bold))
            if part is not None and url.startswith(("http://", "https://")):
                link = OxmlElement("w:hyperlink")
                link.set(qn("r:id"), part.relate_to(url, RT.HYPERLINK, is_external=True))
                link.append(_run_xml(url, link=True))
                p.append(link)
            else:
                p.append(_run_xml(url))
        else:
            p.append(_run_xml(str(item), bold))
        tc.append(p)
    return tc


def _fixed_widths(table, widths_mm: list[float]) -> None:
    """Column widths fixed in the grid and the table properties (Word and LibreOffice both honour them)."""
    tbl = table._tbl
    for col, width in zip(tbl.tblGrid.findall(qn("w:gridCol")), widths_mm):
        col.set(qn("w:w"), str(int(width * 56.7)))
    tblpr = tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tblpr.append(layout)
    tblw = tblpr.find(qn("w:tblW"))
    if tblw is None:
        tblw = OxmlElement("w:tblW")
        tblpr.append(tblw)
    tblw.set(qn("w:w"), str(int(sum(widths_mm) * 56.7)))
    tblw.set(qn("w:type"), "dxa")


def _table(doc, header: list[str], rows: list[list], widths_mm: list[float] | None = None):
    """A 'Table Grid' table in 五号 with fixed widths; the header repeats on each page and no row splits across
    pages. Rows are appended as XML (python-docx's row.cells is quadratic in rows)."""
    style_id = _table_style(doc).style_id
    table = doc.add_table(rows=0, cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    if widths_mm:
        _fixed_widths(table, widths_mm)
    widths = widths_mm or [None] * len(header)
    tbl = table._tbl
    for i, values in enumerate([header, *rows]):
        tr = OxmlElement("w:tr")
        trpr = OxmlElement("w:trPr")
        trpr.append(OxmlElement("w:cantSplit"))
        if i == 0:
            trpr.append(OxmlElement("w:tblHeader"))
        tr.append(trpr)
        for content, width in zip(values, widths):
            tr.append(_cell_xml(content if isinstance(content, (list, tuple)) else str(content), style_id,
                                bold=i == 0, width_mm=width, part=doc.part))
        tbl.append(tr)
    return table


def _body(doc, text: str) -> None:
    """A body paragraph; the lead clause of each 一是……。 is not styled (公文 keeps one font per paragraph)."""
    doc.add_paragraph(text, style="Normal")


def build_document(model: ReportModel):
    """The python-docx Document for `model` (not yet saved)."""
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(MARGINS["top"]), Mm(MARGINS["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS["left"]), Mm(MARGINS["right"])
    section.footer_distance = Mm(28 - 7)      # page number sits 7 mm below the type area
    _style(doc, "Normal", BODY_FONT, BODY_SIZE, indent=True, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    _style(doc, "Title", TITLE_FONT, TITLE_SIZE, align=WD_ALIGN_PARAGRAPH.CENTER)
    _style(doc, "Heading 1", HEADING1_FONT, BODY_SIZE, indent=True)
    _style(doc, "Heading 2", HEADING2_FONT, BODY_SIZE, indent=True)
    title_style = doc.styles["Title"]
    title_style.paragraph_format.line_spacing = Pt(36)
    border = title_style.element.pPr.find(qn("w:pBdr"))
    if border is not None:
        title_style.element.pPr.remove(border)
    _font_fallbacks(doc)
    _page_number(section)

    doc.add_paragraph(f"{model.site_name}网站自查报告", style="Title")
    for line in (f"检查日期：{cn_date(model.as_of)}", f"检查对象：{model.site_url}"):
        meta = doc.add_paragraph(line)
        meta.paragraph_format.first_line_indent = Pt(0)
        meta.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if model.headline:
        _body(doc, model.headline)
    doc.add_paragraph(VERDICT_TITLE, style="Heading 1")
    _body(doc, verdict_sentence(model))
    if getattr(model, "veto_items", None) is not None:
        _veto_tables(doc, model.veto_items)
    from reports.changes import change_groups, change_sentence
    body_title = BODY_SECTION_TITLE
    if model.changes is not None:
        doc.add_paragraph(CHANGES_TITLE, style="Heading 1").paragraph_format.space_before = AFTER_TABLE
        _body(doc, change_sentence(model))
        for number, group in enumerate(change_groups(model), 1):
            _body(doc, f"（{CN_NUMBERS[number]}）{group.title}（{len(group.lines)}项）。{group.note}")
            for i, line in enumerate(group.lines, 1):
                _body(doc, f"{i}. {line}")
        body_title = "三、" + SECTION_TITLE.split("、", 1)[1]
    doc.add_paragraph(body_title, style="Heading 1").paragraph_format.space_before = AFTER_TABLE
    doc.add_paragraph(PROBLEMS_TITLE, style="Heading 2")
    for text in model.section5.problems:
        _body(doc, text)
    doc.add_paragraph(IMPROVEMENTS_TITLE, style="Heading 2")
    for text in model.section5.improvements:
        _body(doc, text)

    annexes = iter(range(1, 10))
    counted = [r for r in model.rows if not r.needs_review]
    review = [r for r in model.rows if r.needs_review]
    annex = _annex_heading(doc, next(annexes), "问题清单（按责任单位，个人信息已脱敏）", landscape=True)
    # The notes go above each table: read first, and never left alone on a page after the last row.
    if counted:
        _note(doc, "序号与整改清单（rectification.xlsx）一致。" + (model.deadline_note or ""))
        _table(doc, ANNEX_HEADER, annex_rows(model, counted), _annex_widths(annex))
    else:
        _body(doc, empty_list_sentence(model))
    if review:
        annex = _annex_heading(doc, next(annexes), "待核实事项清单（核实前不计入问题数）", landscape=True)
        _note(doc, f"以下{len(review)}项为检查中发现的疑似情形，须由责任单位人工核实：核实属实的，按整改要求在时限内"
                   "整改并计入问题数；核实不属实的，注明理由后销项。")
        _table(doc, REVIEW_HEADER, annex_rows(model, review), _annex_widths(annex))
    s1 = model.section_one
    _annex_heading(doc, next(annexes), f"“一、总体情况”数据草表（{s1.year}年）", landscape=False)
    if model.status == STATUS_NOT_EXAMINED:
        _body(doc, NO_COUNT_SENTENCE)
    else:
        _body(doc, f"{s1.year}年，经对各栏目抓取统计，共发布政府信息{s1.total}条，其中政策解读{s1.policy_interpretations}条"
              + (f"（另有{s1.undated}条信息未能识别发布日期，未计入）。" if s1.undated else "。"))
    if model.status != STATUS_NOT_EXAMINED:
        _table(doc, ["序号", "栏目", "栏目类型", "本年发布条数"],
               [[str(i), r["column"], r["type"] or "—", str(r["items"])] for i, r in enumerate(s1.rows, 1)]
               + [["", "合计", "", str(s1.total)]], [18, 70, 38, 30])
    if model.scope:
        from reports.scope import scope_lines
        _annex_heading(doc, next(annexes), "检查范围说明", landscape=False)
        _note(doc, "以下内容本次未作判定，不计入问题统计。")
        for line in scope_lines(model.scope):
            _body(doc, line)
    from reports.completeness import plain_lines
    checked = plain_lines(model)
    if checked:
        _annex_heading(doc, next(annexes), "检查异常", landscape=False)
        for line in checked:
            _body(doc, line)
    _core_properties(doc, model)
    return doc


VERDICT_TITLE = "一、单项否决指标判定"
BODY_SECTION_TITLE = "二、" + SECTION_TITLE.split("、", 1)[1]
CHANGES_TITLE = "二、与上次检查相比的变化"
CN_NUMBERS = "〇一二三四五六七八九十"
# The 19号 verdict tables on portrait A4 (156 mm type area): 指标, 判定, 说明.
VERDICT_HEADER = ["指标", "判定", "说明"]
VERDICT_WIDTHS = [46, 22, 88]
DEDUCTION_LABELS = {"failed": "扣分", "passed": "未发现", "pending": "待核实", "unjudged": "无法判断"}


def _veto_tables(doc, verdict) -> None:
    """Each 单项否决 item of 国办秘函〔2019〕19号 and each 扣分 item the tool judges, one row apiece.

    The overall sentence above gives the counts (reports/verdict_text.py); this block says only how each item was
    judged, so the report never states two different numbers of 单项否决 items.
    """
    _body(doc, "对照国办秘函〔2019〕19号，单项否决指标逐项判定如下（「待核实」的情形核实前不作判定，「无法判断」的指标须人工核查）：")
    _table(doc, VERDICT_HEADER, [[i.name, i.status_label, i.reason] for i in verdict.items], VERDICT_WIDTHS)
    if verdict.deductions:
        doc.add_paragraph("本工具可判断的扣分指标判定如下：").paragraph_format.space_before = AFTER_TABLE
        rows = []
        for item in verdict.deductions:
            points = (f"（每项扣{item.points:g}分，计{item.deducted:g}分）" if item.deducted
                      else "（19号分值未见原文，未计分）" if item.status == "failed" else "")
            rows.append([item.name, DEDUCTION_LABELS[item.status], item.reason + points])
        _table(doc, VERDICT_HEADER, rows, VERDICT_WIDTHS)


def _note(doc, text: str) -> None:
    """A note in the table font, set off from the table below it."""
    doc.add_paragraph(text, style=_table_style(doc)).paragraph_format.space_after = Pt(4)


def _annex_heading(doc, number: int, title: str, landscape: bool):
    """A new page section for 附件N: the label 黑体 flush left, the title centred."""
    section = _new_section(doc, landscape=landscape)
    doc.add_paragraph(f"附件{number}", style="Heading 1").paragraph_format.first_line_indent = Pt(0)
    doc.add_paragraph(title, style="Title")
    return section


def _annex_widths(section) -> list[float]:
    usable = (section.page_width - section.left_margin - section.right_margin) / Mm(1)
    return [w * usable / sum(ANNEX_WIDTHS) for w in ANNEX_WIDTHS]


# The annexes on landscape A4: what is wrong and where (a link), the proof, what to do and by when.
ANNEX_HEADER = ["序号", "责任单位", "问题及位置", "证据（已脱敏）", "整改要求", "整改时限"]
REVIEW_HEADER = ["序号", "责任单位", "疑似问题及位置", "证据（已脱敏）", "核实及整改要求", "时限"]
ANNEX_WIDTHS = [12, 24, 72, 54, 54, 29]


def problem_text(row) -> str:
    """栏目与问题 without saying the column twice: the column is named only when the description does not."""
    if row.column and f"「{row.column}」" not in row.description:
        return f"「{row.column}」栏目：{row.description}"
    return row.description


def annex_rows(model: ReportModel, rows=None) -> list[list]:
    """The annex sorted by 责任单位 (same numbers as the 整改清单), a unit's problems together."""
    rows = model.rows if rows is None else rows
    order: dict[str, int] = {}
    for r in model.rows:
        order.setdefault(r.department, len(order))
    number = list_numbers(model)
    out: list[list] = []
    for r in sorted(rows, key=lambda r: (r.department_source == "unknown", order[r.department], r.seq)):
        unit = r.department if r.department_source != "unknown" else f"未能识别（{r.department_reason}）"
        problem: list = [problem_text(r)]
        if r.url:
            problem.append(("位置：", r.url))
        due = (f"{_short(r.deadline)}前撤下；{_short(r.report_back)}前报送" if r.report_back
               else f"{_short(r.deadline)}前")
        out.append([str(number[r.finding_id]), unit, problem, r.evidence or "—", r.remediation or "—", due])
    return out


def _short(day) -> str:
    return cn_date(day).split("年", 1)[-1] if day else ""


def _new_section(doc, landscape: bool):
    """A new page section, A4 in the given orientation, with the 公文 margins and the footer carried over."""
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (Mm(297), Mm(210)) if landscape else (Mm(210), Mm(297))
    if landscape:
        section.top_margin, section.bottom_margin = Mm(20), Mm(20)
        section.left_margin, section.right_margin = Mm(25), Mm(20)
        section.footer_distance = Mm(10)
    else:
        section.top_margin, section.bottom_margin = Mm(MARGINS["top"]), Mm(MARGINS["bottom"])
        section.left_margin, section.right_margin = Mm(MARGINS["left"]), Mm(MARGINS["right"])
        section.footer_distance = Mm(28 - 7)
    return section


def _core_properties(doc, model: ReportModel) -> None:
    """Chinese metadata stamped with the run date (python-docx's template says python-docx, 2013, en-US)."""
    props = doc.core_properties
    stamp = dt.datetime.combine(model.as_of, dt.time(8, 0))
    props.title = f"{model.site_name}网站自查报告"
    props.subject = "政府网站自查及“存在的主要问题及改进情况”"
    props.author = props.last_modified_by = f"{model.site_name}政务公开工作机构"
    props.keywords = "政府网站；自查；整改清单"
    props.comments = f"检查日期：{cn_date(model.as_of)}"
    props.language = "zh-CN"
    props.category = "自查报告"
    props.created = props.modified = stamp
    props.revision = 1
    rpr = doc.styles["Normal"].element.get_or_add_rPr()
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "zh-CN")
    lang.set(qn("w:eastAsia"), "zh-CN")


def document_text(doc) -> str:
    """All visible text (body paragraphs, table cells, footers), one paragraph a line, read from the XML."""
    def paragraphs(root) -> list[str]:
        return ["".join(t.text or "" for t in p.iter(qn("w:t"))) for p in root.iter(qn("w:p"))]

    parts = paragraphs(doc.element.body)
    for section in doc.sections:
        parts.extend(paragraphs(section.footer._element))
    return "\n".join(parts)


def write_docx(model: ReportModel, path: str | Path) -> Path:
    path = Path(path)
    doc = build_document(model)
    assert_clean(document_text(doc), "report.docx")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        doc.save(str(path))
    except OSError as exc:
        raise ReportError(f"无法写入 {path}：{exc}") from exc
    return path

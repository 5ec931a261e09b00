"""report.md: section 五 in the annual-report register, then the findings and section-一 appendices."""

from __future__ import annotations

from pathlib import Path

from reports.guard import assert_clean, write_text
from reports.model import ReportModel
from reports.section_five import cn_date
from reports.section_one import section_one_lines

SECTION_TITLE = "五、存在的主要问题及改进情况"
PROBLEMS_TITLE = "（一）存在的主要问题"
IMPROVEMENTS_TITLE = "（二）改进情况"


def _cell(text: str | None) -> str:
    return (text or "").replace("|", "｜").replace("\n", " ")


def appendix_rows(model: ReportModel) -> list[list[str]]:
    """The findings appendix (masked): one row per rectification row, 待核实 marked as in the xlsx and docx."""
    return [[str(r.seq), r.kind_label + r.review_mark, r.severity_label, r.department or "未能识别", r.column or "—",
             r.review_mark + r.description, r.evidence or "—", cn_date(r.deadline)] for r in model.rows]


APPENDIX_HEADER = ["序号", "问题类型", "严重程度", "责任单位", "所在栏目", "问题描述", "证据（已脱敏）", "整改时限"]


def appendix_notes(model: ReportModel) -> list[str]:
    """What the reader must know under the table: 待核实 rows are not counted; deadlines beyond the calendar."""
    notes = []
    review = sum(1 for r in model.rows if r.needs_review)
    if review:
        notes.append(f"标注「待核实」的{review}个问题需人工核实，核实前不计入问题数。")
    if model.deadline_note:
        notes.append(model.deadline_note)
    return notes


def render_markdown(model: ReportModel) -> str:
    s5 = model.section5
    lines = [f"# {model.site_name}网站自查报告", "",
             f"检查对象：{model.site_name}（{model.site_url}）  ", f"检查日期：{cn_date(model.as_of)}  ",
             f"单项否决：{model.verdict.wording}", ""]
    if model.headline:
        lines += [f"**{model.headline}**", ""]
    lines += [f"## {SECTION_TITLE}", "", f"### {PROBLEMS_TITLE}", ""]
    for para in s5.problems:
        lines += [para, ""]
    lines += [f"### {IMPROVEMENTS_TITLE}", ""]
    for para in s5.improvements:
        lines += [para, ""]
    lines += ["## 附件1 问题清单（个人信息已脱敏）", ""]
    if model.rows:
        lines.append("| " + " | ".join(APPENDIX_HEADER) + " |")
        lines.append("| " + " | ".join("---" for _ in APPENDIX_HEADER) + " |")
        for row in appendix_rows(model):
            lines.append("| " + " | ".join(_cell(c) for c in row) + " |")
        notes = appendix_notes(model)
        if notes:
            lines += [""] + [f"注：{note}" for note in notes]
    else:
        lines.append("本次自查未发现需整改的问题。")
    lines += ["", f"## 附件2 “一、总体情况”数据草表（{model.section_one.year}年）", ""]
    lines += section_one_lines(model)
    from reports.completeness import plain_lines
    checked = plain_lines(model)
    if checked:
        lines += ["", "## 附件3 检查异常（工具未能完成的检查，未计入问题统计）", ""]
        lines += [_cell(line) + "  " for line in checked]
    text = "\n".join(lines).rstrip() + "\n"
    assert_clean(text, "report.md")
    return text


def write_markdown(model: ReportModel, path: str | Path) -> Path:
    return write_text(path, render_markdown(model))

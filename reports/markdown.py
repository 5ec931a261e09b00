"""report.md: section 五 in the annual-report register, then the findings and section-一 appendices."""

from __future__ import annotations

from pathlib import Path

from reports.guard import assert_clean, write_text
from reports.model import ReportModel
from reports.section_five import cn_date
from reports.section_one import section_one_lines
from reports.unexamined import empty_list_sentence
from reports.verdict_text import verdict_sentence

SECTION_TITLE = "五、存在的主要问题及改进情况"
PROBLEMS_TITLE = "（一）存在的主要问题"
IMPROVEMENTS_TITLE = "（二）改进情况"


def _cell(text: str | None) -> str:
    return (text or "").replace("|", "｜").replace("\n", " ")


def list_numbers(model: ReportModel) -> dict[str, int]:
    """序号 as every file prints it: a counted problem keeps its 整改清单 number; the 待核实 ones are numbered
    1, 2 … in their own list (the 待核实事项 sheet, annex and table)."""
    review = [r for r in model.rows if r.needs_review]
    numbers = {r.finding_id: r.seq for r in model.rows if not r.needs_review}
    return numbers | {r.finding_id: i for i, r in enumerate(review, 1)}


def appendix_rows(model: ReportModel, rows=None) -> list[list[str]]:
    """The findings appendix (masked): one row per rectification row, with the page's address."""
    rows = model.rows if rows is None else rows
    number = list_numbers(model)
    return [[str(number[r.finding_id]), r.kind_label, r.severity_label, r.department or "未能识别", r.column or "—",
             r.description, r.url or "—", r.evidence or "—", cn_date(r.deadline)] for r in rows]


APPENDIX_HEADER = ["序号", "问题类型", "严重程度", "责任单位", "所在栏目", "问题描述", "位置", "证据（已脱敏）", "整改时限"]


def appendix_notes(model: ReportModel) -> list[str]:
    """What the reader must know under the table: deadlines beyond the official calendar."""
    return [model.deadline_note] if model.deadline_note else []


def _table(rows: list[list[str]]) -> list[str]:
    return (["| " + " | ".join(APPENDIX_HEADER) + " |", "| " + " | ".join("---" for _ in APPENDIX_HEADER) + " |"]
            + ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows])


def render_markdown(model: ReportModel) -> str:
    s5 = model.section5
    lines = [f"# {model.site_name}网站自查报告", "",
             f"检查对象：{model.site_name}（{model.site_url}）  ", f"检查日期：{cn_date(model.as_of)}  ",
             f"单项否决：{verdict_sentence(model)}", ""]
    if model.headline:
        lines += [f"**{model.headline}**", ""]
    from reports.changes import change_groups, change_sentence
    if model.changes is not None:
        lines += ["## 与上次检查相比的变化", "", change_sentence(model), ""]
        for group in change_groups(model):
            lines += [f"### {group.title}（{len(group.lines)}项）", "", group.note, ""]
            lines += [f"{i}. {_cell(line)}" for i, line in enumerate(group.lines, 1)] + [""]
    lines += [f"## {SECTION_TITLE}", "", f"### {PROBLEMS_TITLE}", ""]
    for para in s5.problems:
        lines += [para, ""]
    lines += [f"### {IMPROVEMENTS_TITLE}", ""]
    for para in s5.improvements:
        lines += [para, ""]
    counted = [r for r in model.rows if not r.needs_review]
    review = [r for r in model.rows if r.needs_review]
    annex = iter(range(1, 10))
    lines += [f"## 附件{next(annex)} 问题清单（个人信息已脱敏）", ""]
    if counted:
        lines += _table(appendix_rows(model, counted))
        notes = appendix_notes(model)
        if notes:
            lines += [""] + [f"注：{note}" for note in notes]
    else:
        lines.append(empty_list_sentence(model))
    if review:
        lines += ["", f"## 附件{next(annex)} 待核实事项（{len(review)}项，核实前不计入问题数）", "",
                  "以下为检查中发现的疑似情形，须由责任单位人工核实：核实属实的，按整改要求在时限内整改并计入问题数；"
                  "核实不属实的，注明理由后销项。", ""]
        lines += _table(appendix_rows(model, review))
    lines += ["", f"## 附件{next(annex)} “一、总体情况”数据草表（{model.section_one.year}年）", ""]
    lines += section_one_lines(model)
    if model.scope:
        from reports.scope import scope_lines
        lines += ["", f"## 附件{next(annex)} 检查范围说明（以下内容未作判定，不计入问题统计）", ""]
        lines += [_cell(line) + "  " for line in scope_lines(model.scope)]
    from reports.completeness import plain_lines
    checked = plain_lines(model)
    if checked:
        lines += ["", f"## 附件{next(annex)} 检查异常（工具未能完成的检查，未计入问题统计）", ""]
        lines += [_cell(line) + "  " for line in checked]
    text = "\n".join(lines).rstrip() + "\n"
    assert_clean(text, "report.md")
    return text


def write_markdown(model: ReportModel, path: str | Path) -> Path:
    return write_text(path, render_markdown(model))

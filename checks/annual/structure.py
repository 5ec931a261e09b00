"""Structure: the six headings in order and correctly numbered; 第五十条's items; the three tables present."""

from __future__ import annotations

import re
from collections.abc import Iterator

from checks.annual.context import ReportContext
from checks.annual.model import FAIL, REVIEW, UNKNOWN, Result
from checks.annual.reader import IMAGE_MARK
from checks.annual.sections import formats


def headings(ctx: ReportContext, rule) -> Iterator[Result]:
    """Each heading of 国办公开办函〔2021〕30号 must be present, in order, with its own numeral."""
    for h in ctx.sections.headings:
        if h.start < 0:
            yield Result(FAIL, f"第{h.number}部分", f"未找到标题「{h.title}」（或其顺序有误）。",
                         observed={"heading": h.title, "problem": "缺失"}, key=f"missing:{h.number}")
        elif h.inexact:
            yield Result(REVIEW, f"第{h.number}部分", f"标题「{h.found_text}」与格式规定的「{h.title}」用字不一致，"
                         "可能是错字，也可能是文字识别误差，请对照原文核实。", evidence=h.found_text,
                         observed={"heading": h.title, "problem": "用字不一致"}, key=f"inexact:{h.number}")
        elif h.found_number != h.number:
            yield Result(FAIL, f"第{h.number}部分", f"标题「{h.found_text}」序号有误，应为「{h.number}、」。",
                         evidence=h.found_text, observed={"heading": h.title, "problem": "序号错误"},
                         key=f"number:{h.number}")


def government_items(ctx: ReportContext, rule) -> Iterator[Result]:
    """第五十条第（四）项: a 人民政府's report also states 工作考核、社会评议和责任追究结果情况.

    Only words are looked for, so an absence goes to review, never to the count.
    """
    if ctx.issuer_level != "county":
        return
    text = ctx.sections.text
    for item in formats()["government_items"]:
        if not any(word in text for word in item["words"]):
            yield Result(REVIEW, "第一部分 总体情况（监督保障）",
                         f"未见{item['item']}的表述（已查找{'、'.join(f'“{w}”' for w in item['words'])}等用语），请核实是否已说明。",
                         observed={"item": item["item"]}, key=item["item"])


def tables_present(ctx: ReportContext, rule) -> Iterator[Result]:
    """The format's three tables, with their rows; a table present but unreadable is 无法判断, not a pass.

    A table not found is a FAIL only where the report visibly gives something else in its place (prose under the
    section heading). A section with nothing under its heading, or with a picture, most often holds the table as an
    image or an attachment the text copy lost (云县 2022): a person has to look, so it goes to review. A section whose
    heading is missing is already ANR001's finding; its table cannot be looked for.
    """
    for table in (ctx.tables.table2, ctx.tables.table3, ctx.tables.table4):
        if not table.found:
            yield _table_not_found(ctx, table)
            continue
        missing = [row.label for row in table.rows.values() if not row.found]
        if missing:
            yield Result(FAIL, table.name, f"{table.name}缺少格式规定的行：{'、'.join(missing)}。",
                         observed={"table": table.name, "rows": missing}, key=f"rows:{table.name}")
        unreadable = [f"「{row.label}」{row.note}" for row in table.rows.values() if row.found and row.note]
        if unreadable:
            yield Result(UNKNOWN, table.name, f"{table.name}部分行无法可靠读取：{'；'.join(unreadable)}。",
                         key=f"unreadable:{table.name}")


MIN_PROSE_CHARS = 20       # Chinese characters under a heading that show the section says something else instead


def _table_not_found(ctx: ReportContext, table) -> Result:
    number = table.name[1:]
    section = f"第{number}部分"
    region = ctx.sections.region(number)
    if region is None:
        return Result(UNKNOWN, table.name, f"未找到{section}标题，无法查找{table.name}。",
                      observed={"table": table.name}, key=f"missing:{table.name}")
    prose = len(re.findall(r"[\u4e00-\u9fff]", region.replace(IMAGE_MARK, "")))
    if IMAGE_MARK in region or prose < MIN_PROSE_CHARS:
        shown = "为图片" if IMAGE_MARK in region else "下无文字内容"
        return Result(REVIEW, table.name, f"{section}标题{shown}，未读到{table.name}；表格可能以图片或附件形式发布，"
                      f"请对照原网页核实{table.name}是否完整。", observed={"table": table.name}, key=f"missing:{table.name}")
    return Result(FAIL, table.name, f"{section}未按格式列出{table.name}（该部分只有文字，未见表格）。",
                  observed={"table": table.name}, key=f"missing:{table.name}")

"""Many reports at once (a county's own, its departments' and towns'): pair each with the same issuer's report of
the year before, and compare across them only what the format makes comparable.

What can be compared, and why:
- A county government's 表三/表四 count the applications made to the 人民政府 itself (条例第四十九条: each 行政机关
  reports its own work); departments and towns report theirs. The county's 总计 is therefore NOT the sum of the
  others' unless the county report states that it 汇总 them. Without such a statement the totals are not compared
  (无法判断, said so).
- With the statement, the summary covers every unit, and the set given may hold only some of them: a summary figure
  smaller than the sum of the set's own reports is a FAIL; equal is a PASS; larger is 无法判断 (the set may be
  incomplete). Only cells read uniquely are compared.
- Section 五 of two units of the same year sharing their sentences (内容雷同, 条例第四十七条) is a FAIL for the pair.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from checks.annual.arithmetic import possible
from checks.annual.context import ReportContext
from checks.annual.model import FAIL, PASS, UNKNOWN
from checks.annual.previous import sentences, similarity

ISSUER_YEAR = re.compile(r"20\d\d\s*年度?")
SUMMARY_STATEMENT = re.compile(
    r"(?:汇总|涵盖|包括|含)[^。；\n]{0,30}?(?:各部门|县直各部门|县直部门|各乡镇|各乡（镇）|各街道|各单位|各镇)"
    r"|(?:各部门|各乡镇|各单位)[^。；\n]{0,20}?(?:数据|情况)[^。；\n]{0,6}?汇总")
COMPARED_ROWS = (("new", "本年新收"), ("carried", "上年结转"), ("total", "办理结果总计"), ("carry_next", "结转下年度"))
TOTAL_COLUMN = 6


@dataclass
class CrossResult:
    """One comparison across reports: PASS / FAIL / 无法判断, the reports concerned and why."""

    check: str
    status: str
    reports: list[str]
    message: str
    observed: dict = field(default_factory=dict)


def issuer(ctx: ReportContext) -> str:
    """The report's title without its year: one issuer's reports of two years share it."""
    return ISSUER_YEAR.sub("", ctx.report.title or "").strip()


def pair_previous(contexts: list[ReportContext]) -> None:
    """Give each report the same issuer's report of the year before, when the set holds it and none was given."""
    by_key = {(issuer(c), c.report.year): c for c in contexts if c.report.year}
    for ctx in contexts:
        if ctx.previous is None and ctx.report.year:
            ctx.previous = by_key.get((issuer(ctx), ctx.report.year - 1))


def states_summary(ctx: ReportContext) -> str | None:
    """The sentence in which a report says it 汇总 its departments' and towns' figures, if any."""
    m = SUMMARY_STATEMENT.search(ctx.sections.text)
    if not m:
        return None
    start = max(ctx.sections.text.rfind("。", 0, m.start()) + 1, m.start() - 40)
    return ctx.sections.text[start:m.end() + 20].replace("\n", " ")


def _unique(ctx: ReportContext, key: str) -> int | None:
    values = possible(ctx.tables.table3.rows.get(key), TOTAL_COLUMN) if ctx.tables.table3.found else None
    return next(iter(values)) if values and len(values) == 1 else None


def compare_totals(named: list[tuple[str, ReportContext]]) -> list[CrossResult]:
    """A summary report's 表三 totals against the sum of the other reports of its year."""
    out: list[CrossResult] = []
    years = sorted({c.report.year for _, c in named if c.report.year})
    for year in years:
        same = [(n, c) for n, c in named if c.report.year == year]
        if all(c.issuer_level == "county" for _, c in same):
            continue                 # only governments (of different places): there is no department to add up
        summaries = [(n, c, s) for n, c in same if c.issuer_level == "county" and (s := states_summary(c))]
        if not summaries:
            counties = [n for n, c in same if c.issuer_level == "county"]
            if counties and len(same) > 1:
                out.append(CrossResult("totals", UNKNOWN, counties,
                                       f"{year}年度：人民政府报告未载明汇总各部门、乡镇数据，其表三只统计本机关收到的申请，"
                                       "不等于各部门、乡镇报告之和，不作相加比较。"))
            continue
        for name, summary, statement in summaries:
            others = [(n, c) for n, c in same if c is not summary]
            if not others:
                continue
            for key, label in COMPARED_ROWS:
                total = _unique(summary, key)
                parts = [_unique(c, key) for _, c in others]
                if total is None or None in parts:
                    unread = [n for (n, _), v in zip(others, parts) if v is None] + ([name] if total is None else [])
                    out.append(CrossResult("totals", UNKNOWN, [name] + [n for n, _ in others],
                                           f"{year}年度表三「{label}」总计：{'、'.join(unread)}未能唯一读出，无法与汇总数比较。",
                                           {"row": label}))
                    continue
                added = sum(parts)
                observed = {"row": label, "summary": total, "sum_of_others": added}
                reports = [name] + [n for n, _ in others]
                if total < added:
                    out.append(CrossResult("totals", FAIL, reports,
                                           f"{year}年度「{name}」载明汇总各部门、乡镇数据（「{statement}」），其表三「{label}」总计为"
                                           f"{total}件，少于本次所列{len(others)}份报告之和{added}件。", observed))
                elif total == added:
                    out.append(CrossResult("totals", PASS, reports,
                                           f"{year}年度表三「{label}」汇总数{total}件等于所列报告之和。", observed))
                else:
                    out.append(CrossResult("totals", UNKNOWN, reports,
                                           f"{year}年度表三「{label}」汇总数{total}件大于所列报告之和{added}件；"
                                           "所列报告可能不全，无法判断。", observed))
    return out


def copied_between(named: list[tuple[str, ReportContext]], params: dict) -> list[CrossResult]:
    """Section 五 of two reports of the same year that share sentences or most of their character n-grams."""
    out = []
    for i, (name_a, a) in enumerate(named):
        five_a = a.sections.region("五")
        for name_b, b in named[i + 1:]:
            five_b = b.sections.region("五")
            if not five_a or not five_b or a.report.year != b.report.year:
                continue
            shared = set(sentences(five_a, params["min_sentence_chars"])) & set(
                sentences(five_b, params["min_sentence_chars"]))
            score = round(similarity(five_a, five_b, params["ngram"]), 3)
            if score >= params["fail_similarity"] or len(shared) >= params["fail_shared_sentences"]:
                quoted = "；".join(f"「{s}」" for s in sorted(shared)[:3])
                out.append(CrossResult("copied", FAIL, [name_a, name_b],
                                       f"「{name_a}」与「{name_b}」第五部分雷同：相似度{score:.0%}，相同句子{len(shared)}句"
                                       + (f"：{quoted}" if quoted else "") + "。",
                                       {"similarity": score, "shared_sentences": len(shared)}))
    return out

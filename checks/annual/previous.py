"""Against last year: section 五 copied from last year's report (内容雷同, 条例第四十七条 accountability), and
problems named last year that this year's report neither reports as fixed nor repeats.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from checks.annual.context import ReportContext
from checks.annual.model import FAIL, REVIEW, Result

SENTENCE_END = re.compile(r"[。；;！？!?\n]")
YEAR = re.compile(r"\d{4}\s*年")
POINT_SPLIT = re.compile(r"[一二三四五六七八九十]是|（[一二三四五六七八九十]）|[；;。\n]")
IMPROVEMENT_START = re.compile(r"改进|措施|下一步|将采取|针对上述问题")
# Where a problem's subject ends and what is wrong with it begins: 「政策解读形式」单一, 「预公开程度」需进一步加强.
PROBLEM_PREDICATE = re.compile(r"需|有待|不够|不足|较为|还不|仍需|缺少|缺乏|单一|不强|不高|不到位|不规范|不及时|不充分|滞后|"
                               r"薄弱|欠缺|还要|难以|待")
PROBLEMS_LABEL = re.compile(r"^存在的?(?:主要)?问题(?:主要有以下几个方面)?")


def _plain(text: str) -> str:
    """Years and spaces removed, so '2023年，我区将…' and '2024年，我区将…' compare equal."""
    return re.sub(r"[\s|#*]", "", YEAR.sub("某年", text))


def sentences(text: str, min_chars: int) -> list[str]:
    out = []
    for part in SENTENCE_END.split(text):
        part = _plain(part).strip("，,：:、")
        if len(part) >= min_chars:
            out.append(part)
    return out


def ngrams(text: str, n: int) -> set[str]:
    plain = _plain(text)
    return {plain[i:i + n] for i in range(len(plain) - n + 1)}


def similarity(a: str, b: str, n: int = 4) -> float:
    """Jaccard similarity of character n-grams (years ignored)."""
    x, y = ngrams(a, n), ngrams(b, n)
    return len(x & y) / len(x | y) if x and y else 0.0


def section_five_copied(ctx: ReportContext, rule) -> Iterator[Result]:
    if ctx.previous is None:
        return
    now, before = ctx.sections.region("五"), ctx.previous.sections.region("五")
    if not now or not before:
        return
    p = rule.params
    shared = sorted(set(sentences(now, p["min_sentence_chars"])) & set(sentences(before, p["min_sentence_chars"])),
                    key=now.find)
    score = round(similarity(now, before, p["ngram"]), 3)
    observed = {"similarity": score, "shared_sentences": len(shared)}
    quoted = "；".join(f"「{s}」" for s in shared[:5])
    if score >= p["fail_similarity"] or len(shared) >= p["fail_shared_sentences"]:
        yield Result(FAIL, "第五部分", f"第五部分与上年报告雷同：字符{p['ngram']}元组相似度{score:.0%}，"
                     f"相同句子{len(shared)}句" + (f"：{quoted}" if shared else "") + "。",
                     evidence=quoted, observed=observed, key="copied")
    elif score >= p["review_similarity"] or shared:
        yield Result(REVIEW, "第五部分", f"第五部分与上年报告部分相近：相似度{score:.0%}，相同句子{len(shared)}句"
                     + (f"：{quoted}" if shared else "") + "。", evidence=quoted, observed=observed, key="similar")


def last_year_problems(ctx: ReportContext, rule) -> Iterator[Result]:
    """Each problem last year's 五 named should be reported as fixed or named again; a silent one goes to review."""
    if ctx.previous is None:
        return
    before = ctx.previous.sections.region("五")
    if not before:
        return
    cut = IMPROVEMENT_START.search(before, 10)
    problems_part = before[:cut.start()] if cut else before
    this_text = _plain(ctx.sections.text)
    min_chars, threshold = rule.params["min_problem_chars"], rule.params["min_overlap"]
    for item in POINT_SPLIT.split(problems_part):
        item = _plain(item).strip("，,：:、")
        if len(item) < min_chars or "存在" in item[:6] and len(item) < min_chars + 6:
            continue
        grams = {item[i:i + 2] for i in range(len(item) - 1)}
        overlap = sum(g in this_text for g in grams) / len(grams)
        if overlap < threshold and _topic_overlap(item, this_text) < rule.params.get("min_topic_overlap", 1.01):
            yield Result(REVIEW, "第五部分", f"上年报告提出的问题「{item[:40]}」，本年报告既未说明整改情况，也未再次提及"
                         f"（与本年报告用词重合{overlap:.0%}），请核实。", evidence=item[:60], observed={"overlap": round(overlap, 2)},
                         key=item[:40])


def _topic_overlap(item: str, this_text: str) -> float:
    """Share of the problem's subject (its first clause up to the predicate) found again this year.

    A problem restated in new words (上年「政策解读形式单一，缺少多个角度多种形式的解读」, 本年「政策解读的质量有待提高，
    形式还要更加多样」) shares few of its words but its subject, so it is followed up, not silently dropped.
    """
    first = PROBLEMS_LABEL.sub("", re.split(r"[，,：:]", item.strip("，,：: "))[0])
    m = PROBLEM_PREDICATE.search(first, 2)
    topic = re.sub(r"[^\u4e00-\u9fff]", "", first[:m.start()] if m else first)
    grams = {topic[i:i + 2] for i in range(len(topic) - 1)}
    return sum(g in this_text for g in grams) / len(grams) if grams else 0.0

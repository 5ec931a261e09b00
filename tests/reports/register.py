"""A checker for section 五 against the published annual reports in ../shared/reference/samples/.

Real reports (云县 2022, 平潭 2021–2025, 沭阳 2025) give (一) and (二) together in 300–600 characters, in
three to five points each (一是……二是……), with counts and column names but no web addresses, no words of a
crawling tool and no verdicts; their phrasing comes from a shared administrative vocabulary. A generated
section fails here for the same reasons a reader would send it back.
"""

from __future__ import annotations

import re
from functools import lru_cache

from reports.section_five import containment, sentences
from tests.needs import reference_file

SAMPLES = ("report_yunxian_2022.txt", "report_pingtan_2021.txt", "report_pingtan_2022.txt", "report_pingtan_2023.txt",
           "report_pingtan_2024.txt", "report_pingtan_2025.txt", "report_shuyang_county_2025_ocr_markdown.txt")
LENGTH = (300, 600)
POINTS = (3, 5)
# Words of a tool's log or of an inspector's verdict, which no published section 五 contains.
TOOL_WORDS = ("抓取", "扫描", "爬取", "检查日", "页面或附件", "全面抓取", "判定", "不合格", "单项否决", "http", "www.",
              "逐一排查", "核正", "最少化", "个页面", "个附件", "时限为", "超出", "距检查", "整改销号", "经复核")
MIN_VOCABULARY = 0.5                          # leave-one-out, the real sections score 0.52–0.76
MAX_OVERLAP = 0.5                             # largest share of one sentence found in last year's text


@lru_cache(maxsize=1)
def real_reports() -> str:
    """The published reports, plus the regulations whose terms (空白栏目, 去标识化 …) a report may use."""
    texts = [reference_file("samples", name).read_text(encoding="utf-8") for name in SAMPLES]
    return "".join(texts) + reference_file("regulations.md").read_text(encoding="utf-8")


def _bigrams(text: str) -> set[str]:
    """Character pairs of the running Chinese text, names in 「」 and figures left out (they are facts, not register)."""
    text = re.sub(r"「[^」]*」", "", text)
    runs = re.findall(r"[\u4e00-\u9fa5]+", text)
    return {run[i:i + 2] for run in runs for i in range(len(run) - 1)}


def vocabulary(text: str) -> float:
    grams = _bigrams(text)
    corpus = _bigrams(real_reports())
    return len(grams & corpus) / len(grams) if grams else 0.0


def points(text: str) -> int:
    return len(re.findall(r"[一二三四五六七八九十]是", text))


def violations(problems: str, improvements: str, previous: str | None = None) -> list[str]:
    """What makes this section 五 read unlike a published one (empty when it passes)."""
    out = []
    length = len(re.sub(r"\s", "", problems + improvements))
    if not LENGTH[0] <= length <= LENGTH[1]:
        out.append(f"length {length} outside {LENGTH}")
    for name, part in (("(一)", problems), ("(二)", improvements)):
        n = points(part)
        if not POINTS[0] <= n <= POINTS[1]:
            out.append(f"{name} has {n} points")
        if n and not part.split("一是", 1)[0].strip():
            out.append(f"{name} opens without a lead sentence")
    for word in TOOL_WORDS:
        if word in problems + improvements:
            out.append(f"tool or verdict word: {word}")
    share = vocabulary(problems + improvements)
    if share < MIN_VOCABULARY:
        out.append(f"vocabulary {share:.2f} below {MIN_VOCABULARY}")
    if previous:
        flat = re.sub(r"\s+", "", previous)
        grams = {flat[i:i + 6] for i in range(max(len(flat) - 5, 1))}
        for sentence in sentences(problems + "。" + improvements):
            if re.sub(r"\s+", "", sentence) in flat:
                out.append(f"sentence repeats last year: {sentence}")
            elif containment(sentence, grams) > MAX_OVERLAP:
                out.append(f"sentence close to last year: {sentence}")
    return out

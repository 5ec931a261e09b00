"""手机号 recognizer: 11 digits 1[3-9]x xxxx xxxx whose first three digits are an allocated segment.

Numbering follows the MIIT 电信网编号计划: 3-digit network segment (13x, 14x, 15x, 16x, 17x,
18x, 19x, excluding unallocated ones) + 4-digit HLR area + 4-digit subscriber. Written plain,
as 139-1234-5678 / 139 1234 5678 / 1391234 5678, or with a +86 / 0086 country prefix.
Landlines (0871-1234567), 5-digit hotlines (12345, 12315) and 110 never start with 1[3-9]
followed by 9 digits, and are rejected by the segment table and the digit boundaries.

Look-alikes (issue 11 item 7): 准考证号 / 考号 / 考生号 / 报名序号 are 11-digit numbers too and are pruned
when such a word is nearer than any phone word; a run inside a flattened statistics table (PDF text where
cells of figures run together) is only plausible, so without a phone word it goes to 需人工复核. A
value in a table column headed by a phone word (联系电话 above the rows, View.column_header) has its word.
"""

from __future__ import annotations

from checks.privacy.recognizers.base import (
    DIGITS,
    NEGATIVE_WORDS,
    Recognizer,
    Verdict,
    View,
    common_prune,
    gated_prune,
)

# Allocated 3-digit mobile segments (public MIIT allocation; 140-144 are IoT/data-only, 154 unused).
SEGMENTS = frozenset(
    [f"13{d}" for d in range(10)] + ["145", "146", "147", "148", "149"]
    + [f"15{d}" for d in "012356789"] + ["162", "165", "166", "167"]
    + [f"17{d}" for d in "0123456789"] + [f"18{d}" for d in range(10)]
    + [f"19{d}" for d in "0123456789"]
)
CONTEXT_WORDS = ("手机号码", "手机号", "手机", "联系电话", "联系方式", "电话", "联系人", "Tel", "TEL", "tel",
                 "电联", "移动电话")
EXAM_WORDS = ("准考证号", "准考证", "考号", "考生号", "考生编号", "报名序号", "报名号", "座位号", "考场号", "学籍号")
# Every word Mobile.prune weighs before a candidate: when none is near, only figure_look_alike is left.
_PRUNE_WORDS = EXAM_WORDS + NEGATIVE_WORDS
# Flattened table: within this many characters on each side, this share of the non-blank characters
# are digits (or . , %) — the run sits among figures, not in a sentence or a contact line.
DENSE_SPAN = 24
DENSE_SHARE = 0.6
_FIGURE_CHARS = frozenset("0123456789.,%")
_PREFIXES = ("+86", "0086", "86", "+86 ", "0086 ", "86 ", "+86-", "(+86)", "+86-")
_LONGEST_FIRST = tuple(sorted(_PREFIXES, key=len, reverse=True))


class Mobile(Recognizer):
    """Mainland mobile numbers, plain, grouped 3-4-4 / 3-8 / 7-4, or with a country prefix."""

    name = "mobile"
    pii_type = "mobile"
    patterns = (r"1[3-9][0-9]{9}",)
    touching = DIGITS | frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
    context_words = CONTEXT_WORDS
    join_lengths = frozenset({11})

    def validate(self, value: str) -> bool:
        return len(value) == 11 and value.isdigit() and value[:3] in SEGMENTS

    def extend_left(self, view: View, start: int) -> int | None:
        head = view.text[max(0, start - 6):start]
        for prefix in _LONGEST_FIRST:
            if head.endswith(prefix):
                begin = start - len(prefix)
                if begin == 0 or view.text[begin - 1] not in self.touching:
                    return begin
        return None

    def join_shape_ok(self, groups: list[str], line_break: bool) -> bool:
        return not line_break and [len(g) for g in groups] in ([3, 4, 4], [3, 8], [7, 4])

    def prune(self, view: View, start: int, end: int, value: str) -> str | None:
        exam = view.distance_before(start, EXAM_WORDS, view.window)
        if exam is not None:
            phone = view.distance_before(start, self.context_words, view.window)
            if phone is None or phone[0] > exam[0]:
                return f"exam_number:{exam[1]}"
        return common_prune(view, start, end, self.context_words, self.negative_words)

    def assess(self, view: View, start: int, end: int, value: str, how: str) -> Verdict | None:
        word = view.near(start, end, self.context_words)
        if word:
            return Verdict(score=0.95, validated=True, context_word=word, note=how)
        header = view.column_header(start, self.context_words)
        if header:
            return Verdict(score=0.95, validated=True, context_word=header, note=f"{how};column_header")
        if among_figures(view.text, start, end):
            return Verdict(score=0.65, validated=True, note=f"{how};among_figures")
        return Verdict(score=0.8, validated=True, note=how)

    def judge(self, view: View, start: int, end: int, value: str, how: str,
              min_score: float) -> tuple[float, bool, str | None, str, str] | None:
        # assess() and prune() fused (see Recognizer.judge); prune's word searches only when one is near.
        words = self.context_words
        word, note = view.near(start, end, words), how
        if word:
            score = 0.95
        else:
            word = view.column_header(start, words)
            if word:
                score, note = 0.95, f"{how};column_header"
            elif among_figures(view.text, start, end):
                score, note = 0.65, f"{how};among_figures"
            else:
                score = 0.8
        if score < min_score:
            return None
        if gated_prune(self, view, start, end, value, _PRUNE_WORDS):
            return None
        return score, True, word, "personal_data", note


def among_figures(text: str, start: int, end: int) -> bool:
    """True when [start, end) sits among other figures (a flattened statistics table), not among phones.

    A column of phone numbers is dense in digits too, so a neighbour that is itself an 11-digit
    1xxxxxxxxxx run means a phone list, never a table of figures.
    """
    around = (text[max(0, start - DENSE_SPAN):start] + " " + text[end:end + DENSE_SPAN]).split()
    numbers = [token for token in around if token and all(ch in _FIGURE_CHARS for ch in token)]
    if any(len(n) == 11 and n.startswith("1") and n.isdigit() for n in numbers) or len(numbers) < 2:
        return False
    chars = "".join(around)
    return len(chars) >= 8 and sum(ch in _FIGURE_CHARS for ch in chars) / len(chars) >= DENSE_SHARE

"""What every recognizer shares: the candidate view, context-word lookup and common look-alike pruning.

A recognizer (presidio's idea, tuned for Chinese portals) is: byte patterns for the engines, the
characters that must not touch a match, context words that raise the score, negative words that
mark a look-alike (订单号, 索引号 …), `validate()` for the number's own structure, `prune()` for
known non-personal numbers, and `assess()` that turns a validated candidate into an explained verdict
(`evaluate()` does both; the scanner validates a recognizer's candidates together, `validate_many()`).
The scanner asks `judge()`, `assess` and `prune` in one call; the recognizers with the most candidates
fuse the two there (checks/privacy/reference.py asks them apart, and the tests compare).
"""

from __future__ import annotations

import dataclasses
import functools
import re
from dataclasses import dataclass
from typing import Any

from checks.privacy.mask import MASKERS, mask_generic, mask_id

# GB/T 2260 province-level codes: the first two digits of every 公民身份号码.
PROVINCE_CODES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65 71 81 82 83"
    .split()
)

# Words that mark a number as an identifier of a thing, not a person.
NEGATIVE_WORDS = ("订单", "单号", "编号", "流水", "索引号", "文号", "批次", "合同号", "发票", "税号",
                  "信用代码", "登记号", "条码", "工单", "受理号", "快递", "运单", "项目代码", "邮编")
AMOUNT_AFTER = re.compile(r"\s?(?:元|万元|亿元|万|亿|美元|港元)")
_AMOUNT_FIRST = frozenset("元万亿美港")     # what AMOUNT_AFTER can start with, besides whitespace
AMOUNT_BEFORE = ("¥", "￥", "$", "金额", "合计")
DOC_NUMBER_BEFORE = re.compile(r"[〔\[［(（第]\s*$")

ALNUM = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
DIGITS = frozenset("0123456789")


@dataclass(slots=True)
class Verdict:
    """Why a candidate is personal data: its score, whether a validator passed, the context word seen.
    (Slots: one is made per accepted candidate, thousands per dense document.)"""

    score: float
    validated: bool
    context_word: str | None = None
    kind: str = "personal_data"          # personal_data | weak_masking
    note: str = ""


# id(words) → (words, alternation, shortest word, longest word), shared by every View (see View._pattern).
_PATTERNS: dict[int, tuple[tuple[str, ...], re.Pattern, int, int]] = {}


class View:
    """The normalised text of one document with cached document-wide context lookups.

    A lookup runs one compiled alternation per word list over a small window; `search` is tried
    before iterating because most windows hold no word at all, and one C-level search is the
    cheapest way to learn that (the scanner makes several lookups per candidate). A search that
    could not change the answer is not made: no word fits in what is left of the window, or a word
    after the value could not be nearer than the one found before it.
    """

    def __init__(self, text: str, window: int = 30, firsts: dict[str, int] | None = None):
        self.text = text
        self.window = window
        self._firsts = firsts or {}        # char → its first position in text (-1: absent), where known
        self._doc_words: dict[tuple[str, ...], str | None] = {}
        self._patterns = _PATTERNS
        self._headers: dict[tuple[int, int, int], str | None] = {}

    def _entry(self, words: tuple[str, ...]) -> tuple[tuple[str, ...], re.Pattern, int, int]:
        """The alternation for `words` and its shortest and longest word, keyed by the tuple's identity
        (recognizers pass module constants; hashing a dozen strings per lookup would cost more than the
        search). The entry keeps the tuple, so its id cannot be reused by another while it exists."""
        entry = _PATTERNS.get(id(words))
        if entry is None or entry[0] is not words:
            if len(_PATTERNS) > 256:
                _PATTERNS.clear()
            lengths = [len(w) for w in words] or [0]
            entry = _PATTERNS[id(words)] = (words, _alternation(words), min(lengths), max(lengths))
        return entry

    def _pattern(self, words: tuple[str, ...]) -> re.Pattern:
        """The alternation for `words` (see _entry)."""
        return self._entry(words)[1]

    def near(self, start: int, end: int, words: tuple[str, ...], before_only: bool = False) -> str | None:
        """The context word nearest to [start, end) within the window, or None."""
        entry = self._patterns.get(id(words))
        if entry is None or entry[0] is not words:
            entry = self._entry(words)
        _, pattern, shortest, longest = entry
        text, window = self.text, self.window
        # distance_before(start, words, window), inlined: this runs for every accepted candidate.
        found, before = None, pattern.search(text, start - window if start > window else 0, start)
        while before is not None:
            if before.end() == before.start():         # an empty word: finditer's rules, in distance_before
                found = self.distance_before(start, words, window)
                break
            following = pattern.search(text, before.end(), start) if start - before.end() >= shortest else None
            if following is None:
                found = start - before.end(), before.group(0)
            before = following
        if before_only:
            return found[1] if found else None
        if found is None:
            match = pattern.search(text, end, end + window)
            return match.group(0) if match else None
        if found[0] == 0:                              # nothing after the value can be nearer
            return found[1]
        # A word after the value wins only if it starts less than found[0] characters after it; every
        # such word ends within `longest` characters of that, so the search can stop there (the same
        # leftmost match, the same word: every word that fits there fits in the whole window too).
        limit = end + found[0] - 1 + longest
        match = pattern.search(text, end, limit if limit < end + window else end + window)
        if match and match.start() - end < found[0]:
            return match.group(0)
        return found[1]

    def distance_before(self, start: int, words: tuple[str, ...], span: int) -> tuple[int, str] | None:
        """(distance, word) of the nearest of `words` ending within `span` characters before `start`:
        the last of the non-overlapping left-to-right matches in [start - span, start)."""
        entry = self._patterns.get(id(words))      # _entry() inlined: this runs several times a candidate
        if entry is None or entry[0] is not words:
            entry = self._entry(words)
        pattern, shortest = entry[1], entry[2]
        text, begin = self.text, start - span if start > span else 0
        match = pattern.search(text, begin, start)
        if match is None:
            return None
        while match.end() > match.start():
            following = pattern.search(text, match.end(), start) if start - match.end() >= shortest else None
            if following is None:
                return start - match.end(), match.group(0)
            match = following
        # An empty match (a word list with an empty word) follows finditer's own rules for advancing.
        *_, last = pattern.finditer(text, begin, start)
        return start - last.end(), last.group(0)

    def column_header(self, start: int, words: tuple[str, ...]) -> str | None:
        """The word of `words` heading the table column that `start` sits in, or None.

        Tables (HTML tables, spreadsheets) reach the scanner as lines of tab-separated cells, the header
        row above the data rows. A value in the 联系电话 column of a 公示 table is a phone number however far
        below the header it is and whatever figures share its row; its window holds only its neighbours'
        cells. The nearest cell above in the same column that holds no digit is the column's header:
        one naming a word of `words` vouches for the value, any other header ends the search.
        Results are memoised per line and column, so a long table is walked once.
        """
        text = self.text
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", start)
        line_end = len(text) if line_end < 0 else line_end
        if text.find("\t", line_start, line_end) < 0:
            return None
        column = text.count("\t", line_start, start)
        key = (id(words), line_start, column)
        if key in self._headers:
            return self._headers[key]
        walked, found = [], None
        pattern = self._pattern(words)
        end = line_start - 1                      # the newline before this line
        while end > 0:
            begin = text.rfind("\n", 0, end) + 1
            memo = (id(words), begin, column)
            if memo in self._headers:
                found = self._headers[memo]
                break
            walked.append(memo)
            cells = text[begin:end].split("\t")
            if len(cells) < 2:                    # the table ended above: no header
                break
            cell = cells[column].strip() if column < len(cells) else ""
            if cell and not any(ch.isdigit() for ch in cell):
                match = pattern.search(cell)
                found = match.group(0) if match else None
                break
            end = begin - 1
        for memo in walked:
            self._headers[memo] = found
        self._headers[key] = found
        return found

    def any_before(self, start: int, words: tuple[str, ...], span: int) -> bool:
        """Whether a word of `words` ends within `span` characters before `start` (one search of the
        window; `distance_before` says which and how far, `any_before` only whether to ask it)."""
        entry = self._patterns.get(id(words))
        if entry is None or entry[0] is not words:
            entry = self._entry(words)
        return entry[1].search(self.text, start - span if start > span else 0, start) is not None

    def in_document(self, words: tuple[str, ...]) -> str | None:
        """The first word of `words` in the document (table headers far from a cell), or None.

        Every word contains one of a few key characters; `str.find` looks for those much faster
        than the alternation scans text, so the search starts where a word can first occur (or is
        skipped when none can): the first match is the same as a search from the beginning. Where the
        scanner's UTF-16 pass already found a key character's first position (`firsts`), that is used.
        """
        if words not in self._doc_words:
            keys, longest = key_characters(words)
            if keys:
                firsts, find = self._firsts, self.text.find
                found = [at for at in (firsts[key] if key in firsts else find(key) for key in keys) if at >= 0]
                match = self._pattern(words).search(self.text, max(0, min(found) - longest + 1)) if found else None
            else:                                  # an empty word matches anywhere: nothing to skip
                match = self._pattern(words).search(self.text)
            self._doc_words[words] = match.group(0) if match else None
        return self._doc_words[words]


@functools.lru_cache(maxsize=64)
def _alternation(words: tuple[str, ...]) -> re.Pattern:
    """One compiled search for a word list, longest words first so 身份证号码 beats 身份证."""
    return re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))


@functools.lru_cache(maxsize=64)
def key_characters(words: tuple[str, ...]) -> tuple[tuple[str, ...], int]:
    """Characters such that every word contains one (greedy cover, most shared first), and the length
    of the longest word: a word can occur in a text only where one of its key characters does.
    No keys when a word is empty (it occurs everywhere) or there are no words."""
    if not words or "" in words:
        return (), 0
    keys: list[str] = []
    uncovered = list(words)
    while uncovered:
        counts: dict[str, int] = {}
        for word in uncovered:
            for char in set(word):
                counts[char] = counts.get(char, 0) + 1
        best = max(counts, key=lambda char: (counts[char], -ord(char)))
        keys.append(best)
        uncovered = [w for w in uncovered if best not in w]
    return tuple(keys), max((len(w) for w in words), default=0)


class Recognizer:
    """Base class: subclasses set the class attributes and implement `validate` and `assess`."""

    name = "base"
    pii_type = "generic"
    kind = "personal_data"
    patterns: tuple[str, ...] = ()           # engine-neutral regex (no lookaround), matched on ASCII bytes
    text_pattern = None                      # compiled `regex` run on the normalised text (Chinese patterns)
    touching: frozenset = ALNUM              # characters that may not sit right before or after a match
    context_words: tuple[str, ...] = ()
    negative_words: tuple[str, ...] = NEGATIVE_WORDS
    join_lengths: frozenset = frozenset()    # digit counts a split number may be rejoined to
    doc_context_score: float | None = None   # score when the only context word is elsewhere in the document
    NO_CONTEXT_SCORE = 0.3                   # structurally valid, no context at all: masked, not reported
    line_join = False                        # may fragments on different lines be rejoined (PDF wraps)?
    spreadsheet_only = False                 # an artefact of spreadsheet number cells (see scan(spreadsheet=…))
    # Hyperscan only: when the recognizer named `reported_beside` runs in the same scan, the engine looks
    # for `patterns_beside` (the values of `patterns` that recognizer's patterns do not match) and the
    # others are taken from that recognizer's reports (Scanner._hyperscan_for): one engine callback
    # where there were two. Both must have the same `touching` and no `extend_left`.
    reported_beside: str | None = None
    patterns_beside: tuple[str, ...] = ()

    def validate(self, value: str) -> bool:
        raise NotImplementedError

    def evaluate(self, view: View, start: int, end: int, value: str, how: str) -> Verdict | None:
        """The verdict on one candidate: None unless `validate` accepts the value, else `assess`."""
        if not self.validate(value):
            return None
        return self.assess(view, start, end, value, how)

    def validate_many(self, values: list[str]) -> list[bool]:
        """`validate` of each value. The scanner validates all candidates of a recognizer at once, so
        a recognizer with a vectorised check (check digits over thousands of candidates) overrides this."""
        return [self.validate(value) for value in values]

    def assess(self, view: View, start: int, end: int, value: str, how: str) -> Verdict | None:
        """The verdict on a value `validate` accepted: score, context word, note; None to drop it."""
        raise NotImplementedError

    def normalised(self, value: str) -> str:
        """The value as fingerprinted and masked (e.g. the digits behind a scientific-notation number)."""
        return value

    def mask(self, value: str, kind: str) -> str:
        """The value as it may be shown in evidence."""
        if kind == "weak_masking":
            return mask_id(value)
        return MASKERS.get(self.pii_type, mask_generic)(value)     # mask_value(), one call fewer

    def rescore(self, view: View, hit: Any) -> Any:
        """A stored token's hit re-scored with this document's context (tokens are made per text field,
        so a table header in another cell was not visible when the value was tokenised)."""
        if self.doc_context_score is None or "no_context" not in hit.how or hit.score >= self.doc_context_score:
            return hit
        word = view.in_document(self.context_words)
        if word is None:
            return hit
        return dataclasses.replace(hit, score=self.doc_context_score, context_word=word,
                                   how=hit.how.replace("no_context", "document_context"))

    def extend_left(self, view: View, start: int) -> int | None:
        """A start further left when the match is preceded by a legitimate prefix (e.g. +86)."""
        return None

    def join_shape_ok(self, groups: list[str], line_break: bool) -> bool:
        """Whether these digit groups are a plausible way of writing one split number. The answer may
        depend on the groups' lengths and `line_break` only, not on their digits: the scanner works
        it out once per shape of digit run and remembers it."""
        return True

    def prune(self, view: View, start: int, end: int, value: str) -> str | None:
        """The reason this candidate is a known non-personal look-alike, or None."""
        return common_prune(view, start, end, self.context_words, self.negative_words)

    def judge(self, view: View, start: int, end: int, value: str, how: str,
              min_score: float) -> tuple[float, bool, str | None, str, str] | None:
        """A validated candidate's verdict as the scanner takes it: (score, validated, context word, kind,
        note) when `assess` scores it at least `min_score` and `prune` keeps it, else None.

        One call per candidate instead of two, and a plain tuple instead of a Verdict (the scanner builds
        thousands of hits per dense document and reads the fields once). Recognizers with many
        candidates override it with `assess` and `prune` fused: every context search made once, the
        prune searches skipped when no word they weigh is near (`View.any_before`).
        """
        verdict = self.assess(view, start, end, value, how)
        if verdict is None or verdict.score < min_score or self.prune(view, start, end, value):
            return None
        return verdict.score, verdict.validated, verdict.context_word, verdict.kind, verdict.note


NEGATIVE_SPAN = 12                         # how far before a value common_prune looks for a negative word


def common_prune(view: View, start: int, end: int, positive: tuple[str, ...],
                 negative: tuple[str, ...]) -> str | None:
    """Look-alikes every numeric recognizer shares: order/index/document numbers and amounts."""
    neg = view.distance_before(start, negative, NEGATIVE_SPAN)
    if neg is not None:
        pos = view.distance_before(start, positive, NEGATIVE_SPAN)
        if pos is None or pos[0] > neg[0]:
            return f"negative_context:{neg[1]}"
    return figure_look_alike(view.text, start, end)


def gated_prune(recognizer: Recognizer, view: View, start: int, end: int, value: str,
                words: tuple[str, ...]) -> bool:
    """A fused `judge`'s prune: the recognizer's word searches only when one of `words` (those its prune
    weighs) is near before the value, else only the look-alike test every prune ends with."""
    window = view.window
    if view.any_before(start, words, window if window > NEGATIVE_SPAN else NEGATIVE_SPAN):
        return bool(recognizer.prune(view, start, end, value))
    return figure_look_alike(view.text, start, end) is not None


def figure_look_alike(text: str, start: int, end: int) -> str | None:
    """The part of common_prune that needs no word list: an amount (元 after, ¥/金额 before) or a
    document number (〔2023〕12号), told by the characters around the value."""
    after = text[end:end + 1]              # the regex runs only where an amount word or a space follows
    amount_after = after and (after in _AMOUNT_FIRST or after.isspace()) and AMOUNT_AFTER.match(text, end)
    if amount_after or text[max(0, start - 4):start].rstrip(" ：:").endswith(AMOUNT_BEFORE):
        return "amount"
    if text.startswith("号", end) and DOC_NUMBER_BEFORE.search(text[max(0, start - 3):start]):
        return "document_number"
    return None

"""公民身份号码 (GB 11643-1999) recognizers: 18-digit, legacy 15-digit, and weakly masked numbers.

18 characters = 6-digit address code (GB/T 2260; first two digits a province) + 8-digit birth
date YYYYMMDD + 3-digit sequence (odd = male) + check character: ISO 7064 MOD 11-2 over the first
17 digits with weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2, mapped through "10X98765432".
Legacy 15-digit numbers (before 1999) = address code + YYMMDD + 3-digit sequence, no check.
A masked number is adequately de-identified only when all 8 birth-date digits (positions 7-14)
are hidden; masking that leaves any of them visible is reported as weak masking.
"""

from __future__ import annotations

import datetime as dt
import re

from checks.privacy.checksums import id_birth_date, is_valid_id18, is_valid_uscc, valid_id18_many
from checks.privacy.recognizers.base import (
    NEGATIVE_WORDS,
    PROVINCE_CODES,
    Recognizer,
    Verdict,
    View,
    common_prune,
    gated_prune,
)

CONTEXT_WORDS = ("身份证号码", "身份证号", "身份证", "证件号码", "证件号", "公民身份号码", "身份号码", "证号",
                 "身份")
USCC_WORDS = ("统一社会信用代码", "社会信用代码", "信用代码", "纳税人识别号", "组织机构代码")
# Every word IdCard18.prune weighs before a candidate: when none is near, only figure_look_alike is left.
_PRUNE_WORDS = USCC_WORDS + NEGATIVE_WORDS


class IdCard18(Recognizer):
    """18-character 身份证号: checksum, real birth date (1900..today) and a real province code."""

    name = "id_card_18"
    pii_type = "id_card"
    patterns = (r"[1-9][0-9]{5}(?:18|19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])[0-9]{3}[0-9Xx]",)
    context_words = CONTEXT_WORDS
    join_lengths = frozenset({18})
    line_join = True

    def __init__(self, today: dt.date | None = None):
        self.today = today

    def validate(self, value: str) -> bool:
        return value[:2] in PROVINCE_CODES and is_valid_id18(value.upper(), self.today)

    def validate_many(self, values: list[str]) -> list[bool]:
        # Upper-casing changes an ASCII value only in letters, which the check compares upper-cased
        # anyway; any other value goes through validate() as it is.
        checked = valid_id18_many(values, self.today)
        return [ok and value[:2] in PROVINCE_CODES if value.isascii() else self.validate(value)
                for value, ok in zip(values, checked)]

    def prune(self, view: View, start: int, end: int, value: str) -> str | None:
        # An all-digit string passes GB 32100 about 1 time in 31: only context tells a 信用代码 apart.
        # The window search comes first: it is cheaper than the check character and nearly always empty.
        uscc = view.distance_before(start, USCC_WORDS, view.window)
        if uscc is not None and is_valid_uscc(value):
            ident = view.distance_before(start, CONTEXT_WORDS, view.window)
            if ident is None or ident[0] > uscc[0]:
                return "uscc"
        return common_prune(view, start, end, self.context_words, self.negative_words)

    def assess(self, view: View, start: int, end: int, value: str, how: str) -> Verdict | None:
        word = view.near(start, end, self.context_words)
        return Verdict(score=0.99 if word else 0.9, validated=True, context_word=word, note=how)

    def judge(self, view: View, start: int, end: int, value: str, how: str,
              min_score: float) -> tuple[float, bool, str | None, str, str] | None:
        # assess() and prune() fused (see Recognizer.judge); prune's word searches only when one is near.
        word = view.near(start, end, self.context_words)
        score = 0.99 if word else 0.9
        if score < min_score:
            return None
        if gated_prune(self, view, start, end, value, _PRUNE_WORDS):
            return None
        return score, True, word, "personal_data", how


class IdCard15(Recognizer):
    """Legacy 15-digit 身份证号: real YYMMDD, real province, and a context word (no check digit exists)."""

    name = "id_card_15"
    pii_type = "id_card"
    patterns = (r"[1-9][0-9]{7}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])[0-9]{3}",)
    context_words = CONTEXT_WORDS
    join_lengths = frozenset({15})
    doc_context_score = 0.6

    def validate(self, value: str) -> bool:
        return value[:2] in PROVINCE_CODES and id_birth_date(value) is not None

    def join_shape_ok(self, groups: list[str], line_break: bool) -> bool:
        return not line_break

    def assess(self, view: View, start: int, end: int, value: str, how: str) -> Verdict | None:
        word = view.near(start, end, self.context_words)
        if word:
            return Verdict(score=0.75, validated=False, context_word=word, note=how)
        word = view.in_document(self.context_words)
        if word:
            return Verdict(score=0.6, validated=False, context_word=word, note=f"{how};document_context")
        return Verdict(score=self.NO_CONTEXT_SCORE, validated=False, note=f"{how};no_context")


_UNMASKED = re.compile(r"[^*]+")


def visible_spans(value: str) -> str:
    """Which positions of a masked ID the page leaves visible, as 1-based ranges ("1-10,17-18").

    Positions, never digits: the report proves the masking is insufficient by saying what shows
    (前10位、后2位) while the value itself is shown masked to the usual 2+3.
    """
    return ",".join(f"{m.start() + 1}-{m.end()}" for m in _UNMASKED.finditer(value))


class MaskedId(Recognizer):
    """A masked 18-character ID that still shows birth-date digits (positions 7-14): weak masking."""

    name = "id_card_masked"
    pii_type = "id_card"
    kind = "weak_masking"
    patterns = (r"[1-9][0-9]{0,15}\*{2,16}[0-9*]{0,15}[0-9Xx*]",)
    touching = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz*")
    context_words = CONTEXT_WORDS
    join_lengths = frozenset({18})          # "3501 2819 62 03******": masked and split into groups

    def join_shape_ok(self, groups: list[str], line_break: bool) -> bool:
        return not line_break

    def validate(self, value: str) -> bool:
        """True when the visible characters are consistent with an ID and some birth digits show."""
        if len(value) != 18 or "*" not in value or value[:2] not in PROVINCE_CODES:
            return False
        birth = value[6:14]
        if birth == "*" * 8:
            return False
        year, month, day = birth[:4], birth[4:6], birth[6:]
        if year[0] != "*" and year[0] not in "12":
            return False
        if year[:2].isdigit() and year[:2] not in ("18", "19", "20"):
            return False
        if month.isdigit() and not 1 <= int(month) <= 12:
            return False
        if day.isdigit() and not 1 <= int(day) <= 31:
            return False
        return value[:17].replace("*", "").isdigit()      # digits and '*' only (the first two are digits)

    def prune(self, view: View, start: int, end: int, value: str) -> str | None:
        return None

    def assess(self, view: View, start: int, end: int, value: str, how: str) -> Verdict | None:
        visible = 8 - value[6:14].count("*")
        word = view.near(start, end, self.context_words)
        return Verdict(score=0.95 if word else 0.8, validated=True, context_word=word, kind="weak_masking",
                       note=f"birth_digits_visible={visible};visible={visible_spans(value)}")

    def judge(self, view: View, start: int, end: int, value: str, how: str,
              min_score: float) -> tuple[float, bool, str | None, str, str] | None:
        # assess() as a tuple (see Recognizer.judge); prune() keeps every masked ID.
        word = view.near(start, end, self.context_words)
        score = 0.95 if word else 0.8
        if score < min_score:
            return None
        return (score, True, word, "weak_masking",
                f"birth_digits_visible={8 - value[6:14].count('*')};visible={visible_spans(value)}")


class IdCardScientific(Recognizer):
    """An 18-digit ID that a spreadsheet stored as a number and printed in scientific notation.

    3.5012819620315E+17 keeps only the leading significant digits: the check digit and sequence are
    lost, but with 14 or more significant digits the address code and the full birth date remain
    visible next to the person's name, so it is reported as personal data (not validated: no check
    digit survives). Short mantissas (3.50128E+17) show no personal data and are not reported.
    """

    name = "id_card_scientific"
    pii_type = "id_card"
    patterns = (r"[1-9]\.[0-9]{13,16}[Ee]\+?17",)
    touching = frozenset("0123456789.")
    context_words = CONTEXT_WORDS

    def normalised(self, value: str) -> str:
        return self.digits(value)

    def digits(self, value: str) -> str:
        mantissa = value.split("E")[0].split("e")[0].replace(".", "")
        return mantissa.ljust(18, "0")

    def validate(self, value: str) -> bool:
        digits = self.digits(value)
        if digits[:2] not in PROVINCE_CODES:
            return False
        try:
            born = dt.date(int(digits[6:10]), int(digits[10:12]), int(digits[12:14]))
        except ValueError:
            return False
        return 1900 <= born.year and born <= dt.date.today()

    def prune(self, view: View, start: int, end: int, value: str) -> str | None:
        return None

    def assess(self, view: View, start: int, end: int, value: str, how: str) -> Verdict | None:
        word = view.near(start, end, self.context_words) or view.in_document(self.context_words)
        return Verdict(score=0.85 if word else 0.7, validated=False, context_word=word,
                       note="spreadsheet_scientific_notation")


class IdCardNumeric(Recognizer):
    """An 18-digit ID that went through a spreadsheet's number type: 15-16 significant digits survive.

    An ID typed into a numeric cell is stored as an IEEE double, so reading it back gives a number
    whose last 2-3 digits are rounding noise (531026198512030976) or zeros (531026198512030000, Excel's
    15-digit display). The check digit then fails, but address code and birth date are intact. A
    candidate counts only when it fails GB 11643, has a real province and birth date, and is exactly
    a double or ends in 000. Random 18-digit strings are doubles 1 time in 16 (prefix 11-14) to 128,
    so this runs only on spreadsheet text (xls/xlsx/et/csv), where number cells exist.
    """

    name = "id_card_numeric"
    pii_type = "id_card"
    spreadsheet_only = True
    patterns = IdCard18.patterns
    context_words = CONTEXT_WORDS
    doc_context_score = 0.8

    def __init__(self, today: dt.date | None = None):
        self.today = today

    def validate(self, value: str) -> bool:
        if not value.isdigit() or value[:2] not in PROVINCE_CODES or is_valid_id18(value, self.today):
            return False
        birth = id_birth_date(value)
        if birth is None or birth.year < 1900 or birth > (self.today or dt.date.today()):
            return False
        return value.endswith("000") or int(float(value)) == int(value)

    def assess(self, view: View, start: int, end: int, value: str, how: str) -> Verdict | None:
        word = view.near(start, end, self.context_words) or view.in_document(self.context_words)
        if word is None:
            return Verdict(score=self.NO_CONTEXT_SCORE, validated=False, note=f"{how};spreadsheet_number;no_context")
        return Verdict(score=0.8, validated=False, context_word=word, note=f"{how};spreadsheet_number")

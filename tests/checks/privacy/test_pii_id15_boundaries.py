"""First-generation (15-digit) ID numbers keep the 18-digit recognizer's boundaries (issue 15 leftovers).

Each case is written once with a slot for the number and run with a synthetic 15-digit and a synthetic
18-digit ID: both must be found, or both not. The only difference is deliberate: a 15-digit number has
no check digit, so pieces on two lines are not joined into one (an 18-digit number's check digit vouches
for the join of a PDF-wrapped value).
"""

from __future__ import annotations

import random

import pytest

from checks.privacy import synthetic
from checks.privacy.scanner import scan

RNG = random.Random(1515)
ID15 = [synthetic.id15(RNG) for _ in range(4)]
ID18 = [synthetic.id18(RNG) for _ in range(4)]


def _spaced(value: str) -> str:
    return f"{value[:6]} {value[6:12]} {value[12:]}" if len(value) == 15 else f"{value[:6]} {value[6:14]} {value[14:]}"


# (case, text with {v} for the number, whether it is personal data)
CASES = [
    ("context_word", "身份证号码：{v}。", True),
    ("inside_longer_run_left", "身份证号码：9{v}", False),
    ("inside_longer_run_right", "身份证号码：{v}7", False),
    ("inside_flattened_figures", "身份证号码 640020470{v}123", False),
    ("after_ascii_letter", "身份证号码 A{v}", False),
    ("after_lower_letter", "身份证号码 No{v}", False),
    ("before_letter", "身份证号码 {v}B", False),
    ("after_fullwidth_letter", "身份证号码 Ｎｏ{v}", False),
    ("after_fullwidth_digit", "身份证号码 １{v}", False),
    ("decimal_after", "身份证号码 {v}.5", False),
    ("decimal_before", "身份证号码 3.{v}", False),
    ("document_number", "身份证号码 〔2023〕{v}号", True),     # 〔 is not right before the number
    ("serial_di_hao", "身份证号码 第{v}号", False),            # 第…号 is a serial or document number
    ("after_hao_of_the_word", "身份证号{v}", True),            # the 号 of 身份证号 is no unit
    ("hao_after", "身份证号码 {v}号", True),
    ("amount", "身份证号码 {v}元", False),
    ("index_number_word", "索引号：{v}", False),
    ("row_number_before", "身份证号码\n1 {v} 男", True),
    ("spaced", "身份证号码 {s}", True),
    ("spaced_after_letter", "身份证号码 A{s}", False),
    ("spaced_before_letter", "身份证号码 {s}B", False),
]


@pytest.mark.parametrize("case, text, expected", CASES, ids=[c[0] for c in CASES])
def test_15_and_18_digit_ids_have_the_same_boundaries(case, text, expected):
    for values in (ID15, ID18):
        for value in values:
            written = text.format(v=value, s=_spaced(value))
            hits = [h for h in scan(written, min_score=0.6) if h.pii_type == "id_card"]
            digits = [written[h.start:h.end].replace(" ", "") for h in hits]
            assert (value in digits) is expected, (case, len(value), written, digits)


def test_wrapped_pieces_are_joined_for_18_digits_only():
    for value in ID15:
        text = f"身份证号码\n{value[:8]}\n{value[8:]}\n男"
        assert not [h for h in scan(text, min_score=0.6) if h.pii_type == "id_card"]
    for value in ID18:
        text = f"身份证号码\n{value[:13]}\n{value[13:]}\n男"
        assert [h.how for h in scan(text, min_score=0.6)] == ["wrapped"]


def test_a_15_digit_id_needs_a_context_word_and_goes_to_review():
    """No check digit: without 身份证 anywhere a 15-digit number is no finding, and with a word it is not
    counted outright (score below 0.8: 需人工复核)."""
    value = ID15[0]
    assert not [h for h in scan(f"编码 {value} 项", min_score=0.6) if h.pii_type == "id_card"]
    (hit,) = scan(f"身份证号码 {value}", min_score=0.6)
    assert hit.recognizer == "id_card_15" and hit.score < 0.8 and not hit.validated

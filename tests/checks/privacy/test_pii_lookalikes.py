"""Issue 11 item 7: 11-digit numbers that are not mobiles — exam numbers and flattened statistics tables.

Exam numbers next to 准考证号 / 考号 / 考生号 / 报名序号 are pruned; a run among table figures without a
phone word is only plausible (需人工复核); a phone next to its word, or in a column of phones, stays a
confirmed hit. Values are generated in the test.
"""

from __future__ import annotations

import random

import pytest

from checks.privacy import synthetic
from checks.privacy.scanner import scan

RNG = random.Random(20240612)


def _mobiles(n: int) -> list[str]:
    return [synthetic.mobile(RNG) for _ in range(n)]


def _figures(n: int) -> str:
    return " ".join(RNG.choice([str(RNG.randint(1, 9999)), f"{RNG.uniform(0, 100):.1f}", f"{RNG.randint(1, 99)}%"])
                    for _ in range(n))


def _mobile_hits(text: str, min_score: float = 0.6):
    return [h for h in scan(text, min_score=min_score, types=["mobile"])]


EXAM = [
    ("准考证号：{v}", "准考证号"),
    ("考号 {v} 姓名 王某", "考号"),
    ("考生号{v}，成绩82.5", "考生号"),
    ("报名序号：{v}", "报名序号"),
    ("准考证号 姓名 笔试成绩\n{v} 王某 78.5", "准考证号"),
]


@pytest.mark.parametrize("template,word", EXAM)
def test_exam_numbers_are_pruned(template, word):
    value = _mobiles(1)[0]
    assert _mobile_hits(template.format(v=value)) == [], word


def test_exam_word_loses_to_a_nearer_phone_word():
    value = _mobiles(1)[0]
    hits = _mobile_hits(f"准考证号另行通知，联系电话：{value}")
    assert [h.score for h in hits] == [0.95]


def test_flattened_statistics_table_goes_to_review_not_to_findings():
    # A PDF table whose cells run together: 182 1000 0183 → 18210000183 among other figures.
    run = "1821" + "0000" + "183"
    text = f"城关镇 {_figures(4)} {run} {_figures(5)}\n东华镇 {_figures(9)}"
    hits = _mobile_hits(text)
    assert hits and all(h.score < 0.8 for h in hits)            # needs_review threshold in checks.privacy
    assert all("among_figures" in h.how for h in hits)


@pytest.mark.parametrize("row", range(4))
def test_figures_rows_never_confirm_generated_runs(row):
    value = _mobiles(1)[0]
    text = f"{_figures(3)} {value} {_figures(3)}"
    assert all(h.score < 0.8 for h in _mobile_hits(text))


def test_real_phones_stay_confirmed():
    one, two, three = _mobiles(3)
    assert [h.score for h in _mobile_hits(f"联系人：王某，手机{one}")] == [0.95]
    # a column of phones is digit-dense too, but its neighbours are phones, not figures
    column = f"{synthetic.person_name(RNG)} {one}\n{synthetic.person_name(RNG)} {two}\n{synthetic.person_name(RNG)} {three}"
    assert [h.score for h in _mobile_hits(column)] == [0.8, 0.8, 0.8]
    assert len(_mobile_hits(f"王某 {one} 男 35")) == 1


def test_redaction_still_hides_pruned_lookalikes():
    """Pruning decides what is *reported*; what is written out stays masked either way."""
    from checks.privacy.redact import redact

    value = _mobiles(1)[0]
    assert value not in redact(f"准考证号：{value}")
    assert value not in redact(f"{_figures(3)} {value} {_figures(3)}")

"""Scanner behaviour: identical hits from every engine, offsets into the original text, no raw values kept."""

from __future__ import annotations

import random

import pytest

from checks.privacy import scanner as scanner_module
from checks.privacy import synthetic
from checks.privacy.scanner import Scanner, fingerprint, scan

ENGINES = ["regex", "re"] + (["hyperscan"] if scanner_module.hyperscan is not None else [])


def corpus(seed: int, items: int = 400) -> tuple[str, list[str]]:
    """Chinese filler with planted values in every rendering the scanner handles, plus look-alikes."""
    rng = random.Random(seed)
    words = ["关于", "做好", "工作", "的通知", "各乡镇", "公示", "名单", "如下", "特此", "附件", "2023年", "12月31日",
             "示政发〔2023〕12号", "索引号：000014348/2020-35147", "金额1460元", "电话0591-87654321", "\n"]
    planted, parts = [], []
    for _ in range(items):
        parts.append("".join(rng.choice(words) for _ in range(rng.randint(1, 6))) + "，")
        kind = rng.randrange(12)
        if kind == 0:
            value = synthetic.id18(rng)
            planted.append(value)
            parts.append(f"身份证号{value}")
        elif kind == 1:
            value = synthetic.id18(rng)
            planted.append(value)
            parts.append(f"{value[:6]} {value[6:14]} {value[14:]}")
        elif kind == 2:
            value = synthetic.id18(rng)
            planted.append(value)
            parts.append(f"{value[:11]}\n{value[11:]}")
        elif kind == 3:
            value = synthetic.mobile(rng)
            planted.append(value)
            parts.append(rng.choice([f"电话{value}", f"+86{value}", f"{value[:3]}-{value[3:7]}-{value[7:]}"]))
        elif kind == 4:
            value = synthetic.bank_card(rng)
            planted.append(value)
            parts.append(f"开户账号{value}")
        elif kind == 5:
            parts.append(synthetic.id18(rng, valid=False))
        elif kind == 6:
            parts.append(f"信用代码{synthetic.uscc(rng)}")
        elif kind == 7:
            parts.append(f"35*************{rng.randint(100, 999)} 3417211993****{rng.randint(1000, 9999)}")
        elif kind == 8:
            parts.append(f"{rng.randint(10**20, 10**24)}")
        elif kind == 9:
            parts.append(f"护照E{rng.randint(10**7, 10**8 - 1)}")
        elif kind == 10:
            parts.append(f"身份证{synthetic.id15(rng)}")
        else:
            parts.append(synthetic.id18(rng).translate(str.maketrans("0123456789", "０１２３４５６７８９")))
        parts.append("。")
    return "".join(parts), planted


def _key(hits):
    return [(h.pii_type, h.kind, h.start, h.end, h.masked, h.fingerprint, h.recognizer, h.score, h.context_word,
             h.validated, h.how) for h in hits]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_engines_agree(seed: int):
    text, planted = corpus(seed)
    results = {engine: _key(Scanner(engine=engine).scan(text, salt=b"s")) for engine in ENGINES}
    first = results[ENGINES[0]]
    assert len(first) >= len(planted)
    for engine in ENGINES[1:]:
        assert results[engine] == first, engine


def test_every_planted_value_found_and_never_kept_raw():
    text, planted = corpus(9)
    hits = scan(text, salt=b"k")
    prints = {h.fingerprint for h in hits}
    for value in planted:
        pii_type = "mobile" if len(value) == 11 else "bank_card" if value.startswith("62") else "id_card"
        assert fingerprint(value, pii_type, b"k") in prints, value
    dump = repr(hits)
    assert not any(value in dump for value in planted)


def test_offsets_point_into_original_text():
    rng = random.Random(4)
    value = synthetic.id18(rng)
    text = "全角：" + value.translate(str.maketrans("0123456789", "０１２３４５６７８９")) + "，完"
    (hit,) = scan(text)
    assert text[hit.start:hit.end].translate(str.maketrans("０１２３４５６７８９", "0123456789")) == value


def test_fingerprint_is_salted():
    rng = random.Random(5)
    value = synthetic.mobile(rng)
    a, b = scan(f"电话{value}", salt=b"a")[0], scan(f"电话{value}", salt=b"b")[0]
    assert a.fingerprint != b.fingerprint
    assert a.fingerprint == scan(f"手机 {value[:3]} {value[3:7]} {value[7:]}", salt=b"a")[0].fingerprint


@pytest.mark.parametrize("text", ["", "无数字", "\ud800\udfff" * 3, "1" * 5000, "-" * 100 + "1 " * 2000,
                                  "\x00\x01\x02" + "９" * 40, "*" * 300 + "12"])
def test_odd_input_does_not_crash(text: str):
    assert isinstance(scan(text), list)


def test_types_filter():
    rng = random.Random(6)
    text = f"身份证{synthetic.id18(rng)} 电话{synthetic.mobile(rng)}"
    assert [h.pii_type for h in scan(text, types=["mobile"])] == ["mobile"]


def test_regex_fallback_when_hyperscan_missing(monkeypatch):
    monkeypatch.setattr(scanner_module, "hyperscan", None)
    assert Scanner().engine == "regex"
    with pytest.raises(RuntimeError):
        Scanner(engine="hyperscan")

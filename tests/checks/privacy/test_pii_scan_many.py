"""Scanner.scan_many returns exactly what scan returns document by document (issue 15 item 4, batching).

The documents are joined for the pattern pass, so the danger is a value, boundary test, digit chain or
context word reaching across from one document into the next. The documents here are built to invite
that: values and digit groups at both edges, a prefix (+86) ending one document and a number starting
the next, context words at one document's end for a value at the next one's start, tables, stored
tokens, full-width text, characters outside the BMP (no UTF-16 pass). Every value is synthetic.
"""

from __future__ import annotations

import random
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checks.privacy import synthetic
from checks.privacy.scanner import Scanner, hyperscan, scan, to_token
from tests.needs import shared_dir

ENGINES = (["hyperscan"] if hyperscan is not None else []) + ["re"]
SCANNERS = {engine: Scanner(engine=engine) for engine in ENGINES}
SETTINGS = settings(max_examples=250, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
FW = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")


def _values(seed: int) -> list[str]:
    """Synthetic values and look-alikes of every recognizer, plain, split, prefixed, full-width."""
    rng = random.Random(seed)
    ident, mobile, card = synthetic.id18(rng), synthetic.mobile(rng), synthetic.bank_card(rng)
    old = synthetic.id15(rng)
    token = to_token(scan(f"身份证号 {synthetic.id18(rng)}", salt=b"t")[0])
    return [ident, f"{ident[:6]} {ident[6:14]} {ident[14:]}", f"{ident[:13]}\n{ident[13:]}", ident.translate(FW),
            synthetic.id18(rng, valid=False), f"{ident[:10]}****{ident[14:]}", f"{ident[0]}.{ident[1:15]}E+17",
            f"{ident[:15]}000", old, f"{old[:6]} {old[6:12]} {old[12:]}", mobile, f"{mobile[:3]} {mobile[3:7]} {mobile[7:]}",
            f"+86{mobile}", "+86", "86", "0086", f"{mobile}".translate(FW), card, f"{card[:4]} {card[4:8]} {card[8:]}",
            f"E{rng.randint(10**7, 10**8 - 1)}", synthetic.uscc(rng), token, "1234", "0871-", "5678 ", "12.",
            ".5", "*", "X", "**", "-", "  ", "\n", "\t", "\u3000", "\u00a0", "〔2023〕", "号", "第", "元"]


WORDS = ["身份证号码", "身份证", "联系电话", "手机", "电话", "银行卡号", "账号", "护照号码", "住址", "家庭住址",
         "统一社会信用代码", "订单号", "索引号", "准考证号", "金额", "合计", "地", "住", "姓名\t联系电话\n张三\t",
         "某某县某某镇某某村3组12号", "各乡镇人民政府：", "，", "。", "⟦", "𠀀", "Tel", "No", "a"]


@st.composite
def documents(draw: st.DrawFn) -> list[str]:
    values = _values(draw(st.integers(0, 10**6)))
    pieces = st.lists(st.sampled_from(values + WORDS), max_size=12).map("".join)
    return draw(st.lists(pieces, min_size=1, max_size=7))


@pytest.mark.parametrize("engine", ENGINES)
@SETTINGS
@given(docs=documents(), batch_chars=st.sampled_from([1, 40, 120, 1 << 20]),
       options=st.sampled_from([{}, {"min_score": 0.6, "spreadsheet": False}, {"spreadsheet": True, "window": 8},
                                {"types": ("mobile", "address"), "window": 0}, {"min_score": 0.8, "window": 60}]))
def test_scan_many_equals_scan_per_document(engine, docs, batch_chars, options):
    scanner = SCANNERS[engine]
    expected = [scanner.scan(doc, salt=b"s", **options) for doc in docs]
    assert scanner.scan_many(docs, salt=b"s", batch_chars=batch_chars, **options) == expected


def _reference_texts() -> list[str]:
    """The visible text of the real sample pages (tags dropped, entities left as they are)."""
    samples = shared_dir() / "reference" / "samples"
    texts = []
    for path in sorted(samples.glob("*.html")) + sorted(samples.glob("*.txt")):
        raw = path.read_bytes()
        text = raw.decode("utf-8", "replace") if b"charset=gb" not in raw[:2000].lower() else raw.decode("gbk", "replace")
        texts.append(re.sub(r"\s*\n\s*", "\n", re.sub(r"<[^>]+>", "\n", re.sub(r"(?is)<(script|style).*?</\1>", "", text))))
    return texts


@pytest.mark.parametrize("engine", ENGINES)
def test_scan_many_equals_scan_on_real_pages_with_values_at_the_edges(engine):
    """The sample pages cut into page-sized documents, each cut also starting and ending with a value."""
    texts = _reference_texts()
    if not texts:
        pytest.skip(f"no reference samples under {shared_dir()}")
    rng = random.Random(4)
    docs = []
    for text in texts:
        for at in range(0, len(text), 6000):
            values = _values(rng.randrange(10**6))
            body = text[at:at + 6000]
            docs.append(rng.choice(values) + body + rng.choice(values))
            docs.append(body)
    scanner = SCANNERS[engine]
    for options in ({"min_score": 0.6, "spreadsheet": False}, {}):
        expected = [scanner.scan(doc, salt=b"r", **options) for doc in docs]
        assert sum(map(len, expected)) > len(docs) // 2              # the planted values are found
        for batch_chars in (1 << 20, 20_000):
            assert scanner.scan_many(docs, salt=b"r", batch_chars=batch_chars, **options) == expected


def test_a_value_is_not_completed_across_documents():
    """Halves of one number in two documents are two fragments, as scan sees them, not one value."""
    rng = random.Random(9)
    ident, mobile = synthetic.id18(rng), synthetic.mobile(rng)
    docs = [f"身份证号码 {ident[:9]}", f"{ident[9:]} 男", "联系电话+86", f"{mobile}", f"手机 {mobile[:3]} {mobile[3:7]}",
            f"{mobile[7:]}", "身份证号", f"{ident}。"]
    found = SCANNERS[ENGINES[0]].scan_many(docs, batch_chars=1 << 20)
    assert found == [scan(doc) for doc in docs]
    assert [len(hits) for hits in found] == [0, 0, 0, 1, 0, 0, 0, 1]
    assert found[3][0].how == "plain" and found[3][0].start == 0          # no +86 taken from the document before
    assert found[7][0].context_word is None                               # 身份证号 ends the document before


def test_scan_many_takes_any_iterable_and_empty_documents():
    docs = ["", f"手机{synthetic.mobile(random.Random(1))}", ""]
    scanner = SCANNERS[ENGINES[0]]
    assert scanner.scan_many(iter(docs)) == [scanner.scan(doc) for doc in docs]
    assert scanner.scan_many([]) == []

"""Mask formats and the last-guard redact()."""

from __future__ import annotations

import random
import re

from checks.privacy import synthetic
from checks.privacy.checksums import is_valid_id18
from checks.privacy.mask import mask_bank, mask_id, mask_mobile, mask_passport
from checks.privacy.redact import redact


def test_mask_formats():
    rng = random.Random(11)
    value = synthetic.id18(rng)
    assert mask_id(value) == value[:2] + "*" * 13 + value[-3:]
    assert mask_id(f"{value[:6]} {value[6:]}") == mask_id(value)
    mobile = synthetic.mobile(rng)
    assert mask_mobile(mobile) == f"{mobile[:3]}****{mobile[-4:]}"
    assert mask_mobile("+86" + mobile) == mask_mobile(mobile)
    card = synthetic.bank_card(rng)
    assert mask_bank(card) == f"{card[:4]} **** **** {card[-4:]}"
    assert mask_passport("E12345678") == "E******78"


def test_redact_leaves_no_raw_values_in_any_rendering():
    rng = random.Random(12)
    ids = [synthetic.id18(rng) for _ in range(4)]
    mobiles = [synthetic.mobile(rng) for _ in range(3)]
    card = synthetic.bank_card(rng)
    text = (f"身份证{ids[0]}；{ids[1][:6]} {ids[1][6:]}；{ids[2][:9]}\n{ids[2][9:]}；"
            f"{ids[3].translate(str.maketrans('0123456789', '０１２３４５６７８９'))}；"
            f"电话{mobiles[0]}；订单号{mobiles[1]}；{mobiles[2][:3]} {mobiles[2][3:7]} {mobiles[2][7:]}；{card}；"
            "3417211993****0009")
    out = redact(text)
    flat = re.sub(r"\s", "", out.translate(str.maketrans("０１２３４５６７８９", "0123456789")))
    for value in ids + mobiles + [card]:
        assert value not in flat
    assert "1993" not in out
    assert not any(is_valid_id18(m) for m in re.findall(r"\d{17}[\dX]", flat))


def test_redact_keeps_ordinary_text():
    text = "示政发〔2023〕12号，2023-01-31至2023-02-01，电话0591-87654321，http://x.gov.cn/t20220101_123.html；全角，。"
    assert redact(text) == text
    assert redact("35*************009 138****1234") == "35*************009 138****1234"


def test_tokenize_keeps_what_the_check_needs_and_no_raw_value():
    from checks.privacy.redact import display, tokenize
    from checks.privacy.scanner import scan

    rng = random.Random(13)
    ident, mobile = synthetic.id18(rng), synthetic.mobile(rng)
    text = f"身份证号{ident}，再次{ident[:6]} {ident[6:]}，电话{mobile}，3417211993****0009，家庭住址：某某镇某某村3号"
    stored = tokenize(text, salt=b"s")
    assert ident not in stored and mobile not in stored and "1993" not in stored and "某某村" not in stored
    assert tokenize(stored, salt=b"other") == stored and redact(stored) == stored
    raw_hits, stored_hits = scan(text, salt=b"s"), scan(stored)
    assert [(h.pii_type, h.kind, h.score, h.masked, h.context_word) for h in raw_hits] == \
        [(h.pii_type, h.kind, h.score, h.masked, h.context_word) for h in stored_hits]
    assert len({h.fingerprint for h in stored_hits if h.pii_type == "id_card" and h.kind == "personal_data"}) == 1
    assert display(stored) == redact(text)

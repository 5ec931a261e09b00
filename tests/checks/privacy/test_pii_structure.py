"""Addresses and file names are structure: their digit runs survive redaction unless they carry a person.

Every number is generated here: Luhn-valid card-like runs, mobile-segment runs and GB 11643-valid IDs
are planted into Hanweb download URLs, timestamps, 文号 and 索引号 (kept) and into named query values,
path segments and prose (masked).
"""

from __future__ import annotations

import random

import pytest

from checks.privacy import synthetic
from checks.privacy.checksums import luhn_check_digit, luhn_ok
from checks.privacy.redact import display, redact, tokenize
from checks.privacy.scanner import TOKEN_OPEN
from checks.privacy.structure import mask_url, structural_spans, url_pii
from reports.guard import assert_clean, clean
from reports.guard import redact as guard_redact

RNG = random.Random(20240611)


def luhn_run(prefix: str, length: int) -> str:
    partial = prefix + "".join(str(RNG.randint(0, 9)) for _ in range(length - len(prefix) - 1))
    return partial + luhn_check_digit(partial)


CARD_LIKE = luhn_run("2203", 16)          # the filed case: 2203 …. …. 6588 in a download name
CARD_62 = luhn_run("6222", 19)
MOBILE = synthetic.mobile(RNG)
ID = synthetic.id18(RNG)
HANWEB = f"http://www.yx.gov.cn/module/download/downfile.jsp?classid=0&filename={CARD_LIKE}.doc"

STRUCTURAL = [
    HANWEB,
    f"/module/download/downfile.jsp?classid=0&filename={CARD_62}.doc",
    f"http://www.yx.gov.cn/module/download/downfile.jsp?classid=0&amp;filename={MOBILE}{RNG.randint(100, 999)}.pdf",
    f"http://www.yx.gov.cn/uploadfiles/{MOBILE}.xls",                       # a bare run in a path: not named
    "http://www.yx.gov.cn/art/2023/1/30/art_1_1675046400000.html",          # 13-digit ms epoch
    "http://www.yx.gov.cn/upload/20230130103045.pdf",                       # yyyymmddHHMMSS
    f"http://www.yx.gov.cn/search.jsp?page=2&id={CARD_62}",                 # unnamed parameter
    f"http://www.yx.gov.cn/q.jsp?wh=2023-{MOBILE}&syh=11530000MB1234567X-2023-00123",
    f"http://www.yx.gov.cn/q.jsp?sfzh={synthetic.id18(RNG, valid=False)}",  # named, but wrong check digit
    "http://www.yx.gov.cn/q.jsp?tel=0871-1234567&phone=12345",              # landline and hotline
]


@pytest.mark.parametrize("url", STRUCTURAL)
def test_structural_urls_pass_every_pass_untouched(url):
    assert url_pii(url) == []
    assert mask_url(url) == url
    assert redact(url) == url
    assert tokenize(url) == url
    assert guard_redact(url) == url
    assert clean({"url": url})["url"] == url
    assert_clean(f"<a href=\"{url}\">{url}</a>", "test")        # a whole rendered line is accepted too


@pytest.mark.parametrize("url,pii_type,where", [
    (f"http://www.yx.gov.cn/bsfw/query.jsp?sfzh={ID}&type=1", "id_card", "查询参数「sfzh」"),
    (f"/user/info.do?ID_Card={ID.lower()}", "id_card", "查询参数「ID_Card」"),
    (f"http://www.yx.gov.cn/q.jsp?mobile=%2B86{MOBILE}", "mobile", "查询参数「mobile」"),
    (f"http://www.yx.gov.cn/q.jsp?a=1&amp;sjh={MOBILE}", "mobile", "查询参数「sjh」"),
    (f"http://www.yx.gov.cn/phone/{MOBILE}/detail.html", "mobile", "路径「phone」之后"),
    (f"http://www.yx.gov.cn/uploadfiles/{ID}.xls", "id_card", "地址中"),
    (f"http://www.yx.gov.cn/q.jsp#/detail?zjhm={ID}", "id_card", "查询参数「zjhm」"),
])
def test_personal_part_of_a_url_is_masked_and_the_rest_kept(url, pii_type, where):
    hits = url_pii(url)
    assert [(h.pii_type, h.where) for h in hits] == [(pii_type, where)]
    masked = mask_url(url)
    value = url[hits[0].start:hits[0].end]
    assert value not in masked and "*" in masked
    assert masked.replace(hits[0].masked, value, 1) == url             # only the personal part changed
    for out in (redact(url), guard_redact(url), clean({"url": url})["url"], display(tokenize(url))):
        assert out == masked
    assert mask_url(masked) == masked                                   # idempotent: masked URLs stay found


def test_stored_url_is_masked_not_tokenised():
    """An address stays one usable string in the store too (a token inside it would reach findings.json)."""
    url = f"http://www.yx.gov.cn/q.jsp?sfzh={ID}"
    stored = tokenize(f"查询地址：{url} 。")
    assert ID not in stored and TOKEN_OPEN not in stored and mask_url(url) in stored


def test_guard_shows_stored_tokens_as_masked_values():
    stored = tokenize(f"身份证号码：{ID}")
    assert TOKEN_OPEN in stored
    shown = guard_redact(stored)
    assert TOKEN_OPEN not in shown and ID not in shown and "*" in shown


def test_hanweb_finding_json_survives_the_store_redactor_and_the_guard():
    """The filed bug: the store tokenised the finding's url and findings.json failed its schema."""
    import json

    finding = {"id": "9d29257f2b7c93fc", "rule": "PII001", "url": HANWEB, "location": "第3段",
               "evidence": f"附件「{CARD_LIKE}.doc」：{ID}（第3段）", "observed": {"document": f"附件「{CARD_LIKE}.doc」"}}
    stored = json.loads(tokenize(json.dumps(finding, ensure_ascii=False)))
    assert stored["url"] == HANWEB and stored["id"] == finding["id"]
    assert stored["observed"]["document"] == f"附件「{CARD_LIKE}.doc」"
    assert ID not in stored["evidence"] and TOKEN_OPEN in stored["evidence"]
    shown = clean(stored)
    assert shown["url"] == HANWEB and f"{CARD_LIKE}.doc" in shown["evidence"]
    assert ID not in json.dumps(shown, ensure_ascii=False)


@pytest.mark.parametrize("text", [
    f"联系电话：{MOBILE}",
    f"身份证号码{ID}，开户账号{CARD_62}",
    f"见 http://www.yx.gov.cn/a.html 电话{MOBILE}",           # a URL next to content does not shelter it
    f"名单见附件{ID}.xls",                                    # a valid ID in a file name is still masked
])
def test_content_is_still_masked_around_structure(text):
    for out in (redact(text), guard_redact(text), display(tokenize(text))):
        assert MOBILE not in out and ID not in out and CARD_62 not in out


def test_letter_prefixed_mobile_after_a_slash_is_not_sheltered_as_a_path():
    # '/Tel…' in prose is no address; the report guard (digit-only boundaries) masks what checks.redact
    # leaves to it because a letter touches the number.
    assert MOBILE not in guard_redact(f"张三/Tel{MOBILE}")
    assert structural_spans(f"张三/Tel{MOBILE}") == []


def test_structural_spans_find_addresses_and_digit_file_names_only():
    text = f"附件「{CARD_LIKE}.doc」见 {HANWEB}；说明.pdf 另见/tzgg/index.html。电话{MOBILE}"
    kinds = [(text[s:e], k) for s, e, k in structural_spans(text)]
    assert (f"{CARD_LIKE}.doc", "file") in kinds and (HANWEB, "url") in kinds and ("/tzgg/index.html", "url") in kinds
    assert all(MOBILE not in span for span, _ in kinds)


def test_generated_runs_really_look_like_personal_data():
    """The look-alikes above only prove something if they pass the validators a content redactor uses."""
    assert luhn_ok(CARD_LIKE) and luhn_ok(CARD_62)
    assert redact(f"卡号{CARD_LIKE}") != f"卡号{CARD_LIKE}"
    assert redact(CARD_62) != CARD_62

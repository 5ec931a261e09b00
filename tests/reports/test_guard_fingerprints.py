"""A finding's id is structure: digits inside it that read as a mobile number are no personal data.

Demo hanweb-real seed 707: the PII001 finding on 关于云溪乡文明城市创建问题的咨询 got the id dff18360331519f2, whose
18360331519 reads as a mobile number; the guard refused that finding from findings.json and rectification.xlsx
(输出内容含未脱敏的个人信息), so a counted personal-data finding was missing from both.
"""

from __future__ import annotations

import json
import random

import pytest

from checks.engine import fingerprint
from checks.privacy import synthetic
from reports.guard import ReportError, assert_clean, clean, redact


def _unlucky_fingerprint() -> tuple[str, str]:
    """(url, id) of a finding whose fingerprint holds an 11-digit run that reads as a mobile number."""
    for i in range(200_000):
        url = f"/art/2026/10/10/art_1034_{5028000 + i}.html"
        fid = fingerprint("PII001", url, "id_card")
        if _has_mobile_run(fid):
            return url, fid
    raise AssertionError("no such fingerprint in 200,000 tries")


def _has_mobile_run(fid: str) -> bool:
    import re

    return re.search(r"(?<!\d)1[3-9]\d{9}(?!\d)", fid) is not None


def test_the_demo_id_passes_the_guard():
    finding = {"id": "dff18360331519f2", "rule": "PII001", "evidence": "网页正文：53*************201",
               "message": "网页正文中含有1个未作去标识化处理的公民身份号码（示例：53*************201）。"}
    text = json.dumps(clean(finding), ensure_ascii=False)
    assert "dff18360331519f2" in text
    assert_clean(text, "findings.json")


def test_an_engine_fingerprint_reading_as_a_mobile_passes_the_guard():
    url, fid = _unlucky_fingerprint()
    assert _has_mobile_run(fid)
    row = f"| 38 | 泄露个人信息 | {fid} | http://127.0.0.1:34419{url} | 正文：53*************201 |"
    assert_clean(row, "rectification.xlsx")


@pytest.mark.parametrize("text", [
    "联系手机：13812345678",
    "Tel13812345678",
    "手机号13812345678abc",                 # hex-like, but no finding id (14 characters)
    "申请人 13812345678 ，",
])
def test_personal_data_beside_or_instead_of_ids_is_still_refused(text):
    with pytest.raises(ReportError):
        assert_clean(text, "report.html")
    assert "13812345678" not in redact(text)


MOBILE = synthetic.mobile(random.Random(15))
FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


@pytest.mark.parametrize("text", [
    f"手机号{MOBILE}abcde",                     # the mobile and five hex letters make 16 hex characters
    f"联系人：abcde{MOBILE}。",
    f"申请人 ab{MOBILE}cde 张三",
    f"问题编号 ab{MOBILE}cde",                   # an id-shaped token inside a sentence is no field of its own
    f"Tel{MOBILE.translate(FULLWIDTH)}",         # full-width digits glued to letters
    f"abcdef012345678a{MOBILE.translate(FULLWIDTH)}",   # a 16-hex token right before a full-width mobile
])
def test_a_mobile_forming_or_beside_a_hex_token_is_refused(text):
    """A 16-hex token was exempt wherever it stood, so a mobile glued to a few of a-f passed as a finding id;
    and the digit-boundary passes read ASCII digits only, so a full-width mobile glued to a letter passed too."""
    with pytest.raises(ReportError):
        assert_clean(text, "report.html")
    masked = redact(text)
    assert MOBILE not in masked.translate({ord(c): ord(c) - 0xFEE0 for c in "０１２３４５６７８９"})
    assert MOBILE[:3] + "****" + MOBILE[7:] in masked


@pytest.mark.parametrize("layout", [
    '{{"id": "{fid}", "rule": "PII001"}}',           # findings.json
    "序号\n{fid}\n网页正文",                        # rectification.xlsx: one cell a line
    "| 7 | {fid} | 正文 |",                          # a table row
    "<td>{fid}</td>",
])
def test_a_finding_id_as_a_whole_field_passes(layout):
    _, fid = _unlucky_fingerprint()
    text = layout.format(fid=fid)
    assert_clean(text, "findings.json")
    assert redact(text) == text

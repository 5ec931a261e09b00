"""A finding's id is structure: digits inside it that read as a mobile number are no personal data.

Demo hanweb-real seed 707: the PII001 finding on 关于云溪乡文明城市创建问题的咨询 got the id dff18360331519f2, whose
18360331519 reads as a mobile number; the guard refused that finding from findings.json and rectification.xlsx
(输出内容含未脱敏的个人信息), so a counted personal-data finding was missing from both.
"""

from __future__ import annotations

import json

import pytest

from checks.engine import fingerprint
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

"""Waivers: matching by finding id / URL glob / column glob, expiry, unused waivers, file validation."""

from __future__ import annotations

import datetime as dt

import pytest

from checks.finding import Finding
from checks.waivers import Waiver, apply_waivers, load_waivers, validate_waivers_file
from rules.loader import RuleConfigError

AS_OF = dt.date(2023, 6, 30)


def finding(fid: str, rule: str = "UPD004", url: str = "http://127.0.0.1:8000/zcjd/",
            column: str = "政策解读") -> Finding:
    return Finding(id=fid, rule=rule, kind="blank_column", severity="major", title="t", confidence=1.0,
                   column={"name": column, "url": url}, url=url, message="m", remediation="r", basis="b")


def waiver(rule: str, match, expires=dt.date(2023, 12, 31)) -> Waiver:
    return Waiver(rule=rule, match=match, reason="已报批撤并", approved_by="县政务公开办", expires=expires)


def test_matching_kinds_and_report():
    findings = [finding("0123456789abcdef"), finding("1111111111111111", url="http://h/czxx/a.html", column="财政信息"),
                finding("2222222222222222", rule="LNK002", url="http://h/x.pdf", column="工作动态")]
    by_id = waiver("*", "0123456789abcdef")
    by_url = waiver("UPD004", "/czxx/*")
    by_column = waiver("LNK002", {"column": "工作*"})
    wrong_rule = waiver("UPD001", "/czxx/*")
    expired = waiver("UPD004", "*", expires=dt.date(2023, 6, 29))
    report = apply_waivers(findings, [expired, by_id, by_url, by_column, wrong_rule], AS_OF)
    assert [f.status for f in findings] == ["waived", "waived", "waived"]
    assert findings[1].waiver["reason"] == "已报批撤并" and findings[1].waiver["expires"] == "2023-12-31"
    assert [w for w, _ in report.applied] == [by_id, by_url, by_column]
    assert report.expired == [expired] and report.unused == [wrong_rule]
    assert report.to_dict()["expired"][0]["expires"] == "2023-06-29"


def test_waiver_valid_on_its_last_day():
    f = finding("0123456789abcdef")
    apply_waivers([f], [waiver("UPD004", "*", expires=AS_OF)], AS_OF)
    assert f.status == "waived"


def test_mapping_match_needs_all_parts():
    f = finding("0123456789abcdef")
    report = apply_waivers([f], [waiver("UPD004", {"url": "/zcjd/*", "column": "财政*"})], AS_OF)
    assert f.status == "new" and len(report.unused) == 1


def test_load_and_validate(tmp_path):
    good = tmp_path / "waivers.yml"
    good.write_text("- rule: UPD004\n  match: /zcjd/*\n  reason: 栏目已撤并\n  approved_by: 县政务公开办\n"
                    "  expires: 2024-06-30\n", encoding="utf-8")
    (w,) = load_waivers(good, known_rules={"UPD004"})
    assert w.expires == dt.date(2024, 6, 30) and w.line == 1
    bad = tmp_path / "bad.yml"
    bad.write_text("waivers:\n  - rule: UPD004\n    match: /a/*\n    reason: x\n    expires: 2024-02-30\n"
                   "  - rule: NOPE\n    match: {path: x}\n    reason: 理由\n    approved_by: 某\n    expires: 2024-01-01\n",
                   encoding="utf-8")
    errors = validate_waivers_file(bad)
    text = "\n".join(errors)
    assert f"{bad}:2:5: UPD004: -: 'approved_by' is a required property" in text
    assert "reason: 'x' is too short" in text
    assert any(e.startswith(f"{bad}:6:") and "NOPE" in e for e in errors)
    with pytest.raises(RuleConfigError):
        load_waivers(bad)
    with pytest.raises(RuleConfigError, match="unknown rule id"):
        load_waivers(good, known_rules={"UPD001"})


def test_impossible_expiry_date_is_an_error(tmp_path):
    path = tmp_path / "w.yml"
    path.write_text("- {rule: UPD004, match: /a/*, reason: 理由充分, approved_by: 某, expires: 2024-02-30}\n",
                    encoding="utf-8")
    assert any("not a real date" in e for e in validate_waivers_file(path))

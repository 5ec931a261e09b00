"""The check engine: stamping, fingerprints, the privacy guard, and failures recorded rather than raised."""

from __future__ import annotations

import datetime as dt
import random
import sys
import types

import pytest

from checks.engine import fingerprint, format_value, normalise_location, run_checks
from checks.finding import Observation
from checks.privacy import synthetic
from crawler.records import ColumnRecord, PageRecord, Snapshot
from rules.loader import Rule, RuleSet, load_ruleset

AS_OF = dt.date(2023, 1, 31)


def snapshot(port: int = 8000) -> Snapshot:
    base = f"http://127.0.0.1:{port}"
    return Snapshot(site_name="示例县人民政府", site_url=base + "/", as_of=AS_OF, columns_=[
        ColumnRecord(url=base + "/bmdt/", name="部门动态", type="动态要闻", items=3, dated_items=3,
                     latest=dt.date(2023, 1, 1), department="县政府办"),
        ColumnRecord(url=base + "/zcjd/", name="政策解读", type="政策解读", items=0),
    ], pages_=[PageRecord(url=base + "/index.html", kind="home")])


def fake_rule(rule_id: str, check: str, message: str = "{column}: {value}", family: str = "fake") -> Rule:
    return Rule(id=rule_id, name=f"fake.{check}", title="测试", family=family, check=check, kind="fake_kind",
                severity="minor", message=message, remediation="整改", basis="依据")


@pytest.fixture
def fake_family(monkeypatch):
    """A family module registered in sys.modules whose checks the tests control."""
    module = types.ModuleType("fake_family_for_tests")
    rng = random.Random(7)
    raw_id, raw_mobile = synthetic.id18(rng), synthetic.mobile(rng)

    def leaks(snapshot, rule):
        yield Observation(url=snapshot.site_url + "a.html", evidence=f"身份证{raw_id} 电话{raw_mobile}",
                          observed={"value": raw_id}, key="k")

    def boom(snapshot, rule):
        yield Observation(url="x")
        raise RuntimeError("check exploded")

    def twice(snapshot, rule):
        for location in ("Sheet1!A1", "Sheet1!A2"):
            yield Observation(url=snapshot.site_url + "b.xls", key="same", location=location, observed={"value": 1})

    module.CHECKS = {"leaks": leaks, "boom": boom, "twice": twice}
    module.raw = (raw_id, raw_mobile)
    monkeypatch.setitem(sys.modules, "fake_family_for_tests", module)
    return module


FAMILIES = {"fake": "fake_family_for_tests", "freshness": "checks.freshness", "broken": "no_such_module_xyz"}


def test_stamps_rule_fields_and_formats_message():
    ruleset = load_ruleset().only(["UPD001", "UPD004"])
    result = run_checks(snapshot(), ruleset)
    assert not result.errors
    stale = next(f for f in result.findings if f.rule == "UPD001")
    assert stale.kind == "stale_column" and stale.severity == "major" and stale.status == "new"
    assert stale.column == {"name": "部门动态", "url": "http://127.0.0.1:8000/bmdt/", "type": "动态要闻",
                            "department": "县政府办"}
    assert "2023年1月1日" in stale.message and "已30天未更新" in stale.message
    assert stale.first_seen == AS_OF and stale.basis.startswith("国办秘函〔2019〕19号")
    assert {f.rule for f in result.findings} == {"UPD001", "UPD004"}


def test_fingerprints_ignore_scheme_host_and_port():
    ruleset = load_ruleset().only(["UPD001", "UPD004"])
    a = {f.id for f in run_checks(snapshot(8000), ruleset).findings}
    b = {f.id for f in run_checks(snapshot(9123), ruleset).findings}
    assert a == b and len(a) == 2
    assert normalise_location("https://x.gov.cn:8443/a/b.html?x=1") == "/a/b.html?x=1"
    assert fingerprint("UPD001", "http://a/x", "k") != fingerprint("UPD002", "http://a/x", "k")
    assert len(fingerprint("UPD001", None, "")) == 16


def test_privacy_guard_masks_message_evidence_and_observed(fake_family):
    raw_id, raw_mobile = fake_family.raw
    result = run_checks(snapshot(), RuleSet({"F001": fake_rule("F001", "leaks")}), families=FAMILIES)
    (finding,) = result.findings
    dumped = str(finding.to_dict())
    assert raw_id not in dumped and raw_mobile not in dumped
    assert finding.evidence.startswith("身份证" + raw_id[:2]) and "*" in finding.evidence  # masked, not removed


def test_broken_family_and_raising_check_are_recorded_and_others_run(fake_family):
    rules = {"F001": fake_rule("F001", "boom"), "F002": fake_rule("F002", "leaks"),
             "B001": fake_rule("B001", "anything", family="broken"), "F003": fake_rule("F003", "missing"),
             "N001": fake_rule("N001", "x", family="nofamily")}
    result = run_checks(snapshot(), RuleSet(rules), families=FAMILIES)
    by_rule = {e.rule: e.message for e in result.errors}
    assert "check exploded" in by_rule["F001"]
    assert "无法加载" in by_rule["B001"] and "no_such_module_xyz" in by_rule["B001"]
    assert "未提供检查项 'missing'" in by_rule["F003"]
    assert "未知的检查类别" in by_rule["N001"]
    assert [f.rule for f in result.findings] == ["F002"]  # the raising check's partial output is dropped


def test_missing_template_field_is_recorded(fake_family):
    rule = fake_rule("F002", "leaks", message="{column}{nosuchfield}")
    result = run_checks(snapshot(), RuleSet({"F002": rule}), families=FAMILIES)
    assert result.findings and "{nosuchfield}" in result.findings[0].message
    assert any("nosuchfield" in e.message for e in result.errors)


def test_same_location_and_key_get_distinct_ids(fake_family):
    result = run_checks(snapshot(), RuleSet({"F004": fake_rule("F004", "twice")}), families=FAMILIES)
    assert len({f.id for f in result.findings}) == 2


def test_disabled_rules_do_not_run():
    ruleset = load_ruleset().only(["UPD001"])
    from dataclasses import replace
    ruleset.rules["UPD001"] = replace(ruleset.rules["UPD001"], enabled=False)
    assert run_checks(snapshot(), ruleset).findings == []


def test_previous_and_waivers_through_the_engine():
    from checks.waivers import Waiver
    ruleset = load_ruleset().only(["UPD001", "UPD004"])
    first = run_checks(snapshot(), ruleset)
    later = snapshot(9000)
    later.columns_[0].latest = dt.date(2023, 1, 30)          # UPD001 fixed
    later.columns_.append(ColumnRecord(url="http://127.0.0.1:9000/czxx/", name="财政信息", type="财政信息"))
    waiver = Waiver(rule="UPD004", match="/czxx/*", reason="栏目已撤并", approved_by="县政务公开办",
                    expires=dt.date(2023, 12, 31))
    second = run_checks(later, ruleset, waivers=[waiver], previous=first.findings)
    status = {f.column["name"]: f.status for f in second.findings}
    assert status == {"政策解读": "persisting", "财政信息": "waived"}
    assert [f.rule for f in second.resolved] == ["UPD001"] and second.resolved[0].status == "resolved"
    assert second.waiver_report.applied[0][0] is waiver


@pytest.mark.parametrize("value,text", [(dt.date(2023, 1, 5), "2023年1月5日"), (None, "未识别"),
                                        (["a", "b"], "a、b"), (0.25, "25%"), (True, "是"), (12, "12")])
def test_format_value(value, text):
    assert format_value(value) == text

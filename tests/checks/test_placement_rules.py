"""Placement rules CAT001/CAT002: their fixture cases (tests/rules/CAT00N.yml), run straight through the family
check and the preset's message template, plus the keyword file's own error handling."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from checks.finding import Finding
from checks.placement import CHECKS, PlacementConfigError, category_mismatch, load_keywords
from crawler.records import ColumnRecord, PageRecord, Snapshot
from rules.loader import load_ruleset, validate_file
from tests.rules.fixture import compare, load_fixture

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = sorted((ROOT / "tests" / "rules").glob("CAT*.yml"))


def _stamp(rule, obs) -> Finding:
    """A minimal stand-in for the engine: enough to compare with a fixture's expectations."""
    fields = {**rule.params, "column": obs.column_name, "url": obs.url, **obs.observed}
    return Finding(id=obs.key, rule=rule.id, kind=rule.finding_kind, severity=rule.severity, title=rule.title,
                   confidence=obs.confidence, column={"name": obs.column_name, "url": obs.column_url},
                   url=obs.url, message=rule.message.format(**fields), remediation=rule.remediation,
                   basis=rule.basis, evidence=obs.evidence, count=obs.count, needs_review=obs.needs_review,
                   observed=obs.observed)


def _cases():
    for path in FIXTURES:
        fixture = load_fixture(path)
        for case in fixture.cases:
            yield pytest.param(fixture.rule, case, id=f"{fixture.rule}:{case.name}")


@pytest.mark.parametrize(("rule_id", "case"), list(_cases()))
def test_fixture_case(rule_id, case):
    rule = load_ruleset()[rule_id]
    if case.params:
        rule = rule.with_params(**case.params)
    findings = [_stamp(rule, o) for o in CHECKS[rule.check](case.snapshot, rule)]
    problems = compare(findings, case.expect, case.snapshot.site_url)
    assert not problems, "\n".join(problems)


def test_preset_validates():
    assert validate_file(ROOT / "rules" / "presets" / "guoban-2019" / "placement.yml") == []


def _tiny_site(title: str, ctype: str = "通知公告") -> Snapshot:
    column = ColumnRecord(url="http://x.gov.cn/c/", name="某栏目", type=ctype)
    page = PageRecord(url="http://x.gov.cn/c/1.htm", column_url=column.url, title=title)
    return Snapshot(site_name="x", site_url="http://x.gov.cn", as_of=dt.date(2023, 1, 1),
                    columns_=[column], pages_=[page])


def test_profiles_param_selects_profiles():
    snapshot = _tiny_site("示例县2022年政府信息公开工作年度报告")
    assert len(list(category_mismatch(snapshot, {"params": {}}))) == 1
    only = {"params": {"profiles": ["appointment-outside-personnel"]}}
    assert list(category_mismatch(snapshot, only)) == []


def test_unknown_profile_is_a_clear_error():
    with pytest.raises(PlacementConfigError, match="no-such-profile"):
        list(category_mismatch(_tiny_site("x"), {"params": {"profiles": ["no-such-profile"]}}))


def test_bad_keywords_file_is_a_clear_error(tmp_path):
    bad = tmp_path / "kw.yml"
    bad.write_text("profiles:\n  - {id: x, reason: r, title_any: ['(']}\n", encoding="utf-8")
    with pytest.raises(PlacementConfigError, match=r"kw\.yml:profiles\[0\]"):
        load_keywords(bad)
    with pytest.raises(PlacementConfigError, match="cannot read"):
        load_keywords(tmp_path / "missing.yml")


def test_applies_to_limits_column_types():
    snapshot = _tiny_site("示例县2022年政府信息公开工作年度报告")
    rule = {"params": {}, "applies_to": {"column_types": ["政策文件"]}}
    assert list(category_mismatch(snapshot, rule)) == []


def test_untyped_column_is_inferred_from_its_name():
    column = ColumnRecord(url="http://x.gov.cn/c/", name="通知公告")
    page = PageRecord(url="http://x.gov.cn/c/1.htm", column_url=column.url, title="关于王伟同志任职的通知")
    snapshot = Snapshot(site_name="x", site_url="http://x.gov.cn", as_of=dt.date(2023, 1, 1),
                        columns_=[column], pages_=[page])
    [obs] = category_mismatch(snapshot, {"params": {}})
    assert obs.observed["column_type"] == "通知公告" and obs.observed["expected_type"] == "人事信息"

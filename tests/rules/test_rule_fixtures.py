"""The one parametrised runner over every rule fixture (tests/rules/<RULE_ID>.yml, format in fixture.py)."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest
import yaml

from checks.engine import run_checks
from rules.loader import RuleSet, load_ruleset
from tests.rules.fixture import RESERVED_KEYS, compare, fixture_files, load_fixture


@functools.lru_cache(maxsize=1)
def preset() -> RuleSet:
    return load_ruleset()


def _cases() -> list:
    params = []
    for path in fixture_files():
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError:
            params.append(pytest.param(path, None, id=f"{path.stem}:<yaml error>"))
            continue
        names = [k for k in data if k not in RESERVED_KEYS] if isinstance(data, dict) else []
        params.extend(pytest.param(path, name, id=f"{path.stem}:{name}") for name in names)
        if not names:
            params.append(pytest.param(path, None, id=f"{path.stem}:<no cases>"))
    return params


@pytest.mark.parametrize("path,case_name", _cases())
def test_fixture_case(path: Path, case_name: str | None):
    assert case_name is not None, f"{path}: unreadable fixture or no cases"
    fixture = load_fixture(path)
    assert fixture.path.stem == fixture.rule, f"{path}: file name must be the rule id ({fixture.rule})"
    rule = preset().get(fixture.rule)
    assert rule is not None, f"{path}: rule {fixture.rule} is not in the preset"
    case = next(c for c in fixture.cases if c.name == case_name)
    if case.params:
        rule = rule.with_params(**case.params)
    result = run_checks(case.snapshot, RuleSet({rule.id: rule}))
    assert not result.errors, [e.to_dict() for e in result.errors]
    problems = compare(result.findings, case.expect, case.snapshot.site_url)
    assert not problems, f"{path.name}:{case_name}:\n  " + "\n  ".join(problems)
    for finding in result.findings:
        assert finding.rule == rule.id and finding.severity == rule.severity and finding.basis == rule.basis
        assert "{" not in finding.message, finding.message


def test_every_enabled_rule_has_fail_and_pass_cases():
    """Every enabled preset rule needs tests/rules/<ID>.yml with ≥1 failing and ≥1 passing case."""
    files = {p.stem: p for p in fixture_files()}
    missing = []
    for rule in preset().enabled():
        path = files.get(rule.id)
        if path is None:
            missing.append(f"{rule.id}: no fixture file")
            continue
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        cases = [v for k, v in data.items() if k not in RESERVED_KEYS and isinstance(v, dict)]
        if not any(c.get("expect") for c in cases):
            missing.append(f"{rule.id}: no failing case (non-empty expect)")
        if not any(c.get("expect") == [] for c in cases):
            missing.append(f"{rule.id}: no passing case (expect: [])")
    assert not missing, "rules without complete fixtures:\n" + "\n".join(missing)

"""rules/schema/rule_checks.json names exactly the families and checks the engines run.

The loader rejects a rule whose family or check is not listed there, so the list must follow the
engines: a check added without its entry would be refused, one removed would pass loading and never run.
"""

from __future__ import annotations

import importlib
import json
from pathlib import Path

import pytest

from checks.annual.runner import CHECKS as ANNUAL_CHECKS
from checks.engine import FAMILY_MODULES
from rules.loader import RuleConfigError, load_ruleset

REGISTRY = json.loads((Path(__file__).parents[2] / "rules" / "schema" / "rule_checks.json").read_text(encoding="utf-8"))
FAMILIES = {name: set(checks) for name, checks in REGISTRY.items() if isinstance(checks, dict)}


def test_registry_lists_every_engine_family_and_check():
    engines = {family: set(importlib.import_module(module).CHECKS) for family, module in FAMILY_MODULES.items()}
    engines["annual"] = set(ANNUAL_CHECKS)
    assert FAMILIES == engines


@pytest.mark.parametrize("family, kind, check, where, problem", [
    ("freshnes", "column-stale", None, "family", "unknown family 'freshnes'"),
    ("freshness", "column-stael", None, "kind", "unknown check 'column_stael' in family 'freshness'"),
    ("links", "broken-link", "broken_links", "check", "unknown check 'broken_links' in family 'links'"),
])
def test_unknown_family_or_check_is_a_load_error_with_file_and_line(tmp_path, family, kind, check, where, problem):
    path = tmp_path / "county.yml"
    check_line = f"    check: {check}\n" if check else ""
    path.write_text("extends: guoban-2019\nrules:\n  - id: X001\n    name: x.y\n    title: 测试\n"
                    f"    family: {family}\n    kind: {kind}\n{check_line}    severity: minor\n"
                    "    message: 测试。\n    remediation: 整改。\n    basis: 测试\n", encoding="utf-8")
    line = {"family": 6, "kind": 7, "check": 8}[where]
    with pytest.raises(RuleConfigError) as info:
        load_ruleset(extra=[path])
    assert any(e.startswith(f"{path}:{line}:") and f"X001: {where}: {problem}" in e for e in info.value.errors), \
        info.value.errors


def test_every_preset_still_loads():
    assert len(load_ruleset()) > 0 and len(load_ruleset("annual-report")) > 0

"""Rule loading: the preset, county overrides, and validation errors reported all at once with positions."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from rules.docs import explain, render_rules_markdown
from rules.loader import RuleConfigError, load_ruleset, template_fields, validate_file

GOOD_RULE = """\
  - id: UPD901
    name: freshness.test-rule
    title: 测试规则
    family: freshness
    check: column_stale
    kind: stale_column
    severity: minor
    applies_to: {column_types: [动态要闻]}
    params: {max_age_days: 30}
    message: 栏目「{column}」已{age_days}天未更新。
    remediation: 及时更新。
    basis: 国办秘函〔2019〕19号
"""


def write(tmp_path: Path, text: str, name: str = "county.yml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_preset_loads_with_freshness_and_link_rules():
    ruleset = load_ruleset()
    ids = {r.id for r in ruleset}
    assert {"UPD001", "UPD002", "UPD003", "UPD004", "UPD005", "UPD006", "UPD007", "UPD010", "UPD011", "UPD012",
            "LNK001", "LNK002"} <= ids
    for rule in ruleset:
        if rule.family in ("freshness", "links"):
            assert "国办秘函〔2019〕19号" in rule.basis
            assert rule.source.endswith(".yml") and rule.line > 0
    assert ruleset["UPD002"].applies_to.level == (1,)
    assert ruleset["UPD002"].params["max_age_days"] == 183


def test_preset_files_validate_clean():
    from rules.loader import preset_files
    for path in preset_files("guoban-2019"):
        assert validate_file(path) == [], path


def test_all_errors_at_once_with_positions(tmp_path):
    path = write(tmp_path, """\
rules:
  - id: UPD901
    name: freshness.x
    title: 标题
    family: freshness
    check: column_stale
    kind: stale_column
    severity: fatal
    applies_to: {column_types: [动态要闻, 不存在的类型]}
    params: {max_age_days: x}
    message: 栏目{column}{agex}
    remediation: 及时发布
    basis: 国办
    colour: red
  - id: UPD901
    name: freshness.y
""")
    errors = validate_file(path)
    text = "\n".join(errors)
    assert all(re.match(rf"{re.escape(str(path))}:\d+:\d+: (UPD901|-): \S+: .+", e) for e in errors), text
    assert f"{path}:8:15: UPD901: severity:" in text
    assert f"{path}:10:28: UPD901: params.max_age_days: 'x' is not of type 'integer'" in text
    assert "applies_to.column_types[1]: unknown column type '不存在的类型'" in text
    assert "message: template field {agex} is not observed by freshness.column_stale" in text
    assert f"{path}:14:5: UPD901: colour: unknown key 'colour'" in text
    assert "'title' is a required property" in text
    assert f"{path}:15:9: UPD901: id: duplicate rule id" in text


def test_yaml_syntax_error_has_position(tmp_path):
    path = write(tmp_path, "rules:\n  - id: [UPD001\n")
    errors = validate_file(path)
    assert len(errors) == 1 and "YAML syntax error" in errors[0]
    assert re.match(rf"{re.escape(str(path))}:\d+:\d+: -: -: ", errors[0])


def test_county_overrides_and_additions(tmp_path):
    county = write(tmp_path, "extends: guoban-2019\noverrides:\n"
                             "  UPD001: {params: {max_age_days: 7}, severity: veto}\n"
                             "  LNK002: {enabled: false}\nrules:\n" + GOOD_RULE)
    ruleset = load_ruleset(extra=[county])
    assert ruleset["UPD001"].params["max_age_days"] == 7 and ruleset["UPD001"].severity == "veto"
    assert ruleset["UPD001"].title == load_ruleset()["UPD001"].title
    assert "LNK002" in ruleset and "LNK002" not in {r.id for r in ruleset.enabled()}
    assert ruleset["UPD901"].source == str(county)


@pytest.mark.parametrize("text,needle", [
    ("extends: guoban-2019\noverrides:\n  UPD999: {enabled: false}\n", "UPD999: -: override of an unknown rule id"),
    ("extends: guoban-2019\nrules:\n" + GOOD_RULE.replace("UPD901", "UPD001"), "duplicate rule id (already defined"),
    ("extends: guoban-2019\nretired: [UPD901]\nrules:\n" + GOOD_RULE, "retired rule ids are never reused"),
    ("extends: guoban-2019\nretired: [UPD001]\n", "rule UPD001 is retired but still defined"),
    ("extends: other-preset\n", "extends 'other-preset' but the loaded preset is 'guoban-2019'"),
    ("extends: guoban-2019\noverrides:\n  UPD001: {params: {max_age_days: -3}}\n",
     "UPD001: params.max_age_days: -3 is less than the minimum of 1"),
])
def test_county_file_errors(tmp_path, text, needle):
    county = write(tmp_path, text)
    with pytest.raises(RuleConfigError) as caught:
        load_ruleset(extra=[county])
    assert any(needle in e and e.startswith(f"{county}:") for e in caught.value.errors), caught.value.errors


def test_unknown_preset():
    with pytest.raises(RuleConfigError, match="unknown preset"):
        load_ruleset("no-such-preset")


def test_template_fields():
    assert template_fields("栏目「{column}」{age_days:d}天{obs.x}") == {"column", "age_days", "obs"}


def test_docs_and_explain_come_from_yaml():
    ruleset = load_ruleset()
    markdown = render_rules_markdown(ruleset)
    for rule in ruleset:
        assert f"## {rule.id}" in markdown
    assert "tests/rules/UPD001.yml" in markdown
    text = explain(ruleset["UPD001"])
    assert "UPD001" in text and "max_age_days = 14" in text and "单项否决" not in text.splitlines()[1]
    assert (Path(__file__).resolve().parents[2] / "docs" / "rules.md").read_text(encoding="utf-8") == markdown, \
        "docs/rules.md is stale: run `uv run python -m rules.docs > docs/rules.md`"

"""Every kind a rule can produce has a Chinese name: no internal id reaches the 整改清单 or the reports."""

import re
from pathlib import Path

import yaml

from reports.labels import OTHER_KIND, kind_label

PRESETS = Path(__file__).resolve().parents[2] / "rules" / "presets"


def rule_kinds() -> set[str]:
    kinds = set()
    for path in PRESETS.rglob("*.yml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        rules = data.get("rules", data) if isinstance(data, dict) else data
        kinds.update(r["kind"] for r in rules or [] if isinstance(r, dict) and r.get("kind"))
    return kinds


def test_every_rule_kind_has_a_chinese_label():
    kinds = rule_kinds()
    assert {"service_guide", "stale_column", "annual-carryover"} <= kinds          # the presets were read
    unnamed = {k: kind_label(k) for k in kinds if re.search(r"[A-Za-z]", kind_label(k)) or kind_label(k) == OTHER_KIND}
    assert not unnamed, unnamed


def test_unknown_kind_reads_as_other_not_its_id():
    assert kind_label("brand_new_kind") == OTHER_KIND and kind_label("annual-table3-total") == "政府信息公开年报问题"
    assert kind_label("service_guide") == "办事指南要素不全"

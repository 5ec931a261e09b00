"""The rule text every report prints (title, message, remediation, 依据) holds no maintainer reference.

A clerk hands the 整改清单 out as it is: a 依据 cell reading 'rules/abolished_bodies.yml' or 'regulations.md
VETO-SEVERE-EXPR' (both printed by the demo audit of 2026-12-05) would have to be edited first.
"""

from __future__ import annotations

import re

import pytest

from rules.loader import load_ruleset

# A file name, a dotted path, an upper-case internal id (VETO-SEVERE-EXPR) or a source grade such as [S].
MAINTAINER_TEXT = re.compile(r"[\w/]+\.(?:ya?ml|md|py|json)\b|\b[A-Z]{2,}(?:-[A-Z0-9]+){1,}\b|\[[A-Z]\]")
RULES = list(load_ruleset())


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_printed_rule_text_holds_no_maintainer_reference(rule):
    for field in ("title", "message", "remediation", "basis"):
        text = getattr(rule, field) or ""
        assert not MAINTAINER_TEXT.search(text), (rule.id, field, text)


def test_the_pattern_catches_what_the_demo_printed():
    assert MAINTAINER_TEXT.search("撤销机构名单见 rules/abolished_bodies.yml（依据…）")
    assert MAINTAINER_TEXT.search("常见错字（regulations.md VETO-SEVERE-EXPR）")
    assert MAINTAINER_TEXT.search("来源为[S]级镜像")
    assert not MAINTAINER_TEXT.search("国办秘函〔2019〕19号；网站域名为 samr.gov.cn；HTTP 404")

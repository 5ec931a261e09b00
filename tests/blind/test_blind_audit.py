"""The blind portal (tests/blind/portal.py, a 2015-era 政府信息公开 platform built without reading the crawler or the
checks), audited end to end by a real `govaudit audit`, seed 92.

Before the fixes it prompted (bench/RESULTS.md, "A blind portal, 2026-12-05") seed 92 counted the 新闻中心 columns
twice through one upper-case link on an IIS server (stale precision 0.50, a dead link reported twice) and judged the
catalogue's 主题/机构 facets as columns (a stale facet, a blank facet, eight 任免通知 "misplaced" in a facet). Now every
planted problem is found and every counted finding of a planted kind is one of them.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from bench.blind_eval import decoded
from govaudit.demo.evaluate import score
from tests.blind.portal import AS_OF, build
from tests.blind.server import serve

KINDS = ("stale_column", "blank_column", "category_mismatch", "personal_data", "broken_link")


@pytest.mark.slow
def test_blind_portal_seed_92(tmp_path):
    portal = build(92)
    out, db = tmp_path / "out", tmp_path / "govaudit.sqlite"
    with serve(portal.routes) as base:
        proc = subprocess.run(
            [sys.executable, "-m", "govaudit.cli", "audit", f"{base}/", "--as-of", AS_OF.isoformat(),
             "--out", str(out), "--db", str(db), "--concurrency", "8", "--delay", "0"],
            capture_output=True, text=True, timeout=900,
            env={**os.environ, "CI": "true", "GOVAUDIT_OFFLINE": "1"})
    assert proc.returncode in (0, 1), proc.stderr[-3000:]
    document = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    assert document["status"] == "完整" and document["unread_columns"] == []
    counted = [f for f in document["findings"] if not f.get("needs_review")]
    findings, manifest = decoded(counted, portal.manifest)
    scores = score(findings, manifest)
    for kind in KINDS:
        result = scores[kind]
        print(kind, f"recall {result.recall:.2f}", "missed:", result.missed, "false alarms:", result.false_alarms)
        assert result.precision == 1.0, (kind, result.false_alarms)
        assert result.recall == 1.0, (kind, result.missed)
    names = {c["name"] for c in document["columns"]}
    assert not names & {"劳动、人事、监察", "民族、宗教", "县人力资源和社会保障局"}      # facets are no columns
    assert not any("/NEWS/" in c["url"] for c in document["columns"])                 # one spelling per column

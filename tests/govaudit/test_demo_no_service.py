"""The demo portal without any 办事服务 (style `no-service`, govaudit/demo/service_plant.py), audited end to end.

Its home page offers no 办事服务 entry: SRV001 must be a counted 单项否决 finding and the verdict 服务不实用
单项否决; every other planted problem is still scored with precision and recall 1.0, so dropping the
column moved nothing else. The default portal's side (a guide without 设定依据 found for review only, no
SRV001) is scored by tests/govaudit/test_demo_audit.py.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys

import pytest

from crawler.store import Store
from govaudit.demo.evaluate import format_scores, score
from govaudit.demo.veto_plants import fake_hosts_resolve

pytestmark = pytest.mark.slow      # a real govaudit process crawls the demo portal
AS_OF = dt.date(2026, 11, 30)


def test_portal_without_service_entry_fails_the_item_and_nothing_else_moves(tmp_path):
    from govaudit.demo.availability_identity import probe_week
    from govaudit.demo.generator import build
    from govaudit.demo.server import serve

    site = tmp_path / "site"
    build(site, seed=2026, as_of=AS_OF, scale=0.3, style="no-service")
    manifest = json.loads((site / "manifest.json").read_text(encoding="utf-8"))
    assert not [c for c in manifest["columns"] if "办事" in c["name"]]
    out, db = tmp_path / "out", tmp_path / "govaudit.sqlite"
    with serve(site) as base:
        with Store(db) as week_store:
            probe_week(week_store, f"{base}/", AS_OF)
        proc = subprocess.run(
            [sys.executable, "-m", "govaudit.cli", "audit", f"{base}/", "--as-of", AS_OF.isoformat(),
             "--out", str(out), "--db", str(db), "--concurrency", "8", "--delay", "0"],
            capture_output=True, text=True, timeout=900,
            env={**os.environ, "CI": "true", "GOVAUDIT_RESOLVE": fake_hosts_resolve(base, manifest["server"])})
    assert proc.returncode == 1, proc.stderr[-3000:]
    document = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    assert not [e for e in document["errors"] if e.get("rule") in ("SRV001", "SRV002")], document["errors"]
    scores = score(document["findings"], manifest)
    report = format_scores(scores)
    entry = scores["service_entry"]
    assert (entry.planted, entry.found, entry.findings, entry.review) == (1, 1, 1, 0), report
    for kind, result in scores.items():
        assert result.recall == 1.0 and result.precision == 1.0, f"{kind}\n{report}"
    assert "service_guide" not in scores                # no 办事服务 column: no guide to judge
    srv001 = next(f for f in document["findings"] if f["rule"] == "SRV001")
    assert srv001["severity"] == "veto" and "首页未提供办事服务入口" in srv001["message"]
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "服务不实用" in html and "首页未提供办事服务入口" in html

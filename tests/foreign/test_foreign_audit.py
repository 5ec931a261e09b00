"""The held-out foreign portal (seed 42, fj-trs skin, never tuned on), audited end to end by a real `govaudit audit`.

Precision first: every counted finding of a planted kind must be a planted problem (precision 1.0 per kind);
recall must not fall below floors set a little under what bench/foreign_eval.py measured on this seed
(bench/RESULTS.md, "A portal built apart from the demo"). What the audit still misses is printed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

from govaudit.demo.evaluate import score
from tests.foreign.portal import AS_OF, HELD_OUT_SEED, build
from tests.foreign.server import serve
from tests.needs import reference_file

# Measured on the held-out seed after the fixes (RESULTS.md): stale 4/4, blank 1/2, misplaced 2/2, personal data
# 3/5 (the two table/roster mobiles are 需人工复核), broken links 3/3 (the redirect loop included). One planted item
# of slack where there is room.
RECALL_FLOORS = {"stale_column": 0.75, "blank_column": 0.5, "category_mismatch": 0.5, "personal_data": 0.6,
                 "broken_link": 0.66}


def test_held_out_foreign_portal(tmp_path):
    reference_file("columns", "real-columns.tsv")
    portal = build(HELD_OUT_SEED)
    out, db = tmp_path / "out", tmp_path / "govaudit.sqlite"
    with serve(portal.routes, portal.site, portal.skin) as base:
        proc = subprocess.run(
            [sys.executable, "-m", "govaudit.cli", "audit", f"{base}/", "--as-of", AS_OF.isoformat(),
             "--out", str(out), "--db", str(db), "--concurrency", "8", "--delay", "0"],
            capture_output=True, text=True, timeout=900,
            env={**os.environ, "CI": "true", "GOVAUDIT_OFFLINE": "1"})
    assert proc.returncode in (0, 1), proc.stderr[-3000:]
    document = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    # The 政府信息公开 landing page is judged through its sub-columns: no column is left unread, the check is whole.
    assert document["status"] == "完整" and document["unread_columns"] == []
    findings = document["findings"]
    counted = score([f for f in findings if not f.get("needs_review")], portal.manifest)
    for kind, floor in RECALL_FLOORS.items():
        result = counted[kind]
        print(kind, f"recall {result.recall:.2f}", "missed:", result.missed, "false alarms:", result.false_alarms)
        assert result.precision == 1.0, (kind, result.false_alarms)
        assert result.recall >= floor, (kind, result.missed)

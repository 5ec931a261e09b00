"""The held-out foreign portals (seed 42, fj-trs skin; seed 51, zj-hanweb skin; seed 61, the old GBK table-layout
gbk-table skin), audited end to end by a real `govaudit audit`.

Precision first: every counted finding of a planted kind must be a planted problem (precision 1.0 per kind);
recall must not fall below floors set a little under what bench/foreign_eval.py measured on this seed
(bench/RESULTS.md, "A portal built apart from the demo"). What the audit still misses is printed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from crawler.columns import UNDECIDED_REASON
from govaudit.demo.evaluate import score
from tests.foreign.portal import AS_OF, HANWEB_SEEDS, HELD_OUT_SEED, OLD_TABLE_SEEDS, build
from tests.foreign.server import serve
from tests.needs import reference_file

# Measured (RESULTS.md): seed 42 stale 4/4, blank 2/2 (the empty 集约化 list, since the empty-list fix), misplaced
# 2/2, personal data 3/5 (the two table/roster mobiles are 需人工复核), broken links 3/3; seed 51 (zj-hanweb, first
# figures held out) the same but misplaced 1/2 (the 中标结果公告 is 需人工复核). One planted item of slack where there
# is room; the blank columns of seed 42 are what the empty-list fix is for, so none there. Seed 61 (gbk-table,
# first figures held out: stale 4/4, blank 2/2, misplaced 1/2, personal data 3/5, dead links 3/3 at precision
# 0.60): since the old-site fixes every kind is found; the roster behind a GBK-escaped file name (personal
# data), the 中标结果公告 in a `·<a>…<br>` list (misplaced) and the dead links are what those fixes are for.
RECALL_FLOORS = {"stale_column": 0.75, "blank_column": 0.5, "category_mismatch": 0.5, "personal_data": 0.6,
                 "broken_link": 0.66}
EXACT = {HELD_OUT_SEED: {"blank_column": 1.0},
         OLD_TABLE_SEEDS[0]: {"category_mismatch": 1.0, "personal_data": 1.0, "broken_link": 1.0}}


@pytest.mark.parametrize("seed", [HELD_OUT_SEED, HANWEB_SEEDS[0], OLD_TABLE_SEEDS[0]])
def test_held_out_foreign_portal(tmp_path, seed):
    reference_file("columns", "real-columns.tsv")
    portal = build(seed)
    out, db = tmp_path / "out", tmp_path / "govaudit.sqlite"
    with serve(portal.routes, portal.site, portal.skin, portal.api) as base:
        proc = subprocess.run(
            [sys.executable, "-m", "govaudit.cli", "audit", f"{base}/", "--as-of", AS_OF.isoformat(),
             "--out", str(out), "--db", str(db), "--concurrency", "8", "--delay", "0"],
            capture_output=True, text=True, timeout=900,
            env={**os.environ, "CI": "true", "GOVAUDIT_OFFLINE": "1"})
    assert proc.returncode in (0, 1, 4), proc.stderr[-3000:]
    document = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    if portal.skin in ("fj-trs", "gbk-table"):
        # The 政府信息公开 landing page is judged through its sub-columns: no column is left unread, the check is
        # whole (gbk-table: a list paged only by its <select> is read to the end).
        assert proc.returncode in (0, 1)
        assert document["status"] == "完整" and document["unread_columns"] == []
    else:
        # The JCMS 互动交流 page links only to the off-site 留言 platform, with no list and no text of its own: it
        # is said not to be judged (never dropped); no planted column is among the unread.
        planted_columns = {p["column_url"] for p in portal.manifest["planted"]}
        for column in document["unread_columns"]:
            assert column["reason"] == UNDECIDED_REASON and column["name"] == "互动交流", column
            assert not any(column["url"].endswith(u) for u in planted_columns)
    findings = document["findings"]
    counted = score([f for f in findings if not f.get("needs_review")], portal.manifest)
    for kind, floor in {**RECALL_FLOORS, **EXACT.get(seed, {})}.items():
        result = counted[kind]
        print(kind, f"recall {result.recall:.2f}", "missed:", result.missed, "false alarms:", result.false_alarms)
        assert result.precision == 1.0, (kind, result.false_alarms)
        assert result.recall >= floor, (kind, result.missed)

"""The held-out foreign portals (seed 42, fj-trs skin; seed 51, zj-hanweb skin; seed 61, the old GBK table-layout
gbk-table skin; seed 71, jyh-api; seed 81, the ASP.NET 站群 aspx-zq skin), audited end to end by a real `govaudit audit`.

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
from tests.foreign.portal import (
    AS_OF,
    ASPX_SEEDS,
    HANWEB_SEEDS,
    HELD_OUT_SEED,
    INTENSIVE_SEEDS,
    OLD_TABLE_SEEDS,
    build,
)
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
# Seed 71 (jyh-api, first figures held out: stale 0/4, blank counted precision 0.00, misplaced 1/2, personal data
# 1/5, dead links 2/3): every kind is what the script-list, hidden-placeholder and JSON-tree fixes are for.
# Seed 81 (aspx-zq, first figures held out: stale 1/4 at counted precision 0.33, blank 0/2, dead links 1/4, status
# 有检查异常): every kind is what the IIS-case, soft-404, postback, concatenated-pager, year-heading and landing-page
# fixes are for.
EXACT = {HELD_OUT_SEED: {"blank_column": 1.0},
         OLD_TABLE_SEEDS[0]: {"category_mismatch": 1.0, "personal_data": 1.0, "broken_link": 1.0},
         INTENSIVE_SEEDS[0]: {kind: 1.0 for kind in RECALL_FLOORS},
         ASPX_SEEDS[0]: {kind: 1.0 for kind in RECALL_FLOORS}}


def _audit(portal, tmp_path) -> tuple[int, dict]:
    out, db = tmp_path / "out", tmp_path / "govaudit.sqlite"
    with serve(portal.routes, portal.site, portal.skin, portal.api) as base:
        proc = subprocess.run(
            [sys.executable, "-m", "govaudit.cli", "audit", f"{base}/", "--as-of", AS_OF.isoformat(),
             "--out", str(out), "--db", str(db), "--concurrency", "8", "--delay", "0"],
            capture_output=True, text=True, timeout=900,
            env={**os.environ, "CI": "true", "GOVAUDIT_OFFLINE": "1"})
    assert proc.returncode in (0, 1, 4), proc.stderr[-3000:]
    return proc.returncode, json.loads((out / "findings.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("seed", [HELD_OUT_SEED, HANWEB_SEEDS[0], OLD_TABLE_SEEDS[0], INTENSIVE_SEEDS[0], ASPX_SEEDS[0]])
def test_held_out_foreign_portal(tmp_path, seed):
    reference_file("columns", "real-columns.tsv")
    portal = build(seed)
    returncode, document = _audit(portal, tmp_path)
    if portal.skin in ("fj-trs", "gbk-table", "jyh-api", "aspx-zq"):
        # The 政府信息公开 landing page is judged through its sub-columns: no column is left unread, the check is
        # whole (gbk-table: a list paged only by its <select> is read to the end).
        assert returncode in (0, 1)
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


def test_a_list_api_that_answers_with_its_error_envelope_is_no_blank_column(tmp_path):
    """jyh-api: when the list API answers a channel with `{"code":500,"msg":"栏目不存在","data":null}` (HTTP 200),
    the column's list is unread — never a counted 空白栏目, nor stale — and the audit says it is not whole."""
    reference_file("columns", "real-columns.tsv")
    portal = build(INTENSIVE_SEEDS[0])
    refused = {c["url"] for c in portal.manifest["columns"] if c["name"] in _names(portal, ("news_main", "blank_empty"))}
    for channel in _channels(portal, refused):
        del portal.api[channel]
    _, document = _audit(portal, tmp_path)
    counted = [f for f in document["findings"] if not f.get("needs_review")]
    for finding in counted:
        if finding["kind"] in ("blank_column", "stale_column"):
            assert not any(finding["url"].endswith(url) for url in refused), finding
    unread = {c["url"] for c in document["unread_columns"]}
    assert all(any(u.endswith(url) for u in unread) for url in refused), document["unread_columns"]
    assert document["status"] != "完整"


def _names(portal, roles: tuple[str, ...]) -> set[str]:
    """Column names of the roles (the manifest lists columns in PLAN order; the hub is last)."""
    from tests.foreign.portal import PLAN
    order = [role for role, *_ in PLAN]
    return {portal.manifest["columns"][order.index(role)]["name"] for role in roles}


def _channels(portal, urls: set[str]) -> list[int]:
    """The API channels of the column pages at `urls` (as their list script names them)."""
    import re

    from tests.foreign.server import Table
    table = Table(portal.routes)
    return [int(re.search(r"channelId[=:'\s]+(\d+)", table.lookup(url).body.decode("utf-8")).group(1))
            for url in urls]

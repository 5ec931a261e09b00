"""The audit scored on demo styles nobody tuned on (issue 11 item 6, "Done when" #2).

The checks, crawler and column model were tuned on the classic demo (TUNING below) and on the real
pages under shared/reference/. Each HELD_OUT combination renders the same planted problems in
another CMS family with real column names, generic/listed/missing ColumnType metas, a landing page
over typed sub-columns, twin /x/ links and unlinked current crumbs, or a 集约化 list API; one real
`govaudit audit` process audits it and govaudit/demo/evaluate.py scores the findings against the
manifest. The issue's targets (evaluate.TARGETS) must hold on every held-out combination.

A list API the crawler cannot follow must never turn into a false verdict: every column read short of
what the site lists has to carry an unread reason and get no stale or blank finding; the recall
targets are then only asserted where the list was read to the end (and the shortfall is printed).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from urllib.parse import urlsplit

import pytest

from crawler.store import Store
from crawler.urls import column_url
from govaudit.demo.evaluate import format_scores, format_targets, score, target_failures
from tests.needs import reference_file

pytestmark = pytest.mark.slow
AS_OF = dt.date(2026, 11, 30)
SCALE = 0.3
# What the checks were tuned on (tests/govaudit/test_demo_audit.py, bench/RESULTS.md): never scored here.
TUNING = (("classic", 2026), ("classic", 7))
# Styles and seeds no tuning used.
HELD_OUT = (("trs-real", 11), ("hanweb-real", 23), ("vsb-real", 5), ("mixed-real", 31))
# Known misses, each with its cause; strict, so a fix turns the mark into a failure that asks for its removal.
# (vsb-real 5's 县教体局工作状态, named by nothing, is now typed 动态要闻 from its news items: crawler/columns.py.)
KNOWN_MISSES: dict[tuple[str, int], str] = {}
LIST_API_HELD_OUT = (("hanweb-api", 13), ("fujian-api", 17))


def _path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _audit(tmp_path, style: str, seed: int) -> dict:
    from govaudit.demo.generator import build
    from govaudit.demo.server import serve

    site = tmp_path / "site"
    build(site, seed=seed, as_of=AS_OF, scale=SCALE, style=style,
          names_file=reference_file("columns", "real-columns.tsv"))
    manifest = json.loads((site / "manifest.json").read_text(encoding="utf-8"))
    out, db = tmp_path / "out", tmp_path / "govaudit.sqlite"
    with serve(site) as base:
        proc = subprocess.run(
            [sys.executable, "-m", "govaudit.cli", "audit", f"{base}/", "--as-of", AS_OF.isoformat(),
             "--out", str(out), "--db", str(db), "--concurrency", "8", "--delay", "0"],
            capture_output=True, text=True, timeout=900, env={**os.environ, "CI": "true"})
    assert proc.returncode == 1, proc.stderr[-3000:]          # planted 单项否决 items, --fail-on veto
    findings = json.loads((out / "findings.json").read_text(encoding="utf-8"))["findings"]
    store = Store(db)
    snapshot = store.load_snapshot(store.latest_run().id)
    return {"manifest": manifest, "findings": findings, "snapshot": snapshot}


def _shortfalls(manifest: dict, snapshot) -> dict[str, tuple[int, int, str | None]]:
    """Columns the crawl read short of what the site lists: url -> (listed, read, unread reason)."""
    read = {_path(c.url): c for c in snapshot.columns()}
    out = {}
    for column in manifest["columns"]:
        if column.get("hub"):
            continue
        record = read.get(column_url(column["url"])) or read.get(column["url"])
        if record is None:
            out[column["url"]] = (column["items"], 0, None)
        elif record.items < column["items"]:
            out[column["url"]] = (column["items"], record.items, record.unread_reason)
    return out


def test_the_held_out_set_is_disjoint_from_the_tuning_set():
    held = {style for style, _ in HELD_OUT + LIST_API_HELD_OUT}
    assert not held & {style for style, _ in TUNING}
    assert not {seed for _, seed in HELD_OUT + LIST_API_HELD_OUT} & {seed for _, seed in TUNING}


@pytest.mark.parametrize(("style", "seed"), [
    pytest.param(s, n, id=f"{s}-{n}", marks=[pytest.mark.xfail(reason=KNOWN_MISSES[(s, n)], strict=True)]
                 if (s, n) in KNOWN_MISSES else []) for s, n in HELD_OUT])
def test_targets_hold_on_held_out_styles(tmp_path, style, seed):
    result = _audit(tmp_path, style, seed)
    scores = score(result["findings"], result["manifest"])
    report = f"{style} seed {seed}\n{format_scores(scores)}\n{format_targets(scores)}"
    print(report)
    assert not _shortfalls(result["manifest"], result["snapshot"]), report
    assert not target_failures(scores), report


@pytest.mark.parametrize(("style", "seed"), LIST_API_HELD_OUT, ids=[f"{s}-{n}" for s, n in LIST_API_HELD_OUT])
def test_list_api_styles_give_no_false_verdict(tmp_path, style, seed):
    result = _audit(tmp_path, style, seed)
    manifest, findings = result["manifest"], result["findings"]
    assert {c["pagination"] for c in manifest["columns"]} & {"hanweb_dataproxy_post", "fujian_trsapi"}
    scores = score(findings, manifest)
    short = _shortfalls(manifest, result["snapshot"])
    report = (f"{style} seed {seed}\n{format_scores(scores)}\n{format_targets(scores)}\n"
              + "\n".join(f"read short: {u} listed {n}, read {r}, reason {why}" for u, (n, r, why) in short.items()))
    print(report)
    # Read short of the list: said so, and no verdict on the column.
    assert all(why for _, _, why in short.values()), report
    judged = {_path(f.get("url") or "") for f in findings if f["kind"] in ("stale_column", "blank_column")}
    assert not {column_url(u) for u in short} & {column_url(u) for u in judged}, report
    # Whatever was read is judged right.
    for kind in ("stale_column", "blank_column"):
        assert scores[kind].precision == 1.0, report
    assert scores["category_mismatch"].precision >= 0.9, report
    assert scores["personal_data"].precision >= 0.99, report
    if not short:
        assert not target_failures(scores), report

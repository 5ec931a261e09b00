"""A re-crawl that carries unchanged pages forward (crawler/reverify.py) must give the audit a full re-crawl gives.

The demo portal is crawled and checked once; a week later, with nothing changed on the site, the same store is
re-crawled twice from two copies: once with the rotation (`--reverify-weeks 4`: lists, open findings and the
pages due this week are asked, the rest carried forward) and once asking every page (`--reverify-weeks 1`).
Both runs must hold the same pages, attachments, links, columns and addresses with personal data, and the
checks must find the same problems with the same statuses: carrying forward saves requests, never findings.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow      # real govaudit processes crawl the demo portal: not in `-m "not slow"`

REPO = Path(__file__).resolve().parents[2]
FIRST = dt.date(2026, 11, 30)
NEXT_WEEK = FIRST + dt.timedelta(weeks=1)
SAMPLED_KINDS = ("external", "image")


def _crawl(url: str, db: Path, as_of: dt.date, weeks: int) -> None:
    env = {**os.environ, "CI": "true", "PYTHONPATH": str(REPO)}
    result = subprocess.run([sys.executable, "-m", "govaudit.cli", "crawl", url, "--db", str(db), "--as-of",
                             as_of.isoformat(), "--concurrency", "8", "--delay", "0", "--reverify-weeks", str(weeks)],
                            cwd=REPO, capture_output=True, text=True, timeout=600, env=env)
    assert result.returncode == 0, result.stderr[-3000:]


def _checked(db: Path) -> dict:
    """The latest run's stored records and the findings its check gives, in comparable form."""
    from govaudit.audit import check_run, open_store

    store = open_store(db)
    try:
        run_id = store.latest_run().id
        outcome = check_run(store, run_id)
        snapshot = store.load_snapshot(run_id)
        stats = store.run(run_id).stats
    finally:
        store.close()

    def rows(records, drop=()):
        return sorted(json.dumps({k: v for k, v in dataclasses.asdict(r).items() if k not in drop},
                                 ensure_ascii=False, default=str, sort_keys=True) for r in records)

    return {
        "stats": stats,
        "pages": rows(snapshot.pages_),
        "attachments": rows(snapshot.attachments_),
        # A footer link to another site and a template image are recorded from the first pages that answer
        # (MAX_SOURCES of page_signals and images), which differ between any two concurrent crawls: such links
        # compare by target and outcome.
        "links": rows(link for link in snapshot.links_ if link.kind not in SAMPLED_KINDS),
        "sampled": sorted({(link.kind, link.target_url, link.status or 0, link.error or "")
                           for link in snapshot.links_ if link.kind in SAMPLED_KINDS}),
        "url_pii": rows(snapshot.url_pii_),
        "columns": rows(snapshot.columns_, drop=("fetched_at",)),      # when the record was built
        "findings": rows(outcome.findings),
        "resolved": sorted(f.id for f in outcome.resolved),
    }


@pytest.fixture(scope="module")
def recrawls(tmp_path_factory):
    from govaudit.audit import check_run, open_store
    from govaudit.demo.generator import build
    from govaudit.demo.server import serve

    root = tmp_path_factory.mktemp("reverify-equal")
    site = root / "site"
    build(site, seed=11, as_of=FIRST, scale=0.2)
    first = root / "first.sqlite"
    with serve(site) as base:
        url = f"{base}/"
        _crawl(url, first, FIRST, 4)
        store = open_store(first)
        try:
            check_run(store, store.latest_run().id)          # its open findings are asked again every week
        finally:
            store.close()
        results = {}
        for weeks in (4, 1):
            db = root / f"weeks{weeks}.sqlite"
            with sqlite3.connect(first) as source, sqlite3.connect(db) as target:
                source.backup(target)
            _crawl(url, db, NEXT_WEEK, weeks)
            results[weeks] = _checked(db)
    return results


def test_the_rotation_carried_most_pages_forward(recrawls):
    carried, full = recrawls[4]["stats"], recrawls[1]["stats"]
    assert full["carried_forward"] == 0
    assert carried["carried_forward"] > carried["pages"] / 2
    assert carried["requests"] < full["requests"] / 2


@pytest.mark.parametrize("what", ["pages", "attachments", "links", "sampled", "url_pii", "columns"])
def test_the_store_holds_what_a_full_recrawl_stores(recrawls, what):
    assert recrawls[4][what] or what == "url_pii", what           # no address of this seed carries any
    assert recrawls[4][what] == recrawls[1][what]


def test_the_checks_find_what_a_full_recrawl_finds(recrawls):
    assert recrawls[4]["findings"], "the demo portal plants problems: none found means nothing was checked"
    assert recrawls[4]["findings"] == recrawls[1]["findings"]
    assert recrawls[4]["resolved"] == recrawls[1]["resolved"] == []

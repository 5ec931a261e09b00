"""`govaudit probe` runs from cron for ever: the visits no verdict can read any more are dropped in the
transaction that adds a round, and the columns keep rotating after the old rounds are gone.

A verdict reads PROBE_DAYS_KEPT days before its check date; probes older than PROBE_RETENTION_DAYS before
the round go, unless a stored run's window still holds them (re-checking that run must see the same week).
Run on SQLite and on the session's PostgreSQL server.
"""

from __future__ import annotations

import datetime as dt

import httpx
import pytest

from crawler.records import ColumnRecord, ProbeRecord
from crawler.store import PROBE_DAYS_KEPT, PROBE_RETENTION_DAYS, Store
from govaudit.probe import run_probe
from tests.loopback import LoopbackServer

NOW = dt.datetime(2026, 11, 30, 9, 0, 0)
COLUMNS = ("/c0/", "/c1/", "/c2/")


@pytest.fixture(params=["sqlite", "postgresql"])
def location(request, tmp_path):
    if request.param == "sqlite":
        return tmp_path / "probes.sqlite"
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def portal():
    routes = {"/index.html": b"<html><body>home</body></html>"} | {c: b"<html><body>column</body></html>"
                                                                    for c in COLUMNS}
    with LoopbackServer(routes) as server, httpx.Client() as client:
        yield server.base_url + "/", client


def _visit(site: str, at: dt.datetime, target: str = "home") -> ProbeRecord:
    return ProbeRecord(at, site, target, "ok", 200, 120, None, site)


def _all(store: Store, site: str) -> list[dt.datetime]:
    return [p.probed_at for p in store.probes(site, dt.datetime(2000, 1, 1), dt.datetime(2100, 1, 1))]


def test_old_visits_go_with_the_next_round_unless_a_kept_run_reads_them(location, portal):
    site, client = portal
    other = "http://www.other.gov.cn/"
    kept_run_day = dt.date(2026, 10, 1)                       # a stored run whose week must stay readable
    in_run_window = dt.datetime(2026, 9, 25, 8)
    outside_everything = dt.datetime(2026, 9, 10, 8)          # before the kept run's window, long before NOW
    just_too_old = NOW - dt.timedelta(days=PROBE_RETENTION_DAYS, hours=1)
    just_young_enough = NOW - dt.timedelta(days=PROBE_RETENTION_DAYS) + dt.timedelta(hours=1)
    with Store(location) as store:
        run = store.start_run(site, "某县", kept_run_day)
        store.finish_run(run, "complete")
        pruned = store.start_run(site, "某县", dt.date(2026, 8, 1))
        store.finish_run(pruned, "complete", {"pruned": True})  # a pruned run is never re-checked: no window
        store.add_probes(site, [_visit(site, t) for t in
                                (dt.datetime(2026, 7, 25, 8), outside_everything, in_run_window,
                                 just_too_old, just_young_enough)])
        store.add_probes(other, [_visit(other, outside_everything)])
        before = store.load_snapshot(run).probes_

        records, _ = run_probe(site, store=store, at=NOW, timeout=5, client=client)

        assert [r.outcome for r in records] == ["ok"]
        assert _all(store, site) == [in_run_window, just_young_enough, NOW]
        assert _all(store, other) == [outside_everything]      # another site's visits are its own round's business
        assert store.load_snapshot(run).probes_ == before       # the kept run reads exactly what it read


def test_a_probe_without_prune_date_drops_nothing(location):
    site = "http://www.qh.gov.cn/"
    with Store(location) as store:
        assert store.add_probes(site, [_visit(site, dt.datetime(2001, 1, 1))]) == 0
        assert store.add_probes(site, [_visit(site, NOW)], prune_before=NOW - dt.timedelta(days=1)) == 1
        assert _all(store, site) == [NOW]


def test_columns_keep_rotating_when_old_rounds_are_pruned(location, portal):
    """One round a day for six weeks: the round count stops growing once pruning starts, the turn must not."""
    site, client = portal
    base = site.rstrip("/")
    with Store(location) as store:
        run = store.start_run(site, "某县", (NOW - dt.timedelta(days=60)).date())
        for path in COLUMNS:
            store.add_column(run, ColumnRecord(url=base + path, name=path.strip("/")))
        store.finish_run(run, "complete")
        visited = []
        for day in range(42):
            records, _ = run_probe(site, store=store, count=2, at=NOW + dt.timedelta(days=day), timeout=5,
                                   client=client)
            visited += [r.url.removeprefix(base) for r in records if r.target == "column"]
        days_kept = {p.date() for p in _all(store, site)}
    assert visited == [COLUMNS[i % 3] for i in range(84)]
    assert len(days_kept) == PROBE_RETENTION_DAYS + 1 > PROBE_DAYS_KEPT


def test_govaudit_prune_drops_probes_by_the_same_rule(location, capsys):
    """`govaudit prune` applies the round's rule to every site's visits, and after its runs: a run pruned now no
    longer holds its week, and a site probed no more (or only through --state) is pruned all the same."""
    from govaudit.cli import main

    site, quiet, probed_only = "http://www.qh.gov.cn/", "http://www.ly.gov.cn/", "http://www.hx.gov.cn/"
    newest = NOW
    old_run_week = dt.datetime(2026, 8, 28, 8)                 # read only by the run pruned below
    just_too_old = newest - dt.timedelta(days=PROBE_RETENTION_DAYS, hours=1)
    just_young_enough = newest - dt.timedelta(days=PROBE_RETENTION_DAYS) + dt.timedelta(hours=1)
    kept_run_week = dt.datetime(2026, 9, 26, 8)                # read by `quiet`'s only run, kept
    with Store(location) as store:
        for day in (dt.date(2026, 9, 1), NOW.date()):
            store.finish_run(store.start_run(site, "某县", day), "complete")
        store.finish_run(store.start_run(quiet, "某县", dt.date(2026, 10, 1)), "complete")
        store.add_probes(site, [_visit(site, t) for t in (old_run_week, just_too_old, just_young_enough, newest)])
        store.add_probes(quiet, [_visit(quiet, t) for t in (dt.datetime(2026, 9, 1, 8), kept_run_week,
                                                            dt.datetime(2026, 11, 1, 8))])
        store.add_probes(probed_only, [_visit(probed_only, t) for t in (dt.datetime(2026, 6, 1, 8), newest)])
    assert main(["prune", "--keep", "1", "--db", str(location)]) == 0
    out = capsys.readouterr().out
    assert "已清理 1 次" in out and "可用性探测记录 4 条" in out
    with Store(location) as store:
        assert _all(store, site) == [just_young_enough, newest]
        assert _all(store, quiet) == [kept_run_week, dt.datetime(2026, 11, 1, 8)]
        assert _all(store, probed_only) == [newest]
        assert store.prune(keep=1)["probes"] == 0                # nothing left to prune
        assert store.load_snapshot(store.runs(site)[-1].id).probes_[-1].probed_at == newest

"""Province scale on real servers: Redis for the queue, PostgreSQL (or, for workers on one machine,
a SQLite file) for the shared store, several workers, several demo portals, one killed worker.

Starts Debian's redis-server on a free loopback port (PostgreSQL comes from tests/conftest.py),
serves small copies of the demo portal on their own ports, runs worker processes (`govaudit
worker`) that share one database as workers on several machines would, and checks that the
findings equal a single-process run's, that a worker killed mid-site loses nothing, that no site's
server ever sees two crawlers at once, that the database password never enters the queue, and that
a coordinator with its own disk gets every site's reports from the store.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from contextlib import ExitStack
from pathlib import Path

import pytest

from crawler.store import Store
from govaudit.audit import site_folder, wait_for_sites
from tests.servers import free_port

AS_OF = dt.date(2026, 11, 30)
DELAY = 0.05
# Scrapy spaces requests to one site by DOWNLOAD_DELAY × (0.5…1.5): at most 1 / (0.5 × DELAY) a second,
# plus one for a window's edge. Two crawlers on one server would reach about twice that.
MAX_RATE = int(1 / (0.5 * DELAY)) + 1
pytestmark = pytest.mark.slow      # real redis-server, PostgreSQL and worker processes: not in `-m "not slow"`


@pytest.fixture
def redis_url(redis):
    return redis.url


@pytest.fixture(scope="module")
def small_site(tmp_path_factory):
    from govaudit.demo.generator import build

    root = tmp_path_factory.mktemp("site")
    build(root, seed=7, as_of=AS_OF, scale=0.1)
    return root


@pytest.fixture(scope="module")
def single_process_findings(small_site, tmp_path_factory) -> set[tuple[str, str]]:
    """The open findings of one plain `govaudit audit` of the small portal: what every worker must match."""
    from govaudit.demo.server import serve

    work = tmp_path_factory.mktemp("single")
    with serve(small_site) as base:
        single = subprocess.run(
            [sys.executable, "-m", "govaudit.cli", "audit", f"{base}/", "--as-of", AS_OF.isoformat(),
             "--out", str(work / "out"), "--db", str(work / "single.sqlite"), "--concurrency", "2",
             "--delay", str(DELAY)],
            env=dict(os.environ, CI="true"), capture_output=True, text=True, timeout=600)
        assert single.returncode in (0, 1), single.stderr
        return _fingerprints(work / "single.sqlite", f"{base}/")


def _env(redis_url: str) -> dict:
    env = dict(os.environ, GOVAUDIT_REDIS=redis_url, GOVAUDIT_HEARTBEAT_MS="4000",
               GOVAUDIT_MAINTENANCE_CHANCE="1000000", GOVAUDIT_SITE_LOCK_SECONDS="6", CI="true")
    return env


def _worker(redis_url: str, log: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "govaudit.cli", "worker", "--processes", "1", "--threads", "1"],
                            env=_env(redis_url), stdout=log.open("w"), stderr=subprocess.STDOUT,
                            start_new_session=True)


def _busiest_second(times: list[float]) -> int:
    """The most requests that fell in any one-second window."""
    times = sorted(times)
    best, start = 0, 0
    for end, t in enumerate(times):
        while t - times[start] > 1.0:
            start += 1
        best = max(best, end - start + 1)
    return best


def _redis_contents(client) -> bytes:
    """Every value Redis holds, whatever the key's type (the queued messages among them)."""
    values = []
    for key in client.keys("*"):
        kind = client.type(key)
        if kind == b"hash":
            values += client.hgetall(key).values()
        elif kind == b"list":
            values += client.lrange(key, 0, -1)
        elif kind == b"zset":
            values += client.zrange(key, 0, -1)
        elif kind == b"set":
            values += client.smembers(key)
        elif kind == b"string":
            values.append(client.get(key))
    return b"\n".join(values)


def _fingerprints(db: Path | str, site: str) -> set[tuple[str, str]]:
    with Store(db) as store:
        runs = [r for r in store.runs(site) if r.status == "complete"]
        return {(f["rule"], f["id"]) for f in store.findings(runs[-1].id) if f["status"] != "resolved"}


@pytest.fixture(params=["postgres", "sqlite"])
def shared_store(request, tmp_path):
    """PostgreSQL: what workers on several machines share. SQLite: workers on one machine."""
    if request.param == "sqlite":
        return str(tmp_path / "shared.sqlite")
    return request.getfixturevalue("postgres_url")


@pytest.mark.timeout(900)
def test_workers_share_sites_survive_a_kill_and_stay_polite(tmp_path, redis_url, shared_store, small_site,
                                                          single_process_findings):
    import redis

    from govaudit.demo.server import serve

    with ExitStack() as stack:
        servers = [stack.enter_context(serve(small_site)) for _ in range(3)]
        dead = f"http://127.0.0.1:{free_port()}/"          # a county server that is down all week
        sites = [f"{base}/" for base in servers]
        (tmp_path / "sites.txt").write_text("\n".join(sites + [dead]), encoding="utf-8")
        db = shared_store
        on_server = db.startswith("postgresql://")
        env = _env(redis_url)
        # The server trusts loopback, so a password in the URL is accepted and ignored: it must not be queued.
        given = db.replace("govaudit@", "govaudit:pw-never-queued@") if on_server else db
        enqueue = subprocess.run(
            [sys.executable, "-m", "govaudit.cli", "enqueue", "--sites", str(tmp_path / "sites.txt"),
             "--as-of", AS_OF.isoformat(), "--out", str(tmp_path / "out"), "--db", given,
             "--concurrency", "2", "--delay", str(DELAY)],
            env=env, capture_output=True, text=True, timeout=60)
        assert enqueue.returncode == 0, enqueue.stderr
        queued = _redis_contents(redis.Redis.from_url(redis_url))
        assert b'"audit_site_job"' in queued and db.encode() in queued   # the location travels …
        if on_server:                                                    # … without its password
            assert "PGPASSWORD" in enqueue.stderr and "pw-never-queued" not in enqueue.stdout + enqueue.stderr
            assert b"pw-never-queued" not in queued
        else:
            assert "同一台机器" in enqueue.stderr

        started = time.monotonic()
        workers = [_worker(redis_url, tmp_path / f"w{i}.log") for i in range(3)]
        try:
            # Kill the first worker as soon as some server has been hit (a crawl is under way).
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline and not any(base.stats.total > 20 for base in servers):
                time.sleep(0.1)
            os.killpg(workers[0].pid, signal.SIGKILL)
            print(f"killed worker 0 after {time.monotonic() - started:.0f} s")
            # The coordinator has a disk of its own: every site's reports come to it from the store.
            with Store(db) as store:
                progress: list[tuple[int, int]] = []
                results = wait_for_sites(store, sites + [dead], AS_OF, tmp_path / "coordinator", poll=1.0, timeout=600,
                                         progress=lambda done, total: progress.append((done, total)))
        finally:
            for worker in workers[1:]:
                os.killpg(worker.pid, signal.SIGTERM)
            for worker in workers:
                worker.wait(30)
        print(f"all sites done after {time.monotonic() - started:.0f} s")
        assert [r.crawl_status for r in results] == ["complete"] * 3 + ["failed"]
        assert "无法抓取网站" in results[-1].error
        assert progress[-1] == (4, 4) and [d for d, _ in progress] == sorted({d for d, _ in progress})
        coordinator = tmp_path / "coordinator"
        assert (coordinator / "summary.xlsx").exists() and (coordinator / "summary.html").exists()
        for site in sites:
            assert (coordinator / site_folder(site) / "rectification.xlsx").exists()
            assert (tmp_path / "out" / site_folder(site) / "findings.json").exists()      # the workers' own

        # Politeness: one site's server never saw more than one polite crawler's rate, with all workers on.
        for base in servers:
            busiest = _busiest_second(base.stats.times())
            assert busiest <= MAX_RATE, f"{base} got {busiest} requests in one second"
        expected = single_process_findings
        assert expected
        for site in sites:
            assert _fingerprints(db, site) == expected

"""Province scale on a real Redis server: several workers, several demo portals, one killed worker.

Starts Debian's redis-server on a free loopback port, serves small copies of the demo portal on
their own ports, runs worker processes (`govaudit worker`), and checks that the findings equal a
single-process run's, that a worker killed mid-site loses nothing, and that no site's server ever
sees two crawlers at once.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from contextlib import ExitStack
from pathlib import Path

import pytest

from crawler.store import Store
from govaudit.audit import wait_for_sites

AS_OF = dt.date(2026, 11, 30)
DELAY = 0.05
# Scrapy spaces requests to one site by DOWNLOAD_DELAY × (0.5…1.5): at most 1 / (0.5 × DELAY) a second,
# plus one for a window's edge. Two crawlers on one server would reach about twice that.
MAX_RATE = int(1 / (0.5 * DELAY)) + 1
pytestmark = pytest.mark.skipif(shutil.which("redis-server") is None,
                                reason="redis-server not installed (run.sh test installs it)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def redis_url(tmp_path):
    port = _free_port()
    server = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                               "--appendonly", "no", "--dir", str(tmp_path)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    yield f"redis://127.0.0.1:{port}/0"
    server.terminate()
    server.wait(5)


@pytest.fixture(scope="module")
def small_site(tmp_path_factory):
    from govaudit.demo.generator import build

    root = tmp_path_factory.mktemp("site")
    build(root, seed=7, as_of=AS_OF, scale=0.15)
    return root


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


def _fingerprints(db: Path, site: str) -> set[tuple[str, str]]:
    with Store(db) as store:
        runs = [r for r in store.runs(site) if r.status == "complete"]
        return {(f["rule"], f["id"]) for f in store.findings(runs[-1].id) if f["status"] != "resolved"}


@pytest.mark.timeout(900)
def test_workers_share_sites_survive_a_kill_and_stay_polite(tmp_path, redis_url, small_site):
    from govaudit.demo.server import serve

    with ExitStack() as stack:
        servers = [stack.enter_context(serve(small_site)) for _ in range(3)]
        sites = [f"{base}/" for base in servers]
        (tmp_path / "sites.txt").write_text("\n".join(sites), encoding="utf-8")
        db = tmp_path / "shared.sqlite"
        env = _env(redis_url)
        enqueue = subprocess.run(
            [sys.executable, "-m", "govaudit.cli", "enqueue", "--sites", str(tmp_path / "sites.txt"),
             "--as-of", AS_OF.isoformat(), "--out", str(tmp_path / "out"), "--db", str(db),
             "--concurrency", "2", "--delay", str(DELAY)],
            env=env, capture_output=True, text=True, timeout=60)
        assert enqueue.returncode == 0, enqueue.stderr

        started = time.monotonic()
        workers = [_worker(redis_url, tmp_path / f"w{i}.log") for i in range(3)]
        try:
            # Kill the first worker as soon as some server has been hit (a crawl is under way).
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline and not any(base.stats.total > 20 for base in servers):
                time.sleep(0.1)
            os.killpg(workers[0].pid, signal.SIGKILL)
            print(f"killed worker 0 after {time.monotonic() - started:.0f} s")
            with Store(db) as store:
                results = wait_for_sites(store, sites, AS_OF, tmp_path / "out", poll=1.0, timeout=600)
        finally:
            for worker in workers[1:]:
                os.killpg(worker.pid, signal.SIGTERM)
            for worker in workers:
                worker.wait(30)
        print(f"all sites done after {time.monotonic() - started:.0f} s")
        assert [r.crawl_status for r in results] == ["complete"] * 3
        assert (tmp_path / "out" / "summary.xlsx").exists() and (tmp_path / "out" / "summary.html").exists()

        # Politeness: one site's server never saw more than one polite crawler's rate, with all workers on.
        for base in servers:
            busiest = _busiest_second(base.stats.times())
            assert busiest <= MAX_RATE, f"{base} got {busiest} requests in one second"
        single_db = tmp_path / "single.sqlite"
        single = subprocess.run(
            [sys.executable, "-m", "govaudit.cli", "audit", sites[0], "--as-of", AS_OF.isoformat(),
             "--out", str(tmp_path / "single"), "--db", str(single_db), "--concurrency", "2",
             "--delay", str(DELAY)],
            env=env, capture_output=True, text=True, timeout=600)
        assert single.returncode in (0, 1), single.stderr
        expected = _fingerprints(single_db, sites[0])
        assert expected
        for site in sites:
            assert _fingerprints(db, site) == expected

"""The site lock fails safe: a worker that cannot keep its lock on a county's server stops crawling it.

Unit level (a real redis-server, and a fake clock where the deadline matters): transient Redis errors
are retried while the lock is still safely held, a lock found lost gives up at once, a Redis that
stays away is given up on before the lock's TTL runs out, and an unexpected error in the keep-alive
thread is never silent. End to end (slow): a real crawl under the lock, the Redis server stopped or
the lock taken mid-crawl; the crawl stops cleanly, keeps what it stored, and a resume finishes it.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import subprocess
import sys
import threading
import time

import pytest
import redis as redis_lib
from redis.exceptions import ConnectionError as RedisConnectionError

from govaudit.distributed import _KeepAlive

AS_OF = dt.date(2026, 11, 30)


class _Recorder:
    """on_lost callback that remembers why and lets the test wait for it."""

    def __init__(self):
        self.reasons: list[str] = []
        self.called = threading.Event()

    def __call__(self, why: str) -> None:
        self.reasons.append(why)
        self.called.set()


class _FlakyLock:
    """A real redis-py Lock whose first `failures` refreshes raise a connection error."""

    def __init__(self, lock, failures: int):
        self.lock, self.failures, self.calls = lock, failures, 0
        self.recovered = threading.Event()

    def reacquire(self):
        self.calls += 1
        if self.calls <= self.failures:
            raise RedisConnectionError("Connection reset by peer (injected)")
        result = self.lock.reacquire()
        self.recovered.set()
        return result


def _lock(url: str, ttl: float):
    client = redis_lib.Redis.from_url(url)
    lock = client.lock("govaudit:site:county:80", timeout=ttl, blocking=False, thread_local=False)
    assert lock.acquire()
    return client, lock


def test_transient_errors_are_retried_and_the_lock_kept(redis, caplog):
    client, lock = _lock(redis.url, ttl=6)
    flaky = _FlakyLock(lock, failures=3)
    lost = _Recorder()
    keep_alive = _KeepAlive(flaky, ttl=6, on_lost=lost, site="county:80", period=0.1, margin=1, retry_every=0.05)
    with caplog.at_level(logging.WARNING, logger="govaudit.distributed"):
        keep_alive.start()
        assert flaky.recovered.wait(30)
        keep_alive.stopped.set()
        keep_alive.join(30)
    assert not keep_alive.is_alive() and not lost.called.is_set() and keep_alive.lost is None
    assert client.get("govaudit:site:county:80") == lock.local.token          # still ours
    assert sum("站点锁续期暂时失败" in r.getMessage() for r in caplog.records) == 3


def test_a_lock_taken_by_another_worker_gives_up_at_once(redis, caplog):
    client, lock = _lock(redis.url, ttl=6)
    client.set("govaudit:site:county:80", b"another-worker", px=6000)           # expired and taken meanwhile
    lost = _Recorder()
    keep_alive = _KeepAlive(lock, ttl=6, on_lost=lost, site="county:80", period=0.1, margin=1, retry_every=0.05)
    with caplog.at_level(logging.ERROR, logger="govaudit.distributed"):
        keep_alive.start()
        assert lost.called.wait(30)
        keep_alive.join(30)
    assert not keep_alive.is_alive()
    assert lost.reasons == ["站点锁已失效或已被其他检查进程取得"]
    assert client.get("govaudit:site:county:80") == b"another-worker"          # never overwritten
    assert any("已停止对该网站的抓取" in r.getMessage() and "county:80" in r.getMessage() for r in caplog.records)


def test_a_redis_that_stays_away_is_given_up_before_the_ttl():
    """Fake clock: each failed refresh costs a second; TTL 6 s, margin 1 s: give up inside the TTL."""
    now = [0.0]

    class DeadRedisLock:
        calls = 0

        def reacquire(self):
            DeadRedisLock.calls += 1
            now[0] += 1.0
            raise RedisConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    lost = _Recorder()
    keep_alive = _KeepAlive(DeadRedisLock(), ttl=6, on_lost=lost, site="county:80", period=0.01, margin=1,
                            retry_every=0.01, clock=lambda: now[0])
    keep_alive.start()
    assert lost.called.wait(30)
    keep_alive.join(30)
    assert "无法连接任务队列服务器" in lost.reasons[0] and "Connection refused" in lost.reasons[0]
    assert now[0] < 6.0                                   # given up while the lock was still held
    assert DeadRedisLock.calls == 5                       # retried every time it still was safe to


def test_an_unexpected_error_in_the_keep_alive_stops_the_crawl_loudly(caplog):
    class BrokenLock:
        def reacquire(self):
            raise ValueError("a bug, not a Redis error")

    lost = _Recorder()
    keep_alive = _KeepAlive(BrokenLock(), ttl=6, on_lost=lost, site="county:80", period=0.01)
    with caplog.at_level(logging.ERROR, logger="govaudit.distributed"):
        keep_alive.start()
        assert lost.called.wait(30)
        keep_alive.join(30)
    assert "ValueError: a bug, not a Redis error" in lost.reasons[0]
    assert any(r.exc_info for r in caplog.records)       # the traceback is logged, not swallowed


_WORKER = """
import sys, dramatiq
from govaudit.distributed import audit_site_job
try:
    audit_site_job.fn(sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], {"concurrency": 1, "delay": 0.2})
except dramatiq.Retry:
    print("RETRY-LATER")
"""


@pytest.fixture(scope="module")
def tiny_site(tmp_path_factory):
    from govaudit.demo.generator import build

    root = tmp_path_factory.mktemp("site")
    build(root, seed=11, as_of=AS_OF, scale=0.1)
    return root


@pytest.mark.slow
@pytest.mark.timeout(600)
@pytest.mark.parametrize("fault", ["redis_stopped", "lock_taken"])
def test_crawl_stops_when_its_lock_cannot_be_kept_and_resumes_later(fault, redis, tiny_site, tmp_path):
    from crawler.store import Store
    from govaudit.demo.server import serve

    manifest = json.loads((tiny_site / "manifest.json").read_text(encoding="utf-8"))
    db, out = tmp_path / "shared.sqlite", tmp_path / "out"
    env = dict(os.environ, GOVAUDIT_REDIS=redis.url, GOVAUDIT_SITE_LOCK_SECONDS="3", CI="true",
               GOVAUDIT_STOP_GRACE_SECONDS="60")
    with serve(tiny_site) as base:
        site = f"{base}/"
        worker = subprocess.Popen([sys.executable, "-c", _WORKER, site, AS_OF.isoformat(), str(out), str(db)],
                                  env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 120
        while base.stats.total < 15 and worker.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert worker.poll() is None, worker.communicate()
        if fault == "redis_stopped":
            redis.stop()
        else:
            key = f"govaudit:site:127.0.0.1:{base.split(':')[-1]}"
            redis_lib.Redis.from_url(redis.url).set(key, b"another-worker", px=60_000)
        stdout, stderr = worker.communicate(timeout=300)
        crawled_when_stopped = base.stats.total
        assert "RETRY-LATER" in stdout, stderr[-3000:]
        log = (out / "audit.log").read_text(encoding="utf-8")
        assert "停止本网站抓取" in log
        expected_reason = "无法连接任务队列服务器" if fault == "redis_stopped" else "已被其他检查进程取得"
        assert expected_reason in log + stderr
        with Store(db) as store:
            run = store.runs(site)[-1]
            stored = store.counts(run.id)["pages"]
        assert run.status in ("incomplete", "running")            # resumable, not complete
        assert 0 < stored < len(manifest["articles"])              # what was fetched is kept; the crawl stopped
        # A later attempt (here without the queue) resumes the same run and finishes it.
        resumed = subprocess.run(
            [sys.executable, "-m", "govaudit.cli", "audit", site, "--as-of", AS_OF.isoformat(), "--out", str(out),
             "--db", str(db), "--resume-incomplete", "--concurrency", "4", "--delay", "0"],
            env=dict(os.environ, CI="true"), capture_output=True, text=True, timeout=300)
        assert resumed.returncode in (0, 1), resumed.stderr[-3000:]
    with Store(db) as store:
        runs = store.runs(site)
        assert [r.id for r in runs] == [run.id] and runs[-1].status == "complete"
    assert base.stats.total > crawled_when_stopped

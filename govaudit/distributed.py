"""Province scale: audit many portals with workers on several machines, through Dramatiq on Redis.

Why this shape (see docs/scale.md): the unit of work is one site. A Dramatiq message says "audit
this site"; a worker runs the audit in a child process (a fresh Scrapy reactor each time) against
the shared store. Dramatiq's Redis broker keeps a message unacknowledged until the audit ends, and
requeues the messages of a worker whose heartbeat stops — so a worker killed mid-site loses
nothing: another worker takes the message and *resumes* the site's incomplete run from the store.

Politeness across workers: a redis-py Lock per site host lets exactly one worker crawl a county's
server at a time, so the site's own polite limits (concurrency, delay, AutoThrottle) are never
multiplied by the number of workers. While a long crawl runs, the actor keeps both the lock and
the worker's broker heartbeat fresh (the broker only beats when it fetches, which a busy worker
does not do).
"""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import dramatiq
from dramatiq.brokers.redis import RedisBroker

QUEUE = "govaudit-sites"
LOCK_SECONDS = int(os.environ.get("GOVAUDIT_SITE_LOCK_SECONDS", "30"))
HEARTBEAT_MS = int(os.environ.get("GOVAUDIT_HEARTBEAT_MS", "60000"))


def redis_url() -> str:
    return os.environ.get("GOVAUDIT_REDIS", "redis://127.0.0.1:6379/0")


def make_broker() -> RedisBroker:
    # maintenance_chance: how often a dispatch looks for dead workers; tests raise it to find them at once.
    chance = int(os.environ.get("GOVAUDIT_MAINTENANCE_CHANCE", "1000"))
    return RedisBroker(url=redis_url(), heartbeat_timeout=HEARTBEAT_MS, maintenance_chance=chance,
                       namespace="govaudit")


broker = make_broker()
dramatiq.set_broker(broker)


def site_key(url: str) -> str:
    """The politeness unit: one county server (host and port)."""
    parts = urlsplit(url)
    return f"{parts.hostname}:{parts.port or (443 if parts.scheme == 'https' else 80)}"


def _die_with_parent() -> None:
    """In the child: receive SIGKILL when the worker dies, so a killed worker leaves no orphan crawl."""
    try:
        ctypes.CDLL("libc.so.6").prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except OSError:
        pass


class _KeepAlive(threading.Thread):
    """Refreshes the site lock and this worker's broker heartbeat while the child audit runs."""

    def __init__(self, lock, period: float):
        super().__init__(daemon=True)
        self.lock, self.period, self.stopped = lock, period, threading.Event()

    def run(self) -> None:
        heartbeats = f"{broker.namespace}:__heartbeats__"
        while not self.stopped.wait(self.period):
            self.lock.reacquire()
            broker.client.zadd(heartbeats, {broker.broker_id: int(time.time() * 1000)})


@dramatiq.actor(queue_name=QUEUE, max_retries=1000, min_backoff=2000, max_backoff=30000,
                time_limit=24 * 3600 * 1000)
def audit_site_job(url: str, as_of: str, out: str, db: str, options: dict) -> None:
    """Audit one site (resuming its incomplete run if a dead worker left one) under the site lock."""
    # thread_local=False: the keep-alive thread refreshes the lock the actor thread took.
    lock = broker.client.lock(f"govaudit:site:{site_key(url)}", timeout=LOCK_SECONDS, blocking=False,
                              thread_local=False)
    if not lock.acquire():
        # Another worker is crawling this server right now; Dramatiq retries the message later.
        raise dramatiq.Retry(delay=5000)
    keep_alive = _KeepAlive(lock, period=max(1.0, LOCK_SECONDS / 3))
    keep_alive.start()
    try:
        command = [sys.executable, "-m", "govaudit.cli", "audit", url, "--as-of", as_of, "--out", out,
                   "--db", db, "--resume-incomplete", "--fail-on", "veto"]
        for name, value in options.items():
            if value is not None and value is not False:
                command += [f"--{name.replace('_', '-')}"] + ([] if value is True else [str(value)])
        Path(out).mkdir(parents=True, exist_ok=True)
        with open(Path(out) / "audit.log", "a", encoding="utf-8") as log:
            child = subprocess.run(command, preexec_fn=_die_with_parent, stdout=log, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL)
        # 1 only means "findings at or above --fail-on"; 3 means the site could not be crawled at all, which
        # the store records as a failed run (the summary says so) — retrying all week would not help.
        if child.returncode not in (0, 1, 3):
            raise RuntimeError(f"audit of {url} exited {child.returncode}; see {Path(out) / 'audit.log'}")
    finally:
        keep_alive.stopped.set()
        keep_alive.join()
        try:
            lock.release()
        except Exception:  # the lock expired while we were stopping: nothing to release
            pass


def enqueue_sites(sites: list[str], as_of: str, out: Path, db: str, options: dict | None = None) -> int:
    """Put one message per site on the queue; each site's reports go to out/<host_port>/."""
    from govaudit.audit import site_folder

    for url in sites:
        site_out = out / site_folder(url)
        audit_site_job.send(url, as_of, str(site_out), str(db), options or {})
    return len(sites)


def run_worker(processes: int = 1, threads: int = 1) -> int:
    """Start Dramatiq worker processes consuming the site queue (blocks until stopped)."""
    from dramatiq.cli import main as dramatiq_main

    # One site at a time per thread: a prefetched second site would wait behind an hour-long crawl
    # while other workers sit idle.
    os.environ.setdefault("dramatiq_queue_prefetch", "1")
    sys.argv = ["dramatiq", "govaudit.distributed", "--processes", str(processes), "--threads", str(threads),
                "--queues", QUEUE]
    return dramatiq_main() or 0

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
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import dramatiq
from dramatiq.brokers.redis import RedisBroker

logger = logging.getLogger(__name__)

QUEUE = "govaudit-sites"
LOCK_SECONDS = int(os.environ.get("GOVAUDIT_SITE_LOCK_SECONDS", "30"))
HEARTBEAT_MS = int(os.environ.get("GOVAUDIT_HEARTBEAT_MS", "60000"))
# After the first stop signal a crawl closes its spider and commits; a second signal follows this much later.
STOP_GRACE_SECONDS = float(os.environ.get("GOVAUDIT_STOP_GRACE_SECONDS", "60"))


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
    """Refreshes the site lock and this worker's broker heartbeat while the child audit runs.

    Fail safe: the lock is what keeps a second worker off the county's server, so when it cannot be
    refreshed the crawl must stop before the lock expires. A transient Redis error is retried until
    `margin` seconds before the last good refresh runs out; a lock found lost (expired, or taken by
    another worker) gives up at once. Giving up calls `on_lost` (which stops the crawl cleanly) and
    logs why. The thread never dies silently: anything unexpected counts as a lost lock.
    """

    def __init__(self, lock, ttl: float, on_lost: Callable[[str], None], site: str = "",
                 period: float | None = None, margin: float | None = None, retry_every: float | None = None,
                 clock: Callable[[], float] = time.monotonic):
        super().__init__(daemon=True, name=f"govaudit-keepalive-{site}")
        self.lock, self.ttl, self.on_lost, self.site = lock, ttl, on_lost, site
        self.period = period if period is not None else max(1.0, ttl / 3)
        # Give up with a sixth of the TTL to spare (at least a second): time to signal the crawl to stop.
        self.margin = margin if margin is not None else max(1.0, ttl / 6)
        self.retry_every = retry_every if retry_every is not None else min(1.0, ttl / 12)
        self.clock, self.stopped = clock, threading.Event()
        self.lost: str | None = None           # why the lock was given up, once it was
        self.refreshed_at = clock()            # the lock was just acquired

    def run(self) -> None:
        try:
            while not self.stopped.wait(self.period):
                if not self._refresh_lock():
                    return
                self._beat()
        except BaseException as error:  # noqa: BLE001 - a dead keep-alive must never go unnoticed
            logger.exception("站点锁维持线程异常退出（%s）", self.site)
            self._give_up(f"维持线程异常：{type(error).__name__}: {error}")

    def _refresh_lock(self) -> bool:
        """Extend the lock, retrying transient errors while it is still safely ours; False once given up."""
        from redis.exceptions import LockNotOwnedError, RedisError

        give_up_at = self.refreshed_at + self.ttl - self.margin
        while True:
            try:
                self.lock.reacquire()
                self.refreshed_at = self.clock()
                return True
            except LockNotOwnedError:
                self._give_up("站点锁已失效或已被其他检查进程取得")
                return False
            except (RedisError, OSError) as error:
                if self.clock() + self.retry_every >= give_up_at:
                    self._give_up(f"无法连接任务队列服务器续期站点锁（{type(error).__name__}: {error}）")
                    return False
                logger.warning("站点锁续期暂时失败（%s），%.1f 秒后重试：%s", self.site, self.retry_every, error)
                if self.stopped.wait(self.retry_every):
                    return False

    def _beat(self) -> None:
        """The broker heartbeat: a missed beat is not fatal (the lock is), so it is logged and skipped."""
        try:
            broker.client.zadd(f"{broker.namespace}:__heartbeats__", {broker.broker_id: int(time.time() * 1000)})
        except Exception as error:  # noqa: BLE001 - Redis down: the lock refresh decides what happens
            logger.warning("worker 心跳写入失败：%s", error)

    def _give_up(self, why: str) -> None:
        self.lost = why
        logger.error("%s：%s。为避免多个检查进程同时访问同一网站，已停止对该网站的抓取；已抓取的内容均已保存，"
                     "稍后将自动继续检查。", self.site, why)
        try:
            self.on_lost(why)
        except Exception:  # noqa: BLE001 - the stop itself failed: say so loudly, the child dies with us anyway
            logger.exception("停止对 %s 的抓取时出错", self.site)


def _lock_client():
    """A Redis client for site locks whose calls time out well inside the lock's TTL (never hang)."""
    import redis

    timeout = max(0.5, min(5.0, LOCK_SECONDS / 6))
    return redis.Redis.from_url(redis_url(), socket_timeout=timeout, socket_connect_timeout=timeout)


class _Child:
    """The child audit process, stopped the way Scrapy stops cleanly: SIGTERM, then again after a grace."""

    def __init__(self, command: list[str], log):
        self.process = subprocess.Popen(command, preexec_fn=_die_with_parent, stdout=log, stderr=subprocess.STDOUT,
                                        stdin=subprocess.DEVNULL)
        self.log = log

    def stop(self, why: str) -> None:
        """First signal: Scrapy closes the spider, keeps what is stored, the run stays resumable."""
        try:
            self.log.write(f"\ngovaudit worker：{why}，停止本网站抓取（已抓取内容已保存，稍后自动继续）。\n")
            self.log.flush()
        except (OSError, ValueError):
            pass
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            threading.Thread(target=self._force_after, args=(STOP_GRACE_SECONDS,), daemon=True).start()

    def _force_after(self, grace: float) -> None:
        try:
            self.process.wait(grace)
        except subprocess.TimeoutExpired:
            self.process.send_signal(signal.SIGTERM)      # Scrapy's second signal: stop now
            try:
                self.process.wait(grace)
            except subprocess.TimeoutExpired:
                self.process.kill()

    def wait(self) -> int:
        return self.process.wait()


@dramatiq.actor(queue_name=QUEUE, max_retries=1000, min_backoff=2000, max_backoff=30000,
                time_limit=24 * 3600 * 1000)
def audit_site_job(url: str, as_of: str, out: str, db: str, options: dict) -> None:
    """Audit one site (resuming its incomplete run if a dead worker left one) under the site lock."""
    # thread_local=False: the keep-alive thread refreshes the lock the actor thread took.
    lock = _lock_client().lock(f"govaudit:site:{site_key(url)}", timeout=LOCK_SECONDS, blocking=False,
                               thread_local=False)
    if not lock.acquire():
        # Another worker is crawling this server right now; Dramatiq retries the message later.
        raise dramatiq.Retry(delay=5000)
    command = [sys.executable, "-m", "govaudit.cli", "audit", url, "--as-of", as_of, "--out", out,
               "--db", db, "--resume-incomplete", "--fail-on", "veto"]
    for name, value in options.items():
        if value is not None and value is not False:
            command += [f"--{name.replace('_', '-')}"] + ([] if value is True else [str(value)])
    Path(out).mkdir(parents=True, exist_ok=True)
    keep_alive = None
    try:
        with open(Path(out) / "audit.log", "a", encoding="utf-8") as log:
            child = _Child(command, log)
            keep_alive = _KeepAlive(lock, ttl=LOCK_SECONDS, on_lost=child.stop, site=site_key(url))
            keep_alive.start()
            returncode = child.wait()
        if keep_alive.lost:
            # The crawl was stopped so that no second crawler overlaps it; the stored part is kept and the
            # next attempt resumes the incomplete run.
            raise dramatiq.Retry(delay=5000)
        # 1 only means "findings at or above --fail-on"; 3 means the site could not be crawled at all, which
        # the store records as a failed run (the summary says so) — retrying all week would not help; 4 means
        # the reports were written from an incomplete check (a budget reached, a check error), which the
        # reports themselves say: another attempt would end the same way.
        if returncode not in (0, 1, 3, 4):
            raise RuntimeError(f"audit of {url} exited {returncode}; see {Path(out) / 'audit.log'}")
    finally:
        if keep_alive is not None:
            keep_alive.stopped.set()
            keep_alive.join()
        try:
            lock.release()
        except Exception:  # noqa: BLE001 - the lock expired or Redis is gone: nothing to release
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

"""Attachment extraction in worker processes, so a hostile file can hang or kill a worker, never the crawl.

Each slot is a one-process `ProcessPoolExecutor` on a forkserver context (Scrapy's reactor threads live
in the parent, and fork after threads is unsafe). One process per slot means a timeout or a crash is
charged to exactly the file that caused it: that worker is killed, the result is recorded as
'提取超时' / '提取进程异常', and the slot starts a fresh worker. Workers cap their address space
(RLIMIT_AS) and their CPU time per file (RLIMIT_CPU), so a runaway file dies even if the parent is gone.
"""

from __future__ import annotations

import asyncio
import concurrent.futures as cf
import math
import multiprocessing
import os
import queue
import signal
import threading
import weakref
from collections.abc import Callable
from concurrent.futures.process import BrokenProcessPool

from crawler.extract.attachments import (
    DEFAULT_LIMITS,
    AttachmentResult,
    Limits,
    MiB,
    extract_attachment,
    guess_type,
)

try:
    import resource
except ImportError:                          # Windows: no rlimits, the wall timeout still holds
    resource = None

TIMEOUT = "提取超时"
CRASHED = "提取进程异常"
MEMORY_LIMIT = 1536 * MiB
_STARTUP_TIMEOUT_S = 120                     # a cold forkserver imports lxml, pdfium and calamine once
_PRELOAD = ["crawler.extract.attachments", "lxml.etree", "olefile", "pypdfium2", "python_calamine"]
_FATAL = (KeyboardInterrupt, SystemExit, GeneratorExit)
# Native libraries leak a little per document; a fresh fork from the preloaded server costs milliseconds.
_TASKS_PER_WORKER = 500

Extractor = Callable[[bytes, str, Limits], AttachmentResult]

# Every pool not yet closed, so a forced stop (a second Ctrl-C / SIGTERM) can end their workers at once.
_LIVE: weakref.WeakSet[AttachmentPool] = weakref.WeakSet()


def kill_all_workers() -> None:
    """SIGKILL the worker of every live pool; takes no lock, so a signal handler may call it.

    A worker stuck in C code on a hostile file would otherwise hold the process at exit
    (concurrent.futures joins its manager threads, which wait for the busy worker).
    """
    for pool in list(_LIVE):
        pool.kill_workers()


def cancel_all_queued() -> int:
    """Cancel the files waiting in every live pool (not those being extracted); how many were cancelled.

    For a graceful stop: each waiting file could cost a full timeout on a hostile site, and the stop must
    end well inside a service manager's patience. A cancelled file is simply not stored, so a resumed
    run fetches it again.
    """
    return sum(pool.cancel_queued() for pool in list(_LIVE))


def terminate_all() -> None:
    """Stop every live pool now: workers killed, queued files cancelled, slot threads ended."""
    for pool in list(_LIVE):
        pool.terminate()


def _init_worker(memory_bytes: int | None) -> None:
    """Runs once in each worker: cap the address space; Ctrl-C is the parent's business."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if resource is not None:
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))        # SIGXCPU / aborts must not leave core files
        if memory_bytes:
            resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))


def _ping() -> int:
    return os.getpid()


def _run(func: Extractor, data: bytes, filename: str, limits: Limits, cpu_seconds: float) -> AttachmentResult:
    """One file in a worker; RLIMIT_CPU is cumulative per process, so it is re-armed from current usage."""
    if resource is not None and cpu_seconds:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        soft = math.ceil(usage.ru_utime + usage.ru_stime + cpu_seconds)
        hard = resource.getrlimit(resource.RLIMIT_CPU)[1]
        if hard != resource.RLIM_INFINITY:
            soft = min(soft, hard)
        resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))
    return func(data, filename, limits)


def _context():
    methods = multiprocessing.get_all_start_methods()
    if "forkserver" in methods:
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(_PRELOAD)
        return ctx
    return multiprocessing.get_context("spawn")


class _Slot:
    """One worker process and the thread that feeds it files from the shared queue."""

    def __init__(self, pool: AttachmentPool, index: int):
        self.pool = pool
        self.executor: cf.ProcessPoolExecutor | None = None
        self.thread = threading.Thread(target=self._loop, name=f"attachment-slot-{index}", daemon=True)
        self.thread.start()

    def _start(self) -> cf.ProcessPoolExecutor:
        if self.pool._terminated:
            raise BrokenProcessPool("the pool was terminated")
        if self.executor is None:
            executor = cf.ProcessPoolExecutor(1, mp_context=self.pool._ctx, initializer=_init_worker,
                                              initargs=(self.pool.memory_bytes,),
                                              max_tasks_per_child=_TASKS_PER_WORKER)
            self.executor = executor
            # Start the process now, outside any file's clock.
            executor.submit(_ping).result(timeout=_STARTUP_TIMEOUT_S)
        return self.executor

    def kill(self) -> None:
        """Kill this slot's worker (it may be stuck inside C code) and forget the executor."""
        executor, self.executor = self.executor, None
        if executor is None:
            return
        # ProcessPoolExecutor has no public way to stop a busy worker before Python 3.14.
        processes = list(getattr(executor, "_processes", {}).values())
        for process in processes:
            try:
                process.kill()
            except (OSError, ValueError):
                pass
        for process in processes:
            process.join(timeout=5)
        executor.shutdown(wait=False, cancel_futures=True)

    def kill_now(self) -> None:
        """SIGKILL this slot's worker without joining or locking (safe in a signal handler)."""
        executor = self.executor
        processes = getattr(executor, "_processes", None) or {}
        try:
            pids = [process.pid for process in list(processes.values())]
        except RuntimeError:                  # the manager thread changed the dict meanwhile
            pids = []
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except (OSError, TypeError):
                pass

    def _loop(self) -> None:
        try:
            self._start()
        except BaseException:  # noqa: BLE001 - a failed warm-up is retried with the first file
            self.kill()
        while True:
            item = self.pool._queue.get()
            if item is None:
                break
            future, data, filename = item
            if not future.set_running_or_notify_cancel():
                continue
            try:
                result = self._extract(data, filename)
            except BaseException as exc:  # noqa: BLE001 - the slot thread must outlive any file
                result = _failed(data, filename, f"{CRASHED}（{type(exc).__name__}）")
            future.set_result(result)
        executor, self.executor = self.executor, None
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=True)

    def _extract(self, data: bytes, filename: str) -> AttachmentResult:
        pool = self.pool
        try:
            executor = self._start()
            job = executor.submit(_run, pool.func, data, filename, pool.limits, pool.cpu_seconds)
            result = job.result(timeout=pool.wall_seconds)
        except cf.TimeoutError:
            self.kill()
            pool._count("timeouts")
            return _failed(data, filename, TIMEOUT)
        except (BrokenProcessPool, cf.CancelledError, OSError):
            self.kill()
            pool._count("crashes")
            return _failed(data, filename, CRASHED)
        pool._count("done")
        if not isinstance(result, AttachmentResult):
            return _failed(data, filename, f"{CRASHED}（结果类型错误）")
        return result


def _failed(data: bytes, filename: str, message: str) -> AttachmentResult:
    return AttachmentResult(guess_type(data[:1024], filename), "error", message, [])


class AttachmentPool:
    """Extract attachments in `workers` processes; every call ends with an AttachmentResult.

    `func` is the extraction function run in the workers (module-level, picklable); a later OCR-capable
    extractor can be dropped in, and tests use it to simulate workers that hang or die.
    """

    def __init__(self, workers: int = 2, limits: Limits = DEFAULT_LIMITS, *, memory_bytes: int | None = MEMORY_LIMIT,
                 grace_s: float = 5.0, cpu_seconds: float | None = None, func: Extractor = extract_attachment):
        self.limits = limits
        self.func = func
        self.memory_bytes = memory_bytes
        # The worker's own cooperative deadline fires first and keeps partial text; the kill is the backstop.
        self.wall_seconds = limits.timeout_s + grace_s
        self.cpu_seconds = cpu_seconds if cpu_seconds is not None else limits.timeout_s + 2 * grace_s
        self.stats = {"done": 0, "timeouts": 0, "crashes": 0}
        self._stats_lock = threading.Lock()
        self._ctx = _context()
        self._queue: queue.Queue = queue.Queue()
        self._closed = False
        self._terminated = False
        self._slots = [_Slot(self, i) for i in range(max(1, workers))]
        _LIVE.add(self)

    def _count(self, key: str) -> None:
        with self._stats_lock:
            self.stats[key] += 1

    def submit(self, data: bytes, filename: str = "") -> cf.Future:
        """Queue one file; the future always resolves to an AttachmentResult (never an exception)."""
        if self._closed:
            raise RuntimeError("AttachmentPool is closed")
        future: cf.Future = cf.Future()
        if len(data) > self.limits.max_bytes:
            # Refused by size alone: no need to ship the bytes to a worker.
            future.set_result(extract_attachment(data, filename, self.limits))
            return future
        self._queue.put((future, bytes(data), filename))
        return future

    def extract(self, data: bytes, filename: str = "") -> AttachmentResult:
        """Blocking extraction; never raises."""
        try:
            return self.submit(data, filename).result()
        except BaseException as exc:  # noqa: BLE001
            if isinstance(exc, _FATAL):
                raise
            return _failed(data, filename, f"{CRASHED}（{type(exc).__name__}）")

    async def extract_async(self, data: bytes, filename: str = "") -> AttachmentResult:
        """Awaitable extraction for Scrapy's asyncio reactor; never raises (except cancellation)."""
        try:
            return await asyncio.wrap_future(self.submit(data, filename))
        except asyncio.CancelledError:
            raise
        except BaseException as exc:  # noqa: BLE001
            if isinstance(exc, _FATAL):
                raise
            return _failed(data, filename, f"{CRASHED}（{type(exc).__name__}）")

    def close(self, cancel_pending: bool = False) -> None:
        """Stop the workers; queued files are finished first unless `cancel_pending`."""
        if self._closed:
            return
        self._closed = True
        if cancel_pending:
            self._cancel_waiting()
        for _ in self._slots:
            self._queue.put(None)
        for slot in self._slots:
            slot.thread.join()
        _LIVE.discard(self)

    def _cancel_waiting(self) -> None:
        """Empty the queue, cancelling every file no worker has taken (closing sentinels are dropped too)."""
        while True:
            try:
                item = self._queue.get_nowait()
            except queue.Empty:
                return
            if item is not None:
                item[0].cancel()

    def cancel_queued(self) -> int:
        """Cancel the files not yet handed to a worker; the pool stays open for files submitted later."""
        cancelled = []
        while True:
            try:
                item = self._queue.get_nowait()
            except queue.Empty:
                break
            if item is None:                  # a closing sentinel: put back after the files are drained
                cancelled.append(None)
                continue
            if item[0].cancel():
                cancelled.append(item)
        for item in cancelled:
            if item is None:
                self._queue.put(None)
        return sum(1 for item in cancelled if item is not None)

    def kill_workers(self) -> None:
        """SIGKILL every worker now (a file being extracted ends as 提取进程异常); no lock taken."""
        for slot in self._slots:
            slot.kill_now()

    def terminate(self, join_timeout: float = 10.0) -> None:
        """A forced stop: no new worker starts, queued files are cancelled, busy workers are killed."""
        self._terminated = True
        self.kill_workers()
        if not self._closed:
            self._closed = True
            self._cancel_waiting()
            for _ in self._slots:
                self._queue.put(None)
        for slot in self._slots:
            slot.kill()
            slot.thread.join(timeout=join_timeout)
        _LIVE.discard(self)

    def __enter__(self) -> AttachmentPool:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

"""What the stop paths ask of AttachmentPool, in-process: a graceful stop drops the waiting files and keeps the
pool usable; a forced stop (terminate, kill_all_workers) ends a worker hung for an hour and starts no other.
"""

from __future__ import annotations

import time

import psutil

from crawler import attachment_pool
from crawler.attachment_pool import CRASHED, AttachmentPool
from crawler.extract.attachments import Limits
from tests.crawler.attachments import attachment_pool_targets as T

TEXT = "通知全文".encode()
NO_WALL_CLOCK = {"limits": Limits(timeout_s=3600), "grace_s": 3600}      # only a stop can end a hang


def _until_running(*futures) -> None:
    """Wait until a worker has taken each file (the pool marks it running then)."""
    deadline = time.monotonic() + 120
    while not all(f.running() for f in futures):
        assert time.monotonic() < deadline, "the workers never started"
        time.sleep(0.02)


def _workers(pool: AttachmentPool) -> list[psutil.Process]:
    return [psutil.Process(p.pid) for slot in pool._slots if slot.executor
            for p in list(getattr(slot.executor, "_processes", {}).values())]


def test_cancel_queued_drops_waiting_files_and_the_pool_goes_on():
    with AttachmentPool(workers=1, func=T.hang, **NO_WALL_CLOCK) as pool:
        busy = pool.submit(b"x", "hang.pdf")                      # takes the only worker
        _until_running(busy)
        waiting = [pool.submit(TEXT, f"wait{i}.txt") for i in range(3)]
        assert pool.cancel_queued() == 3
        assert all(f.cancelled() for f in waiting)
        assert busy.running()
        pool.kill_workers()                                        # what the second signal does
        assert busy.result(timeout=60).error == CRASHED
        later = pool.submit(TEXT, "later.txt").result(timeout=120)  # a fresh worker takes files again
        assert later.status == "ok" and "通知全文" in "".join(s.text for s in later.segments)


def test_terminate_ends_a_worker_hung_for_an_hour_and_starts_no_other():
    pool = AttachmentPool(workers=2, func=T.hang, **NO_WALL_CLOCK)
    hung = [pool.submit(b"x", f"hang{i}.pdf") for i in range(2)]
    _until_running(*hung)
    queued = pool.submit(TEXT, "queued.txt")
    workers = _workers(pool)
    assert workers
    attachment_pool.terminate_all()
    assert pool not in set(attachment_pool._LIVE)
    assert all(f.result(timeout=60).error == CRASHED for f in hung)
    assert queued.cancelled()
    assert psutil.wait_procs(workers, timeout=60)[1] == []
    assert all(not slot.thread.is_alive() for slot in pool._slots)
    assert all(slot.executor is None for slot in pool._slots)

"""AttachmentPool: real extraction in worker processes; hangs, deaths and bugs are recorded, the pool goes on."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

import attachment_pool_targets as T  # noqa: E402
import attachment_samples as S  # noqa: E402

from crawler.attachment_pool import CRASHED, TIMEOUT, AttachmentPool  # noqa: E402
from crawler.extract.attachments import Limits, extract_attachment  # noqa: E402


@pytest.fixture(scope="module")
def pool():
    with AttachmentPool(workers=2) as p:
        yield p


def test_pool_matches_in_process_extraction(pool):
    ps = S.people(seed=5, n=8)
    files = {"名单.xlsx": S.xlsx_bytes(ps, id_as_number=1), "名单.xls": S.xls_bytes(ps),
             "公示.docx": S.docx_bytes(ps), "公示.pdf": S.pdf_bytes([[p.id18 for p in ps]]),
             "扫描.pdf": S.image_pdf_bytes(1), "附件.zip": S.zip_bytes({"a.xlsx": S.xlsx_bytes(ps)})}
    futures = {name: pool.submit(data, name) for name, data in files.items()}
    for name, future in futures.items():
        assert future.result(timeout=60) == extract_attachment(files[name], name), name
    assert ps[7].id18 in pool.extract(files["公示.pdf"], "公示.pdf").text


def test_too_large_is_answered_without_a_worker(pool):
    small = AttachmentPool(workers=1, limits=Limits(max_bytes=10))
    try:
        result = small.submit(b"%PDF-1.7 and more bytes", "a.pdf").result(timeout=1)
        assert (result.media_type, result.status) == ("pdf", "too_large")
    finally:
        small.close()


def test_extract_async_from_an_event_loop(pool):
    ps = S.people(seed=6, n=3)

    async def main():
        return await asyncio.gather(*(pool.extract_async(S.xlsx_bytes(ps[i:i + 1]), f"{i}.xlsx") for i in range(3)))

    results = asyncio.run(main())
    assert [r.status for r in results] == ["ok"] * 3
    assert all(ps[i].id18 in results[i].text for i in range(3))


def test_hung_worker_is_killed_and_replaced():
    ps = S.people(seed=8, n=2)
    with AttachmentPool(workers=2, limits=Limits(timeout_s=1), grace_s=0.5, func=T.hang) as pool:
        hung = pool.submit(S.xlsx_bytes(ps), "hang.xlsx")
        fine = [pool.submit(S.xlsx_bytes(ps), f"ok{i}.xlsx") for i in range(4)]
        result = hung.result(timeout=30)
        assert (result.media_type, result.status, result.error) == ("xlsx", "error", TIMEOUT)
        assert all(f.result(timeout=30).status == "ok" for f in fine)
        again = pool.extract(S.xlsx_bytes(ps), "after.xlsx")
        assert again.status == "ok" and ps[1].id18 in again.text
        assert pool.stats["timeouts"] == 1


def test_dead_worker_is_recorded_and_replaced():
    ps = S.people(seed=9, n=2)
    with AttachmentPool(workers=1, func=T.die) as pool:
        result = pool.extract(S.docx_bytes(ps), "die.docx")
        assert (result.media_type, result.status, result.error) == ("docx", "error", CRASHED)
        after = pool.extract(S.docx_bytes(ps), "fine.docx")
        assert after.status == "ok" and ps[0].mobile in after.text
        assert pool.stats["crashes"] == 1


def test_cpu_limit_kills_a_spinning_worker_even_without_the_wall_clock():
    with AttachmentPool(workers=1, limits=Limits(timeout_s=60), cpu_seconds=0.3, func=T.spin) as pool:
        result = pool.extract(b"x", "a.txt")
        assert (result.status, result.error) == ("error", CRASHED)


def test_address_space_is_capped_in_workers():
    with AttachmentPool(workers=1, memory_bytes=1536 * 1024**2, func=T.hog) as pool:
        assert pool.extract(b"x", "a.bin").error == "MemoryError"


def test_extractor_bug_becomes_a_result():
    with AttachmentPool(workers=1, func=T.raises) as pool:
        result = pool.extract(b"%PDF-1.4", "a.pdf")
        assert (result.media_type, result.status) == ("pdf", "error") and result.error.startswith(CRASHED)
        assert pool.extract(b"x", "b.txt").status == "error"


def test_workers_are_separate_processes_and_submit_after_close_is_refused():
    import os

    pool = AttachmentPool(workers=2, func=T.pid)
    pids = {pool.extract(b"x", str(i)).error for i in range(4)}
    pool.close()
    assert str(os.getpid()) not in pids
    with pytest.raises(RuntimeError):
        pool.submit(b"x", "a.txt")
    assert pool.extract(b"x", "a.txt").error.startswith(CRASHED)

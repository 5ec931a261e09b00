"""A record the store refuses, or an attachment whose extraction crashes, is never lost silently."""

from __future__ import annotations

import asyncio
import datetime as dt
from types import SimpleNamespace

from crawler.pipelines import AttachmentPipeline, CrashedAttachment, StorePipeline
from crawler.records import AttachmentRecord, PageRecord
from crawler.run import _Job, _summarise
from crawler.spiders.items import AttachmentDownload
from crawler.store import Store

SITE = "http://127.0.0.1:8124/"


class Stats:
    """The part of Scrapy's stats collector the pipelines and _summarise use."""

    def __init__(self) -> None:
        self.values: dict = {"finish_reason": "finished"}

    def inc_value(self, key, count=1):
        self.values[key] = self.values.get(key, 0) + count

    def set_value(self, key, value):
        self.values[key] = value

    def get_stats(self):
        return dict(self.values)


def crawler_for(store, run_id):
    spider = SimpleNamespace(store=store, run_id=run_id, counts={"pages": 2, "not_modified": 0},
                             outcomes={}, inventory_at=None, started_at=0.0, start_url=SITE, stop_reason=None,
                             link_farm_pages=lambda: [], off_structure_dropped=0, unread_columns=0,
                             page_signals=SimpleNamespace(stats=lambda: {}), images=SimpleNamespace(stats=lambda: {}), hosts=frozenset(),
                             list_coverage=lambda: None)
    settings = SimpleNamespace(getint=lambda key, default=0: {"DOWNLOAD_MAXSIZE": 0}.get(key, default))
    return SimpleNamespace(spider=spider, stats=Stats(), settings=settings)


def page(n: int) -> PageRecord:
    return PageRecord(url=f"{SITE}{n}.html", title=f"第{n}篇", published=dt.date(2026, 3, 1))


def test_a_refused_page_becomes_a_store_error_and_the_rest_is_written(tmp_path, monkeypatch):
    store = Store(tmp_path / "db.sqlite")
    run_id = store.start_run(SITE, "示例县", dt.date(2026, 3, 2))
    real = store.add_page

    def refuse_second(run, record):
        if record.url.endswith("/2.html"):
            raise ValueError("value too long for column title")
        real(run, record)

    monkeypatch.setattr(store, "add_page", refuse_second)
    crawler = crawler_for(store, run_id)
    pipeline = StorePipeline(crawler)
    for n in (1, 2, 3):
        pipeline.process_item(page(n))
    pipeline._commit()
    snapshot = store.load_snapshot(run_id)
    assert sorted(p.url for p in snapshot.pages_) == [SITE + "1.html", SITE + "3.html"]
    (error,) = snapshot.errors_
    assert error.stage == "store" and error.url == SITE + "2.html" and "页面未能保存" in error.message
    assert crawler.stats.values["govaudit/store_errors"] == 1
    result = _summarise(_Job(SITE, None, run_id, False, crawler=crawler), store)
    assert result.status == "complete" and result.stats["store_errors"] == 1   # complete, with the error stored
    store.close()


def test_a_store_that_refuses_the_error_too_marks_the_run_incomplete(tmp_path, monkeypatch):
    store = Store(tmp_path / "db.sqlite")
    run_id = store.start_run(SITE, "示例县", dt.date(2026, 3, 2))
    store.add_page(run_id, page(1))

    def refuse(*args):
        raise OSError("disk full")

    monkeypatch.setattr(store, "add_page", refuse)
    monkeypatch.setattr(store, "add_error", refuse)
    crawler = crawler_for(store, run_id)
    pipeline = StorePipeline(crawler)
    pipeline.process_item(page(2))
    assert crawler.stats.values["govaudit/store_errors_unrecorded"] == 1
    result = _summarise(_Job(SITE, None, run_id, False, crawler=crawler), store)
    assert result.status == "incomplete" and result.stats["store_errors_unrecorded"] == 1
    assert "未能保存到数据库" in result.stats["incomplete_reason"]
    assert store.run(run_id).status == "incomplete"
    store.close()


def test_a_crashed_extraction_is_an_attachment_error_beside_its_record(tmp_path):
    store = Store(tmp_path / "db.sqlite")
    run_id = store.start_run(SITE, "示例县", dt.date(2026, 3, 2))
    crawler = crawler_for(store, run_id)
    extractor = AttachmentPipeline(crawler)

    class CrashingPool:
        async def extract_async(self, data, filename):
            raise RuntimeError("worker process died")

    extractor.pool = CrashingPool()
    record = AttachmentRecord(url=SITE + "名单.xls", page_url=SITE + "1.html", filename="名单.xls", size=4)
    item = asyncio.run(extractor.process_item(AttachmentDownload(record, b"\xd0\xcf\x11\xe0")))
    assert isinstance(item, CrashedAttachment) and item.record.status == "error"
    StorePipeline(crawler).process_item(item)
    # A corrupt file is the site's: recorded as its status, not as a failure of the tool.
    StorePipeline(crawler).process_item(AttachmentRecord(url=SITE + "坏.pdf", status="error", error="文件已损坏"))
    snapshot = store.load_snapshot(run_id)
    assert sorted(a.url for a in snapshot.attachments_) == [SITE + "名单.xls", SITE + "坏.pdf"]
    assert [(e.stage, e.url) for e in snapshot.errors_] == [("attachment", SITE + "名单.xls")]
    assert "worker process died" in snapshot.errors_[0].message
    store.close()

"""Item pipelines, one job each: normalise → extract attachment text (off the event loop) → store.

The store pipeline commits in small batches (every 50 items or 1 s), so a `kill -9` loses at most
the last batch, and a resumed run continues from what was committed.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
import unicodedata
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any

from crawler.components import CrawlerAware
from crawler.errors import StoreUnavailable
from crawler.records import AttachmentRecord, ColumnRecord, ErrorRecord, LinkRecord, PageRecord
from crawler.spiders.items import AttachmentDownload, CopyForward, LinkBatch, SiteInfo

logger = logging.getLogger(__name__)

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufeff]")
_SPACES = re.compile(r"[ \t\u3000\xa0]+")
_CELL_SPACES = re.compile(r"[ \u3000\xa0]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")

COMMIT_EVERY_ITEMS = 50
COMMIT_EVERY_SECONDS = 1.0


def _clean(text: str | None, multiline: bool = False) -> str | None:
    if text is None:
        return None
    text = unicodedata.normalize("NFC", _CONTROL.sub("", text))
    if multiline:
        lines = (_clean_line(line) for line in text.splitlines())
        return _BLANK_LINES.sub("\n", "\n".join(lines)).strip()
    return _SPACES.sub(" ", text.replace("\n", " ")).strip()


def _clean_line(line: str) -> str:
    """One line of page text with layout whitespace collapsed. A table row keeps its tabs, one per cell
    boundary (empty cells too): the privacy check finds a value's column header by counting them."""
    if "\t" not in line:
        return _SPACES.sub(" ", line).strip()
    cells = [_CELL_SPACES.sub(" ", cell).strip() for cell in line.split("\t")]
    return "\t".join(cells).rstrip("\t") if any(cells) else ""


class NormalisePipeline(CrawlerAware):
    """Strip control characters and layout whitespace so hashes and checks see clean text."""

    def process_item(self, item: Any) -> Any:
        return self.normalise(item)

    @staticmethod
    def normalise(item: Any) -> Any:
        """Clean one item in place (also used for the final column pass, which bypasses the pipeline)."""
        if isinstance(item, PageRecord):
            item.title = _clean(item.title) or ""
            item.text = _clean(item.text, multiline=True) or ""
            for name in ("source", "index_number", "doc_number", "topic"):
                setattr(item, name, _clean(getattr(item, name)) or None)
        elif isinstance(item, ColumnRecord):
            item.name = _clean(item.name) or item.url
            item.path = "/".join(p for p in (_clean(x) for x in item.path.split("/")) if p)
            item.blank_marker = _clean(item.blank_marker) or None
        elif isinstance(item, AttachmentDownload):
            item.record.filename = _clean(item.record.filename) or "attachment"
        elif isinstance(item, SiteInfo):
            item.name = _clean(item.name) or ""
        return item


def _default_extract(data: bytes, filename: str):
    from crawler.extract.attachments import extract_attachment

    return extract_attachment(data, filename)


@dataclass
class CrashedAttachment:
    """An attachment whose extraction crashed: a failure of the tool, stored as an error beside the record.

    A corrupt file is the site's (a recorded status); a crashed or hung worker is ours, and the user
    must learn that this attachment was never checked for personal data.
    """

    record: AttachmentRecord
    message: str


class AttachmentPipeline(CrawlerAware):
    """Hand attachment bytes to worker processes and turn the result into an AttachmentRecord.

    Extraction (pdf, xls, doc …) is CPU work that would stall every download if run on the
    reactor; a crashed or hung worker becomes a recorded error, not a dead crawl.
    """

    def __init__(self, crawler) -> None:
        super().__init__(crawler)
        self.workers = crawler.settings.getint("GOVAUDIT_ATTACHMENT_WORKERS", 2)
        self.pool: Any = None
        self.max_bytes = crawler.settings.getint("DOWNLOAD_MAXSIZE")

    def _start_pool(self) -> None:
        """Start the workers with the first attachment: a crawl without any pays nothing for them."""
        try:
            from crawler.attachment_pool import AttachmentPool
        except ImportError:
            self.pool = ProcessPoolExecutor(max_workers=self.workers)
        else:
            self.pool = AttachmentPool(workers=self.workers)

    def close_spider(self) -> None:
        pool, self.pool = self.pool, None
        if pool is None:
            return
        for name in ("close", "shutdown"):
            closer = getattr(pool, name, None)
            if closer is not None:
                closer()
                break

    async def _extract(self, data: bytes, filename: str):
        if self.pool is None:
            self._start_pool()
        if isinstance(self.pool, ProcessPoolExecutor):
            future: Any = self.pool.submit(_default_extract, data, filename)
        elif hasattr(self.pool, "extract_async"):
            return await self.pool.extract_async(data, filename)
        else:
            future = self.pool.submit(data, filename)
        if isinstance(future, Future):
            return await asyncio.wrap_future(future)
        return await future

    async def process_item(self, item: Any) -> Any:
        if not isinstance(item, AttachmentDownload):
            return item
        record = item.record
        if self.max_bytes and len(item.body) > self.max_bytes:
            record.status, record.error = "too_large", f"附件超过 {self.max_bytes // 2**20} MiB，未解析"
            return record
        try:
            result = await self._extract(item.body, record.filename)
        except Exception as exc:  # noqa: BLE001 - a broken worker is one attachment's error
            record.status, record.error = "error", f"附件解析失败：{type(exc).__name__}: {exc}"
            logger.warning("attachment extraction failed for %s: %s", record.url, exc)
            return CrashedAttachment(record, f"附件解析程序出错，未能检查该附件：{type(exc).__name__}: {exc}"[:500])
        record.media_type = result.media_type
        record.status = result.status
        record.error = result.error
        record.segments = list(result.segments)
        return record


class StorePipeline(CrawlerAware):
    """Write every record to the run's store, committing in small batches.

    A record the store refuses is never lost silently: it becomes an error of stage 'store' in the
    same store, or, when even that write fails, a count (`govaudit/store_errors_unrecorded`) that
    marks the run as not complete.
    """

    def __init__(self, crawler) -> None:
        super().__init__(crawler)
        self.pending = 0
        self.last_commit = time.monotonic()
        self.written: dict[str, int] = {}
        self._timer: asyncio.TimerHandle | None = None
        self.store_lost = False

    def open_spider(self) -> None:
        self._schedule_tick()

    def _schedule_tick(self) -> None:
        try:
            loop = asyncio.get_event_loop()
        except RuntimeError:
            return
        self._timer = loop.call_later(COMMIT_EVERY_SECONDS, self._tick)

    def _tick(self) -> None:
        if self.pending and time.monotonic() - self.last_commit >= COMMIT_EVERY_SECONDS:
            self._commit()
        if self._timer is not None:
            self._schedule_tick()

    def _commit(self) -> None:
        if self.store_lost:
            return
        try:
            self.spider.store.commit()
        except StoreUnavailable as exc:
            self._stop_crawl(exc)
            return
        self.pending = 0
        self.last_commit = time.monotonic()

    def _stop_crawl(self, exc: StoreUnavailable) -> None:
        """The database is gone: fetching on would only lose pages. Stop; a resume continues later."""
        if self.store_lost:
            return
        self.store_lost = True
        logger.error("%s", exc)
        self.crawler.stats.set_value("govaudit/store_unavailable", str(exc))
        asyncio.ensure_future(self.crawler.engine.close_spider_async(reason="store_unavailable"))

    def _record_write_error(self, item: Any, exc: Exception) -> None:
        """Keep the refused record's failure with the run; count it when the store refuses that too."""
        logger.error("store write failed for %r: %s", type(item).__name__, exc)
        self.crawler.stats.inc_value("govaudit/store_errors")
        url = _item_url(item)
        what = {"PageRecord": "页面", "AttachmentRecord": "附件", "CrashedAttachment": "附件", "ColumnRecord": "栏目",
                "LinkRecord": "链接", "LinkBatch": "链接", "ErrorRecord": "错误记录"}.get(type(item).__name__, "记录")
        message = f"{what}未能保存到数据库，本次检查缺少该{what}：{type(exc).__name__}: {exc}"[:500]
        if isinstance(item, CopyForward):
            message = (f"沿用上次检查记录的{len(item.urls)}个页面或附件未能保存到数据库，本次检查缺少这些页面或附件："
                       f"{type(exc).__name__}: {exc}")[:500]
        try:
            self.spider.store.add_error(self.spider.run_id, ErrorRecord(url, "store", message))
        except Exception as again:  # noqa: BLE001 - the store refuses even the error: count it for _summarise
            logger.error("store refused the error record too: %s", again)
            self.crawler.stats.inc_value("govaudit/store_errors_unrecorded")
            return
        self.pending += 1

    def close_spider(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        spider = self.spider
        if spider.store is not None and hasattr(spider, "final_columns"):
            for column in spider.final_columns():
                self.process_item(NormalisePipeline.normalise(column))
        self._commit()

    def process_item(self, item: Any) -> Any:
        spider = self.spider
        store, run_id = spider.store, spider.run_id
        if store is None or self.store_lost:
            return item
        try:
            if isinstance(item, PageRecord):
                store.add_page(run_id, item)
            elif isinstance(item, AttachmentRecord):
                store.add_attachment(run_id, item)
            elif isinstance(item, CrashedAttachment):
                store.add_attachment(run_id, item.record)
                store.add_error(run_id, ErrorRecord(item.record.url, "attachment", item.message))
            elif isinstance(item, LinkRecord):
                store.add_link(run_id, item)
            elif isinstance(item, LinkBatch):
                store.add_links(run_id, item.records)
                self.pending += len(item.records) - 1
            elif isinstance(item, ColumnRecord):
                store.add_column(run_id, item)
            elif isinstance(item, ErrorRecord):
                store.add_error(run_id, item)
            elif isinstance(item, CopyForward):
                store.copy_forward_many(run_id, item.urls, item.from_run)
                self.pending += len(item.urls) - 1
            elif isinstance(item, SiteInfo):
                if item.name:
                    store.set_site_name(run_id, item.name)
            else:
                return item
        except StoreUnavailable as exc:
            self._stop_crawl(exc)
            return item
        except Exception as exc:  # noqa: BLE001 - recorded; one bad record must not end the crawl
            self._record_write_error(item, exc)
            return item
        name = type(item).__name__
        self.written[name] = self.written.get(name, 0) + 1
        self.pending += 1
        if self.pending >= COMMIT_EVERY_ITEMS or time.monotonic() - self.last_commit >= COMMIT_EVERY_SECONDS:
            self._commit()
        return item


def _item_url(item: Any) -> str | None:
    """The page or attachment a record is about, for the error that says it was not saved."""
    for owner in (item, getattr(item, "record", None)):
        for name in ("url", "target_url", "source_url"):
            value = getattr(owner, name, None)
            if isinstance(value, str):
                return value
    records = getattr(item, "records", None)
    if records:
        return getattr(records[0], "source_url", None)
    urls = getattr(item, "urls", None)
    return urls[0] if urls else None

"""PortalSpider: from a home URL to the column inventory, every list page, article and attachment.

The spider decides only what to fetch and which column a page belongs to; what a page *means*
comes from the pure `crawler.extract.page.parse_page`. Requests carry priorities so list pages are
fetched before articles and articles before attachments: with polite delays the column inventory
(what the freshness checks need) is complete long before the crawl is.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import json
import re
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import chain
from typing import Any
from urllib.parse import unquote, urlsplit

import scrapy
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadTimeoutError,
)
from scrapy.http import Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import (
    ConnectionRefusedError,
    DNSLookupError,
    TCPTimedOutError,
)
from twisted.internet.error import (
    TimeoutError as TwistedTimeoutError,
)

from crawler import browser, listapi
from crawler import columns as cm
from crawler import images as im
from crawler import settings as cs
from crawler.errors import StoreError, fetch_error_text
from crawler.extract.attachments import disposition_filename
from crawler.extract.dates import find_dates
from crawler.extract.gone import gone_notice
from crawler.extract.lists import api_entries
from crawler.extract.model import ArticleFields, Link, ListEntry, ParsedPage
from crawler.extract.pagination import declared_total, script_pager
from crawler.listapi import ApiCall, ListApi
from crawler.middlewares import AccessBlocked
from crawler.page_signals import PageSignals
from crawler.profile import SiteProfile
from crawler.records import AttachmentRecord, ColumnRecord, ErrorRecord, LinkRecord, PageRecord
from crawler.reverify import DEFAULT_REVERIFY_WEEKS, KnownPage, ReverifyPlan, build_plan, entry_changed
from crawler.spiders.items import AttachmentDownload, CopyForward, LinkBatch, SiteInfo
from crawler.urls import canonicalize, host_of, is_attachment_url, looks_like_trap, same_site

SITEMAP_TEXT = re.compile(r"网站地图|站点地图|网站导航|sitemap", re.I)
SITEMAP_URL = re.compile(r"(sitemap|wzdt|zddt|webmap|site_?map)", re.I)
# Remnants of a list template on a page whose list is empty or undated: a column, not a channel page.
_LIST_TEMPLATE = re.compile(r"createPageHTML|\bcountPage\b|共\s*\d+\s*条|\d+\s*/\s*\d+\s*页")
# A detail page of this very directory: 'content_48100.html' or TRS's '202008/t20200805_1.html'.
_OWN_DETAIL = re.compile(r"^(?:(?:19|20)\d{2}-?\d{2}(?:-?\d{2})?/)?[^/]*\d{3,}[^/]*$")
# Articles kept in memory until a list claims them (each holds its text): beyond this, the folder's column stays.
MAX_PLACED_BY_FOLDER = 2000
# A redirect that leads back into its own chain: the link never reaches a page (a browser's ERR_TOO_MANY_REDIRECTS).
REDIRECT_LOOP = "redirect-loop"
# Why a column was not read to the end (ColumnRecord.unread_reason): the checks give it no verdict.
UNREAD_PAGES = "已达到抓取页数上限，栏目列表未读完"
UNREAD_TIME = "已达到抓取时间上限，栏目列表未读完"
UNREAD_INTERRUPTED = "抓取中断，栏目列表未读完"
UNREAD_PARSE = "列表页解析失败"
UNREAD_FETCH = "栏目列表页无法访问，栏目列表未读完"
UNREAD_ARTICLES = "栏目列表未标注日期，且栏目文章未全部读取，无法判断更新情况"
UNREAD_ARTICLES_STOPPED = {"max_pages": "已达到抓取页数上限，栏目文章未读完", "max_minutes": "已达到抓取时间上限，栏目文章未读完"}
UNREAD_ARTICLES_INTERRUPTED = "抓取中断，栏目文章未读完"
_STOPPED = {"max_pages": UNREAD_PAGES, "max_minutes": UNREAD_TIME}
UNREAD_API = "栏目列表后续页面由接口加载，接口未能读取，栏目列表未读完"
SOFT_404 = "soft-404"                   # a LinkRecord error: HTTP 200, but the page says it is gone
UNREAD_RENDER = "栏目列表由脚本分页，浏览器渲染未能读取后续页面，栏目列表未读完"
UNREAD_NO_BROWSER = "栏目列表由脚本分页，本机未安装 Chromium 浏览器，栏目列表未读完"
UNREAD_RENDER_CAP = "栏目列表由脚本分页，已达到本网站浏览器渲染页数上限，栏目列表未读完"
_HOME_FILES = ("", "index.html", "index.htm", "index.shtml", "default.html", "default.htm", "index.jsp",
               "index.php")


_Column = cm.ColumnState                      # the column model lives in crawler/columns.py


@dataclass
class _ListFollowing:
    """Per-site bookkeeping of lists read through an API or a browser render."""

    declared: dict[str, int] = field(default_factory=dict)      # column URL -> records its list says it holds
    planned: set[str] = field(default_factory=set)              # columns whose API calls (or render) were issued
    api_pages: dict[str, int] = field(default_factory=dict)     # column URL -> API answers read
    renders: int = 0


def _sha256(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def _header(response: Response, name: str) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None


def _filename(response: Response, url: str) -> str:
    named = disposition_filename(_header(response, "Content-Disposition") or "")
    return named or unquote(urlsplit(url).path.rsplit("/", 1)[-1]) or "attachment"


def _failure_reason(failure) -> tuple[int | None, str | None]:
    """(HTTP status, error keyword) for a failed request, as a LinkRecord wants them."""
    if failure.check(AccessBlocked):                  # a firewall answered: unknown, not broken (checks/links.py)
        return failure.value.status, failure.value.keyword
    if failure.check(HttpError):
        response = failure.value.response
        if response.meta.get("offsite_redirect") or response.request.meta.get("offsite_redirect"):
            return response.status, "offsite-redirect"
        return response.status, None
    if failure.check(DNSLookupError, CannotResolveHostError):
        return None, "dns"
    if failure.check(TwistedTimeoutError, TCPTimedOutError, DownloadTimeoutError):
        return None, "timeout"
    if failure.check(ConnectionRefusedError, DownloadConnectionRefusedError):
        return None, "connection-refused"
    message = str(failure.value)
    if "robots.txt" in message:
        return None, "robots-disallowed"
    if failure.check(DownloadCancelledError) or "maxsize" in message.lower() or "exceeds" in message.lower():
        return None, "too-large"
    name = type(failure.value).__name__
    return None, re.sub(r"(?<!^)(?=[A-Z])", "-", name).lower()


_ERROR_WORDS = {
    "dns": "域名无法解析",
    "timeout": "连接超时",
    "connection-refused": "连接被拒绝",
    "robots-disallowed": "robots.txt 不允许抓取，已跳过",
    "too-large": "文件超过下载大小上限",
}


class PortalSpider(scrapy.Spider):
    """Crawl one county portal from its home URL, yielding records for the store."""

    name = "govaudit-portal"
    handle_httpstatus_list = [304]

    def __init__(self, start_url: str, store=None, run_id: int | None = None,
                 profile: SiteProfile | None = None, max_pages: int | None = None,
                 resume: bool = False, site_url: str | None = None, max_minutes: float | None = None,
                 max_links_per_page: int | None = None, reverify_weeks: int | None = None,
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.start_url = canonicalize(start_url)
        self.site_url = site_url or self.start_url
        self.store = store
        self.run_id = run_id
        self.profile = profile or SiteProfile()
        self.resume = resume
        self.max_pages = max_pages
        self.max_minutes = max_minutes
        self.max_links_per_page = max_links_per_page or cs.DEFAULT_MAX_LINKS_PER_PAGE
        # Budget bookkeeping: which budget ended the crawl, and which columns were not read to the end.
        self.stop_reason: str | None = None              # max_pages | max_minutes; None: ran out of work
        self.closing = False                             # set when the final column records are built
        self.list_pending: dict[str, set[str]] = {}      # column URL -> its list pages requested, unanswered
        self.pending_list_of: dict[str, str] = {}        # list page URL -> column URL (reverse of the above)
        self.list_problem: dict[str, str] = {}           # column URL -> why its list could not be read
        self.undecided_columns: set[str] = set()        # pages reached as columns, neither list nor dated article
        self.lists_read: set[str] = set()                # columns with a list page parsed by this process
        self.refused_entries: set[str] = set()           # list entries refused by the page budget
        self.off_structure_queued = 0                    # off-structure requests waiting in the scheduler
        self.off_structure_dropped = 0
        self.link_farms: dict[str, dict[str, Any]] = {}  # page URL -> {links, followed, sample}
        self.unread_columns = 0
        hosts = {host_of(self.start_url)} | {h for h in self.profile.hosts}
        hosts |= {host_of(u) for u in self.profile.start_urls}
        self.hosts = frozenset(h for h in hosts if h)
        self.columns: dict[str, _Column] = {}
        self.list_owner: dict[str, str] = {}            # list page URL -> column URL
        self.entry_column: dict[str, str] = {}          # article URL -> column URL (from a list entry)
        self.entry_date: dict[str, dt.date | None] = {}
        self.article_dates: dict[str, dict[str, dt.date]] = {}   # column URL -> {article: date}
        # column URL -> {article: title and 文号}: the column type's last evidence (crawler/columns.py)
        self.article_facts: dict[str, dict[str, cm.ArticleFacts]] = {}
        # Articles placed only by the folder they sit in (reached before their list, e.g. from the home page's
        # latest block): kept until a list claims them, then stored again under that list's column.
        self.placed_by_folder: dict[str, PageRecord] = {}
        self.scheduled: set[str] = set()
        self.pages_scheduled = 0
        self.pending_sources: dict[str, list[tuple[str, str]]] = {}   # target -> [(source, kind)]
        self.outcomes: dict[str, tuple[int | None, str | None]] = {}
        self.done: dict[str, Any] = {}                  # resumed run: records already stored
        self.errors_recorded: set[tuple[str, str]] = set()
        self.replay_queue: deque[str] = deque()
        self.late_outcomes: deque[tuple[str, int | None, str | None]] = deque()   # (target, status, error)
        self.redirect_waiters: dict[str, list[str]] = {}   # URL in flight -> links redirected to it
        self.counts = {"pages": 0, "attachments": 0, "errors": 0, "not_modified": 0, "carried": 0}
        root = f"{urlsplit(self.start_url).scheme}://{urlsplit(self.start_url).netloc}/"
        self.home_aliases = {self.start_url} | (
            {canonicalize(root + f) for f in _HOME_FILES} if self.start_url.rstrip("/").count("/") <= 3
            or self.start_url.rsplit("/", 1)[-1] in _HOME_FILES else set())
        self.started_at = time.monotonic()
        self.inventory_at: float | None = None         # when the last list page was parsed
        # Re-crawl: known pages not due this week are copied forward instead of fetched (crawler/reverify.py).
        self.reverify_weeks = reverify_weeks
        self.plan: ReverifyPlan | None = None
        self.carried: dict[str, KnownPage] = {}          # URL -> the stored record copied forward
        self.carry_queue: deque[str] = deque()
        self.entry_title: dict[str, str] = {}            # article URL -> the title a list showed for it
        # Columns a list page, or a replayed or carried page, changed: each one's record is built and written
        # once at the end of the callback, not once per page (a list page carries its articles forward).
        self.columns_touched: dict[str, None] = {}
        self.base_outlinks: dict[str, list[LinkRecord]] = {}   # carried URL -> its links in the base run

    @classmethod
    def from_crawler(cls, crawler, *args: Any, **kwargs: Any):
        spider = super().from_crawler(crawler, *args, **kwargs)
        if spider.max_pages is None:
            spider.max_pages = crawler.settings.getint("GOVAUDIT_MAX_PAGES") or None
        if spider.max_minutes is None:
            spider.max_minutes = crawler.settings.getfloat("GOVAUDIT_MAX_MINUTES") or None
        if "GOVAUDIT_MAX_LINKS_PER_PAGE" in crawler.settings and not kwargs.get("max_links_per_page"):
            spider.max_links_per_page = crawler.settings.getint("GOVAUDIT_MAX_LINKS_PER_PAGE")
        if spider.reverify_weeks is None:
            spider.reverify_weeks = crawler.settings.getint("GOVAUDIT_REVERIFY_WEEKS", DEFAULT_REVERIFY_WEEKS)
        from scrapy import signals
        crawler.signals.connect(spider._request_dropped, signal=signals.request_dropped)
        return spider

    def _request_dropped(self, request, spider=None) -> None:
        """A redirect the scheduler refused as already seen. Back into its own chain (A → B → A) it is a dead
        link, as a browser gives up on it; to a page fetched before, the link has that page's outcome. Either
        is given to the link with the next page's records (a signal handler cannot hand records on)."""
        chain = [canonicalize(u) for u in request.meta.get("redirect_urls") or ()]
        target = request.meta.get("target")
        if not chain or not target or target in self.outcomes:
            return
        url = canonicalize(request.url)
        if url in chain:
            self.late_outcomes.append((target, None, REDIRECT_LOOP))
        elif url in self.outcomes:
            self.late_outcomes.append((target, *self.outcomes[url]))
        else:                                   # requested, not answered yet: the link waits for it
            self.redirect_waiters.setdefault(url, []).append(target)

    # ------------------------------------------------------------------ helpers
    def on_site(self, url: str) -> bool:
        """Whether a URL belongs to the audited site (its hosts, subdomains and profile hosts)."""
        return same_site(url, self.hosts)

    def _stat(self, key: str, n: int = 1) -> None:
        if self.crawler is not None:
            self.crawler.stats.inc_value(f"govaudit/{key}", n)

    def _link(self, source: str | None, target: str, kind: str) -> Iterator[LinkRecord]:
        """Record that `source` links to `target`; its status is filled in once the target is fetched."""
        if not source or source == target:
            return
        if target in self.outcomes:
            status, error = self.outcomes[target]
            yield LinkRecord(source, target, status, error, kind)
            return
        self.pending_sources.setdefault(target, []).append((source, kind))
        yield LinkRecord(source, target, None, None, kind)

    def _outcome(self, target: str, status: int | None, error: str | None) -> Iterator[LinkRecord]:
        """The fetch of `target` ended: give every link pointing at it its status."""
        self.outcomes[target] = (status, error)
        column_url = self.pending_list_of.pop(target, None)
        if column_url is not None:
            self.list_pending.get(column_url, set()).discard(target)
            if status is None or status >= 400:
                self.list_problem.setdefault(column_url, UNREAD_FETCH)
        for source, kind in self.pending_sources.pop(target, []):
            yield LinkRecord(source, target, status, error, kind)
        for waiter in self.redirect_waiters.pop(target, ()):
            if waiter not in self.outcomes:
                yield from self._outcome(waiter, status, error)

    def _follow(self, url: str, source: str | None, kind: str, priority: int,
                meta: dict | None = None) -> Iterator[Any]:
        """Links, then maybe a request: the one gate every discovered URL goes through."""
        if not url or not url.startswith(("http://", "https://")):
            return
        url = canonicalize(url)
        if not self.on_site(url):
            if source:
                yield LinkRecord(source, url, None, None, "external")
            return
        if kind != "attachment" and is_attachment_url(url):
            kind, priority = "attachment", cs.PRIORITY_ATTACHMENT
        if self.profile.excluded(url):
            self._stat("excluded")
            return
        if looks_like_trap(url):
            self._stat("trap_skipped")
            return
        if url in self.home_aliases:
            url = self.start_url
        yield from self._link(source, url, "attachment" if kind == "attachment" else "page")
        if url in self.scheduled and not self._uncarry(url):
            return
        if url in self.done:
            # Replayed later from a queue, not recursively: stored pages can link in long chains.
            self.scheduled.add(url)
            self._stat("resume_skipped")
            self.replay_queue.append(url)
            return
        if self.plan is not None and url not in self.scheduled and self._carry(url, kind):
            return
        off_structure = bool(meta and meta.get("off_structure"))
        if off_structure and self.off_structure_queued >= cs.MAX_QUEUED_OFF_STRUCTURE:
            # Not added to `scheduled`: if a column lists it later, it is fetched then.
            self.off_structure_dropped += 1
            self._stat("off_structure_dropped")
            return
        if kind != "attachment":
            if self.max_pages and self.pages_scheduled >= self.max_pages:
                self._stat("max_pages_reached")
                self.stop_reason = self.stop_reason or "max_pages"
                column_url = (meta or {}).get("column_url")
                if column_url and kind == "list":
                    self.list_problem.setdefault(column_url, UNREAD_PAGES)
                elif column_url and kind == "article":
                    self.refused_entries.add(url)
                return
            self.pages_scheduled += 1
        if off_structure:
            self.off_structure_queued += 1
        self.scheduled.add(url)
        request_meta = {"kind": kind, "target": url, "source": source}
        if meta:
            request_meta.update(meta)
        callback = self.parse_attachment if kind == "attachment" else self.parse_html
        yield scrapy.Request(url, callback=callback, errback=self.on_error, priority=priority,
                             meta=request_meta)

    # ------------------------------------------------------------------ start
    async def start(self):
        """Seed the crawl with the home page (and the profile's extra start URLs)."""
        if self.resume and self.store is not None and self.run_id is not None:
            self._load_resume_state()
        if self.store is not None and self.run_id is not None and (self.reverify_weeks or 0) > 1:
            self.plan = build_plan(self.store, self.site_url, self.run_id, self.store.run(self.run_id).as_of,
                                   self.reverify_weeks)
        if self.max_minutes and self.crawler is not None:
            asyncio.get_running_loop().call_later(self.max_minutes * 60, self._time_is_up)
        seeds = [self.start_url] + [canonicalize(u) for u in self.profile.start_urls]
        for i, url in enumerate(dict.fromkeys(seeds)):
            self.scheduled.add(url)
            self.pages_scheduled += 1
            yield scrapy.Request(url, callback=self.parse_html, errback=self.on_error,
                                 priority=cs.PRIORITY_HOME, dont_filter=True,
                                 meta={"kind": "home" if i == 0 else "list", "target": url, "source": None,
                                       "hint": {"level": 1}})

    def _time_is_up(self) -> None:
        """The wall-time budget ran out: stop fetching; what is stored is checked and reported."""
        engine = self.crawler.engine if self.crawler is not None else None
        if self.closing or engine is None or getattr(engine, "spider", None) is not self:
            return
        self.stop_reason = self.stop_reason or "max_minutes"
        self._stat("max_minutes_reached")
        asyncio.ensure_future(engine.close_spider_async(reason="govaudit_max_minutes"))

    def _load_resume_state(self) -> None:
        """A resumed run skips what it already stored and rebuilds the column state around it."""
        snapshot = self.store.load_snapshot(self.run_id)
        for page in snapshot.pages_:
            if page.kind in ("article", "other"):
                self.done[page.url] = page
            if page.column_url and page.published:
                self._note_article(page.column_url, page.url, page.published, page.title, page.doc_number)
        for attachment in snapshot.attachments_:
            self.done[attachment.url] = attachment
        self.errors_recorded = {(e.url, e.stage) for e in snapshot.errors_}
        for column in snapshot.columns_:
            state = self.columns.setdefault(column.url, _Column(url=column.url))
            state.set_name(column.name, 1)
            state.path, state.level = column.path, column.level
            for list_url in column.list_urls:
                self.list_owner[list_url] = column.url
        self.counts["pages"] = sum(1 for p in snapshot.pages_)
        self.counts["attachments"] = len(snapshot.attachments_)
        for farm in (self.store.run(self.run_id).stats or {}).get("link_farm_pages") or []:
            self.link_farms.setdefault(farm["url"], dict(farm))

    # ------------------------------------------------------------------ replays (304, resume)
    def _replay(self, url: str, record: Any, from_run: int | None) -> Iterator[Any]:
        """Use a stored record instead of a fetch: column dates and the page's outlinks."""
        yield from self._outcome(url, 200, None)
        if not isinstance(record, PageRecord) or self.store is None or from_run is None:
            return
        column_url = self.entry_column.get(url) or record.column_url
        if column_url and record.published:
            self._note_article(column_url, url, record.published, record.title, record.doc_number)
            self.columns_touched[column_url] = None
        yield from self._stored_outlinks(url, from_run)

    # ------------------------------------------------------------------ re-crawl rotation (crawler/reverify.py)
    def _carry(self, url: str, kind: str) -> bool:
        """Queue `url` to be copied forward from the previous run when it need not be fetched this week."""
        assert self.plan is not None
        key = self.store._key(url) if self.store is not None else url
        known = self.plan.carry(key, url, kind, self.entry_title.get(url), self.entry_date.get(url))
        if known is None:
            return False
        self.scheduled.add(url)
        self.carried[url] = known
        self.carry_queue.append(url)
        self._stat("carried_forward")
        return True

    def _uncarry(self, url: str) -> bool:
        """A URL carried forward before its list entry was seen, whose entry shows a change: fetch it now.

        The fetched record replaces the copied one in the store (records are keyed by run and URL).
        """
        known = self.carried.get(url)
        if known is None or not (url in self.entry_title or url in self.entry_date):
            return False
        if not entry_changed(known, self.entry_title.get(url), self.entry_date.get(url)):
            return False
        del self.carried[url]
        self.scheduled.discard(url)
        if url not in self.carry_queue:                # already copied and counted
            self.counts["carried"] -= 1
            self.counts["attachments" if known.kind == "attachment" else "pages"] -= 1
        self._stat("carry_revoked")
        return True

    def _carry_forward(self, url: str, known: KnownPage) -> Iterator[Any]:
        """Copy a page not due this week from the previous run, and go on from its stored outlinks."""
        assert self.plan is not None
        self.counts["carried"] += 1
        yield CopyForward(self.plan.base_run, [url])
        if known.kind == "attachment":
            self.counts["attachments"] += 1
            yield from self._outcome(url, 200, None)
            return
        self.counts["pages"] += 1
        yield from self._outcome(url, 200, None)
        column_url = self.entry_column.get(url) or known.column_url
        if column_url and known.published:
            self._note_article(column_url, url, known.published, known.title, known.doc_number)
            self.columns_touched[column_url] = None
        yield from self._stored_outlinks(url, self.plan.base_run)

    def _stored_outlinks(self, url: str, from_run: int) -> Iterator[Any]:
        """Go on from the links `from_run` stored for `url`, a page whose link rows this run already holds.

        They are there because CopyForward copied them with their statuses (a carried or 304 page), or
        because this run stored them before it was interrupted (a resumed page). So a link is written again
        only when this run learns another status for it; a pending one is written when its target answers.
        """
        for link in self._outlinks_of(url, from_run):
            if link.kind == im.IMAGE_KIND:
                yield from self.images.record(url, link.target_url, self._image_request, write_pending=False)
                continue
            if link.kind in ("external", "hidden"):
                continue
            target = link.target_url
            if target in self.scheduled:
                # Requested or carried already (most of a page's links: its menus): what _follow would do
                # comes down to the link's status, without passing the URL through the gate again.
                if target != url:
                    link_kind = "attachment" if link.kind == "attachment" else "page"
                    if target in self.outcomes:
                        if self.outcomes[target] != (link.status, link.error):
                            yield LinkRecord(url, target, *self.outcomes[target], link_kind)
                    else:
                        self.pending_sources.setdefault(target, []).append((url, link_kind))
                continue
            kind = "attachment" if link.kind == "attachment" else "other"
            priority = cs.PRIORITY_ATTACHMENT if kind == "attachment" else cs.PRIORITY_OTHER
            for item in self._follow(target, url, kind, priority):
                if isinstance(item, LinkRecord) and item.source_url == url and (
                        (item.status, item.error) == (link.status, link.error)
                        or (item.status is None and item.error is None and item.target_url not in self.outcomes)):
                    continue
                yield item

    def _outlinks_of(self, url: str, from_run: int) -> list[LinkRecord]:
        """The links `from_run` stored for `url`. A carried page's come with those of every page waiting in
        the carry queue, in one query (on a database server, one round trip instead of one per page)."""
        if self.plan is None or from_run != self.plan.base_run:
            return self.store.outlinks(from_run, url)
        if url not in self.base_outlinks:
            waiting = [u for u in self.carry_queue if u not in self.base_outlinks and u in self.carried
                       and self.carried[u].kind != "attachment"]
            self.base_outlinks.update(self.store.outlinks_many(from_run, [url, *waiting]))
        return self.base_outlinks.pop(url)

    def _not_modified(self, response: Response) -> Iterator[Any]:
        prev = response.meta.get("prev_version") or {}
        target = response.meta["target"]
        self.counts["not_modified"] += 1
        if not prev.get("record"):
            self.counts["errors"] += 1
            yield ErrorRecord(target, "fetch", "服务器返回 304（未修改），但本地无上次抓取记录")
            return
        yield CopyForward(prev["run_id"], [target])
        if isinstance(prev["record"], AttachmentRecord):
            self.counts["attachments"] += 1
        else:
            self.counts["pages"] += 1
        yield from self._replay(target, prev["record"], prev["run_id"])

    # ------------------------------------------------------------------ columns
    @property
    def column_claims(self) -> dict[str, set[str]]:
        """Column URL -> articles whose breadcrumb or ColumnName meta names that column."""
        return self.__dict__.setdefault("_column_claims", {})

    @property
    def page_signals(self) -> PageSignals:
        """Off-site and hidden links, public message lists (crawler/page_signals.py)."""
        return self.__dict__.setdefault("_page_signals", PageSignals(self.on_site))

    @property
    def images(self) -> im.ImageChecks:
        """The images pages show, each distinct on-site one checked once (crawler/images.py)."""
        if "_images" not in self.__dict__:
            settings = self.crawler.settings if self.crawler is not None else None
            self.__dict__["_images"] = im.ImageChecks(self.on_site, im.configured_limit(settings), self._stat,
                                                      max_per_page=im.configured_page_limit(settings))
            if self.crawler is not None:
                from scrapy import signals
                self.crawler.signals.connect(self._images.stop_after_first_chunk, signal=signals.bytes_received)
        return self.__dict__["_images"]

    def _image_request(self, url: str, **kwargs: Any) -> scrapy.Request:
        return scrapy.Request(url, callback=self.parse_image, errback=self.image_failed, dont_filter=True, **kwargs)

    def parse_image(self, response: Response) -> Iterator[Any]:
        """An image check's answer (crawler/images.py decides, and may ask again with a ranged GET)."""
        meta = response.meta
        yield from self._batched(self.images.answered(
            meta["target"], meta["image_method"], response.status, im._content_type(response.headers),
            response.body, self._image_request))

    def image_failed(self, failure) -> Iterator[Any]:
        yield from self._batched(self.images.failed(failure.request.meta["target"], *_failure_reason(failure)))

    @property
    def hub_pages(self) -> dict[str, int]:
        """Landing-page URL -> how many sub-columns it lists (crawler.columns.hub_links)."""
        return self.__dict__.setdefault("_hub_pages", {})

    def _column_key(self, url: str) -> str:
        """The URL a list page's column is known by: its first list page, index files folded."""
        return cm.column_key(url, self.list_owner, self.columns)

    def _column_for_article(self, url: str, meta: dict, parsed: ParsedPage) -> tuple[str | None, str | None]:
        """(column URL, how it was found: list | request | breadcrumb | meta | directory | None)."""
        column, how = cm.column_for_article(url, meta, parsed, entry_column=self.entry_column,
                                            columns=self.columns, on_site=self.on_site,
                                            key=lambda u: self._column_key(canonicalize(u)))
        if column and how in ("breadcrumb", "meta"):
            self.column_claims.setdefault(column, set()).add(url)
        return column, how

    def _recognise_hub(self, url: str, parsed: ParsedPage, kind: str, html: str = "") -> None:
        """A section landing page (links to sub-columns, no dated entries) is an empty column page, not
        an article and not a blank column. A page whose list template says it holds 0 records (共0条记录) and whose
        'sub-columns' are mostly its siblings (the same List.aspx with another ClassID: its side menu) is an
        empty list, not a landing page."""
        if kind in ("home", "sitemap") or url in self.home_aliases:
            return
        links = cm.hub_links(parsed, url, self.home_aliases)
        own_path = urlsplit(url).path
        siblings = sum(1 for link in links if urlsplit(link.url).path == own_path)
        if links and 2 * siblings >= len(links) and declared_total(html) == 0:
            return
        if links:
            cm.as_hub(parsed)
            self.hub_pages[url] = len(links)
            self._stat("hub_pages")

    def _column_record(self, col: _Column) -> ColumnRecord:
        hub = max((self.hub_pages.get(u, 0) for u in col.list_urls), default=0)
        return cm.column_record(col, self.columns, self.profile, self.article_dates.get(col.url, {}),
                                hub_count=hub, claimed=len(self.column_claims.get(col.url, ())),
                                articles=self.article_facts.get(col.url, {}).values())

    def _note_article(self, column_url: str, url: str, published: dt.date, title: str | None,
                      doc_number: str | None) -> None:
        """A dated article of the column: its date (freshness) and its title and 文号 (the column's type)."""
        self.article_dates.setdefault(column_url, {})[url] = published
        self.article_facts.setdefault(column_url, {})[url] = cm.ArticleFacts(title or "", doc_number)

    def final_columns(self) -> list[ColumnRecord]:
        """Every column as it stands at the end (levels and article dates settle only then)."""
        self.closing = True
        records = [self._column_out(col) for col in self.columns.values()]
        self.unread_columns = sum(1 for record in records if record.unread_reason and not cm.is_landing_page(record))
        return records

    def _column_out(self, col: _Column) -> ColumnRecord:
        """The column's record with why it was not read to the end, if it was not."""
        record = self._column_record(col)
        record.unread_reason = self._unread_reason(col) or record.unread_reason
        return record

    def _unread_reason(self, col: _Column) -> str | None:
        """None when every list page of the column was read (and, for an undated list, every article).

        A record built mid-crawl with pages still pending says 抓取中断: it stays so only if the
        process dies before the final records are written at close.
        """
        reason = self.stop_reason if self.closing else None
        if col.url in self.list_problem:
            return self.list_problem[col.url]
        if self.list_pending.get(col.url) or col.url not in self.lists_read:
            return _STOPPED.get(reason or "", UNREAD_INTERRUPTED)
        if col.entries and not any(col.entries.values()):
            # An undated list takes its dates from the articles: all of them must have been fetched.
            unread = [url for url in col.entries if url in self.refused_entries
                      or (url in self.scheduled and url not in self.outcomes and url not in self.done)]
            if unread:
                if not self.closing:
                    return UNREAD_ARTICLES
                return UNREAD_ARTICLES_STOPPED.get(reason or "", UNREAD_ARTICLES_INTERRUPTED)
        return None

    def link_farm_pages(self) -> list[dict[str, Any]]:
        """Pages whose links to URLs no column lists ran past the per-page budget (the link-farm finding).

        A page is dropped when most of the sample that was followed turned out to be listed by a column
        after all: a site map of the articles, not a farm.
        """
        out = []
        for url, farm in sorted(self.link_farms.items()):
            sample = farm.get("sample") or []
            listed = sum(1 for target in sample if target in self.entry_column or target in self.list_owner)
            if sample and listed * 2 > len(sample):
                continue
            out.append({"url": url, "links": farm["links"], "followed": farm["followed"]})
        return out

    def _crumb_path(self, parsed: ParsedPage) -> tuple[str, int] | None:
        return cm.crumb_path(parsed)

    # ------------------------------------------------------------------ selectors from the profile
    def _apply_selectors(self, response: TextResponse, parsed: ParsedPage) -> None:
        """A profile's CSS selectors override the heuristics for a CMS they miss."""
        sel = self.profile.selectors
        if not sel:
            return
        if sel.get("list"):
            entries = []
            for node in response.css(sel["list"]):
                href = node.css("a::attr(href)").get()
                if not href:
                    continue
                title = " ".join(t.strip() for t in node.css("a ::text").getall() if t.strip())
                dates = find_dates(" ".join(node.css("::text").getall()))
                entries.append(ListEntry(canonicalize(response.urljoin(href)), title, dates[0] if dates else None))
            if entries:
                parsed.list_entries, parsed.is_list = entries, True
        if sel.get("article") and response.css(sel["article"]):
            parsed.is_list = parsed.is_list and bool(sel.get("list") and parsed.list_entries)
            if parsed.article is None:
                parsed.article = ArticleFields(title=parsed.title)
        if sel.get("content") and parsed.article is not None:
            text = "\n".join(t.strip() for t in response.css(f"{sel['content']} ::text").getall() if t.strip())
            if text:
                parsed.article.text = text

    def _fallback_list(self, url: str, html: str, parsed: ParsedPage, kind: str) -> None:
        """Column pages the list heuristics miss: empty, one-entry or undated lists.

        A page that carries a list template (ColumnName meta, a pagination script, '共0条') but no
        article is a column even with fewer than three dated entries; a menu or breadcrumb target
        whose own directory holds three or more detail-page links is an undated list.
        """
        if url in self.home_aliases or parsed.facet_view:
            return                          # a catalogue facet lists other columns' documents: no column
        if (kind in ("list", "other") and url not in self.hub_pages and cm.undated_column_page(parsed)
                and listapi.script_list_api(html, url) is not None):
            # No list and no dated article, but a script that loads the list from an API (read by _list_api):
            # a list, empty or not by the API's word.
            parsed.article, parsed.list_entries, parsed.is_list = None, [], True
            self._stat("script_api_lists")
            return
        if kind == "list" and url not in self.hub_pages and cm.undated_column_page(parsed):
            # Reached as a column, yet no list and no dated article: an empty list whose template is all its text?
            evidence = cm.empty_list_evidence(parsed, html)
            if evidence is not None:
                parsed.article, parsed.list_entries, parsed.is_list = None, [], True
                self._stat("empty_lists_by_template")
                return
            landing = cm.flat_landing_links(parsed, url) or cm.menu_landing_links(parsed, url, html)
            if landing:
                # A landing page (a flat CMS's, or one the menus nest columns under): judged through its sub-columns.
                cm.as_hub(parsed)
                self.hub_pages[url] = len(landing)
                self._stat("hub_pages")
                return
            if (parsed.article is not None or cm.says_column_page(parsed)) and not cm.is_section_page(parsed, url):
                self.undecided_columns.add(url)     # a column not judged (columns.UNDECIDED_REASON)
                return
        if parsed.is_list or parsed.article is not None or url in self.hub_pages:
            return                          # a landing page's links are its sub-columns, not an undated list
        directory = url.rsplit("/", 1)[0] + "/"
        known = {canonicalize(x.url) for x in parsed.nav_links + parsed.breadcrumb if x.url}
        known |= set(parsed.pagination)
        inside = [lk for lk in parsed.links
                  if lk.url.startswith(directory) and lk.url != url and lk.url not in known
                  and not is_attachment_url(lk.url) and _OWN_DETAIL.match(lk.url[len(directory):])]
        entries = parsed.list_entries or [ListEntry(lk.url, lk.text) for lk in inside]
        if declared_total(html) == 0:
            entries = []                        # 共0条记录: the links beside an empty list are its chrome
        if _LIST_TEMPLATE.search(html) or (parsed.meta.get("ColumnName") and entries):
            pass                                # a list template, possibly empty
        elif kind == "list" and len(inside) >= 3:
            entries = [ListEntry(lk.url, lk.text) for lk in inside]
        else:
            return
        parsed.list_entries, parsed.is_list = entries, True
        self._stat("fallback_lists")

    # ------------------------------------------------------------------ callbacks
    def _drain_replays(self) -> Iterator[Any]:
        while self.late_outcomes:
            target, status, error = self.late_outcomes.popleft()
            if target not in self.outcomes:
                yield from self._outcome(target, status, error)
        while self.replay_queue or self.carry_queue:
            if self.replay_queue:
                url = self.replay_queue.popleft()
                yield from self._replay(url, self.done[url], self.run_id)
                continue
            url = self.carry_queue.popleft()
            known = self.carried.get(url)
            if known is None:
                continue                        # a list entry showed a change after all: it is being fetched
            yield from self._carry_forward(url, known)
        touched, self.columns_touched = self.columns_touched, {}
        for column_url in touched:
            if column_url in self.columns:
                yield self._column_out(self.columns[column_url])

    def _batched(self, results: Iterator[Any]) -> Iterator[Any]:
        """Requests as they come; then the links as one batch, then the records.

        Links go to the store before the page record, so a page stored in an interrupted run
        always has its outlinks stored too (a resumed run replays them instead of re-fetching).
        Pages copied forward from one earlier run become one CopyForward of all their URLs, in the place of
        the first: the store copies them with one statement per table instead of four per page.
        """
        links: list[LinkRecord] = []
        records: list[Any] = []
        copies: dict[int, CopyForward] = {}
        for result in chain(results, self._drain_replays()):
            if isinstance(result, scrapy.Request):
                yield result
            elif isinstance(result, LinkRecord):
                links.append(result)
            elif isinstance(result, CopyForward):
                if result.from_run in copies:
                    copies[result.from_run].urls.extend(result.urls)
                else:
                    copies[result.from_run] = CopyForward(result.from_run, list(result.urls))
                    records.append(copies[result.from_run])
            else:
                records.append(result)
        if links:
            yield LinkBatch(links)
        yield from records

    def parse_html(self, response: Response) -> Iterator[Any]:
        """Any HTML page: home, column list, article or other; records it and follows its links."""
        self._answered(response.meta)
        yield from self._batched(self._parse_html(response))

    def _answered(self, meta: dict) -> None:
        if meta.get("off_structure"):
            self.off_structure_queued -= 1

    def _parse_html(self, response: Response) -> Iterator[Any]:
        meta = response.meta
        target = meta["target"]
        if response.status == 304:
            yield from self._not_modified(response)
            return
        if not isinstance(response, TextResponse):
            yield from self._parse_attachment(response)
            return
        if meta["kind"] != "home" and 200 <= response.status < 300:
            notice = gone_notice(response.text)
            if notice:
                yield from self._soft_gone(target, meta, notice)
                return
        yield from self._outcome(target, response.status, None)
        url = canonicalize(response.url)
        if url != target:
            self.scheduled.add(url)
        from crawler.extract.page import parse_page
        try:
            parsed = parse_page(response.text, url, site_hosts=set(self.hosts))
            error = parsed.error
            if error is None:
                self._apply_selectors(response, parsed)
        except Exception as exc:  # noqa: BLE001 - one bad page must not stop the crawl
            error = f"{type(exc).__name__}: {exc}"
        if error is not None:
            yield from self._parse_failed(url, meta, error)
            return
        self.counts["pages"] += 1
        # Off-site links the spider records itself: menus and crumbs, and list entries only where it follows them.
        followed_entries = parsed.list_entries if parsed.is_list or meta["kind"] == "home" else []
        yield from self.page_signals.collect(url, response.text, [x.url for x in chain(
            parsed.nav_links, parsed.breadcrumb, followed_entries)])
        yield from self.images.collect(url, response.text, self._image_request)
        kind = meta["kind"]
        hint = meta.get("hint") or {}
        if kind == "home":
            name = parsed.meta.get("SiteName") or self.profile.name or parsed.title
            if name:
                yield SiteInfo(name.strip())
            if not parsed.nav_links and not parsed.list_entries:
                # A frameset home page: its frames are the home page a visitor sees (menu, latest items).
                for frame in parsed.frames:
                    yield from self._follow(frame.url, url, "home", cs.PRIORITY_HOME)

        if kind in ("list", "sitemap", "other"):
            self._recognise_hub(url, parsed, kind, response.text)
            self._fallback_list(url, response.text, parsed, kind)
        page_kind = "other"
        column_url: str | None = None
        placed_by: str | None = None              # how an article's column was found (crawler/columns.py)
        if self.plan is not None:
            for entry in parsed.list_entries:
                if entry.title:
                    self.entry_title[canonicalize(entry.url)] = entry.title
        if kind == "home":
            # The home page's "latest news" block is not a column; its entries are just articles.
            for entry in parsed.list_entries:
                if entry.date and not self.entry_date.get(canonicalize(entry.url)):
                    self.entry_date[canonicalize(entry.url)] = entry.date
                yield from self._follow(entry.url, url, "article", cs.PRIORITY_ARTICLE)
        elif parsed.is_list or (parsed.blank_marker and kind in ("list", "sitemap") and not parsed.article):
            page_kind = "list"
            column_url = meta.get("column_url") or self._column_key(url)
            api = self._list_api(url, response.text, parsed)
            yield from self._list_page(url, column_url, parsed, hint)
            yield from self._follow_list_api(api, url, column_url, response.text, parsed)
        elif parsed.article is not None and kind != "home":
            page_kind = "article"
            if url in self.undecided_columns:
                column_url, placed_by = self._column_key(url), "undecided"
                yield from self._undecided_column(url, column_url, parsed, hint)
            else:
                column_url, placed_by = self._column_for_article(url, meta, parsed)
        if kind == "home":
            page_kind = "home"
        elif page_kind == "other" and url in self.undecided_columns:
            column_url = self._column_key(url)
            yield from self._undecided_column(url, column_url, parsed, hint)

        level = self.columns[column_url].level if page_kind == "list" and column_url in self.columns else 0
        # Breadcrumbs: every linked ancestor is a column.
        crumbs = [c for c in parsed.breadcrumb if c.url]
        for i, crumb in enumerate(crumbs):
            if i == 0 and len(crumbs) > 1:
                continue                        # 首页
            names = [c.text.strip() for c in parsed.breadcrumb[: parsed.breadcrumb.index(crumb) + 1]]
            yield from self._follow(crumb.url, url, "list", cs.PRIORITY_LIST,
                                    {"hint": {"name": crumb.text, "path": "/".join(n for n in names if n),
                                              "level": max(1, i), "rank": 2}})
        # Navigation menus and the site map: column candidates.
        cap = self.max_links_per_page
        nav_level = 1 if page_kind == "home" or kind == "sitemap" else level + 1
        if len(parsed.nav_links) > cap:
            parsed.nav_links = []            # no menu has thousands of entries: they are judged as links below
        for link in parsed.nav_links:
            yield from self._follow(link.url, url, "list", cs.PRIORITY_LIST,
                                    {"hint": {"name": link.text, "level": nav_level, "rank": 1}})
        others = self._bounded_links(url, parsed, from_farm=bool(meta.get("farm")),
                                     entries_followed=page_kind in ("list", "home"))
        if page_kind == "home":
            for link in parsed.nav_links + others:
                if SITEMAP_TEXT.search(link.text or "") or SITEMAP_URL.search(link.url):
                    yield from self._follow(link.url, url, "sitemap", cs.PRIORITY_SITEMAP, {"hint": {"level": 1}})
        farm = url in self.link_farms
        if kind == "sitemap":
            for link in others:
                yield from self._follow(link.url, url, "list", cs.PRIORITY_LIST,
                                        {"hint": {"name": link.text, "level": 1, "rank": 1}, "farm": farm})
        for link in parsed.attachments[:cap]:
            yield from self._follow(link.url, url, "attachment", cs.PRIORITY_ATTACHMENT)
        for link in others:
            yield from self._follow(link.url, url, "other", cs.PRIORITY_OTHER,
                                    {"off_structure": True, "farm": farm})

        article = parsed.article or ArticleFields()
        published, published_source = article.published, article.published_source
        if published is None and self.entry_date.get(target):
            published, published_source = self.entry_date[target], "list"
        if page_kind == "article" and column_url and published:
            self._note_article(column_url, url, published, article.title or parsed.title, article.doc_number)
            col = self.columns.get(column_url)
            if col is not None and not any(col.entries.values()):
                yield self._column_out(col)
        record = PageRecord(
            url=url, column_url=column_url, title=article.title or parsed.title,
            published=published if page_kind == "article" else None,
            published_source=published_source if page_kind == "article" else None,
            source=article.source, index_number=article.index_number, doc_number=article.doc_number,
            topic=article.topic, written=article.written, text=article.text if page_kind != "list" else "",
            sha256=_sha256(response.body), status=response.status, kind=page_kind,
            etag=_header(response, "ETag"), last_modified=_header(response, "Last-Modified"),
            identity=parsed.identity,
        )
        if page_kind == "article" and placed_by in ("directory", None) and len(self.placed_by_folder) < MAX_PLACED_BY_FOLDER:
            self.placed_by_folder[url] = record
        yield record

    def _claimed_by_list(self, url: str, column_url: str) -> Iterator[PageRecord]:
        """An article stored under the folder it sits in, now listed by a column: stored again under that
        column, and its date and title move with it (a landing page's folder is no article's column)."""
        record = self.placed_by_folder.pop(url, None)
        if record is None or record.column_url == column_url:
            return
        old = record.column_url
        if old is not None:
            self.article_dates.get(old, {}).pop(url, None)
            self.article_facts.get(old, {}).pop(url, None)
        if record.published is not None:
            self._note_article(column_url, url, record.published, record.title, record.doc_number)
        record.column_url = column_url
        self._stat("articles_moved_to_list_column")
        yield record

    def _listed(self, url: str) -> bool:
        """Whether a URL is part of the site's known structure: a column, a list page or a list entry."""
        return (url in self.entry_column or url in self.list_owner or url in self.columns
                or url in self.scheduled or url in self.home_aliases)

    def _bounded_links(self, url: str, parsed: ParsedPage, from_farm: bool,
                       entries_followed: bool = True) -> list[Link]:
        """The page's ordinary links (not menus, lists, pagination or attachments) that will be followed.

        List entries count as structure only where the spider follows them as entries
        (`entries_followed`: a list page or the home page); elsewhere they are ordinary links, so
        each is still followed and recorded with its outcome. All of them on an ordinary page. When more than `max_links_per_page` point at URLs no column
        lists, the page is a link farm or a 暗链 block: the listed ones are followed, plus a deterministic
        sample (smallest URL hashes) of the rest, and the page is recorded for the link-farm rule. A page
        reached only through such a sample follows no unlisted links of its own, so a farm of farm
        pages cannot grow the crawl.
        """
        structure = {canonicalize(x.url) for x in parsed.breadcrumb if x.url}
        structure |= {x.url for x in parsed.nav_links}
        if entries_followed:
            structure |= {e.url for e in parsed.list_entries}
        structure |= set(parsed.pagination)
        others = [lk for lk in parsed.links if lk.url not in structure]
        if len(others) <= self.max_links_per_page and not from_farm:
            return others
        listed = [lk for lk in others if self._listed(lk.url)]
        unlisted = [lk for lk in others if not self._listed(lk.url)]
        if from_farm:
            self._stat("farm_links_skipped", len(unlisted))
            return listed[: self.max_links_per_page]
        if len(unlisted) <= self.max_links_per_page:
            return others
        sample = sorted(unlisted, key=lambda lk: hashlib.blake2b(lk.url.encode("utf-8"), digest_size=8).digest())
        sample = sample[: self.max_links_per_page]
        self._stat("link_farm_pages")
        self._stat("link_farm_links_skipped", len(unlisted) - len(sample))
        self.link_farms[url] = {"url": url, "links": len(unlisted), "followed": len(sample),
                                "sample": [lk.url for lk in sample]}
        if self.store is not None and self.run_id is not None:
            try:                             # kept at once: a killed run that resumes replays this page
                self.store.update_stats(self.run_id, link_farm_pages=self.link_farm_pages())
            except StoreError:
                pass                         # the store pipeline stops the crawl on a lost store
        return listed[: self.max_links_per_page] + sample

    def _parse_failed(self, url: str, meta: dict, error: str) -> Iterator[Any]:
        """A page whose parse raised: an ErrorRecord, and never an empty column.

        Nothing of a half-parsed page is used. When it was a column's list page (a menu or
        breadcrumb target, or a page of a known column's list), the column is kept with an
        unread reason, so the checks give it no verdict instead of reading it as blank or stale.
        """
        target = meta["target"]
        self.counts["errors"] += 1
        self._stat("parse_failed")
        yield ErrorRecord(target, "parse", f"页面解析失败：{error}"[:500])
        column_url = meta.get("column_url") or self.list_owner.get(target) or self.list_owner.get(url)
        if column_url is None and meta.get("kind") == "list":
            column_url = self._column_key(url)
        if column_url is None:
            return
        hint = meta.get("hint") or {}
        col = self.columns.get(column_url)
        if col is None:
            col = self.columns[column_url] = _Column(url=column_url, level=hint.get("level", 1))
            col.path = hint.get("path", "")
        col.set_name(hint.get("name", ""), hint.get("rank", 1))
        if not col.path:
            col.path = col.name
        col.list_urls[url] = None
        self.list_owner.setdefault(url, column_url)
        self.list_problem.setdefault(column_url, UNREAD_PARSE)
        yield self._column_out(col)

    def _undecided_column(self, url: str, column_url: str, parsed: ParsedPage, hint: dict) -> Iterator[Any]:
        """A page reached as a column that shows no list and no dated article by any sign (columns.py
        empty_list_evidence found none): the column is kept and said to be not judged, never dropped
        and never read as blank. The page itself stays an article, its text checked as any other."""
        col = self.columns.get(column_url)
        if col is None:
            col = self.columns[column_url] = _Column(url=column_url, level=hint.get("level", 1))
            col.path = hint.get("path", "")
        col.set_name(parsed.title, 0)
        col.set_name(hint.get("name", ""), hint.get("rank", 1))
        meta_name = parsed.meta.get("ColumnName") or parsed.meta.get("columnname")
        if meta_name:
            col.set_name(meta_name, 3)
        col.meta_type = parsed.meta.get("ColumnType") or parsed.meta.get("columntype") or col.meta_type
        if not col.path:
            col.path = col.name
        col.list_urls[url] = None
        self.list_owner.setdefault(url, column_url)
        self.lists_read.add(column_url)
        self.list_problem.setdefault(column_url, cm.UNDECIDED_REASON)
        self._stat("undecided_columns")
        yield self._column_out(col)

    def _list_page(self, url: str, column_url: str, parsed: ParsedPage, hint: dict) -> Iterator[Any]:
        """A page of a column's list: the column's entries, its other pages, its articles."""
        col = self.columns.get(column_url)
        if col is None:
            col = self.columns[column_url] = _Column(url=column_url, level=hint.get("level", 1))
            if hint.get("path"):
                col.path = hint["path"]
        col.set_name(parsed.title, 0)
        col.set_name(hint.get("name", ""), hint.get("rank", 1))
        crumb = self._crumb_path(parsed)
        if crumb:
            path, level = crumb
            last = parsed.breadcrumb[-1].text.strip()
            col.set_name(last, 2)
            if not path.endswith(col.name):
                path = f"{path}/{col.name}"
                level += 1
            col.path, col.level = path, level
            ancestors = [(self._column_key(canonicalize(c.url)), c.text.strip()) for c in parsed.breadcrumb[1:]
                         if c.url]
            col.ancestors = tuple(a for a in ancestors if a[0] != column_url and a[0] not in self.home_aliases)
            col.has_crumb = True
        meta_name = parsed.meta.get("ColumnName") or parsed.meta.get("columnname")
        if meta_name:
            col.set_name(meta_name, 3)
        col.meta_type = parsed.meta.get("ColumnType") or parsed.meta.get("columntype") or col.meta_type
        if not col.path:
            col.path = col.name
        col.list_urls[url] = None
        self.lists_read.add(column_url)
        self.inventory_at = time.monotonic()
        self.list_owner[url] = column_url
        if parsed.blank_marker:
            col.blank_marker = parsed.blank_marker
        yield from self._take_entries(col, parsed.list_entries, url)
        for page_url in parsed.pagination:
            page_url = canonicalize(page_url)
            if self.on_site(page_url):
                self.list_owner.setdefault(page_url, column_url)
            yield from self._follow(page_url, url, "list", cs.PRIORITY_PAGINATION,
                                    {"column_url": column_url, "hint": {"level": col.level}})
            if page_url in self.scheduled and page_url not in self.outcomes and page_url not in self.done:
                # Requested now or earlier (perhaps as an ordinary link): the column waits for it.
                self.list_pending.setdefault(column_url, set()).add(page_url)
                self.pending_list_of[page_url] = column_url
        self.columns_touched[column_url] = None        # written after the entries carried forward, in one go

    def _take_entries(self, col: _Column, entries: list[ListEntry], source: str) -> Iterator[Any]:
        """A column's list entries (from a list page or a list API answer): dates kept, articles followed."""
        column_url = col.url
        for entry in entries:
            entry_url = canonicalize(entry.url)
            col.entries[entry_url] = entry.date or col.entries.get(entry_url)
            self.entry_column.setdefault(entry_url, column_url)
            if entry.date and not self.entry_date.get(entry_url):
                self.entry_date[entry_url] = entry.date
            if self.entry_column[entry_url] == column_url:
                yield from self._claimed_by_list(entry_url, column_url)
            yield from self._follow(entry_url, source, "article", cs.PRIORITY_ARTICLE, {"column_url": column_url})

    # ------------------------------------------------------------------ lists paged through an API (crawler/listapi.py)
    @property
    def list_state(self) -> _ListFollowing:
        """What the list APIs and the browser fallback did, per column."""
        return self.__dict__.setdefault("_list_following", _ListFollowing())

    def _list_api(self, url: str, html: str, parsed: ParsedPage) -> ListApi | None:
        """The API the page's own script pages its list through, when it is one we know.

        Hanweb's dataproxy batches then leave `parsed.pagination`: they are sent as jpage sends them
        (POST), not fetched as ordinary GET pages.
        """
        if "__doPostBack" in html and parsed.list_entries and not parsed.pagination:
            api = listapi.postback_api(html, url)        # an ASP.NET list whose pager posts the page's form back
            if api is not None:
                return api
        if "dataproxy.jsp" not in html and "listModel" not in html:
            # A list the page loads whole from its script's API (an empty <ul id="list"> and $.ajax/fetch).
            return None if parsed.list_entries else listapi.script_list_api(html, url)
        api = listapi.known_api(html, url)
        if api is not None and api.family == "hanweb":
            parsed.pagination = [p for p in parsed.pagination if "dataproxy.jsp" not in p]
        return api

    def _follow_list_api(self, api: ListApi | None, url: str, column_url: str, html: str,
                         parsed: ParsedPage) -> Iterator[Any]:
        """Request a list's later pages from its API, or render the page when it says it holds more than
        it shows and nothing else reads it."""
        col = self.columns.get(column_url)
        if col is None:
            return
        state = self.list_state
        declared = api.declared if api is not None and api.declared else declared_total(html)
        if declared:
            state.declared[column_url] = max(state.declared.get(column_url, 0), declared)
        if api is not None:
            if column_url in state.planned:
                return                                   # one plan per column (its first page carries it)
            state.planned.add(column_url)
            self._stat(f"list_api/{api.family}")
            for call in api.calls:
                yield from self._api_request(api, call, column_url, url)
            return
        if (parsed.pagination or not parsed.list_entries or column_url in state.planned
                or len(col.list_urls) > 1):
            return
        shown = len(parsed.list_entries)
        if not ((declared and declared > shown) or (declared is None and script_pager(html))):
            return
        state.planned.add(column_url)
        yield from self._render_request(url, column_url, declared, shown)

    def _api_request(self, api: ListApi, call: ApiCall, column_url: str, source: str,
                     as_get: bool = False) -> Iterator[Any]:
        """One call of a list API as a request the scheduler paces like any other (politeness applies)."""
        key = call.key
        if not as_get:
            if key in self.scheduled:
                return
            if self.max_pages and self.pages_scheduled >= self.max_pages:
                self._stat("max_pages_reached")
                self.stop_reason = self.stop_reason or "max_pages"
                self.list_problem.setdefault(column_url, UNREAD_PAGES)
                return
            self.pages_scheduled += 1
            self.scheduled.add(key)
            self.list_pending.setdefault(column_url, set()).add(key)
            self.pending_list_of[key] = column_url
        sent = call.as_get() if as_get else call
        meta = {"kind": "list_api", "target": key, "source": source, "column_url": column_url, "api": api,
                "call": call, "as_get": as_get, "handle_httpstatus_all": True}
        headers = {"X-Requested-With": "XMLHttpRequest", "Referer": source}
        if sent.method == "POST" and sent.json_body:
            headers["Content-Type"] = "application/json"
            yield scrapy.Request(sent.url, method="POST", body=json.dumps(dict(sent.form), ensure_ascii=False),
                                 headers=headers, callback=self.parse_list_api, errback=self.on_list_api_error,
                                 priority=cs.PRIORITY_PAGINATION, dont_filter=True, meta=meta)
        elif sent.method == "POST":
            yield scrapy.FormRequest(sent.url, formdata=list(sent.form), headers=headers,
                                     callback=self.parse_list_api, errback=self.on_list_api_error,
                                     priority=cs.PRIORITY_PAGINATION, dont_filter=True, meta=meta)
        else:
            yield scrapy.Request(sent.url, headers=headers, callback=self.parse_list_api,
                                 errback=self.on_list_api_error, priority=cs.PRIORITY_PAGINATION,
                                 dont_filter=True, meta=meta)

    def parse_list_api(self, response: Response) -> Iterator[Any]:
        """A list API's answer: its entries join the column; a refused POST is retried once as GET."""
        yield from self._batched(self._parse_list_api(response))

    def _parse_list_api(self, response: Response) -> Iterator[Any]:
        meta = response.meta
        api, call, key, column_url = meta["api"], meta["call"], meta["target"], meta["column_url"]
        col = self.columns.get(column_url)
        if col is None:
            return
        entries: list[ListEntry] = []
        total = None
        if response.status < 400:
            text = response.text if isinstance(response, TextResponse) else response.body.decode("utf-8", "replace")
            entries, total, _ = api_entries(text, meta["source"])
        fresh = [e for e in entries if canonicalize(e.url) not in col.entries]
        new = [e for e in fresh if not is_attachment_url(e.url)]       # as on list pages: files are not articles
        # Past the last page: done. A list's first page with nothing in it must say so (a total of 0): an error
        # envelope ({"code":500,"data":null}) is no empty list.
        ended = api.open_ended and not entries and response.status < 400 and (call.page > 1 or total == 0)
        if not fresh and not ended:
            yield from self._list_api_failed(meta, f"HTTP {response.status}" if response.status >= 400
                                             else "接口未返回新的列表条目")
            return
        if meta.get("as_get"):
            self._stat("list_api/get_fallback")
        if total:
            self.list_state.declared[column_url] = max(self.list_state.declared.get(column_url, 0), total)
        yield from self._take_entries(col, new, meta["source"])
        size = api.page_size or len(entries)
        if api.open_ended and fresh and len(entries) >= size:
            following = api.next_call(call)
            if following is not None:
                yield from self._api_request(api, following, column_url, meta["source"])
        self.list_state.api_pages[column_url] = self.list_state.api_pages.get(column_url, 0) + 1
        yield from self._outcome(key, response.status, None)
        yield self._column_out(col)

    def on_list_api_error(self, failure) -> Iterator[Any]:
        """A list API call (or a render) that got no answer: retried as GET once, else the list is unread."""
        meta = failure.request.meta
        _, error = _failure_reason(failure)
        yield from self._batched(self._list_api_failed(meta, _ERROR_WORDS.get(error or "", error) or "无响应"))

    def _list_api_failed(self, meta: dict, why: str) -> Iterator[Any]:
        key, column_url = meta["target"], meta["column_url"]
        api, call = meta.get("api"), meta.get("call")
        if meta.get("kind") == "list_api" and api is not None and api.get_fallback and call.method == "POST" \
                and not meta.get("as_get"):
            yield from self._api_request(api, call, column_url, meta["source"], as_get=True)
            return
        reason = UNREAD_RENDER if meta.get("kind") == "render" else UNREAD_API
        self.list_problem.setdefault(column_url, reason)
        self._stat("list_api/failed")
        self.counts["errors"] += 1
        where = meta.get("source") or key
        if (where, "fetch") not in self.errors_recorded:
            self.errors_recorded.add((where, "fetch"))
            yield ErrorRecord(where, "fetch", f"{reason}：{why}"[:500])
        yield from self._outcome(key, None, "list-api")
        col = self.columns.get(column_url)
        if col is not None:
            yield self._column_out(col)

    def _render_request(self, url: str, column_url: str, declared: int | None, shown: int) -> Iterator[Any]:
        """Open the list page in headless Chromium (crawler/browser.py) to see how it loads its later pages."""
        state = self.list_state
        if state.renders >= browser.MAX_RENDERS_PER_SITE:
            self.list_problem.setdefault(column_url, UNREAD_RENDER_CAP)
            self._stat("list_render/over_cap")
            return
        if browser.find_chromium() is None:
            self.list_problem.setdefault(column_url, UNREAD_NO_BROWSER)
            self._stat("list_render/no_browser")
            if ("chromium", "fetch") not in self.errors_recorded:
                self.errors_recorded.add(("chromium", "fetch"))
                yield ErrorRecord(url, "fetch", UNREAD_NO_BROWSER)
            return
        state.renders += 1
        key = f"{url}#govaudit-render"
        self.scheduled.add(key)
        self.list_pending.setdefault(column_url, set()).add(key)
        self.pending_list_of[key] = column_url
        yield scrapy.Request(url, callback=self.parse_rendered, errback=self.on_list_api_error,
                             priority=cs.PRIORITY_PAGINATION, dont_filter=True,
                             meta={"kind": "render", "target": key, "source": url, "column_url": column_url,
                                   "declared": declared, "shown": shown})

    async def parse_rendered(self, response: Response):
        """The list page rendered: the list requests it made are replayed for every other page."""
        meta = response.meta
        user_agent = self.settings.get("USER_AGENT") if self.crawler is not None else None
        self._stat("list_render/pages")
        try:
            seen = await asyncio.to_thread(browser.observe_list, meta["source"], None, browser.RENDER_TIMEOUT_S,
                                           user_agent)
        except browser.BrowserError as exc:
            for item in self._batched(self._list_api_failed(meta, browser.describe(exc))):
                yield item
            return
        for item in self._batched(self._after_render(meta, seen)):
            yield item

    def _after_render(self, meta: dict, seen: browser.Observation) -> Iterator[Any]:
        column_url, source = meta["column_url"], meta["source"]
        col = self.columns.get(column_url)
        if col is None:
            return
        best: tuple[int, ListApi, list[ListEntry]] | None = None
        taken: list[ListEntry] = []
        for requests, hint in ((seen.on_click, 2), (seen.on_load, 1)):
            for request in requests:
                entries, total, pages = api_entries(request.response, source)
                if not entries:
                    continue
                taken += entries
                declared = total or self.list_state.declared.get(column_url) or meta.get("declared")
                plan = listapi.replay_api(request, hint, len(entries), declared, pages)
                if plan is not None and (best is None or len(entries) > best[0]):
                    best = (len(entries), plan, entries)
        if best is None:
            yield from self._list_api_failed(meta, "页面未发出可识别的列表请求" if seen.clicked else "页面上未找到可点击的翻页链接")
            return
        plan = best[1]
        self._stat("list_api/replay")
        if plan.declared:
            self.list_state.declared[column_url] = max(self.list_state.declared.get(column_url, 0), plan.declared)
        yield from self._take_entries(col, [e for e in taken if canonicalize(e.url) not in col.entries], source)
        answered = {c.key for c in map(listapi.seen_call, seen.on_load + seen.on_click) if c is not None}
        calls = list(plan.calls)
        if plan.open_ended and calls and calls[0].key in answered:
            following = plan.next_call(calls[0])          # page 2 came with the click: go on from page 3
            calls = [following] if following is not None else []
        for call in calls:
            if call.key not in answered:                 # the browser's own answers are taken already
                yield from self._api_request(plan, call, column_url, source)
        yield from self._outcome(meta["target"], 200, None)
        yield self._column_out(col)

    def list_coverage(self) -> dict[str, Any]:
        """Articles the lists name (entries, or the total a list declares when larger) and how many were fetched.

        Per column and overall; a column is incomplete when its list was not read to the end
        (an unread reason) or declares more records than its entries. Off-site entries are not counted.
        """
        rows, listed_sum, fetched_sum = [], 0, 0
        for col in self.columns.values():
            entries = [u for u in col.entries if self.on_site(u)]
            declared = self.list_state.declared.get(col.url)
            listed = max(len(entries), declared or 0)
            if not listed:
                continue
            fetched = sum(1 for u in entries if u in self.done or (self.outcomes.get(u, (None, None))[0] or 999) < 400)
            complete = len(entries) >= listed and col.url not in self.list_problem
            rows.append({"url": col.url, "name": col.name, "entries": len(entries), "declared": declared,
                         "listed": listed, "fetched": fetched, "complete": complete})
            listed_sum += listed
            fetched_sum += fetched
        return {"listed": listed_sum, "fetched": fetched_sum,
                "ratio": round(fetched_sum / listed_sum, 4) if listed_sum else None,
                "incomplete_columns": sum(1 for r in rows if not r["complete"]), "columns": rows}


    def parse_attachment(self, response: Response) -> Iterator[Any]:
        """A downloaded attachment: unchanged ones are copied forward, the rest go to extraction."""
        self._answered(response.meta)
        yield from self._batched(self._parse_attachment(response))

    def _parse_attachment(self, response: Response) -> Iterator[Any]:
        meta = response.meta
        target = meta["target"]
        if response.status == 304:
            yield from self._not_modified(response)
            return
        if isinstance(response, TextResponse) and 200 <= response.status < 300 and b"html" in (
                response.headers.get("Content-Type") or b"").lower():
            notice = gone_notice(response.text)       # a file link answered by a 'file not found' page
            if notice:
                yield from self._soft_gone(target, meta, notice)
                return
        yield from self._outcome(target, response.status, None)
        body = response.body
        sha = _sha256(body)
        self.counts["attachments"] += 1
        prev = meta.get("prev_version")
        if prev and prev.get("sha256") == sha and isinstance(prev.get("record"), AttachmentRecord):
            self._stat("attachment_unchanged")
            yield CopyForward(prev["run_id"], [target])
            return
        record = AttachmentRecord(
            url=target, page_url=meta.get("source"), filename=_filename(response, target), size=len(body),
            sha256=sha, etag=_header(response, "ETag"), last_modified=_header(response, "Last-Modified"),
        )
        yield AttachmentDownload(record, body)

    def _soft_gone(self, target: str, meta: dict, notice: str) -> Iterator[Any]:
        """A 200 answer that only says the page or file is gone (crawler/extract/gone.py): a dead link, as a 404 is,
        recorded with no status and the error SOFT_404 (checks/links.py counts a status-less error as broken)."""
        self._stat("soft_404")
        self.counts["errors"] += 1
        yield from self._outcome(target, None, SOFT_404)
        what = f"页面显示“{notice}”（HTTP 200）"
        if (target, "fetch") not in self.errors_recorded:
            self.errors_recorded.add((target, "fetch"))
            yield ErrorRecord(target, "fetch", f"抓取失败：{what}")
        if meta.get("kind") == "attachment":
            yield AttachmentRecord(url=target, page_url=meta.get("source"),
                                   filename=unquote(urlsplit(target).path.rsplit("/", 1)[-1]),
                                   status="fetch_error", error=what)

    def on_error(self, failure) -> Iterator[Any]:
        """A failed request is a recorded outcome (broken link, timeout, off-site redirect), never fatal."""
        self._answered(failure.request.meta)
        yield from self._batched(self._on_error(failure))

    def _on_error(self, failure) -> Iterator[Any]:
        request = failure.request
        meta = request.meta
        target = meta.get("target", request.url)
        status, error = _failure_reason(failure)
        self.counts["errors"] += 1
        yield from self._outcome(target, status, error)
        what = f"HTTP {status}" if status else _ERROR_WORDS.get(error or "") or fetch_error_text(error)
        if error == "offsite-redirect":
            what = f"HTTP {status} 重定向至站外地址 {meta.get('offsite_redirect', '')}".strip()
        if (target, "fetch") not in self.errors_recorded:
            self.errors_recorded.add((target, "fetch"))
            yield ErrorRecord(target, "fetch", f"抓取失败：{what}")
        if meta.get("kind") == "attachment":
            yield AttachmentRecord(
                url=target, page_url=meta.get("source"),
                filename=unquote(urlsplit(target).path.rsplit("/", 1)[-1]),
                status="too_large" if error == "too-large" else "fetch_error", error=what,
            )


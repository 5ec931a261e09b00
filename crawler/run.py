"""Run crawls from our own process: `run_crawl` for one site, `run_crawls` for several at once.

Both use Scrapy's AsyncCrawlerProcess, so they can run only once per Python process (the Twisted
reactor cannot restart); the CLI runs one command per process. Several sites share one process
and one store connection, each with its own download slot, so politeness stays per site.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import signal
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from scrapy import signals
from scrapy.crawler import AsyncCrawlerProcess

from crawler import attachment_pool, browser
from crawler.errors import AuditError, CrawlError, fetch_error_text
from crawler.offsite_probe import probe_run
from crawler.profile import SiteProfile, load_profile
from crawler.settings import build_settings
from crawler.spiders.portal import PortalSpider
from crawler.store import Store, UrlRedactor
from crawler.urls import canonicalize

PROGRESS_EVERY_S = 3.0

_ERROR_WORDS = {
    "dns": "域名无法解析",
    "connection-refused": "连接被拒绝",
    "timeout": "连接超时",
    "robots-disallowed": "robots.txt 禁止抓取首页",
    "offsite-redirect": "首页重定向至站外地址",
}


@dataclass
class CrawlResult:
    """The outcome of one site's crawl: its run in the store, its stats and final status."""

    run_id: int
    stats: dict
    status: str                                # complete | incomplete | failed
    site_url: str = ""
    error: str | None = None


# How an interruption is named to the user; anything else by its own name.
SIGNAL_WORDS = {"SIGINT": "中断信号（Ctrl-C）", "SIGTERM": "终止信号（SIGTERM）"}
EXIT_INTERRUPTED = 130


class CrawlInterrupted(AuditError):
    """A second signal stopped the crawl at once (or the first came before anything was stored).

    The runs stay 'incomplete', their pages and their columns' 抓取中断 reasons are in the store, and no
    report is written: the user asked to stop now. `run_ids` says which runs to resume.
    """

    exit_code = EXIT_INTERRUPTED

    def __init__(self, message: str, run_ids: list[int], signal_name: str):
        super().__init__(message)
        self.run_ids = run_ids
        self.signal_name = signal_name


def signal_words(name: str | None) -> str:
    return SIGNAL_WORDS.get(name or "", name or "信号")


class _Process(AsyncCrawlerProcess):
    """Scrapy's process, remembering the signals it got; the second one also ends what would hold it.

    Scrapy stops gracefully on the first SIGINT/SIGTERM (the spider closes, its final column records are
    written; attachments still waiting for a worker are dropped, to be fetched on resume, so the stop is not
    held by a queue of slow files) and forcibly on the second. A forced stop cannot wait for an attachment worker stuck on a
    hostile file or a browser render, so both are killed right in the handler (kills only: no lock).
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.signals_received: list[str] = []

    def _note(self, signum: int) -> None:
        try:
            self.signals_received.append(signal.Signals(signum).name)
        except ValueError:
            self.signals_received.append(str(signum))

    def _force(self) -> None:
        attachment_pool.kill_all_workers()
        browser.kill_all()

    def _signal_shutdown(self, signum: int, frame: Any) -> None:
        from twisted.internet import reactor

        self._note(signum)
        super()._signal_shutdown(signum, frame)
        reactor.callFromThread(attachment_pool.cancel_all_queued)

    def _signal_kill(self, signum: int, frame: Any) -> None:
        self._note(signum)
        self._force()
        super()._signal_kill(signum, frame)

    def _signal_shutdown_reactorless(self, signum: int, frame: Any) -> None:
        self._note(signum)
        super()._signal_shutdown_reactorless(signum, frame)
        if self._reactorless_loop is not None:
            self._reactorless_loop.call_soon_threadsafe(attachment_pool.cancel_all_queued)

    def _signal_kill_reactorless(self, signum: int, frame: Any) -> None:
        self._note(signum)
        self._force()
        super()._signal_kill_reactorless(signum, frame)

    @property
    def forced(self) -> bool:
        return len(self.signals_received) > 1


_SHUTDOWN_SIGNALS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGBREAK") if hasattr(signal, name))


@dataclass
class _Job:
    site_url: str
    profile: SiteProfile
    run_id: int
    resume: bool
    crawler: Any = None
    started: float = field(default_factory=time.monotonic)


def _as_profile(profile: SiteProfile | str | Path | None) -> SiteProfile:
    if profile is None:
        return SiteProfile()
    if isinstance(profile, SiteProfile):
        return profile
    return load_profile(profile)


def _progress_enabled(progress: bool) -> bool:
    if not progress or os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        return False
    return sys.stderr.isatty()


class _Progress:
    """One status line on stderr every few seconds: pages, columns, attachments, errors, rate."""

    def __init__(self, jobs: list[_Job]) -> None:
        self.jobs = jobs
        self.handle: asyncio.TimerHandle | None = None
        self.started = time.monotonic()

    def start(self) -> None:
        self.handle = asyncio.get_event_loop().call_later(PROGRESS_EVERY_S, self.tick)

    def tick(self) -> None:
        pages = columns = attachments = errors = 0
        for job in self.jobs:
            spider = job.crawler.spider if job.crawler else None
            if spider is None:
                continue
            pages += spider.counts["pages"]
            attachments += spider.counts["attachments"]
            errors += spider.counts["errors"]
            columns += len(spider.columns)
        rate = pages / max(time.monotonic() - self.started, 1e-6)
        sys.stderr.write(f"\r已抓取页面 {pages}，栏目 {columns}，附件 {attachments}，错误 {errors}，"
                         f"速度 {rate:.1f} 页/秒   ")
        sys.stderr.flush()
        self.handle = asyncio.get_event_loop().call_later(PROGRESS_EVERY_S, self.tick)

    def stop(self) -> None:
        if self.handle is not None:
            self.handle.cancel()
            self.handle = None
            sys.stderr.write("\n")


def _site_settings(base: dict, profile: SiteProfile) -> dict:
    custom = {}
    if profile.obey_robots is not None:
        custom["ROBOTSTXT_OBEY"] = profile.obey_robots
    return custom


def _summarise(job: _Job, store: Store, interrupted_by: str | None = None, forced: bool = False) -> CrawlResult:
    crawler = job.crawler
    spider = crawler.spider
    scrapy_stats = crawler.stats.get_stats() if crawler.stats else {}
    counts = store.counts(job.run_id)
    elapsed = max(time.monotonic() - job.started, 1e-6)
    fetched = spider.counts["pages"] if spider is not None else 0
    reason = scrapy_stats.get("finish_reason", "")
    stats = {
        "pages": counts["pages"], "columns": counts["columns"], "attachments": counts["attachments"],
        "links": counts["links"], "errors": counts["errors"],
        "pages_fetched": fetched,
        "not_modified": spider.counts["not_modified"] if spider else 0,
        "carried_forward": spider.counts.get("carried", 0) if spider else 0,
        "requests": scrapy_stats.get("downloader/request_count", 0),
        "responses": scrapy_stats.get("downloader/response_count", 0),
        "bytes": scrapy_stats.get("downloader/response_bytes", 0),
        "finish_reason": reason,
        "duration_s": round(elapsed, 2),
        "pages_per_s": round(fetched / elapsed, 2),
        "inventory_s": round(spider.inventory_at - spider.started_at, 2)
        if spider is not None and spider.inventory_at else None,
        "max_pages_reached": bool(scrapy_stats.get("govaudit/max_pages_reached")),
        "max_minutes_reached": bool(scrapy_stats.get("govaudit/max_minutes_reached")),
        "stopped_by": spider.stop_reason if spider is not None else None,
        "link_farm_pages": spider.link_farm_pages() if spider is not None else [],
        **(spider.page_signals.stats() if spider is not None else {}),
        **(spider.images.stats() if spider is not None else {}),
        "off_structure_dropped": spider.off_structure_dropped if spider is not None else 0,
        "unread_columns": spider.unread_columns if spider is not None else 0,
        # Articles the column lists name (entries, or the totals they declare) against those fetched.
        "list_coverage": spider.list_coverage() if spider is not None else None,
        "charset_fixed": scrapy_stats.get("govaudit/charset_fixed", 0),
        "traps_skipped": scrapy_stats.get("govaudit/trap_skipped", 0),
        "resume_skipped": scrapy_stats.get("govaudit/resume_skipped", 0),
        "robots_forbidden": scrapy_stats.get("robotstxt/forbidden", 0),
        "peak_rss_mb": _peak_rss_mb(),
    }
    if interrupted_by:
        stats["interrupted_by"] = interrupted_by          # SIGINT | SIGTERM: the user or the service manager
        stats["interrupted_forced"] = forced
    if counts["pages"] == 0 and interrupted_by:
        # Stopped before anything was stored: nothing failed, the run is resumable as it stands.
        store.finish_run(job.run_id, "incomplete", stats)
        return CrawlResult(job.run_id, stats, "incomplete", job.site_url)
    if counts["pages"] == 0:
        outcome = spider.outcomes.get(spider.start_url) if spider is not None else None
        status_code, error = outcome if outcome else (None, None)
        why = (f"HTTP {status_code}" if status_code
               else _ERROR_WORDS.get(error) or fetch_error_text(error) if error else "无响应")
        message = f"无法抓取网站 {job.site_url}：{why}。请检查网址和网络连接。"
        stats["error"] = message                 # kept with the run: a coordinator elsewhere reads it
        store.finish_run(job.run_id, "failed", stats)
        return CrawlResult(job.run_id, stats, "failed", job.site_url, message)
    status = ("complete" if reason == "finished" and not stats["max_pages_reached"] and not interrupted_by
              else "incomplete")
    # The probe visits other hosts (seconds each): not after the user asked to stop now.
    stats["offsite_probe"] = None if forced else probe_run(store, job.run_id,
                                                           spider.hosts if spider is not None else frozenset())
    # Records the store refused are errors of stage 'store' (the reports list them); when it refused even
    # those, records are missing without a trace in the run, so the run cannot be called complete.
    stats["store_errors"] = scrapy_stats.get("govaudit/store_errors", 0)
    unrecorded = scrapy_stats.get("govaudit/store_errors_unrecorded", 0)
    if unrecorded:
        stats["store_errors_unrecorded"] = unrecorded
        stats["incomplete_reason"] = f"有{unrecorded}条记录未能保存到数据库，且无法记录其错误，检查结果缺少这些记录"
        status = "incomplete"
    store.finish_run(job.run_id, status, stats)
    return CrawlResult(job.run_id, stats, status, job.site_url)


def _peak_rss_mb() -> float:
    try:
        import resource

        return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    except (ImportError, OSError):
        return 0.0


def run_crawls(
    sites: Iterable[str | tuple[str, SiteProfile | str | Path | None]],
    store_path: str | Path,
    as_of: dt.date,
    *,
    profile: SiteProfile | str | Path | None = None,
    concurrency: int | None = None,
    delay: float | None = None,
    max_pages: int | None = None,
    max_minutes: float | None = None,
    max_links_per_page: int | None = None,
    obey_robots: bool = True,
    resume_run_ids: dict[str, int] | None = None,
    progress: bool = True,
    redactor: Callable[[str], str] | None = None,
    url_redactor: UrlRedactor | None = None,
    reverify_weeks: int | None = None,
) -> list[CrawlResult | CrawlError]:
    """Crawl several sites in one process; one result (or the CrawlError) per site, in order."""
    store = Store(store_path, redactor=redactor, url_redactor=url_redactor)
    settings = build_settings(concurrency=concurrency, delay=delay, max_pages=max_pages,
                              obey_robots=obey_robots, quiet=True, max_minutes=max_minutes,
                              max_links_per_page=max_links_per_page)
    if os.environ.get("GOVAUDIT_SCRAPY_LOG"):
        settings["LOG_LEVEL"] = os.environ["GOVAUDIT_SCRAPY_LOG"]
    settings["LOG_INSTALL_ROOT_HANDLER"] = bool(os.environ.get("GOVAUDIT_SCRAPY_LOG"))
    if reverify_weeks is not None:                   # read by PortalSpider.from_crawler (crawler/reverify.py)
        settings["GOVAUDIT_REVERIFY_WEEKS"] = reverify_weeks
    process = _Process(settings)
    jobs: list[_Job] = []
    resume_run_ids = resume_run_ids or {}
    for entry in sites:
        site, site_profile = entry if isinstance(entry, tuple) else (entry, profile)
        prof = _as_profile(site_profile)
        if site in resume_run_ids:
            run_id = resume_run_ids[site]
            info = store.run(run_id)
            site_url = info.site_url
            store.resume_run(run_id)
            resume = True
        else:
            site_url = canonicalize(site)
            name = prof.name or urlsplit(site_url).hostname or site_url
            run_settings = {"concurrency": settings["CONCURRENT_REQUESTS_PER_DOMAIN"],
                            "delay": settings["DOWNLOAD_DELAY"], "max_pages": settings["GOVAUDIT_MAX_PAGES"],
                            "max_minutes": settings["GOVAUDIT_MAX_MINUTES"],
                            "max_links_per_page": settings["GOVAUDIT_MAX_LINKS_PER_PAGE"],
                            "obey_robots": settings["ROBOTSTXT_OBEY"] if prof.obey_robots is None
                            else prof.obey_robots, "profile": prof.source}
            run_id = store.start_run(site_url, name, as_of, run_settings)
            resume = False
        spidercls = type(f"PortalSpider{run_id}", (PortalSpider,),
                         {"custom_settings": _site_settings(settings, prof)})
        job = _Job(site_url, prof, run_id, resume)
        job.crawler = process.create_crawler(spidercls)
        process.crawl(job.crawler, start_url=site_url, store=store, run_id=run_id, profile=prof,
                      max_pages=max_pages, resume=resume, site_url=site_url)
        jobs.append(job)
    reporter = _Progress(jobs) if _progress_enabled(progress) else None
    if reporter is not None:
        jobs[0].crawler.signals.connect(reporter.start, signal=signals.engine_started)
    # Scrapy leaves its handlers behind (after a second signal: SIG_IGN); the caller's come back after the
    # crawl, so a signal during the checks and reports reaches the caller instead of being lost.
    saved = {signum: signal.getsignal(signum) for signum in _SHUTDOWN_SIGNALS}
    try:
        process.start()
    finally:
        for signum, handler in saved.items():
            if handler is not None:
                signal.signal(signum, handler)
        if reporter is not None:
            reporter.stop()
        # A pool or a browser still alive now belongs to a crawl that did not close (forced stop): end it.
        attachment_pool.terminate_all()
        browser.kill_all()
    interrupted_by = process.signals_received[0] if process.signals_received else None
    results: list[CrawlResult | CrawlError] = []
    for job in jobs:
        result = _summarise(job, store, interrupted_by, process.forced)
        results.append(CrawlError(result.error) if result.error else result)
        if result.error:
            results[-1].run_id = result.run_id          # type: ignore[attr-defined]
            results[-1].stats = result.stats            # type: ignore[attr-defined]
    store.commit()
    store.close()
    stored = [r for r in results if isinstance(r, CrawlResult)]
    if interrupted_by and (process.forced or not any(r.stats.get("pages") for r in stored)):
        raise _interrupted(stored, interrupted_by, process.forced)
    return results


def _interrupted(results: list[CrawlResult], signal_name: str, forced: bool) -> CrawlInterrupted:
    """The one line for a crawl stopped before its reports: what happened, what is kept."""
    how = f"再次收到{signal_words(signal_name)}，抓取已立即停止" if forced else \
        f"收到{signal_words(signal_name)}，抓取已停止"
    kept = "；".join(f"运行编号 {r.run_id} 已保存页面 {r.stats.get('pages', 0)} 个" for r in results)
    return CrawlInterrupted(f"{how}。{kept or '尚未保存任何页面'}，未读完的栏目已标注“抓取中断”，本次未生成报告。",
                            [r.run_id for r in results], signal_name)


def run_crawl(
    site_url: str,
    store_path: str | Path,
    as_of: dt.date,
    *,
    profile: SiteProfile | str | Path | None = None,
    concurrency: int | None = None,
    delay: float | None = None,
    max_pages: int | None = None,
    max_minutes: float | None = None,
    max_links_per_page: int | None = None,
    resume_run_id: int | None = None,
    progress: bool = True,
    obey_robots: bool = True,
    redactor: Callable[[str], str] | None = None,
    url_redactor: UrlRedactor | None = None,
    reverify_weeks: int | None = None,
) -> CrawlResult:
    """Crawl one site into the store; raises CrawlError (exit 3) when nothing could be fetched."""
    key = site_url or ""
    result = run_crawls([key], store_path, as_of, profile=profile, concurrency=concurrency, delay=delay,
                        max_pages=max_pages, max_minutes=max_minutes, max_links_per_page=max_links_per_page,
                        obey_robots=obey_robots, resume_run_ids={key: resume_run_id} if resume_run_id is not None else None,
                        progress=progress, redactor=redactor, url_redactor=url_redactor,
                        reverify_weeks=reverify_weeks)[0]
    if isinstance(result, CrawlError):
        raise result
    return result


def main(argv: list[str] | None = None) -> int:
    """Maintainer entry point (`python -m crawler.run URL --db FILE`); users run `govaudit crawl`."""
    parser = argparse.ArgumentParser(prog="python -m crawler.run", description="抓取一个网站并保存到数据库")
    parser.add_argument("url", nargs="?")
    parser.add_argument("--db", required=True)
    parser.add_argument("--as-of", default=dt.date.today().isoformat())
    parser.add_argument("--resume", type=int)
    parser.add_argument("--profile")
    parser.add_argument("--concurrency", type=int)
    parser.add_argument("--delay", type=float)
    parser.add_argument("--max-pages", type=int)
    parser.add_argument("--max-minutes", type=float)
    parser.add_argument("--max-links-per-page", type=int)
    parser.add_argument("--ignore-robots", action="store_true")
    parser.add_argument("--reverify-weeks", type=int)
    args = parser.parse_args(argv)
    try:
        result = run_crawl(args.url or "", args.db, dt.date.fromisoformat(args.as_of), profile=args.profile,
                           concurrency=args.concurrency, delay=args.delay, max_pages=args.max_pages,
                           max_minutes=args.max_minutes, max_links_per_page=args.max_links_per_page,
                           resume_run_id=args.resume, obey_robots=not args.ignore_robots,
                           reverify_weeks=args.reverify_weeks)
    except AuditError as exc:           # CrawlError (exit 3), StoreError such as a lost database (exit 2)
        print(exc, file=sys.stderr)
        return exc.exit_code
    print(f"run {result.run_id} {result.status} {result.stats}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

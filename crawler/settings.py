"""Scrapy settings for a polite audit crawl of a county portal, and `build_settings()` to tune them.

Every value that differs from Scrapy's default says why. The crawl is for a site owner auditing
their own portal, so it must never look like (or act like) an attack on a small government server.
"""

from __future__ import annotations

from typing import Any

USER_AGENT = "govaudit/0.1 (+https://github.com/govaudit/govaudit; 政府网站自查)"

# Priorities (higher runs first): the column inventory must be complete early, because politeness
# makes a full crawl take hours (tech-notes §1.3: ~1.5 pages/s at DOWNLOAD_DELAY=1).
PRIORITY_HOME = 100
PRIORITY_SITEMAP = 90
PRIORITY_LIST = 50
PRIORITY_PAGINATION = 40
PRIORITY_ARTICLE = 10
PRIORITY_OTHER = 5
PRIORITY_ATTACHMENT = 0

# Per-site budgets. A county portal holds ~1–20k pages (portals.md); at the polite ~1.5 pages/s of
# tech-notes §1.3 the largest takes ~4 h. The defaults leave 2.5× that room, so an ordinary portal is
# never cut short, while a link farm, an endless calendar or an injected 暗链 page cannot run for days:
# - pages: 50,000 HTML pages (attachments are not counted: they hang off articles, which are counted);
# - wall time: 12 h, an overnight weekly run that still leaves the day for checks and reports;
# - links followed from one page: 1,000. A real county site map lists a few hundred columns and a list
#   page 20–50 entries; a page with thousands of links to URLs no column lists is a link farm or 暗链
#   block, so its structure (menus, lists, pagination, attachments) is followed and only a deterministic
#   sample of the rest.
DEFAULT_MAX_PAGES = 50_000
DEFAULT_MAX_MINUTES = 720.0
DEFAULT_MAX_LINKS_PER_PAGE = 1_000
# Requests for off-structure pages (links outside menus, lists and pagination) waiting in the scheduler.
# Beyond this they are dropped rather than queued, so memory stays bounded whatever a page links to; a
# dropped URL is still fetched if a column lists it later. 10,000 requests are ~20 MB.
MAX_QUEUED_OFF_STRUCTURE = 10_000

BASE_SETTINGS: dict[str, Any] = {
    # An honest User-Agent lets the site's administrators see who is crawling and why.
    "USER_AGENT": USER_AGENT,
    # Obey robots.txt unless the owner turns it off for their own server (profile / CLI flag).
    "ROBOTSTXT_OBEY": True,
    # Several sites may share one process; this global cap only matters then.
    "CONCURRENT_REQUESTS": 32,
    # Default 8 is too much for a county server; 2 keeps the load at a browser's level.
    "CONCURRENT_REQUESTS_PER_DOMAIN": 2,
    # One request per second per site (randomised 0.5–1.5x by Scrapy), see tech-notes §1.3.
    "DOWNLOAD_DELAY": 1.0,
    # AutoThrottle backs off when the server slows down; it never goes below DOWNLOAD_DELAY.
    "AUTOTHROTTLE_ENABLED": True,
    "AUTOTHROTTLE_START_DELAY": 2.0,
    "AUTOTHROTTLE_MAX_DELAY": 30.0,
    "AUTOTHROTTLE_TARGET_CONCURRENCY": 1.0,
    # Default 180 s would stall a column for minutes on a dead link.
    "DOWNLOAD_TIMEOUT": 30,
    # One more retry than the default: county servers drop connections under load.
    "RETRY_TIMES": 3,
    # Attachments over 64 MiB are scanned images or archives we cannot read in time anyway.
    "DOWNLOAD_MAXSIZE": 64 * 2**20,
    "DOWNLOAD_WARNSIZE": 16 * 2**20,
    # CONCURRENT_ITEMS stays at Scrapy's 100 although 8 cut a first crawl's CPU by 17 %: it also bounds the queue
    # between a callback and its items (2 x 8), so a page's requests were answered before its LinkBatch was stored
    # and the link's outcome was overwritten by "no response" (bench/RESULTS.md, issue 15).
    # Depth is bounded by the spider's own logic; this is a backstop against link loops.
    "DEPTH_LIMIT": 12,
    # Explicit request priorities (list pages first) replace depth-based ordering.
    "DEPTH_PRIORITY": 0,
    # The spider handles 304 (conditional re-crawl) itself.
    "HTTPERROR_ALLOWED_CODES": [],
    # No cookies needed to read public pages; keeps requests stateless and resumable.
    "COOKIES_ENABLED": False,
    # Nobody needs a telnet console on an audit run, and an open port is a risk.
    "TELNETCONSOLE_ENABLED": False,
    # Scrapy 2.19's remote-control HTTP server (for its MCP tooling) would open a port on every run.
    "REMOTE_CONTROL_ENABLED": False,
    "LOG_LEVEL": "INFO",
    # Scrapy's own HTTP cache would hide 304s from us; conditional requests are done via the store.
    "HTTPCACHE_ENABLED": False,
    "DOWNLOADER_MIDDLEWARES": {
        "crawler.middlewares.ConditionalRequestMiddleware": 560,
        # First of ours to see a request: an IIS site's upper-case folders are asked for in lower case.
        "crawler.middlewares.CaseInsensitiveFoldersMiddleware": 540,
        # Just before RedirectMiddleware (600) sees the response: stop redirects that leave the site.
        "crawler.middlewares.OffsiteRedirectMiddleware": 650,
        # Just after HttpCompressionMiddleware (590) decodes the body, before the spider sees it.
        "crawler.middlewares.CharsetFixMiddleware": 580,
        # After decompression and the charset fix, before RetryMiddleware (550): a firewall's 403/412/429 or
        # challenge page slows the site down and is retried later, never retried at full speed.
        "crawler.middlewares.AccessBlockedMiddleware": 570,
    },
    "ITEM_PIPELINES": {
        "crawler.pipelines.NormalisePipeline": 100,
        "crawler.pipelines.AttachmentPipeline": 200,
        "crawler.pipelines.StorePipeline": 900,
    },
    # Priority queue that keeps sites in separate download slots fair when several run at once.
    "SCHEDULER_PRIORITY_QUEUE": "scrapy.pqueues.DownloaderAwarePriorityQueue",
}


def build_settings(
    concurrency: int | None = None,
    delay: float | None = None,
    max_pages: int | None = None,
    obey_robots: bool = True,
    quiet: bool = False,
    max_minutes: float | None = None,
    max_links_per_page: int | None = None,
) -> dict[str, Any]:
    """Polite defaults, with the few knobs a user may turn ("fast on demand" for one's own server)."""
    settings = dict(BASE_SETTINGS)
    settings["DOWNLOADER_MIDDLEWARES"] = dict(BASE_SETTINGS["DOWNLOADER_MIDDLEWARES"])
    settings["ITEM_PIPELINES"] = dict(BASE_SETTINGS["ITEM_PIPELINES"])
    if concurrency is not None:
        if concurrency < 1:
            raise ValueError("concurrency must be >= 1")
        settings["CONCURRENT_REQUESTS_PER_DOMAIN"] = concurrency
        settings["CONCURRENT_REQUESTS"] = max(settings["CONCURRENT_REQUESTS"], concurrency)
        settings["AUTOTHROTTLE_TARGET_CONCURRENCY"] = float(concurrency)
    if delay is not None:
        if delay < 0:
            raise ValueError("delay must be >= 0")
        settings["DOWNLOAD_DELAY"] = delay
        if delay == 0:
            # A zero delay is an explicit "crawl my own server fast": AutoThrottle would slow it again.
            settings["AUTOTHROTTLE_ENABLED"] = False
        else:
            settings["AUTOTHROTTLE_START_DELAY"] = max(delay, 0.1)
    if max_pages is not None and max_pages < 1:
        raise ValueError("max_pages must be >= 1")
    if max_minutes is not None and max_minutes <= 0:
        raise ValueError("max_minutes must be > 0")
    if max_links_per_page is not None and max_links_per_page < 1:
        raise ValueError("max_links_per_page must be >= 1")
    # Read by PortalSpider.from_crawler; the spider enforces all three itself (see the defaults above).
    settings["GOVAUDIT_MAX_PAGES"] = max_pages or DEFAULT_MAX_PAGES
    settings["GOVAUDIT_MAX_MINUTES"] = float(max_minutes or DEFAULT_MAX_MINUTES)
    settings["GOVAUDIT_MAX_LINKS_PER_PAGE"] = max_links_per_page or DEFAULT_MAX_LINKS_PER_PAGE
    settings["ROBOTSTXT_OBEY"] = bool(obey_robots)
    if quiet:
        settings["LOG_LEVEL"] = "WARNING"
    return settings

"""Downloader middlewares: encodings, conditional re-crawl requests, off-site redirects.

Each does one job; the spider reads what they leave in `request.meta`.
"""

from __future__ import annotations

import logging
from urllib.parse import urljoin, urlsplit

from scrapy.http import Request, Response, TextResponse
from w3lib.encoding import html_body_declared_encoding, resolve_encoding

from crawler.components import CrawlerAware

logger = logging.getLogger(__name__)

# Request kinds whose previous version may be revalidated with If-None-Match / If-Modified-Since.
# List and home pages change whenever anything is published, and their entries (with dates)
# are not stored, so they are always fetched in full.
CONDITIONAL_KINDS = frozenset({"article", "other", "attachment"})


class CharsetFixMiddleware(CrawlerAware):
    """Re-decode a page whose HTTP header says one charset while the body (and its <meta>) is another.

    Scrapy lets the header win (tech-notes §1.5); a GBK page served as utf-8 then reads as U+FFFD.
    """

    def process_response(self, request: Request, response: Response) -> Response:
        if not isinstance(response, TextResponse) or not response.body:
            return response
        try:
            text = response.text
        except Exception:  # noqa: BLE001 - an undecodable body is handled like a wrong header
            text = "\ufffd"
        if "\ufffd" not in text:
            return response
        declared = html_body_declared_encoding(response.body)
        if not declared:
            return response
        declared = resolve_encoding(declared) or declared
        if declared == resolve_encoding(response.encoding):
            return response
        try:
            fixed = response.replace(encoding=declared)
            if fixed.text.count("\ufffd") >= text.count("\ufffd"):
                return response
        except (LookupError, UnicodeDecodeError):
            return response
        self.crawler.stats.inc_value("govaudit/charset_fixed")
        logger.debug("re-decoded %s as %s (header said %s)", response.url, declared, response.encoding)
        return fixed


class ConditionalRequestMiddleware(CrawlerAware):
    """Send If-None-Match / If-Modified-Since when an earlier run stored validators for the URL.

    On a 304 the spider copies the earlier record forward instead of re-parsing or re-downloading.
    """

    def process_request(self, request: Request) -> None:
        spider = self.spider
        store = getattr(spider, "store", None)
        if store is None or request.meta.get("kind") not in CONDITIONAL_KINDS:
            return
        if "prev_version" in request.meta:
            prev = request.meta["prev_version"]
        else:
            prev = store.previous_version(spider.site_url, request.meta.get("target", request.url),
                                          spider.run_id)
            request.meta["prev_version"] = prev
        if not prev:
            return
        if prev.get("etag"):
            request.headers.setdefault(b"If-None-Match", prev["etag"])
        if prev.get("last_modified"):
            request.headers.setdefault(b"If-Modified-Since", prev["last_modified"])
        return

    def process_response(self, request: Request, response: Response) -> Response:
        if response.status == 304:
            self.crawler.stats.inc_value("govaudit/not_modified")
        return response


class OffsiteRedirectMiddleware(CrawlerAware):
    """Refuse to follow a redirect that leaves the site; the spider records it as a link error."""

    def process_response(self, request: Request, response: Response) -> Response:
        if response.status not in (301, 302, 303, 307, 308) or b"Location" not in response.headers:
            return response
        location = response.headers[b"Location"].decode("latin-1")
        target = urljoin(request.url, location)
        spider = self.spider
        if spider is None or not hasattr(spider, "on_site"):
            return response
        if not spider.on_site(target):
            request.meta["dont_redirect"] = True
            request.meta["offsite_redirect"] = target
            self.crawler.stats.inc_value("govaudit/offsite_redirect")
            logger.debug("off-site redirect %s -> %s", request.url, urlsplit(target).netloc)
        return response

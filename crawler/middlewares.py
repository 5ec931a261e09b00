"""Downloader middlewares: encodings, conditional re-crawl requests, off-site redirects, IIS's case-blind
folders, firewalls' blocks.

Each does one job; the spider reads what they leave in `request.meta`.
"""

from __future__ import annotations

import logging
import os
import re
from urllib.parse import urljoin, urlsplit

from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response, TextResponse
from w3lib.encoding import html_body_declared_encoding, resolve_encoding

from crawler.components import CrawlerAware

logger = logging.getLogger(__name__)

# Request kinds whose previous version may be revalidated with If-None-Match / If-Modified-Since.
# List and home pages change whenever anything is published, and their entries (with dates)
# are not stored, so they are always fetched in full.
CONDITIONAL_KINDS = frozenset({"article", "other", "attachment"})


def _is_utf8_text(body: bytes) -> bool:
    """True when a non-ASCII body decodes strictly as UTF-8: Chinese text in GBK (or any legacy multi-byte
    encoding) practically never does, so such a body is UTF-8 whatever its label says."""
    if body.isascii():
        return False
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


class CharsetFixMiddleware(CrawlerAware):
    """Re-decode a page whose declared charset (HTTP header or <meta>) is not what its bytes are.

    Scrapy lets the header win (tech-notes §1.5); a GBK page served as utf-8 then reads as U+FFFD. The
    other way round, an old GB2312 template that a UTF-8 page was pasted into still says gb2312 in its
    <meta>: decoded as GBK it gives no U+FFFD but mojibake, links included (every one of them then
    looks dead). A body that is valid UTF-8 is read as UTF-8.
    """

    def process_response(self, request: Request, response: Response) -> Response:
        if not isinstance(response, TextResponse) or not response.body:
            return response
        if resolve_encoding(response.encoding) != "utf-8" and _is_utf8_text(response.body):
            self.crawler.stats.inc_value("govaudit/charset_fixed")
            logger.debug("re-decoded %s as utf-8 (declared %s)", response.url, response.encoding)
            return response.replace(encoding="utf-8")
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


def _was_list(record: object) -> bool:
    """A page stored as a list or home page is fetched in full whatever link reached it this time: a 304 would
    replay it as a plain page, and its column would not be rebuilt (a link from an article body can reach a
    list page before the menu does, in any order the crawl happens to take)."""
    return getattr(record, "kind", None) in ("list", "home")


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
        if not prev or _was_list(prev.get("record")):
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


# ---------------------------------------------------------------------------------- case-insensitive servers
_UPPER_OR_ESCAPE = re.compile(r"%[0-9A-Fa-f]{2}|[A-Z]+")


def fold_folders(path: str) -> str:
    """`path` with its folder names in lower case (ASCII letters only; percent escapes and the file name kept):
    `/NEWS/ZWYW/2026/1128/4916.HTML` -> `/news/zwyw/2026/1128/4916.HTML`."""
    folder, slash, name = path.rpartition("/")
    if not slash:
        return path
    folded = _UPPER_OR_ESCAPE.sub(lambda m: m.group() if m.group().startswith("%") else m.group().lower(), folder)
    return folded + slash + name


class CaseInsensitiveFoldersMiddleware(CrawlerAware):
    """On an IIS server, ask for every folder in lower case.

    IIS finds its files on NTFS in any letter case, so a template's one upper-case link (`/NEWS/ZWYW/…`) opens
    the same page, and every relative link on that page (`../../`, a breadcrumb) then spells the whole site
    again in upper case: each column a second time (judged twice: twice stale), each dead link twice. Folders
    are where the spellings meet; file names keep their case (`W020260731…pdf` is how the site names it and
    how a clerk finds it). Only a server that says it is IIS is folded: elsewhere `/News/` and `/news/` may be
    two things.
    """

    def __init__(self, crawler) -> None:
        super().__init__(crawler)
        self.insensitive: set[str] = set()

    def process_response(self, request: Request, response: Response) -> Response:
        server = response.headers.get(b"Server") or b""
        if b"microsoft-iis" in server.lower():
            self.insensitive.add(urlsplit(request.url).netloc.lower())
        return response

    def process_request(self, request: Request) -> Request | None:
        parts = urlsplit(request.url)
        if parts.netloc.lower() not in self.insensitive:
            return None
        folded = fold_folders(parts.path)
        if folded == parts.path:
            return None
        self.crawler.stats.inc_value("govaudit/case_folded")
        return request.replace(url=parts._replace(path=folded).geturl())


# ---------------------------------------------------------------------------------- access blocked (WAF)
# Statuses anti-crawler firewalls answer a client they think too fast: 403 Forbidden, 412 (瑞数/Ruishu's
# cookie challenge), 429 Too Many Requests. They say "not for you, now", not "this link is broken".
BLOCKED_STATUSES = frozenset({403, 412, 429})
# Marks of the firewalls and anti-bot services common on Chinese government sites, found in their block
# and challenge pages (lower-case; matched against the first 64 kB of the body).
WAF_MARKERS = {
    "安全狗": "安全狗", "safedog": "安全狗",
    "云锁": "云锁", "yunsuo": "云锁",
    "创宇盾": "创宇盾", "知道创宇": "创宇盾", "365cyd": "创宇盾", "yunaq.com": "创宇盾",
    "360网站卫士": "360网站卫士", "360wzws": "360网站卫士", "wangzhan.360.cn": "360网站卫士",
    "errors.aliyun.com": "阿里云盾", "阿里云盾": "阿里云盾", "aliyun waf": "阿里云盾",
    "waf.tencent-cloud": "腾讯云WAF", "腾讯云waf": "腾讯云WAF", "tencent cloud waf": "腾讯云WAF",
    "网站防火墙": "网站防火墙", "web应用防火墙": "网站防火墙", "您的访问被阻断": "网站防火墙",
    "访问已被拦截": "网站防火墙", "您的请求已被拦截": "网站防火墙", "access denied": "访问被拒绝",
}
_CHALLENGE_SCRIPT = re.compile(rb"document\.cookie\s*=|\$_ts\s*=|\$_ts\.|setcookie\(", re.I)
_RELOAD_SCRIPT = re.compile(rb"location\.(reload|replace|href)|window\.location\s*=", re.I)
_TAGS = re.compile(rb"<script\b.*?</script>|<style\b.*?</style>|<[^>]+>", re.I | re.S)
# A real page says something; a challenge page is a script and a line or two of text.
_CHALLENGE_MAX_TEXT = 300
_CHALLENGE_MAX_LINKS = 5
_SNIFF_BYTES = 65536


def _has_marker(head: bytes, lowered: bytes, marker: str) -> bool:
    """ASCII marks case-insensitively; Chinese ones as UTF-8 or GBK bytes (lower() would corrupt GBK)."""
    if marker.isascii():
        return marker.encode() in lowered
    return marker.encode("utf-8") in head or marker.encode("gbk") in head


class AccessBlocked(IgnoreRequest):
    """A firewall answered instead of the site: the link's state is unknown, not broken.

    `keyword` is what the spider records as the link's error ("access-blocked" or
    "access-blocked:<firewall>"); checks/links.py reads it.
    """

    def __init__(self, url: str, status: int | None, waf: str | None):
        self.url, self.status, self.waf = url, status, waf
        self.keyword = f"access-blocked:{waf}" if waf else "access-blocked"
        super().__init__(f"access blocked ({status}, {waf or 'no marker'}): {url}")


def blocked_reason(status: int, body: bytes) -> tuple[bool, str | None]:
    """(blocked, firewall name) for a response: a blocking status, a firewall's page, or a JS challenge."""
    head = body[:_SNIFF_BYTES]
    lowered = head.lower()
    waf = next((name for marker, name in WAF_MARKERS.items() if _has_marker(head, lowered, marker)), None)
    if status in BLOCKED_STATUSES:
        if waf is None and status == 412 and _CHALLENGE_SCRIPT.search(head):
            waf = "瑞数"
        return True, waf
    if len(body) > _SNIFF_BYTES:
        return False, None              # a firewall's page is small; a large page merely mentions one
    if lowered.count(b"<a ") > _CHALLENGE_MAX_LINKS:
        return False, None              # navigation, lists: a site's page, whatever it mentions
    visible = len(re.sub(rb"\s+|&nbsp;", b"", _TAGS.sub(b" ", head)).decode("utf-8", "replace"))
    if waf is not None and visible <= _CHALLENGE_MAX_TEXT * 2:
        return True, waf
    if (b"<noscript" in lowered and _CHALLENGE_SCRIPT.search(head) and _RELOAD_SCRIPT.search(head)
            and visible <= _CHALLENGE_MAX_TEXT):
        return True, waf or "JavaScript验证"
    return False, None


class AccessBlockedMiddleware(CrawlerAware):
    """Treat a firewall's answer as "come back later, more slowly", never as a broken link.

    On a blocked answer the site's download slot drops to one request at a time and its delay doubles
    (from GOVAUDIT_BLOCKED_DELAY, up to GOVAUDIT_BLOCKED_MAX_DELAY, honouring Retry-After), and the
    request is queued again; after GOVAUDIT_BLOCKED_RETRIES tries it fails as AccessBlocked, which the
    spider records as the link's error "access-blocked…" (checks/links.py reports it once per site, for
    review). Sits before RetryMiddleware (550) so 429 is not retried at full speed.
    """

    def __init__(self, crawler) -> None:
        super().__init__(crawler)
        settings = crawler.settings
        self.retries = settings.getint("GOVAUDIT_BLOCKED_RETRIES", 2)
        self.first_delay = settings.getfloat("GOVAUDIT_BLOCKED_DELAY",
                                             float(os.environ.get("GOVAUDIT_BLOCKED_DELAY", "5")))
        self.max_delay = settings.getfloat("GOVAUDIT_BLOCKED_MAX_DELAY",
                                           float(os.environ.get("GOVAUDIT_BLOCKED_MAX_DELAY", "60")))
        self.floor: dict[str, float] = {}          # slot key → the delay a block imposed (AutoThrottle may not undercut)

    def process_request(self, request: Request) -> None:
        slot = self._slot(request)
        if slot is not None:
            key, slot = slot
            if key in self.floor:
                slot.delay = max(slot.delay, self.floor[key])
                slot.concurrency = 1
        return None

    def process_response(self, request: Request, response: Response) -> Request | Response:
        if response.status < 400 and not isinstance(response, TextResponse):
            return response                                       # binary 2xx/3xx: an attachment, not a page
        blocked, waf = blocked_reason(response.status, response.body)
        if not blocked:
            return response
        stats = self.crawler.stats
        stats.inc_value("govaudit/access_blocked")
        tries = request.meta.get("blocked_tries", 0) + 1
        self._slow_down(request, response)
        if tries > self.retries:
            stats.inc_value("govaudit/access_blocked_gave_up")
            logger.info("access blocked for good (%s, %s): %s", response.status, waf, request.url)
            raise AccessBlocked(request.url, response.status, waf)
        stats.inc_value("govaudit/access_blocked_retried")
        logger.debug("access blocked (%s, %s), retry %d later: %s", response.status, waf, tries, request.url)
        retry = request.replace(dont_filter=True, priority=request.priority - 1)
        retry.meta["blocked_tries"] = tries
        return retry

    def _slot(self, request: Request):
        engine = getattr(self.crawler, "engine", None)
        downloader = getattr(engine, "downloader", None)
        if downloader is None:
            return None
        key = downloader.get_slot_key(request)
        slot = downloader.slots.get(key)
        return (key, slot) if slot is not None else None

    def _slow_down(self, request: Request, response: Response) -> None:
        """One request at a time, twice the delay (or what Retry-After asks, within the cap)."""
        found = self._slot(request)
        if found is None:
            return
        key, slot = found
        delay = max(self.first_delay, self.floor.get(key, 0.0) * 2, slot.delay)
        retry_after = (response.headers.get(b"Retry-After") or b"").strip()
        if retry_after.isdigit():
            delay = max(delay, float(retry_after))
        delay = min(delay, self.max_delay)
        if delay > self.floor.get(key, 0.0):
            logger.info("site %s blocks fast clients: delay now %.1f s, one request at a time", key, delay)
        self.floor[key] = max(self.floor.get(key, 0.0), delay)
        slot.delay = max(slot.delay, self.floor[key])
        slot.concurrency = 1

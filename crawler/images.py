"""Images of each page, and whether each can be displayed (不可用链接 counts broken images too).

Why a module apart: the 2015 普查 rule (regulations.md §1.4, §8 item 8) counts a broken image like a broken
link, but an image is not a page to parse: it needs a cheap request (HEAD, no body) and a different verdict
(an HTML error page served with 200 for a .jpg is broken). The spider calls `page_images` on each page's
HTML and hands the result to `ImageChecks`, which records every (page, image) pair as a LinkRecord of kind
"image" in the crawl's link table and checks each distinct on-site image once:

- HEAD first. A 2xx answer whose Content-Type is an image (or anything but HTML/text) settles it in one
  request. Any other answer (HEAD refused with 405/501, 404, 5xx, text/html) is confirmed by a GET of the
  first bytes (Range: bytes=0-…, and the download stopped after the first chunk) whose verdict is final: a
  server that mishandles HEAD never makes an image broken.
- 404/410, or a 2xx body that is HTML or text rather than an image, is broken (`error` "not-image:<type>").
  Timeouts, 5xx and other refusals stay uncertain (checks/links.py lists them for review, never counts them);
  a firewall's answer is "access-blocked…" as for any request (AccessBlockedMiddleware, LNK003).
- Off-site images are recorded as kind "external", like off-site links: the off-site probe judges their hosts.

Politeness and budget: image requests go through the same scheduler, download slot, delay, AutoThrottle and
robots.txt as every request, at the lowest priority (after attachments, so the column inventory is never
delayed); at most GOVAUDIT_MAX_IMAGES distinct images are checked per run (0 turns the checks off), and a
template image repeated on every page is recorded from its first MAX_SOURCES pages only. A page showing more
than GOVAUDIT_MAX_IMAGES_PER_PAGE distinct images (a photo gallery, a generated page) has a sample of them
checked, so one page cannot eat the run's budget: the images whose address hashes lowest, which is the same
sample on every run and whatever the page's order; the statistics count the pages sampled and the images left
out, and the report's 检查范围 says so (reports/scope.py).
"""

from __future__ import annotations

import hashlib
import html as html_lib
import os
import re
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlsplit

from crawler.records import LinkRecord
from crawler.urls import safe_join

IMAGE_KIND = "image"
NOT_IMAGE = "not-image"                   # LinkRecord.error prefix: a 2xx answer that is not an image
PRIORITY_IMAGE = -10                      # after attachments (0): images never delay the column inventory
# A county portal has ~1–20k pages (settings.py) with most images in its templates; article photos add
# a few thousand. 5,000 distinct images at the polite 1 request/s is under 1.5 h of the 12 h budget.
DEFAULT_MAX_IMAGES = 5_000
# A county article shows 0–20 images and a home page rarely 100 (the reference samples: 3–17); past this a page
# is a gallery or generated, and a sample of it says as much about its images as all of them.
DEFAULT_MAX_IMAGES_PER_PAGE = 100
MAX_SOURCES = 20                          # pages recorded per image (the finding says 等 beyond)
SNIFF_BYTES = 2047                        # the GET confirmation asks for bytes 0..2047 only
# Lazy-load attributes of the templates seen on county portals (TRS, Hanweb, jQuery lazyload, layui, echo.js):
# the real image is here and `src` holds a placeholder. TRS's OLDSRC is the upload's original file name,
# not an address, and is never read.
LAZY_ATTRS = ("data-original", "data-src", "data-lazy-src", "data-lazyload", "lay-src", "data-echo", "original")
# Hosts of visit counters and analytics beacons: invisible, never part of what a visitor sees.
TRACKER_HOSTS = ("hm.baidu.com", "cnzz.com", "51.la", "google-analytics.com", "googletagmanager.com",
                 "tongji.baidu.com", "stat.gov.cn.kaipuyun.cn", "zhuzhan.ucap.com.cn")
_SPACER_NAME = re.compile(r"^(?:spacer|blank|pixel|clear|clearpixel|transparent|trans|space|1x1|s)\.(?:gif|png)$", re.I)
_INVISIBLE = re.compile(r"<!--.*?-->|<(script|style|textarea|template)\b[^>]*>.*?</\1\s*>", re.I | re.S)
_TAG = re.compile(r"<(img|input)\b([^>]*)>", re.I)
_SOURCE = re.compile(r"<(source)\b([^>]*)>", re.I)          # apart: most pages have none, and it halves _TAG's speed
# Lazy-load srcset attributes first (lazysizes keeps the real set in data-srcset, a placeholder in srcset).
SRCSET_ATTRS = ("data-srcset", "srcset")
_ANY_IMAGE = re.compile(r"<(?:img|input|source)\b|url\(", re.I)     # a page without any is skipped at once
_STYLE_ATTR = re.compile(r"""\sstyle\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.I)
_CSS_URL = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)\s]*))\s*\)""", re.I)
_DESCRIPTOR = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([wx])\s*$", re.I)
_ATTR = re.compile(r"""([^\s"'=/<>]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")
_BASE = re.compile(r"<base\b[^>]*?\bhref\s*=\s*[\"']?([^\"'\s>]+)", re.I)
_TINY = re.compile(r"^\s*[01](?:\.0+)?\s*(?:px)?\s*$", re.I)
# Magic numbers of the image formats browsers display.
_MAGIC = (b"\x89PNG", b"GIF87a", b"GIF89a", b"\xff\xd8\xff", b"BM", b"II*\x00", b"MM\x00*", b"\x00\x00\x01\x00")
_MARKUP = re.compile(rb"^\s*(?:<!doctype\s+html|<html|<head|<body|<\?xml(?![^>]*svg)|<script|<meta|<title|<h1|<div|<p\b)",
                     re.I)


def _attributes(raw: str) -> dict[str, str]:
    """A tag's attributes, names lower-cased, entity references decoded (`&amp;` in a query string)."""
    out: dict[str, str] = {}
    for name, dq, sq, bare in _ATTR.findall(raw):
        out.setdefault(name.lower(), html_lib.unescape(dq or sq or bare).strip())
    return out


def _is_tracker(url: str, attrs: dict[str, str]) -> bool:
    """A counter beacon, a 1×1 pixel or a spacer gif: nothing a visitor sees, so never a broken image."""
    width, height = attrs.get("width"), attrs.get("height")
    if width is not None and height is not None and _TINY.match(width) and _TINY.match(height):
        return True
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if any(host == t or host.endswith("." + t) for t in TRACKER_HOSTS):
        return True
    return bool(_SPACER_NAME.match(parts.path.rsplit("/", 1)[-1]))


def srcset_candidate(value: str) -> str | None:
    """The one address of a srcset to check: the largest candidate (by its w or x descriptor, none being 1x),
    the first among equals; data:/blob: candidates are skipped. Parsed as the HTML standard does, so a comma
    inside an address (`a,b.jpg 2x`) does not split it."""
    best, best_size, pos, n = None, -1.0, 0, len(value)
    while pos < n:
        while pos < n and (value[pos].isspace() or value[pos] == ","):
            pos += 1
        start = pos
        while pos < n and not value[pos].isspace():
            pos += 1
        url, descriptor = value[start:pos], ""
        if url.endswith(","):
            url = url.rstrip(",")
        else:
            end = value.find(",", pos)
            end = n if end < 0 else end
            descriptor, pos = value[pos:end], end + 1
        if not url or url.lower().startswith(("data:", "blob:")):
            continue
        match = _DESCRIPTOR.match(descriptor) if descriptor.strip() else None
        size = float(match.group(1)) if match else (1.0 if not descriptor.strip() else 0.0)
        if size > best_size:
            best, best_size = url, size
    return best


def _background_url(style: str) -> str | None:
    """The first image of an inline style's background / background-image, or None."""
    for declaration in style.split(";"):
        name, _, value = declaration.partition(":")
        if name.strip().lower() in ("background", "background-image") and "url(" in value.lower():
            for dq, sq, bare in _CSS_URL.findall(value):
                url = (dq or sq or bare).strip()
                if url and not url.lower().startswith(("data:", "blob:")):
                    return url
    return None


def _in_tag(text: str, pos: int) -> bool:
    """Whether `pos` is inside a tag's markup (a `style=` in the page's text is no attribute)."""
    return text.rfind("<", 0, pos) > text.rfind(">", 0, pos)


def page_images(page_html: str, page_url: str) -> list[str]:
    """The distinct image addresses a visitor's browser loads for the page, in page order.

    `<img>` (a lazy-load attribute before `src`, and one candidate of its srcset), `<picture><source srcset>`,
    `<input type=image>` and inline `style="background(-image):url(…)"` on any element; markup inside comments,
    scripts, styles and textareas is not displayed and is skipped, as are data:/blob: URIs, template
    placeholders, tracking pixels and spacer gifs. Addresses are resolved against `<base href>` and canonicalised.
    """
    if not page_html or ("<img" not in page_html and "url(" not in page_html and not _ANY_IMAGE.search(page_html)):
        return []
    visible = _INVISIBLE.sub(" ", page_html)
    base_match = _BASE.search(visible)
    base = (safe_join(page_url, html_lib.unescape(base_match.group(1))) if base_match else None) or page_url
    found: list[tuple[int, str, dict[str, str]]] = []        # (position, address as written, the tag's attributes)
    tags = list(_TAG.finditer(visible))
    if "<source" in visible or "<SOURCE" in visible or "<Source" in visible:
        tags += _SOURCE.finditer(visible)
    for match in tags:
        tag, attrs = match.group(1).lower(), _attributes(match.group(2))
        if tag == "input" and attrs.get("type", "").lower() != "image":
            continue
        if tag != "source":
            candidates = [attrs[a] for a in LAZY_ATTRS if attrs.get(a)] + [attrs.get("src", "")]
            usable = [v for v in candidates if _usable(v)]
            if usable:
                found.append((match.start(), usable[0], attrs))    # the first usable address is the one displayed
        if tag != "input":
            chosen = next((c for c in (srcset_candidate(attrs[a]) for a in SRCSET_ATTRS if attrs.get(a)) if c), None)
            if chosen and _usable(chosen):
                found.append((match.start(), chosen, attrs))
    if "url(" in visible or "URL(" in visible:
        for match in _STYLE_ATTR.finditer(visible):
            url = _background_url(html_lib.unescape(match.group(1) or match.group(2) or ""))
            if url and _usable(url) and _in_tag(visible, match.start()):
                found.append((match.start(), url, {}))
    out: dict[str, None] = {}
    for _, value, attrs in sorted(found, key=lambda item: item[0]):
        url = safe_join(base, value)
        if url is not None and url.startswith(("http://", "https://")) and not _is_tracker(url, attrs):
            out.setdefault(url, None)
    return list(out)


def _usable(value: str) -> bool:
    """An address worth resolving: not empty, not inline data, not a template placeholder."""
    return bool(value) and not value.lower().startswith(("data:", "blob:", "about:")) and "${" not in value


def sample(urls: list[str], cap: int) -> list[str]:
    """At most `cap` of the page's images, in page order: those whose address hashes lowest. The same page gives
    the same sample on every run, and an image keeps its place in it when others are added or moved."""
    if len(urls) <= cap:
        return urls
    chosen = set(sorted(urls, key=lambda u: hashlib.sha1(u.encode("utf-8")).digest())[:cap])
    return [u for u in urls if u in chosen]


def _content_type(headers: Any) -> str:
    value = headers.get(b"Content-Type") or headers.get("Content-Type") or b""
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    return value.split(";", 1)[0].strip().lower()


def looks_like_image(body: bytes) -> bool:
    """The body starts like PNG, GIF, JPEG, BMP, TIFF, ICO, WebP or SVG."""
    head = body.lstrip()[:512]
    if head.startswith(_MAGIC) or (head[:4] == b"RIFF" and head[8:12] == b"WEBP"):
        return True
    return b"<svg" in head.lower()


def verdict(status: int, content_type: str, body: bytes | None) -> tuple[int, str | None]:
    """(status, error) for the image's LinkRecord from one answer; error NOT_IMAGE… marks a non-image 2xx.

    `body` None: a HEAD answer (the Content-Type alone speaks). A 2xx whose body is an image is fine whatever
    its Content-Type says; one whose type is HTML or text, or whose body is markup, is not an image.
    """
    if not 200 <= status < 300:
        return status, None
    if body:
        if looks_like_image(body):
            return status, None
        if _MARKUP.match(body) or content_type.startswith(("text/", "application/json")):
            return status, f"{NOT_IMAGE}:{content_type or 'text/html'}"
        return status, None                       # unknown bytes: browsers sniff; not provably broken
    if content_type == "image/svg+xml" or content_type.startswith("image/"):
        return status, None
    if content_type.startswith(("text/", "application/json", "application/xhtml")):
        return status, f"{NOT_IMAGE}:{content_type}"
    return status, None


def head_settles(status: int, error: str | None) -> bool:
    """Whether a HEAD answer is final: only a plain 2xx image is; anything else is confirmed with a GET."""
    return 200 <= status < 300 and error is None


def configured_limit(settings: Any, name: str = "GOVAUDIT_MAX_IMAGES", default: int = DEFAULT_MAX_IMAGES) -> int:
    """`name` (GOVAUDIT_MAX_IMAGES, GOVAUDIT_MAX_IMAGES_PER_PAGE) from the crawl's settings, else from the
    environment, else the default (0: no image checked)."""
    value = settings.get(name) if settings is not None else None
    if value is None:
        value = os.environ.get(name)
    return default if value in (None, "") else max(0, int(value))


def configured_page_limit(settings: Any) -> int:
    """GOVAUDIT_MAX_IMAGES_PER_PAGE: how many distinct images of one page are checked at most."""
    return configured_limit(settings, "GOVAUDIT_MAX_IMAGES_PER_PAGE", DEFAULT_MAX_IMAGES_PER_PAGE)


class ImageChecks:
    """Per-run bookkeeping of image checks: which images were requested, their outcomes, pages waiting."""

    def __init__(self, on_site: Callable[[str], bool], max_images: int = DEFAULT_MAX_IMAGES,
                 stat: Callable[[str, int], None] | None = None,
                 max_per_page: int = DEFAULT_MAX_IMAGES_PER_PAGE) -> None:
        self.on_site = on_site
        self.max_images = max_images
        self.max_per_page = max_per_page
        self.stat = stat or (lambda key, n=1: None)
        self.outcomes: dict[str, tuple[int | None, str | None]] = {}
        self.pending: dict[str, list[str]] = {}          # image URL -> pages waiting for its outcome
        self.sources: dict[str, int] = {}                # image URL -> pages recorded
        self.counts = {"images_found": 0, "images_checked": 0, "images_unchecked": 0, "image_requests": 0,
                       "image_head_requests": 0, "image_get_requests": 0, "offsite_images": 0,
                       "max_images": max_images, "max_images_per_page": max_per_page,
                       "pages_sampled": 0, "images_not_sampled": 0}

    # ------------------------------------------------------------------ discovery
    def collect(self, page_url: str, page_html: str, request: Callable[..., Any]) -> Iterator[Any]:
        """LinkRecords for the page's images (a sample past max_per_page), and a HEAD request (built by
        `request`) for each new one."""
        images = page_images(page_html, page_url)
        shown = sample(images, self.max_per_page)
        if len(shown) < len(images):
            self.counts["pages_sampled"] += 1
            self.counts["images_not_sampled"] += len(images) - len(shown)
        for url in shown:
            yield from self.record(page_url, url, request)

    def record(self, source: str, url: str, request: Callable[..., Any], write_pending: bool = True) -> Iterator[Any]:
        """Record that `source` shows image `url`; check the image if it is new, on-site and within the budget.

        `write_pending` False: the page's row is already stored (copied from an earlier run), so it is written
        again only when this run learns the image's outcome.
        """
        if url == source or (not write_pending and "*" in url):
            return                              # a stored address masked for personal data: not fetchable
        seen = self.sources.get(url, 0)
        if seen >= MAX_SOURCES:
            return
        self.sources[url] = seen + 1
        if not self.on_site(url):
            if seen == 0:
                self.counts["offsite_images"] += 1
            yield LinkRecord(source, url, None, None, "external")
            return
        if url in self.outcomes:
            yield LinkRecord(source, url, *self.outcomes[url], IMAGE_KIND)
            return
        first = url not in self.pending
        if first:
            self.counts["images_found"] += 1
            if self.counts["images_checked"] >= self.max_images:
                self.counts["images_unchecked"] += 1
                self.outcomes[url] = (None, None)        # unknown: no row says more than "shown on the page"
                if write_pending:
                    yield LinkRecord(source, url, None, None, IMAGE_KIND)
                return
        self.pending.setdefault(url, []).append(source)
        if write_pending:
            yield LinkRecord(source, url, None, None, IMAGE_KIND)
        if first:
            self.counts["images_checked"] += 1
            yield self._request(request, url, "HEAD")

    def _request(self, request: Callable[..., Any], url: str, method: str) -> Any:
        self.counts["image_requests"] += 1
        self.counts[f"image_{method.lower()}_requests"] += 1
        self.stat(f"images/{method.lower()}", 1)
        # Identity encoding: a gzip body cut after its first chunk would not decompress.
        headers = {"Range": f"bytes=0-{SNIFF_BYTES}", "Accept-Encoding": "identity"} if method == "GET" else {}
        # Every 4xx/5xx reaches the callback (redirects are still followed): the verdict needs the status.
        meta = {"kind": IMAGE_KIND, "target": url, "image_method": method,
                "handle_httpstatus_list": list(range(400, 600))}
        return request(url, method=method, headers=headers, meta=meta, priority=PRIORITY_IMAGE)

    # ------------------------------------------------------------------ outcomes
    def answered(self, url: str, method: str, status: int, content_type: str, body: bytes,
                 request: Callable[..., Any]) -> Iterator[Any]:
        """A response for the image: settle it, or confirm a doubtful HEAD answer with a ranged GET."""
        outcome = verdict(status, content_type, body if method == "GET" else None)
        if method == "HEAD" and not head_settles(*outcome):
            yield self._request(request, url, "GET")
            return
        if status == 206 or 200 <= status < 300:
            outcome = (200, outcome[1])                  # a ranged 206 is the image being there
        yield from self.settle(url, *outcome)

    def failed(self, url: str, status: int | None, error: str | None) -> Iterator[LinkRecord]:
        """No answer (timeout, DNS, refused), a firewall's refusal, robots.txt or an off-site redirect: final,
        and never proof of a broken image (checks/links.py decides what is uncertain)."""
        yield from self.settle(url, status, error)

    def stop_after_first_chunk(self, data: bytes, request: Any, spider: Any = None) -> None:
        """Scrapy's bytes_received handler: a confirming GET needs only the first bytes of the body."""
        if request.meta.get("kind") == IMAGE_KIND and request.meta.get("image_method") == "GET":
            from scrapy.exceptions import StopDownload
            raise StopDownload(fail=False)

    def settle(self, url: str, status: int | None, error: str | None) -> Iterator[LinkRecord]:
        """The image's final outcome: every page showing it gets its row."""
        self.outcomes[url] = (status, error)
        for source in self.pending.pop(url, []):
            yield LinkRecord(source, url, status, error, IMAGE_KIND)

    def stats(self) -> dict[str, dict[str, int]]:
        """What goes into the run's statistics."""
        return {"images": dict(self.counts)}

"""URL hygiene for the crawler: one canonical form per page, site membership, attachments, traps.

Pure functions on strings (no Scrapy), so the spider, the store and the checks agree on what
"the same page" means.
"""

from __future__ import annotations

import posixpath
import re
from functools import lru_cache
from urllib.parse import (
    parse_qsl,
    quote,
    quote_plus,
    unquote,
    unquote_to_bytes,
    urljoin,
    urlsplit,
    urlunsplit,
)

ATTACHMENT_EXTS = frozenset(
    "pdf doc docx wps xls xlsx et csv txt zip rar ofd ceb dps ppt pptx".split()
)
_TRACKING = re.compile(r"^(utm_[a-z_]*|spm|from|_|t|ts|timestamp|time|rnd|rand|random|v|_t|nocache)$", re.I)
_JSESSION = re.compile(r";jsessionid=[^?#/]*", re.I)
# `http://www.acas.org.cnx7a72968723868.ipv6best.cn/`: the original host, then 'x' + a per-snapshot hash.
_IPV6_GATEWAY = re.compile(r"^(?P<host>.+?)x[0-9a-f]{10,}x*\.(?:ipv6best\.cn|ipv6\.[a-z0-9.-]+)$", re.I)
# Pages of Microsoft's servers (ASP, ASP.NET pages, handlers, services): IIS matches paths without case, and
# templates link one page as List.aspx, list.aspx and LIST.ASPX; one lower-case path makes them one page.
_IIS_PAGE = re.compile(rb"\.(?:aspx?|ashx|asmx)$", re.I)
_TRAP_PARAMS = re.compile(r"^(year|month|day|date|cal|calendar|riqi|yf|nf|rq|begindate|enddate|starttime|endtime)$", re.I)


def _looks_like_timestamp(key: str, value: str) -> bool:
    return bool(_TRACKING.match(key)) and (key.lower() not in {"t", "v", "_"} or value.isdigit() or value == "")


@lru_cache(maxsize=65536)
def unwrap_ipv6_gateway(url: str) -> str:
    """Undo an IPv6-gateway rewrite (`www.x.gov.cnx7a7296…ipv6best.cn` → `www.x.gov.cn`)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    host = parts.hostname or ""
    m = _IPV6_GATEWAY.match(host)
    if not m:
        return url
    inner = m.group("host").replace("-comx", ".com").rstrip("x")
    inner = re.sub(r"-(com|cn|net|org|gov)$", r".\1", inner)
    netloc = inner + (f":{parts.port}" if parts.port else "")
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


@lru_cache(maxsize=65536)
def canonicalize(url: str) -> str:
    """Lower-case scheme/host, no fragment, no session ids or tracking params, sorted query, clean path."""
    url = (url or "").strip()
    try:
        parts = urlsplit(_JSESSION.sub("", url))
        port = parts.port
    except ValueError:
        return url
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower().rstrip(".")
    if port and not ((scheme == "http" and port == 80) or (scheme == "https" and port == 443)):
        host = f"{host}:{port}"
    path = parts.path or ("/" if host else "")
    if path:
        trailing = path.endswith("/")
        path = posixpath.normpath(path) if path not in ("/", "") else path
        if path == ".":
            path = "/"
        path = path.replace("//", "/")
        if trailing and not path.endswith("/"):
            path += "/"
        # Bytes, not text: a GBK-escaped file name (%B2%B9…, old CMSs) must survive, not become U+FFFD.
        raw = unquote_to_bytes(path)
        if _IIS_PAGE.search(raw):
            raw = raw.lower()             # IIS: List.aspx, list.aspx and LIST.ASPX are one page (ASCII only)
        path = quote(raw, safe="/%:@!$&'()*+,;=~-._")
    query = [(k, v) for k, v in _query_pairs(parts.query) if not _dropped_param(k.decode("utf-8", "replace"),
                                                                              v.decode("utf-8", "replace"))]
    query.sort()
    return urlunsplit((scheme, host, path, "&".join(f"{quote_plus(k)}={quote_plus(v)}" for k, v in query), ""))


def _dropped_param(key: str, value: str) -> bool:
    """Tracking, session and cache-busting parameters: the same page whatever their value."""
    return (key.lower().startswith("utm_") or key.lower() in {"spm", "from", "jsessionid"}
            or _looks_like_timestamp(key, value))


def _query_pairs(query: str) -> list[tuple[bytes, bytes]]:
    """parse_qsl(keep_blank_values=True) to bytes: a query percent-escaped in GBK (`?ClassName=%D5%FE…`, old ASP and
    JSP portals) keeps its bytes, where parse_qsl's UTF-8 reading made every GBK value U+FFFD. For UTF-8 and ASCII
    queries the pairs, their order and their quote_plus form are what parse_qsl and urlencode gave."""
    pairs = []
    for piece in query.split("&"):
        if not piece:
            continue
        key, _, value = piece.partition("=")
        pairs.append((unquote_to_bytes(key.replace("+", " ")), unquote_to_bytes(value.replace("+", " "))))
    return pairs


@lru_cache(maxsize=65536)
def host_of(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


def same_site(url: str, hosts: set[str] | frozenset[str] | list[str]) -> bool:
    """True when the URL's host is one of `hosts` or a subdomain of one (after IPv6-gateway unwrap)."""
    host = host_of(unwrap_ipv6_gateway(url))
    if not host:
        return False
    for h in hosts:
        h = h.lower().strip().rstrip(".")
        if "://" in h:
            h = host_of(h)
        elif ":" in h and not h.startswith("["):
            h = h.split(":", 1)[0]                          # "127.0.0.1:8000" → "127.0.0.1"
        if h.startswith("www."):
            h = h[4:]
        if host == h or host.endswith("." + h):
            return True
    return False


@lru_cache(maxsize=65536)
def is_attachment_url(url: str) -> str | None:
    """The attachment extension (pdf, xls …) of a URL's path — or of its `file=` param — else None."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    candidates = [parts.path]
    for k, v in parse_qsl(parts.query):
        if k.lower() in {"file", "filename", "url", "path", "src"}:
            candidates.append(urlsplit(v).path or v)
    for path in candidates:
        name = unquote(path).rsplit("/", 1)[-1]
        if "." in name:
            ext = name.rsplit(".", 1)[1].lower()
            if ext in ATTACHMENT_EXTS:
                return ext
    return None


def looks_like_trap(url: str) -> bool:
    """Calendar/date query params, endlessly repeating path segments, or very long query strings."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return True
    if len(parts.query) > 300 or len(url) > 1000:
        return True
    for k, _ in parse_qsl(parts.query, keep_blank_values=True):
        if _TRAP_PARAMS.match(k):
            return True
    segments = [s for s in parts.path.split("/") if s]
    if len(segments) > 12:
        return True
    counts: dict[str, int] = {}
    for s in segments:
        counts[s] = counts.get(s, 0) + 1
        if counts[s] >= 3:
            return True
    # a/b/a/b: the same pair of segments twice in a row
    for i in range(len(segments) - 3):
        if segments[i:i + 2] == segments[i + 2:i + 4]:
            return True
    return False


def safe_join(base: str, href: str | None) -> str | None:
    """`urljoin` + canonicalize for an href found in a page; None for empty, script or malformed links.

    Remembered per (base, href), where the base is cut to what the href can depend on: its origin for
    `/path` and `http://host/path` (whose result only depends on the base's scheme) and its directory for
    `path` or `./path` (RFC 3986 5.2: none of them reads the rest of the base). Keyed by the whole page URL,
    the ~40 menu and list links a page shares with every other page were joined afresh on each of them
    (53,500 joins for 1,108 demo pages, nearly all cache misses).
    """
    if href and base and not _URL_DROPPED_CHARS.intersection(href):
        first = href[0]
        if first == "/":
            if href[1:2] != "/":
                base = _base_origin(base)
        elif first == "h" and _ABSOLUTE_HTTP.match(href):
            base = _base_origin(base)
        elif first not in "?#;\\" and not first.isspace() and ":" not in href.partition("/")[0]:
            base = _base_directory(base)
    return _join(base, href)


_ABSOLUTE_HTTP = re.compile(r"https?://[0-9A-Za-z]")
# urlsplit deletes these anywhere in a URL (WHATWG), so `/\n/x` is joined as `//x`: such an href is joined
# against the whole base, never the shortened one its first characters suggest.
_URL_DROPPED_CHARS = frozenset("\t\r\n")


@lru_cache(maxsize=4096)
def _base_origin(base: str) -> str:
    """`http://host:port/` of a page URL (the base of a `/path` href); the URL itself when it has none."""
    try:
        parts = urlsplit(base)
    except ValueError:
        return base
    return f"{parts.scheme}://{parts.netloc}/" if parts.scheme and parts.netloc else base


@lru_cache(maxsize=16384)
def _base_directory(base: str) -> str:
    """A page URL up to the last `/` of its path, without query or fragment (the base of a relative href)."""
    try:
        parts = urlsplit(base)
    except ValueError:
        return base
    if not (parts.scheme and parts.netloc):
        return base
    return f"{parts.scheme}://{parts.netloc}{parts.path[:parts.path.rfind('/') + 1] or '/'}"


@lru_cache(maxsize=65536)
def _join(base: str, href: str | None) -> str | None:
    href = (href or "").strip()
    if not href or href.startswith(("javascript:", "#", "mailto:", "tel:", "data:")) or "{{" in href:
        return None
    try:
        return canonicalize(urljoin(base, href))
    except ValueError:
        return None


# Directory index files: `/x/`, `/x/index.html`, `/x/default.htm` … are one column page.
_INDEX_FILE = re.compile(r"^(?P<dir>.*/)(?:index|default|main)\.(?:html?|shtml|jsp|php|aspx?)$", re.I)


@lru_cache(maxsize=65536)
def column_url(url: str) -> str:
    """The one URL a column is known by: canonical, and a directory's index file folded into the directory.

    `/zfwj/jinqixxgk/` and `/zfwj/jinqixxgk/index.html` are the same column page; keyed apart they
    would be inventoried twice and every finding about the column doubled. Queries are kept
    (`index.jsp?id=3` is a different page).
    """
    url = canonicalize(url)
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    m = _INDEX_FILE.match(parts.path or "")
    if m is None or parts.query:
        return url
    return urlunsplit((parts.scheme, parts.netloc, m.group("dir"), "", ""))

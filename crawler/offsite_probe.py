"""A bounded probe, after the crawl, of the home pages of the hosts the site links out to.

The spider never fetches off-site links (they are not the site's pages), yet an expired domain the
portal still links to is re-registered by parked-domain sellers and 博彩/色情 sites — a 单项否决 item
(发布或链接反动、暴力、色情等内容; regulations.md VETO-ILLEGAL-CONTENT, the 2023 三明 case). One GET of
each linked host's home page (at most `max_hosts`, 10 s each, 8 at a time, 512 KiB read) says what the
domain is now; the title and the start of its text are kept in the run's statistics
(`offsite_probe`) and judged by checks/links.py. IPv6-gateway rewrites are unwrapped first; *.gov.cn
hosts are skipped (a gov.cn name cannot be re-registered by a private buyer).

Tests (and the demo) serve fake hostnames on 127.0.0.1 through a resolver override:
`resolve={"parked.example": "127.0.0.1:8123"}` or `GOVAUDIT_RESOLVE="parked.example=127.0.0.1:8123;…"`.
`GOVAUDIT_OFFLINE=1` (set by the test suite, the demo and the benchmarks, which must never leave the
machine) probes only the hosts the override names: any other host, or a redirect to one, is not asked
and gets no verdict.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpx

from crawler.urls import unwrap_ipv6_gateway

MAX_HOSTS = 150
TIMEOUT_S = 10.0
MAX_BYTES = 512 * 1024
MAX_REDIRECTS = 5
KEEP_TEXT = 3000
USER_AGENT = "govaudit (government website self-inspection; offsite link check)"
_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.I | re.S)
_SCRIPTS = re.compile(r"<(script|style)\b.*?</\1\s*>", re.I | re.S)
_TAGS = re.compile(r"<[^>]+>")
_META_REFRESH = re.compile(r"""<meta[^>]+http-equiv=["']?refresh["']?[^>]*content=["'][^"']*url=([^"'>\s]+)""", re.I)


def unwrap_host(url: str) -> str:
    """The URL an IPv6 gateway rewrote (`bszs-conac-cnx…ipv6best.cn` → `bszs.conac.cn`), or the URL itself."""
    unwrapped = unwrap_ipv6_gateway(url)
    if unwrapped == url:
        return url
    parts = urlsplit(unwrapped)
    host = parts.hostname or ""
    if "." not in host.replace(".cn", "").replace(".com", "") and "-" in host:
        host = host.replace("-", ".")
    elif "-" in host and re.fullmatch(r"[a-z0-9-]+\.(?:cn|com|net|org|gov)", host):
        host = host.replace("-", ".")
    netloc = host + (f":{parts.port}" if parts.port else "")
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def offline() -> bool:
    """True when no host outside the resolver override may be asked (GOVAUDIT_OFFLINE)."""
    return os.environ.get("GOVAUDIT_OFFLINE", "").strip() not in ("", "0")


def resolver_from_env() -> dict[str, str]:
    """GOVAUDIT_RESOLVE: 'host=addr:port;host2=addr:port' (tests and the demo only)."""
    out = {}
    for item in (os.environ.get("GOVAUDIT_RESOLVE") or "").split(";"):
        host, _, addr = item.strip().partition("=")
        if host and addr:
            out[host.strip().lower()] = addr.strip()
    return out


def _visible_text(body: str) -> str:
    text = _TAGS.sub(" ", _SCRIPTS.sub(" ", body))
    return " ".join(text.split())


def _decode(raw: bytes, content_type: str) -> str:
    charset = re.search(r"charset=([\w-]+)", content_type or "", re.I)
    head = raw[:2048].decode("ascii", "ignore")
    declared = re.search(r"charset=[\"']?([\w-]+)", head, re.I)
    for enc in (charset and charset.group(1), declared and declared.group(1), "utf-8", "gb18030"):
        if not enc:
            continue
        try:
            return raw.decode(enc)
        except (LookupError, UnicodeDecodeError):
            continue
    return raw.decode("utf-8", "replace")


def _fetch(client: httpx.Client, url: str, resolve: dict[str, str]) -> dict:
    """GET `url` following redirects (and one meta refresh) by hand, so a resolver override applies to each hop."""
    hops: list[str] = []
    refreshed = False
    for _ in range(MAX_REDIRECTS + 1):
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        target, headers = url, {}
        if host not in resolve and offline():
            return {"status": None, "error": "offline", "final_url": url, "hops": hops}
        if host in resolve:
            target = urlunsplit(("http", resolve[host], parts.path or "/", parts.query, ""))
            headers["Host"] = parts.netloc
        hops.append(url)
        with client.stream("GET", target, headers=headers) as response:
            if response.is_redirect and response.headers.get("location"):
                url = urljoin(url, response.headers["location"])
                continue
            raw = b""
            for chunk in response.iter_bytes():
                raw += chunk
                if len(raw) >= MAX_BYTES:
                    break
            body = _decode(raw, response.headers.get("content-type", ""))
            refresh = _META_REFRESH.search(body[:4096])
            if refresh and not refreshed:
                refreshed = True
                url = urljoin(url, refresh.group(1))
                continue
            title = _TITLE.search(body)
            return {"status": response.status_code, "final_url": url, "hops": hops,
                    "title": " ".join(title.group(1).split())[:200] if title else "",
                    "text": _visible_text(body)[:KEEP_TEXT]}
    return {"status": None, "error": "too-many-redirects", "final_url": url, "hops": hops}


def _error_word(exc: Exception) -> str:
    text = str(exc).lower()
    if isinstance(exc, httpx.ConnectError) and ("name or service" in text or "nodename" in text
                                                or "getaddrinfo" in text or "resolve" in text
                                                or "no address" in text):
        return "dns"
    if isinstance(exc, httpx.TimeoutException):
        return "timeout"
    if isinstance(exc, httpx.ConnectError):
        return "ssl" if "ssl" in text or "certificate" in text else "connection"
    return type(exc).__name__


def probe_hosts(targets: list[str], site_hosts: set[str] | frozenset[str] = frozenset(),
                resolve: dict[str, str] | None = None, max_hosts: int = MAX_HOSTS,
                timeout: float = TIMEOUT_S) -> list[dict]:
    """One probe per distinct off-site host of `targets` (most-linked hosts first, at most `max_hosts`)."""
    resolve = {**resolver_from_env(), **(resolve or {})}
    counts: Counter[str] = Counter()
    home: dict[str, str] = {}
    for target in targets:
        parts = urlsplit(unwrap_host(target))
        host = (parts.hostname or "").lower()
        if not host or host in site_hosts or host == "gov.cn" or host.endswith(".gov.cn"):
            continue
        counts[host] += 1
        home.setdefault(host, f"{parts.scheme or 'http'}://{parts.netloc}/")
    if offline():
        counts = Counter({host: n for host, n in counts.items() if host in resolve})
    hosts = [h for h, _n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))][:max_hosts]
    if not hosts:
        return []
    limits = httpx.Limits(max_connections=8, max_keepalive_connections=0)

    def one(host: str) -> dict:
        entry = {"host": host, "url": home[host], "links": counts[host]}
        try:
            with httpx.Client(timeout=timeout, limits=limits, follow_redirects=False, verify=False,
                              headers={"User-Agent": USER_AGENT}, trust_env=False) as client:
                entry.update(_fetch(client, home[host], resolve))
        except httpx.HTTPError as exc:
            entry.update({"status": None, "error": _error_word(exc)})
        except (ValueError, OSError) as exc:
            entry.update({"status": None, "error": type(exc).__name__})
        return entry

    with ThreadPoolExecutor(max_workers=min(8, len(hosts))) as pool:
        return list(pool.map(one, hosts))


def probe_run(store, run_id: int, site_hosts: set[str] | frozenset[str] = frozenset(),
              resolve: dict[str, str] | None = None, max_hosts: int = MAX_HOSTS) -> list[dict]:
    """Probe the off-site hosts a stored run links to (kinds 'external' and 'hidden')."""
    rows = store.db.execute(
        "SELECT DISTINCT target_url FROM links WHERE run_id=? AND kind IN ('external', 'hidden')", (run_id,))
    return probe_hosts([row[0] for row in rows], site_hosts, resolve, max_hosts)

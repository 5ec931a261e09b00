"""Loopback server for the blind portal, answering as the old IIS/Tomcat servers of county portals do.

    with serve(portal.routes) as base:      # "http://127.0.0.1:PORT"
        ...

- paths are looked up percent-decoded (UTF-8, or GBK), without dot segments, with query parameters in any order,
  `index.html` for a folder, and case-insensitively when the exact case is not found (IIS);
- `/calendar.jsp?ym=YYYY-MM` is a calendar widget that links to the month before and after, for ever;
- `/search/search.jsp?q=…&pageIndex=N` answers every query with five pages of results;
- `/news/live.html` answers only after SLOW_SECONDS (a page that times out), unless the client hangs up first;
- style sheets, scripts, pictures and `/hits.jsp` answer 200; anything else is a 404 page.
"""

from __future__ import annotations

import contextlib
import time
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, unquote, unquote_to_bytes, urlsplit

from tests.blind.portal import SITE, SLOW_PATH, SLOW_SECONDS, Route
from tests.servers import serve_handler

ASSETS = {".css": "text/css", ".js": "application/javascript", ".jpg": "image/jpeg", ".png": "image/png",
          ".gif": "image/gif"}
PIXEL = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                      "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")
NOT_FOUND = ("<html><head><meta charset=\"utf-8\"><title>404 错误</title></head><body><h2>对不起，您访问的页面不存在！</h2>"
             "<p><a href=\"/\">返回首页</a></p></body></html>").encode()


def _decode(path: str) -> str:
    raw = unquote_to_bytes(path)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("gbk", "replace")


def _resolve_dots(path: str) -> str:
    out: list[str] = []
    for segment in path.split("/")[1:]:
        if segment == "..":
            if out:
                out.pop()
        elif segment != ".":
            out.append(segment)
    return "/" + "/".join(out)


def key(target: str) -> str:
    """The lookup key of a request target or route: decoded path, dot segments resolved, sorted query."""
    parts = urlsplit(target.strip())
    path = _resolve_dots(_decode(parts.path or "/").strip())
    query = "&".join(sorted(unquote(parts.query).split("&"))) if parts.query else ""
    return path + (f"?{query}" if query else "")


def _calendar(month: str) -> Route:
    try:
        year, mon = (int(x) for x in month.split("-"))
        assert 1 <= mon <= 12
    except (ValueError, AssertionError):
        year, mon = 2026, 11
    prev = f"{year - (mon == 1)}-{12 if mon == 1 else mon - 1:02d}"
    nxt = f"{year + (mon == 12)}-{1 if mon == 12 else mon + 1:02d}"
    days = "".join(f"<td>{d}</td>" + ("</tr><tr>" if d % 7 == 0 else "") for d in range(1, 29))
    body = (f'<html><head><meta charset="utf-8"><title>日历-{SITE}</title></head><body><div class="calendar">'
            f'<a href="calendar.jsp?ym={prev}">&lt;上月</a> <b>{year}年{mon}月</b> <a href="calendar.jsp?ym={nxt}">下月&gt;</a>'
            f"<table><tr>{days}</tr></table></div></body></html>")
    return Route(body=body.encode("utf-8"))


def _search(query: str, page: int, articles: list[tuple[str, str]]) -> Route:
    pages = 5
    hits = articles[(page - 1) * 10 % max(len(articles), 1):][:10]
    rows = "".join(f'<li><a href="{url}">{title}</a></li>' for url, title in hits)
    nav = " ".join(f'<a href="search.jsp?q={query}&pageIndex={n}">{n}</a>' for n in range(1, pages + 1))
    body = (f'<html><head><meta charset="utf-8"><title>站内搜索-{SITE}</title></head><body><h2>搜索“{query}”的结果</h2>'
            f'<ul class="result">{rows}</ul><div class="page">{nav}</div></body></html>')
    return Route(body=body.encode("utf-8"))


class Table:
    def __init__(self, routes: dict[str, Route]) -> None:
        self.routes = {key(k): v for k, v in routes.items()}
        self.folded = {k.lower(): v for k, v in self.routes.items()}
        self.articles = [(k, "") for k in self.routes if "content.jsp" in k][:40]

    def lookup(self, target: str) -> Route | None:
        k = key(target)
        path, _, query = k.partition("?")
        candidates = [k]
        if path.endswith("/"):
            candidates.append(path + "index.html" + (f"?{query}" if query else ""))
        for c in candidates:
            if c in self.routes:
                return self.routes[c]
        for c in candidates:
            if c.lower() in self.folded:
                return self.folded[c.lower()]
        fields = {n: v[-1] for n, v in parse_qs(query).items()}
        if path == "/calendar.jsp":
            return _calendar(fields.get("ym", ""))
        if path == "/search/search.jsp":
            try:
                page = max(1, min(5, int(fields.get("pageIndex", "1"))))
            except ValueError:
                page = 1
            return _search(fields.get("q", ""), page, self.articles)
        if path == "/hits.jsp":
            return Route(body=b"document.write('128');", content_type="application/javascript")
        for ext, media in ASSETS.items():
            if path.lower().endswith(ext):
                return Route(body=PIXEL if media.startswith("image/") else b"/* */", content_type=media)
        return None


def _handler(table: Table):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _answer(self, with_body: bool) -> None:
            route = table.lookup(self.path) or Route(status=404, body=NOT_FOUND)
            if key(self.path) == SLOW_PATH:
                time.sleep(SLOW_SECONDS)
            self.send_response(route.status)
            if route.location:
                self.send_header("Location", route.location)
            self.send_header("Content-Type", route.content_type)
            self.send_header("Content-Length", str(len(route.body)))
            self.send_header("Server", "Microsoft-IIS/7.5")
            self.end_headers()
            if with_body:
                self.wfile.write(route.body)

        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            self._answer(True)

        def do_HEAD(self) -> None:  # noqa: N802
            self._answer(False)

        def do_POST(self) -> None:  # noqa: N802
            self.send_response(405)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args) -> None:
            pass

    return Handler


def serve(routes: dict[str, Route]) -> contextlib.AbstractContextManager[str]:
    """Serve the routes on 127.0.0.1 (a free port) in a thread; `with serve(routes) as base_url:`."""
    return serve_handler(_handler(Table(routes)))

"""Loopback server for the foreign portal: serves its routes, 302s, and 404 for anything else.

    with serve(portal.routes) as base:      # "http://127.0.0.1:PORT"
        ...

A request target is looked up percent-decoded (Chinese and spaces in paths), with index.html for a folder,
and with its query parameters in any order (list.jsp?page=2&chnlid=1 is list.jsp?chnlid=1&page=2), as real
servers answer. The skins' style sheets, scripts and pictures, and the platform pages every real CMS has
(search, 无障碍, user centre), answer 200: they are part of a working portal, not planted faults.
"""

from __future__ import annotations

import contextlib
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote, urlsplit

from tests.foreign.portal import Route
from tests.foreign.skins import Site, platform_page

ASSET_TYPES = {".css": "text/css", ".js": "application/javascript", ".png": "image/png", ".jpg": "image/jpeg",
               ".gif": "image/gif", ".ico": "image/x-icon"}
# The smallest valid PNG (1x1, transparent), so an image check finds a real picture.
PIXEL = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                      "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")
PLATFORM_PREFIXES = ("/search/", "/wca.html", "/uc/")
NOT_FOUND = ("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>404 页面不存在</title></head>"
             "<body><h1>404</h1><p>您访问的页面不存在或已被删除。</p><a href=\"/\">返回首页</a></body></html>").encode()


def _query_key(query: str) -> str:
    return "&".join(sorted(unquote(query).split("&"))) if query else ""


def normalised(target: str) -> str:
    """The key a request target is served under: decoded path, sorted query."""
    parts = urlsplit(target)
    query = _query_key(parts.query)
    return unquote(parts.path) + (f"?{query}" if query else "")


class Table:
    """The portal's routes under normalised keys, plus the assets and platform pages of its skins."""

    def __init__(self, routes: dict[str, Route], site: Site | None = None, skin: str = "hd-trs") -> None:
        self.routes = {normalised(k): v for k, v in routes.items()}
        self.site, self.skin = site, skin

    def lookup(self, target: str) -> Route | None:
        key = normalised(target)
        path, _, query = key.partition("?")
        candidates = [key]
        if path.endswith("/"):
            candidates.append(path + "index.html" + (f"?{query}" if query else ""))
        for candidate in candidates:
            if candidate in self.routes:
                return self.routes[candidate]
        return self._asset(path) or self._platform(path)

    @staticmethod
    def _asset(path: str) -> Route | None:
        lower = path.lower()
        for ext, media in ASSET_TYPES.items():
            if lower.endswith(ext) or lower.endswith(ext + ".下载"):
                return Route(body=PIXEL if media.startswith("image/") else b"/* */", content_type=media)
        return None

    def _platform(self, path: str) -> Route | None:
        if self.site is None or not path.startswith(PLATFORM_PREFIXES):
            return None
        title = "站内搜索" if path.startswith("/search/") else "无障碍浏览" if path.startswith("/wca") else "用户中心"
        return Route(body=platform_page(self.site, title, self.skin).encode("utf-8"))


def _handler(table: Table):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _answer(self, with_body: bool) -> None:
            route = table.lookup(self.path) or Route(status=404, body=NOT_FOUND)
            self.send_response(route.status)
            if route.location:
                self.send_header("Location", route.location)
            self.send_header("Content-Type", route.content_type)
            self.send_header("Content-Length", str(len(route.body)))
            self.end_headers()
            if with_body:
                self.wfile.write(route.body)

        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            self._answer(True)

        def do_HEAD(self) -> None:  # noqa: N802
            self._answer(False)

        def log_message(self, *args) -> None:
            pass

    return Handler


class _QuietServer(ThreadingHTTPServer):
    """A client that hangs up early (a crawler done with a page) is no server error worth a traceback."""

    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@contextlib.contextmanager
def serve(routes: dict[str, Route], site: Site | None = None, skin: str = "hd-trs") -> Iterator[str]:
    """Serve the routes on 127.0.0.1 (a free port) in a thread; yields the base URL."""
    server = _QuietServer(("127.0.0.1", 0), _handler(Table(routes, site, skin)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()

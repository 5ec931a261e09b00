"""One threaded HTTP server on 127.0.0.1 for the tests' fixture portals.

Why one: each fixture portal (tests/crawler/test_spider_site.py, list_sites.py, tests/govaudit/pii_portal.py)
used to carry its own copy of the handler class, the port-0 server, the daemon thread and the shutdown; a fix
to one (a header, a closed socket) never reached the others. Here a portal is a dict of routes, or a responder
that sees every request first when a site needs counters, validators or a schedule.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

HTML = "text/html; charset=utf-8"
NOT_FOUND_BODY = b"<html><body>404 Not Found</body></html>"


@dataclass
class Request:
    """What a test portal is asked: method, path, raw query, `key` (path plus ?query), headers, body."""

    method: str
    path: str
    query: str
    headers: Mapping[str, str]
    body: bytes

    @property
    def key(self) -> str:
        return self.path + (f"?{self.query}" if self.query else "")


@dataclass
class Response:
    """An answer. `content_type=None` sends no Content-Type; 204 and 304 never carry a body or its length."""

    status: int = 200
    body: bytes = b""
    content_type: str | None = HTML
    headers: dict[str, str] = field(default_factory=dict)


# A route's value: a body (bytes, or str sent as UTF-8 HTML), a full Response, or a callable answering a Request.
Route = bytes | str | Response | Callable[[Request], Response]
Responder = Callable[[Request], "Response | None"]


def as_response(route: Route, request: Request) -> Response:
    if isinstance(route, Response):
        return route
    if isinstance(route, bytes):
        return Response(body=route)
    if isinstance(route, str):
        return Response(body=route.encode("utf-8"))
    return route(request)


class LoopbackServer:
    """Serve `routes` on 127.0.0.1 at a free port, keyed by path plus query, else (`any_query`) by path alone.

    `responder`, when given, answers first; returning None falls through to the routes. `/` is served as
    `index`. Anything else is `not_found`. Only `methods` are served (others get the standard library's
    501, as a portal without them would answer). Use as a context manager: the server runs in a daemon thread
    from `__enter__` and is shut down and its socket closed at `__exit__`.
    """

    def __init__(self, routes: Mapping[str, Route] | None = None, responder: Responder | None = None,
                 index: str | None = "/index.html",
                 not_found: Response | None = None, methods: tuple[str, ...] = ("GET",),
                 any_query: bool = True) -> None:
        self.routes = routes if routes is not None else {}
        self.responder = responder
        self.index = index
        self.any_query = any_query
        self.not_found = not_found or Response(404, NOT_FOUND_BODY)
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

        def serve(h: BaseHTTPRequestHandler) -> None:
            server._handle(h)

        for method in methods:
            setattr(Handler, f"do_{method}", serve)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        """http://127.0.0.1:PORT (no trailing slash)."""
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def answer(self, request: Request) -> Response:
        """The response for `request`: the responder's, else the route's, else `not_found`."""
        if self.responder is not None:
            response = self.responder(request)
            if response is not None:
                return response
        path = self.index if request.path == "/" and self.index else request.path
        keys = (path + (f"?{request.query}" if request.query else ""),) + ((path,) if self.any_query else ())
        for key in keys:
            if key in self.routes:
                return as_response(self.routes[key], request)
        return self.not_found

    def _handle(self, h: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(h.path)
        length = int(h.headers.get("Content-Length") or 0)
        body = h.rfile.read(length) if length > 0 else b""
        request = Request(h.command, parts.path, parts.query, h.headers, body)
        response = self.answer(request)
        try:
            h.send_response(response.status)
            if response.content_type is not None:
                h.send_header("Content-Type", response.content_type)
            bodiless = response.status in (204, 304)
            if not bodiless:
                h.send_header("Content-Length", str(len(response.body)))
            for name, value in response.headers.items():
                h.send_header(name, value)
            h.end_headers()
            if not bodiless and h.command != "HEAD":
                h.wfile.write(response.body)
        except (BrokenPipeError, ConnectionResetError):
            pass                                   # the client gave up; nothing to tell it

    def __enter__(self) -> LoopbackServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join()

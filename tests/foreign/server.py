"""Loopback server for the foreign portal: serves its routes, 302s, and 404 for anything else.

    with serve(portal.routes) as base:      # "http://127.0.0.1:PORT"
        ...

A request target is looked up percent-decoded (Chinese and spaces in paths; UTF-8, or GBK as old servers take
it), with index.html or index.htm for a folder,
and with its query parameters in any order (list.jsp?page=2&chnlid=1 is list.jsp?chnlid=1&page=2), as real
servers answer. A Hanweb JCMS portal's `/module/web/jpage/dataproxy.jsp` answers a POST with the records
`startrecord..endrecord` of the form's `columnid`, as `<datastore>` XML; a GET gets the first group again,
as real JCMS does. The aspx-zq skin is served as IIS serves ASP.NET: paths and query names case-insensitively, and a
postback (POST of the page's form with `__EVENTTARGET=AspNetPager1`, `__EVENTARGUMENT=N` and the page's own
`__VIEWSTATE`) answered with list page N — without that view state, with page 1 again. The jyh-api skin's `/api/cms/article/page` answers GET with a page of a channel's JSON records
(tests/foreign/intensive.py). The skins' style sheets, scripts and pictures, and the platform pages every real CMS has
(search, 无障碍, user centre), answer 200: they are part of a working portal, not planted faults.
"""

from __future__ import annotations

import contextlib
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, unquote, unquote_to_bytes, urlsplit

from tests.foreign import aspx, intensive
from tests.foreign.portal import Route
from tests.foreign.skins import JPAGE_GROUP, JPAGE_PER_PAGE, Site, platform_page, zj_nextgroup
from tests.servers import serve_handler

ASSET_TYPES = {".css": "text/css", ".js": "application/javascript", ".png": "image/png", ".jpg": "image/jpeg",
               ".gif": "image/gif", ".ico": "image/x-icon"}
# The smallest valid PNG (1x1, transparent), so an image check finds a real picture.
PIXEL = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                      "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")
PLATFORM_PREFIXES = ("/search/", "/wca.html", "/uc/")
DATAPROXY = "/module/web/jpage/dataproxy.jsp"
NOT_FOUND = ("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>404 页面不存在</title></head>"
             "<body><h1>404</h1><p>您访问的页面不存在或已被删除。</p><a href=\"/\">返回首页</a></body></html>").encode()


def _query_key(query: str) -> str:
    return "&".join(sorted(unquote(query).split("&"))) if query else ""


def _unquote_path(path: str) -> str:
    """A percent-encoded path as an old Chinese server reads it: UTF-8, or GBK when the bytes are no UTF-8 (the
    file names an old CMS wrote into its GBK pages)."""
    raw = unquote_to_bytes(path)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("gbk", "replace")


def _without_dot_segments(path: str) -> str:
    """`/zwgk/../a/` as a web server resolves it (`/a/`): `.` and `..` segments removed, a trailing slash kept."""
    if "/." not in path:
        return path
    out: list[str] = []
    for segment in path.split("/")[1:]:
        if segment == "..":
            if out:
                out.pop()
        elif segment != ".":
            out.append(segment)
    resolved = "/" + "/".join(out)
    return resolved + "/" if path.endswith(("/", "/.", "/..")) and not resolved.endswith("/") else resolved


def _is_iis(path: str) -> bool:
    """An ASP or ASP.NET page: served by IIS, which matches paths and query names without case."""
    return path.lower().endswith((".asp", ".aspx"))


def _iis_folded(key: str) -> str:
    """A normalised key as IIS compares it: path and query names without case (values keep theirs); a page
    ignores the cache-busting `_t=…` a template adds."""
    path, _, query = key.partition("?")
    pairs = sorted(f"{k.lower()}={v}" for k, _, v in (p.partition("=") for p in query.split("&") if p)
                   if not k.startswith("_"))
    return path.lower() + (f"?{'&'.join(pairs)}" if pairs else "")


def normalised(target: str) -> str:
    """The key a request target is served under: decoded path without dot segments, sorted query."""
    parts = urlsplit(target)
    query = _query_key(parts.query)
    return _without_dot_segments(_unquote_path(parts.path)) + (f"?{query}" if query else "")


class Table:
    """The portal's routes under normalised keys, plus the assets and platform pages of its skins."""

    def __init__(self, routes: dict[str, Route], site: Site | None = None, skin: str = "hd-trs",
                 api: dict[int, list] | None = None) -> None:
        self.routes = {normalised(k): v for k, v in routes.items()}
        self.site, self.skin, self.api = site, skin, api or {}
        self.iis = skin == aspx.SKIN
        self.folded = {_iis_folded(k): v for k, v in self.routes.items() if _is_iis(k.partition("?")[0])}

    def postback(self, target: str, form: str) -> Route | None:
        """An ASP.NET list page's answer to a POST of its form: the pager's page, or page 1 without the view state."""
        parts = urlsplit(target)
        if not parts.path.lower().endswith("/list.aspx"):
            return None
        query = {k.lower(): v[-1] for k, v in parse_qs(parts.query).items()}
        fields = {k: v[-1] for k, v in parse_qs(form, keep_blank_values=True).items()}
        try:
            channel = int(query.get("classid", ""))
        except ValueError:
            return None
        pages = self.api.get(channel)
        if pages is None:
            return self.lookup(target)                   # a list that pages by URL answers a POST as a GET
        argument = fields.get("__EVENTARGUMENT", "")
        if (fields.get("__VIEWSTATE") == aspx.view_state(channel) and fields.get("__EVENTTARGET") == aspx.PAGER_ID
                and argument.isdigit() and 1 <= int(argument) <= len(pages)):
            return pages[int(argument) - 1]
        return pages[0]
    def dataproxy(self, query: str, form: str | None) -> Route | None:
        """JCMS jpage's list API: records of a column by number, POST only (GET: the first group again)."""
        if not self.api or self.site is None:
            return None
        fields = {k: v[-1] for k, v in parse_qs(query).items()}
        if form is not None:
            fields.update({k: v[-1] for k, v in parse_qs(form).items()})
        try:
            channel = int(fields.get("columnid", ""))
            start, end = int(fields.get("startrecord", "1")), int(fields.get("endrecord", "0"))
        except ValueError:
            return Route(body="<html><body>参数错误</body></html>".encode())
        records = self.api.get(channel)
        if records is None:
            return Route(body="<html><body>参数错误</body></html>".encode())
        if form is None:
            start, end = 1, JPAGE_PER_PAGE * JPAGE_GROUP
        chosen = "\n".join(records[max(start, 1) - 1:max(end, 0)])
        xml = (f'<?xml version="1.0" encoding="UTF-8"?><datastore>{zj_nextgroup(self.site, channel)}'
               f"<totalrecord>{len(records)}</totalrecord><recordset>{chosen}</recordset></datastore>")
        return Route(body=xml.encode("utf-8"), content_type="text/xml;charset=UTF-8")

    def lookup(self, target: str) -> Route | None:
        key = normalised(target)
        path, _, query = key.partition("?")
        candidates = [key]
        if path.endswith("/"):
            candidates += [path + index + (f"?{query}" if query else "") for index in ("index.html", "index.htm")]
        for candidate in candidates:
            if candidate in self.routes:
                return self.routes[candidate]
            if _is_iis(path) and _iis_folded(candidate) in self.folded:
                return self.folded[_iis_folded(candidate)]
        if _is_iis(path) and path.lower() in self.folded:
            return self.folded[path.lower()]             # Error.aspx?aspxerrorpath=…: a page reads no such parameter
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
            self._send(table.lookup(self.path) or Route(status=404, body=NOT_FOUND), with_body)

        def _send(self, route: Route, with_body: bool) -> None:
            self.send_response(route.status)
            if route.location:
                self.send_header("Location", route.location)
            self.send_header("Content-Type", route.content_type)
            for name, value in route.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(route.body)))
            self.end_headers()
            if with_body:
                self.wfile.write(route.body)

        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            parts = urlsplit(self.path)
            if parts.path == DATAPROXY and table.api:
                self._send(table.dataproxy(parts.query, None) or Route(status=404, body=NOT_FOUND), True)
                return
            if parts.path == intensive.LIST_API and table.skin == "jyh-api":
                status, text = intensive.list_answer(table.api, parts.query)
                self._send(Route(status=status, body=text.encode("utf-8"),
                                 content_type="application/json;charset=UTF-8"), True)
                return
            self._answer(True)

        def do_POST(self) -> None:  # noqa: N802
            length = int(self.headers.get("Content-Length") or 0)
            form = self.rfile.read(length).decode("utf-8", "replace") if length else ""
            parts = urlsplit(self.path)
            route = table.dataproxy(parts.query, form) if parts.path == DATAPROXY else None
            if table.iis:
                route = table.postback(self.path, form)
            self._send(route or Route(status=405, body=b"<html><body>405</body></html>"), True)

        def do_HEAD(self) -> None:  # noqa: N802
            self._answer(False)

        def log_message(self, *args) -> None:
            pass

    return Handler


def serve(routes: dict[str, Route], site: Site | None = None, skin: str = "hd-trs",
          api: dict[int, list] | None = None) -> contextlib.AbstractContextManager[str]:
    """Serve the routes on 127.0.0.1 (a free port) in a thread; `with serve(...) as base_url:`."""
    return serve_handler(_handler(Table(routes, site, skin, api)))

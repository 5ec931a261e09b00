"""Loopback HTTP server for the demo portal, with the quirks real county sites have.

Quirks come from the site's manifest.json: GBK sections served with a GBK header, one GBK page whose
header lies (utf-8), a page that answers 500 once per server instance, the endless /calendar trap,
and 404 for anything missing (the planted broken link). Every file gets an ETag and Last-Modified and
conditional requests get 304, so a weekly re-crawl can be measured. `stats` logs every request.

    with serve(root) as base_url:          # base_url is a str; base_url.stats is the request log
        httpx.get(base_url + "/index.html")

Standalone: `python -m govaudit.demo.server DIR --port 8000`.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import email.utils
import hashlib
import json
import mimetypes
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

TYPES = {".html": "text/html", ".htm": "text/html", ".css": "text/css", ".txt": "text/plain",
         ".js": "application/javascript", ".png": "image/png", ".pdf": "application/pdf",
         ".xls": "application/vnd.ms-excel", ".csv": "text/csv", ".zip": "application/zip",
         ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
         ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


DATAPROXY = "/module/web/jpage/dataproxy.jsp"      # Hanweb JCMS jpage list batches (POST)
TRSAPI = "/fjdzapp/search"                          # the Fujian TRS platform's list API (POST)


@dataclass
class RequestStats:
    """Thread-safe request log: (time, method, path, status) per request, plus counts."""

    log: list[tuple[float, str, str, int]] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def record(self, method: str, path: str, status: int) -> None:
        with self._lock:
            self.log.append((time.monotonic(), method, path, status))

    def counts(self) -> Counter:
        """Requests per path (query string included)."""
        with self._lock:
            return Counter(path for _, _, path, _ in self.log)

    def statuses(self) -> Counter:
        with self._lock:
            return Counter(status for _, _, _, status in self.log)

    def count(self, path: str) -> int:
        return self.counts()[path]

    def times(self, path: str | None = None) -> list[float]:
        """Monotonic timestamps of the requests (for one path, or all): rate = len / span."""
        with self._lock:
            return [t for t, _, p, _ in self.log if path is None or p == path]

    @property
    def total(self) -> int:
        return len(self.log)

    def reset(self) -> None:
        with self._lock:
            self.log.clear()


class BaseURL(str):
    """The served site's base URL, carrying the server's request log."""

    stats: RequestStats
    server: DemoServer


class DemoServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, root: Path, host: str = "127.0.0.1", port: int = 0, latency: float = 0.0):
        self.root = Path(root).resolve()
        self.latency = latency            # seconds added to every answer: a county server's response time
        self.stats = RequestStats()
        self.failed_once: set[str] = set()
        self._etags: dict[tuple[str, float], str] = {}
        self._etag_lock = threading.Lock()
        quirks = _load_quirks(self.root)
        self.charset_prefixes: dict[str, str] = quirks.get("server", {}).get("charset_prefixes", {})
        self.hidden = set(quirks.get("server", {}).get("hidden", ["/manifest.json"]))
        self.lying = {entry["url"]: entry.get("header", "utf-8") for entry in quirks.get("lying_charset", [])}
        self.flaky = {entry["url"]: int(entry.get("fails", 1)) for entry in quirks.get("flaky", [])}
        self.trap_paths = {entry.get("path", "/calendar") for entry in quirks.get("traps", [])} or {"/calendar"}
        self.dataproxy: dict[str, list[str]] = quirks.get("server", {}).get("hanweb_dataproxy", {})
        self.trsapi: dict[str, list[dict]] = quirks.get("server", {}).get("trsapi", {})
        self.fail_counts: Counter = Counter()
        self.probe_outage = quirks.get("server", {}).get("probe_outage")     # AVL001's plant (availability_identity.py)
        self.probe_visits = 0
        # Off-site hosts the portal links to, answered by Host header (govaudit/demo/veto_plants.py).
        self.fake_hosts: dict[str, dict] = quirks.get("server", {}).get("fake_hosts", {})
        # Missing files answered with an error page and status 200, as IIS/Tomcat custom errors do (image_plant.py).
        self.soft_404 = set(quirks.get("server", {}).get("soft_404", []))
        super().__init__((host, port), DemoHandler)

    def etag(self, file: Path, mtime: float) -> str:
        key = (str(file), mtime)
        with self._etag_lock:
            if key not in self._etags:
                self._etags[key] = '"' + hashlib.sha1(file.read_bytes()).hexdigest()[:20] + '"'
            return self._etags[key]


def _load_quirks(root: Path) -> dict:
    try:
        return json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


class DemoHandler(BaseHTTPRequestHandler):
    server: DemoServer
    server_version = "DemoPortal/1.0"
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True          # headers and body go out in separate writes; avoid 40 ms delayed-ACK stalls

    def log_message(self, format: str, *args) -> None:      # noqa: A002 - stdlib signature
        pass

    def do_HEAD(self) -> None:
        self._serve(head=True)

    def do_GET(self) -> None:
        path = urlsplit(self.path).path
        if path in (DATAPROXY, TRSAPI) and (self.server.dataproxy or self.server.trsapi):
            # Like real JCMS and TRS list APIs: a GET gets an error page, never the records.
            return self._send(405, "<html><body>请求方式错误</body></html>".encode(), "text/html; charset=utf-8",
                              False, {"Allow": "POST"})
        self._serve(head=False)

    def do_POST(self) -> None:
        """The 集约化 list APIs: Hanweb jpage dataproxy.jsp batches and the Fujian TRS search API."""
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(min(length, 1 << 16)).decode("utf-8", "replace") if length > 0 else ""
        parts = urlsplit(self.path)
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        if raw.lstrip().startswith("{"):
            try:
                form = {k: str(v) for k, v in json.loads(raw).items()}
            except (ValueError, AttributeError):
                form = {}
        else:
            form = {k: v[-1] for k, v in parse_qs(raw).items()}
        fields = {**query, **form}
        if parts.path == DATAPROXY and self.server.dataproxy:
            return self._dataproxy(fields)
        if parts.path == TRSAPI and self.server.trsapi:
            return self._trsapi(fields)
        return self._error(405, False)

    def _dataproxy(self, fields: dict[str, str]) -> None:
        """Records startrecord..endrecord of a column, as jpage asks for them (1-based, inclusive)."""
        records = self.server.dataproxy.get(fields.get("columnid", ""))
        try:
            start, end = int(fields["startrecord"]), int(fields["endrecord"])
            per_page = max(1, int(fields.get("perpage") or 15))
        except (KeyError, ValueError):
            records = None
        if records is None:
            return self._send(200, b"<datastore><error>invalid</error></datastore>", "text/xml; charset=utf-8", False)
        chosen = records[max(start, 1) - 1:max(end, 0)]
        total = len(records)
        body = ('<?xml version="1.0" encoding="UTF-8"?><datastore>'
                f"<totalrecord>{total}</totalrecord><totalpage>{-(-total // per_page)}</totalpage>"
                "<recordset>" + "".join(chosen) + "</recordset></datastore>")
        self._send(200, body.encode("utf-8"), "text/xml; charset=utf-8", False)

    def _trsapi(self, fields: dict[str, str]) -> None:
        """One page of a channel (classsql 'chnlid=N', page from 1, prepage) as the platform's JSON."""
        channel = fields.get("classsql", "").partition("chnlid=")[2].strip()
        docs = self.server.trsapi.get(channel)
        try:
            page, per_page = max(1, int(fields.get("page") or 1)), max(1, int(fields.get("prepage") or 10))
        except ValueError:
            docs = None
        if docs is None:
            body = {"success": False, "msg": "参数错误", "data": None}
        else:
            chunk = docs[(page - 1) * per_page:page * per_page]
            body = {"success": True, "data": {"total": len(docs), "page": page, "rows": per_page, "docs": chunk}}
        self._send(200, json.dumps(body, ensure_ascii=False).encode("utf-8"), "application/json; charset=utf-8",
                   False)

    def _send(self, status: int, body: bytes, ctype: str, head: bool, extra: dict | None = None) -> None:
        # Logged before the response leaves, so a client that has its answer always finds it counted.
        self.server.stats.record(self.command, self.path, status)
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for key, value in (extra or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if not head and status != 304:
            self.wfile.write(body)

    def _error(self, status: int, head: bool) -> None:
        body = f"<html><body><h1>{status}</h1></body></html>".encode()
        self._send(status, body, "text/html; charset=utf-8", head)

    def _serve(self, head: bool) -> None:
        if self.server.latency:
            time.sleep(self.server.latency)
        parts = urlsplit(self.path)
        path = unquote(parts.path) or "/"
        srv = self.server
        host = (self.headers.get("Host") or "").rsplit(":", 1)[0].lower()
        if host in srv.fake_hosts:
            return self._fake_host(srv.fake_hosts[host], path, head)
        if srv.probe_outage:
            from govaudit.demo.availability_identity import probe_outage_action
            with srv._etag_lock:
                srv.probe_visits += self.headers.get("User-Agent", "").startswith("govaudit-probe")
                number = srv.probe_visits
            action = probe_outage_action(srv.probe_outage, path, self.headers.get("User-Agent", ""), number)
            if action == "drop":
                self.close_connection = True
                return
            if action:
                return self._error(int(action), head)
        if path in srv.trap_paths:
            return self._calendar(parse_qs(parts.query).get("date", [""])[0], head)
        if path.endswith("/"):
            path += "index.html"
        if path in srv.hidden or "/." in path or "\x00" in path:
            return self._error(404, head)
        file = (srv.root / path.lstrip("/")).resolve()
        if srv.root not in file.parents or not file.is_file():
            if path in srv.soft_404:
                return self._send(200, "<html><head><title>页面不存在</title></head><body>您访问的页面不存在或已被删除。"
                                  "</body></html>".encode(), "text/html; charset=utf-8", head)
            return self._error(404, head)
        if path in srv.flaky:
            with srv._etag_lock:
                srv.fail_counts[path] += 1
                failing = srv.fail_counts[path] <= srv.flaky[path]
            if failing:
                return self._error(500, head)
        stat = file.stat()
        etag = srv.etag(file, stat.st_mtime)
        modified = email.utils.formatdate(stat.st_mtime, usegmt=True)
        headers = {"ETag": etag, "Last-Modified": modified, "Cache-Control": "max-age=0"}
        ctype = self._content_type(path)
        if self._not_modified(etag, stat.st_mtime):
            return self._send(304, b"", ctype, head, headers)
        self._send(200, file.read_bytes(), ctype, head, headers)

    def _fake_host(self, pages: dict[str, dict], path: str, head: bool) -> None:
        """Another site on the same loopback server: a parked domain, a 博彩 lobby (veto_plants.fake_host_pages)."""
        page = pages.get(path)
        if page is None:
            return self._error(404, head)
        if page.get("location"):
            return self._send(int(page["status"]), b"", "text/html; charset=utf-8", head,
                              {"Location": page["location"]})
        self._send(int(page["status"]), page["body"].encode("utf-8"), "text/html; charset=utf-8", head)

    def _content_type(self, path: str) -> str:
        suffix = Path(path).suffix.lower()
        ctype = TYPES.get(suffix) or mimetypes.guess_type(path)[0] or "application/octet-stream"
        if ctype.startswith("text/"):
            if path in self.server.lying:
                return f"{ctype}; charset={self.server.lying[path]}"
            for prefix, charset in self.server.charset_prefixes.items():
                if path.startswith(prefix):
                    return f"{ctype}; charset={charset}"
            if suffix == ".csv":
                return f"{ctype}; charset=GB18030"
            return f"{ctype}; charset=utf-8"
        return ctype

    def _not_modified(self, etag: str, mtime: float) -> bool:
        match = self.headers.get("If-None-Match")
        if match is not None:
            return etag in [tag.strip() for tag in match.split(",")] or match.strip() == "*"
        since = self.headers.get("If-Modified-Since")
        if since:
            try:
                return int(mtime) <= email.utils.parsedate_to_datetime(since).timestamp()
            except (TypeError, ValueError):
                return False
        return False

    def _calendar(self, value: str, head: bool) -> None:
        """A 活动日历 page per day, each linking to the next and previous day: endless for a naive crawler."""
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            day = dt.date(2026, 1, 1)
        prev_day, next_day = day - dt.timedelta(days=1), day + dt.timedelta(days=1)
        body = (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>活动日历 {day}</title></head><body>'
                f"<h1>{day.year}年{day.month}月{day.day}日 活动安排</h1><p>当日暂无活动安排。</p>"
                f'<a href="/calendar?date={prev_day}">前一天</a> <a href="/calendar?date={next_day}">后一天</a>'
                f'<p><a href="/">返回首页</a></p></body></html>').encode()
        self._send(200, body, "text/html; charset=utf-8", head)


@contextlib.contextmanager
def serve(root: Path, host: str = "127.0.0.1", port: int = 0, latency: float = 0.0) -> Iterator[BaseURL]:
    """Serve `root` in a background thread; yields the base URL (with `.stats` and `.server`)."""
    server = DemoServer(root, host, port, latency)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), name="demo-portal", daemon=True)
    thread.start()
    base = BaseURL(f"http://{host}:{server.server_address[1]}")
    base.stats, base.server = server.stats, server
    try:
        yield base
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="在本机运行演示网站（青禾县人民政府，虚构）")
    parser.add_argument("root", type=Path, help="generator 生成的网站目录")
    parser.add_argument("--host", default="127.0.0.1", help="监听地址，默认 127.0.0.1")
    parser.add_argument("--port", type=int, default=8000, help="端口，默认 8000（0 为随机端口）")
    parser.add_argument("--latency", type=float, default=0.0, help="每次响应前等待的秒数（模拟县级服务器响应时间）")
    args = parser.parse_args(argv)
    if not (args.root / "index.html").is_file():
        parser.error(f"目录中没有 index.html：{args.root}")
    with serve(args.root, args.host, args.port, latency=args.latency) as base:
        print(f"演示网站已启动：{base}/  （按 Ctrl+C 停止）", flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

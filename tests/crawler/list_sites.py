"""Small portals whose column lists page through an API, served on 127.0.0.1 for the crawl tests.

Each site is a home page, one column list page, the list API the page's own script calls, and the
article pages. The server answers GET and POST, records every request (method, path, query, form)
and lets a test decide what each method gets, so a site can answer POST only, GET only, or neither.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl

from crawler.store import Store
from tests.loopback import LoopbackServer, Request, Response

REPO = Path(__file__).resolve().parents[2]
HTML = "text/html; charset=utf-8"
AS_OF = dt.date(2023, 3, 1)


@dataclass
class Seen:
    method: str
    path: str
    query: dict[str, str]
    form: dict[str, str]
    body: bytes


Answer = tuple[int, bytes, str]
Handler = Callable[[Seen], Answer]


@dataclass
class Article:
    url: str
    title: str
    date: dt.date


def articles(count: int, newest: dt.date, url: Callable[[dt.date, int], str],
             titles: str = "工作动态") -> list[Article]:
    """`count` articles, newest first, one every two days (distinct titles and URLs)."""
    out = []
    for i in range(count):
        date = newest - dt.timedelta(days=2 * i)
        out.append(Article(url(date, 1000 + i), f"{titles}第{count - i}期：某某镇推进重点项目建设情况", date))
    return out


def page(title: str, body: str, meta: str = "", script: str = "") -> str:
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title>'
            f'<meta name="SiteName" content="测试县人民政府">{meta}</head><body>'
            '<div class="nav"><ul><li><a href="/index.html">首页</a></li>'
            '<li><a href="{column}">{name}</a></li></ul></div>'
            f'{body}<div class="footer">测试县人民政府办公室主办</div>{script}</body></html>')


def article_page(a: Article, column_url: str, column_name: str) -> str:
    meta = f'<meta name="ArticleTitle" content="{a.title}"><meta name="PubDate" content="{a.date:%Y-%m-%d} 09:00">'
    body = (f'<div class="crumb">当前位置：<a href="/index.html">首页</a> &gt; <a href="{column_url}">{column_name}</a></div>'
            f'<div class="article"><h1>{a.title}</h1><div class="info">发布时间：{a.date:%Y-%m-%d}　来源：县政府办</div>'
            '<div class="TRS_Editor"><p>近日，某某镇召开重点项目推进会，听取各项目进展情况汇报，研究解决存在的困难和问题，'
            '要求各责任单位压实责任、倒排工期，确保项目按期建成投用。</p></div></div>')
    return page(a.title, body, meta).replace("{column}", column_url).replace("{name}", column_name)


class ListSite(LoopbackServer):
    """Serve `static` paths (GET) plus `handlers` (any method) on 127.0.0.1, recording every request."""

    def __init__(self, static: dict[str, str], handlers: dict[str, Handler]) -> None:
        super().__init__(responder=self._respond, methods=("GET", "POST"))
        self.static = static
        self.handlers = handlers
        self.seen: list[Seen] = []
        self.lock = threading.Lock()

    @property
    def url(self) -> str:
        return self.base_url

    def _respond(self, request: Request) -> Response:
        form = dict(parse_qsl(request.body.decode("utf-8", "replace"), keep_blank_values=True)) \
            if "form-urlencoded" in (request.headers.get("Content-Type") or "") else {}
        seen = Seen(request.method, request.path, dict(parse_qsl(request.query, keep_blank_values=True)), form,
                    request.body)
        with self.lock:
            self.seen.append(seen)
        path = "/index.html" if request.path == "/" else request.path
        if path in self.handlers:
            status, data, ctype = self.handlers[path](seen)
            return Response(status, data, ctype)
        if request.method == "GET" and path in self.static:
            return Response(200, self.static[path].encode("utf-8"), HTML)
        return self.not_found

    def requests_to(self, path: str) -> list[Seen]:
        with self.lock:
            return [s for s in self.seen if s.path == path]


def site_files(column_url: str, column_name: str, list_html: str, arts: list[Article]) -> dict[str, str]:
    """Home page, the column's list page and every article page."""
    home = page("测试县人民政府", '<div class="banner">测试县人民政府门户网站</div>')
    files = {"/index.html": home, column_url: list_html}
    for a in arts:
        files[a.url] = article_page(a, column_url, column_name)
    return {k: v.replace("{column}", column_url).replace("{name}", column_name) for k, v in files.items()}


@dataclass
class Crawled:
    """A finished crawl: the column as stored, the run's stats, its errors."""

    stats: dict
    columns: dict = field(default_factory=dict)      # URL -> ColumnRecord
    pages: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    output: str = ""


def crawl(site_url: str, db: Path, timeout: float = 180) -> Crawled:
    """Crawl `site_url` in a real `crawler.run` process (a Twisted reactor cannot restart inside pytest)."""
    import os

    env = dict(os.environ, PYTHONPATH=str(REPO), CI="true")
    proc = subprocess.run([sys.executable, "-m", "crawler.run", "--db", str(db), "--as-of", AS_OF.isoformat(),
                           "--delay", "0", "--concurrency", "4", site_url + "/index.html"],
                          cwd=REPO, capture_output=True, text=True, timeout=timeout, env=env)
    assert proc.returncode == 0, proc.stderr[-3000:]
    store = Store(db)
    run = store.runs()[-1]
    snapshot = store.load_snapshot(run.id)
    stats = run.stats or {}
    store.close()
    return Crawled(stats, {c.url: c for c in snapshot.columns_}, snapshot.pages_, snapshot.errors_,
                   proc.stdout + proc.stderr)


def json_answer(data: dict) -> Answer:
    return 200, json.dumps(data, ensure_ascii=False).encode("utf-8"), "application/json; charset=utf-8"

"""A small fixture portal with real CMS quirks, served on 127.0.0.1, for the crawl tests.

TRS column (index_N pages only via createPageHTML), Hanweb column (list in <script type=text/xml>),
博达 VSB column (/col.htm then /col/N.htm counting down), a GBK column behind a lying utf-8 header,
a 404 link, a page that fails with 500 once, a calendar trap, robots.txt, ETag/Last-Modified with
304 handling, and request counters so tests can see what the crawler fetched.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import subprocess
import sys
import threading
import time
from collections import Counter
from contextlib import contextmanager
from pathlib import Path

from checks.privacy import synthetic
from govaudit.demo.attachments import make_xlsx
from tests.loopback import LoopbackServer, Request, Response

REPO = Path(__file__).resolve().parents[2]
LAST_MODIFIED = "Mon, 06 Feb 2023 08:00:00 GMT"

HEAD = ('<!DOCTYPE html><html><head><meta charset="{charset}"><title>{title}</title>'
        '<meta name="SiteName" content="测试县人民政府">{meta}</head><body>'
        '<div class="nav"><ul>'
        '<li><a href="/tzgg/index.html">通知公告</a></li>'
        '<li><a href="/col/col101/index.html">部门动态</a></li>'
        '<li><a href="/zcwj.htm">政策文件</a></li>'
        '<li><a href="/gbk/index.html">乡镇动态</a></li>'
        '</ul></div>')
FOOT = '<div class="footer"><a href="/sitemap.html">网站地图</a> 测试县人民政府办公室主办</div></body></html>'


def _crumb(*parts: tuple[str, str]) -> str:
    links = " &gt; ".join(f'<a href="{u}">{n}</a>' for u, n in parts)
    return f'<div class="breadcrumb">当前位置：<a href="/index.html">首页</a> &gt; {links}</div>'


def _article(title: str, date: dt.date, crumb: str, body: str, charset: str = "utf-8", extra: str = "") -> str:
    meta = f'<meta name="ArticleTitle" content="{title}"><meta name="PubDate" content="{date:%Y-%m-%d} 09:00">'
    return (HEAD.format(charset=charset, title=title, meta=meta) + crumb
            + f'<div class="article"><h1>{title}</h1><div class="info">发布时间：{date:%Y-%m-%d}　来源：县政府办</div>'
            f'<div class="TRS_Editor"><p>{body}</p>{extra}</div></div>' + FOOT)


def _list_page(title: str, crumb: str, items: list[tuple[str, str, dt.date]], script: str = "",
               nav: str = "", meta: str = "", charset: str = "utf-8") -> str:
    lis = "".join(f'<li><a href="{u}" title="{t}">{t}</a><span>{d:%Y-%m-%d}</span></li>' for u, t, d in items)
    return (HEAD.format(charset=charset, title=title, meta=meta) + crumb
            + f'<div class="list"><ul>{lis}</ul>{nav}</div>{script}' + FOOT)


def build_site(seed: int = 7) -> tuple[dict[str, tuple[bytes, str]], dict]:
    """path -> (body, content-type); plus the expected inventory the crawl must find."""
    rng = random.Random(seed)
    files: dict[str, tuple[bytes, str]] = {}
    expect: dict = {"columns": {}, "articles": set(), "attachments": set()}
    html = "text/html; charset=utf-8"

    def put(path: str, text: str, ctype: str = html, encoding: str = "utf-8") -> None:
        files[path] = (text.encode(encoding), ctype)

    base = dt.date(2023, 1, 31)
    # --- TRS column: 3 list pages, pagination only through createPageHTML.
    trs_items = []
    for i in range(15):
        d = base - dt.timedelta(days=2 * i)
        trs_items.append((f"/tzgg/{d:%Y%m}/t{d:%Y%m%d}_{100 + i}.html", f"关于开展第{i + 1}批检查工作的通知", d))
    crumb = _crumb(("/tzgg/index.html", "通知公告"))
    for page in range(3):
        name = "index.html" if page == 0 else f"index_{page}.html"
        script = f'<script>createPageHTML(3, {page}, "index", "html");</script>'
        put(f"/tzgg/{name}", _list_page("通知公告", crumb, [(u.replace("/tzgg/", "./"), t, d)
                                       for u, t, d in trs_items[page * 5:(page + 1) * 5]], script,
                                       meta='<meta name="ColumnName" content="通知公告">'))
    for n, (u, t, d) in enumerate(trs_items):
        extra = ""
        if n == 0:
            extra = '<p>附件：<a href="P020230131_list.xlsx">公示名单.xlsx</a></p>'
            rows = [["姓名", "身份证号", "联系电话"]]
            rows += [[synthetic.person_name(rng), synthetic.id18(rng), synthetic.mobile(rng)] for _ in range(3)]
            files[f"/tzgg/{d:%Y%m}/P020230131_list.xlsx"] = (
                make_xlsx("Sheet", rows, dt.datetime.combine(d, dt.time(9))),
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            expect["attachments"].add(f"/tzgg/{d:%Y%m}/P020230131_list.xlsx")
        if n == 1:
            extra = '<p>附件：<a href="W020230129_note.csv">说明.csv</a></p>'
            files[f"/tzgg/{d:%Y%m}/W020230129_note.csv"] = ("事项,时间\n检查,2023年1月\n".encode(), "text/csv")
            expect["attachments"].add(f"/tzgg/{d:%Y%m}/W020230129_note.csv")
        put(u, _article(t, d, crumb, "为进一步做好相关工作，现将有关事项通知如下。" * 5, extra=extra))
    expect["columns"]["/tzgg/"] = {"name": "通知公告", "items": 15, "latest": base, "pages": 3}
    expect["articles"] |= {u for u, _, _ in trs_items}

    # --- Hanweb column: list records inside <script type="text/xml">.
    han_items = []
    for i in range(6):
        d = base - dt.timedelta(days=5 + 7 * i)
        han_items.append((f"/art/{d.year}/{d.month}/{d.day}/art_101_{500 + i}.html", f"县农业农村局召开第{i + 1}次会议", d))
    records = "".join(f'<record><![CDATA[<li><a href="{u}">{t}</a><span>{d:%Y-%m-%d}</span></li>]]></record>'
                      for u, t, d in han_items)
    crumb = _crumb(("/col/col101/index.html", "部门动态"))
    put("/col/col101/index.html",
        HEAD.format(charset="utf-8", title="部门动态", meta='<meta name="ColumnName" content="部门动态">') + crumb
        + f'<div id="list"><script type="text/xml"><datastore><recordset>{records}</recordset></datastore>'
        '</script></div>' + FOOT)
    for u, t, d in han_items:
        put(u, _article(t, d, crumb, "会议研究部署了近期重点工作任务。" * 6))
    expect["columns"]["/col/col101/"] = {"name": "部门动态", "items": 6, "latest": han_items[0][2],
                                                   "pages": 1}
    expect["articles"] |= {u for u, _, _ in han_items}

    # --- 博达 VSB column: /zcwj.htm, then /zcwj/2.htm and /zcwj/1.htm.
    vsb_items = []
    for i in range(12):
        d = base - dt.timedelta(days=30 + 10 * i)
        vsb_items.append((f"/info/1025/{2000 - i}.htm", f"测试县人民政府关于印发第{i + 1}号文件的通知", d))
    crumb = _crumb(("/zcwj.htm", "政策文件"))
    pages = ["/zcwj.htm", "/zcwj/2.htm", "/zcwj/1.htm"]
    for p, path in enumerate(pages):
        nav = ('<div class="pb_sys_common">共12条 1/3 <a href="/zcwj/2.htm">下页</a> <a href="/zcwj/1.htm">尾页</a></div>'
               if p == 0 else f'<div class="pb_sys_common"><a href="/zcwj.htm">首页</a> {p + 1}/3</div>')
        if p == 1:
            nav += ' <a href="/zcwj/1.htm">下页</a>'
        put(path, _list_page("政策文件", crumb, vsb_items[p * 4:(p + 1) * 4], nav=nav))
    for u, t, d in vsb_items:
        put(u, _article(t, d, crumb, "各乡镇人民政府，县直各单位：现将文件印发给你们，请认真贯彻执行。" * 4))
    expect["columns"]["/zcwj.htm"] = {"name": "政策文件", "items": 12, "latest": vsb_items[0][2], "pages": 3}
    expect["articles"] |= {u for u, _, _ in vsb_items}

    # --- GBK column served with a lying "charset=utf-8" header.
    gbk_items = []
    for i in range(4):
        d = base - dt.timedelta(days=3 + 4 * i)
        gbk_items.append((f"/gbk/{d:%Y%m}/t{d:%Y%m%d}_{700 + i}.html", f"城关镇开展第{i + 1}次环境整治行动", d))
    crumb = _crumb(("/gbk/index.html", "乡镇动态"))
    put("/gbk/index.html", _list_page("乡镇动态", crumb, [(u, t, d) for u, t, d in gbk_items], charset="gbk",
                                      meta='<meta name="ColumnName" content="乡镇动态">'), encoding="gbk")
    for u, t, d in gbk_items:
        put(u, _article(t, d, crumb, "镇党委镇政府高度重视人居环境整治工作。" * 5, charset="gbk"), encoding="gbk")
    expect["columns"]["/gbk/"] = {"name": "乡镇动态", "items": 4, "latest": gbk_items[0][2], "pages": 1}
    expect["articles"] |= {u for u, _, _ in gbk_items}

    # --- home, site map, hazards.
    latest = "".join(f'<li><a href="{u}">{t}</a><span>{d:%Y-%m-%d}</span></li>' for u, t, d in trs_items[:3])
    put("/index.html", HEAD.format(charset="utf-8", title="测试县人民政府", meta="")
        + f'<div class="news"><ul>{latest}</ul></div>'
        '<div class="links"><a href="/about/flaky.html">机构概况</a> <a href="/about/missing.html">领导信息</a> <a href="/about/moved.html">旧版</a> '
        '<a href="/calendar.html?year=2023&amp;month=1">活动日历</a> <a href="/private/secret.html">内部</a></div>'
        + FOOT)
    put("/sitemap.html", HEAD.format(charset="utf-8", title="网站地图", meta="")
        + '<div class="sitemap"><h2>网站地图</h2><ul><li><a href="/tzgg/index.html">通知公告</a></li>'
        '<li><a href="/col/col101/index.html">部门动态</a></li><li><a href="/zcwj.htm">政策文件</a></li>'
        '<li><a href="/gbk/index.html">乡镇动态</a></li></ul></div>' + FOOT)
    put("/about/flaky.html", _article("机构概况", dt.date(2022, 6, 1), "", "测试县人民政府是县级国家行政机关。" * 10))
    put("/private/secret.html", _article("内部", dt.date(2022, 6, 1), "", "不应被抓取。" * 40))
    put("/robots.txt", "User-agent: *\nDisallow: /private/\n", "text/plain")
    expect["articles"].add("/about/flaky.html")
    return files, expect


class SiteServer(LoopbackServer):
    """Serve `files` on 127.0.0.1 with ETag/Last-Modified, 304s, a 500-once page and a calendar trap."""

    def __init__(self, files: dict[str, tuple[bytes, str]], latency: float = 0.0) -> None:
        super().__init__(responder=self._respond)
        self.files = files
        self.latency = latency
        self.hits: Counter[str] = Counter()           # 200 responses per path (+query)
        self.not_modified: Counter[str] = Counter()
        self.requests: Counter[str] = Counter()
        self.flaky_failed: set[str] = set()
        self.lock = threading.Lock()

    @property
    def url(self) -> str:
        return self.base_url

    def _respond(self, request: Request) -> Response:
        path, key = request.path, request.key
        with self.lock:
            self.requests[key] += 1
        if self.latency and path.endswith((".html", ".htm")):
            time.sleep(self.latency)
        if path == "/about/flaky.html":
            with self.lock:
                first = path not in self.flaky_failed
                self.flaky_failed.add(path)
            if first:
                return Response(500, b"busy", "text/plain")
        if path == "/about/moved.html":              # an old URL that now redirects off the site
            return Response(302, b"", None, {"Location": "http://bc.example.invalid/landing"})
        if path == "/calendar.html":
            month = int(dict(p.split("=") for p in request.query.split("&")).get("month", 1))
            body = f'<html><body><a href="/calendar.html?year=2023&month={month + 1}">下月</a></body></html>'
            return self._ok(key, body.encode(), "text/html; charset=utf-8")
        if path == "/":
            path = "/index.html"
        if path not in self.files:
            return Response(404, b"<html><body>404 Not Found</body></html>", "text/html")
        body, ctype = self.files[path]
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        if request.headers.get("If-None-Match") == etag or (
                request.headers.get("If-Modified-Since") == LAST_MODIFIED and not request.headers.get("If-None-Match")):
            with self.lock:
                self.not_modified[key] += 1
            return Response(304, b"", None, {"ETag": etag})
        return self._ok(key, body, ctype, {"ETag": etag, "Last-Modified": LAST_MODIFIED})

    def _ok(self, key: str, body: bytes, ctype: str, headers: dict[str, str] | None = None) -> Response:
        with self.lock:
            self.hits[key] += 1
        return Response(200, body, ctype, headers or {})


def html_files(pages: dict[str, str]) -> dict[str, tuple[bytes, str]]:
    """SiteServer files from path -> HTML (UTF-8), each `/x/index.html` also served as `/x/`, as CMSs do."""
    files = {path: (html.encode("utf-8"), "text/html; charset=utf-8") for path, html in pages.items()}
    for path in list(files):
        if path.endswith("/index.html") and path != "/index.html":
            files[path[: -len("index.html")]] = files[path]
    return files


@contextmanager
def crawled_snapshot(files: dict[str, tuple[bytes, str]], db: Path):
    """Crawl `files` from /index.html into `db` (a crawler subprocess) and give the run's stored snapshot."""
    from crawler.store import Store

    with SiteServer(files) as server:
        result = run_crawl_subprocess(server.url + "/index.html", db, timeout=120)
        assert result.returncode == 0, result.stderr
    store = Store(db)
    try:
        yield store.load_snapshot(1)
    finally:
        store.close()


@contextmanager
def serve_site(latency: float = 0.0, seed: int = 7):
    files, expect = build_site(seed)
    with SiteServer(files, latency) as server:
        yield server, expect


def crawl_command(url: str | None, db: Path, *extra: str) -> list[str]:
    """The subprocess command for one crawl (a Twisted reactor cannot restart inside pytest)."""
    cmd = [sys.executable, "-m", "crawler.run", "--db", str(db), "--as-of", "2023-02-01",
           "--delay", "0", "--concurrency", "4", *extra]
    return cmd + ([url] if url else [])


def run_crawl_subprocess(url: str | None, db: Path, *extra: str, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run(crawl_command(url, db, *extra), cwd=REPO, capture_output=True, text=True,
                          timeout=timeout, env=_env())


def _env() -> dict:
    import os

    env = dict(os.environ)
    env["CI"] = "true"
    env["PYTHONPATH"] = str(REPO)
    return env


def popen_crawl(url: str | None, db: Path, *extra: str) -> subprocess.Popen:
    return subprocess.Popen(crawl_command(url, db, *extra), cwd=REPO, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=_env())

"""A query percent-escaped in GBK (`ShowClass.asp?ClassName=%D5%FE%CE%F1%B9%AB%BF%AA`, as old ASP/JSP portals link
their columns and 站内搜索 words) keeps its bytes: read as UTF-8 it became U+FFFD, was requested as `%EF%BF%BD…`
(a page that exists nowhere, counted dead) and every GBK value of a parameter collapsed into one URL."""

from __future__ import annotations

import sqlite3
from urllib.parse import parse_qsl, quote, unquote_to_bytes, urlencode

import pytest

from crawler.urls import canonicalize
from tests.crawler.test_spider_site import run_crawl_subprocess
from tests.loopback import LoopbackServer, Request, Response

SITE = "http://www.lf.gov.cn"
# Each of these, read as UTF-8 with replacement, was the same `%EF%BF%BD` × 4: one page instead of three.
COLUMNS = ("公告", "新闻", "财政")


def gbk(text: str) -> str:
    """The percent-escapes a GBK page's link carries for `text`."""
    return quote(text.encode("gbk"))


def test_gbk_query_keeps_its_bytes():
    url = f"{SITE}/Article/ShowClass.asp?ClassName={gbk('政务公开')}&page=2"
    assert gbk("政务公开") == "%D5%FE%CE%F1%B9%AB%BF%AA"
    # (an ASP page's path is kept lower-case: IIS matches paths without case, crawler/urls.py)
    assert canonicalize(url) == f"{SITE}/article/showclass.asp?ClassName=%D5%FE%CE%F1%B9%AB%BF%AA&page=2"
    assert canonicalize(f"{SITE}/search.asp?page=2&keyword=%D5%FE%B8%AE") == f"{SITE}/search.asp?keyword=%D5%FE%B8%AE&page=2"


def test_distinct_gbk_values_stay_distinct_pages():
    urls = {canonicalize(f"{SITE}/Article/ShowClass.asp?ClassName={gbk(name)}") for name in COLUMNS}
    assert len(urls) == len(COLUMNS)


@pytest.mark.parametrize("url", [
    f"{SITE}/list.jsp?b=2&a=1&utm_source=x", f"{SITE}/s.jsp?q=%E6%94%BF%E5%BA%9C", f"{SITE}/s.jsp?q=政府 公开&x=",
    f"{SITE}/s.jsp?q=a+b&q=c%2Bd&empty", f"{SITE}/s.jsp?t=1700000000&id=3", f"{SITE}/s.jsp?%E5%90%8D=%E5%80%BC",
    f"{SITE}/s.jsp?a=%2F%26%3D%3F",
])
def test_utf8_and_ascii_queries_keep_their_former_canonical_form(url):
    """Addresses the store already holds (findings' fingerprints) must not move: the former form, computed here."""
    former = canonicalize(url.split("?")[0]) + "?" + urlencode(sorted(
        (k, v) for k, v in parse_qsl(url.split("?", 1)[1], keep_blank_values=True)
        if not (k in ("utm_source",) or (k == "t" and v.isdigit()))))
    assert canonicalize(url) == former


def _gbk_portal() -> dict[str, bytes]:
    """An old GBK portal whose menu reaches each column by a GBK-escaped ClassName."""
    head = '<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"><title>{}</title></head><body>'
    menu = "<table><tr>" + "".join(f'<td><a href="/Article/ShowClass.asp?ClassName={gbk(n)}">{n}</a></td>'
                                    for n in COLUMNS) + "</tr></table>"
    pages = {"/": head.format("岚峰县人民政府") + menu + "<p>网站标识码：3361000061</p></body></html>"}
    for c, name in enumerate(COLUMNS):
        rows = "".join(f'<tr><td><a href="/Article/ShowArticle.asp?ArticleID={c}{i}">{name}工作动态第{i}期</a></td>'
                       f'<td>2026-11-{10 + i:02d}</td></tr>' for i in range(1, 5))
        pages[f"/Article/ShowClass.asp?ClassName={name}"] = (
            head.format(name) + menu + f"<div>当前位置：<a href='/'>首页</a> &gt;&gt; {name}</div><table>{rows}</table>"
            + "</body></html>")
        for i in range(1, 5):
            pages[f"/Article/ShowArticle.asp?ArticleID={c}{i}"] = (
                head.format(f"{name}工作动态第{i}期") + f"<h1>{name}工作动态第{i}期</h1><p>发布时间：2026-11-{10 + i:02d}</p>"
                + "<div id='zoom'>" + "本期工作动态正文。" * 40 + "</div></body></html>")
    return {key: text.encode("gbk") for key, text in pages.items()}


def test_crawl_reaches_columns_linked_by_gbk_queries(tmp_path):
    pages = _gbk_portal()
    served = {key.partition("?")[0].lower() + key[len(key.partition("?")[0]):]: body for key, body in pages.items()}

    def respond(request: Request) -> Response:
        # The server decodes the query as the site's CMS does: GBK bytes, nothing else; IIS matches the path
        # without case.
        try:
            query = unquote_to_bytes(request.query).decode("gbk") if request.query else ""
        except UnicodeDecodeError:
            query = "\ufffd"
        body = served.get(request.path.lower() + (f"?{query}" if query else ""))
        if body is None:
            return Response(404, b"<html><body>404 Not Found</body></html>", "text/html")
        return Response(200, body, "text/html; charset=gb2312")

    db = tmp_path / "crawl.sqlite"
    with LoopbackServer(responder=respond) as server:
        proc = run_crawl_subprocess(server.base_url + "/", db, timeout=120)
        base = server.base_url
    assert proc.returncode == 0, proc.stderr[-2000:]
    store = sqlite3.connect(db)
    columns = {url for (url,) in store.execute("select url from columns")}
    expected = {f"{base}/article/showclass.asp?ClassName={gbk(n)}" for n in COLUMNS}
    assert expected <= columns
    dead = store.execute("select target_url from links where status >= 400").fetchall()
    assert dead == []
    articles = store.execute("select count(*) from pages where kind = 'article'").fetchone()[0]
    assert articles == 12

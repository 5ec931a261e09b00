"""Spider callbacks and middlewares on hand-built responses: no server, no reactor, milliseconds."""

from __future__ import annotations

import datetime as dt

from scrapy import Request
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from crawler.middlewares import CharsetFixMiddleware, ConditionalRequestMiddleware, OffsiteRedirectMiddleware
from crawler.profile import SiteProfile
from crawler.records import ColumnRecord, LinkRecord, PageRecord
from crawler.spiders.portal import PortalSpider

SITE = "http://www.test.gov.cn"


def _spider(profile: SiteProfile | None = None, **kwargs) -> PortalSpider:
    crawler = get_crawler(PortalSpider, {"GOVAUDIT_MAX_PAGES": 0})
    crawler.stats.open_spider()
    return PortalSpider.from_crawler(crawler, start_url=SITE + "/", profile=profile, **kwargs)


def _response(url: str, html: str, kind: str = "list", encoding: str = "utf-8", header: str | None = None,
              **meta) -> HtmlResponse:
    request = Request(url, meta={"kind": kind, "target": url, "source": None, **meta})
    headers = {"Content-Type": f"text/html; charset={header or encoding}"}
    return HtmlResponse(url, body=html.encode(encoding), headers=headers, request=request)


def test_charset_fix_redecodes_gbk_body_behind_utf8_header():
    spider = _spider()
    middleware = CharsetFixMiddleware(spider.crawler)
    html = '<html><head><meta charset="gbk"><title>乡镇动态</title></head><body>城关镇环境整治</body></html>'
    response = _response(SITE + "/a.html", html, encoding="gbk", header="utf-8")
    assert "\ufffd" in response.text
    fixed = middleware.process_response(response.request, response)
    assert "城关镇环境整治" in fixed.text and fixed.encoding == "gb18030"
    honest = _response(SITE + "/b.html", html.replace("gbk", "utf-8"))
    assert middleware.process_response(honest.request, honest) is honest


def test_conditional_headers_only_for_articles_and_attachments():
    class FakeStore:
        def previous_version(self, site_url, url, before_run):
            return {"run_id": 1, "etag": '"abc"', "last_modified": "Mon, 06 Feb 2023 08:00:00 GMT",
                    "sha256": "0", "record": PageRecord(url=url)}

    spider = _spider(store=FakeStore(), run_id=2)
    spider.crawler.spider = spider
    middleware = ConditionalRequestMiddleware(spider.crawler)
    article = Request(SITE + "/t1.html", meta={"kind": "article", "target": SITE + "/t1.html"})
    middleware.process_request(article)
    assert article.headers[b"If-None-Match"] == b'"abc"'
    assert article.meta["prev_version"]["run_id"] == 1
    listing = Request(SITE + "/index.html", meta={"kind": "list", "target": SITE + "/index.html"})
    middleware.process_request(listing)
    assert b"If-None-Match" not in listing.headers


def test_a_page_stored_as_a_list_is_fetched_in_full_whatever_link_reaches_it():
    """A list page first reached this week through an article's body link (kind "other") must not be asked
    conditionally: a 304 would replay it as a plain page and its column would vanish from the run (seen on the
    demo portal's 县政府文件 when items were processed in another order)."""
    stored_kind = {}

    class FakeStore:
        def previous_version(self, site_url, url, before_run):
            return {"run_id": 1, "etag": '"abc"', "last_modified": "Mon, 06 Feb 2023 08:00:00 GMT",
                    "sha256": "0", "record": PageRecord(url=url, kind=stored_kind[url])}

    spider = _spider(store=FakeStore(), run_id=2)
    spider.crawler.spider = spider
    middleware = ConditionalRequestMiddleware(spider.crawler)
    for path, kind, conditional in (("/zcwj/xzfwj/index.html", "list", False), ("/index.html", "home", False),
                                    ("/zcwj/xzfwj/t1.html", "article", True), ("/about.html", "other", True)):
        stored_kind[SITE + path] = kind
        request = Request(SITE + path, meta={"kind": "other", "target": SITE + path})
        middleware.process_request(request)
        assert (b"If-None-Match" in request.headers) is conditional, path
        assert (b"If-Modified-Since" in request.headers) is conditional, path


def test_offsite_redirect_is_not_followed():
    spider = _spider()
    spider.crawler.spider = spider
    middleware = OffsiteRedirectMiddleware(spider.crawler)
    request = Request(SITE + "/old.html")
    response = HtmlResponse(SITE + "/old.html", status=302, headers={"Location": "http://bc.example.com/x"},
                            request=request)
    middleware.process_response(request, response)
    assert request.meta["dont_redirect"] is True
    inside = Request(SITE + "/old2.html")
    middleware.process_response(inside, HtmlResponse(SITE + "/old2.html", status=302,
                                                     headers={"Location": "/new.html"}, request=inside))
    assert "dont_redirect" not in inside.meta


def test_profile_selectors_types_departments_and_excludes():
    profile = SiteProfile(selectors={"list": "div.item", "content": "div.zw"},
                          column_types={"/lm/": "办事服务"}, departments={"便民服务": "县政务服务中心"},
                          exclude=[r"/lm/skip"])
    spider = _spider(profile)
    html = ("<html><head><title>便民服务</title></head><body>"
            + "".join(f'<div class="item"><a href="/lm/{i}.html">事项{i}</a><em>2023年1月{i + 1}日</em></div>'
                      for i in range(3))
            + '<div class="item"><a href="/lm/skip.html">跳过</a><em>2023-01-09</em></div></body></html>')
    out = list(spider.parse_html(_response(SITE + "/lm/", html, hint={"name": "便民服务", "level": 1})))
    column = [x for x in out if isinstance(x, ColumnRecord)][-1]
    assert column.items == 4 and column.latest == dt.date(2023, 1, 9)
    assert (column.type, column.type_source, column.department) == ("办事服务", "profile", "县政务服务中心")
    requested = {r.url for r in out if isinstance(r, Request)}
    assert {SITE + f"/lm/{i}.html" for i in range(3)} <= requested
    assert SITE + "/lm/skip.html" not in requested
    page = [x for x in out if isinstance(x, PageRecord)][-1]
    assert page.kind == "list"


def test_links_get_status_once_target_is_fetched():
    spider = _spider()
    pending = list(spider._link(SITE + "/a.html", SITE + "/b.html", "page"))
    assert pending == [LinkRecord(SITE + "/a.html", SITE + "/b.html", None, None, "page")]
    resolved = list(spider._outcome(SITE + "/b.html", 404, None))
    assert resolved == [LinkRecord(SITE + "/a.html", SITE + "/b.html", 404, None, "page")]
    later = list(spider._link(SITE + "/c.html", SITE + "/b.html", "page"))
    assert later[0].status == 404


def test_pagination_urls_map_to_their_column():
    spider = _spider()
    assert spider._column_key(SITE + "/tzgg/index_3.html") == SITE + "/tzgg/"
    # one column per canonical URL: a directory and its index file are the same column page
    assert spider._column_key(SITE + "/tzgg/index.html") == spider._column_key(SITE + "/tzgg/") == SITE + "/tzgg/"
    assert spider._column_key(SITE + "/tzgg/default.htm") == SITE + "/tzgg/"
    assert spider._column_key(SITE + "/list.jsp?cid=5&page=2") == SITE + "/list.jsp?cid=5"
    assert spider._column_key(SITE + "/info/1025/61695.htm") == SITE + "/info/1025/61695.htm"


def test_max_pages_stops_scheduling_pages_but_not_attachments():
    spider = _spider(max_pages=2)
    got = []
    for i in range(5):
        got += [r for r in spider._follow(SITE + f"/p{i}.html", SITE + "/", "other", 5) if isinstance(r, Request)]
    got += [r for r in spider._follow(SITE + "/f.pdf", SITE + "/", "attachment", 0) if isinstance(r, Request)]
    assert [r.url for r in got] == [SITE + "/p0.html", SITE + "/p1.html", SITE + "/f.pdf"]


def test_resume_replays_long_link_chains_without_recursion():
    """A resumed run replays stored pages' outlinks from a queue: 5,000 chained pages, no RecursionError."""
    n = 5000

    class ChainStore:
        def outlinks(self, run_id, url):
            i = int(url.rsplit("/p", 1)[1].split(".")[0])
            return [LinkRecord(url, SITE + f"/p{i + 1}.html", 200, None, "page")] if i + 1 < n else []

    spider = _spider(store=ChainStore(), run_id=1)
    spider.done = {SITE + f"/p{i}.html": PageRecord(url=SITE + f"/p{i}.html") for i in range(n - 1)}
    out = list(spider._batched(spider._follow(SITE + "/p0.html", SITE + "/", "other", 5)))
    requests = [r for r in out if isinstance(r, Request)]
    assert [r.url for r in requests] == [SITE + f"/p{n - 1}.html"]     # only the one page not yet stored
    assert spider.crawler.stats.get_value("govaudit/resume_skipped") == n - 1

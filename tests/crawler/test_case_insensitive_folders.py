"""IIS finds files in any letter case: one upper-case link in a template (`/NEWS/ZWYW/…`) must not make the crawl
read the whole site a second time in upper case (the blind portal, seed 91: every 新闻中心 column judged twice,
二次 stale, a dead link reported twice). Folders are asked for in lower case on a server that says it is IIS;
file names keep their case; other servers are left alone."""

from __future__ import annotations

from collections import Counter
from types import SimpleNamespace

from scrapy.http import HtmlResponse, Request

from crawler.middlewares import CaseInsensitiveFoldersMiddleware, fold_folders


def _middleware() -> CaseInsensitiveFoldersMiddleware:
    stats = Counter()
    crawler = SimpleNamespace(stats=SimpleNamespace(inc_value=lambda key, n=1: stats.update({key: n})), spider=None)
    return CaseInsensitiveFoldersMiddleware(crawler)


def _answer(middleware, url: str, server: bytes | None) -> None:
    headers = {b"Server": server} if server else {}
    middleware.process_response(Request(url), HtmlResponse(url, body=b"<html></html>", headers=headers))


def test_fold_folders_keeps_file_names_escapes_and_queries_out_of_it():
    assert fold_folders("/NEWS/ZWYW/2026/1128/4916.HTML") == "/news/zwyw/2026/1128/4916.HTML"
    assert fold_folders("/xxgk/uploadfile/2026/0731/W020260731376840.pdf") == "/xxgk/uploadfile/2026/0731/W020260731376840.pdf"
    assert fold_folders("/Upload/%E9%99%84%E4%BB%B6/A.doc") == "/upload/%E9%99%84%E4%BB%B6/A.doc"
    assert fold_folders("/") == "/"
    assert fold_folders("Index.html") == "Index.html"


def test_an_iis_site_upper_case_folders_are_asked_for_in_lower_case():
    middleware = _middleware()
    _answer(middleware, "http://www.qs.gov.cn/", b"Microsoft-IIS/7.5")
    moved = middleware.process_request(Request("http://www.qs.gov.cn/NEWS/tpxw/index.html?A=B"))
    assert moved is not None and moved.url == "http://www.qs.gov.cn/news/tpxw/index.html?A=B"
    assert middleware.process_request(moved) is None                     # already folded: no loop
    assert middleware.process_request(Request("http://www.qs.gov.cn/news/zwyw/")) is None


def test_other_servers_and_other_hosts_are_left_alone():
    middleware = _middleware()
    _answer(middleware, "http://www.qs.gov.cn/", b"nginx/1.18.0")
    assert middleware.process_request(Request("http://www.qs.gov.cn/NEWS/tpxw/")) is None
    _answer(middleware, "http://iis.example.gov.cn/", b"Microsoft-IIS/10.0")
    assert middleware.process_request(Request("http://www.qs.gov.cn/NEWS/tpxw/")) is None
    assert middleware.process_request(Request("http://iis.example.gov.cn/NEWS/tpxw/")).url == "http://iis.example.gov.cn/news/tpxw/"

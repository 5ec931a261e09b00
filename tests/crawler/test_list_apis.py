"""Lists that page through an API: Hanweb jpage dataproxy.jsp (POST, as real JCMS answers) and the Fujian
集约化 TRS `listModel` (trsapi JSON). The crawl must read each list to its last record, and say so
when it cannot: fetched ÷ listed in the run stats, an unread column and an error otherwise."""

from __future__ import annotations

import datetime as dt
import json
import re
from urllib.parse import quote

import pytest

from crawler.extract.lists import api_entries
from crawler.listapi import SeenRequest, fujian_trs_api, hanweb_api, replay_api
from crawler.spiders.portal import UNREAD_API
from tests.crawler.list_sites import HTML, Article, ListSite, articles, crawl, json_answer, page, site_files
from tests.needs import reference_file

NEWEST = dt.date(2023, 2, 27)
JCMS_FORM = ("col", "appid", "webid", "path", "columnid", "sourceContentType", "unitid", "webname", "permissiontype")


# ------------------------------------------------------------------ Hanweb 大汉 JCMS jpage
def _hanweb_url(date: dt.date, n: int) -> str:
    return f"/art/{date.year}/{date.month}/{date.day}/art_101_{n}.html"


def _record(a: Article) -> str:
    return (f'<record><![CDATA[<li><a href="{a.url}" target="_blank" title="{a.title}">{a.title}</a>'
            f'<span class="bt-data-time">[{a.date:%m-%d}]</span></li>]]></record>')


NEXTGROUP = ('<nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&webid=3185&path=/&columnid=101'
             f'&unitid=4985&webname={quote("测试县人民政府")}&permissiontype=0"></a>]]></nextgroup>')


def hanweb_list(arts: list[Article], embedded: int, with_ajax_param: bool) -> str:
    """A JCMS column page: the first records as <datastore> XML, the rest left to jpage's dataproxy calls."""
    ajax = (",ajaxParam:{col:1,appid:1,webid:3185,path:'/',columnid:101,sourceContentType:1,unitid:'4985',"
            "webname:'测试县人民政府',permissiontype:0}") if with_ajax_param else ""
    records = "\n".join(_record(a) for a in arts[:embedded])
    body = ('<div id="hiddenLocation"><a href="/index.html">首页</a><a href="/col/col101/index.html">部门动态</a></div>'
            '<div class="bt-title">部门动态</div><div id="4985"><script type="text/xml"><datastore>'
            f'{NEXTGROUP}<recordset>\n{records}\n</recordset></datastore></script></div>'
            '<script language="javascript" src="/module/jslib/jquery/jpage/jquery.jpage.js"></script>'
            f"<script>$(document).ready(function(){{$('#4985').jpage({{dataStore:dataStore,totalRecord:{len(arts)},"
            f"perPage:15,proxyUrl:'/module/web/jpage/dataproxy.jsp',groupSize:3{ajax}}});}});</script>")
    return page("部门动态 测试县人民政府", body, '<meta name="ColumnName" content="部门动态">')


def dataproxy(arts: list[Article], methods: set[str]):
    """dataproxy.jsp answering `methods` with the requested batch; otherwise real JCMS's answers: GET gives
    the first batch again (what a crawler that ignores the POST sees), anything else an error page."""
    def answer(seen) -> tuple[int, bytes, str]:
        if seen.method not in methods:
            if seen.method == "GET" and "GET" not in methods and "POST" in methods:
                start, end = 1, 45
            else:
                return (405 if seen.method == "POST" else 200), "<html><body>系统繁忙</body></html>".encode(), HTML
        else:
            fields = seen.form if seen.method == "POST" else seen.query
            if fields.get("columnid") != "101" or fields.get("unitid") != "4985" or fields.get("webid") != "3185":
                return 200, "<html><body>参数错误</body></html>".encode(), HTML
            start, end = int(seen.query["startrecord"]), int(seen.query["endrecord"])
        records = "\n".join(_record(a) for a in arts[start - 1:end])
        xml = (f'<?xml version="1.0" encoding="UTF-8"?><datastore>{NEXTGROUP}<totalrecord>{len(arts)}</totalrecord>'
               f"<recordset>{records}</recordset></datastore>")
        return 200, xml.encode("utf-8"), "text/xml;charset=UTF-8"
    return answer


def hanweb_site(methods: set[str], with_ajax_param: bool = True, total: int = 160) -> tuple[ListSite, list[Article]]:
    arts = articles(total, NEWEST, _hanweb_url)
    files = site_files("/col/col101/index.html", "部门动态", hanweb_list(arts, 45, with_ajax_param), arts)
    return ListSite(files, {"/module/web/jpage/dataproxy.jsp": dataproxy(arts, methods)}), arts


def _column(crawled, name: str):
    found = [c for c in crawled.columns.values() if c.name == name]
    assert len(found) == 1, [(c.url, c.name) for c in crawled.columns.values()]
    return found[0]


def _coverage_row(crawled, column):
    rows = [r for r in crawled.stats["list_coverage"]["columns"] if r["url"] == column.url]
    assert len(rows) == 1, crawled.stats["list_coverage"]
    return rows[0]


def test_hanweb_dataproxy_answering_post_only_is_read_to_the_last_record(tmp_path):
    site, arts = hanweb_site({"POST"})
    with site:
        crawled = crawl(site.url, tmp_path / "s.sqlite")
        calls = site.requests_to("/module/web/jpage/dataproxy.jsp")
    column = _column(crawled, "部门动态")
    assert column.unread_reason is None
    assert column.items == len(arts) == 160
    assert column.latest == NEWEST
    # Batches of 3 pages × 15 after the 45 embedded records: 46-90, 91-135, 136-160, each POSTed once as jpage does.
    assert sorted((c.method, c.query["startrecord"], c.query["endrecord"]) for c in calls) == [
        ("POST", "136", "160"), ("POST", "46", "90"), ("POST", "91", "135")]
    for call in calls:
        assert list(call.form)[:len(JCMS_FORM)] == list(JCMS_FORM)
        assert call.form["webname"] == "测试县人民政府" and call.form["permissiontype"] == "0"
    coverage = crawled.stats["list_coverage"]
    row = _coverage_row(crawled, column)
    assert (row["listed"], row["declared"], row["complete"]) == (160, 160, True)
    assert row["fetched"] / row["listed"] >= 0.99 and coverage["ratio"] >= 0.99
    stored = {p.url for p in crawled.pages if p.column_url == column.url and p.kind == "article"}
    assert {site.url + a.url for a in arts} <= stored


def test_hanweb_site_refusing_post_is_read_by_get_with_the_same_fields(tmp_path):
    site, arts = hanweb_site({"GET"}, with_ajax_param=False, total=130)
    with site:
        crawled = crawl(site.url, tmp_path / "s.sqlite")
        calls = site.requests_to("/module/web/jpage/dataproxy.jsp")
    column = _column(crawled, "部门动态")
    assert column.unread_reason is None and column.items == 130 and column.latest == NEWEST
    gets = [c for c in calls if c.method == "GET"]
    assert len([c for c in calls if c.method == "POST"]) == len(gets) == 2          # 46-90, 91-130
    assert all(c.query["columnid"] == "101" and c.query["unitid"] == "4985" for c in gets)
    assert _coverage_row(crawled, column)["fetched"] == 130


def test_hanweb_api_that_answers_nothing_leaves_the_column_unread_and_says_why(tmp_path):
    site, arts = hanweb_site(set())
    with site:
        crawled = crawl(site.url, tmp_path / "s.sqlite")
    column = _column(crawled, "部门动态")
    assert column.unread_reason == UNREAD_API                    # freshness gives such a column no verdict
    row = _coverage_row(crawled, column)
    assert (row["listed"], row["entries"], row["complete"]) == (160, 45, False)
    assert row["fetched"] == 45 and crawled.stats["list_coverage"]["incomplete_columns"] >= 1
    assert any(UNREAD_API in e.message for e in crawled.errors)


# ------------------------------------------------------------------ Fujian 集约化 TRS listModel
def _fujian_url(date: dt.date, n: int) -> str:
    return f"/zwgk/zfxxgk/zfxxgknb/{date:%Y%m}/t{date:%Y%m%d}_{n}.htm"


def fujian_list(arts: list[Article], prepage: int) -> str:
    """The shape of shared/reference/samples/list_pingtan_gov_cn_fujian_trs_jiyue_zfxxgknb.html: static <dl>
    entries for page 1, an avalon ms-repeat template, a pager injected from a template, listModel(…)."""
    static = "".join(
        f'<dl><dd class="trt-col-sm-24 text_align_left"><a href=".{a.url[len("/zwgk/zfxxgk/zfxxgknb"):]}" '
        f'target="_blank" title="{a.title}">{a.title}</a></dd>'
        f'<dd class="trt-col-4 text_align_left">{a.date:%Y-%m-%d}</dd></dl>' for a in arts[:prepage])
    body = (f'<div class="rules_tabs_01" ms-visible="showStatic">{static}</div>'
            '<div class="rules_tabs_01 rules_tabs_no_bg" ms-visible="!showStatic" style="display: none">'
            '<dl ms-if="list.length>0" ms-repeat="list" ms-if-loop="$index<10"><dd>'
            '<a ms-attr-href="el.chnldocurl" ms-attr-title="el.doctitle" ms-text="el.doctitle|html"></a></dd>'
            "<dd ms-text=\"el.docreltime|date('yyyy-MM-dd')\"></dd></dl></div>"
            '<div class="page_base mar_t_base" ms-controller="list_pagebar" ms-include-src="pgTemp" '
            'ms-if="pageCount>0"></div>')
    script = ("<script>var SiteInfo = {itpSiteId: 21, searchId: 200210, defaultPgTemp: \"pgBar_pt.html\","
              " siteWriteList: [\"www.ptnet.cn\"], initWindowRoot: false};</script>"
              '<script src="/images/model.min.js"></script>'
              '<script>require(["list2.trsapi", "tools"], function(listModel, tools) {\n listModel({\n'
              ' quickMode: "动静结合", maxStaticIndex: 1,\n listArgs: {channelid: SiteInfo.searchId,'
              ' classsql: "" || "chnlid=1813", sortfield: "-docorderpri,-docreltime"},\n'
              f" pagebar: {{prepage: {prepage}, recordCount: '{len(arts)}', pgTemp: \"pgBar_xxgk.html\","
              ' pgCountMode: "recordCount", displayNum: 2},\n'
              ' callToPage: function(p) { $("html,body").animate({scrollTop: 0}, 800); }\n });\n});</script>')
    return page("政府信息公开年报_平潭综合实验区", body, '<meta name="ColumnName" content="政府信息公开年报">', script)


def fujian_site(total: int = 57, prepage: int = 10) -> tuple[ListSite, list[Article]]:
    arts = articles(total, NEWEST, _fujian_url, titles="政府信息公开工作年度报告")
    files = site_files("/zwgk/zfxxgk/zfxxgknb/index.htm", "政府信息公开年报", fujian_list(arts, prepage), arts)
    holder: dict[str, ListSite] = {}

    def search(seen) -> tuple[int, bytes, str]:
        form = seen.form
        if seen.method != "POST" or form.get("channelid") != "200210" or form.get("classsql") != "chnlid=1813":
            return 200, b'{"data":[],"pageCount":0}', "application/json"
        n, size = int(form["page"]), int(form["prepage"])
        rows = [{"chnldocurl": holder["site"].url + a.url, "doctitle": a.title,
                 "docreltime": f"{a.date:%Y-%m-%d} 10:30:00", "chnlid": 1813} for a in arts[(n - 1) * size:n * size]]
        return json_answer({"data": rows, "pageCount": -(-len(arts) // size), "total": len(arts)})

    site = ListSite(files, {"/fjdzapp/search": search})
    holder["site"] = site
    return site, arts


def test_fujian_trsapi_list_reads_pages_two_to_n_from_the_api(tmp_path):
    site, arts = fujian_site()
    with site:
        crawled = crawl(site.url, tmp_path / "s.sqlite")
        calls = site.requests_to("/fjdzapp/search")
    column = _column(crawled, "政府信息公开年报")
    assert sorted(int(c.form["page"]) for c in calls) == [2, 3, 4, 5, 6]          # page 1 is the static one
    assert all(c.method == "POST" and c.form["sortfield"] == "-docorderpri,-docreltime" for c in calls)
    assert column.unread_reason is None and column.items == 57 and column.latest == NEWEST
    row = _coverage_row(crawled, column)
    assert row["listed"] == 57 and row["fetched"] / row["listed"] >= 0.99


# ------------------------------------------------------------------ the derivations, on the real sample page
def test_fujian_sample_page_gives_the_api_its_own_script_calls():
    html = reference_file("samples", "list_pingtan_gov_cn_fujian_trs_jiyue_zfxxgknb.html").read_text("utf-8")
    api = fujian_trs_api(html, "https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/")
    assert api is not None and (api.family, api.page_size, api.declared) == ("fujian-trs", 10, 20)
    assert [c.page for c in api.calls] == [2]                                   # 20 records, 10 a page
    call = api.calls[0]
    assert (call.method, call.url) == ("POST", "https://www.pingtan.gov.cn/fjdzapp/search")
    assert dict(call.form) == {"channelid": "200210", "classsql": "chnlid=1813",
                               "sortfield": "-docorderpri,-docreltime", "page": "2", "prepage": "10"}


def test_hanweb_derivation_without_total_is_open_ended_and_without_columnid_is_none():
    html = hanweb_list(articles(20, NEWEST, _hanweb_url), 15, True)
    no_total = re.sub(r"totalRecord:\d+,", "", html)
    api = hanweb_api(no_total, "http://x.gov.cn/col/col101/index.html")
    assert api.open_ended and api.calls[0].url.endswith("startrecord=16&endrecord=60&perpage=15")
    following = api.next_call(api.calls[0])
    assert "startrecord=61&endrecord=105" in following.url and following.page == 3
    broken = re.sub(r"columnid[=:]\d+", "", html)
    assert hanweb_api(broken, "http://x.gov.cn/col/col101/index.html") is None
    assert hanweb_api("<html>no jpage here</html>", "http://x.gov.cn/") is None


def test_api_answers_json_xml_fragments_and_garbage():
    ms = int(dt.datetime(2023, 1, 5, 12, tzinfo=dt.UTC).timestamp() * 1000)
    answer = json.dumps({"result": {"total": "57", "list": [
        {"title": "关于某某工作的通知", "url": "/a/1.html", "publishTime": ms},
        {"title": "<em>某某</em>会议召开", "linkUrl": "/a/2.html", "pubDate": "2022年12月30日"},
        {"title": "x", "url": "/a/3.html"}]}})
    entries, total, _ = api_entries(answer, "http://x.gov.cn/list/")
    assert [(e.url, e.title, e.date) for e in entries] == [
        ("http://x.gov.cn/a/1.html", "关于某某工作的通知", dt.date(2023, 1, 5)),
        ("http://x.gov.cn/a/2.html", "某某会议召开", dt.date(2022, 12, 30))]
    assert total == 57
    frag = json.dumps({"html": '<ul><li><a href="/b/1.html">第一篇文章标题</a><span>2023-01-02</span></li>'
                               '<li><a href="/b/2.html">第二篇文章标题</a><span>2023-01-01</span></li></ul>',
                       "pageCount": 4})
    entries, total, pages = api_entries(frag, "http://x.gov.cn/")
    assert len(entries) == 2 and pages == 4 and total is None
    assert api_entries("callback(" + answer + ");", "http://x.gov.cn/list/")[1] == 57
    for garbage in ("", "<html><body>系统繁忙</body></html>", "{not json", "[1, 2, 3]", '{"data": "none"}'):
        assert api_entries(garbage, "http://x.gov.cn/")[0] == []


@pytest.mark.parametrize(("url", "post", "hint", "expected"), [
    ("http://x.gov.cn/api/list?page=2&size=10", None, 2, ["page=2", "page=3", "page=4"]),
    ("http://x.gov.cn/api/list?pageIndex=1&size=10", None, 2, ["pageIndex=1", "pageIndex=2", "pageIndex=3"]),
    ("http://x.gov.cn/api/list?start=10&limit=10", None, 2, ["start=10", "start=20", "start=30"]),
    ("http://x.gov.cn/api/list", "pageNo=2&columnId=7", 2, ["pageNo=2", "pageNo=3", "pageNo=4"]),
])
def test_replay_varies_the_page_parameter(url, post, hint, expected):
    seen = SeenRequest(url, "POST" if post else "GET", post, None, "")
    api = replay_api(seen, hint, 10, 40, None)
    assert [c.page for c in api.calls] == [2, 3, 4]
    keys = [c.key for c in api.calls]
    assert all(want in key for want, key in zip(expected, keys)), keys
    assert replay_api(SeenRequest("http://x.gov.cn/api/list?column=7"), 2, 10, 40, None) is None


def test_cli_line_reports_fetched_over_listed_floored_and_the_unread_lists():
    from govaudit.audit import list_coverage_line

    line = list_coverage_line({"list_coverage": {"listed": 1000, "fetched": 999, "incomplete_columns": 2}})
    assert line.strip() == "列表共列出文章1000篇，已抓取999篇（99.9%）；2个栏目的列表未能读完，已标注。"
    assert "（100%）。" in list_coverage_line({"list_coverage": {"listed": 57, "fetched": 57, "incomplete_columns": 0}})
    assert list_coverage_line({}) is None and list_coverage_line({"list_coverage": {"listed": 0}}) is None

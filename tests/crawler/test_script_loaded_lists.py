"""Pages that are shells: a list loaded whole by the page's script from a JSON API, a 目录 tree held as JSON data,
and the hidden 暂无数据 placeholder such templates carry.

Found by the held-out jyh-api skin (tests/foreign/intensive.py, seeds 71/72): before these, every list of that
platform read as empty and its hidden placeholder made columns with 15–23 records counted 空白栏目 (counted blank
precision 0.00 and 0.18), and on a landing page without `<a>` fallbacks the sub-columns were never found. The
pages below are written the way vendors' platforms write them, with the bad input they serve.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

from lxml import html as lxml_html

from crawler.extract.column_tree import column_tree_links
from crawler.extract.lists import api_entries, find_blank_marker
from crawler.extract.page import parse_page
from crawler.listapi import script_list_api

BASE = "http://www.example.gov.cn/zwgk/zfxxgk/zcwj/index.html"
HOSTS = {"www.example.gov.cn"}


def _page(script: str, body: str = '<ul class="news-list" id="list"></ul>') -> str:
    return (f'<html><head><meta name="ColumnName" content="政策文件"></head><body>{body}'
            f'<div class="pager" id="pager"></div><script>{script}</script></body></html>')


def _query(url: str) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(url).query))


# ------------------------------------------------------------------ the list request in the page's script
def test_ajax_with_a_data_object_and_the_page_in_a_variable():
    html = _page("var pageNo = 1;\nfunction loadList(pageNo) {\n  $.ajax({\n    url: '/api/cms/article/page',\n"
                 "    type: 'get', dataType: 'json',\n    data: { channelId: '1906', current: pageNo, size: 15 },\n"
                 "    success: function (res) { renderList(res.data, '#list'); }\n  });\n}\nloadList(pageNo);")
    api = script_list_api(html, BASE)
    assert api is not None and api.open_ended and api.page_size == 15 and api.vary == "current"
    first = api.calls[0]
    assert first.method == "GET" and urlsplit(first.url).path == "/api/cms/article/page"
    assert _query(first.url) == {"channelId": "1906", "current": "1", "size": "15"}
    assert _query(api.next_call(first).url)["current"] == "2"
    assert _query(api.next_call(api.next_call(first)).url)["current"] == "3"


def test_fetch_of_a_literal_url_and_a_post_form_and_a_zero_based_axios_page():
    fetched = script_list_api(_page('fetch("/api/cms/article/page?channelId=7&current=1&size=15")'
                                    ".then(function (r) { return r.json(); }).then(render);"), BASE)
    assert fetched is not None and _query(fetched.calls[0].url) == {"channelId": "7", "current": "1", "size": "15"}
    posted = script_list_api(_page("$.post('../../../api/list.do', {catId: '12', pageIndex: 1, pageSize: 20}, draw);"),
                             BASE)
    assert posted is not None and posted.calls[0].method == "POST"
    assert posted.calls[0].url == "http://www.example.gov.cn/api/list.do"
    assert dict(posted.calls[0].form) == {"catId": "12", "pageIndex": "1", "pageSize": "20"}
    assert dict(posted.next_call(posted.calls[0]).form)["pageIndex"] == "2"
    zero = script_list_api(_page("axios.get('/api/news', {params: {column: 'tzgg', page: 0, limit: 10}})"
                                 ".then(r => draw(r.data));"), BASE)
    assert zero is not None and _query(zero.calls[0].url)["page"] == "0"
    assert _query(zero.next_call(zero.calls[0]).url)["page"] == "1"
    offset = script_list_api(_page("$.getJSON('/api/docs', {chnl: '3', start: 0, limit: 20}, draw);"), BASE)
    assert offset is not None and offset.step == 20 and _query(offset.next_call(offset.calls[0]).url)["start"] == "20"


def test_requests_that_are_not_a_readable_list_request_are_not_guessed():
    for script in (
        "$.ajax({url: 'https://tongji.other-vendor.cn/api/list', data: {page: 1}});",         # another site
        "$.ajax({url: apiBase + '/list', data: {page: 1}});",                                  # URL an expression
        "fetch(`/api/list?channel=${cid}&page=1`);",                                          # template string
        "$.ajax({url: '/api/list', data: {channelId: window.CHANNEL, page: 1}});",            # unassigned value
        "$.ajax({url: '/api/visit/count', data: {id: '8812'}});",                             # a hit counter
        "// $.ajax({url: '/api/list', data: {page: 1}});",                                    # commented out
        "$.ajax({url: '/api/list', data: {page: 1, size: 10",                                 # cut off
    ):
        assert script_list_api(_page(script), BASE) is None, script
    assert script_list_api("<html><body><script src='/js/list.js'></script></body></html>", BASE) is None
    assert script_list_api("", BASE) is None


def test_what_the_platform_api_answers_is_read_with_text_and_epoch_dates():
    answer = ('{"code":0,"msg":"操作成功","data":{"records":[{"id":1,"title":"关于做好防汛工作的通知",'
              '"url":"./202611/t20261120_1.html","publishTime":"2026-11-20 10:21:00"},{"id":2,"title":"县政府常务会议",'
              '"url":"/zwgk/zfxxgk/zcwj/202610/t20261008_2.html","publishTime":1791424860000}],'
              '"total":17,"size":15,"current":1,"pages":2}}')
    entries, total, pages = api_entries(answer, BASE)
    assert [e.url for e in entries] == ["http://www.example.gov.cn/zwgk/zfxxgk/zcwj/202611/t20261120_1.html",
                                        "http://www.example.gov.cn/zwgk/zfxxgk/zcwj/202610/t20261008_2.html"]
    assert [e.date.isoformat() for e in entries] == ["2026-11-20", "2026-10-08"] and total == 17 and pages == 2
    assert api_entries('{"code":500,"msg":"栏目不存在","data":null}', BASE) == ([], None, None)


# ------------------------------------------------------------------ the hidden 暂无数据 placeholder
def test_a_hidden_placeholder_is_no_blank_marker_a_shown_one_is():
    def marker(body: str) -> str | None:
        return find_blank_marker(lxml_html.fromstring(f"<html><body>{body}</body></html>"))
    assert marker('<ul id="list"></ul><div class="no-data" id="empty" style="display:none">暂无数据</div>') is None
    assert marker('<ul id="list"></ul><div class="no-data" style="DISPLAY: none;">暂无信息</div>') is None
    assert marker('<div hidden><p>暂无数据</p></div>') is None
    assert marker('<div style="visibility:hidden"><span>暂无信息</span></div>') is None
    assert marker('<ul id="list"></ul><div class="no-data">暂无数据</div>') == "暂无数据"
    assert marker('<div style="display:block"><td>暂无信息</td></div><p>本栏目建设中</p>') in ("暂无信息", "建设中")


# ------------------------------------------------------------------ a 目录 tree held as data
_TREE = ('[{"id":1799,"name":"法定主动公开内容","url":null,"children":['
         '{"id":1906,"name":"政策文件","url":"/zwgk/zfxxgk/zcwj/","children":[]},'
         '{"id":1913,"name":"人事信息","url":"/zwgk/../zwgk/zfxxgk/rsxx/","children":[]},'
         '{"id":1920,"name":"财政信息","url":"/专题 栏目/财政信息/","children":[]},'
         '{"id":1921,"name":"政务服务","url":"https://zwfw.example-province.gov.cn/","children":[]},'
         '{"id":1922,"name":"在线访谈","url":"javascript:void(0)","children":[]}]}]')


def _links(html: str) -> list[tuple[str, str]]:
    doc = lxml_html.fromstring(html)
    return [(lk.url, lk.text) for lk in column_tree_links(doc, BASE, HOSTS)]


def test_a_tree_in_a_script_or_a_data_attribute_is_a_menu():
    expected = [("http://www.example.gov.cn/zwgk/zfxxgk/zcwj/", "政策文件"),
                ("http://www.example.gov.cn/zwgk/zfxxgk/rsxx/", "人事信息"),
                ("http://www.example.gov.cn/%E4%B8%93%E9%A2%98%20%E6%A0%8F%E7%9B%AE/%E8%B4%A2%E6%94%BF%E4%BF%A1%E6%81%AF/",
                 "财政信息")]
    in_script = f'<html><body><div id="xxgkTree"></div><script>var columns = {_TREE};\nrenderTree(columns);</script></body></html>'
    assert _links(in_script) == expected
    escaped = _TREE.replace('"', "&quot;")
    in_attribute = f"<html><body><div class=\"xxgk-tree\" data-columns='{escaped}'></div></body></html>"
    assert _links(in_attribute) == expected
    flat = ('<html><body><script>window.menuData = [{"title":"通知公告","href":"/tzgg/"},'
            '{"title":"政策解读","href":"/zcjd/"}];</script></body></html>')
    assert [t for _, t in _links(flat)] == ["通知公告", "政策解读"]
    assert {"政策文件", "人事信息", "财政信息"} <= {lk.text for lk in parse_page(in_script, BASE).nav_links}
    assert column_tree_links(lxml_html.fromstring(in_script), BASE, HOSTS, html="<html></html>") == []


def test_arrays_that_are_no_menu_are_not_read_as_one():
    news = ('<html><body><script>var columns = [{"title":"县政府召开常务会议","url":"/xwzx/1.html",'
            '"publishTime":"2026-11-20 10:00:00"},{"title":"关于做好防汛工作的通知","url":"/tzgg/2.html",'
            '"publishTime":"2026-11-19 09:00:00"}];</script></body></html>')
    assert _links(news) == []                            # dated records: a news list, not a menu
    flat_unnamed = ('<html><body><script>var slides = [{"title":"一","url":"/a/"},{"title":"二","url":"/b/"}];'
                    '</script></body></html>')
    assert _links(flat_unnamed) == []                    # flat, and not named for columns
    broken = "<html><body><script>var columns = [{name: '政策文件', url: '/zcwj/'}, {name: '人事'</script></body></html>"
    assert _links(broken) == []                          # a JS literal, not JSON, and cut off
    one = '<html><body><div data-tree=\'[{"name":"政策文件","url":"/zcwj/","children":[]}]\'></div></body></html>'
    assert _links(one) == []                             # a single node is no menu
    long_names = ('<html><body><script>var menu = [{"name":"' + "很长的名称" * 6 + '","url":"/a/"},'
                  '{"name":"' + "另一个很长的名称" * 4 + '","url":"/b/"}];</script></body></html>')
    assert _links(long_names) == []

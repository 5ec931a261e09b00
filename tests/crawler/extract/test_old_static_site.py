"""Old static county sites (2007–2014 CMS exports): GBK pages, `·<a>…<br>` lists, two-digit-year dates,
`<select>` pagers, a 文号 printed on its own line, GBK-escaped file names, a UTF-8 page behind a gb2312 meta,
a home page that is only a <frameset>.

Each case failed before the mechanism it tests (bench/RESULTS.md, "A fourth skin nobody tuned on"). The last
tests read the pages of the held-out `gbk-table` skin of tests/foreign as they are served (GBK bytes).
"""

from __future__ import annotations

import datetime as dt

import pytest
from lxml import html as lxml_html
from scrapy import Request
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from crawler.extract.dates import two_digit_year_date
from crawler.extract.lists import find_list_entries
from crawler.extract.page import parse_page
from crawler.extract.pagination import find_pagination
from crawler.middlewares import CharsetFixMiddleware
from crawler.spiders.portal import PortalSpider
from crawler.urls import canonicalize

SITE = "http://www.lx.gov.cn"

LINE_LIST = """<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"><title>通知公告</title></head>
<body><table width="980"><tr><td width="200"><a href="/">首页</a></td><td>
<table width="96%"><tr><td class="list_text" style="line-height:26px">
·<a href="./202611/t20261120_101.htm" target="_blank">关于做好秋冬季森林防火工作的通知</a>&nbsp;<font color="#999999">(2026.11.20)</font><br>
·<a href="./202611/t20261103_98.htm" target="_blank">关于开展安全生产大检查的公告</a>&nbsp;<font color="#999999">26-11-03</font><br>
·<a href="/Article/ShowArticle.asp?ArticleID=97" target="_blank">关于城乡居民医疗保险参保的通告</a>&nbsp;<font color="#999999">26-10-28</font><br>
·<a href="./202610/t20261009_95.htm" target="_blank">关于粮食生产有关事项的通知</a>&nbsp;2026年10月9日<br>
</td></tr></table></td></tr></table></body></html>"""


def test_br_line_list_entries_with_their_dates():
    doc = lxml_html.fromstring(LINE_LIST)
    entries = find_list_entries(doc, LINE_LIST, SITE + "/tzgg/index.htm")
    assert [(e.url.rsplit("/", 1)[1], e.date) for e in entries] == [
        ("t20261120_101.htm", dt.date(2026, 11, 20)),
        ("t20261103_98.htm", dt.date(2026, 11, 3)),       # 26-11-03, the URL's 2026 confirms the century
        ("t20261009_95.htm", dt.date(2026, 10, 9)),
    ]                                                       # 26-10-28 with no year in its URL: not guessed
    assert entries[0].title == "关于做好秋冬季森林防火工作的通知"


def test_br_lines_that_are_no_list():
    # One dated link in running text is no list; a line holding two links is no entry; a menu of <br>
    # separated links with no dates gives nothing.
    prose = ("<html><body><td>·<a href='/a/t20260101_1.htm'>通知一</a> 2026-01-01<br>正文说明，无链接。<br>"
             "·<a href='/a/x.htm'>相关一</a> <a href='/a/y.htm'>相关二</a> 2026-02-02<br>"
             "<a href='/m1/'>政务公开</a><br><a href='/m2/'>办事服务</a><br><a href='/m3/'>互动交流</a><br>"
             "<a href='/m4/'>走进本县</a><br></td></body></html>")
    assert find_list_entries(lxml_html.fromstring(prose), prose, SITE + "/a/index.htm") == []


@pytest.mark.parametrize("text, year, expected", [
    ("26-03-05", 2026, dt.date(2026, 3, 5)),
    ("[26.03.05]", 2026, dt.date(2026, 3, 5)),
    ("26-03-05", 2025, None),            # the URL's year disagrees: perhaps dd-mm-yy
    ("26-03-05", None, None),            # nothing confirms it
    ("05-03-26", 2026, None),            # dd-mm-yy order is not read
    ("26-13-05", 2026, None),            # no 13th month
    ("2026-03-05", 2026, None),          # a four-digit year is parse_date's
    ("126-03-05", 2026, None),
])
def test_two_digit_year_only_when_confirmed(text, year, expected):
    assert two_digit_year_date(text, year) == expected


PAGER = ('<table><tr><td class="page">共23条记录&nbsp;共3页&nbsp;当前第1页&nbsp;转到<select name="page" '
         'onchange="javascript:location=this.options[this.selectedIndex].value;">'
         '<option value="index.htm" selected>第1页</option><option value="index_1.htm">第2页</option>'
         '<option value="index_2.htm">第3页</option></select></td></tr></table>')
LINKS_SELECT = ('<select onchange="window.location=this.value"><option value="">友情链接</option>'
                '<option value="http://www.gov.cn/">中国政府网</option><option value="/zwgk/">政务公开</option></select>')


def test_select_pager_names_every_page():
    page = f"<html><body>{LINE_LIST}{PAGER}</body></html>"
    for url in (SITE + "/tzgg/", SITE + "/tzgg/index.htm"):        # reached as its folder or its index.htm
        pages, _script = find_pagination(lxml_html.fromstring(page), page, url)
        assert pages == [SITE + "/tzgg/index_1.htm", SITE + "/tzgg/index_2.htm"]
    second = page.replace('value="index.htm" selected', 'value="index.htm"').replace(
        'value="index_1.htm"', 'value="index_1.htm" selected')
    pages, _ = find_pagination(lxml_html.fromstring(second), second, SITE + "/tzgg/index_1.htm")
    assert set(pages) == {SITE + "/tzgg/index.htm", SITE + "/tzgg/index_2.htm"}


def test_a_links_select_is_no_pager():
    page = f"<html><body>{LINE_LIST}{LINKS_SELECT}</body></html>"
    assert find_pagination(lxml_html.fromstring(page), page, SITE + "/tzgg/")[0] == []


ARTICLE = """<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>临溪县人民政府办公室关于印发临溪县防汛抗旱实施方案的通知 - 临溪县人民政府</title></head><body>
<table width="980"><tr><td>当前位置：<a href="../../">首页</a>&nbsp;&gt;&gt;&nbsp;<a href="../">规范性文件</a></td></tr></table>
<table width="96%"><tr><td align="center"><font size="4"><strong>临溪县人民政府办公室关于印发临溪县防汛抗旱实施方案的通知</strong></font></td></tr>
<tr><td align="center">发布时间：2026年3月13日&nbsp;&nbsp;信息来源：临溪县人民政府办公室</td></tr>
<tr><td height="1" bgcolor="#CCCCCC"></td></tr>{number}
<tr><td class="art_content" id="zoom"><p>各乡（镇）人民政府，县直各单位：</p>
<p>现将《临溪县防汛抗旱实施方案》印发给你们，请结合实际认真贯彻落实。</p>{cited}
<p>为深入推进防汛抗旱工作，临溪县坚持问题导向，压实属地责任，各乡镇、各部门按照职责分工抓好落实。</p>
<p>下一步，临溪县将持续加强统筹协调，强化督促检查，推动防汛抗旱工作常态化、长效化。</p></td></tr></table>
</body></html>"""


def test_document_number_on_its_own_line_above_the_body():
    page = ARTICLE.format(number='<tr><td align="center">临政办发〔2026〕7号</td></tr>', cited="")
    article = parse_page(page, SITE + "/zwgk/gfxwj/202603/t20260313_7.htm").article
    assert article.doc_number == "临政办发〔2026〕7号"
    assert article.published == dt.date(2026, 3, 13)


def test_a_number_cited_in_the_body_is_not_the_pages():
    page = ARTICLE.format(number="", cited="<p>临政办发〔2019〕12号</p>")
    assert parse_page(page, SITE + "/zwgk/gfxwj/202603/t20260313_7.htm").article.doc_number is None


def test_gbk_escaped_file_name_survives_canonicalisation():
    gbk = "/uploadfile/2026/1102/%B2%B9%CC%F9%B7%A2%B7%C5%C3%FB%B2%E1.xlsx"        # 补贴发放名册.xlsx in GBK
    assert canonicalize(SITE + gbk) == SITE + gbk
    assert canonicalize(SITE + "/专题 栏目/名册.xlsx") == SITE + "/%E4%B8%93%E9%A2%98%20%E6%A0%8F%E7%9B%AE/%E5%90%8D%E5%86%8C.xlsx"
    assert canonicalize(SITE + "/a/../b/%e5%90%8d.htm") == SITE + "/b/%E5%90%8D.htm"


def _middleware() -> CharsetFixMiddleware:
    crawler = get_crawler(PortalSpider, {"GOVAUDIT_MAX_PAGES": 0})
    crawler.stats.open_spider()
    return CharsetFixMiddleware(PortalSpider.from_crawler(crawler, start_url=SITE + "/").crawler)


def _response(body: bytes, content_type: str = "text/html") -> HtmlResponse:
    url = SITE + "/tzgg/202611/t20261120_101.htm"
    return HtmlResponse(url, body=body, headers={"Content-Type": content_type}, request=Request(url))


def test_utf8_page_behind_a_gb2312_meta_is_read_as_utf8():
    middleware = _middleware()
    pasted = _response(LINE_LIST.encode("utf-8"))                 # no charset in the header, meta says gb2312
    assert "森林防火" not in pasted.text                            # mojibake as the meta would have it
    fixed = middleware.process_response(pasted.request, pasted)
    assert "森林防火" in fixed.text and fixed.encoding == "utf-8"
    header = _response(LINE_LIST.encode("utf-8"), "text/html; charset=GBK")   # the header is wrong too
    assert "森林防火" in middleware.process_response(header.request, header).text


def test_gbk_pages_stay_gbk():
    middleware = _middleware()
    old = LINE_LIST.replace("森林防火", "喆园社区、堃头村森林防火")      # GBK-only characters under a gb2312 meta
    for content_type in ("text/html", "text/html; charset=GBK"):
        page = _response(old.encode("gbk"), content_type)
        kept = middleware.process_response(page.request, page)
        assert "喆园社区、堃头村森林防火" in kept.text and kept.encoding != "utf-8"
    cut = old.encode("gbk")
    cut = cut[:cut.index("堃".encode("gbk")) + 1]                   # cut off inside a character
    page = _response(cut)
    assert middleware.process_response(page.request, page).encoding != "utf-8"


def test_the_held_out_skin_pages_as_served():
    """The gbk-table skin of tests/foreign (GBK bytes): every list page's entries and pages are found."""
    from tests.foreign.portal import OLD_TABLE_SEEDS, build
    from tests.foreign.server import Table
    from tests.needs import reference_file

    reference_file("columns", "real-columns.tsv")
    portal = build(OLD_TABLE_SEEDS[0])
    table = Table(portal.routes, portal.site, portal.skin)
    articles = {}
    for a in portal.manifest["articles"]:
        articles.setdefault(a["column_url"], set()).add(a["url"])
    found_lines = False
    for column in portal.manifest["columns"]:
        if column["hub"] or not column["items"]:
            continue
        body = table.lookup(column["url"]).body.decode("gbk")
        found_lines |= "<br>\n" in body and "·<a" in body
        url = "http://127.0.0.1" + column["url"]
        doc = lxml_html.fromstring(body)
        pages, _ = find_pagination(doc, body, url)
        listed = {e.url for e in find_list_entries(doc, body, url)}
        for page in pages:
            other = table.lookup(page.removeprefix("http://127.0.0.1")).body.decode("gbk")
            listed |= {e.url for e in find_list_entries(lxml_html.fromstring(other), other, page)}
        expected = {"http://127.0.0.1" + u for u in articles[column["url"]]}
        assert listed == expected, (column["name"], sorted(expected ^ listed))
    assert found_lines


FRAMESET = """<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Frameset//EN">
<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"><title>临溪县人民政府</title></head>
<frameset rows="152,*" frameborder="0" border="0" framespacing="0">
  <frame src="top.htm" name="topFrame" scrolling="no" noresize>
  <frame src="main.htm" name="mainFrame">
</frameset>
<noframes><body>您的浏览器不支持框架，请升级浏览器后访问本站。</body></noframes></html>"""


def test_frames_and_iframes_are_pages_of_the_site():
    page = parse_page(FRAMESET, SITE + "/")
    assert [(f.url, f.text) for f in page.frames] == [(SITE + "/top.htm", "topFrame"), (SITE + "/main.htm", "mainFrame")]
    assert {link.url for link in page.links} >= {SITE + "/top.htm", SITE + "/main.htm"}
    widget = ('<html><body><a href="/zwgk/">政务公开</a><iframe src="http://map.example.com/embed?x=1"></iframe>'
              '<iframe src="/inc/weather.htm" title="天气"></iframe></body></html>')
    page = parse_page(widget, SITE + "/")
    assert [(f.url, f.text) for f in page.frames] == [(SITE + "/inc/weather.htm", "天气")]    # off-site: not a page


def _spider_response(url: str, body: bytes, kind: str) -> HtmlResponse:
    request = Request(url, meta={"kind": kind, "target": url, "source": None})
    return HtmlResponse(url, body=body, headers={"Content-Type": "text/html"}, request=request)


def test_a_frameset_home_page_is_read_through_its_frames():
    """The frames of a frameset home page are the home page a visitor sees: fetched as the home page (its latest
    block's articles are no column's list), not as ordinary pages."""
    crawler = get_crawler(PortalSpider, {"GOVAUDIT_MAX_PAGES": 0})
    crawler.stats.open_spider()
    spider = PortalSpider.from_crawler(crawler, start_url=SITE + "/")
    out = list(spider.parse_html(_spider_response(SITE + "/", FRAMESET.encode("gbk"), "home")))
    home = {r.url for r in out if isinstance(r, Request) and r.meta.get("kind") == "home"}
    assert home == {SITE + "/top.htm", SITE + "/main.htm"}
    ordinary = _spider_response(SITE + "/", ('<html><body><table class="nav"><tr>' + "".join(
        f'<td><a href="/lm{i}/">栏目{i}</a></td>' for i in range(6))
        + '</tr></table><iframe src="/inc/weather.htm"></iframe></body></html>').encode("gbk"), "home")
    spider = PortalSpider.from_crawler(crawler, start_url=SITE + "/")
    out = list(spider.parse_html(ordinary))
    assert not any(isinstance(r, Request) and r.meta.get("kind") == "home" for r in out)    # a widget is no home page


def test_an_image_menu_link_is_named_by_its_picture():
    """`<a><img alt="政务公开"></a>` in a menu: the alt text names the column (it had no name, so no candidate)."""
    from crawler.extract.navigation import find_nav_links

    menu = ('<html><body><table class="nav"><tr>' + "".join(
        f'<td><a href="{h}"><img src="/images/nav_{i}.gif" alt="{t}" border="0"></a></td>'
        for i, (h, t) in enumerate((("/zwgk/", "政务公开"), ("/bsfw/", "办事服务"), ("/hdjl/", "互动交流"),
                                    ("/search/", "站内搜索"), ("/zjlx/", ""))))
        + "</tr></table></body></html>")
    links = find_nav_links(lxml_html.fromstring(menu), SITE + "/")
    assert [(lk.url, lk.text) for lk in links] == [
        (SITE + "/zwgk/", "政务公开"), (SITE + "/bsfw/", "办事服务"), (SITE + "/hdjl/", "互动交流")]

"""Small synthetic pages, one per CMS pattern the extractors know, plus bad input."""

from __future__ import annotations

import datetime as dt

import pytest

from crawler.extract.lists import find_blank_marker
from crawler.extract.page import parse_html, parse_page
from crawler.extract.text import element_text


def test_trs_create_page_html_mid_list():
    html = '<ul><li><a href="./202201/t20220105_1.html">通知一</a></li></ul><script>createPageHTML(5, 2, "index", "shtml");</script>'
    page = parse_page(html, "http://x.gov.cn/tzgg/index_2.shtml")
    assert page.pagination == [f"http://x.gov.cn/tzgg/{n}.shtml" for n in ("index", "index_1", "index_3", "index_4")]
    assert page.is_list


def test_trs_year_less_list_dates_take_url_year():
    items = "".join(
        f'<li><a href="./2023{m:02d}/t2023{m:02d}{d:02d}_{i}.html">关于开展第{i}项工作的通知</a><span>[{m:02d}-{d:02d}]</span></li>'
        for i, (m, d) in enumerate([(12, 31), (6, 1), (1, 2)]))
    page = parse_page(f"<html><body><div class='list'><ul>{items}</ul></div></body></html>",
                      "http://x.gov.cn/tzgg/index.html")
    assert [e.date for e in page.list_entries] == [dt.date(2023, 12, 31), dt.date(2023, 6, 1), dt.date(2023, 1, 2)]
    assert page.is_list and page.article is None


VSB_LIST = """<html><head><title>部门动态-云县人民政府</title></head><body>
<div class="list"><ul>
<li><a href="../info/1025/61695.htm" title="云县召开2023年工作部署会">云县召开2023年工作部署会</a><span>2023-01-31</span></li>
<li><a href="../info/1025/61694.htm">县政府开展安全生产大检查</a><span>2023-01-30</span></li>
<li><a href="../info/1025/61693.htm">县农业农村局部署春耕生产</a><span>2023-01-29</span></li>
</ul>
<div class="pb_sys_common">共36条 1/4 <a href="bmdt/3.htm">下页</a> <a href="bmdt/1.htm">尾页</a></div></div></body></html>"""


def test_vsb_list_pages_count_down():
    page = parse_page(VSB_LIST, "http://www.ynyx.gov.cn/zwdt/bmdt.htm")
    assert page.is_list and len(page.list_entries) == 3
    assert page.list_entries[0].url == "http://www.ynyx.gov.cn/info/1025/61695.htm"
    assert sorted(page.pagination) == [f"http://www.ynyx.gov.cn/zwdt/bmdt/{n}.htm" for n in (1, 2, 3)]


VSB_ARTICLE = """<html><head><title>关于印发某某办法的通知-云县人民政府</title></head><body>
<div class="position">当前位置：<a href="../../index.htm">首页</a> &gt; <a href="../../zwgk.htm">政务公开</a> &gt; <a href="../../zwgk/tzgg.htm">通知公告</a></div>
<table class="syh"><tr><td>索引号：</td><td>bgs01/2023-00011</td><td>发文字号：</td><td>云政办发〔2023〕5号</td></tr>
<tr><td>成文日期：</td><td>2023-01-20</td><td>发布日期：</td><td>2023-01-31</td></tr>
<tr><td>发布机构：</td><td>云县人民政府办公室</td><td>公文时效：</td><td>有效</td></tr></table>
<h1>关于印发某某办法的通知</h1>
<div class="info">来源: 作者: 时间:2023-01-31 点击率:<script>_showDynClicks("wbnews", 1, 61695)</script></div>
<div id="vsb_content"><div class="v_news_content"><p>各乡（镇）人民政府，县直各部门：现将某某办法印发给你们，请认真贯彻执行。</p>
<p>附件：<a href="/system/_content/download.jsp?urltype=news.DownloadAttachUrl&owner=1&wbfileid=9">名单.xlsx</a></p></div></div>
</body></html>"""


def test_vsb_article_index_table_and_empty_source():
    page = parse_page(VSB_ARTICLE, "http://www.ynyx.gov.cn/info/1025/61695.htm")
    art = page.article
    assert art.title == "关于印发某某办法的通知"
    assert art.index_number == "bgs01/2023-00011"
    assert art.doc_number == "云政办发〔2023〕5号"
    assert art.written == dt.date(2023, 1, 20)
    assert (art.published, art.published_source) == (dt.date(2023, 1, 31), "text")
    assert art.source == "云县人民政府办公室"
    assert "现将某某办法印发给你们" in art.text and "_showDynClicks" not in art.text
    assert [lk.text for lk in page.breadcrumb] == ["首页", "政务公开", "通知公告"]


def test_vsb_meta_line_without_source_gives_none():
    html = """<html><body><h1>某某会议召开</h1><div class="info">来源: 作者: 时间:2023-01-31 点击率:</div>
    <div id="vsb_content"><p>会议强调，要压实责任，确保各项工作落到实处，推动全年目标任务顺利完成。</p></div></body></html>"""
    art = parse_page(html, "http://www.ynyx.gov.cn/info/1025/61696.htm").article
    assert art.source is None and art.published == dt.date(2023, 1, 31)


HANWEB_RECORDS = """<html><body><div id="4985"><script type="text/xml"><datastore>
<nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&webid=3185&path=/&columnid=1621004&unitid=4985&webname=x&permissiontype=0"></a>]]></nextgroup>
<recordset>
<record><![CDATA[<li><a href="/art/2023/1/5/art_1621004_1.html" title="全县经济运行情况分析">全县经济运行情况分析</a><span>[01-05]</span></li>]]></record>
<record><![CDATA[<li><a href="/art/2022/12/30/art_1621004_2.html" title="投资项目推进会召开">投资项目推进会召开</a><span>[12-30]</span></li>]]></record>
<record><![CDATA[<li><a href="/art/2022/12/1/art_1621004_3.html" title="重点项目建设进展通报">重点项目建设进展通报</a><span>2022-12-01</span></li>]]></record>
</recordset></datastore></script>
<script src="/module/web/jpage/jpage.js"></script>
<script>$('#4985').jpage({dataStore: dataStore, perPage: 15, totalRecord: 100, proxyUrl: '/module/web/jpage/dataproxy.jsp', ajaxParam: {col: 1, appid: 1, webid: 3185, path: '/', columnid: 1621004, sourceContentType: 1, unitid: 4985, webname: 'x', permissiontype: 0}});</script>
</div></body></html>"""


def test_hanweb_xml_records_and_jpage_urls():
    page = parse_page(HANWEB_RECORDS, "http://fgw.zj.gov.cn/col/col1621004/index.html")
    assert [(e.url.rsplit("/", 1)[-1], e.date) for e in page.list_entries] == [
        ("art_1621004_1.html", dt.date(2023, 1, 5)),
        ("art_1621004_2.html", dt.date(2022, 12, 30)),
        ("art_1621004_3.html", dt.date(2022, 12, 1))]
    assert page.is_list
    first = page.pagination[0]
    assert first.startswith("http://fgw.zj.gov.cn/module/web/jpage/dataproxy.jsp?")
    for part in ("columnid=1621004", "startrecord=4", "endrecord=48", "perpage=15", "unitid=4985"):
        assert part in first
    assert page.pagination[-1].endswith("endrecord=100&perpage=15&startrecord=94&unitid=4985")


UCAP = """<html><head><meta name="others" content="页面生成时间 2024-01-23 10:00:00"><title>沭阳县发改局2023年年报_沭阳县人民政府</title></head>
<body><table class="xxgk"><tr><td>名称</td><td>沭阳县发展和改革局2023年政府信息公开工作年度报告</td></tr>
<tr><td>索引号</td><td>014314799/2024-00002</td><td>分类</td><td>年度报告</td></tr>
<tr><td>发布机构</td><td>沭阳县发展和改革局</td><td>公开日期</td><td>2024-01-23</td></tr>
<tr><td>文号</td><td></td><td>时效</td><td>有效</td></tr></table>
<ucaptitle>沭阳县发展和改革局2023年政府信息公开工作年度报告</ucaptitle><publishtime>2024-01-23</publishtime>
<ucapcontent><p>一、总体情况</p><p>2023年，我局认真贯彻落实《中华人民共和国政府信息公开条例》，扎实推进政务公开工作。</p></ucapcontent>
</body></html>"""


def test_ucap_custom_tags_and_table():
    art = parse_page(UCAP, "http://www.shuyang.gov.cn/sygfj/gknb/202401/2ecfb31a0c8d4d6b9d1f6f1b2c3d4e5f.shtml").article
    assert art.title == "沭阳县发展和改革局2023年政府信息公开工作年度报告"
    assert art.index_number == "014314799/2024-00002"
    assert art.topic == "年度报告"
    assert art.source == "沭阳县发展和改革局"
    assert art.doc_number is None
    assert (art.published, art.published_source) == (dt.date(2024, 1, 23), "text")
    assert art.text.startswith("一、总体情况")


def test_url_date_is_the_last_resort():
    html = "<html><body><div class='TRS_Editor'><p>为进一步做好政务公开工作，现将有关事项通知如下，请各单位遵照执行。</p></div></body></html>"
    art = parse_page(html, "http://x.gov.cn/tzgg/202008/t20200805_1353179.html").article
    assert (art.published, art.published_source) == (dt.date(2020, 8, 5), "url")
    art = parse_page(html, "http://x.gov.cn/art/2016/11/22/art_1_2.html").article
    assert art.published == dt.date(2016, 11, 22)


def test_anhui_inline_meta_line():
    html = """<html><body><h1>关于某某事项的公告</h1><div class="wzbjxx">发布时间:2022-07-25 20:21信息来源: 某某县财政局 阅读次数:</div>
    <div class="j-fontContent"><p>根据有关规定，现将某某事项公告如下，请相关单位和个人周知。</p><p>特此公告。</p></div></body></html>"""
    art = parse_page(html, "http://www.ww.gov.cn/openness/public/6596521/36018041.html").article
    assert art.published == dt.date(2022, 7, 25)
    assert art.source == "某某县财政局"


@pytest.mark.parametrize("url, link, expected", [
    ("http://x.gov.cn/list.jsp?col=5", '<a href="list.jsp?page=2&col=5">下一页</a><a href="list.jsp?col=5&page=4">尾页</a>',
     [f"http://x.gov.cn/list.jsp?col=5&page={n}" for n in (2, 3, 4)]),
    ("http://x.gov.cn/l.do", '<a href="l.do?pageNo=2">下一页</a><a href="l.do?pageNo=3">末页</a>',
     ["http://x.gov.cn/l.do?pageNo=2", "http://x.gov.cn/l.do?pageNo=3"]),
    ("http://x.gov.cn/tzgg/index.html", '<span>共4页</span><a href="index_1.html">下一页</a>',
     [f"http://x.gov.cn/tzgg/index_{n}.html" for n in (1, 2, 3)]),
])
def test_plain_pagination_links(url, link, expected):
    assert parse_page(f"<html><body><div class='page'>{link}</div></body></html>", url).pagination == expected


@pytest.mark.parametrize("marker", ["暂无信息", "暂无数据", "建设中", "正在建设", "敬请期待"])
def test_blank_marker_on_empty_list(marker):
    html = f"<html><body><div class='list'><ul></ul><div class='empty'>{marker}</div></div></body></html>"
    page = parse_page(html, "http://x.gov.cn/tzgg/")
    assert page.blank_marker == marker and page.is_list and page.list_entries == []


def test_blank_marker_ignored_in_long_text():
    doc = parse_html("<html><body><p>本栏目暂无信息的情况已于本年度整改完毕，今后将按要求及时更新各类信息。</p></body></html>")
    assert find_blank_marker(doc) is None


def test_breadcrumb_text_and_nav_menu_filters():
    html = """<html><body><nav><ul>
      <li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li><li><a href="/zmhd/">政民互动</a></li>
      <li><a href="/login.jsp">登录</a></li><li><a href="/search/">站内搜索</a></li><li><a href="/rss.xml">RSS</a></li>
      <li><a href="http://www.gov.cn/">中国政府网</a></li></ul></nav>
      <div class="menu"><a href="/zwgk/tzgg/">通知公告</a></div>
      <div class="yqlj"><a href="/fake/">友情单位</a></div>
      <div>您的位置：<a href="/">首页</a> > <a href="/zwgk/">政务公开</a> > <a href="/zwgk/tzgg/">通知公告</a></div>
      </body></html>"""
    page = parse_page(html, "http://www.x.gov.cn/zwgk/tzgg/t20230101_1.html")
    assert [lk.text for lk in page.nav_links] == ["首页", "政务公开", "政民互动", "通知公告"]
    assert [lk.url for lk in page.breadcrumb] == ["http://www.x.gov.cn/", "http://www.x.gov.cn/zwgk/",
                                                 "http://www.x.gov.cn/zwgk/tzgg/"]


def test_sitemap_page_links_become_columns():
    links = "".join(f'<li><a href="/col{i}/">栏目{i}</a></li>' for i in range(25))
    page = parse_page(f"<html><head><title>网站地图</title></head><body><div class='map'><ul>{links}</ul>"
                      "<a href='http://www.other.cn/'>外站</a></div></body></html>", "http://www.x.gov.cn/wzdt/")
    assert len(page.nav_links) == 25 and all(lk.url.startswith("http://www.x.gov.cn/col") for lk in page.nav_links)


def test_attachments_in_href_onclick_iframe_embed_and_viewer():
    html = """<html><body><div class="TRS_Editor"><p>附件请见下方链接，请各单位认真组织填报并按时报送。</p>
      <a href="./P020230101.pdf">附件1.pdf</a>
      <span onclick="window.open('/upload/2023/名单.xlsx')">附件2</span>
      <iframe src="/upload/2023/说明.doc"></iframe><embed src="/upload/2023/表.et">
      <iframe src="/generic/web/viewer.html?file=/upload/2023/全真版.pdf"></iframe>
      <iframe ms-attr-src="/generic/web/viewer.html?file={{qzbFile}}"></iframe>
      <a href="./t20230101_2.html">相关文章</a></div></body></html>"""
    page = parse_page(html, "http://x.gov.cn/tzgg/202301/t20230101_1.html")
    got = {a.url.rsplit("/", 1)[-1] for a in page.attachments}
    assert got == {"P020230101.pdf", "%E5%90%8D%E5%8D%95.xlsx", "%E8%AF%B4%E6%98%8E.doc", "%E8%A1%A8.et",
                   "%E5%85%A8%E7%9C%9F%E7%89%88.pdf"}
    assert [lk.url for lk in page.links] == ["http://x.gov.cn/tzgg/202301/t20230101_2.html"]


def test_text_drops_word_css_extensions_and_keeps_cells():
    html = """<html><body><div id="zoom"><style>p.MsoNormal{margin:0pt}</style>
      <p class="MsoNormal"><span style="mso-spacerun:'yes'">第一段正文。</span><o:p>&nbsp;</o:p></p>
      <p>p.MsoNormal { margin: 0pt 0pt 0.0001pt; font-family: Calibri; font-size: 10.5pt; }</p>
      <div class="simpread-read-root">扩展注入的文字</div><script id="allow-copy_script">var a=1;</script>
      <noscript>请启用脚本</noscript>
      <table><tr><td>姓名</td><td>金额</td></tr><tr><td>某甲</td><td>730</td></tr></table></div></body></html>"""
    text = element_text(parse_html(html).xpath("//*[@id='zoom']")[0])
    assert text == "第一段正文。\n姓名\t金额\n某甲\t730"


@pytest.mark.parametrize("html", [
    "",
    "   ",
    "\x00\x01\x02\x7f garbage \xff\xfe",
    "<html><body><div class='TRS_Editor'><p>截断的页面，正文只写了一半就",
    "<html><head><title>无正文</title></head></html>",
    "<?xml version='1.0' encoding='gbk'?><html><body><p>閭兘甯傛斂搴滀俊鎭叕寮€</p></body></html>",
    "<p>" + "锟斤拷" * 1000 + "</p>",
    "<div>" * 200_000 + "深层内容" + "</div>" * 10,                    # ~1 MB of nested divs
    "<a href='http://[::1'>坏链接</a><a href='javascript:void(0)'>x</a><iframe src='http://%'></iframe>",
])
def test_bad_input_never_raises(html):
    page = parse_page(html, "http://x.gov.cn/a/index.html")
    assert page.url == "http://x.gov.cn/a/index.html"
    assert page.error is None                       # handled, not merely caught by the safety net
    assert not page.list_entries


def test_bytes_input_gbk_decodes():
    raw = "<html><body><div id='zoom'><p>邯郸市政府信息公开平台发布的通知正文内容较长，用于检验解码。</p></div></body></html>".encode("gbk")
    page = parse_page(raw, "http://x.gov.cn/a/t20200101_1.html")                      # type: ignore[arg-type]
    assert page.article and "邯郸市政府信息公开平台" in page.article.text


# ---------------------------------------------------------------------------- unlinked current crumb
def _crumbs_of(block: str) -> list[tuple[str, str]]:
    from crawler.extract.page import parse_page

    html = f"<html><head><title>t</title></head><body>{block}<div class='content'><p>正文</p></div></body></html>"
    return [(lk.text, lk.url) for lk in parse_page(html, "http://www.x.gov.cn/a/b/c.html").breadcrumb]


def test_unlinked_current_crumb_variants():
    trs = ('<ul class="breadcrumb"><li><a href="/">首页</a></li><li class="path-cur"> <span>&gt;</span> '
           '<a href="/yw/">要闻</a> </li><li class="path-cur"> <span>&gt;</span> 山西要闻 </li></ul>')
    assert _crumbs_of(trs)[-1] == ("山西要闻", "")
    line = '<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; 通知公告</div>'
    assert _crumbs_of(line) == [("首页", "http://www.x.gov.cn/"), ("政务公开", "http://www.x.gov.cn/zwgk/"),
                                ("通知公告", "")]
    # '正文' and long titles name the page, not a column
    assert _crumbs_of(line.replace("通知公告", "正文"))[-1][0] == "政务公开"
    long_title = "关于印发某某县二〇二三年度重点工作任务分解方案的通知全文"
    assert _crumbs_of(line.replace("通知公告", long_title))[-1][0] == "政务公开"
    # all linked: nothing added
    linked = '<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a></div>'
    assert [t for t, _ in _crumbs_of(linked)] == ["首页", "政务公开"]

"""A 2015-era 政府信息公开 platform's left menu lists the 主动公开目录 (the columns) and, under 按主题分类 / 按机构分类 /
按体裁分类, the same documents again by facet (`list.jsp?theme=05`). A facet entry is no column: on the blind portal
(tests/blind/, seed 91) the facet 劳动、人事、监察 was judged a stale 人事信息 column, the empty facet 民族、宗教 a 空白栏目,
and the 任免通知 first reached through the facet 县人社局 were "misplaced" in a 政策文件 column of that name."""

from __future__ import annotations

from lxml import html as lxml_html

from crawler.extract.navigation import facet_anchors, find_nav_links, is_facet_view
from crawler.extract.page import parse_page

BASE = "http://www.qs.gov.cn/xxgk/"

LEFT_MENU = """<div class="left"><div class="menu"><h3>主动公开目录</h3><ul class="tree">
<li><a href=" list.jsp?catid=11 ">政府文件</a></li><li><a href=" list.jsp?catid=13 ">人事信息</a></li>
<li><a href=" list.jsp?catid=14 ">规划计划</a></li><li><a href="gkzn.html">政府信息公开指南</a></li></ul>
<h3>按主题分类</h3><ul class="facet"><li><a href="list.jsp?theme=01">综合政务</a></li>
<li><a href="list.jsp?theme=05">劳动、人事、监察</a></li><li><a href="list.jsp?theme=07">民族、宗教</a></li></ul>
<h3>按机构分类</h3><ul class="facet"><li><a href="list.jsp?org=004">县人力资源和社会保障局</a></li></ul>
<h3>按体裁分类</h3><ul class="facet"><li><a href="list.jsp?genre=01">通知</a></li></ul></div></div>"""

ROWS = "".join(
    f'<tr><td>11130424MB0357913X/2025-{i:05d}</td><td><a href="content.jsp?id={5400 + i}&catid=13">'
    f'青石县人民政府关于王某{i}等同志职务任免的通知</a></td><td>2025-0{i}-1{i}</td></tr>' for i in range(1, 6))


def _list_page(title: str, rows: str, total: int, page_param: str) -> str:
    return (f'<html><head><meta charset="utf-8"><title>{title}-青石县人民政府</title></head><body>'
            f'<div class="nav"><ul><li><a href="/">首页</a></li><li><a href="/xxgk/">政务公开</a></li></ul></div>'
            f'<div class="main">{LEFT_MENU}<div class="right"><div class="position">您当前的位置：<a href="/">首页</a> &gt; '
            f'<a href="/xxgk/">政府信息公开</a> &gt; <span>{title}</span></div><div class="col-title"><h2>{title}</h2></div>'
            f'<table class="xxgk-list"><tr class="head"><th>索引号</th><th>标题</th><th>发文日期</th></tr>{rows}</table>'
            f'<div class="page">共{total}条记录 第1/1页 <a href="list.jsp?{page_param}&pageIndex=1">首页</a> '
            f'<a href="list.jsp?{page_param}&pageIndex=1">尾页</a></div></div></div></body></html>')


def test_facet_entries_are_no_menu_columns_and_the_catalogue_entries_are():
    doc = lxml_html.fromstring(_list_page("人事信息", ROWS, 5, "catid=13"))
    names = {lk.text for lk in find_nav_links(doc, BASE + "list.jsp?catid=13")}
    assert {"政府文件", "人事信息", "规划计划", "政府信息公开指南"} <= names
    assert not names & {"综合政务", "劳动、人事、监察", "民族、宗教", "县人力资源和社会保障局", "通知"}


def test_a_facet_page_is_neither_a_list_nor_an_article_and_its_documents_stay_links():
    for url, title, rows, total in ((BASE + "list.jsp?theme=05", "劳动、人事、监察", ROWS, 5),
                                    (BASE + "list.jsp?theme=05&pageIndex=1", "劳动、人事、监察", ROWS, 5),
                                    (BASE + "list.jsp?theme=07", "民族、宗教", "", 0),
                                    (BASE + "list.jsp?org=004", "县人力资源和社会保障局", ROWS, 5)):
        page = parse_page(_list_page(title, rows, total, url.split("?")[1].split("&")[0]), url)
        assert page.facet_view and not page.is_list and not page.list_entries and page.article is None, url
        assert page.blank_marker is None
        assert sum("content.jsp" in lk.url for lk in page.links) == (5 if rows else 0)


def test_the_column_pages_of_the_same_platform_are_lists():
    page = parse_page(_list_page("人事信息", ROWS, 5, "catid=13"), BASE + "list.jsp?catid=13")
    assert not page.facet_view and page.is_list and len(page.list_entries) == 5
    empty = _list_page("规划计划", '<tr><td colspan="3">暂无信息</td></tr>', 0, "catid=14")
    page = parse_page(empty, BASE + "list.jsp?catid=14")
    assert not page.facet_view and page.blank_marker == "暂无信息"


def test_a_heading_alone_in_its_wrapper_still_heads_the_list_after_it():
    menu = ('<div class="menu"><div class="title"><span>主题分类</span></div><ul><li><a href="/zt/01/">综合政务</a></li>'
            '</ul><div class="title"><span>公开目录</span></div><ul><li><a href="/zfwj/">政府文件</a></li></ul></div>')
    doc = lxml_html.fromstring(f"<html><body>{menu}</body></html>")
    assert {a.text for a in facet_anchors(doc)} == {"综合政务"}
    assert is_facet_view(doc, "http://www.qs.gov.cn/zt/01/", "http://www.qs.gov.cn/zt/01/")
    assert not is_facet_view(doc, "http://www.qs.gov.cn/zfwj/", "http://www.qs.gov.cn/zfwj/")


def test_a_column_named_like_a_facet_word_is_not_a_facet_heading():
    menu = ('<div class="nav"><h3>机构职能</h3><ul><li><a href="/jgzn/">机构设置</a></li></ul>'
            '<h3>主题</h3><ul><li><a href="/zt/">专题专栏</a></li></ul></div>')
    doc = lxml_html.fromstring(f"<html><body>{menu}</body></html>")
    assert facet_anchors(doc) == set()
    assert {lk.text for lk in find_nav_links(doc, "http://www.qs.gov.cn/")} == {"机构设置", "专题专栏"}


def test_an_info_table_label_is_no_facet_heading():
    info = ('<div class="nav"><p><strong>主题分类</strong>：综合政务</p><p><a href="/zfwj/">政府文件</a></p>'
            '<table><tr><td><span>主题分类：</span></td><td><a href="/zt/">综合政务</a></td></tr></table></div>')
    doc = lxml_html.fromstring(f"<html><body>{info}</body></html>")
    assert facet_anchors(doc) == set()

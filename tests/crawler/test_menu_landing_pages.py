"""A section page the site's menus nest columns under is a landing page, not a column left unjudged.

Demo styles nobody tuned on (trs-real, vsb-real, hanweb-real, the API styles; seeds 404-707) serve a
新闻中心 or 政务公开 channel page whose body repeats the drop-down's items, with the columns on another path
(博达 `/news/qhyw.htm` under `/col/col1001/index.html`, Hanweb's flat `/col/colNNN/`). No check
recognised it: its sub-columns are not below its folder and every link it shows is a menu link, so the
spider recorded it as a column not judged (columns.UNDECIDED_REASON). The report then listed 1-5 such
first-level columns as 未检查完, and 首页不更新 (UPD003) could never be judged on those portals. The menus
say what the page is: `<li><a href=section>…</a><ul>sub-columns</ul></li>` (or JCMS's `<dl><dt>…<dd>`).
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path

import pytest
from lxml import etree

from crawler import columns as cm
from crawler.extract.page import parse_html, parse_page
from tests.crawler.test_spider_site import crawled_snapshot, html_files

sys.path.insert(0, str(Path(__file__).resolve().parent / "extract"))
from extract_samples import load_sample  # noqa: E402

JCMS = "article_fgw_zj_gov_cn_hanweb_jcms_20161122.html"
JCMS_SECTION = "http://fgw.zj.gov.cn/col/col1599521/index.html"       # 政务公开 in the real JCMS menu
JCMS_SUBS = ["动态资讯", "机构职能", "政策文件", "财务信息", "人事信息", "互动交流", "新闻发布会"]


def _jcms_menu() -> str:
    """The real 浙江发改委 JCMS menu block (div.nav: one <dl> per section, <dt> the section, <dd> its columns)."""
    html, _ = load_sample(JCMS)
    doc = parse_html(html)
    nav = next(el for el in doc.iter("div") if el.get("class") == "nav")
    return etree.tostring(nav, encoding="unicode", method="html")


def _page(menu: str, body: str, title: str, meta: str = "") -> str:
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}_浙江省发展和改革委员会</title>{meta}'
            f'</head><body><div class="top"><a href="/wzdt/">网站地图</a> | <a href="#">无障碍</a> | <a href="#">长者模式</a></div>'
            f'<div class="header">{menu}</div><div class="main">{body}</div>'
            "<div class='footer'><p>主办单位：浙江省发展和改革委员会　网站标识码：3300000026</p></div></body></html>")


def _channel_body(links: list[tuple[str, str]], heading: str = "政务公开") -> str:
    return f"<h2>{heading}</h2><ul class='channel'>" + "".join(
        f'<li><a href="{u}">{t}</a></li>' for u, t in links) + "</ul>"


# ---------------------------------------------------------------------------- the menu's nesting
def test_real_jcms_menu_nests_columns_under_their_section():
    html, url = load_sample(JCMS)
    doc = parse_html(html)
    subs = cm.menu_children(doc, JCMS_SECTION)
    assert [lk.text for lk in subs] == JCMS_SUBS
    assert all(re.search(r"^http://fgw.zj.gov.cn/col/col\d+/index.html$", lk.url) for lk in subs)
    # 更多栏目 links the section itself again: no sub-item of it.
    more = cm.menu_children(doc, "http://fgw.zj.gov.cn/col/col1599522/index.html")
    assert [lk.text for lk in more] == ["战略规划和区域发展", "经济运行和社会发展", "改革开放和营商环境",
                                        "投资管理和项目推进", "对口工作和山海协作"]
    # A column in a <dd> heads nothing; neither does the page's own article URL.
    assert cm.menu_children(doc, "http://fgw.zj.gov.cn/col/col1620982/index.html") == []
    assert cm.menu_children(doc, url) == []


def test_drop_down_item_nests_columns_on_another_path():
    menu = ('<ul class="nav"><li><a href="/">首页</a></li>'
            '<li><a href="/col/col1001/index.html">新闻中心</a><ul class="subnav">'
            '<li><a href="/news/qhyw.htm">部门动态</a></li><li><a href="/news/tpxw.htm">要闻</a></li>'
            '<li><a href="http://www.other.gov.cn/news/">市政府要闻</a></li><li><a href="/news/jd.pdf">图解</a></li></ul></li>'
            '<li><a href="/zjqh/index.html">走进青禾</a></li></ul>')
    doc = parse_html(f"<html><body>{menu}</body></html>")
    subs = cm.menu_children(doc, "http://www.qh.gov.cn/col/col1001/")       # /x/ and /x/index.html are one page
    assert [(lk.url, lk.text) for lk in subs] == [("http://www.qh.gov.cn/news/qhyw.htm", "部门动态"),
                                                 ("http://www.qh.gov.cn/news/tpxw.htm", "要闻")]
    assert cm.menu_children(doc, "http://www.qh.gov.cn/zjqh/index.html") == []          # no sub-items
    assert cm.menu_children(doc, "http://www.qh.gov.cn/news/qhyw.htm") == []             # an item, not a heading


# ---------------------------------------------------------------------------- the page
def test_channel_page_on_the_real_jcms_menu_is_a_landing_page():
    subs = [("/col/col1599526/index.html", "动态资讯"), ("/col/col1599527/index.html", "机构职能"),
            ("/col/col1599528/index.html", "政策文件")]
    html = _page(_jcms_menu(), _channel_body(subs), "政务公开", '<meta name="ColumnName" content="政务公开">')
    parsed = parse_page(html, JCMS_SECTION)
    assert cm.undated_column_page(parsed) and cm.empty_list_evidence(parsed, html) is None
    # What the spider asked before: neither a hub below its folder nor a flat landing page outside the menus.
    assert cm.hub_links(parsed, JCMS_SECTION) == [] and cm.flat_landing_links(parsed, JCMS_SECTION) == []
    assert [lk.text for lk in cm.menu_landing_links(parsed, JCMS_SECTION, html)] == JCMS_SUBS


@pytest.mark.parametrize("body", [
    # a list its script loads: 共12条 declared, no rows shown
    "<h2>政务公开</h2><div id='list'></div><div class='page'>共12条 1/2页</div>",
    # a text of its own: the section heads a menu and is an undated 概况 page too
    "<h2>政务公开</h2><div class='content'><p>浙江省发展和改革委员会是省政府组成部门，为正厅级，负责拟订并组织实施"
    "国民经济和社会发展战略、中长期规划和年度计划，统筹协调经济社会发展。</p><p>内设处室二十余个。</p></div>",
], ids=["script-list", "own-text"])
def test_a_section_with_a_list_or_text_of_its_own_stays_undecided(body):
    html = _page(_jcms_menu(), body, "政务公开", '<meta name="ColumnName" content="政务公开">')
    parsed = parse_page(html, JCMS_SECTION)
    assert cm.menu_landing_links(parsed, JCMS_SECTION, html) == []


def test_a_dated_article_or_a_list_is_never_a_landing_page():
    html, url = load_sample(JCMS)                  # a real article in a column the menu nests nothing under
    assert cm.menu_landing_links(parse_page(html, url), url, html) == []
    dated = _page(_jcms_menu(), "<h1>关于2023年投资计划的通知</h1><p>发布日期：2023-01-05</p><p>各设区市发展改革委：现将"
                  "2023年投资计划印发给你们，请认真贯彻执行。</p>", "关于2023年投资计划的通知")
    parsed = parse_page(dated, JCMS_SECTION)
    assert parsed.article is not None and parsed.article.published is not None
    assert cm.menu_landing_links(parsed, JCMS_SECTION, dated) == []


@pytest.mark.parametrize("html", ["", "<html><body><li><a>无链接</a><ul><li><a href='javascript:;'>x</a></li></ul>",
                                  "\x00\xff<dl><dt><a href='/col/col1/'>政务公开</a><dd><a href=//>x</a>"])
def test_bad_pages_never_raise(html):
    url = "http://www.xx.gov.cn/col/col1/index.html"
    assert cm.menu_landing_links(parse_page(html, url), url, html) == []


# ---------------------------------------------------------------------------- a crawl
AS_OF = dt.date(2023, 2, 1)


def _menu() -> str:
    return ('<ul class="nav"><li><a href="/">首页</a></li>'
            '<li><a href="/col/col1001/index.html">新闻中心</a><ul class="subnav">'
            '<li><a href="/news/bmdt.htm">部门动态</a></li><li><a href="/news/tpxw.htm">图片新闻</a></li>'
            '<li><a href="/news/mtgz.htm">媒体聚焦</a></li></ul></li>'
            '<li><a href="/zjqh/index.html">走进某某</a><ul class="subnav"><li><a href="/gk/xqgk.htm">县情概况</a></li>'
            '</ul></li></ul>')


def _site() -> dict[str, tuple[bytes, str]]:
    menu = _menu()
    pages: dict[str, str] = {"/index.html": _page(menu, "<p>欢迎访问</p>", "首页")}
    for slug, name in (("bmdt", "部门动态"), ("tpxw", "图片新闻"), ("mtgz", "媒体聚焦")):
        items = [(f"/info/{slug}/{k}.htm", f"{name}第{k}条工作信息", AS_OF - dt.timedelta(days=3 + 9 * k)) for k in range(4)]
        rows = "".join(f'<li><a href="{u}">{t}</a><span>{d:%Y-%m-%d}</span></li>' for u, t, d in items)
        pages[f"/news/{slug}.htm"] = _page(menu, f"<h2>{name}</h2><ul class='list'>{rows}</ul>", name,
                                           f'<meta name="ColumnName" content="{name}">')
        for u, t, d in items:
            pages[u] = _page(menu, f"<h1>{t}</h1><div class='info'>时间：{d:%Y-%m-%d}</div><div class='v_news_content'>"
                                   f"<p>{t}，全文略。本文为测试页面的正文段落。</p></div>", t,
                             f'<meta name="ArticleTitle" content="{t}"><meta name="PubDate" content="{d:%Y-%m-%d}">')
    subs = [("/news/bmdt.htm", "部门动态"), ("/news/tpxw.htm", "图片新闻"), ("/news/mtgz.htm", "媒体聚焦")]
    pages["/col/col1001/index.html"] = _page(menu, _channel_body(subs, "新闻中心"), "新闻中心",
                                             '<meta name="ColumnName" content="新闻中心">')
    # a section heading a menu that is an undated text page of its own: not judged, as before
    pages["/zjqh/index.html"] = _page(menu, "<h2>走进某某</h2><div class='content'><p>某某县位于省境东部，辖8镇4乡，"
                                            "户籍人口32万，县域面积1200平方公里，是全省重要的粮食生产基地。</p></div>",
                                      "走进某某", '<meta name="ColumnName" content="走进某某">')
    pages["/gk/xqgk.htm"] = pages["/zjqh/index.html"].replace("走进某某", "县情概况")
    return html_files(pages)


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    with crawled_snapshot(_site(), tmp_path_factory.mktemp("menu-landing") / "s.sqlite") as snapshot:
        yield {c.url.split("/", 3)[-1]: c for c in snapshot.columns_}


def test_crawl_channel_page_is_no_column_left_unjudged(crawled):
    """Judged through its sub-columns, as any landing page without a list template: no column of its own, never
    未检查完 and never blank. Before, it was the column 新闻中心 with UNDECIDED_REASON."""
    assert "col/col1001/" not in crawled
    assert sorted(key for key, c in crawled.items() if c.unread_reason) == ["gk/xqgk.htm", "zjqh/"]


def test_crawl_sub_columns_are_read(crawled):
    for key in ("news/bmdt.htm", "news/tpxw.htm", "news/mtgz.htm"):
        column = crawled[key]
        assert column.items == 4 and column.unread_reason is None and column.latest == AS_OF - dt.timedelta(days=3)


def test_crawl_section_with_text_of_its_own_stays_not_judged(crawled):
    assert crawled["zjqh/"].unread_reason == cm.UNDECIDED_REASON

"""List entries come from list pages: an article's dated body links are ordinary links (issue 11)."""

from __future__ import annotations

import datetime as dt

import pytest

from crawler.extract.page import parse_page
from tests.crawler import article_sites

BASE = "http://www.example.gov.cn"


@pytest.mark.parametrize("cms", ["hanweb", "vsb"])
def test_article_body_link_is_a_link_not_a_list_entry(cms):
    site = article_sites.build(cms)
    page = parse_page(site.files[site.source], BASE + site.source)
    assert page.article is not None and not page.is_list
    assert page.list_entries == []
    links = {lk.url: lk.text for lk in page.links}
    assert links[BASE + site.missing] == "上一年度有关通知"
    assert links[BASE + site.present] == "本年度首批通知"


@pytest.mark.parametrize("cms", ["hanweb", "vsb"])
def test_the_column_list_still_gives_its_entries(cms):
    site = article_sites.build(cms)
    page = parse_page(site.files[site.column], BASE + site.column)
    assert page.is_list and page.article is None
    assert [e.url for e in page.list_entries] == [BASE + u for u in site.articles]
    assert all(isinstance(e.date, dt.date) for e in page.list_entries)


def test_a_short_list_that_is_no_article_keeps_its_entries():
    """Two dated entries on a page with no article: too few for a list, but the spider's fallback
    (a page with a list template) still reads them as the column's entries."""
    html = ('<html><head><title>通知公告</title><meta name="ColumnName" content="通知公告"></head><body>'
            '<div class="list"><ul><li><a href="/tzgg/202301/t20230105_1.html">关于春节假期安排的通知</a>'
            '<span>2023-01-05</span></li><li><a href="/tzgg/202212/t20221201_2.html">关于开展安全检查的通知</a>'
            '<span>2022-12-01</span></li></ul></div></body></html>')
    page = parse_page(html, BASE + "/tzgg/index.html")
    assert page.article is None and not page.is_list
    assert [e.date for e in page.list_entries] == [dt.date(2023, 1, 5), dt.date(2022, 12, 1)]


def test_an_article_that_is_also_a_list_keeps_its_entries():
    """A Hanweb detail page whose template carries a dated list of three or more entries is a list and an
    article at once (its ArticleTitle says so); its entries stay list entries."""
    items = "".join(f'<li><a href="/art/2023/1/{d}/art_1007_{d}.html">关于第{d}批项目的公示</a><span>2023-01-{d:02d}</span></li>'
                    for d in (3, 4, 5))
    html = ('<html><head><title>关于第6批项目的公示</title><meta name="ArticleTitle" content="关于第6批项目的公示">'
            '<meta name="PubDate" content="2023-01-06 09:00"></head><body>'
            '<div class="article"><h1>关于第6批项目的公示</h1><div id="zoom"><p>经研究，现将第6批项目予以公示，公示期五个工作日。'
            f'</p></div></div><div class="list"><ul>{items}</ul></div></body></html>')
    page = parse_page(html, BASE + "/art/2023/1/6/art_1007_6.html")
    assert page.is_list and page.article is not None
    assert len(page.list_entries) == 3


@pytest.mark.parametrize("html", ["", "<a href='/art/2023/1/8/art_1_2.html'>x</a>", "<div id='zoom'><p>2023-01-08",
                                  "<html><body><div id='zoom'>" + "<p><a href='/info/1/2.htm'>相关</a>2023-01-08</p>" * 2])
def test_bad_input_gives_no_entries_and_never_raises(html):
    page = parse_page(html, BASE + "/info/1031/1.htm")
    assert page.error is None
    assert page.article is None or page.list_entries == []

"""Hanweb- and VSB-shaped fixture portals whose article pages link, in their body, to other articles.

Real 大汉 and 博达 detail pages end a notice with 相关链接 pointing at an earlier article
(`/art/2022/1/8/art_1007_10011.html`, `/info/1031/10011.htm`): links shaped like list entries, printed
under the page's own 发布日期. Each site is a home page, one column list in its CMS's markup, the
column's articles, and one article whose body links to a missing article and to a present one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tests.crawler.list_sites import AS_OF

SITE = "测试县人民政府"
BODY = ("<p>各乡（镇）人民政府，县直各部门：</p><p>为做好本年度相关工作，经县人民政府同意，现就有关事项通知如下。"
        "各单位要对照任务清单逐项落实，建立健全工作台账，按月报送工作进展情况。</p>")


@dataclass(frozen=True)
class BodyLinkSite:
    """path -> HTML, and the paths the test asserts on."""

    cms: str
    files: dict[str, str]
    column: str
    source: str            # the article whose body holds the links
    missing: str           # its body link to an article the site does not have
    present: str           # its body link to an article the site has
    articles: tuple[str, ...]


def _head(title: str, meta: str = "") -> str:
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><meta name="SiteName" content="{SITE}">{meta}'
            f'<title>{title}-{SITE}</title></head><body>')


def _nav(column: str) -> str:
    return (f'<div class="nav"><ul><li><a href="/index.html">首页</a></li>'
            f'<li><a href="{column}">通知公告</a></li></ul></div>')


_FOOT = f'<div class="footer">{SITE}办公室主办</div></body></html>'


def _related(links: list[tuple[str, str]]) -> str:
    return "<p>相关链接：</p>" + "".join(f'<p><a href="{u}">{t}</a></p>' for u, t in links)


def _hanweb_article(column: str, title: str, date: dt.date, related: str) -> str:
    meta = (f'<meta name="ColumnName" content="通知公告"><meta name="ArticleTitle" content="{title}">'
            f'<meta name="PubDate" content="{date:%Y-%m-%d} 16:30">')
    return (_head(title, meta) + _nav(column)
            + f'<div class="bt-position">您当前的位置：<a href="/index.html">首页</a> &gt; <a href="{column}">通知公告</a></div>'
            '<div class="xxgk_top index_box"><ul><li><strong>索引号</strong>：<font>11410047018E5B7CAY/2022-00001</font></li>'
            f'<li><strong>发布日期</strong>：<font>{date:%Y-%m-%d}</font></li></ul></div>'
            f'<div class="article"><div class="title">{title}</div>'
            f'<div class="info">发布日期：{date:%Y-%m-%d} 16:30　信息来源：县政府办　浏览次数：<span id="hits"></span></div>'
            f'<div id="zoom">{BODY}{related}</div></div>' + _FOOT)


def _hanweb_list(column: str, entries: list[tuple[str, str, dt.date]]) -> str:
    records = "".join(f'<record><![CDATA[<li><a href="{u}" title="{t}" target="_blank">{t}</a>'
                      f'<span class="bt-data-time">{d:%Y-%m-%d}</span></li>]]></record>' for u, t, d in entries)
    return (_head("通知公告", '<meta name="ColumnName" content="通知公告">') + _nav(column)
            + f'<div class="bt-position">您当前的位置：<a href="/index.html">首页</a> &gt; <a href="{column}">通知公告</a></div>'
            f'<div id="1234"><script type="text/xml"><datastore><nextgroup><![CDATA[]]></nextgroup>'
            f'<recordset>{records}</recordset></datastore></script></div>' + _FOOT)


def _vsb_article(column: str, title: str, date: dt.date, related: str) -> str:
    return (_head(title) + _nav(column)
            + '<div class="breadcrumb"><span>当前位置：</span><ul><li><a href="../../index.html">首页</a> &gt; </li>'
            f'<li><a href="{column}">通知公告</a> &gt; </li><li class="path-cur">正文</li></ul></div>'
            f'<form name="_newscontent_fromname"><div class="content"><h1 class="title">{title}</h1>'
            f'<div class="info">来源：县政府办　作者：　时间：{date:%Y-%m-%d}　点击率：'
            '<script>_showDynClicks("wbnews", 1712345, 1)</script>【 打印 】【 关闭 】</div>'
            f'<div id="vsb_content"><div class="v_news_content">{BODY}{related}</div></div></div></form>' + _FOOT)


def _vsb_list(column: str, entries: list[tuple[str, str, dt.date]]) -> str:
    items = "".join(f'<li id="line_u8_{i}"><a href="{u}" target="_blank" title="{t}">{t}</a>'
                    f'<span>{d:%Y-%m-%d}</span></li>' for i, (u, t, d) in enumerate(entries))
    return (_head("通知公告") + _nav(column)
            + '<div class="breadcrumb"><span>当前位置：</span><ul><li><a href="/index.html">首页</a> &gt; </li>'
            '<li class="path-cur">通知公告</li></ul></div>'
            f'<div class="list"><ul>{items}</ul></div>' + _FOOT)


def build(cms: str, count: int = 6) -> BodyLinkSite:
    """A `cms` ('hanweb' or 'vsb') portal of one column of `count` notices; the newest links to two others."""
    if cms == "hanweb":
        column = "/col/col1007/index.html"

        def url(date: dt.date, n: int) -> str:
            return f"/art/{date.year}/{date.month}/{date.day}/art_1007_{n}.html"
        article, listing = _hanweb_article, _hanweb_list
    elif cms == "vsb":
        column = "/xwzx/tzgg.htm"

        def url(date: dt.date, n: int) -> str:
            return f"/info/1031/{n}.htm"
        article, listing = _vsb_article, _vsb_list
    else:
        raise ValueError(cms)
    newest = AS_OF - dt.timedelta(days=5)
    entries = [(url(newest - dt.timedelta(days=9 * i), 20001 + i), f"关于做好第{count - i}批重点工作的通知",
                newest - dt.timedelta(days=9 * i)) for i in range(count)]
    missing = url(dt.date(2022, 1, 8), 10011)
    source, present = entries[0][0], entries[-1][0]
    files = {"/index.html": _head(SITE) + _nav(column) + '<div class="banner">门户网站</div>' + _FOOT,
             column: listing(column, entries)}
    for i, (path, title, date) in enumerate(entries):
        related = _related([(missing, "上一年度有关通知"), (present, "本年度首批通知")]) if i == 0 else ""
        files[path] = article(column, title, date, related)
    return BodyLinkSite(cms, files, column, source, missing, present, tuple(e[0] for e in entries))

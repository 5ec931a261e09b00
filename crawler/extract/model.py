"""What the pure extraction functions return: the meaning of one HTML page, without Scrapy.

`crawler.extract.page.parse_page(html, url)` fills a ParsedPage; the spider decides what to fetch
next from it, the pipelines turn it into records. Keeping this a plain dataclass lets the
extraction be tested on the real saved pages in shared/reference/samples/ in milliseconds.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass
class Link:
    url: str                                  # absolute, canonicalised
    text: str = ""


@dataclass
class ListEntry:
    """One entry of a column's list: the article link and the date printed beside it."""

    url: str
    title: str
    date: dt.date | None = None


@dataclass
class ArticleFields:
    """The metadata and body of a detail page."""

    title: str = ""
    published: dt.date | None = None
    published_source: str | None = None       # meta | text | url
    source: str | None = None                 # 来源 / 发布机构
    index_number: str | None = None           # 索引号
    doc_number: str | None = None             # 文号
    topic: str | None = None                  # 主题分类
    written: dt.date | None = None            # 成文日期
    text: str = ""                            # clean body text


@dataclass
class ParsedPage:
    url: str
    title: str = ""
    meta: dict[str, str] = field(default_factory=dict)        # 政府网站发展指引 tags, names as written
    breadcrumb: list[Link] = field(default_factory=list)      # 首页 > 政务公开 > 通知公告
    nav_links: list[Link] = field(default_factory=list)       # menus / site map: column candidates
    list_entries: list[ListEntry] = field(default_factory=list)
    pagination: list[str] = field(default_factory=list)       # every other page of this list
    is_list: bool = False
    facet_view: bool = False        # a 主题/机构/体裁 facet of the catalogue (navigation.is_facet_view): no column
    blank_marker: str | None = None                           # '暂无信息' / '建设中' on an empty list
    article: ArticleFields | None = None
    attachments: list[Link] = field(default_factory=list)     # pdf/doc/xls… in href, onclick, iframe, viewer
    links: list[Link] = field(default_factory=list)           # every other same-site link
    frames: list[Link] = field(default_factory=list)          # same-site <frame>/<iframe> pages (also in links)
    error: str | None = None                                  # why extraction stopped early (kept, not raised)
    identity: dict | None = None                              # site-identity facts (extract/identity.py)

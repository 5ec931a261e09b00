"""The column inventory of one crawl: which 栏目 a page belongs to, what type it is, and when to say "unknown".

The spider feeds it what it fetched; this module decides, with pure functions, what the inventory
says about each column:
- one column per canonical URL (`/x/` = `/x/index.html`, TRS `index_3.html` = its first page);
- a page's column: its list entry, the breadcrumb's current crumb (linked or not), its ColumnName
  meta, or the deepest known list directory holding it;
- the 栏目类型 from all the evidence (rules.column_types.judge_column_type) with its reason, and, for
  a column nothing else types, from what its dated articles are (judge_by_articles: a guess, kept
  apart as type_source 'articles');
- section landing pages (hubs) recognised from structure: they link to sub-columns and list no
  dated entries, so they are no blank columns;
- a contradiction (no list entries, yet articles whose breadcrumb or metadata name the column) is
  "unknown" (ColumnRecord.unread_reason), never a blank-column finding;
- an empty list that reads like an undated page (the list template's chrome is all its text): a page
  reached as a column is an empty list when its list script declares no records or its list header
  stands with no rows (empty_list_evidence); one reached as a column that shows neither a list nor a
  dated article (an undated text, or a page whose metas call it a column page) is recorded as a
  column not judged (UNDECIDED_REASON), never dropped.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from urllib.parse import urlsplit

from crawler.extract.meta import get_meta
from crawler.extract.model import Link, ParsedPage
from crawler.extract.page import parse_html
from crawler.extract.pagination import declared_total
from crawler.extract.text import element_text, text_of
from crawler.profile import SiteProfile
from crawler.records import ColumnRecord
from crawler.urls import column_url, is_attachment_url, safe_join
from rules.column_types import (
    TypeVerdict,
    judge_by_articles,
    judge_column_type,
    load_vocabulary,
    names_catalogue,
    open_to_articles,
)

# TRS index_N / list_N pagination: the column is the first page.
_PAGINATED_FILE = re.compile(r"^(.*/)(index|list|default|more)_\d+(\.[a-z]+)$", re.I)
_PAGE_PARAMS = re.compile(r"^(page|pageno|pageindex|pagenum|p|pn|curpage|currentpage)$", re.I)
# 博达 VSB: /xwzx/tzgg.htm then /xwzx/tzgg/12.htm, /xwzx/tzgg/11.htm … (counting down).
_VSB_PAGE = re.compile(r"^(.*)/\d+\.htm$", re.I)
# A URL that names a column rather than a document: a directory, an index file, Hanweb's /col/colNNN/.
_COLUMN_LIKE = re.compile(r"(/|/(index|default|list)\.[a-z]+|/col/col\d+/?(index\.html)?)$", re.I)
# Sub-columns a page must link to before it is a landing page (hub) rather than a list.
MIN_HUB_LINKS = 3
# Share of a page's text lines that are link labels before its "article" is a menu.
_MENU_TEXT_SHARE = 0.8

RANK_TITLE, RANK_LINK, RANK_CRUMB, RANK_META = 0, 1, 2, 3
HUB_REASON = "栏目页仅列出{n}个下级栏目（栏目导航页），不单独判断更新情况，按各下级栏目判断"
_HUB_REASON_HEAD = HUB_REASON.partition("{")[0]
UNDECIDED_REASON = ("栏目页未读出列表，也不是注明发布日期的文章页（可能为脚本加载的列表或单页栏目），"
                    "无法判断是否为空白栏目")
# type_source of a type read from the articles over what the column's own name says (column_types.yml
# article_evidence over_name): a weaker guess still, whose freshness verdicts are 需人工复核 and count toward no veto.
ARTICLES_OVER_NAME = "articles_over_name"
# Sections whose subject columns are disclosure columns whatever their items read like.
_DISCLOSURE_SECTIONS = ("重点领域", "信息公开目录")
CONTRADICTION_REASON = ("栏目列表未读出任何信息，但有{n}篇文章的导航路径或栏目元数据指向本栏目"
                        "（列表可能由脚本加载），无法判断是否为空白栏目")


@dataclass(frozen=True)
class ArticleFacts:
    """What the column's type may read from one of its dated articles."""

    title: str
    doc_number: str | None = None             # 文号; None when it has none (or, for a carried page, unknown)


@dataclass
class ColumnState:
    """What the crawl has learnt of one column so far (the spider's working copy, not a record)."""

    url: str
    name: str = ""
    name_rank: int = 0                        # 0 title, 1 link text, 2 breadcrumb, 3 ColumnName meta
    path: str = ""
    level: int = 1
    meta_type: str | None = None
    ancestors: tuple[tuple[str, str], ...] = ()   # breadcrumb ancestors (url, name), top first, no 首页
    has_crumb: bool = False
    list_urls: dict[str, None] = field(default_factory=dict)
    entries: dict[str, dt.date | None] = field(default_factory=dict)
    blank_marker: str | None = None

    def set_name(self, name: str, rank: int) -> None:
        """Keep the best-ranked name; a ColumnName meta naming the whole catalogue (邯郸市政府信息公开)
        ranks below the breadcrumb, which names the column itself."""
        name = (name or "").strip()
        if rank == RANK_META and names_catalogue(name):
            rank = RANK_LINK
        if name and rank >= self.name_rank:
            self.name, self.name_rank = name, rank


# ---------------------------------------------------------------------------- which column
def column_key(url: str, list_owner: dict[str, str], columns: dict[str, ColumnState]) -> str:
    """The URL a list page's column is known by: its first list page, in canonical column form."""
    if url in list_owner:
        return list_owner[url]
    m = _PAGINATED_FILE.match(url)
    if m:
        return column_url(f"{m.group(1)}{m.group(2)}{m.group(3)}")
    parts = urlsplit(url)
    if parts.query:
        kept = [p for p in parts.query.split("&") if not _PAGE_PARAMS.match(p.split("=", 1)[0])]
        if len(kept) != len(parts.query.split("&")):
            return column_url(parts._replace(query="&".join(kept)).geturl())
    m = _VSB_PAGE.match(url)
    if m and f"{m.group(1)}.htm" in columns:
        return f"{m.group(1)}.htm"
    return column_url(url)


def current_crumb(parsed: ParsedPage) -> Link | None:
    """The breadcrumb's last item when it is the unlinked current column (not the page's own title)."""
    if len(parsed.breadcrumb) < 2 or parsed.breadcrumb[-1].url:
        return None
    last = parsed.breadcrumb[-1]
    title = (parsed.article.title if parsed.article else "") or parsed.title
    return None if last.text and title and last.text.strip() == title.strip() else last


def column_by_name(name: str, columns: Iterable[ColumnState], parent_url: str | None = None) -> str | None:
    """The one known column of that name (under `parent_url` when given); None when none or several."""
    wanted = (name or "").strip()
    if not wanted:
        return None
    found = [c.url for c in columns if c.name == wanted
             and (parent_url is None or any(url == parent_url for url, _ in c.ancestors))]
    return found[0] if len(found) == 1 else None


def column_for_article(url: str, meta: dict, parsed: ParsedPage, *, entry_column: dict[str, str],
                       columns: dict[str, ColumnState], on_site: Callable[[str], bool],
                       key: Callable[[str], str]) -> tuple[str | None, str | None]:
    """(column URL, how it was found) for an article: list | request | breadcrumb | meta | directory."""
    if url in entry_column:
        return entry_column[url], "list"
    if meta.get("column_url"):
        return meta["column_url"], "request"
    crumbs = [c for c in parsed.breadcrumb if c.url and c.url != url and on_site(c.url)]
    current = current_crumb(parsed)
    if current is not None:
        # 首页 > 要闻 > 山西要闻(unlinked): the article is in 山西要闻, never in its parent 要闻.
        parent = key(crumbs[-1].url) if crumbs else None
        named = column_by_name(current.text, columns.values(), parent) or column_by_name(
            current.text, columns.values())
        if named:
            return named, "breadcrumb"
    elif len(crumbs) > 1:
        return key(crumbs[-1].url), "breadcrumb"
    meta_name = parsed.meta.get("ColumnName") or parsed.meta.get("columnname")
    if meta_name and not names_catalogue(meta_name):
        named = column_by_name(meta_name, columns.values())
        if named:
            return named, "meta"
    best, best_len = None, 0
    for column in columns.values():
        for list_url in list(column.list_urls) or [column.url]:
            directory = list_url.rsplit("/", 1)[0] + "/"
            if url.startswith(directory) and len(directory) > best_len:
                best, best_len = column.url, len(directory)
    return best, ("directory" if best else None)


def crumb_path(parsed: ParsedPage) -> tuple[str, int] | None:
    """('首页/政务公开/通知公告', level) from the breadcrumb, the unlinked current crumb included."""
    names = [c.text.strip() for c in parsed.breadcrumb if c.text.strip()]
    if not names:
        return None
    return "/".join(names), max(1, len(names) - 1)


# ---------------------------------------------------------------------------- hubs
def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text or "")


def hub_links(parsed: ParsedPage, url: str, excluded: Iterable[str] = ()) -> list[Link]:
    """The sub-columns a section landing page lists, or [] when the page is no landing page.

    A landing page (政务公开, 互动交流, a 公开指南 hub) lists no dated entry, has no pagination and no
    dated article, and either links to at least MIN_HUB_LINKS column-like URLs below its own
    directory, or its whole "article" is the labels of links to column-like URLs (a menu).
    """
    if parsed.blank_marker or parsed.pagination or any(e.date for e in parsed.list_entries):
        return []
    if any(not _COLUMN_LIKE.search(urlsplit(e.url).path or "/") for e in parsed.list_entries):
        return []                             # an undated list of documents, not of sub-columns
    if parsed.article is not None and parsed.article.published is not None:
        return []
    skip = {url, *excluded}
    column_links: dict[str, Link] = {}
    for link in parsed.nav_links + parsed.links:
        if link.url in skip or is_attachment_url(link.url) or not _COLUMN_LIKE.search(urlsplit(link.url).path or "/"):
            continue
        column_links.setdefault(column_url(link.url), link)
    directory = column_url(url)
    directory = directory if directory.endswith("/") else directory.rsplit("/", 1)[0] + "/"
    below = [lk for u, lk in column_links.items() if u.startswith(directory) and u != directory]
    if len(below) >= MIN_HUB_LINKS:
        return below
    if parsed.article is not None and len(column_links) >= MIN_HUB_LINKS:
        labels = {_squash(lk.text) for lk in column_links.values() if lk.text}
        lines = [_squash(line) for line in (parsed.article.text or "").splitlines() if _squash(line)]
        menu = sum(1 for line in lines if any(line in label for label in labels))
        if lines and menu >= _MENU_TEXT_SHARE * len(lines):
            return list(column_links.values())
    return []


def as_hub(parsed: ParsedPage) -> None:
    """Read a landing page as what it is: no article, no entries (a column only if a list template says so)."""
    parsed.article, parsed.list_entries = None, []


# ---------------------------------------------------------------------------- empty lists
# The labels of a list's header row (名称/索引号/发布机构/发布日期, 标题/发布日期 …): a title column and a date
# column, and nothing that is not a list column's label.
_TITLE_LABELS = frozenset({"标题", "名称", "文件名称", "信息名称", "文件标题", "信息标题", "公开事项", "主题"})
_DATE_LABELS = frozenset({"发布日期", "发布时间", "日期", "时间", "成文日期", "公开日期", "更新时间"})
_OTHER_LABELS = frozenset({"索引号", "发布机构", "发文机关", "文号", "发文字号", "序号", "来源", "公开方式",
                           "浏览次数", "点击数", "状态"})
# Article metas of the 政府网站发展指引: a page carrying one says it is a document, not a column.
_ARTICLE_METAS = ("ArticleTitle", "PubDate")


def undated_column_page(parsed: ParsedPage) -> bool:
    """Whether a page reached as a column shows no list and no dated article: no list entries, and
    either no article at all or an undated one without article metas (an article page says
    ArticleTitle/PubDate; a column page does not)."""
    if parsed.is_list or parsed.list_entries:
        return False
    if parsed.article is None:
        return True
    if parsed.article.published is not None:
        return False
    return not any(get_meta(parsed.meta, name) for name in _ARTICLE_METAS)


def says_column_page(parsed: ParsedPage) -> bool:
    """Whether the page's own metas call it a column page (ColumnName without ArticleTitle/PubDate)."""
    return bool(get_meta(parsed.meta, "ColumnName")) and not any(get_meta(parsed.meta, n) for n in _ARTICLE_METAS)


def is_section_page(parsed: ParsedPage, url: str) -> bool:
    """Whether the page's menus link to columns inside its own folder: a section (channel) page over its
    sub-columns, however few (a hub needs MIN_HUB_LINKS). It is judged through them, not as a column."""
    here = column_url(url)
    directory = here if here.endswith("/") else here.rsplit("/", 1)[0] + "/"
    return any(u.startswith(directory) and u != here for u in (column_url(lk.url) for lk in parsed.nav_links))


def flat_landing_links(parsed: ParsedPage, url: str) -> list[Link]:
    """Sub-columns a landing page lists outside its menus, on a CMS that keeps every column at one level
    (Hanweb's /col/colNNN/): at least MIN_HUB_LINKS column-like links in the page body, none dated, and
    fewer document links beside them. A page whose body links more documents than column pages is an
    undated list whose template chrome (网站地图, 网站管理, a menu item the menus missed) looks like columns."""
    if parsed.list_entries or parsed.pagination or (parsed.article is not None and parsed.article.published):
        return []
    menus = {column_url(lk.url) for lk in parsed.nav_links + parsed.breadcrumb if lk.url}
    here = column_url(url)
    found: dict[str, Link] = {}
    documents: set[str] = set()
    for link in parsed.links:
        target = column_url(link.url)
        if target == here or target in menus or is_attachment_url(link.url):
            continue
        if _COLUMN_LIKE.search(urlsplit(link.url).path or "/"):
            found.setdefault(target, link)
        else:
            documents.add(target)
    return list(found.values()) if len(found) >= MIN_HUB_LINKS and len(documents) < len(found) else []


# Where a menu item keeps its sub-items: the item itself (<li>) or a definition list (<dl><dt>parent</dt><dd>…).
_MENU_ITEMS = ("li", "dl")
# What may stand between a parent item's link and its item: headings and inline wrappers, never another item.
_ITEM_WRAPPERS = frozenset({"dt", "h1", "h2", "h3", "h4", "h5", "h6", "p", "span", "strong", "b", "em", "font", "i"})


def menu_children(doc, url: str) -> list[Link]:
    """The sub-items the page's menus show under the item linking to `url`, or [].

    A drop-down or side menu nests a section's columns under the section's own link:
    `<li><a href="/zwgk/">政务公开</a><ul class="subnav">…</ul></li>`, or Hanweb JCMS's
    `<dl><dt><a href="/col/col1599521/index.html">政务公开</a></dt><dd>…</dd></dl>`. Only a link heading
    its item counts (the item's first link, wrapped in nothing but headings and inline tags); a link
    to the section itself again (更多栏目) and off-site links are no sub-items."""
    here = column_url(url)
    host = urlsplit(here).netloc
    children: dict[str, Link] = {}
    for anchor in doc.iter("a"):
        target = safe_join(url, anchor.get("href"))
        if not target or column_url(target) != here:
            continue
        item = anchor.getparent()
        while item is not None and item.tag in _ITEM_WRAPPERS:
            item = item.getparent()
        if item is None or item.tag not in _MENU_ITEMS:
            continue
        links = list(item.iter("a"))
        if links[0] is not anchor:
            continue
        for link in links[1:]:
            sub = safe_join(url, link.get("href"))
            if (sub and column_url(sub) != here and urlsplit(sub).netloc == host and urlsplit(sub).path not in ("", "/")
                    and not is_attachment_url(sub)):
                children.setdefault(column_url(sub), Link(sub, _squash(text_of(link))))
    return list(children.values())


def menu_landing_links(parsed: ParsedPage, url: str, html: str) -> list[Link]:
    """Sub-columns of a section page that the site's own menus nest under it, when the page shows nothing of its
    own: no list, no dated article, no list script, and no text beyond link labels (a channel page whose body
    repeats the drop-down's items, its columns on another path: 博达 /news/xwzx.htm under /col/col1001/).

    A page with an undated text of its own (a 概况 page that also heads a menu) or a list its script declares
    stays what it is; the spider then records it as not judged."""
    if parsed.list_entries or parsed.pagination or parsed.blank_marker or declared_total(html) is not None:
        return []
    if parsed.article is not None and parsed.article.published is not None:
        return []
    doc = parse_html(html)
    if doc is None:
        return []
    body = next(doc.iter("body"), doc)
    text = parsed.article.text if parsed.article is not None else element_text(body, skip_chrome=True)
    return menu_children(doc, url) if _labels_only(text, doc) else []


# A line of a page's own text longer than this is prose, not a heading over a block of links.
_MAX_HEADING = 12


def _labels_only(text: str, doc) -> bool:
    """Whether a page's text (chrome left out) is link labels and at most one short heading over them; a line of
    several links (网站地图 | 无障碍 | 长者模式, some of them href="#") is labels too."""
    labels = sorted({_squash(text_of(a)) for a in doc.iter("a")} - {""}, key=len, reverse=True)
    own = []
    for line in (text or "").splitlines():
        rest = _squash(line)
        for label in labels:
            if label in rest:
                rest = rest.replace(label, "")
        rest = _LINK_SEPARATORS.sub("", rest)
        if rest:
            own.append(rest)
    return len(own) <= 1 and all(len(line) <= _MAX_HEADING for line in own)


_LINK_SEPARATORS = re.compile(r"[|｜·•/、,，\-—>＞»]+")


def _header_rows(doc) -> Iterable[list[str]]:
    """Cell texts of rows that may be a list's header: <tr> of th/td, <dl> of dt, <ul> of short <li>."""
    for row in doc.iter("tr", "dl", "ul"):
        cells = [c for c in row if isinstance(c.tag, str) and c.tag in ("th", "td", "dt", "li")]
        if 2 <= len(cells) <= 8:
            yield [_squash(text_of(c)) for c in cells]


def _is_header(cells: list[str]) -> bool:
    labels = set(cells)
    return (bool(labels & _TITLE_LABELS) and bool(labels & _DATE_LABELS)
            and labels <= _TITLE_LABELS | _DATE_LABELS | _OTHER_LABELS)


def empty_list_evidence(parsed: ParsedPage, html: str) -> str | None:
    """Why a page reached as a column is an empty list although it reads like an undated page, or None.

    A CMS renders an empty column with its list template: the list script still runs with a record
    count of zero (recordCount: '0', 共0条, totalRecord=0), or the list's header row (标题 · 发布日期)
    stands with no row under it. Either is the list template speaking; the page's other text is its
    chrome. A script that declares records the page does not show is a list loaded later: no evidence.
    Call it only for pages with no list entries (undated_column_page).
    """
    declared = declared_total(html)
    if declared == 0:
        return "列表脚本声明信息数为0"
    if declared is not None:
        return None                  # the script holds records the page does not show: loaded later, not empty
    doc = parse_html(html)
    if doc is not None and any(_is_header(cells) for cells in _header_rows(doc)):
        return "列表表头下无任何信息"
    return None


# ---------------------------------------------------------------------------- the record
def parent_names(col: ColumnState) -> list[str]:
    """The names above the column, top first (from its breadcrumb path, else its ancestors)."""
    names = [n for n in (col.path or "").split("/") if n]
    if names and names[-1] == col.name:
        names = names[:-1]
    return names or [name for _, name in col.ancestors]


def column_verdict(col: ColumnState, columns: dict[str, ColumnState], profile: SiteProfile,
                   articles: Iterable[ArticleFacts] = ()) -> TypeVerdict:
    """The column's 栏目类型 from its profile entry, metas, name, parents and known sub-columns; when
    none of them types it, from what its dated articles are."""
    name = col.name or col.url
    children = [c.name for c in columns.values() if c.url != col.url and c.ancestors
                and c.ancestors[-1][0] == col.url and c.name]
    verdict = judge_column_type(name, parent_names(col), col.meta_type,
                                profile.column_type_for(col.url, name), children)
    if open_to_articles(verdict):
        by_articles = judge_by_articles(((a.title, a.doc_number) for a in articles), before=verdict)
        if by_articles is not None:
            return by_articles
    elif verdict.source == "name" and _subject_outside_disclosure(verdict.type, parent_names(col)):
        by_articles = judge_by_articles(((a.title, a.doc_number) for a in articles), before=verdict)
        if by_articles is not None and verdict.type in _over_name(by_articles.type):
            return replace(by_articles, source=ARTICLES_OVER_NAME)
    return verdict


def _over_name(type_name: str | None) -> frozenset[str]:
    """The name-given types the article kind of this type may override (column_types.yml over_name)."""
    return next((k.over_name for k in load_vocabulary().articles.kinds if k.type == type_name), frozenset())


def _subject_outside_disclosure(type_name: str | None, parents: list[str]) -> bool:
    """Whether a column named by a subject (社会公益) may be read by its articles: some article kind may override
    its type, and it does not sit in a 重点领域 or catalogue section (政务公开 > 重点领域信息公开 > 教育 is a
    disclosure column whatever its items read like)."""
    vocabulary = load_vocabulary()
    if not any(type_name in k.over_name for k in vocabulary.articles.kinds):
        return False
    parents = [p for p in parents if p not in vocabulary.home_names]
    if not parents:
        return True
    return judge_column_type(parents[-1], parents[:-1]).type not in _DISCLOSURE_SECTIONS


def is_landing_page(column: ColumnRecord) -> bool:
    """A column recorded as a landing page (HUB_REASON): it lists sub-columns and no dated entries of its own, so
    nothing newer can hide in it — its freshness is its sub-columns'."""
    return bool(column.unread_reason) and column.unread_reason.startswith(_HUB_REASON_HEAD)


def unread_reason(col: ColumnState, hub_count: int, claimed: int) -> str | None:
    """Why the inventory gives no verdict on the column: a landing page, or a contradiction."""
    if col.entries:
        return None
    if hub_count:
        return HUB_REASON.format(n=hub_count)
    if claimed:
        return CONTRADICTION_REASON.format(n=claimed)
    return None


def column_record(col: ColumnState, columns: dict[str, ColumnState], profile: SiteProfile,
                  article_dates: dict[str, dt.date], hub_count: int = 0, claimed: int = 0,
                  articles: Iterable[ArticleFacts] = ()) -> ColumnRecord:
    """The ColumnRecord of a column as it stands: type with its reason, freshness, and any unknown.

    `articles` are the column's dated articles fetched so far (the type's last evidence)."""
    name = col.name or col.url
    verdict = column_verdict(col, columns, profile, articles)
    list_dates = [d for d in col.entries.values() if d]
    dates = list(article_dates.values())
    latest = max(list_dates) if list_dates else (max(dates) if dates else None)
    level = col.level
    if col.has_crumb:
        # Only ancestors that are columns themselves count: 政务公开 holding sub-columns is a channel.
        # A channel often links to its first sub-column (新闻中心 -> 青禾要闻): the names then differ.
        level = 1 + sum(1 for url, parent in col.ancestors if url in columns and columns[url].name == parent)
    reason = verdict.reason
    if hub_count and not col.entries:
        reason = f"栏目导航页（列出{hub_count}个下级栏目）；{reason}"
    return ColumnRecord(
        url=col.url, name=name, path=col.path or name, type=verdict.type, type_source=verdict.source,
        level=level, list_urls=list(col.list_urls), items=len(col.entries), latest=latest,
        dated_items=len(list_dates) if list_dates else len(dates),
        blank_marker=col.blank_marker if not col.entries else None,
        department=profile.department_for(col.url, name),
        fetched_at=dt.datetime.now().replace(microsecond=0),
        unread_reason=unread_reason(col, hub_count, claimed), type_reason=reason,
    )

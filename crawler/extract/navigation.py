"""Column candidates: navigation menus, the 网站地图 page, and the breadcrumb of a page.

Breadcrumbs come from a `breadcrumb`/`position`/`location` block, a "当前位置：" line, TRS's
`a.CurrChnlCls` chain, or Hanweb's hidden `div#hiddenLocation` (col3 → col1). The current column is
often written without a link (`<li class="path-cur">山西要闻</li>`): it is kept as a crumb with an
empty URL, since it — not the linked parent — is the column a page belongs to. Menus skip friend
links (友情链接), login, search and RSS links, and other sites. A menu held as JSON data (a 目录 tree its
script draws) is read by crawler/extract/column_tree.py (parse_page adds it to the menus).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from lxml import etree

from crawler.extract.model import Link
from crawler.extract.text import RememberedSearch, text_of
from crawler.urls import host_of, is_attachment_url, safe_join, same_site, unwrap_ipv6_gateway

_CRUMB_ID = re.compile(r"bread|crumb|position|location|dqwz|mbx|weizhi|curpos|current", re.I)
_CRUMB_TEXT = re.compile(r"(当前位置|您的位置|您现在的位置|你的位置|所在位置|现在位置)")
_NAV_ID = re.compile(r"(^|[\s_-])(nav|navs|navbar|menu|menus|dh|lanmu|column|channel|topnav|mainnav)"
                     r"([\s_-]|\d|$)", re.I)
_FRIEND = re.compile(r"友情链接|相关链接|链接：|yqlj|friend|outlink|out_links|links?_?box", re.I)
_EXCLUDE_TEXT = re.compile(r"你好|登录|注册|注销|登出|搜索|检索|RSS|订阅|English|无障碍|繁体|繁體|简体|手机版|移动版|"
                           r"长者模式|打印|关闭|收藏|分享|微信|微博|返回顶部")
_EXCLUDE_URL = re.compile(r"login|logout|register|search|rss|javascript:|mailto:|/ssp/|sousuo", re.I)
# the id/class and menu-link tests, their verdicts remembered (text.RememberedSearch)
_CRUMB_IDENT, _NAV_IDENT, _FRIEND_IDENT = RememberedSearch(_CRUMB_ID), RememberedSearch(_NAV_ID), RememberedSearch(_FRIEND)
_EXCLUDED_TEXT, _EXCLUDED_URL = RememberedSearch(_EXCLUDE_TEXT), RememberedSearch(_EXCLUDE_URL)
SITEMAP_WORDS = ("网站地图", "站点地图")
_SITEMAP_URL = re.compile(r"sitemap|wzdt|zddt|webmap|site_map", re.I)


def _link(a: etree._Element, base: str) -> Link | None:
    url = safe_join(base, a.get("href"))
    if url is None:
        return None
    own = text_of(a)                          # once: a menu page asks this of every anchor
    text = " ".join(own.split()) if own.strip() else " ".join((a.get("title") or "").split())
    if not text:                              # an image link: <a><img alt="政务公开"></a>
        text = " ".join(" ".join(img.get("alt") or "" for img in a.iter("img")).split())
    return Link(url=url, text=text)


# Separators between crumbs, and trailing words that name the page, not a column (首页 > 要闻 > 正文).
_CRUMB_SEPARATORS = re.compile(r"^[\s>›»/\\|\-—→＞、:：·]+|[\s>›»/\\|\-—→＞、:：·]+$")
_NOT_A_COLUMN = re.compile(r"^(正文|详情|详细信息|信息详情|内容|文章|浏览文章|阅读文章|查看|详细内容|列表)$")
_MAX_CRUMB_CHARS = 20


def _crumb_links(el: etree._Element, base: str) -> list[Link]:
    out = [lk for a in el.iter("a") if (lk := _link(a, base)) and lk.text]
    if out:
        current = _unlinked_current(el)
        if current and current != out[-1].text:
            out.append(Link(url="", text=current))
    return out


def _unlinked_current(el: etree._Element) -> str | None:
    """The text after the block's last link, when it is a column name (the unlinked current crumb)."""
    anchors = list(el.iter("a"))
    if not anchors:
        return None
    last = anchors[-1]
    inside_last = {id(t) for t in last.iter()}
    after, seen_last = [], False
    for node in el.iter():
        if node is last:
            seen_last = True
            after.append(node.tail or "")
            continue
        if not seen_last or id(node) in inside_last:
            continue
        if not isinstance(node.tag, str) or node.tag in ("script", "style"):
            after.append(node.tail or "")
            continue
        after.append((node.text or "") + (node.tail or ""))
    text = _CRUMB_SEPARATORS.sub("", " ".join("".join(after).split()))
    if not text or len(text) > _MAX_CRUMB_CHARS or _NOT_A_COLUMN.match(text) or _CRUMB_TEXT.search(text):
        return None
    if any(sep in text for sep in (">", "›", "»", "＞")):
        return None                           # more than one unlinked item: not a breadcrumb tail
    return text


def find_breadcrumb(doc: etree._Element, base: str) -> list[Link]:
    """The 首页 > 栏目 > 子栏目 chain of the page, top first ([] when the page shows none)."""
    for el in doc.iter("div", "span", "p", "td", "ul", "nav", "ol"):
        el_id = el.get("id")
        ident = (el_id or "") + " " + (el.get("class") or "")
        if el_id == "hiddenLocation" or not _CRUMB_IDENT.search(ident):
            continue
        links = _crumb_links(el, base)
        text = text_of(el) or ""
        if 1 <= len(links) <= 10 and len(text.strip()) < 300 and (
                len(links) >= 2 or _CRUMB_TEXT.search(text) or ">" in text or "›" in text):
            return links
    for el in doc.iter("div", "span", "p", "td", "li", "font", "strong", "b", "i"):
        own = (el.text or "") + "".join(c.tail or "" for c in el)
        if not _CRUMB_TEXT.search(own):
            continue
        node = el
        for _ in range(5):
            links = _crumb_links(node, base)
            if links:
                if len(links) <= 10:
                    return links
                break
            node = node.getparent()
            if node is None:
                break
    chain = [a for a in doc.iter("a") if "CurrChnlCls" in (a.get("class") or "")]
    if chain:
        parent = chain[0].getparent()
        return [lk for a in chain if (lk := _link(a, base)) and lk.text
                and (a.getparent() is parent or len(chain) <= 10)]
    return hidden_location(doc, base)


def hidden_location(doc: etree._Element, base: str) -> list[Link]:
    """Hanweb JCMS `div#hiddenLocation`: spans col3_name/col3_url … col1_name/col1_url, top first."""
    found = doc.xpath("//*[@id='hiddenLocation']")
    if not found:
        return []
    spans = {(s.get("id") or ""): (text_of(s) or "").strip() for s in found[0].iter("span")}
    levels = sorted({int(m.group(1)) for k in spans if (m := re.match(r"col(\d+)_name$", k))}, reverse=True)
    out = []
    for n in levels:
        name, href = spans.get(f"col{n}_name"), spans.get(f"col{n}_url")
        if name and href:
            if url := safe_join(base, href):
                out.append(Link(url=url, text=name))
    return out


_FRIEND_REACH = 5                    # a friend-link block counts for its element and five levels below it


class _FriendBlocks:
    """Whether an element sits in a friend-link block; each element's own id/class/des is read at most once.

    Menu anchors share most of their ancestors: each element's distance to the nearest friend block at
    or above it is worked out once (from its parent's), so an anchor costs a look-up, not a walk.
    """

    def __init__(self) -> None:
        self.own: dict[etree._Element, bool] = {}
        self.distance: dict[etree._Element, int] = {}     # capped at _FRIEND_REACH + 1 (= none near)

    def _is_block(self, node: etree._Element) -> bool:
        found = self.own.get(node)
        if found is None:
            ident = (node.get("id") or "") + " " + (node.get("class") or "") + " " + (node.get("des") or "")
            found = self.own[node] = _FRIEND_IDENT.search(ident)
        return found

    def near(self, el: etree._Element) -> bool:
        """`el` or one of its _FRIEND_REACH nearest ancestors is a friend-link block."""
        far = _FRIEND_REACH + 1
        path: list[etree._Element] = []
        node: etree._Element | None = el
        above = far                                      # the distance known at the top of the walk
        while node is not None:
            known = self.distance.get(node)
            if known is not None:
                above = known
                break
            if self._is_block(node):
                self.distance[node] = above = 0
                break
            path.append(node)
            node = node.getparent()
        for below in reversed(path):
            above = min(above + 1, far)
            self.distance[below] = above
        return self.distance[el] <= _FRIEND_REACH


def _in_friend_block(el: etree._Element, friends: _FriendBlocks | None = None) -> bool:
    """`el` or one of its five nearest ancestors is a friend-link block."""
    if friends is not None:
        return friends.near(el)
    node, depth = el, 0
    while node is not None and depth <= _FRIEND_REACH:
        ident = (node.get("id") or "") + " " + (node.get("class") or "") + " " + (node.get("des") or "")
        if _FRIEND_IDENT.search(ident):
            return True
        node, depth = node.getparent(), depth + 1
    return False


def _good_nav_link(a: etree._Element, base: str, hosts: set[str],
                   on_site: dict[str, bool] | None = None) -> Link | None:
    """The menu link `a` points to, unless it is a login/search/RSS/other-site/attachment link.

    `on_site` remembers same_site() per host for one page (its answer depends on the URL's host alone).
    """
    lk = _link(a, base)
    if lk is None or not lk.text or len(lk.text) > 20 or _EXCLUDED_TEXT.search(lk.text):
        return None
    if _EXCLUDED_URL.search(lk.url) or is_attachment_url(lk.url):
        return None
    if hosts:
        if on_site is None:
            inside = same_site(lk.url, hosts)
        else:
            host = host_of(unwrap_ipv6_gateway(lk.url))
            inside = on_site.get(host)
            if inside is None:
                inside = on_site[host] = same_site(lk.url, hosts)
        if not inside:
            return None
    return lk


# A row of image links is a menu from this many links on (three pictures side by side say too little), when at
# least three in four of the row's links hold only a picture.
MIN_IMAGE_MENU = 4
_CELLS = ("td", "th", "li", "dd")


def _image_menus(doc: etree._Element) -> list[etree._Element]:
    """Rows of links that hold only a picture named by its alt text: the top menu and 专题 strips of old
    table-layout portals (`<tr><td><a href="/zwgk/"><img alt="政务公开"></a></td>…`), which carry no nav class.

    The row is the element holding the links, or, when each link has a cell (td, li) of its own, the element
    holding the cells. A strip of picture news is no menu: a link whose URL carries a date is an article."""
    from crawler.extract.article import url_year

    rows: dict[etree._Element, list[etree._Element]] = {}
    seen: set[etree._Element] = set()
    for img in doc.iter("img"):
        if not (img.get("alt") or "").strip():
            continue
        a = img.getparent()                              # <a><img></a>, or <a><span><img></span></a>
        if a is not None and a.tag != "a":
            a = a.getparent()
        if a is None or a.tag != "a" or a in seen or a.get("href") is None:
            continue
        seen.add(a)
        if (text_of(a) or "").strip():
            continue                                     # a text link: text menus are found by their class
        row = a.getparent()
        if row is None:
            continue
        if row.tag in _CELLS and sum(1 for _ in row.iter("a")) == 1 and row.getparent() is not None:
            row = row.getparent()
        rows.setdefault(row, []).append(a)
    menus = []
    for row, anchors in rows.items():
        if len(anchors) < MIN_IMAGE_MENU or len(anchors) * 4 < sum(1 for _ in row.iter("a")) * 3:
            continue
        if any(url_year(a.get("href") or "") for a in anchors):
            continue
        menus.append(row)
    return menus


# The headings of a 政府信息公开 platform's catalogue facets: the same documents listed again by 主题, 机构, 体裁 …
# (2015-era xxgk platforms' left menus). A facet entry is a query over the columns, not a column of its own: an
# empty theme is no 空白栏目, a theme holding only old 人事 documents no 人事信息 column out of date.
_FACET_HEADING = re.compile(r"^(按(主题|机构|部门|体裁|文种|服务对象|对象|组配|公开主体|发布机构)(分类)?(浏览|查询|导航)?|"
                            r"(主题|机构|部门|体裁|文种|服务对象|组配|公开主体|发布机构)分类(导航)?)$")
_HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "dt", "div", "p", "span", "strong", "b", "li"})
_MAX_FACET_HEADING = 12


_FACET_CANDIDATES = etree.XPath('descendant-or-self::*[contains(text(), "分类") or contains(text(), "按")]')
# What a facet heading's text holds, for a test of the raw page before any tree walk.
FACET_WORDS = re.compile(r">\s*按?(主题|机构|部门|体裁|文种|服务对象|对象|组配|公开主体|发布机构)")
_SECTION_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "dt"})       # a heading even when empty


def _is_facet_heading(el: etree._Element) -> bool:
    """A heading's own text (not its descendants': cheap on every element of a page) names a facet."""
    text = "".join((el.text or "").split())
    if not (0 < len(text) <= _MAX_FACET_HEADING and _FACET_HEADING.match(text)):
        return False
    if (el.tail or "").strip() or text.endswith(("：", ":")):
        return False                     # a label with its value (<strong>主题分类</strong>：综合政务), no heading
    return not any(True for _ in el.iter("a"))


def facet_anchors(container: etree._Element) -> set[etree._Element]:
    """Anchors listed under a facet heading of `container`: the elements after the heading up to the next
    section heading (`<h3>按主题分类</h3><ul>…</ul><h3>按机构分类</h3>`, `<div><span>主题分类</span><ul>…</ul></div>`),
    or after the wrapper a heading sits alone in (`<div class="title"><span>主题分类</span></div><ul>…</ul>`)."""
    out: set[etree._Element] = set()
    for heading in _FACET_CANDIDATES(container):          # XPath in C: a page walk in Python cost 15 % of parse_page
        if heading.tag not in _HEADING_TAGS or not _is_facet_heading(heading):
            continue
        while heading.getnext() is None:                   # <div class="title"><span>主题分类</span></div><ul>…
            wrapper = heading.getparent()
            if wrapper is None or wrapper is container or any(True for _ in wrapper.iter("a")):
                break
            heading = wrapper
        node = heading.getnext()
        while node is not None:
            if isinstance(node.tag, str):
                if not any(True for _ in node.iter("a")) and (node.tag in _SECTION_TAGS or text_of(node).strip()):
                    break                                  # the next heading: another facet, or the columns'
                out.update(node.iter("a"))
            node = node.getnext()
    return out


def _query_pairs(query: str) -> set[tuple[str, str]]:
    return {tuple(p.partition("=")[::2]) for p in query.split("&") if p}


def is_facet_view(doc: etree._Element, base: str, url: str) -> bool:
    """The page is one of its own menu's facet entries (`list.jsp?theme=05`, or a later page of it,
    `list.jsp?theme=05&pageIndex=2`, under 按主题分类): a view over the columns' documents, not a column."""
    here = urlsplit(url)
    mine = _query_pairs(here.query)
    for a in facet_anchors(doc):
        target = safe_join(base, a.get("href"))
        if target is None:
            continue
        there = urlsplit(target)
        if (there.netloc, there.path) != (here.netloc, here.path):
            continue
        wanted = _query_pairs(there.query)
        if wanted == mine or (wanted and wanted <= mine):
            return True
    return False


def find_nav_links(doc: etree._Element, base: str, hosts: set[str] | None = None,
                   sitemap: bool = False) -> list[Link]:
    """Column candidates from menus (<nav>, role=navigation, class*=nav/menu, rows of image links), or every
    link of a site map; a catalogue facet's entries (facet_anchors) are no candidates."""
    hosts = set(hosts or ()) or {host_of(base)} - {""}
    containers: list[etree._Element] = []
    if sitemap:
        containers = [doc.find("body") if doc.find("body") is not None else doc]
    else:
        for el in doc.iter("nav", "ul", "div", "dl", "table"):
            ident = (el.get("id") or "") + " " + (el.get("class") or "")
            if el.tag == "nav" or el.get("role") == "navigation" or _NAV_IDENT.search(ident):
                containers.append(el)
        containers += _image_menus(doc)
    out: dict[str, Link] = {}
    on_site: dict[str, bool] = {}
    friends = _FriendBlocks()
    done: set[etree._Element] = set()            # menus nest (a <ul> in a nav <div>): each anchor once
    for container in containers:
        if _in_friend_block(container, friends):
            continue
        facets = facet_anchors(container) if not sitemap else set()
        for a in container.iter("a"):
            if a in done or a in facets:
                continue
            done.add(a)
            if a.get("href") is None or _in_friend_block(a, friends):
                continue
            lk = _good_nav_link(a, base, hosts, on_site)
            if lk and lk.url not in out:
                out[lk.url] = lk
    return list(out.values())


def is_sitemap(doc: etree._Element, url: str, title: str = "") -> bool:
    """A 网站地图 page: its title or heading says so, or its URL does and it holds many links."""
    heads = title + " ".join(" ".join(text_of(h).split()) for h in doc.iter("h1", "h2", "title"))
    if any(w in heads for w in SITEMAP_WORDS):
        return True
    return bool(_SITEMAP_URL.search(url)) and sum(1 for _ in doc.iter("a")) >= 20

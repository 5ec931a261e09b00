"""Column list entries: the repeated <li>/<tr>/<dl> blocks that hold an article link and a date.

Generic: every link is walked up to the smallest block that also prints a date; blocks are grouped
by their parent and the parent with the most such blocks wins. Hanweb JCMS lists that sit inside
`<script type="text/xml">` <record> CDATA are parsed too. Lists rendered only by JS templates
(avalon `ms-repeat`, Vue) have no links in the HTML and are skipped: the spider must use the
list API (see pagination.py) for those pages.
"""

from __future__ import annotations

import re

from lxml import etree
from lxml import html as lxml_html

from crawler.extract.dates import find_dates
from crawler.extract.model import ListEntry
from crawler.extract.text import text_of
from crawler.urls import is_attachment_url, safe_join

BLANK_MARKERS = ("暂无信息", "暂无数据", "暂无内容", "暂无相关信息", "暂无记录", "正在建设", "建设中", "敬请期待",
                 "栏目维护中", "无相关信息")
_RECORD_RE = re.compile(r"<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>", re.S | re.I)
_MAX_UP = 4


def _href(a: etree._Element, base: str) -> str | None:
    return safe_join(base, a.get("href"))


def _entries_from(root: etree._Element, base: str, default_year: int | None) -> list[list[ListEntry]]:
    """Link+date blocks of `root`, grouped by their parent element."""
    groups: dict[etree._Element, list[ListEntry]] = {}
    seen: set[str] = set()
    link_count: dict[etree._Element, int] = {}
    for a in root.iter("a"):
        url = _href(a, base)
        if not url or url in seen or is_attachment_url(url):
            continue
        title = " ".join((a.get("title") or text_of(a) or "").split())
        if len(title) < 2:
            continue
        block, anchor_text = a, text_of(a) or ""
        for _ in range(_MAX_UP):
            parent = block.getparent()
            if parent is None or parent.tag in ("body", "html"):
                break
            block = parent
            n = link_count.get(block)
            if n is None:
                n = link_count[block] = sum(1 for _ in block.iter("a"))
            if n > 3:
                break
            rest = (text_of(block) or "").replace(anchor_text, " ", 1)
            year = default_year or _year_from(url)
            dates = find_dates(rest, year)
            if dates:
                seen.add(url)
                key = block.getparent()
                groups.setdefault(key if key is not None else block, []).append(
                    ListEntry(url=url, title=title, date=dates[0]))
                break
    return list(groups.values())


def _year_from(url: str) -> int | None:
    from crawler.extract.article import url_year
    return url_year(url)


def hanweb_records(html: str, base: str, default_year: int | None = None) -> list[ListEntry]:
    """Entries from Hanweb `<script type="text/xml"><datastore>…<record><![CDATA[<li>…</li>]]>` lists."""
    out: list[ListEntry] = []
    for m in _RECORD_RE.finditer(html):
        try:
            frag = lxml_html.fragment_fromstring(m.group(1), create_parent="div")
        except (etree.ParserError, ValueError):
            continue
        for group in _entries_from(frag, base, default_year):
            out.extend(group)
    return out


def find_list_entries(doc: etree._Element, html: str, base: str,
                      default_year: int | None = None) -> list[ListEntry]:
    """The biggest group of link+date blocks on the page (Hanweb XML records take precedence)."""
    records = hanweb_records(html, base, default_year) if "<record>" in html else []
    if records:
        return records
    groups = _entries_from(doc, base, default_year)
    if not groups:
        return []
    return max(groups, key=len)


def find_blank_marker(doc: etree._Element) -> str | None:
    """'暂无信息' / '建设中' … when a short element of the page says the list is empty."""
    for el in doc.iter("div", "li", "p", "span", "td", "ul", "dd", "font"):
        text = el.text or ""
        for child in el:
            if child.tail:
                text += child.tail
        text = text.strip()
        if not text or len(text) > 30:
            continue
        for marker in BLANK_MARKERS:
            if marker in text:
                return marker
    return None

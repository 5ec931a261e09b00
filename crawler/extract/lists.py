"""Column list entries: the repeated <li>/<tr>/<dl> blocks that hold an article link and a date.

Generic: every link is walked up to the smallest block that also prints a date; blocks are grouped
by their parent and the parent with the most such blocks wins. Hanweb JCMS lists that sit inside
`<script type="text/xml">` <record> CDATA are parsed too. Lists rendered only by JS templates
(avalon `ms-repeat`, Vue) have no links in the HTML and are skipped: the spider must use the
list API (see crawler/listapi.py) for those pages; `api_entries` reads what such an API answers
(JSON records, Hanweb XML batches, or HTML fragments).
"""

from __future__ import annotations

import datetime as dt
import json
import re

from lxml import etree
from lxml import html as lxml_html

from crawler.extract.article import url_year
from crawler.extract.dates import find_dates, may_hold_date, two_digit_year_date
from crawler.extract.model import ListEntry
from crawler.extract.text import text_of
from crawler.urls import is_attachment_url, safe_join

BLANK_MARKERS = ("暂无信息", "暂无数据", "暂无内容", "暂无相关信息", "暂无记录", "正在建设", "建设中", "敬请期待",
                 "栏目维护中", "无相关信息")
_RECORD_RE = re.compile(r"<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>", re.S | re.I)
_MAX_UP = 4
_TOTAL_RECORD_XML = re.compile(r"<totalrecord>\s*(\d+)\s*</totalrecord>", re.I)
# Field names list APIs give an entry's link, title and date (TRS trsapi, JCMS, common Java/PHP CMSs).
_URL_KEYS = ("chnldocurl", "docpuburl", "docurl", "url", "link", "href", "linkurl", "art_url", "path", "pageurl")
_TITLE_KEYS = ("doctitle", "title", "name", "subject", "doc_title", "arttitle", "articletitle", "linktitle")
_DATE_KEYS = ("docreltime", "pubdate", "publishtime", "publish_time", "pubtime", "releasetime", "docpubtime",
              "date", "time", "createtime", "create_time", "created", "updatetime", "writetime", "crtime")
_TOTAL_KEYS = ("total", "totalcount", "recordcount", "totalrecord", "totalrecords", "totalnum", "totalelements",
               "count", "totalsize", "rowcount")
_PAGE_COUNT_KEYS = ("pagecount", "totalpage", "totalpages", "pages", "pagenum", "pagetotal")
_HTML_KEYS = ("html", "content", "data", "result", "list")
# 1990-01-01 .. 2100-01-01 as Unix seconds: a number outside is not a timestamp.
_EPOCH_RANGE = (631_152_000, 4_102_444_800)
_CHINA = dt.timezone(dt.timedelta(hours=8))


def _entries_from(root: etree._Element, base: str, default_year: int | None) -> list[list[ListEntry]]:
    """Link+date blocks of `root`, grouped by their parent element (see _entry_groups)."""
    return list(_entry_groups(root, base, default_year).values())


def _entry_groups(root: etree._Element, base: str, default_year: int | None) -> dict[etree._Element, list[ListEntry]]:
    """Link+date blocks of `root`, by their parent element.

    Every link is walked up to the smallest block (at most _MAX_UP levels, none holding more than three
    links) whose text besides the link holds a date. The work is ordered by what rejects most links
    soonest: a link whose parent already holds more than three links (a menu, a link farm) is passed over
    at once, and its URL, title and the year its URL carries are read only when a block's text may hold a
    date (most blocks are menu items with none). A one-child block's text is built from its child's, as
    the serialiser would give it. The result is the same as reading everything for every link.
    """
    groups: dict[etree._Element, list[ListEntry]] = {}
    seen: set[str] = set()
    link_count: dict[etree._Element, int] = {}
    line_lists: dict[etree._Element, None] = {}          # many links in one element, with <br> among them
    looked_for_br: set[etree._Element] = set()
    for a in root.iter("a"):
        parent = a.getparent()
        if parent is None or parent.tag in ("body", "html"):
            continue
        n = link_count.get(parent)
        if n is None:
            n = link_count[parent] = len(list(parent.iter("a")))
        if n > 3:
            if parent not in looked_for_br:           # once per element: a link farm has 200,000 links in one
                looked_for_br.add(parent)
                if parent.find("br") is not None:
                    line_lists[parent] = None
            continue
        anchor_text = text_of(a)
        block, block_text = a, anchor_text
        url_read, url, title, year = False, None, "", default_year
        level = 0
        while True:
            block_text = ((parent.text or "") + block_text + (block.tail or "") if len(parent) == 1
                          else text_of(parent))
            block = parent
            rest = block_text.replace(anchor_text, " ", 1)
            if may_hold_date(rest):
                if not url_read:
                    url_read, url = True, safe_join(base, a.get("href"))
                    if not url or url in seen or is_attachment_url(url):
                        break
                    title = " ".join((a.get("title") or anchor_text).split())
                    if len(title) < 2:
                        break
                    year = default_year or url_year(url)
                dates = find_dates(rest, year) or _two_digit(rest, url)
                if not dates and year is None and (year := _heading_year(block)):
                    dates = find_dates(rest, year)       # [03-05] under a 2026年 heading
                if dates:
                    seen.add(url)
                    key = block.getparent()
                    groups.setdefault(key if key is not None else block, []).append(
                        ListEntry(url=url, title=title, date=dates[0]))
                    break
            level += 1
            if level == _MAX_UP:
                break
            parent = block.getparent()
            if parent is None or parent.tag in ("body", "html"):
                break
            n = link_count.get(parent)
            if n is None:
                n = link_count[parent] = len(list(parent.iter("a")))
            if n > 3:
                break
    for container in line_lists:
        entries = _line_entries(container, base, default_year, seen)
        if len(entries) >= 2:
            groups.setdefault(container, []).extend(entries)
    return groups


_YEAR_HEADING = re.compile(r"\s*((?:19|20)\d{2})\s*年?\s*")


def _heading_year(block: etree._Element) -> int | None:
    """The year a year-grouped list prints above the entries whose dates carry none (`<h4>2026年</h4><ul><li>
    [03-05] …`): the nearest earlier sibling of the entry or of one of its three nearest ancestors that reads as a
    bare year."""
    node = block
    for _ in range(4):
        sibling, looked = node.getprevious(), 0
        while sibling is not None and looked < 30:
            if isinstance(sibling.tag, str):
                m = _YEAR_HEADING.fullmatch(text_of(sibling) or "")
                if m:
                    return int(m.group(1))
            sibling, looked = sibling.getprevious(), looked + 1
        node = node.getparent()
        if node is None or node.tag in ("body", "html"):
            return None
    return None


def _two_digit(text: str, url: str | None) -> list[dt.date]:
    """[yy-mm-dd date] when the entry's URL year confirms it (dates.two_digit_year_date), else []."""
    d = two_digit_year_date(text, url_year(url or ""))
    return [d] if d else []


def _line_entries(container: etree._Element, base: str, default_year: int | None, seen: set[str]) -> list[ListEntry]:
    """Entries of a list written as lines in one element, `·<a>title</a> (2024.03.05)<br>` (old static
    sites): every line between two <br> that holds exactly one link and, besides it, a date is an entry."""
    entries: list[ListEntry] = []
    anchors: list[etree._Element] = []
    parts: list[str] = [container.text or ""]

    def close_line() -> None:
        if len(anchors) != 1:
            return
        a = anchors[0]
        anchor_text = text_of(a)
        rest = "".join(parts).replace(anchor_text, " ", 1)
        if not may_hold_date(rest):
            return
        url = safe_join(base, a.get("href"))
        if not url or url in seen or is_attachment_url(url):
            return
        title = " ".join((a.get("title") or anchor_text).split())
        dates = find_dates(rest, default_year or url_year(url)) or _two_digit(rest, url)
        if len(title) >= 2 and dates:
            seen.add(url)
            entries.append(ListEntry(url=url, title=title, date=dates[0]))

    for child in container:
        if isinstance(child.tag, str):
            if child.tag == "br":
                close_line()
                anchors, parts = [], []
            else:
                anchors.extend(child.iter("a"))
                parts.append(text_of(child) or "")
        parts.append(child.tail or "")
    close_line()
    return entries


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
    groups = _entry_groups(doc, base, default_year)
    if not groups:
        return []
    best = max(groups, key=lambda k: len(groups[k]))
    if _heading_year(best) is None or best.getparent() is None:
        return groups[best]
    # A year-grouped list (<h4>2026年</h4><ul>…</ul><h4>2025年</h4><ul>…</ul>): its sibling groups are one list.
    parts = [k for k in best.getparent() if k in groups and _heading_year(k) is not None]
    return [entry for k in parts for entry in groups[k]]


_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)


def _inline_hidden(el: etree._Element) -> bool:
    """Whether the element or one of its ancestors is hidden inline (style display:none, the hidden attribute):
    a list template's '暂无数据' placeholder its script shows only when the list it loads is empty."""
    while el is not None:
        if el.get("hidden") is not None or _HIDDEN_STYLE.search(el.get("style") or ""):
            return True
        el = el.getparent()
    return False


def find_blank_marker(doc: etree._Element) -> str | None:
    """'暂无信息' / '建设中' … when a short element of the page says the list is empty (and is shown: a hidden
    placeholder says nothing about the list a script loads into the page)."""
    for el in doc.iter("div", "li", "p", "span", "td", "ul", "dd", "font"):
        text = el.text or ""
        for child in el:
            if child.tail:
                text += child.tail
        text = text.strip()
        if not text or len(text) > 30:
            continue
        for marker in BLANK_MARKERS:
            if marker in text and not _inline_hidden(el):
                return marker
    return None


def _lower_keys(record: dict) -> dict:
    return {str(k).lower(): v for k, v in record.items()}


def _json_date(value, default_year: int | None) -> dt.date | None:
    """A list API's date: '2023-01-05 09:00', '2023年1月5日', or Unix seconds / milliseconds (Beijing time)."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, str) and value.strip().isdigit() and len(value.strip()) in (10, 13):
        value = int(value.strip())
    if isinstance(value, (int, float)):
        seconds = value / 1000 if value > _EPOCH_RANGE[1] else value
        if not _EPOCH_RANGE[0] <= seconds <= _EPOCH_RANGE[1]:
            return None
        return dt.datetime.fromtimestamp(seconds, _CHINA).date()
    if isinstance(value, str):
        dates = find_dates(value, default_year)
        return dates[0] if dates else None
    return None


def _json_entry(record: dict, base: str, default_year: int | None) -> ListEntry | None:
    fields = _lower_keys(record)
    url = next((safe_join(base, fields[k]) for k in _URL_KEYS if isinstance(fields.get(k), str) and fields[k]), None)
    title = next((" ".join(str(fields[k]).split()) for k in _TITLE_KEYS if fields.get(k)), "")
    if not url or len(title) < 2:
        return None
    title = " ".join((text_of(lxml_html.fragment_fromstring(title, create_parent="span")) or title).split()) \
        if "<" in title else title
    date = None
    for key in _DATE_KEYS:
        if key in fields:
            date = _json_date(fields[key], default_year)
            if date:
                break
    return ListEntry(url=url, title=title, date=date)


def _record_arrays(value, depth: int = 0):
    """Every list of objects inside a JSON answer (the records sit under data/docs/list/rows … or deeper)."""
    if depth > 4:
        return
    if isinstance(value, list):
        if value and all(isinstance(x, dict) for x in value):
            yield value
        for x in value[:3]:
            yield from _record_arrays(x, depth + 1)
    elif isinstance(value, dict):
        for x in value.values():
            yield from _record_arrays(x, depth + 1)


def _json_number(value, keys: tuple[str, ...], depth: int = 0) -> int | None:
    """The first integer under one of `keys`, searching nested objects breadth-first."""
    if not isinstance(value, dict) or depth > 3:
        return None
    fields = _lower_keys(value)
    for key in keys:
        raw = fields.get(key)
        if isinstance(raw, str) and raw.strip().isdigit():
            raw = int(raw)
        if isinstance(raw, int) and not isinstance(raw, bool) and raw >= 0:
            return raw
    for nested in fields.values():
        found = _json_number(nested, keys, depth + 1)
        if found is not None:
            return found
    return None


def _fragment_entries(markup: str, base: str, default_year: int | None) -> list[ListEntry]:
    try:
        frag = lxml_html.fragment_fromstring(markup, create_parent="div")
    except (etree.ParserError, ValueError):
        return []
    groups = _entries_from(frag, base, default_year)
    return max(groups, key=len) if groups else []


def api_entries(text: str, base: str, default_year: int | None = None) -> tuple[list[ListEntry], int | None, int | None]:
    """(entries, records the answer says the list holds, pages it says the list has) from a list API's answer.

    The answer may be JSON (records under any key, with title/url/date fields under the names TRS,
    JCMS and common CMSs use, or an HTML fragment in a string), Hanweb's `<datastore>` XML, or an
    HTML fragment. Unknown shapes give no entries: the caller then records the list as unread.
    """
    body = text.strip().lstrip("\ufeff")
    if body[:1] in ("{", "[") or (body[:1] and body.split("(", 1)[0].isidentifier() and body.endswith((")", ");"))):
        if body[:1] not in ("{", "["):                       # JSONP: callback({...})
            body = body[body.index("(") + 1:body.rindex(")")]
        try:
            data = json.loads(body)
        except ValueError:
            return [], None, None
        best: list[ListEntry] = []
        for array in _record_arrays(data):
            entries = [e for e in (_json_entry(r, base, default_year) for r in array) if e]
            if len(entries) > len(best):
                best = entries
        if not best and isinstance(data, dict):
            fields = _lower_keys(data)
            for key in _HTML_KEYS:
                if isinstance(fields.get(key), str) and "<a" in fields[key]:
                    best = _fragment_entries(fields[key], base, default_year)
                    break
        return best, _json_number(data, _TOTAL_KEYS), _json_number(data, _PAGE_COUNT_KEYS)
    if "<record>" in body.lower():
        total = _TOTAL_RECORD_XML.search(body)
        return hanweb_records(body, base, default_year), int(total.group(1)) if total else None, None
    if "<a" in body.lower():
        return _fragment_entries(body, base, default_year), None, None
    return [], None, None

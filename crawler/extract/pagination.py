"""Every other page of a column list, from whatever the CMS prints.

- TRS WCM: `createPageHTML(countPage, currentPage, "index", "html")` or `var countPage = N` →
  index.html, index_1.html … index_{N-1}.html.
- Hanweb JCMS jpage: the list is POSTed from `/module/web/jpage/dataproxy.jsp`; we return the same
  requests as GET URLs `…/dataproxy.jsp?startrecord=S&endrecord=E&perpage=P&columnid=C&unitid=U`
  (one URL per batch of 3 pages, as the jpage script asks). They name the batches only: the spider
  sends each as the POST jpage sends (crawler/listapi.py), GET being a fallback.
- 博达 VSB: `/<col>.htm`, then `/<col>/N.htm` counting down to 1; 下页/尾页 links give the range.
- Plain 下一页/尾页 links, numbered page links, `?page=N` / `pageNo=` / `index_N.html`, "共N页" text.
- A `<select onchange="location=…">` whose options are the pages (第1页, 第2页 …), as old static sites print.
- `javascript:goPage(2)` links to a page function that sets `location` to a URL built by string concatenation
  (`'List.aspx?ClassID=' + cid + '&page=' + n`, crawler/listapi.py script_pages).
"""

from __future__ import annotations

import re
from urllib.parse import urlencode, urljoin, urlsplit

from lxml import etree

from crawler.extract.text import text_of
from crawler.listapi import script_pages
from crawler.urls import canonicalize, safe_join

_CREATE_PAGE = re.compile(
    r"createPageHTML\(\s*(\d+)\s*,\s*(\d+)\s*,\s*[\"']([^\"']+)[\"']\s*,\s*[\"']([^\"']+)[\"']\s*\)")
_COUNT_PAGE = re.compile(r"\bvar\s+countPage\s*=\s*(\d+)")
_CURRENT_PAGE = re.compile(r"\bvar\s+currentPage\s*=\s*(\d+)")
_TOTAL_TEXT = re.compile(r"共\s*(\d+)\s*页")
_NEXT_TEXT = ("下一页", "下页", "后一页", "下一頁", ">", "›", "»")
_LAST_TEXT = ("尾页", "末页", "最后一页", "尾頁", ">>", "»»")
_NUM_TOKEN = re.compile(r"(\d+)")
MAX_PAGES = 2000                      # a list longer than this is a trap or a search engine
# What a list says it holds: "共 57 条", or the total a pager script is given.
_DECLARED = (re.compile(r"共\s*(\d{1,6})\s*条"),
             re.compile(r"\b(?:totalRecords?|recordCount|totalCount|totalNum|totalSize|total_count)\s*[:=]\s*[\"']?"
                        r"(\d{1,6})\b", re.I),
             re.compile(r"\bvar\s+(?:total|totalRecords?|totalCount|totalNum|recordCount)\s*=\s*[\"']?(\d{1,6})\b",
                        re.I))
# A pager that only runs script: <a href="javascript:…">下一页</a>, <a href="javascript:go(2)">2</a>.
_SCRIPT_PAGER = re.compile(
    r"""<a\b[^>]*href\s*=\s*["']\s*javascript:[^"']*["'][^>]*>\s*(?:<[^>]+>\s*)*"""
    r"""(?:下一页|下页|下一頁|尾页|末页|2|&gt;|›|»)\s*<""", re.I)


def trs_pages(html: str, url: str) -> list[str] | None:
    """TRS `createPageHTML(...)` / `var countPage` pages, or None when the page has neither."""
    if "countPage" not in html and "createPageHTML" not in html:
        return None                       # a substring test is ~7x cheaper than the two searches on a page without them
    m = _CREATE_PAGE.search(html)
    if m:
        count, current, name, ext = int(m.group(1)), int(m.group(2)), m.group(3), m.group(4)
    else:
        cm = _COUNT_PAGE.search(html)
        if not cm:
            return None
        count = int(cm.group(1))
        cur = _CURRENT_PAGE.search(html)
        current = int(cur.group(1)) if cur else 0
        leaf = urlsplit(url).path.rsplit("/", 1)[-1]
        stem, _, ext = leaf.partition(".")
        name = re.sub(r"_\d+$", "", stem) if stem.startswith("index") else "index"
        ext = ext or "html"
    count = min(count, MAX_PAGES)
    pages = [f"{name}.{ext}" if i == 0 else f"{name}_{i}.{ext}" for i in range(count) if i != current]
    return [canonicalize(urljoin(url, p)) for p in pages]


def hanweb_pages(html: str, url: str) -> list[str] | None:
    """Hanweb jpage dataproxy batches as GET URLs (see module docstring), or None."""
    if "dataproxy.jsp" not in html:
        return None
    def param(*names: str) -> str | None:
        for name in names:
            m = re.search(name + r"""\s*[:=]\s*["']?(\d+)""", html, re.I)
            if m:
                return m.group(1)
        return None
    columnid = param("columnid", "col")
    total = param("totalRecord", "totalrecord", "total")
    if not columnid or not total:
        return None
    perpage = int(param("perpage", "perPage") or 15)
    unitid = param("unitid")
    embedded = html.lower().count("<record>")
    step = perpage * 3
    out = []
    for start in range(embedded + 1 if embedded else 1, int(total) + 1, step):
        query = {"startrecord": start, "endrecord": min(start + step - 1, int(total)),
                 "perpage": perpage, "columnid": columnid}
        if unitid:
            query["unitid"] = unitid
        out.append(canonicalize(urljoin(url, "/module/web/jpage/dataproxy.jsp?" + urlencode(query))))
        if len(out) >= MAX_PAGES:
            break
    return out


def _template(a: str, b: str) -> tuple[str, int, str, int, int] | None:
    """Where two page URLs differ in exactly one number: (prefix, n_a, suffix, n_b, token index)."""
    ta, tb = _NUM_TOKEN.split(a), _NUM_TOKEN.split(b)
    if len(ta) != len(tb):
        return None
    diff = [i for i, (x, y) in enumerate(zip(ta, tb)) if x != y]
    if len(diff) != 1 or diff[0] % 2 == 0:
        return None
    i = diff[0]
    return "".join(ta[:i]), int(ta[i]), "".join(ta[i + 1:]), int(tb[i]), i


def _pager_links(doc: etree._Element, url: str) -> tuple[list[str], list[str], list[str]]:
    """(下一页 links, 尾页 links, numbered page links) of the page, resolved against `url`."""
    nexts: list[str] = []
    lasts: list[str] = []
    numbered: list[str] = []
    for a in doc.iter("a"):
        # the text first: most links are no pager link, and then their href need not be resolved
        text = " ".join((text_of(a) or "").split())
        if text in _NEXT_TEXT:
            kind = nexts
        elif text in _LAST_TEXT:
            kind = lasts
        elif text.isdigit() and len(text) < 5:
            kind = numbered
        else:
            continue
        target = safe_join(url, a.get("href"))
        if target is not None:
            kind.append(target)
    return nexts, lasts, numbered


_PAGE_OPTION = re.compile(r"^第?\s*\d{1,4}\s*页?$")


def _select_pages(doc: etree._Element, url: str) -> list[str]:
    """Pages a `<select onchange="location=this.options[…].value">` pager lists (old static exports; some
    print no page link at all). Only a select whose options read as page numbers (2, 第2页): a 友情链接
    select also sets the location, but its options are site names."""
    out: list[str] = []
    for select in doc.iter("select"):
        if "location" not in (select.get("onchange") or ""):
            continue
        options = [o for o in select.iter("option") if o.get("value")]
        if not options or not all(_PAGE_OPTION.match(" ".join((text_of(o) or "").split())) for o in options):
            continue
        # the selected option is this page (its index.htm when the page was reached as its folder)
        out += [u for u in (safe_join(url, o.get("value")) for o in options if o.get("selected") is None) if u]
    return out


def link_pages(doc: etree._Element, url: str) -> list[str]:
    """Pages derived from 下一页/尾页/numbered links, a select pager and "共N页" text."""
    here = canonicalize(url)
    nexts, lasts, numbered = _pager_links(doc, url)
    known = [u for u in dict.fromkeys(nexts + numbered + lasts + _select_pages(doc, url)) if u != here]
    if not known:
        return []
    total_m = _TOTAL_TEXT.search(text_of(doc) or "")
    total = int(total_m.group(1)) if total_m else None
    ref = lasts[0] if lasts else known[-1]
    numbers: list[int] = []
    prefix = suffix = None
    for other in [here, *known]:
        t = _template(other, ref) if other != ref else None
        if t and (prefix is None or (t[0], t[2]) == (prefix, suffix)):
            prefix, suffix = t[0], t[2]
            numbers += [t[1], t[3]]
    if prefix is None and total is not None:
        tokens = _NUM_TOKEN.split(ref)
        if len(tokens) > 1:
            n = int(tokens[-2])
            prefix, suffix = "".join(tokens[:-2]), tokens[-1]
            if n in (1, 2):                                # index_1 / page=2: counting up
                numbers = [n, total - 1 if n == 1 else total]
            elif n == total - 1:                           # VSB: <col>/N-1.htm counting down to 1
                numbers = [1, n]
            else:
                numbers = [n]
    if prefix is None:
        return known
    low, high = min(numbers), max(numbers)
    if total is not None and low <= 2 and high < total - 1:
        high = total if low == 2 else total - 1          # ?page=2..N, or index_1..index_{N-1}
    high = min(high, low + MAX_PAGES)
    pages = [f"{prefix}{n}{suffix}" for n in range(low, high + 1)]
    return [p for p in dict.fromkeys(pages + known) if p != here]


def find_pagination(doc: etree._Element | None, html: str, url: str) -> tuple[list[str], bool]:
    """(every other page of this list, whether a pagination script was seen)."""
    pages = trs_pages(html, url)
    if pages is not None:
        # in-article pagination (t20190918_693227_1.shtml) does not make a page a list; a one-page (or empty)
        # list has no other page to name, but its own URL is the list's index page
        leaf = urlsplit(url).path.rsplit("/", 1)[-1]
        return pages, (any(p.rsplit("/", 1)[-1].startswith("index") for p in pages)
                       or leaf == "" or leaf.startswith("index"))
    pages = hanweb_pages(html, url)
    if pages is not None:
        return pages, True
    if doc is None:
        return [], False
    return link_pages(doc, url) or script_pages(html, url), False


def declared_total(html: str) -> int | None:
    """The number of records a list page says its list holds (共N条, totalRecord, a total variable), or None."""
    for pattern in _DECLARED:
        m = pattern.search(html)
        if m:
            return int(m.group(1))
    return None


def script_pager(html: str) -> bool:
    """Whether the page's pager links run script instead of pointing at pages (javascript: hrefs)."""
    return "javascript:" in html and _SCRIPT_PAGER.search(html) is not None

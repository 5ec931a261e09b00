"""`parse_page(html, url)`: what one HTML page means — list, article, both or neither.

Composes the single-purpose extractors of this package over one lxml parse. Never raises on bad
input (empty, truncated, binary, absurdly nested): the worst case is an empty ParsedPage.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urljoin, urlsplit

from lxml import etree

from crawler.extract.article import PUBLISHED_LABELS, extract_article, url_year
from crawler.extract.column_tree import column_tree_links
from crawler.extract.dates import labeled_date
from crawler.extract.identity import cut_off, extract_identity
from crawler.extract.lists import find_blank_marker, find_list_entries
from crawler.extract.meta import extract_meta, get_meta
from crawler.extract.model import Link, ParsedPage
from crawler.extract.navigation import FACET_WORDS, find_breadcrumb, find_nav_links, is_facet_view, is_sitemap
from crawler.extract.pagination import find_pagination
from crawler.extract.text import element_text, find_content_and_text, text_of
from crawler.urls import canonicalize, host_of, is_attachment_url, safe_join, same_site, unwrap_ipv6_gateway

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_JS_URL = re.compile(r"""(?:window\.open|location\.href\s*=|location\.assign|location\.replace|openFile|"""
                     r"""downloadFile|download)\s*\(?\s*['"]([^'"]+)['"]""", re.I)
_CLOSE_ROOT = re.compile(r"</(?:html|body)\s*>", re.I)
_META_LABELS = re.compile(r"索\s*引\s*号|发\s*文\s*字\s*号|成\s*文\s*日\s*期|文\s*号\s*[:：]")
MIN_LIST_ENTRIES = 3


def _to_text(html: str | bytes) -> str:
    if isinstance(html, bytes):
        for enc in ("utf-8", "gb18030"):
            try:
                return html.decode(enc)
            except UnicodeDecodeError:
                continue
        return html.decode("utf-8", "replace")
    return html


_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0b, 0x0c, *range(0x0e, 0x20), 0x7f])      # _CONTROL's characters


def _has_control(html: str) -> bool:
    """Whether `html` holds one of _CONTROL's characters. In UTF-8 these bytes stand only for themselves, and
    deleting them from the bytes is a tight C loop: about half the cost of a regex search over the text."""
    data = html.encode("utf-8", "surrogatepass")
    return len(data.translate(None, _CONTROL_BYTES)) != len(data)


def parse_html(html: str) -> etree._Element | None:
    """An lxml tree of `html`, or None when nothing parseable is there."""
    if _has_control(html):
        html = _CONTROL.sub("", html)
    # a stray </html> or </body> mid-page (gov.cn header includes) makes libxml2 put the rest outside the root
    html = _CLOSE_ROOT.sub("", _XML_DECL.sub("", html))
    if not html.strip():
        return None
    try:
        root = etree.fromstring(html, parser=_PARSER)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError, TypeError):
        return None
    return root


# plain etree parser: lxml.html's per-element class lookup cost ~30% of parse_page time
_PARSER = etree.HTMLParser(recover=True, huge_tree=True, remove_comments=True)


def _attachment(raw: str, base: str) -> str | None:
    raw = raw.strip()
    if not raw or "{{" in raw or raw.startswith(("javascript:", "#", "mailto:")):
        return None
    try:
        url = urljoin(base, raw)
        parts = urlsplit(url)
    except ValueError:
        return None
    for k, v in parse_qsl(parts.query):
        if k.lower() == "file" and is_attachment_url(v):       # pdf.js viewer.html?file=…
            return canonicalize(urljoin(url, v))
    return canonicalize(url) if is_attachment_url(url) else None


def find_attachments(doc: etree._Element, base: str) -> list[Link]:
    """Attachment links in href, onclick/window.open('…'), iframe/embed/object src and pdf.js viewers."""
    out: dict[str, Link] = {}

    def add(raw: str | None, text: str) -> None:
        if raw and (url := _attachment(raw, base)) and url not in out:
            out[url] = Link(url=url, text=" ".join(text.split())[:200])

    # One Python pass reading two attributes an element: cheaper than an XPath for @href|@src|@data|@onclick.
    # The embedding elements are found by libxml2's tag filter, so the pass reads a tag name only for an
    # element that has an href or onclick worth a look.
    embedding = {el: el.tag for el in doc.iter("iframe", "embed", "frame", "object")}
    for el in doc.iter(etree.Element):            # elements only: no comment or processing instruction
        href, onclick = el.get("href"), el.get("onclick")
        if href is None and onclick is None:
            if embedding and el in embedding:
                if embedding[el] == "object":
                    add(el.get("data"), "")
                else:
                    add(el.get("src"), el.get("title") or "")
            continue
        if href is not None and onclick is None and not is_attachment_url(href) and "file=" not in href:
            continue                        # cheap reject before text_content()
        tag = el.tag
        text = text_of(el) if tag in ("a", "span", "button") else ""
        add(href, text or el.get("title") or "")
        if tag in ("iframe", "embed", "frame"):
            add(el.get("src"), el.get("title") or "")
        if tag == "object":
            add(el.get("data"), "")
        if onclick:
            for m in _JS_URL.finditer(onclick):
                add(m.group(1), text)
    return list(out.values())


def parse_page(html: str, url: str, site_hosts: set[str] | None = None) -> ParsedPage:
    """Parse one HTML page into a ParsedPage (see module docstring); never raises on bad HTML.

    An unexpected failure is recorded in `ParsedPage.error` (the pipeline stores it as an
    ErrorRecord) instead of stopping the crawl.
    """
    page = ParsedPage(url=canonicalize(url) if url else "")
    try:
        return _parse(page, html, url, site_hosts)
    except Exception as exc:  # noqa: BLE001 - one bad page must never stop a crawl; the error is kept
        page.error = f"{type(exc).__name__}: {exc}"[:500]
        return page


def _parse(page: ParsedPage, html: str | bytes, url: str, site_hosts: set[str] | None) -> ParsedPage:
    html = _to_text(html or "")
    doc = parse_html(html)
    if doc is None:
        return page
    base = url
    for b in doc.iter("base"):
        base = safe_join(url, b.get("href")) or url
        break
    hosts = set(site_hosts or ()) or ({host_of(url)} - {""})

    page.meta = extract_meta(doc)
    page.identity = extract_identity(doc, page.meta)
    if cut_off(html):
        page.identity["cut_off"] = True         # no footer received: the identity checks do not judge it
    for el in doc.iter("title"):
        page.title = " ".join((text_of(el) or "").split())
        break
    page.breadcrumb = find_breadcrumb(doc, base)
    sitemap = is_sitemap(doc, url, page.title)
    page.nav_links = find_nav_links(doc, base, hosts, sitemap=sitemap)
    menu_urls = {lk.url for lk in page.nav_links}
    page.nav_links += [lk for lk in column_tree_links(doc, base, hosts, html) if lk.url not in menu_urls]

    year = url_year(url)
    page.list_entries = find_list_entries(doc, html, base, default_year=year)
    page.pagination, script = find_pagination(doc, html, base)
    page.blank_marker = find_blank_marker(doc) if len(page.list_entries) < MIN_LIST_ENTRIES else None
    page.is_list = (len(page.list_entries) >= MIN_LIST_ENTRIES or script
                    or (page.blank_marker is not None and not page.list_entries))
    if page.list_entries and page.is_list and page.blank_marker:
        page.blank_marker = None
    facet = page.facet_view = bool(FACET_WORDS.search(html)) and is_facet_view(doc, base, url)
    if facet:
        # A catalogue facet (按主题/机构/体裁): no column, no article; its entries are ordinary links, so each
        # document is still reached, and placed by its own column's list or breadcrumb.
        page.list_entries, page.is_list, page.blank_marker = [], False, None

    # A list page is an article too only when it says so (ArticleTitle meta, 开普云 tags): its body and body
    # text (a third of the work on a real list page) are found only then. Both are pure, so skipping
    # them changes nothing else.
    is_detail = (get_meta(page.meta, "ArticleTitle") is not None
                 or any(True for _ in doc.iter("ucapcontent", "ucaptitle")))
    known_body_text = None
    if (page.is_list or facet) and not is_detail:
        body = page_text = None
    else:
        body, known_body_text = find_content_and_text(doc, html)
        body_el = doc.find("body")
        page_text = element_text(body_el if body_el is not None else doc, skip_chrome=True, skip_link_lists=True)
        has_meta_block = bool(_META_LABELS.search(page_text[:20000]))
        is_detail = (is_detail or (has_meta_block and not page.is_list)
                     or (body is not None and not page.is_list and _has_cms_container(body)))
    if not is_detail and not page.is_list and not facet:
        # a single dated headline ("<h1>…</h1> 发布时间：…") or a long text block
        is_detail = (any(len(text_of(h).strip()) >= 4 for h in doc.iter("h1", "h2"))
                     and labeled_date(page_text[:5000], PUBLISHED_LABELS) is not None) \
            or (body is not None and ((known_body_text is not None and len(known_body_text) >= 200)
                                      or len(element_text(body)) >= 200))     # never longer: see find_content_and_text
    if is_detail:
        body_text = (known_body_text if known_body_text is not None
                     else element_text(body, skip_link_lists=True) if body is not None else "")
        page.article = extract_article(doc, url, page.meta, page_text, body, body_text)
    if page.article is not None and not page.is_list:
        # An article that is no list has no list entries: a dated link in its body ("相关链接：上一年度有关通知"
        # under the page's 发布日期) or a short "related" block is an ordinary link of the page, which the
        # spider follows and records with its outcome. List entries come from list pages.
        page.list_entries = []

    page.attachments = find_attachments(doc, base)
    seen = {page.url, *(a.url for a in page.attachments)}
    links = []
    # same_site() depends on the URL's host alone: asked once per host of the page, not once per link
    on_site: dict[str, bool] = {}
    for a in doc.iter("a"):
        target = safe_join(base, a.get("href"))
        if target is None or target in seen or not target.startswith("http"):
            continue
        host = host_of(unwrap_ipv6_gateway(target))
        inside = on_site.get(host)
        if inside is None:
            inside = on_site[host] = same_site(target, hosts)
        if not inside:
            continue
        seen.add(target)
        links.append(Link(url=target, text=" ".join((text_of(a) or "").split())[:200]))
    # A frameset's frames (an old home page that is nothing else) and a page's iframes are pages of the site
    # a visitor sees: followed like links, or a framed site is never crawled beyond its first page.
    framed = []                             # every same-site frame, for the identity checks (the frameset's footer)
    for frame in doc.iter("frame", "iframe"):
        src = frame.get("src")
        target = safe_join(base, src)
        if target is None or not target.startswith("http") or _attachment(src, base):
            continue                        # an embedded document (pdf.js viewer of a file) is an attachment
        if not same_site(target, hosts):
            continue
        framed.append(target)
        if target in seen:
            continue
        seen.add(target)
        page.frames.append(Link(url=target, text=" ".join((frame.get("title") or frame.get("name") or "").split())[:200]))
        links.append(page.frames[-1])
    page.links = links
    if framed:
        page.identity["frames"] = framed
    return page


def _has_cms_container(el: etree._Element) -> bool:
    ident = ((el.get("id") or "") + " " + (el.get("class") or "")).lower()
    return el.tag == "ucapcontent" or any(k in ident for k in (
        "trs_editor", "trs_ueditor", "vsb_content", "v_news_content", "zoom", "article", "pages_content",
        "ucap-content"))

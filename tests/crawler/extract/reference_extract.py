"""The extraction code as it was before the issue-15 speed work, kept as the oracle of the equality tests.

Copied from crawler/extract at 5043b8a (identity.extract_identity, lists._entries_from, text.tidy, text.text_of,
navigation._in_friend_block, the links loop of page._parse, page.find_attachments, the pager-link loop of
pagination.link_pages);
the fast versions must give exactly what these give, on real pages, demo pages and generated input.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from lxml import etree

from crawler.extract.article import url_year
from crawler.extract.dates import find_dates
from crawler.extract.identity import CONAC, ICP, JIUCUO, JIUCUO_TEXT, POLICE, SITE_ID_CODE, unverified_marks
from crawler.extract.meta import get_meta
from crawler.extract.model import ListEntry
from crawler.extract.text import _CSS_LINE, _WS, _css_share
from crawler.urls import is_attachment_url, safe_join

_ATTRS = etree.XPath("//@href | //@src")
_SCRIPTS = etree.XPath("//script[@src]")


def identity_text(doc: etree._Element) -> str:
    body = doc.find("body")
    root = body if body is not None else doc
    return " ".join(t for t in root.itertext() if t and not t.isspace())


def extract_identity(doc: etree._Element, meta: dict[str, str]) -> dict:
    text = identity_text(doc)
    facts: dict = {}
    if m := SITE_ID_CODE.search(text):
        facts["site_id_code"] = m.group(1).lower() if m.group(1).lower().startswith("bm") else m.group(1)
    if m := ICP.search(text):
        facts["icp"] = f"{m.group(1)}ICP备{m.group(2)}号" + (f"-{m.group(3)}" if m.group(3) else "")
    if m := POLICE.search(text):
        facts["police"] = f"{m.group(1)}公网安备{m.group(2)}号"
    attrs = [str(a) for a in _ATTRS(doc)]
    facts["conac"] = any(any(c in a.lower() for c in CONAC) for a in attrs)
    jiucuo = [a for a in attrs if any(j in a.lower() for j in JIUCUO)]
    if jiucuo or JIUCUO_TEXT in text:
        facts["jiucuo"] = True
        codes = [v for a in jiucuo for v in parse_qs(urlsplit(a).query).get("site_code", [])]
        codes += [s.get("sitecode") for s in _SCRIPTS(doc) if "jiucuo" in (s.get("src") or "").lower()
                  and s.get("sitecode")]
        if codes:
            facts["jiucuo_site_code"] = codes[0].strip()
    else:
        facts["jiucuo"] = False
    for name, key in (("SiteName", "meta_site_name"), ("SiteDomain", "meta_site_domain"),
                      ("SiteIDCode", "meta_site_id_code")):
        value = get_meta(meta, name)
        if value:
            facts[key] = value[:200]
    facts.update(unverified_marks(doc, text, facts))     # added after 5043b8a; not part of the speed work
    return facts


def entries_from(root: etree._Element, base: str, default_year: int | None) -> list[list[ListEntry]]:
    groups: dict[etree._Element, list[ListEntry]] = {}
    seen: set[str] = set()
    link_count: dict[etree._Element, int] = {}
    for a in root.iter("a"):
        url = safe_join(base, a.get("href"))
        if not url or url in seen or is_attachment_url(url):
            continue
        title = " ".join((a.get("title") or text_of(a) or "").split())
        if len(title) < 2:
            continue
        block, anchor_text = a, text_of(a) or ""
        for _ in range(4):
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
            year = default_year or url_year(url)
            dates = find_dates(rest, year)
            if dates:
                seen.add(url)
                key = block.getparent()
                groups.setdefault(key if key is not None else block, []).append(
                    ListEntry(url=url, title=title, date=dates[0]))
                break
    return list(groups.values())


def tidy(text: str) -> str:
    lines = []
    for raw in text.split("\n"):
        cells = [_WS.sub(" ", c).strip() for c in raw.split("\t")]
        while cells and not cells[-1]:
            cells.pop()
        while cells and not cells[0]:
            cells.pop(0)
        line = "\t".join(cells)
        if not line or (_CSS_LINE.search(line) and _css_share(line) > 0.5):
            continue
        lines.append(line)
    return "\n".join(lines)


def text_of(el: etree._Element) -> str:
    """text.text_of before its no-child shortcut: always the libxml2 text serialiser."""
    return etree.tostring(el, method="text", encoding="unicode", with_tail=False) if isinstance(el.tag, str) else ""


def in_friend_block(el: etree._Element) -> bool:
    """navigation._in_friend_block before the per-element distances: a walk up six elements per anchor."""
    from crawler.extract.navigation import _FRIEND

    node, depth = el, 0
    while node is not None and depth < 6:
        ident = (node.get("id") or "") + " " + (node.get("class") or "") + " " + (node.get("des") or "")
        if _FRIEND.search(ident):
            return True
        node, depth = node.getparent(), depth + 1
    return False


def page_links(doc: etree._Element, base: str, hosts: set[str], seen: set[str]) -> list[tuple[str, str]]:
    """parse_page's last loop before same_site was asked once per host: once per link."""
    from crawler.urls import same_site

    out = []
    for a in doc.iter("a"):
        target = safe_join(base, a.get("href"))
        if target is None or target in seen or not target.startswith("http") or not same_site(target, hosts):
            continue
        seen.add(target)
        out.append((target, " ".join((text_of(a) or "").split())[:200]))
    return out


def find_attachments(doc: etree._Element, base: str) -> list:
    """page.find_attachments before the pass read tag names only where they decide something."""
    from crawler.extract.model import Link
    from crawler.extract.page import _JS_URL, _attachment

    out: dict[str, Link] = {}

    def add(raw: str | None, text: str) -> None:
        if raw and (url := _attachment(raw, base)) and url not in out:
            out[url] = Link(url=url, text=" ".join(text.split())[:200])

    # One Python pass reading two attributes an element: cheaper than an XPath for @href|@src|@data|@onclick.
    for el in doc.iter():
        tag = el.tag
        if not isinstance(tag, str):
            continue
        href, onclick = el.get("href"), el.get("onclick")
        if href is None and onclick is None:
            if tag in ("iframe", "embed", "frame"):
                add(el.get("src"), el.get("title") or "")
            elif tag == "object":
                add(el.get("data"), "")
            continue
        if href is not None and onclick is None and not is_attachment_url(href) and "file=" not in href:
            continue                        # cheap reject before text_content()
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


def pager_links(doc: etree._Element, url: str) -> tuple[list[str], list[str], list[str]]:
    """link_pages' first loop before the href was resolved only for a pager text: (next, last, numbered)."""
    from crawler.extract.pagination import _LAST_TEXT, _NEXT_TEXT

    nexts, lasts, numbered = [], [], []
    for a in doc.iter("a"):
        target = safe_join(url, a.get("href"))
        if target is None:
            continue
        text = " ".join((text_of(a) or "").split())
        if text in _NEXT_TEXT:
            nexts.append(target)
        elif text in _LAST_TEXT:
            lasts.append(target)
        elif text.isdigit() and len(text) < 5:
            numbered.append(target)
    return nexts, lasts, numbered


def find_content(doc: etree._Element, html: str | None = None) -> etree._Element | None:
    """text.find_content before the text without link lists decided first: the whole text of each container."""
    from crawler.extract.text import content_candidates, density_fallback, element_text

    candidates = content_candidates(doc, html)
    if candidates:
        ranked = sorted(((rank, pos), el) for pos, (rank, el) in enumerate(candidates))
        for _, el in ranked:
            if len(element_text(el)) >= 10:
                return el
    return density_fallback(doc)

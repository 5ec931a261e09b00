"""Off-site links a visitor cannot see: the raw-HTML signal of 暗链 (hidden injected links).

Injected 暗链 blocks hide their links from visitors and keep them for search engines: an inline
`display:none` / `visibility:hidden`, a block pushed off screen (`position:absolute; left:-9999px`,
`text-indent:-9999px`), a zero-size box with `overflow:hidden`, `font-size:0`, the `hidden` attribute,
or the same declarations put in a `<style>` rule for the block's id or class. Only links that leave
the site are returned: a county portal's own drop-down menus are `display:none` too, and they are not
injected. Whether a hidden off-site link is 暗链 is the check's decision (checks/expression.py), from the
anchor text and what the target turned out to be.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from lxml import etree, html

from crawler.urls import canonicalize, safe_join

_DISPLAY_NONE = re.compile(r"display\s*:\s*none", re.I)
_VISIBILITY = re.compile(r"visibility\s*:\s*hidden", re.I)
_OFFSET = re.compile(r"(?:^|[;\s{])(?:left|top|right|margin-left|margin-top|text-indent)\s*:\s*-\s*(\d{3,})(?:\.\d+)?\s*(?:px|em|pt|%)?",
                     re.I)
_FONT_ZERO = re.compile(r"font-size\s*:\s*0(?:px|pt|em)?\s*(?:;|$|!)", re.I)
_ZERO_BOX = re.compile(r"(?:^|[;\s{])(?:height|width)\s*:\s*[01](?:px)?\s*(?:;|$|!)", re.I)
_OVERFLOW_HIDDEN = re.compile(r"overflow\s*:\s*hidden", re.I)
_STYLE_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_SIMPLE_SELECTOR = re.compile(r"^\s*(?:[a-z0-9]*)([#.])([\w-]+)\s*$", re.I)
MIN_OFFSET_PX = 500                        # a block moved 500px or more off screen is not a layout nudge
MAX_LINKS = 200                            # per page: a 暗链 block is proven by far fewer


@dataclass(frozen=True)
class OffsiteLink:
    """A link that leaves the site; `hidden` says how a visitor is kept from seeing it (None: visible)."""

    url: str
    text: str
    hidden: str | None = None              # display:none | visibility:hidden | off-screen | zero-size | font-size:0 | hidden


def hiding(style: str) -> str | None:
    """How a CSS declaration block hides its element, or None when it does not."""
    if not style:
        return None
    if _DISPLAY_NONE.search(style):
        return "display:none"
    if _VISIBILITY.search(style):
        return "visibility:hidden"
    offset = _OFFSET.search(style)
    if offset and int(offset.group(1)) >= MIN_OFFSET_PX:
        return "off-screen"
    if _FONT_ZERO.search(style):
        return "font-size:0"
    if _ZERO_BOX.search(style) and _OVERFLOW_HIDDEN.search(style):
        return "zero-size"
    return None


def _stylesheet_rules(doc: etree._Element) -> dict[tuple[str, str], str]:
    """('#', id) / ('.', class) -> how a <style> rule for that simple selector hides it."""
    rules: dict[tuple[str, str], str] = {}
    for style in doc.iter("style"):
        css = re.sub(r"/\*.*?\*/", "", style.text or "", flags=re.S)
        for selectors, body in _STYLE_RULE.findall(css):
            how = hiding(body)
            if how is None:
                continue
            for selector in selectors.split(","):
                m = _SIMPLE_SELECTOR.match(selector)
                if m:
                    rules.setdefault((m.group(1), m.group(2)), how)
    return rules


def _element_hiding(el: etree._Element, rules: dict[tuple[str, str], str]) -> str | None:
    if el.get("hidden") is not None:
        return "hidden"
    how = hiding(el.get("style") or "")
    if how:
        return how
    if rules:
        if el.get("id") and ("#", el.get("id")) in rules:
            return rules[("#", el.get("id"))]
        for cls in (el.get("class") or "").split():
            if (".", cls) in rules:
                return rules[(".", cls)]
    return None


def offsite_links(page_html: str, page_url: str, on_site: Callable[[str], bool]) -> list[OffsiteLink]:
    """Every off-site <a href> of the page (first MAX_LINKS, document order), hidden ones marked.

    Never raises: a page lxml cannot read has no off-site links.
    """
    if not page_html or ("<a" not in page_html and "<A" not in page_html):
        return []
    try:
        doc = html.document_fromstring(page_html)
    except (etree.ParserError, ValueError):
        return []
    rules = _stylesheet_rules(doc)
    found: list[OffsiteLink] = []
    seen: set[str] = set()
    for a in doc.iter("a"):
        target = safe_join(page_url, a.get("href"))
        if target is None or not target.startswith(("http://", "https://")):
            continue
        target = canonicalize(target)
        if target in seen or on_site(target):
            continue
        seen.add(target)
        how = _element_hiding(a, rules)
        for el in a.iterancestors():
            if how or el.tag in ("body", "html"):
                break
            how = _element_hiding(el, rules)
        text = " ".join((a.text_content() or "").split())[:80]
        found.append(OffsiteLink(target, text, how))
        if len(found) >= MAX_LINKS:
            break
    return found


def hidden_links(page_html: str, page_url: str, on_site: Callable[[str], bool]) -> list[OffsiteLink]:
    """The hidden ones of `offsite_links`: the 暗链 candidates."""
    return [link for link in offsite_links(page_html, page_url, on_site) if link.hidden]

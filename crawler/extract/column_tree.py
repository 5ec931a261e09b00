"""Column menus a page holds as data: a JSON tree its script draws (`var columns = [{name, url, children}]`) or
an element's `data-*` attribute (`<div data-columns='[…]'>`).

A 2020s 集约化 platform prints the 政府信息公开 目录 tree as data and lets the front end draw it; plain `<a>`
links are there on some pages only (a `<noscript>` block), so a crawler reading anchors alone never sees the
sub-columns. A JSON array is read as a menu only when it looks like one: every node has a short name and a
same-site URL, nodes nest (`children`) or the variable/attribute is named for columns (column, channel, menu,
nav, tree, catalog, lanmu, mulu), and no node carries a date — an array of dated records is a news list,
which is the list extractor's business, not a menu.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

from lxml import etree

from crawler.extract.model import Link
from crawler.listapi import js_literal
from crawler.urls import is_attachment_url, safe_join, same_site

_NAME_KEYS = ("name", "title", "text", "label", "chnlname", "channelname", "columnname", "catalogname", "catname")
_URL_KEYS = ("url", "href", "link", "linkurl", "path", "chnlurl", "channelurl", "columnurl")
_CHILD_KEYS = ("children", "child", "childs", "nodes", "items", "sub", "subs", "submenu", "list")
_DATE_KEYS = re.compile(r"time|date|pub|created|updated", re.I)
_MENU_NAME = re.compile(r"column|channel|chnl|menu|nav|tree|catalog|lanmu|mulu|cate", re.I)
# `var columns = [` / `window.menuData = [` / `columns: [` in a script: the name before a JSON array.
_ARRAY_START = re.compile(r"([A-Za-z_$][\w$]*)\s*[:=]\s*(?=\[\s*\{)")
# What any JSON node array looks like in the page source (`[{`, `[ {`, in a script or an attribute): a page
# without one is not parsed for trees at all (most pages; the tree walk costs ~0.5 ms a page otherwise).
_ARRAY_IN_SOURCE = re.compile(r"\[\s*\{")
_MAX_NAME = 20
_MAX_NODES = 2000
_MIN_NODES = 2


def _nodes(value, depth: int = 0) -> Iterator[tuple[dict, int]]:
    """Every object of a nested node list with its depth."""
    if depth > 6 or not isinstance(value, list):
        return
    for node in value:
        if isinstance(node, dict):
            yield node, depth
            fields = {str(k).lower(): v for k, v in node.items()}
            for key in _CHILD_KEYS:
                if isinstance(fields.get(key), list):
                    yield from _nodes(fields[key], depth + 1)


def _menu_links(data, named_for_menus: bool, base: str, hosts: set[str]) -> list[Link]:
    """The links of a JSON node list that reads as a column menu (module docstring), else []."""
    links: list[Link] = []
    nested = False
    for n, (node, depth) in enumerate(_nodes(data)):
        if n >= _MAX_NODES:
            return []
        fields = {str(k).lower(): v for k, v in node.items()}
        if any(_DATE_KEYS.search(k) and v not in (None, "", 0) for k, v in fields.items()):
            return []                                   # dated records: a list of documents, not a menu
        nested = nested or depth > 0
        name = next((fields[k] for k in _NAME_KEYS if isinstance(fields.get(k), str) and fields[k].strip()), None)
        href = next((fields[k] for k in _URL_KEYS if isinstance(fields.get(k), str) and fields[k].strip()), None)
        if name is None:
            return []
        if href is None:
            continue                                    # a folder of the tree (法定主动公开内容) without a page
        name = " ".join(name.split())
        target = safe_join(base, href.strip())
        if (len(name) > _MAX_NAME or target is None or not target.startswith("http")
                or href.strip().lower().startswith(("javascript:", "#"))):
            continue
        if is_attachment_url(target) or (hosts and not same_site(target, hosts)):
            continue
        links.append(Link(url=target, text=name))
    if len(links) < _MIN_NODES or not (nested or named_for_menus):
        return []
    return links


def _arrays(doc: etree._Element) -> Iterator[tuple[str, str]]:
    """(name, JSON text) of the node arrays a page holds: in inline scripts and in data-* attributes."""
    for script in doc.iter("script"):
        text = script.text or ""
        if script.get("src") or "[" not in text:
            continue
        for m in _ARRAY_START.finditer(text):
            array = js_literal(text, m.end())
            if array:
                yield m.group(1), array
    for value in doc.xpath("//@*[starts-with(name(), 'data-')][starts-with(normalize-space(.), '[{')]"):
        yield value.attrname[5:], str(value)


def column_tree_links(doc: etree._Element, base: str, hosts: set[str], html: str | None = None) -> list[Link]:
    """Column links of the menus a page holds as JSON data (module docstring); [] when there are none.
    `html`, the page source when the caller has it, lets a page with no JSON array at all skip the walk."""
    if html is not None and not _ARRAY_IN_SOURCE.search(html):
        return []
    out: dict[str, Link] = {}
    for name, text in _arrays(doc):
        try:
            data = json.loads(text)
        except ValueError:
            continue                                    # a JS literal that is not JSON (unquoted keys): not read
        for link in _menu_links(data, bool(_MENU_NAME.search(name)), base, hosts):
            out.setdefault(link.url, link)
    return list(out.values())

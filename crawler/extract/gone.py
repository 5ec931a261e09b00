"""Soft 404: a page that answers HTTP 200 but only says the page (article, file, column) is gone.

Old CMSs (ASP.NET 站群 platforms, many JSP ones) answer a withdrawn record with 200 and a notice —
「您访问的页面不存在或已被删除」 in a bare box, a customErrors redirect to an Error.aspx that answers 200, or a
download handler's `<script>alert('文件不存在！');history.back();</script>`. A visitor meets a dead link, so the
crawler records one. Precision first: only a page whose own text is short (no article, no list: what remains once
link labels are taken out) and says so, or whose title says so, or that is nothing but such an alert, is gone.
A live page that quotes the sentence (a notice about the site's revision) has text of its own and stays alive.
"""

from __future__ import annotations

import re

from lxml import etree
from lxml import html as lxml_html

# What such pages say: a thing (page, article, file …) that does not exist or was deleted / withdrawn.
_THING = r"(?:页面|网页|文章|信息|内容|文件|附件|栏目|记录|资源|稿件|新闻|链接)"
_GONE = re.compile(
    rf"{_THING}\s*(?:已经|已)?\s*(?:不存在|被删除|删除|被撤销|撤销|撤稿|下线|失效)"
    rf"|(?:找不到|未找到|无法找到|没有找到)\s*(?:该|此|您要访问的|您访问的|您所访问的|您请求的)?\s*{_THING}"
    r"|(?:该|此)\s*(?:页面|文章|信息|文件)\s*(?:已经|已)?\s*(?:不存在|删除|撤销)")
_TITLE_ONLY = re.compile(r"\b404\b|not\s*found|页面出错|错误页", re.I)
_ALERT = re.compile(r"""\balert\s*\(\s*(["'])(.{1,120}?)\1""", re.S)
_QUOTED = re.compile(r"“[^”]{0,60}”|「[^」]{0,60}」|『[^』]{0,60}』|\"[^\"]{0,60}\"")
MAX_OWN_TEXT = 200                    # characters: a notice box, a few words of chrome; an article has more


_SKIPPED = frozenset(("script", "style", "noscript", "title", "head", "a", "select", "option"))
# A page that says none of these words is no gone-page (a cheap gate before any parsing).
_GATE = re.compile(r"不存在|删除|撤销|撤稿|下线|失效|找不到|未找到|没有找到|404|not\s*found|出错|错误", re.I)


def _own_text(doc: etree._Element) -> str:
    """The page's visible text without scripts, styles and link labels (menus, 返回首页), whitespace removed."""
    parts: list[str] = []

    def walk(node: etree._Element) -> None:
        if isinstance(node.tag, str) and node.tag not in _SKIPPED:
            parts.append(node.text or "")
            for child in node:
                walk(child)
        parts.append(node.tail or "")

    body = doc.find("body")
    for child in body if body is not None else doc:
        walk(child)
    return re.sub(r"\s+", "", "".join(parts))


def gone_notice(page: str) -> str | None:
    """The words that say this 200 answer is a dead page ('页面不存在'), or None for a live page."""
    if not page or not _GATE.search(page):
        return None
    try:
        doc = lxml_html.document_fromstring(page.lstrip("\ufeff"))
    except (etree.ParserError, ValueError):
        return None
    own = _own_text(doc)
    title = " ".join((doc.findtext(".//title") or "").split())
    said = _GONE.search(title) or _TITLE_ONLY.search(title)
    if said and len(own) <= MAX_OWN_TEXT:
        return said.group(0)
    if len(own) <= MAX_OWN_TEXT:
        said = _GONE.search(_QUOTED.sub("", own))        # a quoted sentence is a quotation, not the page's word
        if said:
            return said.group(0)
    if len(own) <= 20:                    # nothing shown but a script's alert (a download handler's answer)
        for script in doc.iter("script"):
            alert = _ALERT.search(script.text or "")
            said = _GONE.search(alert.group(2)) if alert else None
            if said:
                return said.group(0)
    return None

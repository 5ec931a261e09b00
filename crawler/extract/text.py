"""Readable body text from a parsed HTML page, and where the main content sits.

Drops what is never content (scripts, styles, Word `mso-` CSS leaking as text, `<o:p>`,
SimpRead/allow-copy extension noise, navigation, headers, footers) and keeps the breaks the
privacy scan needs: table cells are separated by a tab, rows and paragraphs by a newline.
"""

from __future__ import annotations

import re

from lxml import etree

SKIP_TAGS = frozenset({"script", "style", "noscript", "template", "select", "option", "textarea",
                       "iframe", "object", "embed", "svg", "canvas", "button", "head", "title"})
BLOCK_TAGS = frozenset({"p", "div", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5",
                        "h6", "table", "tbody", "thead", "tfoot", "section", "article", "header",
                        "footer", "nav", "aside", "blockquote", "pre", "form", "center", "address",
                        "main", "figure", "figcaption", "hr", "caption"})
NOISE_ID = re.compile(r"simpread|allow-copy|^_ideConac$|jiucuo", re.I)
CHROME = re.compile(r"(^|[\s_-])(nav|navbar|menu|header|footer|foot|topbar|toolbar|banner|share|"
                    r"breadcrumb|crumb|position|location|yqlj|friendlink|links?_?box|copyright|search)"
                    r"([\s_-]|\d|$)", re.I)

# Where CMS families put the article body; first hit wins (most specific first).
CONTENT_XPATHS = (
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' TRS_Editor ')]",
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' TRS_UEDITOR ')]",
    "//*[contains(@class, 'trs_editor_view')]",
    "//*[@id='vsb_content']", "//*[contains(@class, 'v_news_content')]",
    "//ucapcontent", "//*[@id='UCAP-CONTENT']", "//*[@id='zoom']",
    "//*[contains(@class, 'article-content')]", "//*[contains(@class, 'article_content')]",
    "//*[contains(@class, 'pages_content')]", "//*[@id='Zoom']", "//*[@id='content']",
    "//*[contains(@class, 'TRS_PreAppend')]",
)
_CONTENT_XP = etree.XPath(" | ".join(CONTENT_XPATHS))
_CONTENT_ONE = [etree.XPath("self::*" + x[1:].split("*", 1)[1]) if x.startswith("//*") else etree.XPath("self::ucapcontent")
                for x in CONTENT_XPATHS]

_CSS_LINE = re.compile(
    r"(@font-face|@page|mso-[a-z-]+\s*:|[a-zA-Z.#][\w.#-]*\s*\{[^}]*\}|"
    r"\b(font-family|margin|text-indent|line-height)\s*:[^;]+;)", re.I)
LIST_TAGS = frozenset({"ul", "ol", "dl", "table"})
_SRC_WS = re.compile(r"\s+")
_WS = re.compile(r"[ \t\r\f\v\u00a0\u3000\u2002\u2003\u2009\u200b\ufeff]+")
_WS_IN_CELL = re.compile(r"[ \r\f\v\u00a0\u3000\u2002\u2003\u2009\u200b\ufeff]+")     # _WS without the tab


class RememberedSearch:
    """A regex over strings a site repeats (id/class names, menu texts and URLs) whose verdicts are remembered:
    search(s) is pattern.search(s) is not None.

    A page repeats its few dozen class names on hundreds of elements and a site's pages share their
    templates, while each of these regexes tries many alternatives at every position (~1 µs a search).
    """

    __slots__ = ("pattern", "verdicts", "max_remembered")

    def __init__(self, pattern: re.Pattern[str], max_remembered: int = 50_000) -> None:
        self.pattern = pattern
        self.verdicts: dict[str, bool] = {}
        self.max_remembered = max_remembered       # all forgotten at once past this: class names are few per site

    def search(self, s: str) -> bool:
        verdict = self.verdicts.get(s)
        if verdict is None:
            if len(self.verdicts) >= self.max_remembered:
                self.verdicts.clear()
            verdict = self.verdicts[s] = self.pattern.search(s) is not None
        return verdict


_NOISE = RememberedSearch(NOISE_ID)
_CHROME_IDENT = RememberedSearch(CHROME)


def text_of(el: etree._Element) -> str:
    """All text under `el` (like lxml.html's text_content(), for plain etree elements too).

    libxml2's text serialiser gives what "".join(el.itertext()) gives, five times faster (lists ask this
    of every link and its blocks).
    """
    if not isinstance(el.tag, str):
        return ""
    if not len(el):
        return el.text or ""          # no child node: its text is all there is (most links), no serialiser needed
    return etree.tostring(el, method="text", encoding="unicode", with_tail=False)


def _is_noise(el: etree._Element) -> bool:
    ident = (el.get("id") or "") + " " + (el.get("class") or "")
    return bool(ident.strip()) and _NOISE.search(ident)


_CHROME_TAGS = frozenset({"nav", "header", "footer"})


def _skip(el: etree._Element, root: etree._Element, skip_chrome: bool) -> bool:
    """_is_noise(el) or (skip_chrome and _is_chrome(el)), reading id and class once per element."""
    tag = el.tag
    if not isinstance(tag, str):
        return True                       # comments, processing instructions
    tag = tag.lower()
    if tag in SKIP_TAGS or ":" in tag:    # <o:p>, <w:…> Word namespaces
        return True
    if el is root:
        return False
    el_id, el_class = el.get("id"), el.get("class")
    ident = (el_id or "") + " " + (el_class or "") if el_id is not None or el_class is not None else ""
    named = bool(ident.strip())
    if named and _NOISE.search(ident):
        return True
    if not skip_chrome:
        return False
    return el.tag in _CHROME_TAGS or el.get("role") == "navigation" or (named and _CHROME_IDENT.search(ident))


def _link_dense(el: etree._Element) -> bool:
    """A menu-like list: at least 3 links and most of its text is link text."""
    links = [a for a in el.iter("a")]
    if len(links) < 3:
        return False
    link_chars = sum(len((text_of(a) or "").strip()) for a in links)
    total = len(_SRC_WS.sub("", text_of(el) or ""))
    return total == 0 or link_chars / total > 0.7


# Break marks while a text is assembled: not whitespace, so the one collapse of source whitespace at the end
# never runs across a break. A text node may hold them (a &#1; character reference): the marks are counted,
# and a text with more than were written is assembled again run by run.
_LINE_MARK, _CELL_MARK = "\x01", "\x02"


def element_text(root: etree._Element | None, skip_chrome: bool = False,
                 skip_link_lists: bool = False) -> str:
    """Text of `root` with paragraph breaks as newlines and table cells as tabs (iterative, any depth).

    Source whitespace (newlines included) inside text becomes a space; the breaks come from the markup
    only. Breaks are written as marks and the whitespace collapsed once over the whole text: a run of
    whitespace never spans a mark, so each run of text between two breaks is collapsed as if alone.
    """
    if root is None:
        return ""
    out: list[str] = []
    append = out.append
    marks = 0
    skip_root = None
    walk = etree.iterwalk(root, events=("start", "end"))
    for event, el in walk:
        if skip_root is not None:        # the end of a skipped element: skip_subtree() left out all inside it
            if event == "end" and el is skip_root:
                skip_root = None
                if el.tail:
                    append(el.tail)
            continue
        if event == "start":
            if _skip(el, root, skip_chrome):
                skip_root = el
                walk.skip_subtree()
                continue
            tag = el.tag.lower()
            if tag in BLOCK_TAGS or tag == "br" or tag == "tr":
                append(_LINE_MARK)
                marks += 1
            if skip_link_lists and tag in LIST_TAGS and el is not root and _link_dense(el):
                skip_root = el
                walk.skip_subtree()
                continue
            if el.text:
                append(el.text)
        else:
            tag = el.tag.lower()
            if tag == "td" or tag == "th":
                append(_CELL_MARK)
                marks += 1
            elif tag in BLOCK_TAGS or tag == "tr":
                append(_LINE_MARK)
                marks += 1
            if el is not root and el.tail:
                append(el.tail)
    text = "".join(out)
    if text.count(_LINE_MARK) + text.count(_CELL_MARK) != marks:
        return _element_text_by_runs(root, skip_chrome, skip_link_lists)
    return tidy(_SRC_WS.sub(" ", text).replace(_LINE_MARK, "\n").replace(_CELL_MARK, "\t"))


def _element_text_by_runs(root: etree._Element, skip_chrome: bool, skip_link_lists: bool) -> str:
    """element_text as it was before the marks: each run of text between two breaks collapsed alone. Used
    when a text node holds a mark character (a &#1; reference), and in the tests as the reference."""
    out: list[str] = []
    run: list[str] = []

    def brk(mark: str) -> None:
        if run:
            out.append(_SRC_WS.sub(" ", "".join(run)))
            run.clear()
        out.append(mark)

    skip_root = None
    for event, el in etree.iterwalk(root, events=("start", "end")):
        if skip_root is not None:
            if event == "end" and el is skip_root:
                skip_root = None
                if el.tail:
                    run.append(el.tail)
            continue
        if event == "start":
            if _skip(el, root, skip_chrome):
                skip_root = el
                continue
            tag = el.tag.lower()
            if tag == "br" or tag in BLOCK_TAGS or tag == "tr":
                brk("\n")
            if tag in LIST_TAGS and skip_link_lists and el is not root and _link_dense(el):
                skip_root = el
                continue
            if el.text:
                run.append(el.text)
        else:
            tag = el.tag.lower()
            if tag in ("td", "th"):
                brk("\t")
            elif tag in BLOCK_TAGS or tag == "tr":
                brk("\n")
            if el is not root and el.tail:
                run.append(el.tail)
    brk("")
    return tidy("".join(out))


def _is_chrome(el: etree._Element) -> bool:
    tag = el.tag if isinstance(el.tag, str) else ""
    if tag in ("nav", "header", "footer"):
        return True
    if el.get("role") == "navigation":
        return True
    ident = (el.get("id") or "") + " " + (el.get("class") or "")
    return bool(ident.strip()) and _CHROME_IDENT.search(ident)


def tidy(text: str) -> str:
    """Collapse spaces, keep tabs between cells, drop blank lines and CSS that leaked in as text.

    The spaces are collapsed in one pass over the text: the collapsed set holds neither tab nor newline,
    so no run crosses a cell or a line, and each cell comes out as if collapsed alone.
    """
    lines = []
    for raw in _WS_IN_CELL.sub(" ", text).split("\n"):
        cells = [c.strip() for c in raw.split("\t")]
        while cells and not cells[-1]:
            cells.pop()
        while cells and not cells[0]:
            cells.pop(0)
        line = "\t".join(cells)
        if not line:
            continue
        # every _CSS_LINE alternative holds "@", ":" or "{": a line with none of them (most) is no CSS
        if ("{" in line or ":" in line or "@" in line) and _CSS_LINE.search(line) and _css_share(line) > 0.5:
            continue
        lines.append(line)
    return "\n".join(lines)


def _css_share(line: str) -> float:
    """Share of a line made of CSS declarations — Word HTML leaks `p.MsoNormal{…}` into text."""
    css = sum(len(m.group(0)) for m in re.finditer(r"[\w.#@-]*\s*\{[^}]*\}|[\w-]+\s*:\s*[^;:{}]+;", line))
    return css / max(len(line), 1)


_CONTENT_TOKENS = ("TRS_Editor", "TRS_UEDITOR", "trs_editor_view", "vsb_content", "v_news_content", "ucapcontent",
                   "UCAP-CONTENT", "zoom", "article-content", "article_content", "pages_content", "Zoom",
                   "content", "TRS_PreAppend")
_XPATH_SPACE = re.compile(r"[ \t\r\n]+")      # what XPath's normalize-space() collapses


def _class_token(token: str):
    return lambda tag, cls, eid: cls is not None and token in _XPATH_SPACE.split(cls)


def _class_part(part: str):
    return lambda tag, cls, eid: cls is not None and part in cls


def _id_is(value: str):
    return lambda tag, cls, eid: eid == value


# CONTENT_XPATHS as Python tests on (tag, class, id), one per XPath and in the same order. Evaluating the
# XPaths cost one libxml2 pass per container kind with string functions on every element (0.7 ms a page
# on the real samples); one Python pass over the elements reads each class and id once.
# tests/crawler/extract/test_content_candidates.py checks that both select the same elements.
CONTENT_TESTS = (
    _class_token("TRS_Editor"), _class_token("TRS_UEDITOR"), _class_part("trs_editor_view"),
    _id_is("vsb_content"), _class_part("v_news_content"),
    lambda tag, cls, eid: tag == "ucapcontent", _id_is("UCAP-CONTENT"), _id_is("zoom"),
    _class_part("article-content"), _class_part("article_content"),
    _class_part("pages_content"), _id_is("Zoom"), _id_is("content"),
    _class_part("TRS_PreAppend"),
)


# Quick reject before the exact tests: a class that holds none of the class markers and an id that is none
# of the ids cannot match any of them.
_ANY_CLASS_MARKER = re.compile("TRS_Editor|TRS_UEDITOR|trs_editor_view|v_news_content|article-content|"
                               "article_content|pages_content|TRS_PreAppend")
_CONTAINER_IDS = frozenset({"vsb_content", "UCAP-CONTENT", "zoom", "Zoom", "content"})


def content_candidates(doc: etree._Element, html: str | None = None) -> list[tuple[int, etree._Element]]:
    """(rank, element) of every known CMS container in document order; rank = its first CONTENT_XPATHS match.

    Only the kinds whose marker occurs in the raw HTML count (a pre-filter of the XPath days); the raw
    text is searched for a marker only when an element matches that kind, not 14 times a page.
    """
    present: dict[int, bool] = {}

    def in_html(i: int) -> bool:
        if html is None:
            return True
        if i not in present:
            present[i] = _CONTENT_TOKENS[i] in html
        return present[i]

    out = []
    # <ucapcontent> elements found by libxml2's own tag filter: the pass below then reads no tag names
    ucap = set(doc.iter("ucapcontent"))
    for el in doc.iter(etree.Element):            # elements only: no comment or processing instruction
        cls, eid = el.get("class"), el.get("id")
        if eid not in _CONTAINER_IDS and (cls is None or not _ANY_CLASS_MARKER.search(cls)) and el not in ucap:
            continue
        tag = el.tag
        matches = [i for i, test in enumerate(CONTENT_TESTS) if test(tag, cls, eid)]
        if matches and any(in_html(i) for i in matches):
            out.append((matches[0], el))
    return out


def find_content(doc: etree._Element, html: str | None = None) -> etree._Element | None:
    """The article body: a known CMS container with text, else the densest text block (or None)."""
    return find_content_and_text(doc, html)[0]


def find_content_and_text(doc: etree._Element, html: str | None = None) -> tuple[etree._Element | None, str | None]:
    """find_content(), and when the body is a CMS container, its element_text(skip_link_lists=True) too.

    A container counts when its text holds 10 characters. Its text without link lists is never longer
    than its whole text: a skipped list leaves out its own lines and nothing else (it is a block, broken
    off from what comes before and after it), and every other line comes out the same. So the text the
    caller wants anyway (without link lists) decides first; the whole text is read only when that one
    falls short.
    """
    candidates = content_candidates(doc, html)
    if candidates:
        ranked = sorted(((rank, pos), el) for pos, (rank, el) in enumerate(candidates))
        for _, el in ranked:
            without_lists = element_text(el, skip_link_lists=True)
            if len(without_lists) >= 10 or len(element_text(el)) >= 10:
                return el, without_lists
    return density_fallback(doc), None


def density_fallback(doc: etree._Element, min_chars: int = 150) -> etree._Element | None:
    """The block whose direct paragraphs hold the most non-link text: a cheap readability score."""
    best, best_score = None, 0.0
    for parent in doc.iter("div", "td", "article", "section"):
        if _is_chrome(parent):
            continue
        score = 0.0
        for child in parent:
            if child.tag in ("p", "br", "span", "font") or child.tag == "div" and len(child) <= 3:
                t = text_of(child) if isinstance(child.tag, str) else ""
                links = sum(len(text_of(a)) for a in child.iter("a"))
                score += max(len(t.strip()) - 2 * links, 0)
        if parent.text:
            score += len(parent.text.strip())
        if score > best_score:
            best, best_score = parent, score
    return best if best_score >= min_chars else None

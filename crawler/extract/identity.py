"""A page's site-identity facts (《政府网站发展指引》 国办发〔2017〕47号 and its 网页设计规范).

Every page of a government site shows, in its footer: the 党政机关网站标识 (the 开办 mark the 编办 issues,
served from conac.cn), the 网站标识码, the ICP备案编号 and the 公安机关备案号; its <head> carries the
SiteName / SiteDomain / SiteIDCode tags; the home page links the 「我为政府网站找错」 platform with
site_code = the 标识码 (国办函〔2016〕68号). The checks (checks/identity.py) judge what is missing or
inconsistent; this module only reads what is there, one lxml tree in, a small dict out.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

from lxml import etree

from crawler.extract.hidden import hiding
from crawler.extract.meta import get_meta

# Province abbreviations as 备案 numbers print them: both forms where a province has two (云南 滇/云, 贵州 黔/贵,
# 四川 川/蜀, 陕西 陕/秦, 甘肃 甘/陇); 备案 numbers use 滇 and 黔, which the short lists in circulation leave out.
PROVINCES = "京津冀晋蒙辽吉黑沪苏浙皖闽赣鲁豫鄂湘粤桂琼渝川蜀贵黔云滇藏陕秦甘陇青宁新"
# 网站标识码: 10 digits (county sites: the 6-digit 行政区划代码 + 4), or bm + 8 digits for departments.
SITE_ID_CODE = re.compile(r"(?:网站)?标识码\s*[:：]?\s*((?:bm|BM)\d{8}|\d{10})(?!\d)")
ICP = re.compile(rf"([{PROVINCES}])\s*ICP\s*备\s*(\d{{6,12}})\s*号(?:\s*[-－]\s*(\d{{1,3}}))?", re.I)
POLICE = re.compile(rf"([{PROVINCES}])\s*公网安备\s*(\d{{14}})\s*号?")
# SITE_ID_CODE without its optional 网站: the same code (group 1) at the same 标识码, and a search that starts
# with a literal runs at string-search speed (the optional group made it try every position, ~60 ns a char).
_SITE_ID_TAIL = re.compile(r"标识码\s*[:：]?\s*((?:bm|BM)\d{8}|\d{10})(?!\d)")
CONAC = ("conac.cn",)
# the platform's entry page by host, or by its path on the platform's address (JCMS templates link
# http://121.43.68.40/exposure/jiucuo.html?site_code=…), and its embed script
JIUCUO = ("zfwzgl.www.gov.cn/exposure/jiucuo", "/exposure/jiucuo", "jiucuo.js")
JIUCUO_TEXT = "我为政府网站找错"
# Where a page's closing tags are looked for: a statistics script or two may follow them, but a template's
# header included whole (gov.cn's 公报 pages close an </html> a third of the way down) must not count.
_TAIL = 2048
# Plain strings (no smart-string objects pointing back into the tree), in document order.
_ATTRS = etree.XPath("//@href | //@src", smart_strings=False)
_SCRIPTS = etree.XPath("//script[@src]")
_TEXT_NODES = etree.XPath("descendant-or-self::text()", smart_strings=False)
# What a footer shows when the strict patterns above find nothing, yet the item is there in a form they cannot
# verify: a 公安备案 label with a number of another shape (平潭's "公安备案号：35012899001-19002"); the 党政机关 mark
# of the official conac embed code (<span id="_ideConac">, <img id="imgConac">, alt 党政机关) linked somewhere
# other than conac.cn (a mirror or proxy rewrote the host); the 找错 entry's official container
# <span id="_span_jiucuo">, which jiucuo.js fills at load time, with no script in the page to fill it.
POLICE_LABEL = re.compile(r"(?:公安(?:机关)?(?:网站)?备案|公网安备)(?:编?号)?\s*[:：]?\s*[0-9][0-9\-－ ]{3,24}")
CONAC_IDS = frozenset({"_ideConac", "imgConac"})
JIUCUO_CONTAINER_ID = "_span_jiucuo"


def _text(doc: etree._Element) -> str:
    """The page's text with nothing left out (footers are what the generic text extractors skip).

    The text nodes itertext() would give, in the same order, from one XPath call: half the cost of walking
    the tree from Python (tests/crawler/extract/test_speed_equivalence.py compares both).
    """
    body = doc.find("body")
    root = body if body is not None else doc
    return " ".join([t for t in _TEXT_NODES(root) if t and not t.isspace()])


def _last_solid(text: str, end: int) -> int:
    """Index of the last non-whitespace character before `end` (-1 when there is none); `\\s` is str.isspace."""
    while end > 0 and text[end - 1].isspace():
        end -= 1
    return end - 1


def _search_before_word(pattern: re.Pattern[str], text: str, word: str, middle: str) -> re.Match[str] | None:
    """pattern.search(text) for a pattern shaped `[province]\\s*<middle>\\s*<word>…`, started where it can first match.

    A match sits on an occurrence of `word`: its province character is the last solid one before the
    `middle` that ends at the last solid character before the word. That position grows with the word's,
    so no match starts before the one computed from the first occurrence, and a search from there finds
    what a search of the whole text finds (footers come last: most of the text is skipped).
    """
    at = text.find(word)
    if at < 0:
        return None
    start = _last_solid(text, at)
    if middle:
        start = _last_solid(text, start - len(middle) + 1)
    return pattern.search(text, max(start, 0))


def extract_identity(doc: etree._Element, meta: dict[str, str]) -> dict:
    """The identity facts of one parsed page; a key is absent (or None) when the page does not carry it.

    Each pattern is searched from where its fixed word (标识码, 备, 公网安备) first occurs: a regex that starts
    with an optional group or a character class is tried at every position of the text before it.
    """
    text = _text(doc)
    facts: dict = {}
    if m := _SITE_ID_TAIL.search(text):
        facts["site_id_code"] = m.group(1).lower() if m.group(1).lower().startswith("bm") else m.group(1)
    if m := _search_before_word(ICP, text, "备", "ICP"):
        facts["icp"] = f"{m.group(1)}ICP备{m.group(2)}号" + (f"-{m.group(3)}" if m.group(3) else "")
    if m := _search_before_word(POLICE, text, "公网安备", ""):
        facts["police"] = f"{m.group(1)}公网安备{m.group(2)}号"
    attrs = _ATTRS(doc)
    # One lower-cased string for all the attributes: none of the markers holds a newline, so a marker found
    # in it lies inside one attribute.
    joined = "\n".join(attrs).lower()
    facts["conac"] = any(c in joined for c in CONAC)
    # every JIUCUO marker holds "jiucuo": the few attributes holding it are the only ones worth testing
    jiucuo = [a for a in attrs if "jiucuo" in a.lower() and any(j in a.lower() for j in JIUCUO)] \
        if "jiucuo" in joined else []
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
    facts.update(unverified_marks(doc, text, facts))
    return facts


def cut_off(html: str) -> bool:
    """Whether the page ends before its closing </body> or </html>: a transfer cut short (a truncated
    response, a server that stopped mid-page), so its footer was never received and cannot be judged."""
    tail = html.rstrip()[-_TAIL:].lower()
    return "</html" not in tail and "</body" not in tail


def unverified_marks(doc: etree._Element, text: str, facts: dict) -> dict:
    """What the page shows of an identity item the strict facts missed, so a check can say 需人工复核, not 未列明.

    Keys (only for an item the strict facts lack): police_unverified (the label and number as shown),
    conac_unverified (where the 党政机关 mark links, '' when nowhere), jiucuo_placeholder (True); and
    jiucuo_hidden (how) when the 找错 entry is there but every link to it is hidden from visitors.
    """
    hints: dict = {}
    if not facts.get("police") and ("公安" in text or "公网安备" in text):
        if m := POLICE_LABEL.search(text):
            hints["police_unverified"] = " ".join(m.group(0).split())[:60]
    if not facts.get("conac") and (mark := _conac_mark(doc)) is not None:
        link = next(mark.iterancestors("a"), None)
        hints["conac_unverified"] = (link.get("href") or "").strip()[:200] if link is not None else ""
    # iter() filtered in Python: a tenth of an XPath //*[@id=…] over the whole tree, on every page
    if not facts.get("jiucuo") and any(e.get("id") == JIUCUO_CONTAINER_ID for e in doc.iter("span")):
        hints["jiucuo_placeholder"] = True
    elif facts.get("jiucuo") and JIUCUO_TEXT not in text and (how := _jiucuo_hidden(doc)):
        hints["jiucuo_hidden"] = how
    return hints


def _jiucuo_hidden(doc: etree._Element) -> str | None:
    """How the page hides its 找错 entry from visitors (an inline display:none on the link or around it, as some
    JCMS templates write it), or None when some entry is visible or loaded by the platform's script."""
    hows = []
    for el in doc.iter("a", "img", "script"):
        target = (el.get("href") or el.get("src") or "").lower()
        if "jiucuo" not in target or not any(j in target for j in JIUCUO):
            continue
        if el.tag == "script":
            return None                         # the platform's own script draws the entry
        how = next((h for h in (hiding(e.get("style") or "") for e in (el, *el.iterancestors())) if h), None)
        if how is None:
            return None
        hows.append(how)
    return hows[0] if hows else None


def _conac_mark(doc: etree._Element) -> etree._Element | None:
    """The image of the 党政机关 mark: the conac embed code's ids, or an image named 党政机关."""
    for img in doc.iter("img"):
        if img.get("id") in CONAC_IDS or "党政机关" in (img.get("alt") or "") + (img.get("title") or ""):
            return img
        if any(a.get("id") in CONAC_IDS for a in img.iterancestors()):
            return img
    return None

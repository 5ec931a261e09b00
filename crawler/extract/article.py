"""The fields of a detail page: title, dates and where they came from, 来源, 索引号, 文号, 主题分类, 成文日期.

Values come from the 政府网站发展指引 meta tags first, then from the labelled metadata blocks CMSs
print (TRS xxgk tables, Fujian `index_box`, 开普云 tables, VSB 索引号 tables, "来源: 作者: 时间:" lines),
read from page text in which table cells are tab-separated and `&ensp;`-spread labels are allowed.
"""

from __future__ import annotations

import datetime as dt
import re

from lxml import etree

from crawler.extract.dates import find_dates, label_pattern, parse_date
from crawler.extract.meta import get_meta
from crawler.extract.model import ArticleFields
from crawler.extract.text import text_of

INDEX_LABELS = ("索引号", "信息索引号", "索取号")
DOC_NUMBER_LABELS = ("发文字号", "发文文号", "文号", "文件编号")
SOURCE_LABELS = ("信息来源", "文章来源", "来源", "发布机构", "发文机关", "发布单位")
TOPIC_LABELS = ("主题分类", "信息分类", "分类")
WRITTEN_LABELS = ("成文日期", "成文时间")
PUBLISHED_LABELS = ("发布时间", "发布日期", "公开日期", "公开时间", "时间", "日期")
# Other labels that end a value printed on the same line ("来源: 作者: 时间:2023-01-31 点击率:").
STOP_LABELS = (
    INDEX_LABELS + DOC_NUMBER_LABELS + SOURCE_LABELS + TOPIC_LABELS + WRITTEN_LABELS + PUBLISHED_LABELS
    + ("作者", "点击率", "点击数", "浏览次数", "浏览量", "阅读次数", "访问量", "字号", "字体", "名称", "标题",
       "有效性", "时效", "关键词", "主题词", "责任编辑", "编辑", "审核", "发布时间", "生成日期", "有效期")
)
EMPTY_VALUES = {"无", "暂无", "-", "--", "—", "/", "／", "null", "none", "空"}

_STOP_RE = re.compile(label_pattern(STOP_LABELS).pattern.replace(r"(?:[:：]|\t)", r"(?:[:：\t]|$)"))
_URL_DATES = (
    re.compile(r"/t((?:19|20)\d{2})(\d{2})(\d{2})_\d+"),                # TRS t20190918_693227
    re.compile(r"/art/((?:19|20)\d{2})/(\d{1,2})/(\d{1,2})/"),          # Hanweb /art/2016/11/22/
    re.compile(r"/((?:19|20)\d{2})-?(\d{2})-?(\d{2})/"),                # /2020-08-05/ or /20200805/
    re.compile(r"/((?:19|20)\d{2})(\d{2})/"),                           # TRS month dir /202008/
)
# A line that is nothing but a document number: 岚政办发〔2026〕7号, 县政发[2014]12号, 政人（2013）第5号.
_DOC_NUMBER_LINE = re.compile(r"^[\u4e00-\u9fff]{1,16}\s*[〔\[［(（]\s*(?:19|20)\d{2}\s*[〕\]］)）]\s*第?\s*\d{1,4}\s*号$")
_TITLE_SPLIT = re.compile(r"\s*(?:_{1,2}|\s-\s|\s—\s|\s\|\s|｜|--)\s*")


def _norm(text: str) -> str:
    return text.replace("\u2002", " ").replace("\u2003", " ").replace("\u3000", " ").replace("\xa0", " ")


def labeled_value(text: str, labels: tuple[str, ...]) -> str | None:
    """The value printed after the first of `labels` found (same line, up to the next known label)."""
    pattern = label_pattern(labels)
    for m in pattern.finditer(text):
        rest = text[m.end():].split("\n", 1)[0]
        if "\t" in rest and text[m.end() - 1:m.end()] == "\t":
            rest = rest.split("\t", 1)[0]                   # label cell, value cell
        stop = _STOP_RE.search(rest)
        if stop:
            rest = rest[:stop.start()]
        value = rest.strip(" \t:：;；,，|")
        if "\t" in value:
            value = value.split("\t", 1)[0].strip()
        if not value:
            if stop is None:
                continue
            return None                                     # "来源: 作者:" — label present, value empty
        if value.lower() in EMPTY_VALUES:
            return None
        return value[:200]
    return None


def url_date(url: str) -> dt.date | None:
    """The publication date a CMS encodes in a detail URL (t20190918_…, /art/2016/11/22/, /202008/).

    A bare month directory (/202008/) gives the 1st of that month: the weakest source, used last.
    """
    for i, pattern in enumerate(_URL_DATES):
        m = pattern.search(url or "")
        if m:
            day = int(m.group(3)) if i < 3 else 1
            d = parse_date(f"{m.group(1)}-{int(m.group(2))}-{day}")
            if d:
                return d
    return None


def url_year(url: str) -> int | None:
    """The year a detail or list URL carries (for year-less list dates)."""
    for pattern in _URL_DATES:
        m = pattern.search(url or "")
        if m:
            return int(m.group(1))
    return None


def _clean_title(title: str, site_name: str | None) -> str:
    title = " ".join(title.split())
    if site_name and title.endswith(site_name) and len(title) > len(site_name):
        title = title[: -len(site_name)]
    elif site_name and title.startswith(site_name) and len(title) > len(site_name) + 1:
        title = title[len(site_name):].lstrip(" -_|—｜")
    parts = [p for p in _TITLE_SPLIT.split(title) if p.strip()]
    if not parts:
        return title.strip(" -_|")
    first = parts[0].strip(" -_|")
    return first if len(first) >= 4 else max(parts, key=len).strip(" -_|")


def find_title(doc: etree._Element, meta: dict[str, str]) -> str:
    """ArticleTitle meta, <ucaptitle>, an <h1> that the <title> confirms, else <title> minus the site."""
    title = get_meta(meta, "ArticleTitle")
    if title:
        return " ".join(title.split())
    for el in doc.iter("ucaptitle"):
        text = " ".join(text_of(el).split())
        if text:
            return text
    raw = ""
    for el in doc.iter("title"):
        raw = " ".join((text_of(el) or "").split())
        break
    for el in doc.iter("h1"):
        text = " ".join(text_of(el).split())
        if len(text) >= 4 and (not raw or text in raw):
            return text
    return _clean_title(raw, get_meta(meta, "SiteName"))


# Label/value pairs of sibling elements (_label_pairs).
_PAIR_LABELS = frozenset(INDEX_LABELS + DOC_NUMBER_LABELS + SOURCE_LABELS + TOPIC_LABELS + WRITTEN_LABELS
                         + PUBLISHED_LABELS)
_SHORT_LEAVES = etree.XPath("//*[not(*)][string-length(normalize-space(.)) < 8]")
# Only a page whose text shows an info-table label glued to what follows is searched for such pairs.
_GLUED_LABEL = re.compile(r"(?:索引号|成文日期|发文字号|主题分类|信息索引号)(?![\s:：])")


def _label_pairs(doc: etree._Element) -> str:
    """`label：value` lines for label elements whose value is the next element (`<span class="label">索引号</span>
    <span class="value">…</span>`, as 集约化 platforms print their info table; the page text then reads
    索引号337100/…, glued), so such a value is read as if a colon stood between them."""
    lines = []
    for el in _SHORT_LEAVES(doc):
        label = (text_of(el) or "").strip().rstrip(":：").strip()
        if label not in _PAIR_LABELS or (el.tail or "").strip():
            continue                                     # no label, or its value is the tail: the page text has it
        value = el.getnext()
        while value is not None and not isinstance(value.tag, str):
            value = value.getnext()                     # a comment between label and value
        if value is None:
            continue
        text = " ".join(text_of(value).split())
        if text and len(text) <= 200:
            lines.append(f"{label}：{text}")
    return "\n".join(lines)


def extract_article(doc: etree._Element, url: str, meta: dict[str, str], page_text: str,
                    body: etree._Element | None, body_text: str) -> ArticleFields:
    """Fill ArticleFields from meta tags, labelled page text and the URL (see module docstring)."""
    text = _norm(page_text)
    pairs = _label_pairs(doc) if _GLUED_LABEL.search(text, 0, 20000) else ""
    if pairs:
        text = _norm(pairs) + "\n" + text
    fields = ArticleFields(title=find_title(doc, meta), text=body_text)
    pub_meta = get_meta(meta, "PubDate") or get_meta(meta, "firstpublishedtime")
    if pub_meta and (d := parse_date(pub_meta)):
        fields.published, fields.published_source = d, "meta"
    elif d := _labeled_date(text, PUBLISHED_LABELS):
        fields.published, fields.published_source = d, "text"
    elif d := url_date(url):
        fields.published, fields.published_source = d, "url"
    fields.index_number = labeled_value(text, INDEX_LABELS)
    fields.doc_number = labeled_value(text, DOC_NUMBER_LABELS) or _unlabelled_doc_number(text, body_text)
    fields.source = get_meta(meta, "ContentSource") or labeled_value(text, SOURCE_LABELS)
    fields.topic = labeled_value(text, TOPIC_LABELS)
    fields.written = _labeled_date(text, WRITTEN_LABELS)
    return fields


def _unlabelled_doc_number(page_text: str, body_text: str | None) -> str | None:
    """The 发文字号 printed with no label on its own line between the title and the body, as old templates
    and Word-pasted documents print it (centred under the title). Only a whole line that is a document
    number, and only above the body: a number cited inside the text is another document's."""
    start = _norm(body_text).strip()[:40] if body_text else ""
    at = page_text.find(start) if start else -1
    if at < 0:                          # no body, or not found in the page text: nothing is known to be above it
        return None
    for line in page_text[:at].splitlines()[-12:]:
        line = line.strip()
        if _DOC_NUMBER_LINE.match(line):
            return line
    return None


def _labeled_date(text: str, labels: tuple[str, ...]) -> dt.date | None:
    value = labeled_value(text, labels)
    if value:
        dates = find_dates(value)
        if dates:
            return dates[0]
    # the value may be cut by a label-like word; fall back to the raw text after the label
    for m in label_pattern(labels).finditer(text):
        d = parse_date(text[m.end():m.end() + 30].split("\n", 1)[0])
        if d:
            return d
    return None

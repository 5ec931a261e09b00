"""Public message lists (县长信箱、咨询投诉、留言选登): each message's date, reply date and status.

19号's 互动回应差 is judged from what a citizen sees: the list of messages with 留言时间, 回复时间 and
办理状态, and each message's page with its 答复内容. Two shapes cover the CMS families the crawler knows:
- a table whose header row names the columns (TRS 互动, Hanweb 信件 tables, 开普云 and most hand-made
  lists: 标题 | 留言时间 | 回复时间 | 状态), also inside Hanweb's `<script type="text/xml">` records;
- rows that label their own values (博达 VSB `<li>` lists, card layouts:
  `来信时间：2024-03-01 状态：已回复`).
A message's own page is read from its text (`parse_message_text`), which is what the store keeps.
Pure functions; they never raise and return nothing for a page that is not a message list.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass

from lxml import etree, html

from crawler.extract.dates import find_dates, labeled_date
from crawler.urls import canonicalize, safe_join

ASKED_LABELS = ("留言时间", "留言日期", "来信时间", "来信日期", "写信时间", "写信日期", "提问时间", "提问日期",
                "咨询时间", "咨询日期", "提交时间", "提交日期", "发件时间", "信件时间")
REPLIED_LABELS = ("回复时间", "回复日期", "答复时间", "答复日期", "办结时间", "办结日期", "处理时间", "反馈时间",
                  "回信时间")
STATUS_LABELS = ("办理状态", "处理状态", "回复状态", "答复状态", "信件状态", "状态")
REPLY_LABELS = ("回复内容", "答复内容", "回复意见", "答复意见", "办理结果", "处理结果", "回复", "答复")
_UNANSWERED = re.compile(r"未回复|未答复|待回复|待答复|未办结|未处理|待处理|办理中|处理中|受理中|已受理|已转办|转办中|未反馈")
_ANSWERED = re.compile(r"已回复|已答复|已办结|已处理|已反馈|办结|已回|已解答")
# A message page: where the reply begins (its label), and where the page chrome after it begins.
_REPLY_START = re.compile(r"(?:回复|答复)(?:内容|意见)\s*[:：]|(?:办理|处理)结果\s*[:：]|(?<![\u4e00-\u9fff])(?:回复|答复)\s*[:：]")
_REPLY_END = re.compile(r"\n\s*(?:回复(?:单位|部门|机构)|答复(?:单位|部门|机构)|回复时间|答复时间|办结时间|"
                        r"打印本页|关闭窗口|【\s*打印|上一篇|下一篇|相关链接)")
# "原则上在15个工作日内予以答复": the limit a site states for itself.
_STATED_LIMIT = re.compile(r"(\d{1,3})\s*个?\s*(工作日|日|天)\s*内\s*(?:予以|进行|作出|给予)?\s*(?:答复|回复|办理|办结|反馈)")
_CN_DIGITS = {"六十": 60, "三十": 30, "二十": 20, "十五": 15, "十": 10, "七": 7, "五": 5, "三": 3}


@dataclass
class MessageEntry:
    """One public message: when it was asked, when (and whether) it was answered."""

    title: str
    url: str | None = None
    asked: dt.date | None = None
    replied: dt.date | None = None
    status: str | None = None              # answered | unanswered | None (the page does not say)
    status_text: str | None = None         # the status as printed
    reply: str | None = None               # the reply text, when the page shows it

    def to_dict(self) -> dict:
        data = asdict(self)
        data["asked"] = self.asked.isoformat() if self.asked else None
        data["replied"] = self.replied.isoformat() if self.replied else None
        return data

    @classmethod
    def from_dict(cls, data: dict) -> MessageEntry:
        known = {k: data.get(k) for k in cls.__dataclass_fields__}
        for key in ("asked", "replied"):
            if isinstance(known[key], str):
                known[key] = dt.date.fromisoformat(known[key])
        return cls(**known)


def status_of(text: str | None) -> str | None:
    """answered / unanswered from a printed status ('已回复', '办理中'); None when it is neither."""
    if not text:
        return None
    if _UNANSWERED.search(text):
        return "unanswered"
    if _ANSWERED.search(text):
        return "answered"
    return None


def stated_limit(text: str | None) -> tuple[int, str] | None:
    """(days, 'workdays' | 'days') the channel promises to answer within, as its page states it."""
    if not text:
        return None
    for name, value in _CN_DIGITS.items():
        text = re.sub(rf"(?<![\d零一二三四五六七八九十]){name}(?=\s*个?\s*(?:工作日|日|天))", str(value), text)
    m = _STATED_LIMIT.search(text)
    if not m:
        return None
    days = int(m.group(1))
    if not 1 <= days <= 120:
        return None
    return days, "workdays" if m.group(2) == "工作日" else "days"


def _cell_text(el: etree._Element) -> str:
    """Text with element boundaries as spaces: adjacent <span>s must not run a title into a label."""
    return " ".join(" ".join(el.itertext()).split())


def _header_map(cells: list[str]) -> dict[str, int] | None:
    """Which column holds what, from a header row; None unless it has a message date and a status or reply date."""
    found: dict[str, int] = {}
    for i, text in enumerate(cells):
        t = text.replace(" ", "")
        if len(t) > 12:
            continue
        if "asked" not in found and any(label in t for label in ASKED_LABELS):
            found["asked"] = i
        elif "replied" not in found and any(label in t for label in REPLIED_LABELS):
            found["replied"] = i
        elif "status" not in found and any(t.endswith(label) for label in STATUS_LABELS):
            found["status"] = i
        elif "title" not in found and re.search(r"标题|主题|事由|信件|留言内容|咨询内容|问题", t):
            found["title"] = i
    if "asked" in found and ("status" in found or "replied" in found):
        return found
    return None


def _row_link(row: etree._Element, base: str) -> tuple[str, str | None]:
    for a in row.iter("a"):
        title = " ".join((a.get("title") or a.text_content() or "").split())
        target = safe_join(base, a.get("href"))
        if title or target:
            return title, canonicalize(target) if target and target.startswith("http") else None
    return "", None


def _from_tables(doc: etree._Element, base: str) -> list[MessageEntry]:
    entries: list[MessageEntry] = []
    for table in doc.iter("table"):
        rows = [r for r in table.iter("tr") if r.getparent() is table or r.getparent().getparent() is table]
        columns = None
        for row in rows:
            cells = [c for c in row if c.tag in ("td", "th")]
            texts = [_cell_text(c) for c in cells]
            if columns is None:
                columns = _header_map(texts)
                continue
            if len(cells) <= max(columns.values()):
                continue
            asked = find_dates(texts[columns["asked"]])
            if not asked:
                continue
            title, url = _row_link(row, base)
            if "title" in columns and not title:
                title = texts[columns["title"]]
            replied = find_dates(texts[columns["replied"]]) if "replied" in columns else []
            status_text = texts[columns["status"]] if "status" in columns else None
            entries.append(MessageEntry(title=title[:200], url=url, asked=asked[0],
                                        replied=replied[0] if replied else None,
                                        status=status_of(status_text) or ("answered" if replied else None),
                                        status_text=(status_text or None) and status_text[:20]))
        if entries:
            return entries
    return entries


_ROW_TAGS = ("li", "tr", "div", "dl", "p")


def _from_labelled_rows(doc: etree._Element, base: str) -> list[MessageEntry]:
    entries: list[MessageEntry] = []
    seen: set[etree._Element] = set()         # elements, not id()s: lxml proxies are created on demand
    for el in doc.iter(*_ROW_TAGS):
        text = _cell_text(el)
        if len(text) > 600 or not any(label in text for label in ASKED_LABELS):
            continue
        # The innermost element holding one message: no child row also carries a message date.
        if any(any(label in (child.text_content() or "") for label in ASKED_LABELS)
               for child in el.iterdescendants(*_ROW_TAGS)):
            continue
        if any(a in seen for a in el.iterancestors()):
            continue
        seen.add(el)
        asked = labeled_date(text, ASKED_LABELS)
        if asked is None:
            continue
        replied = labeled_date(text, REPLIED_LABELS)
        status_match = re.search(r"(?:" + "|".join(STATUS_LABELS) + r")\s*[:：]\s*(\S{2,6})", text)
        status_text = status_match.group(1) if status_match else None
        if status_text is None:
            bare = _UNANSWERED.search(text) or _ANSWERED.search(text)
            status_text = bare.group(0) if bare else None
        title, url = _row_link(el, base)
        entries.append(MessageEntry(title=title[:200], url=url, asked=asked, replied=replied,
                                    status=status_of(status_text) or ("answered" if replied else None),
                                    status_text=status_text))
    return entries


_XML_RECORD = re.compile(r"<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>", re.S | re.I)


def parse_message_list(page_html: str, url: str) -> list[MessageEntry]:
    """The messages a list page shows, or [] when it is not a message list."""
    if not page_html or not any(label in page_html for label in ASKED_LABELS):
        return []
    records = _XML_RECORD.findall(page_html)
    if records:                                  # Hanweb: the rows live in a <script type="text/xml">
        page_html = "<html><body>" + "\n".join(records) + "</body></html>"
    try:
        doc = html.document_fromstring(page_html)
    except (etree.ParserError, ValueError):
        return []
    for script in doc.iter("script"):
        script.text = ""
    return _from_tables(doc, url) or _from_labelled_rows(doc, url)


def parse_message_text(text: str, title: str = "", url: str | None = None) -> MessageEntry | None:
    """One message's own page, from its text; None unless it shows when the message was sent."""
    if not text:
        return None
    asked = labeled_date(text, ASKED_LABELS)
    if asked is None:
        return None
    replied = labeled_date(text, REPLIED_LABELS)
    status_match = re.search(r"(?:" + "|".join(STATUS_LABELS) + r")\s*[:：]\s*(\S{2,6})", text)
    status_text = status_match.group(1) if status_match else None
    reply = None
    start = _REPLY_START.search(text)
    if start:
        rest = text[start.end():]
        end = _REPLY_END.search(rest)
        reply = " ".join((rest[:end.start()] if end else rest[:2000]).split())
    status = status_of(status_text)
    if status is None:
        status = "answered" if replied or reply else None
    return MessageEntry(title=title, url=url, asked=asked, replied=replied, status=status,
                        status_text=status_text, reply=reply)

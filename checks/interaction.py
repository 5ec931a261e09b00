"""互动回应差 (国办秘函〔2019〕19号 单项否决): the 咨询建言 channel and how its public messages were answered.

Messages come from the crawl: the public lists (run statistics `message_lists`, crawler/extract/messages.py)
and each message's own page (its stored text). 19号 counts a valid message of the past year unanswered
for more than 3 months (a veto); the site's own promise (原则上15个工作日内答复) and empty or boilerplate
replies are 扣分 matters; a 留言 list whose newest reply is older than 2 months loses 3 points
(regulations.md DEDUCT-REPLY-2M). Columns of 在线访谈、调查征集、网上信访、纪检举报 are not 政务咨询 and are skipped.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from checks.finding import Observation
from crawler.extract.messages import MessageEntry, parse_message_text
from crawler.records import ColumnRecord, Snapshot

CHANNEL = re.compile(r"咨询|建言|留言|信箱|问政|诉求|来信|写信|市长热线|县长热线|12345|互动")
EXCLUDED = re.compile(r"信访|纪检|举报|监察|访谈|调查|征集|投票")


def _params(rule: Any) -> dict[str, Any]:
    return dict(getattr(rule, "params", None) or {})


def months_back(day: dt.date, months: int) -> dt.date:
    month = day.month - months
    year = day.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def workdays_between(start: dt.date, end: dt.date) -> int:
    """Working days after `start` up to and including `end` (State Council calendar; 调休 Saturdays count)."""
    import chinese_calendar
    if end <= start:
        return 0
    return len(chinese_calendar.get_workdays(start + dt.timedelta(days=1), end))


@dataclass
class Message:
    entry: MessageEntry
    column: ColumnRecord | None
    list_url: str | None
    limit: tuple[int, str] | None         # what the channel states: (15, 'workdays')
    from_page: bool                       # its own page was read (so the reply text is known)


def _is_consultation(column: ColumnRecord | None) -> bool:
    return column is None or not EXCLUDED.search(f"{column.name} {column.path}")


def messages(snapshot: Snapshot) -> list[Message]:
    """Every public message the crawl saw, list and page merged by URL (the page wins where it says more)."""
    owner = {}
    for column in snapshot.columns():
        for list_url in column.list_urls or [column.url]:
            owner[list_url] = column
        owner.setdefault(column.url, column)
    out: dict[str, Message] = {}
    loose: list[Message] = []
    limits: dict[str | None, tuple[int, str]] = {}
    for listing in snapshot.stats.get("message_lists") or ():
        column = owner.get(listing.get("url"))
        limit = tuple(listing["limit"]) if listing.get("limit") else None
        if limit and column is not None:
            limits[column.url] = limit
        for data in listing.get("entries") or ():
            msg = Message(MessageEntry.from_dict(data), column, listing.get("url"), limit, False)
            if msg.entry.url:
                out.setdefault(msg.entry.url, msg)
            else:
                loose.append(msg)
    for page in snapshot.pages(kind="article"):
        entry = parse_message_text(page.text, page.title, page.url)
        if entry is None or entry.status is None and entry.replied is None:
            continue
        known = out.get(page.url)
        column = snapshot.column(page.column_url) or (known.column if known else None)
        if known is not None:
            entry.status = entry.status or known.entry.status
            entry.replied = entry.replied or known.entry.replied
            entry.title = entry.title or known.entry.title
        limit = (known.limit if known else None) or limits.get(column.url if column else None)
        out[page.url] = Message(entry, column, known.list_url if known else None, limit, True)
    return [m for m in list(out.values()) + loose if _is_consultation(m.column)]


def _where(msg: Message) -> tuple[str | None, str | None, str | None]:
    url = msg.entry.url or msg.list_url
    return url, msg.column.url if msg.column else None, msg.column.name if msg.column else None


def unanswered(snapshot: Snapshot, rule: Any) -> Iterator[Observation]:
    """A message of the past year left without reply, or answered, for more than params.max_months (INT002)."""
    params = _params(rule)
    max_months = int(params.get("max_months", 3))
    window_start = snapshot.as_of - dt.timedelta(days=int(params.get("window_days", 365)))
    for msg in messages(snapshot):
        e = msg.entry
        if e.asked is None or e.asked < window_start or e.asked > snapshot.as_of:
            continue
        deadline = _add_months(e.asked, max_months)
        if e.status == "answered" or e.replied:
            if e.replied is None or e.replied <= deadline:
                continue
            end, state = e.replied, f"于{e.replied.year}年{e.replied.month}月{e.replied.day}日答复"
        elif e.status == "unanswered":
            if snapshot.as_of <= deadline:
                continue
            end, state = snapshot.as_of, f"截至检查日仍未答复（状态：{e.status_text or '未答复'}）"
        else:
            continue                           # the page does not say whether it was answered: never guess
        url, column_url, column_name = _where(msg)
        yield Observation(
            url=url, column_url=column_url, column_name=column_name, key=f"unanswered:{e.url or e.title}",
            evidence=f"留言「{e.title}」，留言日期{e.asked.isoformat()}，{state}",
            observed={"message_title": e.title, "asked": e.asked, "replied": e.replied, "state": state,
                      "days": (end - e.asked).days})


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def late_reply(snapshot: Snapshot, rule: Any) -> Iterator[Observation]:
    """A reply later than the limit the channel itself states (原则上15个工作日内答复) (INT003)."""
    window_start = snapshot.as_of - dt.timedelta(days=int(_params(rule).get("window_days", 365)))
    for msg in messages(snapshot):
        e = msg.entry
        if msg.limit is None or e.asked is None or e.replied is None or e.asked < window_start:
            continue
        days, unit = msg.limit
        taken = workdays_between(e.asked, e.replied) if unit == "workdays" else (e.replied - e.asked).days
        if taken <= days:
            continue
        limit_text = f"{days}个工作日" if unit == "workdays" else f"{days}日"
        taken_text = f"{taken}个工作日" if unit == "workdays" else f"{taken}日"
        url, column_url, column_name = _where(msg)
        yield Observation(
            url=url, column_url=column_url, column_name=column_name, key=f"late:{e.url or e.title}",
            evidence=f"留言「{e.title}」，留言日期{e.asked.isoformat()}，答复日期{e.replied.isoformat()}",
            observed={"message_title": e.title, "asked": e.asked, "replied": e.replied,
                      "limit_text": limit_text, "taken_text": taken_text})


def empty_reply(snapshot: Snapshot, rule: Any) -> Iterator[Observation]:
    """An answered message whose published reply is empty or a boilerplate acknowledgement (INT004)."""
    params = _params(rule)
    max_chars = int(params.get("boilerplate_max_chars", 40))
    boilerplate = [str(p) for p in params.get("boilerplate") or []]
    for msg in messages(snapshot):
        e = msg.entry
        if not msg.from_page or e.status != "answered" or e.reply is None:
            continue
        reply = e.reply.strip()
        core = re.sub(r"[\s，。！,.!、：:]|您好|你好|网友|同志", "", reply)
        # Boilerplate only when the reply is short: a real answer may start with "感谢您的来信".
        if core and not (len(core) <= max_chars and any(b in reply for b in boilerplate)):
            continue
        what = "答复内容为空" if not core else f"答复内容仅为“{reply[:60]}”"
        url, column_url, column_name = _where(msg)
        yield Observation(
            url=url, column_url=column_url, column_name=column_name, key=f"empty:{e.url or e.title}",
            evidence=f"留言「{e.title}」，{what}",
            observed={"message_title": e.title, "reply": reply[:60], "problem": what})


def list_stale(snapshot: Snapshot, rule: Any) -> Iterator[Observation]:
    """A 留言 channel whose newest published reply is older than params.max_months (INT005)."""
    max_months = int(_params(rule).get("max_months", 2))
    limit = months_back(snapshot.as_of, max_months)
    by_column: dict[str, list[Message]] = {}
    for msg in messages(snapshot):
        if msg.column is not None:
            by_column.setdefault(msg.column.url, []).append(msg)
    for column_url, msgs in by_column.items():
        replies = [m.entry.replied for m in msgs if m.entry.replied]
        if not replies:
            continue
        latest = max(replies)
        if latest >= limit:
            continue
        column = msgs[0].column
        yield Observation(
            url=column_url, column_url=column_url, column_name=column.name if column else None, key="reply-stale",
            evidence=f"栏目共列出{len(msgs)}条留言，最近一次答复日期为{latest.isoformat()}",
            observed={"latest_reply": latest, "age_days": (snapshot.as_of - latest).days, "messages": len(msgs)})


# ---------------------------------------------------------------- columns hosted on another platform
def external_platforms(snapshot: Snapshot) -> dict[str, list[str]]:
    """Interaction columns whose page only hands the visitor to another platform: column URL -> its hosts.

    Why: many counties answer 咨询、投诉、信箱 on the province's 12345 platform, and the column page on the portal
    is a set of links there. The crawl finds neither a list nor a dated article on it (columns.UNDECIDED_REASON),
    which is right, but it is no failure to read: the column is judged 由外部平台承载, never stale or blank, and
    listed in the report's 检查范围 as not judged here. Precision first, so all of these must hold: an
    interaction column (its name, path or type), not judged for that one reason, no on-site link into its own
    folder (a list of its own the crawl could not read stays not judged), and off-site links of its own — a
    target on half the site's pages (the footer's 备案, 党政机关 marks) is the template's, not the column's.
    """
    from crawler.columns import UNDECIDED_REASON

    candidates = {c.url: c for c in snapshot.columns() if c.unread_reason == UNDECIDED_REASON
                  and CHANNEL.search(f"{c.name} {c.path} {c.type or ''}")}
    if not candidates:
        return {}
    pages = {u: c.url for c in candidates.values() for u in {c.url, *c.list_urls}}
    linked_from: dict[str, set[str]] = {}
    sources: set[str] = set()
    own: dict[str, set[str]] = {}
    inside: set[str] = set()
    for link in snapshot.links():
        sources.add(link.source_url)
        if link.kind == "external":
            linked_from.setdefault(link.target_url, set()).add(link.source_url)
        column_url = pages.get(link.source_url)
        if column_url is None:
            continue
        if link.kind == "external":
            own.setdefault(column_url, set()).add(link.target_url)
        elif link.kind == "page" and link.target_url.startswith(_folder(column_url)) \
                and link.target_url not in pages:
            inside.add(column_url)
    # A target on at least half the site's pages (and on 3 or more) is the template's footer or header.
    template = {t for t, where in linked_from.items() if len(where) >= max(3, len(sources) / 2)}
    out = {}
    for column_url, targets in own.items():
        hosts = sorted({urlsplit(t).hostname or "" for t in targets - template} - {""})
        if hosts and column_url not in inside:
            out[column_url] = hosts
    return out


def _folder(url: str) -> str:
    return url if url.endswith("/") else url.rsplit("/", 1)[0] + "/"


def external_platform_note(hosts: list[str]) -> str:
    """The 检查范围 wording for a column hosted on another platform."""
    return (f"由外部平台承载（栏目页链接至{'、'.join(hosts)}），本栏目的信息和留言办理情况在该平台，"
            "本次检查未作更新情况判定，不计入空白栏目或不更新栏目")


def channel(snapshot: Snapshot, rule: Any) -> Iterator[Observation]:
    """No working 咨询建言 channel found on the site (INT001), for review: it may live on a platform off the site.
    A column that hands visitors to such a platform (external_platforms) is the channel."""
    hosted = external_platforms(snapshot)
    for column in snapshot.columns():
        text = f"{column.name} {column.path}"
        if CHANNEL.search(text) and not EXCLUDED.search(column.name) and (not column.unread_reason
                                                                           or column.url in hosted):
            return
    if snapshot.stats.get("message_lists"):
        return
    yield Observation(url=snapshot.site_url, key="no-channel", needs_review=True,
                      evidence=f"已检查{len(snapshot.columns_)}个栏目，未发现咨询、建言或留言类栏目（网上信访、纪检举报不计）",
                      observed={"columns": len(snapshot.columns_)})


CHECKS = {
    "channel": channel,
    "unanswered": unanswered,
    "late_reply": late_reply,
    "empty_reply": empty_reply,
    "list_stale": list_stale,
}

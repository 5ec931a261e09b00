"""Serious expression errors, injected 博彩/色情 content, 暗链 and secrecy markings (严重问题 of 19号).

国办秘函〔2019〕19号 单项否决·安全、泄密事故等严重问题: 1 严重表述错误, 2 泄露国家秘密, 3 发布或链接色情等内容,
4 页面被挂马、内容被篡改. What a crawl can prove is text: a form from the maintained dictionaries
(rules/serious_errors.yml, rules/injected_content.yml) in a page or an attachment, and links hidden from
visitors (crawler/extract/hidden.py). Every finding quotes the sentence and says where it sits. A word
that also appears in honest news (打击赌博) and every secrecy marking go to 需人工复核.

A form may be wrong only for a while (a leader's title holds from one date until another): such an entry
carries `from`/`until` and judges a text by the date it was published. An old article that names a leader
by the title held then is no error; a text whose publication date is unknown goes to 需人工复核.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import urlsplit

import yaml

import rules as rules_package
from checks.finding import Observation
from crawler.page_signals import parse_hidden_error
from crawler.profile import period_bound
from crawler.records import Snapshot

RULES_DIR = Path(rules_package.__file__).resolve().parent
_SENTENCE_END = "。！？；!?;\n"
QUOTE_CHARS = 60


@cache
def load_data(name: str) -> dict:
    """A maintained dictionary of rules/ (serious_errors.yml, injected_content.yml …)."""
    return yaml.safe_load((RULES_DIR / name).read_text(encoding="utf-8")) or {}


def quote(text: str, start: int, end: int, width: int = QUOTE_CHARS) -> str:
    """The sentence around text[start:end], cut to about `width` characters on each side."""
    left = max((text.rfind(c, max(0, start - width), start) for c in _SENTENCE_END), default=-1)
    right_candidates = [i for i in (text.find(c, end, end + width) for c in _SENTENCE_END) if i >= 0]
    lo = left + 1 if left >= 0 else max(0, start - width)
    hi = min(right_candidates) + 1 if right_candidates else min(len(text), end + width)
    sentence = " ".join(text[lo:hi].split())
    return ("…" if lo > 0 and left < 0 else "") + sentence + ("…" if hi < len(text) and not right_candidates else "")


class Text(NamedTuple):
    """A piece of published text to search, with where it sits and when it was published (None: unknown)."""

    url: str
    column_url: str | None
    where: str                                  # 标题 | 正文 | 附件
    location: str | None                        # an attachment's sheet cell, page or paragraph
    text: str
    published: dt.date | None


def _texts(snapshot: Snapshot) -> Iterator[Text]:
    """Every page title and body and attachment segment (an attachment is dated by the page it hangs on)."""
    for page in snapshot.pages():
        if page.title:
            yield Text(page.url, page.column_url, "标题", None, page.title, page.published)
        if page.text:
            yield Text(page.url, page.column_url, "正文", None, page.text, page.published)
    pages = {p.url: p for p in snapshot.pages()}
    for att in snapshot.attachments():
        page = pages.get(att.page_url or "")
        for segment in att.segments:
            yield Text(att.url, page.column_url if page else None, "附件", segment.location, segment.text,
                       page.published if page else None)


def _column_name(snapshot: Snapshot, column_url: str | None) -> str | None:
    column = snapshot.column(column_url)
    return column.name if column else None


def _leaders(rule: Any) -> list[dict]:
    return list((dict(getattr(rule, "params", None) or {})).get("leaders") or [])


def _compile(entries: list[dict], key: str = "wrong") -> list[tuple[re.Pattern, dict]]:
    return [(re.compile(entry[key], re.I), entry) for entry in entries]


def period_text(entry: dict) -> str | None:
    """「2021-06-01至今」 for an entry with a period, None for one that always holds."""
    start, end = period_bound(entry.get("from")), period_bound(entry.get("until"))
    if start is None and end is None:
        return None
    return f"{start.isoformat() if start else '此前'}至{end.isoformat() if end else '今'}"


def in_force(entry: dict, published: dt.date | None) -> bool | None:
    """Whether `entry` judges a text published on `published`: True, False, or None when the entry has a
    period and the date is unknown (the hit can then only be 需人工复核)."""
    start, end = period_bound(entry.get("from")), period_bound(entry.get("until"))
    if start is None and end is None:
        return True
    if published is None:
        return None
    return (start is None or start <= published) and (end is None or published <= end)


def _dictionary_hits(snapshot: Snapshot, rule: Any, entries: list[tuple[re.Pattern, dict]],
                     category: str) -> Iterator[Observation]:
    """One observation per (place, wrong form): the first sentence quoted, the count of the rest."""
    for item in _texts(snapshot):
        found: dict[str, tuple[re.Match, dict, int, bool]] = {}     # wrong form -> first match, entry, count, dated
        for pattern, entry in entries:
            applies = in_force(entry, item.published)
            if applies is False:
                continue
            for m in pattern.finditer(item.text):
                key = m.group(0)
                if key in found:
                    first, e, n, dated = found[key]
                    # a dated entry outranks one that only holds for review (same words, two periods)
                    found[key] = (first, e, n + 1, dated) if dated or not applies else (first, entry, n + 1, True)
                else:
                    found[key] = (m, entry, 1, bool(applies))
        for wrong, (m, entry, n, dated) in found.items():
            yield _hit(snapshot, item, wrong, m, entry, n, dated, category)


def _hit(snapshot: Snapshot, item: Text, wrong: str, m: re.Match, entry: dict, count: int, dated: bool,
         category: str) -> Observation:
    sentence = quote(item.text, m.start(), m.end())
    where, location = item.where, item.location
    evidence = f"{where}{('「' + location + '」') if location else ''}：{sentence}"
    if not dated:
        evidence += f"（发布日期未能确定，“{entry.get('right', '')}”的适用期间为{period_text(entry)}，需人工核实）"
    return Observation(
        url=item.url, column_url=item.column_url, column_name=_column_name(snapshot, item.column_url),
        key=f"{where}:{location or ''}:{wrong}", count=count, location=location or where,
        needs_review=bool(entry.get("review")) or not dated, evidence=evidence,
        observed={"wrong": wrong, "right": entry.get("right", ""), "sentence": sentence, "where": where,
                  "category": category, "source": entry.get("source", "")})


def serious_error(snapshot: Snapshot, rule: Any) -> Iterator[Observation]:
    """Political formulations and the county leaders' names and titles written wrongly (EXP001)."""
    entries = _compile(load_data("serious_errors.yml").get("political") or [])
    for leader in _leaders(rule):
        # params.leaders: [{name: 张三, title: 县长, wrong_titles: [副县长], from: 2021-06-01, until: …}] — a name
        # next to a title it does not hold, judged only on texts published while the leader held `title`.
        held = period_text(leader)
        for title in leader.get("wrong_titles") or []:
            entries.append((re.compile(re.escape(title) + r"\s*" + re.escape(leader["name"])),
                            {"right": f"{leader.get('title', '')}{leader['name']}",
                             "source": "站点配置的领导信息" + (f"（{held}任{leader.get('title', '')}）" if held else ""),
                             "from": leader.get("from"), "until": leader.get("until")}))
    yield from _dictionary_hits(snapshot, rule, entries, "政治性表述")


def miswriting(snapshot: Snapshot, rule: Any) -> Iterator[Observation]:
    """Common mis-writings (拔款、关健、登陆系统 …) from rules/serious_errors.yml (EXP002)."""
    yield from _dictionary_hits(snapshot, rule, _compile(load_data("serious_errors.yml").get("common") or []),
                                "常见错别字")


def _words(group: str, tier: str) -> list[str]:
    data = load_data("injected_content.yml")
    return [str(w) for w in (data.get(group) or {}).get(tier) or []]


@cache
def _word_pattern(groups: tuple[str, ...], tier: str) -> re.Pattern | None:
    words = sorted({w for g in groups for w in _words(g, tier)}, key=len, reverse=True)
    return re.compile("|".join(re.escape(w) for w in words), re.I) if words else None


def spam_words(text: str, groups: tuple[str, ...] = ("gambling", "porn")) -> tuple[list[str], list[str]]:
    """(certain, review) 博彩/色情 words found in `text`."""
    certain = _word_pattern(groups, "certain")
    review = _word_pattern(groups, "review")
    hits = sorted({m.group(0) for m in certain.finditer(text)}) if certain else []
    maybe = sorted({m.group(0) for m in review.finditer(text)}) if review else []
    return hits, maybe


def illegal_content(snapshot: Snapshot, rule: Any) -> Iterator[Observation]:
    """博彩/色情 promotions in a page's text or title or an attachment (EXP003); ordinary words for review."""
    for url, column_url, where, location, text, _published in _texts(snapshot):
        certain, review = spam_words(text)
        words = certain or review
        if not words:
            continue
        m = re.search("|".join(re.escape(w) for w in words), text, re.I)
        sentence = quote(text, m.start(), m.end()) if m else ""
        yield Observation(
            url=url, column_url=column_url, column_name=_column_name(snapshot, column_url),
            key=f"{where}:{location or ''}", location=location or where, needs_review=not certain,
            count=len(words), evidence=f"{where}{('「' + location + '」') if location else ''}：{sentence}",
            observed={"words": "、".join(words), "sentence": sentence, "where": where})


def _probe_verdicts(snapshot: Snapshot) -> dict[str, str]:
    """host -> gambling | porn | parked, for off-site hosts the crawl's probe found taken over."""
    from checks.links import probe_verdict
    out = {}
    for entry in snapshot.stats.get("offsite_probe") or ():
        verdict = probe_verdict(entry)
        if verdict and verdict[0] in ("gambling", "porn", "parked"):
            out[entry.get("host", "")] = verdict[0]
    return out


_VERDICT_WORDS = {"gambling": "博彩网站", "porn": "色情网站", "parked": "已停放或出售的域名"}
TEMPLATE_PAGES = 3        # an unexplained hidden target on this many pages is the template's, reported once


@cache
def _benign_hidden() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(hosts, address prefixes) of hidden links no template hides as 暗链 (rules/injected_content.yml)."""
    entries = load_data("injected_content.yml").get("benign_hidden") or ()
    return (tuple(str(e["host"]).lower() for e in entries if e.get("host")),
            tuple(str(e["prefix"]) for e in entries if e.get("prefix")))


def _is_benign_hidden(host: str, target: str) -> bool:
    hosts, prefixes = _benign_hidden()
    return any(host == h or host.endswith("." + h) for h in hosts) or target.startswith(prefixes)


def hidden_link(snapshot: Snapshot, rule: Any) -> Iterator[Observation]:
    """Links a visitor cannot see (暗链), per page (EXP004).

    A finding when an anchor or target carries 博彩/色情 words or the target host turned out to be such a
    site; other hidden links to non-government sites are listed for review (drop-down menus hide links too).
    """
    params = dict(getattr(rule, "params", None) or {})
    max_examples = int(params.get("max_examples", 5))
    verdicts = _probe_verdicts(snapshot)
    by_page: dict[str, list[tuple[str, str, str, str | None]]] = {}
    for link in snapshot.links():
        if link.kind != "hidden":
            continue
        parsed = parse_hidden_error(link.error)
        how, text = parsed if parsed else ("", "")
        host = (urlsplit(link.target_url).hostname or "").lower()
        if host.endswith(".gov.cn") or host == "gov.cn":
            continue
        certain, review = spam_words(f"{text} {link.target_url}")
        why = ("、".join(certain) if certain else _VERDICT_WORDS.get(verdicts.get(host, "")))
        if not why and _is_benign_hidden(host, link.target_url):
            continue
        by_page.setdefault(link.source_url, []).append((link.target_url, text, how, why))
    # An unexplained hidden target repeated on many pages is the template's: one review item for the site,
    # not one per page (a real JCMS site would otherwise fill the 需人工复核 list with the same link).
    pages_of: dict[str, set[str]] = {}
    for source, links in by_page.items():
        for target, _text, _how, why in links:
            if not why:
                pages_of.setdefault(target, set()).add(source)
    template = {t for t, sources in pages_of.items() if len(sources) >= TEMPLATE_PAGES}
    pages = {p.url: p for p in snapshot.pages()}
    template_links: dict[str, tuple[str, str, str, str | None]] = {}
    for source, links in by_page.items():
        for x in links:
            if x[0] in template and not x[3]:
                template_links.setdefault(x[0], x)
        links = [x for x in links if x[3] or x[0] not in template]
        if links:
            yield _hidden_observation(snapshot, pages.get(source), source, links, max_examples)
    if template_links:
        sources = set().union(*(pages_of[t] for t in template_links))
        home = next((p.url for p in pages.values() if p.kind == "home" and p.url in sources), None)
        at = home or min(sources)
        yield _hidden_observation(snapshot, pages.get(at), at, list(template_links.values()), max_examples,
                                  on_pages=len(sources))


def _hidden_observation(snapshot: Snapshot, page: Any, source: str, links: list[tuple[str, str, str, str | None]],
                        max_examples: int, on_pages: int = 1) -> Observation:
    """One EXP004 observation: a page's hidden links, or (on_pages > 1) the template's, seen on that many pages."""
    proven = [x for x in links if x[3]]
    shown = (proven or links)[:max_examples]
    column_url = page.column_url if page else None
    examples = "；".join(f"「{text or '无锚文本'}」→{target}（{how}）" for target, text, how, _w in shown)
    where = f"网站模板（共{on_pages}个页面）中" if on_pages > 1 else "页面源代码中"
    return Observation(
        url=source, column_url=column_url, column_name=_column_name(snapshot, column_url),
        key="hidden-links-template" if on_pages > 1 else "hidden-links", count=len(proven or links),
        needs_review=not proven,
        evidence=f"{where}隐藏的外部链接：{examples}" + ("等" if len(proven or links) > max_examples else ""),
        observed={"hidden_count": len(proven or links), "examples": examples, "pages": on_pages, "where": where,
                  "reasons": "、".join(dict.fromkeys(x[3] for x in proven)) if proven else "",
                  "targets": [x[0] for x in shown]})


def secret_marking(snapshot: Snapshot, rule: Any) -> Iterator[Observation]:
    """密级标志 and 内部资料 marks in a page or attachment (EXP005), always for review: only a person can tell."""
    patterns = _compile(load_data("serious_errors.yml").get("secrecy") or [], key="pattern")
    for url, column_url, where, location, text, _published in _texts(snapshot):
        for pattern, entry in patterns:
            m = pattern.search(text)
            if not m:
                continue
            sentence = quote(text, m.start(), m.end())
            yield Observation(
                url=url, column_url=column_url, column_name=_column_name(snapshot, column_url),
                key=f"{where}:{location or ''}:{m.group(0)}", location=location or where, needs_review=True,
                evidence=f"{where}{('「' + location + '」') if location else ''}：{sentence}",
                observed={"marking": m.group(0), "what": entry.get("what", ""), "sentence": sentence, "where": where})
            break


CHECKS = {
    "serious_error": serious_error,
    "miswriting": miswriting,
    "illegal_content": illegal_content,
    "hidden_link": hidden_link,
    "secret_marking": secret_marking,
}

"""Dates as Chinese government portals print them: 2022-12-31, 2022年12月31日, 二〇二二年…, [12-31].

A plain regex plus `datetime.date` validation (tech-notes §6): fast, and never invents a year —
a year-less [12-31] is only read when the caller supplies the year.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

MIN_YEAR = 1990

DATE_RE = re.compile(
    r"(?<![\d])((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})(?!\d)\s*日?"
    r"(?:\s*(\d{1,2})\s*[:：时]\s*(\d{1,2}))?"
)
_CN_VALUE = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "○": 0, "Ｏ": 0}
CN_DATE_RE = re.compile(
    r"([〇零○Ｏ一二三四五六七八九]{4})\s*年\s*([一二三四五六七八九十]{1,3})\s*月\s*([一二三四五六七八九十]{1,3})\s*日"
)
# Year-less list dates: [12-31], (12-31), （12-31）, or a bare 12-31 cell.
SHORT_RE = re.compile(r"(?<![\d\-/.])(\d{1,2})\s*[-/.月]\s*(\d{1,2})(?![\d\-/.])\s*日?")

DEFAULT_LABELS = ("发布时间", "发布日期", "公开日期", "成文日期", "时间", "日期")

# Lists ask this of every link block's text (hundreds a page), most of which hold no digit at all.
_MAY_HOLD_DATE = re.compile(r"\d")            # any Unicode digit, as DATE_RE and SHORT_RE read them
_FULLWIDTH = str.maketrans("０１２３４５６７８９－／．：", "0123456789-/.:")


def _cn_number(s: str) -> int | None:
    """一 → 1, 十二 → 12, 二十三 → 23, 三十一 → 31."""
    if "十" in s:
        head, _, tail = s.partition("十")
        tens = _CN_VALUE.get(head) if head else 1
        ones = _CN_VALUE.get(tail) if tail else 0
        return None if tens is None or ones is None else tens * 10 + ones
    return _CN_VALUE.get(s) if len(s) == 1 else None


def _make(year: int, month: int, day: int) -> dt.date | None:
    if year < MIN_YEAR or year > dt.date.today().year + 1:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


# _FULLWIDTH as (character, replacement) pairs: one str.replace per character present is exactly the
# translation (no replacement is itself translated) and ~50x faster than str.translate on CJK text, which
# looks every character up in the table from Python objects.
_FULLWIDTH_PAIRS = tuple((chr(k), chr(v)) for k, v in _FULLWIDTH.items())


def _normalise(s: str) -> str:
    for wide, narrow in _FULLWIDTH_PAIRS:
        if wide in s:
            s = s.replace(wide, narrow)
    return s.replace("\u3000", " ").replace("\xa0", " ")


def may_hold_date(s: str | None) -> bool:
    """False when find_dates(s, any year) is surely empty: every date form needs a digit, or 年 for the
    Chinese-numeral one. Lets a caller skip work it would do only for a date (lists: the URL's year)."""
    return bool(s) and ("年" in s or _MAY_HOLD_DATE.search(s) is not None)


def find_dates(s: str | None, default_year: int | None = None) -> list[dt.date]:
    """Every valid date in `s`, in order of appearance; year-less ones only with `default_year`."""
    if not may_hold_date(s):
        return []
    s = _normalise(s)
    found: list[tuple[int, dt.date]] = []
    taken: list[tuple[int, int]] = []
    for m in DATE_RE.finditer(s):
        taken.append(m.span())
        d = _make(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if d:
            found.append((m.start(), d))
    for m in CN_DATE_RE.finditer(s):
        taken.append(m.span())
        year_s = "".join(str(_CN_VALUE.get(c, 0)) for c in m.group(1))
        month, day = _cn_number(m.group(2)), _cn_number(m.group(3))
        if month and day:
            d = _make(int(year_s), month, day)
            if d:
                found.append((m.start(), d))
    if default_year:
        for m in SHORT_RE.finditer(s):
            if any(a <= m.start() < b for a, b in taken):
                continue
            d = _make(default_year, int(m.group(1)), int(m.group(2)))
            if d:
                found.append((m.start(), d))
    found.sort(key=lambda pair: pair[0])
    return [d for _, d in found]


# 26-03-05 / 26.03.05: a list date with a two-digit year (old CMS exports).
_TWO_DIGIT_YEAR_RE = re.compile(r"(?<![\d\-/.])(\d{2})([-/.])(\d{2})\2(\d{2})(?![\d\-/.])")


def two_digit_year_date(s: str | None, year: int | None) -> dt.date | None:
    """A yy-mm-dd date, read only when `year` (the year the entry's URL carries) confirms the century and the
    order: 26-03-05 is 2026-03-05 when the URL says 2026. Without that it could be dd-mm-yy, so None."""
    if not year or not s or not may_hold_date(s):
        return None
    for m in _TWO_DIGIT_YEAR_RE.finditer(_normalise(s)):
        if 2000 + int(m.group(1)) == year:
            d = _make(year, int(m.group(3)), int(m.group(4)))
            if d:
                return d
    return None


def parse_date(s: str | None, default_year: int | None = None) -> dt.date | None:
    """The first valid date in `s`, or None (impossible dates and years before 1990 are rejected)."""
    dates = find_dates(s, default_year)
    return dates[0] if dates else None


def _spread(label: str) -> str:
    # 索引号 also appears as 索 引 号 / 索&ensp;引&ensp;号 (normalised to spaces before matching).
    return r"\s*".join(re.escape(ch) for ch in label)


_LABEL_CACHE: dict[tuple[str, ...], re.Pattern[str]] = {}


def label_pattern(labels: Iterable[str]) -> re.Pattern[str]:
    """A regex matching any of `labels` (space-spread allowed) followed by a colon or a cell break."""
    key = tuple(labels)
    pat = _LABEL_CACHE.get(key)
    if pat is None:
        alts = "|".join(_spread(lb) for lb in sorted(key, key=len, reverse=True))
        pat = re.compile(r"(?<![\u4e00-\u9fff])(?:" + alts + r")\s*(?:[:：]|\t)\s*")
        _LABEL_CACHE[key] = pat
    return pat


def labeled_date(text: str | None, labels: Iterable[str] = DEFAULT_LABELS) -> dt.date | None:
    """The date printed right after one of `labels` (发布时间：2022-12-31 …), first label hit wins."""
    if not text:
        return None
    text = _normalise(text).replace("\u2002", " ").replace("\u2003", " ")
    for m in label_pattern(labels).finditer(text):
        d = parse_date(text[m.end():m.end() + 40].split("\n", 1)[0])
        if d:
            return d
    return None

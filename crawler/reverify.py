"""Which known pages a weekly re-crawl must ask the county's server for, and which it may carry forward.

The guarantee (docs/reverify.md): every list page, and every new or changed list entry, is fetched on
every run; every page and attachment with an open finding is fetched on every run, so a fix is seen at
once; every other article, page and attachment is re-verified at least once every N weeks
(`--reverify-weeks`, default 4). Which week a URL falls in is a hash of the URL modulo N, compared
with a week number counted from a fixed Monday, so every worker of a province agrees without talking
to the others, and the load is spread evenly over the weeks. What is not fetched is copied forward
from the previous complete run, so the checks still see the whole site.

The rule holds across skipped weeks: a URL is due when its week came up at any time since the
previous complete run (not only in the current week), so a run after a gap of N weeks or more
re-verifies everything.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field

DEFAULT_REVERIFY_WEEKS = 4
# Request kinds the rotation may skip. Home, list, pagination and site-map pages are always fetched:
# they are where new and changed entries show.
ROTATED_KINDS = frozenset({"article", "other", "attachment"})
# Stored page kinds that may be carried forward (a page that was a list last week is fetched).
CARRIED_PAGE_KINDS = frozenset({"article", "other"})
_ELLIPSIS = ("...", "…", "……", "..")


def week_number(day: dt.date) -> int:
    """Consecutive week numbers (Monday to Sunday), so rotation slots never jump at a year's end."""
    return (day - dt.timedelta(days=day.weekday())).toordinal() // 7


def slot(url: str, weeks: int) -> int:
    """The URL's week in the rotation: a stable hash (never Python's salted hash()) modulo N."""
    digest = hashlib.blake2b(url.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big") % weeks


def due_by_rotation(url: str, weeks: int, since: dt.date, as_of: dt.date) -> bool:
    """Whether the URL's rotation week came up in (week of `since`, week of `as_of`]."""
    if weeks <= 1:
        return True
    start, end = week_number(since), week_number(as_of)
    if end - start >= weeks:
        return True
    mine = slot(url, weeks)
    return any(w % weeks == mine for w in range(start + 1, end + 1))


@dataclass
class KnownPage:
    """What the previous complete run stored for one URL: enough to compare a list entry with it."""

    kind: str                          # article | other | attachment (pages of other kinds are never carried)
    title: str = ""
    published: dt.date | None = None
    column_url: str | None = None
    doc_number: str | None = None      # 文号: with the title, the column type's evidence (crawler/columns.py)


@dataclass
class ReverifyPlan:
    """The decision for each URL of a re-crawl; built once per run from the previous complete run."""

    base_run: int
    base_as_of: dt.date
    as_of: dt.date
    weeks: int
    known: dict[str, KnownPage] = field(default_factory=dict)   # stored URL form -> what was stored
    open_findings: set[str] = field(default_factory=set)         # stored URL forms with an open finding

    def carry(self, key: str, raw_url: str, kind: str, entry_title: str | None = None,
              entry_date: dt.date | None = None) -> KnownPage | None:
        """The stored record to copy forward instead of fetching `raw_url`, or None to fetch it.

        `key` is the URL as the store holds it (masked when it carries personal data); `raw_url` is
        what the rotation hashes. `entry_title` and `entry_date` are what a list showed for it.
        """
        if kind not in ROTATED_KINDS or self.weeks <= 1:
            return None
        known = self.known.get(key)
        if known is None or key in self.open_findings:
            return None
        if (kind == "attachment") != (known.kind == "attachment"):
            return None
        if entry_changed(known, entry_title, entry_date):
            return None
        if due_by_rotation(raw_url, self.weeks, self.base_as_of, self.as_of):
            return None
        return known


def entry_changed(known: KnownPage, title: str | None, date: dt.date | None) -> bool:
    """Whether a list entry says something the stored page does not: another date or another title.

    A list may shorten a title ('关于…的通知...'), so a stored title that starts with the entry's
    (ellipsis removed) is the same title. When in doubt the page is fetched: a needless request costs
    the server little, a missed edit costs the audit its point.
    """
    if date is not None and known.published is not None and date != known.published:
        return True
    if title:
        shown = " ".join(title.split())
        for mark in _ELLIPSIS:
            if shown.endswith(mark):
                shown = shown[: -len(mark)].rstrip()
                break
        stored = " ".join((known.title or "").split())
        if shown and not stored.startswith(shown) and shown not in stored:
            return True
    return False


def build_plan(store, site_url: str, run_id: int, as_of: dt.date, weeks: int) -> ReverifyPlan | None:
    """The plan against the newest earlier complete run of the site, or None on a first crawl."""
    if weeks <= 1:
        return None
    base = store.carry_base(site_url, run_id)
    if base is None:
        return None
    base_run, base_as_of = base
    if base_as_of is None or base_as_of > as_of:
        return None                                   # an audit dated before its base: verify everything
    known: dict[str, KnownPage] = {}
    for url, kind, title, published, column_url, doc_number in store.carry_pages(base_run):
        if kind in CARRIED_PAGE_KINDS:
            known[url] = KnownPage(kind, title or "", published, column_url, doc_number)
    for url in store.carry_attachments(base_run):
        known[url] = KnownPage("attachment")
    return ReverifyPlan(base_run=base_run, base_as_of=base_as_of, as_of=as_of, weeks=weeks, known=known,
                        open_findings=store.open_finding_urls(site_url, run_id))

"""Findings across runs: new / persisting / resolved / unverified, keyed by the stable fingerprint (Finding.id).

A problem of the last run that this run did not find is *resolved* only when this run could look at its place
again: the page or attachment was read, or it answered 404/410 while its column was read, or — in a crawl that ran
to its end — nothing links it any more (withdrawn, or its column removed); a column's own problem needs the column
read to the end, or the column gone from every page. When the place could not be reached (a column that answered 404 or 500, a timeout, a list not read to
the end) the problem is *unverified*: carried forward as it was, never reported as fixed on an outage.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from typing import Any

from checks.engine import normalise_location
from checks.finding import Finding

# Statuses of a previous finding that is still open, whatever this run saw of it.
CARRIED_OPEN = ("new", "persisting", "unverified", "waived", "dismissed")
_GONE = re.compile(r"HTTP (404|410)\b")
_INDEX = re.compile(r"(?:index|default)(?:_\d+)?\.s?html?$")


def place(url: str | None) -> str:
    """A URL as a place on the site: path + query, a directory index reduced to its directory."""
    return _INDEX.sub("", normalise_location(url)) if url else ""


@dataclass
class Coverage:
    """What one run could look at: places read, places that failed (and how), columns read to the end."""

    read: set[str] = field(default_factory=set)          # pages and attachments read
    answered: set[str] = field(default_factory=set)      # link targets that answered (status < 400)
    linked: set[str] = field(default_factory=set)        # every link target: still on the site's pages
    gone: set[str] = field(default_factory=set)          # answered 404 / 410: withdrawn
    failed: set[str] = field(default_factory=set)        # 5xx, timeouts, refused: not seen at all
    columns: set[str] = field(default_factory=set)       # columns whose list was read to the end
    present: set[str] = field(default_factory=set)       # every column this run found, read to the end or not
    skipped_rules: set[str] = field(default_factory=set)  # rules whose check failed this run
    whole: bool = True                                   # the crawl ran to its end (no page cap, time cap, stop)

    @classmethod
    def of(cls, snapshot: Any) -> Coverage:
        """The coverage of a crawled run (crawler.records.Snapshot)."""
        stats = snapshot.stats or {}
        cov = cls(whole=not (stats.get("stopped_by") or stats.get("interrupted_by") or stats.get("store_errors"))
                  and stats.get("status", "complete") == "complete")
        for page in snapshot.pages_:
            (cov.read if (page.status or 200) < 400 else cov.gone if page.status in (404, 410) else cov.failed) \
                .add(place(page.url))
        for att in snapshot.attachments_:
            (cov.failed if att.status == "fetch_error" else cov.read).add(place(att.url))
        for link in snapshot.links_:
            cov.linked.add(place(link.target_url))
            if link.status is not None and link.status < 400:
                cov.answered.add(place(link.target_url))
        for error in snapshot.errors_:
            if error.stage in ("fetch", "attachment") and error.url:
                (cov.gone if _GONE.search(error.message or "") else cov.failed).add(place(error.url))
        cov.failed -= cov.read
        cov.gone -= cov.read
        for column in snapshot.columns_:
            cov.present.add(place(column.url))
            if not column.unread_reason and place(column.url) not in cov.failed:
                cov.columns.add(place(column.url))
        return cov

    def rechecked(self, finding: Finding) -> bool:
        """True when this run looked at the finding's place again, so its absence means it was fixed."""
        if finding.rule in self.skipped_rules:
            return False
        where = place(finding.url)
        column = place((finding.column or {}).get("url"))
        if finding.kind == "broken_link":
            # Repaired when the target answers now, or every page that linked it was read and links it no more.
            sources = [place(s if isinstance(s, str) else (s or {}).get("url"))
                       for s in (finding.observed or {}).get("sources") or ()]
            return where in self.read or where in self.answered or bool(sources) and all(s in self.read for s in sources)
        if where in self.failed or column in self.failed:
            return False
        if where in self.columns or where in self.read:
            return True
        if where in self.gone:
            return not column or column in self.columns
        if where in self.linked or not self.whole:      # still linked yet not read, or the crawl stopped short
            return False
        # Linked from nowhere any more: withdrawn from a column read to the end, or the column itself removed.
        if not column or column == where:
            return where not in self.present
        return column in self.columns or not (column in self.present or column in self.linked or column in self.gone)


def classify(current: list[Finding], previous: list[Finding],
             previous_first_seen: dict[str, dt.date] | None = None,
             as_of: dt.date | None = None) -> list[Finding]:
    """Set each current finding's status (new | persisting) and first_seen; return the ones not found again.

    `previous_first_seen` (fingerprint → date, e.g. from the store) beats the first_seen carried on the
    previous findings, so a problem keeps its original date across many runs. A previous finding that was
    already resolved is not resolved again; if it reappears it is new. The returned findings are marked
    resolved; `split_unverified` then takes back those whose place this run could not look at.
    """
    earlier = previous_first_seen or {}
    open_before = {f.id: f for f in previous if f.status != "resolved"}
    for finding in current:
        before = open_before.get(finding.id)
        if before is None:
            finding.status = "new"
            finding.first_seen = as_of or finding.first_seen
        else:
            finding.status = "persisting"
            finding.first_seen = earlier.get(finding.id) or before.first_seen or finding.first_seen
    now = {f.id for f in current}
    resolved = []
    for fid, before in open_before.items():
        if fid not in now:
            resolved.append(replace(before, status="resolved", waiver=None,
                                    first_seen=earlier.get(fid) or before.first_seen))
    return resolved


def split_unverified(resolved: list[Finding], coverage: Coverage) -> tuple[list[Finding], list[Finding]]:
    """(really resolved, unverified): a finding whose place this run could not re-check is carried forward.

    An unverified finding keeps last run's evidence and first_seen, with status "unverified"; it stays on the
    整改清单 and in the count (it was a confirmed problem and nobody has seen it fixed).
    """
    fixed, carried = [], []
    for finding in resolved:
        if coverage.rechecked(finding):
            fixed.append(finding)
        else:
            carried.append(replace(finding, status="unverified"))
    return fixed, carried

"""Findings across runs: new / persisting / resolved, keyed by the stable fingerprint (Finding.id)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from checks.finding import Finding


def classify(current: list[Finding], previous: list[Finding],
             previous_first_seen: dict[str, dt.date] | None = None,
             as_of: dt.date | None = None) -> list[Finding]:
    """Set each current finding's status (new | persisting) and first_seen; return the resolved ones.

    `previous_first_seen` (fingerprint → date, e.g. from the store) beats the first_seen carried on the
    previous findings, so a problem keeps its original date across many runs. A previous finding that was
    already resolved is not resolved again; if it reappears it is new.
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

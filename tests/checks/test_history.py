"""History across runs: new, persisting (first_seen kept), resolved."""

from __future__ import annotations

import datetime as dt

from checks.finding import Finding
from checks.history import classify


def finding(fid: str, first_seen: dt.date | None = None, status: str = "new") -> Finding:
    return Finding(id=fid, rule="UPD001", kind="stale_column", severity="major", title="t", confidence=1.0,
                   column=None, url=None, message="m", remediation="r", basis="b", first_seen=first_seen,
                   status=status)


def test_new_persisting_resolved():
    previous = [finding("a", dt.date(2022, 1, 1), "persisting"), finding("b", dt.date(2022, 6, 1))]
    current = [finding("a", dt.date(2023, 1, 1)), finding("c", dt.date(2023, 1, 1))]
    resolved = classify(current, previous, as_of=dt.date(2023, 1, 1))
    assert {f.id: f.status for f in current} == {"a": "persisting", "c": "new"}
    assert current[0].first_seen == dt.date(2022, 1, 1) and current[1].first_seen == dt.date(2023, 1, 1)
    assert [(f.id, f.status, f.first_seen) for f in resolved] == [("b", "resolved", dt.date(2022, 6, 1))]
    assert previous[1].status == "new"  # the previous list itself is not modified


def test_store_first_seen_wins_and_resolved_are_not_resolved_twice():
    previous = [finding("a", dt.date(2022, 5, 1)), finding("gone", dt.date(2021, 1, 1), "resolved")]
    current = [finding("a"), finding("gone")]
    resolved = classify(current, previous, {"a": dt.date(2020, 3, 3)}, as_of=dt.date(2023, 1, 1))
    assert current[0].first_seen == dt.date(2020, 3, 3)
    assert current[1].status == "new" and current[1].first_seen == dt.date(2023, 1, 1)  # came back: new again
    assert resolved == []


def test_first_run_everything_new():
    current = [finding("x", dt.date(2023, 2, 2))]
    assert classify(current, []) == [] and current[0].status == "new"
    assert current[0].first_seen == dt.date(2023, 2, 2)

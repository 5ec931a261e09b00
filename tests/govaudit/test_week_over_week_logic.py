"""The week-over-week comparison without a crawl: fixed only when re-checked, the clerk's 不成立 and 已整改.

checks/history.py decides resolved vs unverified from what a run could read; reports/tally.changes counts
本周变化 by the one counting rule; reports/xlsx carries the clerk's edits (经复查仍存在, 不成立 kept out of the count).
"""

from __future__ import annotations

import datetime as dt

from checks.finding import Finding
from checks.history import Coverage, classify, split_unverified
from checks.waivers import apply_dismissals
from crawler.records import AttachmentRecord, ColumnRecord, ErrorRecord, LinkRecord, PageRecord, Snapshot
from reports.tally import changes, tally

SITE = "http://county.example.gov.cn"
AS_OF = dt.date(2026, 12, 7)


def _finding(fid: str, kind: str = "personal_data", url: str | None = None, column: str = "/zwgk/shjz/",
             **extra) -> Finding:
    return Finding(id=fid, rule="PII001" if kind == "personal_data" else "UPD001", kind=kind, severity="major",
                   title="", confidence=1.0, column={"name": "社会救助", "url": SITE + column},
                   url=SITE + url if url else None, message="", remediation="", basis="", status="new",
                   first_seen=AS_OF - dt.timedelta(days=7), **extra)


def _snapshot(pages=(), attachments=(), columns=(), errors=(), links=()) -> Snapshot:
    return Snapshot(site_name="测试县", site_url=SITE + "/", as_of=AS_OF,
                    pages_=[PageRecord(url=SITE + u, status=s) for u, s in pages],
                    attachments_=[AttachmentRecord(url=SITE + u, status=s) for u, s in attachments],
                    columns_=[ColumnRecord(url=SITE + u, name="栏目", unread_reason=r) for u, r in columns],
                    errors_=[ErrorRecord(url=SITE + u, stage="fetch", message=m) for u, m in errors],
                    links_=[LinkRecord(source_url=SITE + s, target_url=SITE + t, status=st) for s, t, st in links])


def _resolve(previous: list[Finding], current: list[Finding], snapshot: Snapshot):
    return split_unverified(classify(current, previous, as_of=AS_OF), Coverage.of(snapshot))


def test_a_page_read_again_without_the_problem_is_fixed():
    before = [_finding("a", url="/zwgk/shjz/1.html")]
    fixed, unverified = _resolve(before, [], _snapshot(pages=[("/zwgk/shjz/1.html", 200)],
                                                       columns=[("/zwgk/shjz/index.html", None)]))
    assert [f.id for f in fixed] == ["a"] and fixed[0].status == "resolved" and not unverified


def test_a_column_that_answered_404_or_500_proves_nothing():
    before = [_finding("a", url="/zwgk/shjz/1.html"), _finding("b", url="/zwgk/czxx/2.xlsx", column="/zwgk/czxx/"),
              _finding("c", kind="stale_column", url="/zwgk/shjz/", column="/zwgk/shjz/")]
    snapshot = _snapshot(errors=[("/zwgk/shjz/index.html", "抓取失败：HTTP 404"),
                                 ("/zwgk/czxx/index.html", "抓取失败：HTTP 500")])
    fixed, unverified = _resolve(before, [], snapshot)
    assert not fixed
    assert {f.id: f.status for f in unverified} == {"a": "unverified", "b": "unverified", "c": "unverified"}
    assert all(f.first_seen == AS_OF - dt.timedelta(days=7) for f in unverified)     # its history is kept


def test_a_timeout_on_the_page_itself_is_not_a_fix_even_when_its_column_was_read():
    before = [_finding("a", url="/zwgk/shjz/1.html")]
    snapshot = _snapshot(columns=[("/zwgk/shjz/index.html", None)],
                         errors=[("/zwgk/shjz/1.html", "抓取失败：连接超时")])
    fixed, unverified = _resolve(before, [], snapshot)
    assert not fixed and [f.status for f in unverified] == ["unverified"]


def test_a_removed_column_is_fixed_but_not_in_a_crawl_that_stopped_short():
    blank = [_finding("c", kind="stale_column", url="/zwgk/jyta/", column="/zwgk/jyta/"),
             _finding("p", url="/zwgk/jyta/1.html", column="/zwgk/jyta/")]
    # 按规定调整或归并栏目: the column is gone from the navigation, nothing links it or its pages.
    fixed, unverified = _resolve(blank, [], _snapshot(pages=[("/", 200)]))
    assert sorted(f.id for f in fixed) == ["c", "p"] and not unverified
    stopped = _snapshot(pages=[("/", 200)])
    stopped.stats = {"stopped_by": "max_pages"}
    fixed, unverified = _resolve(blank, [], stopped)
    assert not fixed and len(unverified) == 2
    # Still in the navigation but answering 404: not called fixed (the dead link is a problem of its own).
    linked = _snapshot(links=[("/", "/zwgk/jyta/index.html", 404)], errors=[("/zwgk/jyta/index.html", "抓取失败：HTTP 404")])
    fixed, unverified = _resolve(blank, [], linked)
    assert not fixed and len(unverified) == 2


def test_a_withdrawn_page_is_fixed_when_it_is_gone_or_no_longer_listed():
    gone = [_finding("a", url="/zwgk/tzgg/1.html", column="/zwgk/tzgg/")]
    read = [("/zwgk/tzgg/index.html", None)]
    fixed, _ = _resolve(gone, [], _snapshot(columns=read, errors=[("/zwgk/tzgg/1.html", "抓取失败：HTTP 404")]))
    assert [f.id for f in fixed] == ["a"]
    fixed, _ = _resolve(gone, [], _snapshot(columns=read))                       # off the list, not linked
    assert [f.id for f in fixed] == ["a"]
    # still linked from a list that was read, yet not fetched this run: not re-checked
    still = _snapshot(columns=read, links=[("/zwgk/tzgg/index.html", "/zwgk/tzgg/1.html", None)])
    fixed, unverified = _resolve(gone, [], still)
    assert not fixed and [f.id for f in unverified] == ["a"]
    # a column not read to the end cannot say an entry was withdrawn
    fixed, unverified = _resolve(gone, [], _snapshot(columns=[("/zwgk/tzgg/index.html", "抓取中断")]))
    assert not fixed and unverified


def test_a_dead_link_is_repaired_when_its_target_answers_or_its_pages_dropped_it():
    dead = [_finding("d", kind="broken_link", url="/old.html", column="/zwgk/tzgg/",
                     observed={"sources": [SITE + "/zwgk/tzgg/2.html"]})]
    fixed, _ = _resolve(dead, [], _snapshot(links=[("/zwgk/tzgg/2.html", "/old.html", 200)]))
    assert [f.id for f in fixed] == ["d"]
    fixed, _ = _resolve(dead, [], _snapshot(pages=[("/zwgk/tzgg/2.html", 200)]))
    assert [f.id for f in fixed] == ["d"]
    fixed, unverified = _resolve(dead, [], _snapshot(errors=[("/zwgk/tzgg/2.html", "抓取失败：HTTP 503")]))
    assert not fixed and [f.id for f in unverified] == ["d"]


def test_an_unverified_problem_seen_again_is_persisting_not_new():
    carried = _finding("a", url="/zwgk/shjz/1.html")
    carried.status = "unverified"
    again = _finding("a", url="/zwgk/shjz/1.html")
    assert classify([again], [carried], as_of=AS_OF) == []
    assert again.status == "persisting" and again.first_seen == AS_OF - dt.timedelta(days=7)


def test_a_rule_that_failed_this_run_fixes_nothing():
    before = [_finding("a", url="/zwgk/shjz/1.html")]
    coverage = Coverage.of(_snapshot(pages=[("/zwgk/shjz/1.html", 200)]))
    coverage.skipped_rules = {"PII001"}
    fixed, unverified = split_unverified(classify([], before, as_of=AS_OF), coverage)
    assert not fixed and unverified


def test_changes_add_up_to_the_count_and_leave_dismissed_and_review_out():
    findings = [_finding("n1"), _finding("n2"), _finding("p1"), _finding("u1"), _finding("x1"),
                _finding("r1", needs_review=True)]
    for f, status in zip(findings, ("new", "new", "persisting", "unverified", "persisting", "new")):
        f.status = status
    assert apply_dismissals(findings, {"x1": "经核实不属于本网站"}) == ["x1"]
    resolved = [_finding("f1")]
    resolved[0].status = "resolved"
    counted, changed = tally(findings), changes(findings + resolved)
    assert counted.total == 4 and counted.needs_review == 1
    assert changed.as_dict() == {"new": 2, "persisting": 1, "unverified": 1, "fixed": 1, "dismissed": 1}
    assert changed.new + changed.persisting + changed.unverified == counted.total
    assert "本次未能复查 1 项" in changed.sentence() and "不作已整改认定" in changed.sentence()
    assert "经核实不成立 1 项（不计入问题数）" in changed.sentence()


def test_a_maintenance_week_reaches_the_trend_as_not_examined(tmp_path):
    """The conductor's history marks a run that recognised no column, so the chart shows it as 未能检查."""
    from crawler.store import Store
    from govaudit.audit import _run_summary
    from reports.render import run_summary_from_dict

    finding = _finding("a", kind="column_stale").to_dict()
    with Store(tmp_path / "s.sqlite") as store:
        read = store.start_run(SITE + "/", "测试县", AS_OF - dt.timedelta(days=7))
        store.add_column(read, ColumnRecord(url=SITE + "/gzdt/", name="工作动态"))
        maintenance = store.start_run(SITE + "/", "测试县", AS_OF)
        for run in (read, maintenance):
            store.save_findings(run, [finding])
            store.finish_run(run, "complete")
        examined = [run_summary_from_dict(_run_summary(store, info)).examined for info in store.runs(SITE + "/")]
    assert examined == [True, False]

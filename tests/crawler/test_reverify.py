"""The weekly re-crawl asks only what it needs (crawler/reverify.py), and still catches a silent edit.

Weeks are simulated with --as-of on a small portal served on 127.0.0.1: every list page every week,
every page with an open finding every week (a fix is seen at once), new and changed list entries at
once, every other article on its rotation week, and the rest copied forward so the checks see the
whole site. A silent edit that adds personal data to an old article is found by week N at the latest.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import subprocess
import sys
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from checks.privacy import synthetic
from crawler.reverify import (
    KnownPage,
    ReverifyPlan,
    due_by_rotation,
    entry_changed,
    slot,
    week_number,
)
from tests.crawler.test_spider_site import SiteServer

REPO = Path(__file__).resolve().parents[2]
WEEKS = 4
MONDAY = dt.date(2026, 11, 30)
HTML = "text/html; charset=utf-8"


# ---------------------------------------------------------------------------- the rotation itself
def test_week_numbers_are_consecutive_across_a_year_end():
    days = [dt.date(2026, 12, 21) + dt.timedelta(days=7 * i) for i in range(4)]      # into 2027
    numbers = [week_number(d) for d in days]
    assert numbers == list(range(numbers[0], numbers[0] + 4))
    assert week_number(dt.date(2026, 12, 27)) == week_number(dt.date(2026, 12, 21))   # Sunday, same week


def test_every_url_is_due_exactly_once_in_any_n_consecutive_weeks():
    urls = [f"http://x.gov.cn/art/2024/{i}.html" for i in range(400)]
    for start in range(6):
        weeks = [MONDAY + dt.timedelta(days=7 * (start + i)) for i in range(WEEKS + 1)]
        due = Counter()
        for before, now in zip(weeks, weeks[1:], strict=False):
            due.update(u for u in urls if due_by_rotation(u, WEEKS, before, now))
        assert set(due.values()) == {1}
    # Spread evenly: each week carries about a quarter, never all.
    counts = Counter(slot(u, WEEKS) for u in urls)
    assert len(counts) == WEEKS and min(counts.values()) > 60


def test_a_gap_of_n_weeks_or_more_verifies_everything_and_the_same_week_nothing():
    urls = [f"http://x.gov.cn/a/{i}.html" for i in range(50)]
    assert all(due_by_rotation(u, WEEKS, MONDAY, MONDAY + dt.timedelta(weeks=WEEKS)) for u in urls)
    assert not any(due_by_rotation(u, WEEKS, MONDAY, MONDAY + dt.timedelta(days=3)) for u in urls)
    # Skipping a week: what was due in the skipped week is due now.
    skipped = MONDAY + dt.timedelta(weeks=1)
    late = [u for u in urls if due_by_rotation(u, WEEKS, MONDAY, skipped)]
    assert late and all(due_by_rotation(u, WEEKS, MONDAY, MONDAY + dt.timedelta(weeks=2)) for u in late)


def test_list_entry_compared_with_the_stored_page():
    known = KnownPage("article", "关于做好2026年冬季森林防火工作的通知", dt.date(2026, 3, 2))
    assert not entry_changed(known, "关于做好2026年冬季森林防火工作的通知", dt.date(2026, 3, 2))
    assert not entry_changed(known, "关于做好2026年冬季森林防火...", None)                 # shortened by the list
    assert not entry_changed(known, None, None)
    assert entry_changed(known, "关于做好2026年冬季森林防火工作的补充通知", dt.date(2026, 3, 2))
    assert entry_changed(known, "关于做好2026年冬季森林防火工作的通知", dt.date(2026, 3, 9))


def test_plan_never_carries_lists_open_findings_or_unknown_pages():
    url = "http://x.gov.cn/a/1.html"
    plan = ReverifyPlan(base_run=1, base_as_of=MONDAY, as_of=MONDAY + dt.timedelta(days=2), weeks=WEEKS,
                        known={url: KnownPage("article", "标题", None), "http://x.gov.cn/f.xls": KnownPage("attachment")})
    assert plan.carry(url, url, "article") is not None                                  # same week: not due
    assert plan.carry(url, url, "list") is None
    assert plan.carry("http://x.gov.cn/a/2.html", "http://x.gov.cn/a/2.html", "article") is None
    assert plan.carry("http://x.gov.cn/f.xls", "http://x.gov.cn/f.xls", "article") is None     # kind changed
    assert plan.carry("http://x.gov.cn/f.xls", "http://x.gov.cn/f.xls", "attachment") is not None
    plan.open_findings.add(url)
    assert plan.carry(url, url, "article") is None


# ---------------------------------------------------------------------------- the store's side, on both databases
@pytest.fixture(params=["sqlite", "postgres"])
def location(request, tmp_path):
    if request.param == "sqlite":
        return str(tmp_path / "store.sqlite")
    return request.getfixturevalue("postgres_url")


def test_plan_built_from_the_newest_complete_run_and_its_open_findings(location):
    from crawler.records import AttachmentRecord, PageRecord
    from crawler.reverify import build_plan
    from crawler.store import Store

    site = "http://x.gov.cn/"
    with Store(location) as store:
        first = store.start_run(site, "某县", MONDAY)
        assert build_plan(store, site, first, MONDAY, WEEKS) is None                      # a first crawl
        store.add_page(first, PageRecord(url=site + "a/1.html", column_url=site + "a/", title="通知一",
                                         published=dt.date(2026, 3, 2), kind="article", doc_number="复政办〔2026〕1号"))
        store.add_page(first, PageRecord(url=site + "a/", kind="list"))
        store.add_attachment(first, AttachmentRecord(url=site + "f.xls", page_url=site + "a/1.html"))
        store.save_findings(first, [{"id": "f1", "rule": "PII001", "kind": "personal_data", "severity": "veto",
                                     "status": "new", "url": site + "a/2.html"},
                                    {"id": "f2", "rule": "PII001", "kind": "personal_data", "severity": "veto",
                                     "status": "resolved", "url": site + "a/3.html"}])
        store.finish_run(first, "complete")
        broken = store.start_run(site, "某县", MONDAY + dt.timedelta(days=3))
        store.finish_run(broken, "incomplete")                  # never a base: it may not hold every page
        current = store.start_run(site, "某县", MONDAY + dt.timedelta(weeks=1))
        plan = build_plan(store, site, current, MONDAY + dt.timedelta(weeks=1), WEEKS)
        assert plan is not None and plan.base_run == first and plan.base_as_of == MONDAY
        assert set(plan.known) == {site + "a/1.html", site + "f.xls"}                  # the list page is not
        assert plan.known[site + "a/1.html"] == KnownPage("article", "通知一", dt.date(2026, 3, 2), site + "a/",
                                                          "复政办〔2026〕1号")     # the column type's evidence
        assert plan.open_findings == {site + "a/2.html"}
        assert build_plan(store, site, current, MONDAY - dt.timedelta(days=1), WEEKS) is None   # dated before


# ---------------------------------------------------------------------------- a served portal, week by week
def _page(title: str, body: str) -> str:
    return ('<!DOCTYPE html><html><head><meta charset="utf-8"><title>' + title + '</title>'
            '<meta name="SiteName" content="复核县人民政府"></head><body><div class="nav"><ul>'
            '<li><a href="/tzgg/index.html">通知公告</a></li><li><a href="/bmdt/index.html">部门动态</a></li>'
            '</ul></div>' + body + '<div class="footer">复核县人民政府办公室主办</div></body></html>')


def _article(title: str, day: dt.date, text: str, extra: str = "") -> str:
    return _page(title, f'<div class="article"><h1>{title}</h1><div class="info">发布时间：{day:%Y-%m-%d}</div>'
                        f'<div class="TRS_Editor"><p>{text}</p>{extra}</div></div>')


class Portal:
    """Two columns of dated articles and two attachments, edited between weeks like a real site."""

    def __init__(self) -> None:
        self.files: dict[str, tuple[bytes, str]] = {}
        self.entries: dict[str, list[tuple[str, str, dt.date]]] = {"tzgg": [], "bmdt": []}
        for column, name in (("tzgg", "通知"), ("bmdt", "工作动态")):
            for i in range(20):
                day = dt.date(2026, 1, 5) + dt.timedelta(days=6 * i + (3 if column == "bmdt" else 0))
                self.add(column, f"/{column}/2026/{i + 1:03d}.html", f"复核县{name}第{i + 1}号", day,
                         "县政府办公室按照工作安排，组织开展相关工作。" * 6, publish=False)
        self.files["/tzgg/2026/001.html"] = (_article("复核县通知第1号", dt.date(2026, 1, 5), "见附件。",
                                                      '<a href="/files/tzgg-1.csv">名单.csv</a>').encode(), HTML)
        self.files["/files/tzgg-1.csv"] = ("序号,单位\n1,县政府办\n".encode(), "text/csv")
        self.publish()
        self.files["/index.html"] = (_page("复核县人民政府", "<p>欢迎访问</p>").encode(), HTML)

    def add(self, column: str, path: str, title: str, day: dt.date, text: str, publish: bool = True) -> None:
        self.files[path] = (_article(title, day, text).encode(), HTML)
        entries = [e for e in self.entries[column] if e[0] != path] + [(path, title, day)]
        self.entries[column] = sorted(entries, key=lambda e: e[2], reverse=True)
        if publish:
            self.publish()

    def publish(self) -> None:
        for column, entries in self.entries.items():
            items = "".join(f'<li><a href="{p}">{t}</a><span>{d:%Y-%m-%d}</span></li>' for p, t, d in entries)
            self.files[f"/{column}/index.html"] = (_page(column, f'<div class="list"><ul>{items}</ul></div>').encode(),
                                                   HTML)

    def articles(self) -> set[str]:
        return {p for entries in self.entries.values() for p, _, _ in entries}

    def entry(self, path: str) -> tuple[str, str, dt.date]:
        return next(e for entries in self.entries.values() for e in entries if e[0] == path)


def _crawl(url: str, db: Path, as_of: dt.date) -> None:
    env = {**os.environ, "CI": "true", "PYTHONPATH": str(REPO)}
    result = subprocess.run([sys.executable, "-m", "govaudit.cli", "crawl", url, "--db", str(db), "--as-of",
                             as_of.isoformat(), "--concurrency", "4", "--delay", "0",
                             "--reverify-weeks", str(WEEKS)],
                            cwd=REPO, capture_output=True, text=True, timeout=120, env=env)
    assert result.returncode == 0, result.stderr[-3000:]


def _leak_findings(findings, path: str) -> list:
    return [f for f in findings if f.kind == "personal_data" and f.url and urlsplit(f.url).path == path]


@pytest.fixture(scope="module")
def weeks(tmp_path_factory):
    from govaudit.audit import check_run, open_store

    rng = random.Random(15)
    portal = Portal()
    db = tmp_path_factory.mktemp("reverify") / "store.sqlite"
    server = SiteServer(portal.files)
    with server:
        base = server.url
        dates = [MONDAY + dt.timedelta(weeks=w) for w in range(WEEKS + 1)]
        candidates = sorted(portal.articles() - {"/tzgg/2026/001.html"})

        def pick(column: str, due_week: int | None, taken: set[str]) -> str:
            """An article of `column` due by rotation in `due_week` only (None: not due in weeks 1 and 2)."""
            for path in candidates:
                if not path.startswith(f"/{column}/") or path in taken:
                    continue
                due = [w for w in range(1, WEEKS + 1) if due_by_rotation(base + path, WEEKS, dates[w - 1], dates[w])]
                if (due_week is None and due[0] > 2) or due == [due_week]:
                    return path
            raise AssertionError("no article in that rotation week")     # 40 articles: (3/4)^20 odds per column

        # A page with personal data from the start (an open finding, fixed in week 1 though not due then); a
        # victim of a silent edit in week 1 whose rotation week is the last of the N weeks after it, the worst
        # case the guarantee covers; an entry whose date is corrected in week 2, though not due then.
        leaky = pick("bmdt", None, set())
        victim = pick("tzgg", WEEKS, set())
        changed = pick("bmdt", None, {leaky})
        _, leaky_title, leaky_day = portal.entry(leaky)
        portal.files[leaky] = (_article(leaky_title, leaky_day, f"报名联系人：王某，手机{synthetic.mobile(rng)}。")
                               .encode(), HTML)
        runs = []
        for week, as_of in enumerate(dates):
            if week == 1:
                # The office removes the leak (the list is unchanged); someone silently adds an ID number to
                # an old article.
                portal.files[leaky] = (_article(leaky_title, leaky_day, "报名联系人：县政府办公室。").encode(), HTML)
                _, title, day = portal.entry(victim)
                body = f"附：申请人王某，身份证号{synthetic.id18(rng)}，已审核。"
                portal.files[victim] = (_article(title, day, body).encode(), HTML)
            if week == 2:
                portal.add("tzgg", "/tzgg/2026/new.html", "复核县通知新增一则", dt.date(2026, 12, 10), "新发布的通知。")
                # A changed entry: the date of an old article is corrected in its list and on its page.
                _, title, day = portal.entry(changed)
                portal.add("bmdt", changed, title, day + dt.timedelta(days=1), "日期已更正。")
            before = Counter(server.requests)
            _crawl(base + "/index.html", db, as_of)
            requested = {k for k, v in (Counter(server.requests) - before).items() if v}
            store = open_store(db)
            run_id = store.latest_run().id
            outcome = check_run(store, run_id)
            snapshot = store.load_snapshot(run_id)
            runs.append({"as_of": as_of, "requested": requested, "findings": outcome.findings,
                         "resolved": outcome.resolved, "pages": {urlsplit(p.url).path for p in snapshot.pages_},
                         "attachments": {urlsplit(a.url).path for a in snapshot.attachments_},
                         "stats": snapshot.stats, "run_id": run_id,
                         "links": {(urlsplit(lk.source_url).path, urlsplit(lk.target_url).path, lk.status, lk.kind)
                                   for lk in snapshot.links_}})
            store.close()
    return {"runs": runs, "base": base, "leaky": leaky, "victim": victim, "changed": changed, "portal": portal,
            "dates": dates}


def test_first_crawl_fetches_everything(weeks):
    first = weeks["runs"][0]
    assert weeks["portal"].articles() - {"/tzgg/2026/new.html"} <= first["requested"]
    assert "/files/tzgg-1.csv" in first["requested"]
    assert _leak_findings(first["findings"], weeks["leaky"])


def test_unchanged_week_asks_lists_open_findings_and_due_articles_only(weeks):
    base, runs, dates = weeks["base"], weeks["runs"], weeks["dates"]
    week1 = runs[1]
    lists = {"/index.html", "/tzgg/index.html", "/bmdt/index.html"}
    due = {p for p in runs[0]["pages"] | runs[0]["attachments"]
           if p not in lists and due_by_rotation(base + p, WEEKS, dates[0], dates[1])}
    assert week1["requested"] - {"/robots.txt"} == lists | due | {weeks["leaky"]}
    # How many articles fall due depends on the URL hash (the port is random): the exact set is checked
    # above, and here only that the week asks for strictly less than the first crawl.
    assert len(week1["requested"]) < len(runs[0]["requested"])
    # Nothing is missing from what the checks see: the rest was copied forward.
    assert week1["pages"] == runs[0]["pages"] and week1["attachments"] == runs[0]["attachments"]
    assert week1["links"] == runs[0]["links"]                # every link, with its status, as in week 0
    assert week1["stats"]["carried_forward"] == len(runs[0]["pages"] | runs[0]["attachments"]) - len(lists | due | {weeks["leaky"]})


def test_a_fix_is_seen_the_next_week(weeks):
    runs = weeks["runs"]
    assert weeks["leaky"] in runs[1]["requested"]
    assert not _leak_findings(runs[1]["findings"], weeks["leaky"])
    assert _leak_findings(runs[1]["resolved"], weeks["leaky"])


def test_new_and_changed_entries_are_fetched_at_once(weeks):
    week2 = weeks["runs"][2]
    assert "/tzgg/2026/new.html" in week2["requested"] and "/tzgg/2026/new.html" in week2["pages"]
    assert weeks["changed"] in week2["requested"]                # not due by rotation until week 3 or 4


def test_silent_edit_is_caught_within_n_weeks(weeks):
    runs, victim = weeks["runs"], weeks["victim"]
    fetched = [week for week, run in enumerate(runs) if victim in run["requested"]]
    assert fetched == [0, WEEKS]                        # the rotation's worst case: the N-th week after the edit
    for week in range(1, WEEKS):
        assert not _leak_findings(runs[week]["findings"], victim), week
    assert _leak_findings(runs[WEEKS]["findings"], victim)

"""The site profile's `leaders:` reach rule EXP001: a leader's name after a title they do not hold is a serious
expression error; correct titles (常务副县长 ends with 县长) raise nothing; bad entries are named by file:line."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest

from checks.engine import run_checks
from crawler.errors import SiteProfileError
from crawler.profile import apply_profile_file, leader_params, parse_profile
from crawler.records import PageRecord, Snapshot
from rules.loader import RuleSet, load_ruleset

PROFILE = """\
name: 青禾县人民政府
leaders:
  - {name: 王某某, title: 县长}
  - {name: 李某某, title: 常务副县长}
  - {name: 赵某某, title: 副县长, wrong_titles: [县委书记]}
"""


def _exp001(ruleset: RuleSet, *texts: str) -> list[tuple[str, str]]:
    pages = [PageRecord(f"http://www.qh.gov.cn/ldhd/{i}.html", title="领导活动", text=text, kind="article")
             for i, text in enumerate(texts)]
    snapshot = Snapshot("青禾县人民政府", "http://www.qh.gov.cn/", as_of=dt.date(2026, 11, 30), pages_=pages)
    result = run_checks(snapshot, ruleset.only(["EXP001"]))
    assert not result.errors
    return sorted((f.url.rsplit("/", 1)[1], f.observed["right"]) for f in result.findings)


def test_leaders_become_the_rules_params_and_are_found():
    ruleset = parse_profile(PROFILE, "site.yml").apply_to(load_ruleset())
    leaders = {x["name"]: x["wrong_titles"] for x in ruleset["EXP001"].params["leaders"]}
    assert leaders == {"王某某": ["常务副县长", "副县长"], "李某某": ["副常务副县长"], "赵某某": ["县委书记"]}
    found = _exp001(ruleset,
                    "副县长王某某到青禾镇调研春耕生产。",                  # 县长 written as 副县长
                    "县长王某某、常务副县长李某某、副县长赵某某出席会议。",    # all correct
                    "县委书记赵某某主持召开会议。")                        # the profile's own wrong title
    assert found == [("0.html", "县长王某某"), ("2.html", "副县长赵某某")]


def test_without_leaders_the_rule_keeps_its_params():
    base = load_ruleset()
    assert parse_profile("name: 青禾县人民政府\n").apply_to(base) is base
    assert _exp001(base, "副县长王某某到青禾镇调研。") == []


def test_a_title_the_right_one_ends_with_is_never_wrong():
    assert leader_params([{"name": "孙某", "title": "副县长"}, {"name": "周某", "title": "县长"}]) == [
        {"name": "孙某", "title": "副县长", "wrong_titles": []},           # 县长 would match inside 副县长孙某
        {"name": "周某", "title": "县长", "wrong_titles": ["副县长"]}]


@pytest.mark.parametrize("text, where", [
    ("leaders:\n  - {name: 王某某}\n", "site.yml:2:5: leaders.0"),
    ("leaders:\n  - {name: 王某某, title: 县长, rank: 1}\n", "site.yml:2:34: leaders.0.rank"),
    ("leaders: 王某某\n", "site.yml:1:10: leaders"),
])
def test_bad_leader_entries_are_named(text, where):
    with pytest.raises(SiteProfileError) as error:
        parse_profile(text, "site.yml")
    assert where in str(error.value)


def test_a_recheck_reads_the_profile_the_run_names(tmp_path):
    path = tmp_path / "site.yml"
    path.write_text(PROFILE, encoding="utf-8")
    base = load_ruleset()
    assert apply_profile_file(base, str(path))["EXP001"].params["leaders"][0]["name"] == "王某某"
    assert apply_profile_file(base, str(tmp_path / "moved.yml")) is base          # gone: the rule's own params
    assert apply_profile_file(base, None) is base


def test_check_run_applies_the_profile_of_the_run(tmp_path):
    from crawler.store import Store
    from govaudit.audit import check_run

    path = tmp_path / "site.yml"
    path.write_text(PROFILE, encoding="utf-8")
    with Store(tmp_path / "db.sqlite") as store:
        run_id = store.start_run("http://www.qh.gov.cn/", "青禾县人民政府", dt.date(2026, 11, 30),
                                 {"profile": str(path)})
        store.add_page(run_id, PageRecord("http://www.qh.gov.cn/ldhd/1.html", title="领导活动",
                                          text="副县长王某某到青禾镇调研春耕生产。", kind="article",
                                          published=dt.date(2026, 11, 20)))
        store.finish_run(run_id, "complete", {})
        outcome = check_run(store, run_id)
    assert [(f.rule, f.observed["right"]) for f in outcome.findings if f.rule == "EXP001"] == [
        ("EXP001", "县长王某某")]
    assert sqlite3.connect(tmp_path / "db.sqlite").execute("SELECT count(*) FROM findings").fetchone()[0] >= 1

"""EXP001 judges a leader's title by the day a text was published: the profile's `from`/`until` say when a
title was held, an old article naming a leader by the title held then is no error, a text of unknown date
goes to 需人工复核, and an impossible or reversed period is named by file:line before any crawl."""

from __future__ import annotations

import datetime as dt

import pytest

from checks.engine import run_checks
from checks.expression import in_force, load_data, period_text
from crawler.errors import SiteProfileError
from crawler.profile import parse_profile
from crawler.records import AttachmentRecord, PageRecord, Snapshot, TextSegment
from rules.loader import load_ruleset

SITE = "http://www.qh.gov.cn/"
PROFILE = """\
name: 青禾县人民政府
leaders:
  - {name: 王某某, title: 副县长, until: 2022-05-31}
  - {name: 王某某, title: 县长, from: 2022-06-01}
  - {name: 李某某, title: 常务副县长}
"""


def _page(n: int, text: str, published: dt.date | None, kind: str = "article") -> PageRecord:
    return PageRecord(f"{SITE}ldhd/{n}.html", title="领导活动", text=text, kind=kind, published=published)


def _findings(pages: list[PageRecord], attachments: list[AttachmentRecord] = ()) -> list[tuple[str, str, bool]]:
    ruleset = parse_profile(PROFILE, "site.yml").apply_to(load_ruleset())
    snapshot = Snapshot("青禾县人民政府", SITE, as_of=dt.date(2026, 11, 30), pages_=pages,
                        attachments_=list(attachments))
    result = run_checks(snapshot, ruleset.only(["EXP001"]))
    assert not result.errors
    return sorted((f.url.rsplit("/", 1)[1], f.observed["wrong"], f.needs_review) for f in result.findings)


def test_profile_periods_reach_the_rule_as_iso_dates():
    ruleset = parse_profile(PROFILE, "site.yml").apply_to(load_ruleset())
    leaders = [(x["title"], x.get("from"), x.get("until")) for x in ruleset["EXP001"].params["leaders"]]
    assert leaders == [("副县长", None, "2022-05-31"), ("县长", "2022-06-01", None), ("常务副县长", None, None)]


def test_an_article_is_judged_by_the_title_held_when_it_was_published():
    found = _findings([
        _page(1, "副县长王某某到青禾镇调研春耕生产。", dt.date(2021, 4, 2)),      # right at the time: no finding
        _page(2, "副县长王某某到青禾镇调研春耕生产。", dt.date(2023, 4, 2)),      # 县长 since 2022-06-01
        _page(3, "县长王某某到青禾镇调研春耕生产。", dt.date(2023, 4, 2)),        # right now
        _page(4, "常务副县长王某某出席会议。", dt.date(2021, 4, 2)),             # never his title, undated entry
    ])
    assert found == [("2.html", "副县长王某某", False), ("4.html", "常务副县长王某某", False)]


def test_an_attachment_takes_the_date_of_its_page():
    pages = [_page(5, "附件见下。", dt.date(2021, 4, 2)), _page(6, "附件见下。", dt.date(2023, 4, 2))]
    attachments = [AttachmentRecord(f"{SITE}att/{n}.docx", page_url=f"{SITE}ldhd/{n}.html",
                                    segments=[TextSegment("第2段", "副县长王某某出席会议并讲话。")]) for n in (5, 6)]
    assert _findings(pages, attachments) == [("6.docx", "副县长王某某", False)]


def test_an_undated_text_with_a_dated_title_goes_to_review_never_to_the_counts():
    found = _findings([_page(7, "副县长王某某到青禾镇调研春耕生产", None, kind="list")])
    assert found == [("7.html", "副县长王某某", True)]


@pytest.mark.parametrize("published, expected", [
    (dt.date(2022, 5, 31), False), (dt.date(2022, 6, 1), True), (dt.date(2023, 12, 31), True),
    (dt.date(2024, 1, 1), False), (None, None),
])
def test_period_bounds_are_inclusive(published, expected):
    entry = {"from": "2022-06-01", "until": dt.date(2023, 12, 31)}
    assert in_force(entry, published) is expected
    assert in_force({}, published) is True
    assert period_text(entry) == "2022-06-01至2023-12-31"
    assert period_text({"from": "2022-06-01"}) == "2022-06-01至今" and period_text({}) is None


@pytest.mark.parametrize("bound, where", [
    ("from: 2021-13-01", "site.yml:2:34: (root): 日期无效：2021-13-01"),
    ("from: 2021-6-1", "site.yml:2:34: leaders.0.from: 应为日期"),
    ("from: 2023-01-01, until: 2022-01-01", "site.yml:2:53: leaders.0.until: 任职截止日期 2022-01-01 早于起始日期"),
    ("until: 下届", "site.yml:2:35: leaders.0.until: 应为日期"),
])
def test_bad_periods_are_named_by_file_and_line(bound, where):
    with pytest.raises(SiteProfileError) as error:
        parse_profile(f"leaders:\n  - {{name: 王某某, title: 县长, {bound}}}\n", "site.yml")
    assert where in str(error.value)


def test_every_dated_entry_of_the_data_file_has_a_readable_period():
    """rules/serious_errors.yml may give an entry from/until; a typo there would stop EXP001 on every site."""
    for group in ("political", "common"):
        for entry in load_data("serious_errors.yml").get(group) or []:
            period_text(entry)


def test_a_county_rules_file_may_give_leaders_with_periods(tmp_path):
    path = tmp_path / "county.yml"
    path.write_text("extends: guoban-2019\noverrides:\n  EXP001: {params: {leaders: [{name: 王某某, title: 县长, "
                    "wrong_titles: [副县长], from: '2022-06-01', until: '2026-01-31'}]}}\n", encoding="utf-8")
    leader = load_ruleset("guoban-2019", [path])["EXP001"].params["leaders"][0]
    assert (leader["from"], leader["until"]) == ("2022-06-01", "2026-01-31")

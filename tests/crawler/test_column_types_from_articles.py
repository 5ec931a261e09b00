"""The column model types a column nothing else types from its dated articles (issue 11, 县教体局工作状态),
and the checks treat such a type as a guess: freshness verdicts only where column_types.yml allows them
(动态要闻), never a misused column in placement."""

from __future__ import annotations

import datetime as dt

import pytest

from checks.engine import run_checks
from checks.placement import column_type_of, rule_params
from crawler import columns as cm
from crawler.profile import SiteProfile
from crawler.records import Snapshot
from rules.loader import load_ruleset

SITE = "http://www.test.gov.cn"
AS_OF = dt.date(2026, 11, 30)
PLACES = ["青禾镇", "白沙镇", "云溪乡", "南岭乡"]
WORK = ["防汛抗旱", "食品安全", "乡村振兴", "安全生产"]


def _news(n: int) -> list[cm.ArticleFacts]:
    forms = ["县政府召开{w}工作推进会", "县领导到{p}调研{w}工作", "{p}扎实推进{w}", "县教育体育局赴{p}开展{w}督导检查"]
    return [cm.ArticleFacts(forms[i % len(forms)].format(p=PLACES[i % 4], w=WORK[(i // 4) % 4])) for i in range(n)]


def _documents(n: int) -> list[cm.ArticleFacts]:
    return [cm.ArticleFacts(f"青禾县人民政府关于印发《青禾县{WORK[i % 4]}实施方案》的通知", f"青政发〔2026〕{i + 1}号")
            for i in range(n)]


def _column(slug: str, name: str, parent: str, newest: dt.date, n: int, meta: str | None = None) -> cm.ColumnState:
    col = cm.ColumnState(url=f"{SITE}/{slug}/", name=name, path=f"首页/{parent}/{name}", meta_type=meta)
    col.list_urls[col.url] = None
    col.entries = {f"{SITE}/{slug}/{i}.html": newest - dt.timedelta(days=3 * i) for i in range(n)}
    return col


def test_an_untyped_column_of_news_items_is_dynamic_from_its_articles():
    col = _column("jtj", "县教体局工作状态", "部门乡镇", AS_OF - dt.timedelta(days=20), 14)
    assert cm.column_record(col, {}, SiteProfile(), {}).type is None             # without its articles
    record = cm.column_record(col, {}, SiteProfile(), {}, articles=_news(14))
    assert (record.type, record.type_source) == ("动态要闻", "articles")
    assert record.type_reason.startswith("栏目名称及上级栏目均未提示类型；栏目内14篇有发布日期的信息中14篇为动态信息")


@pytest.mark.parametrize(("name", "parent", "meta", "expected"), [
    ("部门动态", "新闻中心", None, ("动态要闻", "name")),
    ("通知公告", "政务公开", None, ("通知公告", "name")),
    ("工作状态", "专题专栏", None, ("其他", "parent")),          # 其他 stays 其他
    ("某栏目", "部门乡镇", "人事信息", ("人事信息", "meta")),
])
def test_other_evidence_is_never_overridden_by_the_articles(name, parent, meta, expected):
    col = _column("x", name, parent, AS_OF, 10, meta)
    record = cm.column_record(col, {}, SiteProfile(), {}, articles=_news(10))
    assert (record.type, record.type_source) == expected


def test_too_few_or_mixed_articles_leave_the_column_untyped():
    col = _column("x", "县卫健局工作状态", "部门乡镇", AS_OF, 12)
    assert cm.column_record(col, {}, SiteProfile(), {}, articles=_news(4)).type is None
    assert cm.column_record(col, {}, SiteProfile(), {}, articles=_news(6) + _documents(6)).type is None


def _snapshot(*records) -> Snapshot:
    return Snapshot(site_name="青禾县人民政府", site_url=SITE + "/", as_of=AS_OF, columns_=list(records))


def test_freshness_judges_an_article_typed_dynamic_column_but_not_an_article_typed_policy_column():
    profile = SiteProfile()
    news = cm.column_record(_column("jtj", "县教体局工作状态", "部门乡镇", AS_OF - dt.timedelta(days=20), 14),
                            {}, profile, {}, articles=_news(14))
    fresh = cm.column_record(_column("wjj", "县卫健局工作状态", "部门乡镇", AS_OF - dt.timedelta(days=2), 12),
                             {}, profile, {}, articles=_news(12))
    documents = cm.column_record(_column("wj", "县发改局资料", "部门乡镇", AS_OF - dt.timedelta(days=300), 8),
                                 {}, profile, {}, articles=_documents(8))
    named = cm.column_record(_column("zcwj", "政策文件", "政务公开", AS_OF - dt.timedelta(days=300), 8),
                             {}, profile, {}, articles=_documents(8))
    assert (documents.type, documents.type_source) == ("政策文件", "articles")
    assert (named.type, named.type_source) == ("政策文件", "name")
    result = run_checks(_snapshot(news, fresh, documents, named),
                        load_ruleset().only(["UPD001", "UPD002", "UPD010", "UPD011"]))
    assert not result.errors
    stale = sorted((f.rule, f.column["name"]) for f in result.findings if f.kind == "stale_column")
    assert stale == [("UPD001", "县教体局工作状态"), ("UPD002", "政策文件")]


def test_placement_never_takes_an_article_type_as_certain():
    record = cm.column_record(_column("jtj", "县教体局工作状态", "部门乡镇", AS_OF, 14), {}, SiteProfile(), {},
                              articles=_news(14))
    for rule_id in ("CAT001", "CAT002"):
        ctype, certain, reason = column_type_of(record, rule_params(load_ruleset()[rule_id]))
        assert (ctype, certain) == ("动态要闻", False)
        assert "动态信息" in reason


# A subject name (重点领域) outside a disclosure section, with news items: the real topic news channels of
# real-columns.tsv (社会公益, 农业农村 at the top of a county news app, labelled 动态要闻), and the demo's
# 县教体局社会公益 under 部门乡镇. The articles may override the name, as a weaker guess: review, no veto count.
@pytest.mark.parametrize(("name", "path"), [
    ("县教体局社会公益", "首页/部门乡镇/县教体局社会公益"),
    ("社会公益", "首页/社会公益"),
])
def test_news_items_override_a_subject_name_outside_disclosure_sections(name, path):
    col = _column("shgy", name, "x", AS_OF - dt.timedelta(days=20), 14)
    col.path = path
    assert cm.column_record(col, {}, SiteProfile(), {}).type == "重点领域"         # the name alone
    record = cm.column_record(col, {}, SiteProfile(), {}, articles=_news(14))
    assert (record.type, record.type_source) == ("动态要闻", cm.ARTICLES_OVER_NAME)
    assert record.type_reason.startswith("栏目名称含“公益”；栏目内14篇有发布日期的信息中14篇为动态信息")


@pytest.mark.parametrize(("name", "path", "articles"), [
    ("教育", "首页/政务公开/重点领域信息公开/教育", _news(14)),        # a disclosure section's subject
    ("社会公益事业", "首页/政务公开/社会公益事业", _news(14)),          # under the catalogue
    ("社会公益", "首页/社会公益", _documents(14)),                     # documents: no kind overrides a name
    ("社会公益", "首页/社会公益", _news(7) + _documents(7)),           # mixed items say nothing
    ("通知公告", "首页/部门乡镇/通知公告", _news(14)),                 # not a subject: the name stands
])
def test_subject_names_keep_their_type_otherwise(name, path, articles):
    col = _column("x", name, "x", AS_OF - dt.timedelta(days=20), 14)
    col.path = path
    record = cm.column_record(col, {}, SiteProfile(), {}, articles=articles)
    assert record.type_source == "name"


def test_a_type_read_against_the_name_gives_a_review_stale_verdict_and_no_veto_count():
    profile = SiteProfile()
    guessed = _column("shgy", "县教体局社会公益", "部门乡镇", AS_OF - dt.timedelta(days=20), 14)
    records = [cm.column_record(guessed, {}, profile, {}, articles=_news(14))]
    for i, name in enumerate(["工作动态", "乡镇动态", "部门动态", "今日要闻"]):     # four surely stale news columns
        records.append(cm.column_record(_column(f"c{i}", name, "新闻中心", AS_OF - dt.timedelta(days=30), 9),
                                        {}, profile, {}))
    result = run_checks(_snapshot(*records), load_ruleset().only(["UPD001", "UPD010"]))
    assert not result.errors
    stale = {f.column["name"]: f.needs_review for f in result.findings if f.kind == "stale_column"}
    assert stale == {"县教体局社会公益": True, "工作动态": False, "乡镇动态": False, "部门动态": False, "今日要闻": False}
    review = next(f for f in result.findings if f.column["name"] == "县教体局社会公益")
    assert "14篇为动态信息" in review.evidence
    assert not [f for f in result.findings if f.kind == "veto"]        # 4 counted, the guess is not the fifth


# A column of plans (…工作计划, …“十五五”规划, …规划（2021—2035年）, …工作要点) that nothing else types: the demo's
# 工作进展情况 under 政务公开 (real-columns.tsv: 政务公开 > 规划信息 > 工作进展情况, labelled 规划计划), 367 days
# without a new item, was typed 信息公开目录 from its parent and its stale verdict (UPD003) was lost.
_PLANS = ["{y}年青禾县乡村振兴工作计划", "青禾县农村公路建设“十五五”规划", "青禾县国土空间总体规划（2021—2035年）",
          "{y}年青禾县政务公开工作要点", "{y}年青禾县养老服务工作计划", "青禾县茶叶产业发展规划（2021-2025年）"]


def _plans(n: int, numbered: bool = False) -> list[cm.ArticleFacts]:
    return [cm.ArticleFacts(_PLANS[i % len(_PLANS)].format(y=2025 - i // len(_PLANS)),
                            f"青政办〔2025〕{i + 1}号" if numbered else None) for i in range(n)]


def test_a_column_of_plans_is_a_planning_column_and_long_stale():
    col = _column("ghjh", "工作进展情况", "政务公开", AS_OF - dt.timedelta(days=367), 12)
    before = cm.column_record(col, {}, SiteProfile(), {})
    assert (before.type, before.type_source) == ("信息公开目录", "parent")
    record = cm.column_record(col, {}, SiteProfile(), {}, articles=_plans(12))
    assert (record.type, record.type_source) == ("规划计划", "articles")
    assert "12篇为规划计划类文件" in record.type_reason
    fresh = cm.column_record(_column("ndjh", "年度安排", "政务公开", AS_OF - dt.timedelta(days=200), 8), {},
                             SiteProfile(), {}, articles=_plans(8))
    result = run_checks(_snapshot(record, fresh), load_ruleset().only(["UPD003"]))
    assert not result.errors
    assert [(f.rule, f.column["name"], f.needs_review) for f in result.findings] == [("UPD003", "工作进展情况", False)]


def test_plans_with_a_doc_number_or_among_news_do_not_make_a_planning_column():
    col = _column("x", "工作进展情况", "政务公开", AS_OF - dt.timedelta(days=400), 12)
    numbered = cm.column_record(col, {}, SiteProfile(), {}, articles=_plans(12, numbered=True))
    assert (numbered.type, numbered.type_source) == ("政策文件", "articles")        # documents, judged by no freshness rule
    mixed = cm.column_record(col, {}, SiteProfile(), {}, articles=_plans(4) + _news(8))
    assert (mixed.type, mixed.type_source) == ("信息公开目录", "parent")       # 8 of 12 news, 4 plans: no kind
    # a news item naming a plan it launches is a news item of no kind (启动 … 计划): it never tips a column to plans
    launches = [cm.ArticleFacts(f"{p}启动{w}三年行动计划") for p in PLACES for w in WORK[:2]]
    assert cm.column_record(col, {}, SiteProfile(), {}, articles=launches).type != "规划计划"

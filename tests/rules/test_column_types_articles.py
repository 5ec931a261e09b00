"""A column nothing else types is typed by what its articles are (rules/column_types.py judge_by_articles).

Titles are composed in code from the parts real county news items and documents are made of, so a
case is never a list pasted from one page.
"""

from __future__ import annotations

import itertools
import random

import pytest

from rules.column_types import (
    ARTICLES_SOURCE,
    TypeVerdict,
    judge_by_articles,
    judge_column_type,
    judges_freshness,
    open_to_articles,
)

PLACES = ["青禾镇", "白沙镇", "云溪乡", "南岭乡", "石门乡"]
UNITS = ["县教育体育局", "县卫生健康局", "县住房和城乡建设局", "县人力资源和社会保障局"]
WORK = ["高标准农田建设", "防汛抗旱", "义务教育均衡发展", "农村人居环境整治", "食品安全"]
NEWS = ["县政府召开{w}工作推进会", "县领导到{p}调研{w}工作", "{u}赴{p}开展{w}督导检查", "{p}扎实推进{w}",
        "县政府常务会议研究部署{w}等工作", "{u}举办{w}业务培训班", "{p}{w}工作取得阶段性成效"]
DOCS = ["青禾县人民政府关于印发《青禾县{w}实施方案》的通知", "青禾县人民政府关于进一步加强{w}工作的意见"]
NOTICES = ["关于开展{w}专项检查的通知", "关于召开{w}工作会议的通知", "{u}关于{w}有关事项的公告",
           "2026年{w}拟享受对象名单的公示"]


def _titles(templates: list[str], n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return [rng.choice(templates).format(p=rng.choice(PLACES), u=rng.choice(UNITS), w=rng.choice(WORK))
            for _ in range(n)]


def _doc_numbers(n: int) -> list[str]:
    return [f"青政发〔2026〕{i + 1}号" for i in range(n)]


def test_news_items_type_an_untyped_column_as_dynamic():
    verdict = judge_by_articles([(t, None) for t in _titles(NEWS, 14, 1)])
    assert verdict is not None
    assert (verdict.type, verdict.source) == ("动态要闻", ARTICLES_SOURCE)
    assert "14篇有发布日期的信息中14篇为动态信息" in verdict.reason and "把握较低" in verdict.reason
    assert judges_freshness(verdict.type, verdict.source)


def test_documents_with_doc_numbers_type_as_policy_without_freshness():
    titles = _titles(DOCS, 8, 2)
    verdict = judge_by_articles(list(zip(titles, _doc_numbers(8), strict=True)))
    assert verdict is not None and (verdict.type, verdict.source) == ("政策文件", ARTICLES_SOURCE)
    assert not judges_freshness(verdict.type, verdict.source)
    # the same type from the name judges freshness as before
    assert judges_freshness("政策文件", "name") and judges_freshness("政策文件", None)


def test_exactly_at_the_share_and_count_thresholds():
    four_of_five = [(t, None) for t in _titles(NEWS, 4, 3)] + [("县2026年第一季度财政收支情况", None)]
    assert judge_by_articles(four_of_five).type == "动态要闻"                    # 80 % of 5
    assert judge_by_articles(four_of_five[:4]) is None                          # 4 articles: too few
    three_of_five = four_of_five[:3] + [("县2026年第一季度财政收支情况", None)] * 2
    assert judge_by_articles(three_of_five) is None                             # 60 %


@pytest.mark.parametrize("title", [*_titles(NOTICES, 6, 4), "青禾县人民政府关于召开全县安全生产工作会议的通知",
                                   "《青禾县防汛抗旱应急预案》政策解读", "关于县领导到白沙镇调研的报告"])
def test_notices_and_documents_are_no_news_whatever_verb_they_hold(title):
    assert judge_by_articles([(title, None)] * 6) is None


def test_a_news_title_with_a_doc_number_is_a_document():
    titles = _titles(NEWS, 6, 5)
    assert judge_by_articles([(t, "青政办〔2026〕3号") for t in titles]).type == "政策文件"


def test_mixed_columns_and_bad_input_give_no_verdict():
    mixed = [(t, None) for t in _titles(NEWS, 5, 6)] + [(t, n) for t, n in zip(_titles(DOCS, 5, 7), _doc_numbers(5),
                                                                              strict=True)]
    assert judge_by_articles(mixed) is None                                     # 50 / 50
    assert judge_by_articles([]) is None
    assert judge_by_articles([("", None)] * 10) is None
    assert judge_by_articles([(None, None)] * 10) is None                       # type: ignore[list-item]
    assert judge_by_articles([("\x00\ufffd锟斤拷", "  ")] * 10) is None
    assert judge_by_articles(iter([(t, None) for t in _titles(NEWS, 6, 8)])).type == "动态要闻"   # any iterable


@pytest.mark.parametrize(("name", "parents", "meta", "open_"), [
    ("县教体局工作状态", ["部门乡镇"], None, True),                  # nothing types it
    ("工作状态", [], "信息公开目录", True),                           # only a generic catalogue meta
    ("工作状态", ["政务公开"], None, True),                           # only the catalogue it sits in
    ("乡镇街道信息公开", [], None, False),                            # its own name says catalogue
    ("工作状态", ["专题专栏"], None, False),                         # 其他 by its parent
    ("畅游青禾", ["走进青禾"], None, False),                         # 其他 by its parent's name
    ("大事记", [], None, False),                                     # 其他 by its own name
    ("部门动态", [], None, False),
    ("通知公告", [], None, False),
    ("某栏目", [], "政策文件", False),                               # a specific meta
])
def test_which_verdicts_leave_room_for_the_articles(name, parents, meta, open_):
    assert open_to_articles(judge_column_type(name, parents, meta)) is open_


def test_the_replaced_verdict_stays_in_the_reason():
    before = TypeVerdict(None, None, "栏目名称及上级栏目均未提示类型")
    verdict = judge_by_articles([(t, None) for t in _titles(NEWS, 6, 9)], before=before)
    assert verdict.reason.startswith("栏目名称及上级栏目均未提示类型；栏目内6篇")


def test_every_generated_news_title_reads_as_news_and_no_document_does():
    """The kinds do not overlap on any composed title (a title of both kinds would count for neither)."""
    for template, place, unit, work in itertools.product(NEWS, PLACES, UNITS, WORK):
        title = template.format(p=place, u=unit, w=work)
        assert judge_by_articles([(title, None)] * 5).type == "动态要闻", title
    for template, work in itertools.product(DOCS + NOTICES, WORK):
        title = template.format(p=PLACES[0], u=UNITS[0], w=work)
        verdict = judge_by_articles([(title, None)] * 5)
        assert verdict is None, title

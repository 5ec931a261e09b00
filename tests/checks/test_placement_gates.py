"""When a model suspicion becomes a finding (issue 11): the per-site model is replaced by a fixed verdict so each
gate can be shown alone — certain column type, genre before topic, the category's words in title and body,
a suggested column that really exists on the site."""

from __future__ import annotations

import datetime as dt

import pytest

from checks import placement
from checks.classifier import ClassifierResult, Judgement
from checks.placement import category_mismatch, column_type_of
from crawler.records import ColumnRecord, PageRecord, Snapshot

BASE = "http://x.gov.cn"
PARAMS = {"params": {"layers": ["model"], "min_column_articles": 1}}


def _site(column: ColumnRecord, title: str, text: str, extra: list[ColumnRecord] = ()) -> Snapshot:
    page = PageRecord(url=f"{BASE}/a/1.htm", column_url=column.url, title=title, text=text)
    return Snapshot(site_name="x", site_url=BASE, as_of=dt.date(2023, 12, 31), columns_=[column, *extra],
                    pages_=[page])


@pytest.fixture
def model_says(monkeypatch):
    """Make the site model judge every article as `best` (own 5 %, best 90 %)."""
    def install(best: str):
        def fake_judge(samples, config):
            return ClassifierResult({s.key: Judgement(s.key, s.label, 0.05, best, 0.9, ["标题“图”"]) for s in samples},
                                    [best])
        monkeypatch.setattr(placement, "judge", fake_judge)
    return install


NOTICES = ColumnRecord(url=f"{BASE}/tzgg/", name="通知公告", type="通知公告", type_source="name")
NEWS = ColumnRecord(url=f"{BASE}/gzdt/", name="工作动态", type="动态要闻", type_source="name")
PERSONNEL = ColumnRecord(url=f"{BASE}/rsxx/", name="人事信息", type="人事信息", type_source="name")
INTERP = ColumnRecord(url=f"{BASE}/zcjd/", name="政策解读", type="政策解读", type_source="name")


def test_meeting_notice_in_notices_is_at_most_review(model_says):
    model_says("动态要闻")
    snapshot = _site(NOTICES, "关于召开全县安全生产工作会议的通知", "会议强调，经研究定于召开会议，参加会议人员按时出席。", [NEWS])
    [obs] = category_mismatch(snapshot, PARAMS)
    assert obs.needs_review
    assert "标题为“通知”，属通知公告类栏目可发布的文书" in obs.observed["review_reason"]
    assert obs.observed["expected_type"] is None                   # the genre says notice: no move suggested


def test_recruitment_notice_in_notices_is_at_most_review(model_says):
    model_says("人事信息")
    snapshot = _site(NOTICES, "示例县2023年公开招聘事业单位工作人员公告", "招聘岗位计划10名，报名时间为6月1日。", [PERSONNEL])
    [obs] = category_mismatch(snapshot, PARAMS)
    assert obs.needs_review


def test_appointment_in_interpretation_named_in_words(model_says):
    model_says("人事信息")
    snapshot = _site(INTERP, "县教育局干部调整情况", "经研究决定：任命某某为县教育局副局长，免去某某的职务。", [PERSONNEL])
    [obs] = category_mismatch(snapshot, PARAMS)
    assert not obs.needs_review
    reason = obs.observed["reason"]
    assert "标题和正文均为人事任免或招录内容，与本栏目（政策解读）不符" in reason
    assert "“图”" not in reason and "概率" not in reason and "%" not in reason
    assert obs.observed["expected_column"] == "人事信息"
    assert obs.observed["advice"] == "应调整至本站「人事信息」栏目（人事信息类）发布。"


def test_words_in_title_only_are_not_enough(model_says):
    model_says("人事信息")
    snapshot = _site(INTERP, "县教育局干部调整情况", "为做好相关工作，现将有关情况说明如下。", [PERSONNEL])
    [obs] = category_mismatch(snapshot, PARAMS)
    assert obs.needs_review and "未同时出现" in obs.observed["review_reason"]


def test_uncertain_column_type_is_review(model_says):
    model_says("人事信息")
    parent_typed = ColumnRecord(url=f"{BASE}/zx/", name="综合信息", type="政策解读", type_source="parent",
                                type_reason="栏目名称未提示类型，沿用上级栏目“解读回应”的政策解读类")
    snapshot = _site(parent_typed, "县教育局干部调整情况", "经研究决定：任命某某为县教育局副局长。", [PERSONNEL])
    [obs] = category_mismatch(snapshot, PARAMS)
    assert obs.needs_review and "未能确定为政策解读类" in obs.observed["review_reason"]


def test_generic_meta_column_is_neither_judged_nor_suggested(model_says):
    """Issue 11: 「应归入「信息公开目录」类栏目（本站对应栏目：社会救助）」 must not happen."""
    model_says("信息公开目录")
    relief = ColumnRecord(url=f"{BASE}/shjz/", name="社会救助", type="信息公开目录", type_source="meta")
    snapshot = _site(NEWS, "城关镇开展城乡低保入户核查", "工作人员深入农户家中实地查看。", [relief])
    found = list(category_mismatch(snapshot, PARAMS))
    assert all(o.needs_review and o.observed["expected_column"] is None for o in found)
    assert all(o.column_url != relief.url for o in found)


def test_suggested_column_must_be_certain(model_says):
    model_says("人事信息")
    guessed = ColumnRecord(url=f"{BASE}/zh/", name="综合信息", type="人事信息", type_source="children")
    snapshot = _site(INTERP, "县教育局干部调整情况", "经研究决定：任命某某为县教育局副局长。", [guessed])
    [obs] = category_mismatch(snapshot, PARAMS)
    assert not obs.needs_review and obs.observed["expected_column"] is None
    assert obs.observed["advice"] == "本站未设人事信息类栏目，应按规定设置相应栏目后调整发布。"


@pytest.mark.parametrize(("column", "certain"), [
    (ColumnRecord(url="u", name="人事任免", type="人事信息", type_source="name"), True),
    (ColumnRecord(url="u", name="人事任免", type="人事信息", type_source="profile"), True),
    (ColumnRecord(url="u", name="社会救助", type="信息公开目录", type_source="meta"), False),
    (ColumnRecord(url="u", name="人事任免", type="人事信息", type_source="meta"), True),   # the name agrees
    (ColumnRecord(url="u", name="综合信息", type="政策文件", type_source="parent"), False),
    (ColumnRecord(url="u", name="政府文件", type="政策文件"), True),                       # source unknown, name agrees
    (ColumnRecord(url="u", name="综合信息", type="政策文件"), False),
])
def test_column_type_certainty(column, certain):
    assert column_type_of(column, placement.rule_params({}))[1] is certain

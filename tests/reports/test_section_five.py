import re

from conftest import HISTORY, make_findings, make_resolved, make_snapshot

from reports.model import build_report_model
from reports.section_five import sentences
from tests.needs import reference_file


def text_of(model) -> str:
    return "\n".join(model.section5.problems + model.section5.improvements)


def test_register_and_specific_facts(model):
    problems = model.section5.problems[0]
    assert "一是" in problems and "二是" in problems and "三是" in problems
    assert "；二是" in problems and problems.endswith("。")
    for fact in ("「部门动态」", "2022年10月8日", "115天", "14天", "「规划计划」栏目无任何信息", "附件1个", "网页1个",
                 "身份证号码3处", "手机号码2处", "人事信息", "「通知公告」", "栏目不更新（单项否决）"):
        assert fact in problems, fact
    assert re.search(r"1条(信息|内容|错放)|错放信息1条", problems)
    assert re.search(r"5个栏目|栏目5个", problems)


def test_improvements_from_evidence_and_measures(model):
    text = model.section5.improvements[0]
    assert re.search(r"1个(前期)?问题", text) and "「乡镇动态」" in text      # resolved, verified by re-crawl
    assert re.search(r"(尚有|仍有|对)1个", text)                             # the persisting one
    assert "2023年2月7日前" in text                                 # veto deadline
    assert "「部门动态」" in text                                    # measure tied to the stale column


def test_no_sentence_repeats_previous_report():
    first = build_report_model(make_snapshot(), make_findings(), HISTORY, make_resolved())
    previous = text_of(first)
    second = build_report_model(make_snapshot(), make_findings(), HISTORY, make_resolved(),
                                previous_section5=previous)
    assert second.section5.repeated == []
    new_text = text_of(second)
    flat = previous.replace("\n", "")
    assert not [s for s in sentences(new_text) if s in flat]
    assert second.section5.overlap < 0.8
    assert first.section5.overlap == 0.0 and first.section5.repeated == []


def test_previous_real_report_is_measured():
    real = reference_file("samples", "report_yunxian_2022.txt").read_text(encoding="utf-8")
    model = build_report_model(make_snapshot(), make_findings(), previous_section5=real)
    assert model.section5.repeated == []
    assert 0.0 <= model.section5.overlap < 0.5


def test_clean_run_says_so():
    model = build_report_model(make_snapshot(), [])
    assert "未发现" in model.section5.problems[0]
    assert model.section5.improvements[0].startswith("一是")


def test_engine_shaped_findings():
    """As checks/engine.py stamps them: column dict with type/department, no max_age_days, CAT001 + CAT002."""
    import json

    from conftest import SITE, finding

    from reports.json_report import render_json

    column = {"name": "通知公告", "url": f"{SITE}/tzgg/", "type": "通知公告", "department": "县政务服务管理局"}
    stale_col = {"name": "部门动态", "url": f"{SITE}/zwdt/bmdt/", "type": "动态要闻"}
    findings = [
        finding("s", "stale_column", "major", stale_col, stale_col["url"],
                observed={"column_type": "动态要闻", "age_days": 115, "latest": "2022-10-08", "level": 1}),
        finding("p1", "category_mismatch", "minor", column, f"{SITE}/tzgg/1.html",
                observed={"expected_type": "人事信息"}),
        finding("p2", "category_mismatch", "minor", column, f"{SITE}/tzgg/2.html",
                observed={"expected_type": "人事信息"}),
        finding("c", "category_mismatch", "minor", column, column["url"], count=2,
                observed={"expected_type": "人事信息", "misplaced": 2}),
    ]
    model = build_report_model(make_snapshot(), findings)
    text = model.section5.problems[0]
    assert "14天" in text                                  # fallback limit for 动态要闻
    assert re.search(r"2条(信息|内容)|错放信息2条", text)    # not 4: the column finding repeats the pages
    assert {r.department for r in model.rows if r.kind == "category_mismatch"} == {"县政务服务管理局"}
    doc = json.loads(render_json(model))
    assert doc["findings"][-1]["column"]["type"] == "通知公告"
    assert {f.name: f.limit_days for f in model.freshness}["部门动态"] == 14

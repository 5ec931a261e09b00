import datetime as dt

import pytest
from conftest import AS_OF, HISTORY, SITE, finding, make_findings, make_resolved, make_snapshot

from reports.guard import ReportError
from reports.model import RunSummary, build_report_model


def test_counts_and_verdict(model):
    # One count, one truth: the veto summary is the verdict, the 待核实 mismatch is counted apart.
    assert model.counts["total"] == 4 and model.counts["needs_review"] == 1
    assert model.counts["by_severity"] == {"veto": 0, "major": 3, "minor": 1}
    assert model.counts["by_kind"]["personal_data"] == 2
    assert model.counts["all_statuses"] == {"new": 5, "persisting": 1, "waived": 1}
    assert model.counts["kind_severity"]["stale_column"] == {"veto": 0, "major": 1, "minor": 0}
    assert not model.verdict.passed
    assert model.verdict.triggered == ["栏目不更新"] and model.verdict.details == {"栏目不更新": []}
    assert "单项否决指标1项：「栏目不更新」。" in model.verdict.wording


def test_verdict_counts_indicators_and_keeps_unverified_apart():
    extra = [finding("v2", "veto", "veto", None, f"{SITE}/", rule="UPD012", title="栏目不更新（空白栏目5个以上）"),
             finding("fd", "future_date", "major", None, f"{SITE}/tzgg/1.html", rule="UPD006", needs_review=True,
                     observed={"published": "2023-02-20", "page_title": "通知"})]
    model = build_report_model(make_snapshot(), make_findings() + extra)
    assert model.verdict.triggered == ["栏目不更新"]                       # two sub-items, one indicator
    assert model.verdict.pending == ["存在弄虚作假行为"] and "待核实" in model.verdict.wording
    row = next(r for r in model.rows if r.kind == "future_date")
    assert row.severity == "veto" and row.needs_review and row.review_mark == "（待核实）"


def test_verdict_passes_without_veto_findings():
    findings = [f for f in make_findings() if f.kind != "veto"]
    model = build_report_model(make_snapshot(), findings)
    assert model.verdict.passed and model.verdict.triggered == []
    assert "未发现" in model.verdict.wording


def test_rows_are_problems_with_working_day_deadlines(model):
    assert [r.seq for r in model.rows] == list(range(1, 6))
    assert "veto" not in [r.kind for r in model.rows]                      # the verdict is not a problem
    assert [r.kind for r in model.rows][:3] == ["personal_data", "personal_data", "stale_column"]
    assert model.rows[-1].needs_review                                     # 待核实 last
    by_kind = {r.kind: r for r in model.rows}
    # 2023-01-31 is a Tuesday: personal data comes down the next working day, reported 5 working days on.
    assert by_kind["personal_data"].deadline == dt.date(2023, 2, 1)
    assert by_kind["personal_data"].report_back == dt.date(2023, 2, 8)
    # 重要: 10 working days from the day it was first found (2022-12-31, persisting), not from this check, so
    # finding it again each week never moves its deadline (2 January 2023 is a holiday).
    assert by_kind["stale_column"].first_seen == dt.date(2022, 12, 31)
    assert by_kind["stale_column"].deadline == dt.date(2023, 1, 16)
    assert by_kind["blank_column"].deadline == dt.date(2023, 2, 28)        # 一般: 20 working days
    assert all(r.status == "未整改" and r.last_review == AS_OF for r in model.rows)


def test_deadlines_are_a_parameter():
    model = build_report_model(make_snapshot(), make_findings(), deadlines={"minor": 10})
    minor = [r for r in model.rows if r.severity == "minor"]
    assert minor and all(r.deadline == dt.date(2023, 2, 14) for r in minor)


def test_departments_with_their_reason(model):
    by_id = {r.finding_id: r for r in model.rows}
    assert by_id["f-pii-1"].department == "县政务服务管理局"      # profile, by column name
    assert by_id["f-pii-1"].department_reason == "站点配置指定"
    assert by_id["f-stale-1"].department == "县政府办公室"        # ColumnRecord.department
    assert all(r.department for r in model.rows)


def test_freshness_series_uses_rule_limit_then_the_rules(model):
    series = {f.name: f for f in model.freshness}
    assert series["部门动态"].age_days == 115 and series["部门动态"].limit_days == 14 and series["部门动态"].stale
    assert series["通知公告"].limit_days == 183 and not series["通知公告"].stale     # UPD002's params, not a guess
    assert series["规划计划"].age_days is None and not series["规划计划"].stale
    assert series["规划计划"].state == "空白栏目"
    assert model.freshness[0].name == "部门动态"                 # most overdue first


def test_trend_appends_this_run(model):
    assert [t.run_id for t in model.trend] == [5, 6, 7]
    assert model.trend[-1].counts["total"] == 4 and model.trend[-1].counts["veto"] == 0


def test_trend_does_not_duplicate_this_run():
    history = [*HISTORY, RunSummary(7, AS_OF, {"total": 99})]
    model = build_report_model(make_snapshot(), make_findings(), history)
    assert [t.run_id for t in model.trend] == [5, 6, 7]
    assert model.trend[-1].counts["total"] == 4 and model.trend[-1].counts["major"] == 3


def test_section_one_counts_only_dated_items_of_report_year(model):
    s1 = model.section_one
    assert s1.year == 2022
    rows = {r["column"]: r["items"] for r in s1.rows}
    assert rows["部门动态"] == 6 and rows["政策解读"] == 3 and rows["通知公告"] == 0
    assert s1.total == 9 and s1.policy_interpretations == 3 and s1.undated == 1


def test_resolved_findings_and_relative_urls():
    relative = finding("rel", "broken_link", "minor", {"name": "通知公告", "url": "/tzgg/"}, "/tzgg/x.html")
    model = build_report_model(make_snapshot(), [relative], resolved=make_resolved())
    assert model.findings[0].url == f"{SITE}/tzgg/x.html"
    assert model.findings[0].column["url"] == f"{SITE}/tzgg/"
    assert [r.status for r in model.resolved] == ["resolved"]


def test_bad_input_is_a_report_error():
    with pytest.raises(ReportError):
        build_report_model({"not": "a snapshot"}, [])
    with pytest.raises(ReportError):
        build_report_model(make_snapshot(), [{"id": "x"}])

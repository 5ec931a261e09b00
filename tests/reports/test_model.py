import datetime as dt

import pytest
from conftest import AS_OF, HISTORY, SITE, finding, make_findings, make_resolved, make_snapshot

from reports.guard import ReportError
from reports.model import RunSummary, add_deadline, build_report_model


def test_counts_and_verdict(model):
    assert model.counts["total"] == 6                      # waived finding is not open
    assert model.counts["by_severity"] == {"veto": 1, "major": 3, "minor": 2}
    assert model.counts["by_kind"]["personal_data"] == 2
    assert model.counts["all_statuses"] == {"new": 5, "persisting": 1, "waived": 1}
    assert model.counts["kind_severity"]["stale_column"] == {"veto": 0, "major": 1, "minor": 0}
    assert not model.verdict.passed
    assert model.verdict.triggered == ["栏目不更新（单项否决）"]
    assert "不合格" in model.verdict.wording


def test_verdict_passes_without_veto_findings():
    findings = [f for f in make_findings() if f.kind != "veto"]
    model = build_report_model(make_snapshot(), findings)
    assert model.verdict.passed and model.verdict.triggered == []
    assert "合格" in model.verdict.wording and "不合格" not in model.verdict.wording


def test_rows_sorted_by_severity_then_kind_with_deadlines(model):
    assert [r.seq for r in model.rows] == list(range(1, 7))
    assert [r.severity for r in model.rows] == ["veto", "major", "major", "major", "minor", "minor"]
    assert [r.kind for r in model.rows][:4] == ["veto", "personal_data", "personal_data", "stale_column"]
    # 2023-01-31 is a Tuesday: 5 working days → Tuesday 2023-02-07; 15 and 30 calendar days.
    assert model.rows[0].deadline == dt.date(2023, 2, 7)
    assert model.rows[1].deadline == dt.date(2023, 2, 15)
    assert model.rows[-1].deadline == dt.date(2023, 3, 2)
    assert all(r.status == "未整改" and r.last_review == AS_OF for r in model.rows)


def test_deadlines_are_a_parameter():
    model = build_report_model(make_snapshot(), make_findings(), deadlines={"minor": (10, "workdays")})
    minor = [r for r in model.rows if r.severity == "minor"]
    assert minor and all(r.deadline == dt.date(2023, 2, 14) for r in minor)
    assert add_deadline(dt.date(2023, 2, 3), 1, "workdays") == dt.date(2023, 2, 6)   # Friday → Monday


def test_departments_from_profile_then_column_record(model):
    by_id = {r.finding_id: r for r in model.rows}
    assert by_id["f-pii-1"].department == "县政务服务管理局"      # profile, by column name
    assert by_id["f-stale-1"].department == "县政府办公室"        # ColumnRecord.department
    assert by_id["f-veto-1"].department == ""


def test_freshness_series_uses_rule_limit_then_fallback(model):
    series = {f.name: f for f in model.freshness}
    assert series["部门动态"].age_days == 115 and series["部门动态"].limit_days == 14 and series["部门动态"].stale
    assert series["通知公告"].limit_days == 180 and not series["通知公告"].stale
    assert series["规划计划"].age_days is None and not series["规划计划"].stale
    assert model.freshness[0].name == "部门动态"                 # most overdue first


def test_trend_appends_this_run(model):
    assert [t.run_id for t in model.trend] == [5, 6, 7]
    assert model.trend[-1].counts["total"] == 6 and model.trend[-1].counts["veto"] == 1


def test_trend_does_not_duplicate_this_run():
    history = [*HISTORY, RunSummary(7, AS_OF, {"total": 99})]
    model = build_report_model(make_snapshot(), make_findings(), history)
    assert [t.run_id for t in model.trend] == [5, 6, 7]
    assert model.trend[-1].counts["total"] == 6 and model.trend[-1].counts["major"] == 3


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

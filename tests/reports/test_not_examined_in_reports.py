"""render_reports on a run that recognised no column: 未能检查 when the crawl ran to its end, 未完成 when it stopped
early (its own status says why), and in neither case a verdict the crawl did not see."""

from __future__ import annotations

import datetime as dt
import json

from checks.finding import Finding
from crawler.records import PageRecord, Snapshot
from reports.render import render_reports

SITE = "http://127.0.0.1:8/"


def _snapshot(status: str) -> Snapshot:
    return Snapshot("青禾县人民政府", SITE, dt.date(2026, 11, 30), run_id=2,
                    pages_=[PageRecord(url=SITE, kind="home", title="青禾县人民政府")],
                    stats={"status": status, "pages": 1, "columns": 0,
                           "no_columns_reason": "首页显示网站暂停服务的提示（“网站维护中”），未见网站栏目和信息"})


def _finding(status: str, fid: str, severity: str = "veto") -> dict:
    return Finding(id=fid, rule="UPD007", kind="homepage_stale", severity=severity, title="首页不更新", confidence=1.0,
                   column=None, url=SITE, message="网站首页及一级栏目信息均未能识别发布日期，视为不更新。",
                   remediation="及时更新。", basis="国办秘函〔2019〕19号", status=status,
                   first_seen=dt.date(2026, 11, 23)).to_dict()


def test_a_whole_crawl_with_no_column_counts_nothing_and_fixes_nothing(tmp_path):
    findings = [_finding("new", "f-new"), _finding("resolved", "f-last-week", "major")]
    history = [{"run_id": 1, "as_of": "2026-11-23", "findings": 1}, {"run_id": 2, "as_of": "2026-11-30", "findings": 1}]
    outcome = render_reports(_snapshot("complete"), findings, tmp_path, history=history, formats=("json", "md"))
    assert outcome.status == "未能检查"
    document = json.loads((tmp_path / "findings.json").read_text(encoding="utf-8"))
    by_id = {f["id"]: f for f in document["findings"]}
    assert by_id["f-new"]["needs_review"] and "需人工核实" in by_id["f-new"]["message"]
    assert by_id["f-last-week"]["status"] == "unverified" and document["resolved"] == []
    assert document["summary"]["total"] == 1 and document["summary"]["changes"]["fixed"] == 0
    assert document["summary"]["veto"]["undetermined"] is True
    text = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert "原因：首页显示网站暂停服务的提示（“网站维护中”），未见网站栏目和信息。" in text
    assert "未发现需整改的问题" not in text and "共发布政府信息" not in text


def test_a_stopped_crawl_with_no_column_stays_unfinished(tmp_path):
    outcome = render_reports(_snapshot("incomplete"), [_finding("new", "f-new")], tmp_path, formats=("json",))
    assert outcome.status == "未完成"
    document = json.loads((tmp_path / "findings.json").read_text(encoding="utf-8"))
    assert not document["findings"][0]["needs_review"] and "undetermined" not in document["summary"]["veto"]

"""The verdict over every 单项否决 item: failed, pending, passed and 无法判断 (with why), in report.html and .docx."""

from __future__ import annotations

import datetime as dt
import re

from checks.finding import Finding
from crawler.records import ColumnRecord, ErrorRecord, PageRecord, ProbeRecord, Snapshot
from reports.render import render_reports
from reports.verdict import build_probe_history, build_veto_verdict

AS_OF = dt.date(2026, 11, 30)


def _finding(rule: str, kind: str, severity: str, title: str, needs_review: bool = False) -> Finding:
    return Finding(id=f"f-{rule}", rule=rule, kind=kind, severity=severity, title=title, confidence=1.0, column=None,
                   url="http://127.0.0.1:8/", message=title, remediation="整改", basis="19号",
                   needs_review=needs_review)


def _week(fail_every: int | None, per_day: int = 24) -> list[ProbeRecord]:
    out = []
    for back in range(7, 0, -1):
        for n in range(per_day):
            outcome = "timeout" if fail_every and n % fail_every == 0 else "ok"
            out.append(ProbeRecord(dt.datetime.combine(AS_OF - dt.timedelta(days=back), dt.time()) +
                                   dt.timedelta(minutes=60 * n), "http://127.0.0.1:8/", "home", outcome))
    return out


def _snapshot(probes, errors=()) -> Snapshot:
    """A portal of one column read to the end (a run with no column is 未能检查: tests/govaudit/test_not_examined.py)."""
    news = ColumnRecord(url="http://127.0.0.1:8/gzdt/", name="工作动态", type="动态要闻", items=12, dated_items=12,
                        latest=AS_OF - dt.timedelta(days=2))
    return Snapshot("某县人民政府", "http://127.0.0.1:8/", AS_OF, run_id=1, columns_=[news],
                    pages_=[PageRecord(url="http://127.0.0.1:8/", kind="home", title="首页")],
                    probes_=list(probes), errors_=list(errors))


def test_each_item_is_judged_or_says_why_not():
    findings = [_finding("AVL001", "site_unreachable", "veto", "站点无法访问"),
                _finding("SEC001", "link_farm", "major", "疑似链接农场")]
    verdict = build_veto_verdict(_snapshot(_week(4), [ErrorRecord(None, "check", "检查执行出错", "INT001"),
                                                      ErrorRecord(None, "check", "检查执行出错", "INT002")]), findings)
    status = {i.name: i.status for i in verdict.items}
    assert status["站点无法访问"] == "failed"
    assert status["安全攻击（页面被挂马、内容被篡改）"] == "pending"          # a major sign: 核实, never counted
    assert status["服务不实用"] == "passed" and status["因网站建设管理工作不当引发严重负面舆情"] == "unjudged"
    assert status["互动回应差"] == "unjudged"                                # its checks failed: not a pass
    assert "INT001" in next(i for i in verdict.items if i.name == "互动回应差").reason
    assert status["首页不更新"] == "passed"
    assert verdict.outcome == "不合格" and "站点无法访问" in verdict.wording and "严重负面舆情" in verdict.wording


def test_no_probes_is_unjudged_and_a_clean_week_passes():
    none = {i.name: i for i in build_veto_verdict(_snapshot([]), []).items}
    assert none["站点无法访问"].status == "unjudged" and "无可用性监测记录" in none["站点无法访问"].reason
    assert not re.search(r"[A-Za-z]{3,}", none["站点无法访问"].reason)      # no docs/schedule.md, cron, probe
    short = {i.name: i for i in build_veto_verdict(_snapshot(_week(None, per_day=12)), []).items}
    assert short["站点无法访问"].status == "unjudged" and "访问不足20次" in short["站点无法访问"].reason
    clean = build_veto_verdict(_snapshot(_week(None)), [])
    assert {i.name: i.status for i in clean.items}["站点无法访问"] == "passed"
    assert clean.outcome == "未发现单项否决情形"
    review = build_veto_verdict(_snapshot([]), [_finding("EXP005", "secret_marking", "veto", "密级标志", True)])
    assert review.outcome == "待核实"


def test_probe_history_marks_the_judged_week():
    history = build_probe_history(_snapshot(_week(6)))
    judged = [d for d in history.days if d.in_window]
    assert len(judged) == 7 and all(d.visits == 24 and d.failures == 4 for d in judged)
    assert ("timeout", "超时") in history.columns and history.status == "fail"
    assert history.https.startswith("无法判断")                               # a loopback address


def test_blocks_reach_report_html_and_docx(tmp_path):
    from docx import Document

    snapshot = _snapshot(_week(4))
    findings = [_finding("AVL001", "site_unreachable", "veto", "站点无法访问").to_dict()]
    outcome = render_reports(snapshot, findings, tmp_path, formats=("html", "docx"))
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert 'id="veto-items"' in html and 'data-outcome="不合格"' in html
    assert 'id="probe-history"' in html and html.count('class="probe-day in-window"') == 7
    assert "服务不实用" in html and "无法判断" in html
    text = "\n".join(p.text for p in Document(str(tmp_path / "report.docx")).paragraphs)
    cells = "\n".join(c.text for t in Document(str(tmp_path / "report.docx")).tables for r in t.rows for c in r.cells)
    assert "单项否决指标逐项判定" in text and "站点无法访问" in cells and "无法判断" in cells
    assert not [p for p in outcome.problems if "单项否决逐项判定" in p.message]

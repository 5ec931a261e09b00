"""The weekly trend chart shows a 未能检查 week (no column recognised) as not examined, never as a drop or a rise.

Four weeks: 9, 7, a maintenance week whose stored findings are 1 (what a maintenance page 'lacks'), then 6.
Before the fix the third bar read 1 (a drop to 1, then a rise to 6); a 未能检查 run being reported itself showed
its carried problems as that week's count.
"""

from __future__ import annotations

import datetime as dt
import re

from checks.finding import Finding
from crawler.records import ColumnRecord, PageRecord, Snapshot
from reports.html import _trend_chart
from reports.model import RunSummary, build_report_model
from reports.render import render_reports, run_summary_from_dict

SITE = "http://127.0.0.1:8/"
HISTORY = [
    {"run_id": 1, "as_of": "2026-11-09", "findings": 9, "veto": 1, "major": 5, "minor": 3},
    {"run_id": 2, "as_of": "2026-11-16", "findings": 7, "major": 4, "minor": 3},
    {"run_id": 3, "as_of": "2026-11-23", "findings": 1, "major": 1, "examined": False},
]


def _finding(status: str, fid: str, severity: str = "major") -> dict:
    return Finding(id=fid, rule="UPD001", kind="column_stale", severity=severity, title="栏目不更新", confidence=1.0,
                   column=None, url=SITE, message="栏目「工作动态」已30天未更新。", remediation="及时更新。",
                   basis="国办秘函〔2019〕19号", status=status, first_seen=dt.date(2026, 11, 9)).to_dict()


def _snapshot(columns: bool) -> Snapshot:
    cols = [ColumnRecord(url=SITE + "gzdt/", name="工作动态", path="首页/工作动态")] if columns else []
    return Snapshot("青禾县人民政府", SITE, dt.date(2026, 11, 30), run_id=4, columns_=cols,
                    pages_=[PageRecord(url=SITE, kind="home", title="青禾县人民政府")],
                    stats={"status": "complete", "pages": 1, "columns": len(cols),
                           "no_columns_reason": "首页显示网站暂停服务的提示（“网站维护中”），未见网站栏目和信息"})


def _bars(html: str) -> list[str]:
    """Per trend point: its total, or 未能检查."""
    section = html[html.index('<section id="trend">'):html.index("</section>", html.index('<section id="trend">'))]
    out = []
    for group in section.split('<g class="trend-point')[1:]:
        out.append("未能检查" if "trend-unexamined" in group and "未能检查（" in group else
                   re.search(r'font-size="12">(\d+)</text>', group).group(1))
    return out


def test_history_keeps_the_not_examined_mark():
    runs = [run_summary_from_dict(h) for h in HISTORY]
    assert [r.examined for r in runs] == [True, True, False]
    assert run_summary_from_dict({"run_id": 9, "as_of": "2026-11-02", "findings": 2}).examined


def test_a_past_maintenance_week_is_no_bar_and_no_scale(tmp_path):
    findings = [_finding("persisting", f"f{i}") for i in range(6)]
    outcome = render_reports(_snapshot(columns=True), findings, tmp_path, history=HISTORY, formats=("html",))
    assert outcome.status != "未能检查"
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert _bars(html) == ["9", "7", "未能检查", "6"]
    assert "未能检查（该次未识别到网站栏目" in html
    chart = _trend_chart(outcome.model)
    unexamined = chart["points"][2]
    assert unexamined["total"] is None and unexamined["segments"] == []


def test_this_week_not_examined_shows_so_in_its_own_report(tmp_path):
    findings = [_finding("persisting", f"f{i}") for i in range(6)] + [_finding("new", "maint", "veto")]
    outcome = render_reports(_snapshot(columns=False), findings, tmp_path, history=HISTORY[:2], formats=("html",))
    assert outcome.status == "未能检查"
    assert outcome.model.trend[-1].examined is False
    assert _bars((tmp_path / "report.html").read_text(encoding="utf-8")) == ["9", "7", "未能检查"]


def test_the_scale_is_set_by_examined_weeks_only():
    model = build_report_model(_snapshot(columns=True), [], [RunSummary(1, dt.date(2026, 11, 9), {"total": 4}),
                                                             RunSummary(2, dt.date(2026, 11, 16), {"total": 40},
                                                                        examined=False)])
    chart = _trend_chart(model)
    first = chart["points"][0]
    assert sum(s["h"] for s in first["segments"]) == chart["usable"]     # 4 is the tallest examined week

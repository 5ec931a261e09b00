"""The conductor's entry points: render_all from stored dicts, render_summary for a batch of sites."""

import json
from types import SimpleNamespace

from conftest import make_findings, make_resolved, make_snapshot
from lxml import html as lxml_html
from openpyxl import load_workbook

from reports.render import finding_from_dict, render_all, run_summary_from_dict
from reports.summary import render_summary


def test_render_all_from_stored_dicts(tmp_path):
    stored = [f.to_dict() for f in make_findings() + make_resolved()]
    history = [{"run_id": 6, "as_of": "2022-12-31", "findings": 8, "by_kind": {"stale_column": 5}, "veto": 1},
               {"run_id": 7, "as_of": "2023-01-31", "findings": 6, "by_kind": {}, "veto": 1}]
    paths = render_all(make_snapshot(), stored, tmp_path, history=history)
    assert sorted(p.name for p in paths) == ["findings.json", "rectification.xlsx", "report.docx", "report.html",
                                              "report.md"]
    doc = json.loads((tmp_path / "findings.json").read_text(encoding="utf-8"))
    assert doc["summary"]["total"] == 4 and [f["id"] for f in doc["resolved"]] == ["f-old-1"]
    tree = lxml_html.fromstring((tmp_path / "report.html").read_text(encoding="utf-8"))
    assert len(tree.xpath("//g[@class='trend-point']")) == 2          # run 7 is this run: not drawn twice
    first_bar = tree.xpath("//g[@class='trend-point']")[0]
    assert "未分级 7" in first_bar.text_content()                      # 8 findings, 1 veto, no severities given


def test_conversions_ignore_unknown_keys():
    data = make_findings()[0].to_dict() | {"extra": 1}
    assert finding_from_dict(data).first_seen.isoformat() == "2022-12-31"
    summary = run_summary_from_dict({"run_id": 3, "as_of": "2023-01-01", "findings": 4, "veto": 1,
                                     "by_kind": {"veto": 1, "broken_link": 3}})
    assert summary.counts == {"veto": 1, "broken_link": 3, "total": 4}


def test_render_summary(tmp_path):
    findings = make_findings()
    ok = SimpleNamespace(site_url="http://a.example.gov.cn", run_id=1, crawl_status="complete", stats={"pages": 10},
                         findings=[f for f in findings if f.kind != "veto"], resolved=[], files=[tmp_path / "a" / "x"],
                         error=None, previous_run_id=None)
    bad = SimpleNamespace(site_url="http://b.example.gov.cn", run_id=2, crawl_status="complete", stats={"pages": 3},
                          findings=findings, resolved=make_resolved(), files=[], error=None, previous_run_id=1)
    down = SimpleNamespace(site_url="http://c.example.gov.cn", run_id=0, crawl_status="failed", stats={},
                           findings=[], resolved=[], files=[], error="无法访问")
    xlsx, html = render_summary([ok, bad, down], tmp_path)
    rows = list(load_workbook(xlsx)["网站汇总"].iter_rows(min_row=2, values_only=True))
    assert [r[11] for r in rows] == ["合格", "不合格", "无法检查"]
    # Counted as the reports count: 4 problems (the veto summary is the verdict), 待核实 1 apart, 1 rectified.
    assert rows[1][5:11] == (4, 0, 3, 1, 1, 1)
    header = next(load_workbook(xlsx)["网站汇总"].iter_rows(max_row=1, values_only=True))
    column = {name: i for i, name in enumerate(header)}
    problems = [f for f in findings if f.status in ("new", "persisting") and f.kind != "veto" and not f.needs_review]
    open_kinds = [f.kind for f in problems]
    new = sum(1 for f in problems if f.status == "new")
    assert rows[1][column["本次新发现"]] == new
    assert rows[1][column["较上次检查"]] == f"增加{new - len(make_resolved())}个"
    assert rows[0][column["较上次检查"]] == "首次检查" and not rows[2][column["较上次检查"]]   # site down
    assert rows[1][column["泄露个人信息"]] == open_kinds.count("personal_data") > 0
    assert rows[1][column["链接不可用"]] == open_kinds.count("broken_link")
    assert sum(rows[1][column[label]] for label in ("栏目更新不及时", "空白栏目", "信息与栏目类别不符",
                                                    "泄露个人信息", "链接不可用", "个人信息脱敏不到位",
                                                    "首页更新不及时", "发布日期晚于检查日期", "信息未标注发布日期")) \
        == len(open_kinds) == rows[1][column["待整改问题"]]
    assert "单项否决不合格1个" in html.read_text(encoding="utf-8")

"""The province summary gives a site whose columns could not be recognised neither 合格 nor 不合格: 未能检查, why."""

from types import SimpleNamespace

from conftest import make_findings

from reports.summary import HEADERS, render_summary, summary_rows


def test_a_site_not_examined_is_no_pass(tmp_path):
    down = SimpleNamespace(site_url="http://b.example.gov.cn", run_id=2, crawl_status="complete", stats={"pages": 1,
                           "no_columns_reason": "首页显示网站暂停服务的提示（“网站维护中”），未见网站栏目和信息"},
                           findings=[], resolved=[], files=[], error=None, previous_run_id=1, status="未能检查")
    ok = SimpleNamespace(site_url="http://a.example.gov.cn", run_id=1, crawl_status="complete", stats={"pages": 10},
                         findings=[f for f in make_findings() if f.kind != "veto"], resolved=[], files=[], error=None,
                         previous_run_id=None, status="完整")
    rows = {row[1]: dict(zip(HEADERS, row)) for row in summary_rows([ok, down])}
    assert rows["http://b.example.gov.cn"]["单项否决结论"] == "未能检查"
    assert rows["http://b.example.gov.cn"]["说明"].startswith("未识别到网站栏目：首页显示网站暂停服务的提示")
    assert rows["http://b.example.gov.cn"]["较上次检查"] == "" and rows["http://b.example.gov.cn"]["本次新发现"] == ""
    assert rows["http://a.example.gov.cn"]["单项否决结论"] in ("合格", "不合格")
    render_summary([ok, down], tmp_path)
    assert "<td>未能检查</td>" in (tmp_path / "summary.html").read_text(encoding="utf-8")

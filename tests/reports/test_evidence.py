"""问题描述 and 证据 as a clerk reads them: no English technical labels, no place named twice, no bare figures."""

from conftest import SITE, col, finding, make_snapshot

from reports.evidence import describe, plain_terms
from reports.model import view


def described(f):
    return describe(view(f, SITE), make_snapshot())


def test_plain_terms_puts_hiding_labels_in_chinese_and_leaves_the_rest():
    assert plain_terms("「百家乐」→http://a.example/（off-screen）；「b」→http://b.example/（display:none）") == \
        "「百家乐」→http://a.example/（移出页面可视区域）；「b」→http://b.example/（样式设为不显示）"
    assert plain_terms("（font-size:0）（zero-size）") == "（字号设为零）（尺寸设为零）"
    assert plain_terms("http://x.example/off-screen/（第3段）（foo）") == "http://x.example/off-screen/（第3段）（foo）"
    assert plain_terms(None) == "" and plain_terms("") == ""


def test_hidden_link_description_and_evidence_carry_no_english_label():
    message = "页面源代码中有1个访问者看不到的外部链接：「真人视讯」→http://www.js.example/（off-screen）。"
    f = finding("h1", "hidden_link", "veto", col("乡镇动态", "/xzdt/"), f"{SITE}/xzdt/1.html", message=message,
                evidence="页面源代码中隐藏的外部链接：「真人视讯」→http://www.js.example/（visibility:hidden）")
    description, evidence = described(f)
    assert "off-screen" not in description and "（移出页面可视区域）" in description
    assert "visibility" not in evidence and "（样式设为不可见）" in evidence


def test_annual_report_place_named_once_and_bare_figures_labelled():
    twice = finding("a1", "annual_report", "major", col("政府信息公开年报", "/ndbg/"), f"{SITE}/ndbg/1.html",
                    location="表三「（七）总计」", evidence="25 2 0 0 0 0 25\n",
                    message="《2025年年报》表三「（七）总计」：表三「（七）总计」各申请人之和为27，总计栏为25，不一致。")
    description, evidence = described(twice)
    assert description == "《2025年年报》表三「（七）总计」各申请人之和为27，总计栏为25，不一致。"
    assert evidence == "表三「（七）总计」所列数字：25 2 0 0 0 0 25"
    cells = finding("a3", "annual_report", "major", col("政府信息公开年报", "/ndbg/"), f"{SITE}/ndbg/1.html",
                    location="表三「（七）总计」", evidence="25\t2\t0\t0\t0\t0\t25\n",    # a table row, cells kept apart
                    message="《2025年年报》表三「（七）总计」各申请人之和为27，总计栏为25，不一致。")
    assert described(cells)[1] == "表三「（七）总计」所列数字：25 2 0 0 0 0 25"
    words = finding("a2", "annual_report", "minor", None, f"{SITE}/ndbg/1.html", location="第五部分",
                    evidence="三是部分栏目信息更新维护不够及时", message="《年报》第五部分：第五部分序号有误。")
    assert described(words) == ("《年报》第五部分序号有误。", "三是部分栏目信息更新维护不够及时")
    nowhere = finding("a3", "annual_report", "minor", None, None, message="表一：表一数据缺失。")
    assert described(nowhere) == ("表一：表一数据缺失。", "—")                 # no place given: left as written


def test_blank_column_evidence_leaves_the_address_to_the_location_column():
    blank = finding("b1", "blank_column", "major", col("规划计划", "/ghjh/"), f"{SITE}/ghjh/",
                    observed={"reason": "仅显示“暂无信息”"})
    assert described(blank) == ("栏目「规划计划」为空白栏目。", "栏目页面仅显示“暂无信息”")

"""crawler/extract/messages.py on message lists in the markup of the CMS families the crawler knows."""

from __future__ import annotations

import datetime as dt

from crawler.extract.messages import parse_message_list, parse_message_text, stated_limit, status_of

D = dt.date
BASE = "http://www.qh.gov.cn/hdjl/xzxx/index.html"

# TRS 互动: a header row naming the columns; the status cell is text, the reply date may be empty.
TRS = """<html><body><div class="list"><table width="100%" class="table">
<tr class="th"><th>序号</th><th>信件标题</th><th>来信时间</th><th>回复时间</th><th>办理状态</th></tr>
<tr><td>1</td><td><a href="./202406/t20240601_101.html" title="关于小区噪音扰民的问题">关于小区噪音扰民的…</a></td>
    <td>2024-06-01</td><td></td><td><span class="red">办理中</span></td></tr>
<tr><td>2</td><td><a href="./202405/t20240503_99.html">咨询公积金提取</a></td>
    <td>2024-05-03</td><td>2024-05-10</td><td>已回复</td></tr>
<tr><td colspan="5"><script>createPageHTML(5, 0, "index", "html");</script></td></tr>
</table></div><p>本信箱原则上在十五个工作日内予以答复。</p></body></html>"""

# Hanweb: rows inside <script type="text/xml"> records, GBK-era markup with <td> labels.
HANWEB = """<html><body><div id="2351"><script type="text/xml"><datastore><nextgroup><![CDATA[]]></nextgroup><recordset>
<record><![CDATA[<table><tr><td class="bt"><a href="/art/2024/5/2/art_2351_1.html" target="_blank">村道硬化建议</a></td><td>提交时间：2024-05-02</td><td>状态：已办结</td></tr></table>]]></record>
<record><![CDATA[<table><tr><td class="bt"><a href="/art/2024/1/8/art_2351_2.html" target="_blank">咨询低保政策</a></td><td>提交时间：2024-01-08</td><td>状态：待回复</td></tr></table>]]></record>
</recordset></datastore></script></div></body></html>"""

# 博达 VSB: <li> rows that label their own values.
VSB = """<html><body><ul class="xx-list">
<li><a href="../info/1041/2211.htm">关于学区划分的咨询</a><span>来信时间：2024年3月1日</span><span>回复时间：2024年3月9日</span></li>
<li><a href="../info/1041/2209.htm">路灯不亮</a><span>来信时间：2024年2月20日</span><span>状态：未回复</span></li>
<li><a href="../info/1041/2207.htm">公交线路</a><span>来信时间：2024年2月2日</span></li>
</ul></body></html>"""


def test_trs_table_with_header_row():
    entries = parse_message_list(TRS, BASE)
    assert [(e.title, e.asked, e.replied, e.status, e.status_text) for e in entries] == [
        ("关于小区噪音扰民的问题", D(2024, 6, 1), None, "unanswered", "办理中"),
        ("咨询公积金提取", D(2024, 5, 3), D(2024, 5, 10), "answered", "已回复"),
    ]
    assert entries[0].url == "http://www.qh.gov.cn/hdjl/xzxx/202406/t20240601_101.html"
    assert stated_limit(TRS) == (15, "workdays")


def test_hanweb_xml_records():
    entries = parse_message_list(HANWEB, "http://www.qh.gov.cn/col/col2351/index.html")
    assert [(e.title, e.asked, e.status) for e in entries] == [
        ("村道硬化建议", D(2024, 5, 2), "answered"), ("咨询低保政策", D(2024, 1, 8), "unanswered")]
    assert entries[0].url == "http://www.qh.gov.cn/art/2024/5/2/art_2351_1.html"


def test_vsb_labelled_rows_and_unknown_status():
    entries = parse_message_list(VSB, "http://www.qh.gov.cn/hdjl/xzxx.htm")
    assert [(e.title, e.asked, e.replied, e.status) for e in entries] == [
        ("关于学区划分的咨询", D(2024, 3, 1), D(2024, 3, 9), "answered"),
        ("路灯不亮", D(2024, 2, 20), None, "unanswered"),
        ("公交线路", D(2024, 2, 2), None, None),               # the row does not say: never guessed
    ]


def test_not_a_message_list():
    news = ("<html><body><ul><li><a href='/a/1.html'>春耕</a><span>2024-05-01</span></li>"
            "<li><a href='/a/2.html'>防汛</a><span>2024-05-02</span></li></ul></body></html>")
    assert parse_message_list(news, BASE) == []
    assert parse_message_list("", BASE) == []
    assert parse_message_list("<table><tr><td>留言时间</td></tr>" * 3, BASE) == []
    assert parse_message_list("\x00留言时间\x01", BASE) == []


def test_message_page_text():
    text = ("来信标题：关于村道硬化的建议\n来信人：张**\n来信时间：2024-01-05\n办理状态：已办结\n"
            "答复单位：县交通运输局\n答复时间：2024-05-20\n答复内容：经研究，已列入2024年计划。\n打印本页 关闭窗口")
    entry = parse_message_text(text, "关于村道硬化的建议", "http://www.qh.gov.cn/x/1.html")
    assert (entry.asked, entry.replied, entry.status, entry.reply) == (
        D(2024, 1, 5), D(2024, 5, 20), "answered", "经研究，已列入2024年计划。")
    empty = parse_message_text("留言时间：2024-05-01\n处理状态：已回复\n回复内容：\n回复时间：2024-05-06")
    assert empty.status == "answered" and empty.reply == ""
    assert parse_message_text("发布时间：2024-05-01 春耕生产") is None


def test_statuses_and_limits():
    assert status_of("已办结") == "answered" and status_of("未办结") == "unanswered"
    assert status_of("已受理") == "unanswered" and status_of("查看") is None
    assert stated_limit("我们将在7个工作日内回复") == (7, "workdays")
    assert stated_limit("一般在30日内答复") == (30, "days")
    assert stated_limit("2024年5月1日内答复") is None or stated_limit("2024年5月1日内答复")[0] <= 120
    assert stated_limit("无承诺") is None

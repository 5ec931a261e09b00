"""An info table whose label and value are sibling elements with nothing between them: `<div class="row">
<span class="label">索引号</span><span class="value">…</span></div>`, as 集约化 platforms print it (the jyh-api skin
of tests/foreign). The page text reads `索引号337100/2026-…` with no colon, so 索引号 and 成文日期 were not read,
and the 文号 row was taken whole, label included, as an unlabelled document number ('文号桐川政办发〔2026〕35号')."""

from __future__ import annotations

import datetime as dt

from crawler.extract.page import parse_page

URL = "http://www.example.gov.cn/zwgk/zfxxgk/zcwj/202605/t20260521_13985.html"


def _article(info: str, body: str = "<p>各乡（镇）人民政府，县直各单位：现将《实施方案》印发给你们，请认真贯彻落实。</p>" * 3):
    html = (f'<html><head><meta name="ArticleTitle" content="关于印发实施方案的通知"><meta name="PubDate" '
            f'content="2026-05-21 10:14"></head><body><div class="main article">{info}<h1>关于印发实施方案的通知</h1>'
            f'<div class="article-content" id="zoom">{body}</div></div></body></html>')
    return parse_page(html, URL).article


def test_span_pairs_in_rows_are_read_as_labelled_values():
    rows = "".join(f'<div class="row"><span class="label">{k}</span><span class="value">{v}</span></div>' for k, v in (
        ("索引号", "337100/2026-01906002"), ("发布机构", "桐川县人民政府办公室"), ("成文日期", "2026-05-19"),
        ("发布日期", "2026-05-21"), ("文号", "桐川政办发〔2026〕35号"), ("主题分类", "综合政务")))
    art = _article(f'<div class="info-table">{rows}</div>')
    assert art.index_number == "337100/2026-01906002" and art.doc_number == "桐川政办发〔2026〕35号"
    assert art.written == dt.date(2026, 5, 19) and art.topic == "综合政务"
    assert art.source == "桐川县人民政府办公室" and art.published == dt.date(2026, 5, 21)


def test_other_pair_markups_and_what_is_left_alone():
    art = _article('<dl><dt>索引号：</dt><dd>11350100/2026-00012</dd><dt>文号：</dt><dd>无</dd>'
                   '<dt>成文日期：</dt><!-- cms --><dd>2026年5月19日</dd></dl>')
    assert art.index_number == "11350100/2026-00012" and art.doc_number is None
    assert art.written == dt.date(2026, 5, 19)
    # a label with its value in its own tail (TRS: <strong>索引号</strong>：…) is read from the page text as before
    art = _article("<p><strong>索引号</strong>：000014348/2026-00311</p><p><strong>文号</strong>：无</p>")
    assert art.index_number == "000014348/2026-00311" and art.doc_number is None
    # a label element whose next element is a paragraph of body text is no pair
    art = _article('<div><span>来源</span><p>' + "本报讯，" * 80 + '</p></div>')
    assert art.source is None or len(art.source) <= 200
    # bad input: an empty value, a label at the end of the page
    art = _article('<div class="row"><span class="label">索引号</span><span class="value"> </span></div>'
                   '<div class="row"><span class="label">文号</span></div>')
    assert art.index_number is None and art.doc_number is None

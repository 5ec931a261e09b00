"""An empty column list that reads like an undated page is still a column (crawler.columns empty_list_evidence).

A CMS renders an empty column with its list template: menus, a list header, a pager or list-model script
with a record count of zero, and no rows. With no rows, the template's chrome is the page's whole text, so
the page reads like an undated article and the column used to vanish: neither blank nor unknown. Pages
reached as columns are now an empty list on the template's evidence (a declared zero, a header with no
rows), and one that shows no sign either way is a column recorded as not judged, never dropped.
The pages here are the real samples of shared/reference/samples with their rows removed, and plain
hand-written templates of other CMSs.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path

import pytest

from checks.freshness import is_blank
from crawler import columns as cm
from crawler.extract.page import parse_page
from tests.crawler.test_spider_site import crawled_snapshot, html_files

sys.path.insert(0, str(Path(__file__).resolve().parent / "extract"))
from extract_samples import load_sample  # noqa: E402

FJ_LIST = "list_pingtan_gov_cn_fujian_trs_jiyue_zfxxgknb.html"
HD_LIST = "list_hdzfxxgk_hd_gov_cn_trs_jinqixxgk.html"


def _emptied_fj(record_count: str | None) -> tuple[str, str]:
    """The Fujian 集约化 list with its static rows removed; its list model declares `record_count` (or nothing)."""
    html, url = load_sample(FJ_LIST)
    html, n = re.subn(r'(<div class="rules_tabs_01 rules_tabs_no_bg" ms-visible="showStatic">).*?'
                      r'(\s*</div>\s*<div class="rules_tabs_01 rules_tabs_no_bg" ms-visible="!showStatic")',
                      r"\1\2", html, flags=re.S)
    assert n == 1
    if record_count is None:
        html, n = re.subn(r"recordCount: '\d+',", "", html)
    else:
        html, n = re.subn(r"recordCount: '\d+'", f"recordCount: '{record_count}'", html)
    assert n == 1
    return html, url


def _emptied_hd() -> tuple[str, str]:
    """The 邯郸 TRS list with its table rows and its pager script removed: the header row alone."""
    html, url = load_sample(HD_LIST)
    html, n = re.subn(r'(<th width="12%" height="35">发布日期</th>\s*</tr>).*?(\s*</tbody>)', r"\1\2", html, flags=re.S)
    assert n == 1
    html, n = re.subn(r"<script[^>]*>(?:(?!</script>).)*countPage(?:(?!</script>).)*</script>", "", html, flags=re.S)
    assert n >= 1 and "countPage" not in html
    return html, url


def _plain(body: str, meta: str = '<meta name="ColumnName" content="行政执法">', title: str = "行政执法") -> str:
    """A small CMS page: a site menu with its own prose footer, and `body` as the column's part."""
    menu = "".join(f'<li><a href="/{s}/">{n}</a></li>' for s, n in (
        ("zwgk", "政务公开"), ("tzgg", "通知公告"), ("xzzf", "行政执法"), ("jgzn", "机构职能"), ("hdjl", "互动交流")))
    footer = ("<div class='footer'><p>主办单位：某某县人民政府办公室　承办单位：某某县大数据中心　地址：某某县人民路1号</p>"
              "<p>网站标识码：0000000000　ICP备案号：某ICP备00000000号　建议使用1280×800分辨率、IE9以上版本浏览器访问本网站</p>"
              "<p>本网站所刊登的信息和各种专栏资料，未经协议授权，禁止下载使用。如有疑问请与网站管理员联系。</p></div>")
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}_某某县人民政府</title>{meta}</head>'
            f'<body><div class="header"><ul class="nav">{menu}</ul></div><div class="main">{body}</div>'
            f"{footer}</body></html>")


_SINGLE_PAGE = ("<h2>机构职能</h2><div class='content'><p>县司法局是县人民政府工作部门，主要职责是：贯彻落实上级关于"
                "法治建设的方针政策和决策部署；承担统筹规划法治政府建设的责任；负责行政复议、行政应诉工作；"
                "指导、监督全县行政执法工作，推进严格规范公正文明执法。</p><p>内设机构：办公室、法治督察股、"
                "行政复议与应诉股、律师工作股、公共法律服务管理股。</p></div>")


# ---------------------------------------------------------------------------- the evidence, page by page
@pytest.mark.parametrize("make,evidence", [
    (lambda: _emptied_fj("0"), "列表脚本声明信息数为0"),          # the list model says recordCount: '0'
    (lambda: _emptied_fj(None), "列表表头下无任何信息"),           # no count at all: the 标题/发布日期 header
    (_emptied_hd, "列表表头下无任何信息"),                         # a TRS table header (名称/索引号/发布机构/发布日期)
    (lambda: (_plain("<table><tr><td>序号</td><td>文件标题</td><td>发布时间</td></tr></table>"),
              "http://www.xx.gov.cn/xzzf/"), "列表表头下无任何信息"),
    (lambda: (_plain("<ul class='list'></ul><div class='page'>共0条 1/1页</div>"), "http://www.xx.gov.cn/xzzf/"),
     "列表脚本声明信息数为0"),
], ids=["fj-trs-record-count-0", "fj-trs-header-only", "hd-trs-table-header", "plain-table-header", "plain-0-records"])
def test_an_empty_list_template_is_an_empty_list(make, evidence):
    html, url = make()
    parsed = parse_page(html, url)
    assert parsed.list_entries == [] and not (parsed.article and parsed.article.published)
    assert cm.undated_column_page(parsed)
    assert cm.empty_list_evidence(parsed, html) == evidence


def test_a_list_loaded_by_script_is_no_empty_list():
    """The list model declares 20 records the page does not show: loaded later, so no evidence of emptiness."""
    html, url = _emptied_fj("20")
    parsed = parse_page(html, url)
    assert cm.undated_column_page(parsed)
    assert cm.empty_list_evidence(parsed, html) is None


def test_a_single_page_column_gives_no_evidence():
    """Prose and no list header: neither an empty list nor a dated article (the spider records it as not judged)."""
    html = _plain(_SINGLE_PAGE)
    parsed = parse_page(html, "http://www.xx.gov.cn/jgzn/")
    assert cm.undated_column_page(parsed)
    assert cm.empty_list_evidence(parsed, html) is None


def test_a_header_with_words_beyond_list_labels_is_no_list_header():
    """A data table in a page (姓名 · 标题 · 日期 · 金额) is not a list's header row."""
    html = _plain("<table><tr><th>姓名</th><th>标题</th><th>日期</th><th>金额</th></tr></table>")
    assert cm.empty_list_evidence(parse_page(html, "http://www.xx.gov.cn/xzzf/"), html) is None


@pytest.mark.parametrize("name", [
    "article_fgw_zj_gov_cn_hanweb_jcms_20161122.html", "article_shanxi_gov_cn_trs_20190918.html",
    "xxgk_detail_hdzfxxgk_hd_gov_cn_trs_20200802.html", "xxgk_detail_pingtan_gov_cn_gfxwj_suoyinhao_20161026.html",
    FJ_LIST, HD_LIST])
def test_real_articles_and_lists_are_not_undated_column_pages(name):
    html, url = load_sample(name)
    assert not cm.undated_column_page(parse_page(html, url))


@pytest.mark.parametrize("html", ["", "<html><body><table><tr><th>标题<th>发布日期", "\x00\xff<dl><dt>标题",
                                  "<html><body><p>无</p></body></html>"])
def test_bad_pages_never_raise(html):
    parsed = parse_page(html, "http://www.xx.gov.cn/xzzf/")
    result = cm.empty_list_evidence(parsed, html)
    assert result in (None, "列表表头下无任何信息")
    if "标题" not in html:
        assert result is None


# ---------------------------------------------------------------------------- a crawl
AS_OF = dt.date(2023, 2, 1)


def _site() -> dict[str, tuple[bytes, str]]:
    notices = [(f"/tzgg/202301/t2023011{k}_{k}.html", f"关于第{k}批事项的通知", AS_OF - dt.timedelta(days=5 + k))
               for k in range(3)]
    rows = "".join(f'<li><a href="{u}">{t}</a><span>{d:%Y-%m-%d}</span></li>' for u, t, d in notices)
    pages = {
        "/index.html": _plain(f"<div class='news'><ul>{rows}</ul></div>", meta="", title="首页"),
        "/tzgg/index.html": _plain(f"<ul class='list'>{rows}</ul>", '<meta name="ColumnName" content="通知公告">', "通知公告"),
        # an empty list: the header row and nothing under it
        "/xzzf/index.html": _plain("<table class='list'><tr><th>标题</th><th>发布日期</th></tr></table>"),
        # a single-page column: not judged, never dropped
        "/jgzn/index.html": _plain(_SINGLE_PAGE, '<meta name="ColumnName" content="机构职能">', "机构职能"),
        # a list the script loads (共12条, no rows shown): not judged, never blank
        "/zwgk/index.html": _plain("<h2>政务公开</h2><div id='list'></div><p>共12条记录，本栏目信息由脚本加载，"
                                   "请启用浏览器脚本后查看全部信息列表，或通过站内搜索查找所需信息。</p>" + _SINGLE_PAGE,
                                   '<meta name="ColumnName" content="政务公开">', "政务公开"),
    }
    for u, t, d in notices:
        pages[u] = _plain(f"<h1>{t}</h1><div class='info'>发布时间：{d:%Y-%m-%d}</div><div class='TRS_Editor'>"
                          f"<p>{t}，全文略。本文为测试页面的正文段落。</p></div>",
                          f'<meta name="ArticleTitle" content="{t}"><meta name="PubDate" content="{d:%Y-%m-%d}">', t)
    return html_files(pages)


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    with crawled_snapshot(_site(), tmp_path_factory.mktemp("empty-lists") / "s.sqlite") as snapshot:
        yield {c.url.split("/", 3)[-1]: c for c in snapshot.columns_}


def test_crawl_empty_list_is_a_blank_column(crawled):
    column = crawled["xzzf/"]
    assert column.items == 0 and column.unread_reason is None
    assert is_blank(column) == "无任何信息"


def test_crawl_undecided_pages_are_columns_not_judged(crawled):
    for key in ("jgzn/", "zwgk/"):
        column = crawled[key]
        assert column.unread_reason == cm.UNDECIDED_REASON, key
        assert column.items == 0


def test_crawl_ordinary_list_unchanged(crawled):
    column = crawled["tzgg/"]
    assert column.items == 3 and column.unread_reason is None and column.latest == AS_OF - dt.timedelta(days=5)


def test_a_flat_cms_landing_page_lists_its_sibling_columns():
    """Hanweb keeps every column at /col/colNNN/: a landing page's sub-columns are its siblings, not below it."""
    subs = "".join(f'<li><a href="/col/col{1800 + k}/index.html">栏目{k}</a></li>' for k in range(4))
    html = _plain(f"<div class='bt-title'>政府信息公开</div><ul class='bt-sub-col'>{subs}</ul>")
    url = "http://www.xx.gov.cn/col/col1799/index.html"
    parsed = parse_page(html, url)
    assert len(cm.flat_landing_links(parsed, url)) == 4
    # Menu links are no sub-columns of this page, and two column links are not a landing page.
    assert cm.flat_landing_links(parse_page(_plain(""), url), url) == []
    two = _plain("<ul>" + "".join(f'<li><a href="/col/col{1800 + k}/index.html">栏目{k}</a></li>' for k in range(2)) + "</ul>")
    assert cm.flat_landing_links(parse_page(two, url), url) == []
    # An empty list whose template shows a header is still an empty list first (the spider asks that first).
    empty = _plain(f"<table><tr><th>标题</th><th>发布日期</th></tr></table><ul>{subs}</ul>")
    assert cm.empty_list_evidence(parse_page(empty, url), empty) == "列表表头下无任何信息"


def test_an_undated_list_with_column_like_chrome_is_no_landing_page():
    """A simple template's undated list (demo hanweb-api 303, 政府会议 under 专题专栏): its header and footer link
    网站地图, 网站管理 and a channel the menus missed, three column-like links outside the menus. The body's
    twelve documents say it is a list; it was read as a flat landing page, and the column vanished."""
    docs = "".join(f'<li><a href="/zt/wmcj/content_{32100 + k}.html">县政府常务会议研究部署第{k}项工作</a></li>'
                   for k in range(12))
    chrome = ('<p><a href="/wzdt/index.html">网站地图</a> | <a href="/col/col1032/index.html">微博广场</a></p>'
              f"<h2>政府会议</h2><ul class='list'>{docs}</ul>"
              '<p><a href="/admin/index.html">网站管理</a></p>')
    url = "http://www.xx.gov.cn/zt/wmcj/index.html"
    html = _plain(chrome, meta="", title="政府会议")
    parsed = parse_page(html, url)
    assert not parsed.list_entries and cm.undated_column_page(parsed)
    assert cm.flat_landing_links(parsed, url) == []
    # The same chrome over a body of sub-columns is still a landing page.
    subs = "".join(f'<li><a href="/col/col{1800 + k}/index.html">栏目{k}</a></li>' for k in range(4))
    landing = _plain(chrome.replace(f"<ul class='list'>{docs}</ul>", f"<ul>{subs}</ul>"), meta="", title="政府信息公开")
    assert len(cm.flat_landing_links(parse_page(landing, url), url)) == 7

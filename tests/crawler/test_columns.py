"""The column inventory (crawler/columns.py): canonical keys, the column of an article, types with their
reasons, landing pages (hubs) and contradictions — unit cases, then one crawl of a small portal on 127.0.0.1."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest

from crawler import columns as cm
from crawler.extract.model import ArticleFields, Link, ListEntry, ParsedPage
from crawler.extract.page import parse_page
from crawler.profile import SiteProfile
from crawler.urls import column_url
from tests.crawler.test_spider_site import crawled_snapshot, html_files

sys.path.insert(0, str(Path(__file__).resolve().parent / "extract"))
from extract_samples import load_sample  # noqa: E402

SITE = "http://www.test.gov.cn"


# ---------------------------------------------------------------------------- canonical column URLs
@pytest.mark.parametrize("url,expected", [
    (SITE + "/x/", SITE + "/x/"), (SITE + "/x/index.html", SITE + "/x/"), (SITE + "/x/index.htm", SITE + "/x/"),
    (SITE + "/x/default.htm", SITE + "/x/"), (SITE + "/x/INDEX.SHTML", SITE + "/x/"),
    (SITE + "/col/col101/index.html", SITE + "/col/col101/"),
    (SITE + "/x/index.jsp?id=3", SITE + "/x/index.jsp?id=3"),       # a query names another page
    (SITE + "/xwzx/tzgg.htm", SITE + "/xwzx/tzgg.htm"), (SITE + "/x/index_3.html", SITE + "/x/index_3.html"),
    ("", ""),
])
def test_column_url(url, expected):
    assert column_url(url) == expected


def test_column_key_folds_pagination_and_index_files():
    key = lambda url: cm.column_key(url, {}, {})  # noqa: E731
    assert key(SITE + "/tzgg/index_7.html") == key(SITE + "/tzgg/index.html") == key(SITE + "/tzgg/") == SITE + "/tzgg/"
    assert key(SITE + "/list.jsp?cid=5&page=2") == SITE + "/list.jsp?cid=5"
    assert cm.column_key(SITE + "/a/page2.html", {SITE + "/a/page2.html": SITE + "/a/"}, {}) == SITE + "/a/"


# ---------------------------------------------------------------------------- naming and typing
def test_catalogue_column_name_meta_does_not_beat_the_breadcrumb():
    col = cm.ColumnState(url=SITE + "/zfwj/jinqixxgk/")
    col.set_name("近期信息公开", cm.RANK_CRUMB)
    col.set_name("邯郸市政府信息公开", cm.RANK_META)          # names the whole catalogue
    assert col.name == "近期信息公开"
    col.set_name("近期公开文件", cm.RANK_META)                 # a real column name still wins
    assert col.name == "近期公开文件"


def _state(name: str, path: str, meta: str | None = None, **kw) -> cm.ColumnState:
    return cm.ColumnState(url=SITE + "/c/", name=name, path=path, meta_type=meta, **kw)


@pytest.mark.parametrize("name,path,meta,expected,source", [
    ("人事任免", "首页/政务公开/人事任免", "信息公开目录", "人事信息", "name"),
    ("专项规划", "首页/政务公开/专项规划", "信息公开目录", "规划计划", "name"),
    ("近期信息公开", "首页/政府文件/近期信息公开", "信息公开，政策文件", "政策文件", "meta"),
    ("工作进展情况", "首页/政务公开/规划计划/工作进展情况", None, "规划计划", "parent"),
    ("发展规划", "首页/规划计划/发展规划", None, "规划计划", "name"),
])
def test_record_type_and_reason(name, path, meta, expected, source):
    record = cm.column_record(_state(name, path, meta), {}, SiteProfile(), {})
    assert (record.type, record.type_source) == (expected, source)
    assert record.type_reason


def test_profile_type_wins_and_says_so():
    profile = SiteProfile(column_types={SITE + "/c/": "其他"})
    record = cm.column_record(_state("人事任免", "首页/人事任免"), {}, profile, {})
    assert (record.type, record.type_source, record.type_reason) == ("其他", "profile", "站点配置指定为其他")


def test_known_sub_columns_type_a_silent_header():
    header = cm.ColumnState(url=SITE + "/bd/", name="本地信息", path="首页/本地信息")
    columns = {header.url: header}
    for i, name in enumerate(["本地新闻", "县区动态", "部门动态"]):
        columns[f"{SITE}/bd/{i}/"] = cm.ColumnState(url=f"{SITE}/bd/{i}/", name=name, path=f"首页/本地信息/{name}",
                                                   ancestors=((header.url, "本地信息"),))
    record = cm.column_record(header, columns, SiteProfile(), {})
    assert (record.type, record.type_source) == ("动态要闻", "children")


# ---------------------------------------------------------------------------- unknown, never a finding
def test_contradiction_is_unknown_not_blank():
    col = _state("工作动态", "首页/工作动态", blank_marker="暂无信息")
    dates = {f"{SITE}/a{i}.html": dt.date(2023, 1, 1) + dt.timedelta(days=i) for i in range(40)}
    record = cm.column_record(col, {}, SiteProfile(), dates, claimed=40)
    assert record.items == 0 and record.latest == max(dates.values())
    assert record.unread_reason and "40篇文章" in record.unread_reason
    # with list entries there is no contradiction
    col.entries = {SITE + "/a1.html": dt.date(2023, 1, 2)}
    assert cm.column_record(col, {}, SiteProfile(), dates, claimed=40).unread_reason is None
    # nothing claimed: a blank column stays for the checks to judge
    assert cm.column_record(_state("工作动态", "首页/工作动态"), {}, SiteProfile(), {}).unread_reason is None


def test_hub_column_is_unknown_with_its_reason():
    record = cm.column_record(_state("政务公开", "首页/政务公开"), {}, SiteProfile(), {}, hub_count=5)
    assert "5个下级栏目" in record.unread_reason
    assert record.type_reason.startswith("栏目导航页")


# ---------------------------------------------------------------------------- hubs from structure
def _page(url: str, links: list[tuple[str, str]], entries=(), article_text=None, **kw) -> ParsedPage:
    page = ParsedPage(url=url, links=[Link(SITE + u, t) for u, t in links],
                      list_entries=[ListEntry(SITE + u, t, d) for u, t, d in entries], **kw)
    if article_text is not None:
        page.article = ArticleFields(title="t", text=article_text)
    return page


def test_section_landing_page_is_a_hub():
    page = _page(SITE + "/zwgk/", [("/zwgk/rsxx/", "人事信息"), ("/zwgk/ghjh/index.html", "规划计划"),
                                   ("/zwgk/tzgg/", "通知公告"), ("/index.html", "首页")])
    assert {lk.text for lk in cm.hub_links(page, SITE + "/zwgk/")} == {"人事信息", "规划计划", "通知公告"}


@pytest.mark.parametrize("page", [
    # a blank column: the site menu links elsewhere, nothing below its own directory
    _page(SITE + "/tzgg/", [("/zwgk/", "政务公开"), ("/hdjl/", "互动交流"), ("/bsfw/", "办事服务")],
          blank_marker="暂无信息"),
    _page(SITE + "/tzgg/", [("/zwgk/", "政务公开"), ("/hdjl/", "互动交流"), ("/bsfw/", "办事服务")]),
    # a dated list with sub-column tabs is a list
    _page(SITE + "/zwgk/", [("/zwgk/a/", "甲"), ("/zwgk/b/", "乙"), ("/zwgk/c/", "丙")],
          entries=[("/zwgk/a/t20230101_1.html", "文", dt.date(2023, 1, 1))]),
    # an undated list of documents is a list, not a hub
    _page(SITE + "/zwgk/", [("/zwgk/a/", "甲"), ("/zwgk/b/", "乙"), ("/zwgk/c/", "丙")],
          entries=[("/zwgk/a/content_101.html", "文", None)]),
    # a real article whose text is prose
    _page(SITE + "/zwgk/", [("/a/", "甲"), ("/b/", "乙"), ("/c/", "丙")], article_text="县政府召开常务会议\n研究部署工作"),
    # paginated lists are lists
    _page(SITE + "/zwgk/", [("/zwgk/a/", "甲"), ("/zwgk/b/", "乙"), ("/zwgk/c/", "丙")], pagination=[SITE + "/zwgk/index_1.html"]),
])
def test_not_hubs(page):
    assert cm.hub_links(page, page.url) == []


def test_guide_menu_page_is_a_hub_not_an_article():
    html, url = load_sample("xxgk_guide_hdzfxxgk_hd_gov_cn_gkzn.html")
    page = parse_page(html, url)
    assert page.article is not None                     # what the extractor alone sees
    links = cm.hub_links(page, url)
    assert len(links) >= 5
    cm.as_hub(page)
    assert page.article is None and page.list_entries == []


def test_real_list_and_article_pages_are_not_hubs():
    for name in ("list_hdzfxxgk_hd_gov_cn_trs_jinqixxgk.html", "list_pingtan_gov_cn_fujian_trs_jiyue_zfxxgknb.html",
                 "article_shanxi_gov_cn_trs_20190918.html", "xxgk_detail_pingtan_gov_cn_gfxwj_suoyinhao_20161026.html",
                 "article_cmse_gov_cn_trs_20210106.html", "article_fgw_zj_gov_cn_hanweb_jcms_20161122.html"):
        html, url = load_sample(name)
        assert cm.hub_links(parse_page(html, url), url) == [], name


# ---------------------------------------------------------------------------- the column of an article
def _columns(*specs: tuple[str, str, tuple]) -> dict[str, cm.ColumnState]:
    return {SITE + u: cm.ColumnState(url=SITE + u, name=n, ancestors=tuple((SITE + a, an) for a, an in anc))
            for u, n, anc in specs}


def _article_page(crumbs: list[tuple[str, str]], meta: dict | None = None) -> ParsedPage:
    page = ParsedPage(url=SITE + "/art/1.html", breadcrumb=[Link(SITE + u if u else "", t) for u, t in crumbs],
                      meta=meta or {})
    page.article = ArticleFields(title="山西品牌丝路行正式启动")
    return page


def _column_of(page: ParsedPage, columns) -> tuple[str | None, str | None]:
    return cm.column_for_article(page.url, {}, page, entry_column={}, columns=columns,
                                 on_site=lambda u: u.startswith(SITE), key=lambda u: cm.column_key(u, {}, columns))


def test_unlinked_current_crumb_is_the_column_not_its_parent():
    columns = _columns(("/yw/", "要闻", ()), ("/yw/sxyw/", "山西要闻", (("/yw/", "要闻"),)))
    page = _article_page([("/", "首页"), ("/yw/", "要闻"), ("", "山西要闻")])
    assert _column_of(page, columns) == (SITE + "/yw/sxyw/", "breadcrumb")
    # the current crumb is the article's own title: the linked parent is the column, as before
    page = _article_page([("/", "首页"), ("/yw/", "要闻"), ("", "山西品牌丝路行正式启动")])
    assert _column_of(page, columns) == (SITE + "/yw/", "breadcrumb")
    # an unknown current column: no guess into the parent
    page = _article_page([("/", "首页"), ("/yw/", "要闻"), ("", "国内要闻")])
    assert _column_of(page, columns) == (None, None)


def test_column_name_meta_places_an_article():
    columns = _columns(("/tzgg/", "通知公告", ()))
    assert _column_of(_article_page([], {"ColumnName": "通知公告"}), columns) == (SITE + "/tzgg/", "meta")
    assert _column_of(_article_page([], {"ColumnName": "某县政府信息公开"}), columns) == (None, None)


# ---------------------------------------------------------------------------- a crawl
AS_OF = dt.date(2023, 2, 1)
_HEAD = ('<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title>'
         '<meta name="SiteName" content="测试县人民政府">{meta}</head><body>'
         '<div class="nav"><ul><li><a href="/zwgk/">政务公开</a></li><li><a href="/tzgg/index.html">通知公告</a></li>'
         '<li><a href="/gzdt/index.html">工作动态</a></li><li><a href="/gkzn/">公开指南</a></li></ul></div>')
_FOOT = "<div class='footer'>测试县人民政府办公室主办</div></body></html>"


def _crumb_html(*parts: tuple[str, str | None]) -> str:
    items = " &gt; ".join(f'<a href="{u}">{n}</a>' if u else n for n, u in parts)
    return f'<div class="breadcrumb">当前位置：<a href="/index.html">首页</a> &gt; {items}</div>'


def _list_html(title: str, crumb: str, items, meta: str = "", body: str = "") -> str:
    lis = "".join(f'<li><a href="{u}">{t}</a><span>{d:%Y-%m-%d}</span></li>' for u, t, d in items)
    return _HEAD.format(title=title, meta=meta) + crumb + f'<div class="list"><ul>{lis}</ul>{body}</div>' + _FOOT


def _article_html(title: str, date: dt.date, crumb: str, meta: str = "") -> str:
    meta += f'<meta name="ArticleTitle" content="{title}"><meta name="PubDate" content="{date:%Y-%m-%d} 09:00">'
    return (_HEAD.format(title=title, meta=meta) + crumb + f'<div class="article"><h1>{title}</h1>'
            f'<div class="info">发布时间：{date:%Y-%m-%d}</div><div class="TRS_Editor"><p>{title}，全文略。</p>'
            "<p>本文为测试页面的正文段落，用于检验栏目归属。</p></div></div>" + _FOOT)


def _portal() -> dict[str, tuple[bytes, str]]:
    pages: dict[str, str] = {}
    news = [(f"/art/2023/1/{20 + i}/art_{i}.html", f"县政府召开第{i + 1}次工作会议", AS_OF - dt.timedelta(days=3 + i))
            for i in range(3)]
    home_links = "".join(f'<li><a href="{u}">{t}</a><span>{d:%m-%d}</span></li>' for u, t, d in news)
    pages["/index.html"] = (_HEAD.format(title="测试县人民政府", meta="") + '<div class="news"><ul>'
                            + home_links + '</ul></div><a href="/tzgg/">更多通知</a>' + _FOOT)
    # 政务公开: a landing page listing its sub-columns, with a TRS list-template remnant and no entries
    pages["/zwgk/index.html"] = _list_html(
        "政务公开", _crumb_html(("政务公开", "/zwgk/")), [], meta='<meta name="ColumnName" content="政务公开">',
        body='<div class="sub"><a href="/zwgk/rsxx/">人事任免</a><a href="/zwgk/ghjh/">专项规划</a>'
             '<a href="/zwgk/czxx/">财政信息</a></div><script>createPageHTML(1, 0, "index", "html");</script>')
    old = AS_OF - dt.timedelta(days=500)
    for slug, name in (("rsxx", "人事任免"), ("ghjh", "专项规划"), ("czxx", "财政信息")):
        pages[f"/zwgk/{slug}/index.html"] = _list_html(
            name, _crumb_html(("政务公开", "/zwgk/"), (name, f"/zwgk/{slug}/")),
            [(f"/zwgk/{slug}/202109/t20210919_{k}.html", f"{name}信息{k}", old - dt.timedelta(days=k)) for k in range(3)],
            meta='<meta name="ColumnType" content="信息公开目录"><meta name="ColumnName" content="测试县政府信息公开">')
        for k in range(3):
            pages[f"/zwgk/{slug}/202109/t20210919_{k}.html"] = _article_html(
                f"{name}信息{k}", old - dt.timedelta(days=k), _crumb_html(("政务公开", "/zwgk/"), (name, f"/zwgk/{slug}/")))
    # 通知公告 linked both as /tzgg/ and /tzgg/index.html: one column
    notices = [(f"/tzgg/202301/t2023011{k}_{k}.html", f"关于第{k}批事项的通知", AS_OF - dt.timedelta(days=22 + k))
               for k in range(3)]
    pages["/tzgg/index.html"] = _list_html("通知公告", _crumb_html(("通知公告", "/tzgg/index.html")), notices)
    for u, t, d in notices:
        pages[u] = _article_html(t, d, _crumb_html(("通知公告", "/tzgg/")))
    # 工作动态: the list is loaded by script (the saved page says 暂无信息); its articles name it in the breadcrumb
    pages["/gzdt/index.html"] = _list_html("工作动态", _crumb_html(("工作动态", "/gzdt/index.html")), [],
                                           body='<div id="list">暂无信息</div><script src="/js/list.js"></script>')
    for u, t, d in news:
        pages[u] = _article_html(t, d, _crumb_html(("工作动态", "/gzdt/index.html")))
    # 要闻 > 县内要闻: the articles' current crumb is unlinked; 县内要闻's list shows only its newest item
    yw = [(f"/art/2023/1/{10 + i}/art_{10 + i}.html", f"县领导调研第{i + 1}站", AS_OF - dt.timedelta(days=20 + i))
          for i in range(3)]
    pages["/yw/index.html"] = _list_html("要闻", _crumb_html(("要闻", "/yw/")),
                                         [(f"/yw/2022{k:02d}/t2022{k:02d}01_{k}.html", f"要闻{k}", dt.date(2022, k, 1))
                                          for k in range(1, 4)], body='<a href="/yw/xnyw/">县内要闻</a>')
    for k in range(1, 4):
        pages[f"/yw/2022{k:02d}/t2022{k:02d}01_{k}.html"] = _article_html(f"要闻{k}", dt.date(2022, k, 1),
                                                                          _crumb_html(("要闻", "/yw/")))
    own = [(f"/yw/xnyw/202212/t202212{k:02d}_{k}.html", f"县内要闻{k}", dt.date(2022, 12, k)) for k in (1, 2)]
    pages["/yw/xnyw/index.html"] = _list_html("县内要闻", _crumb_html(("要闻", "/yw/"), ("县内要闻", "/yw/xnyw/")),
                                              yw[:1] + own)
    for u, t, d in own:
        pages[u] = _article_html(t, d, _crumb_html(("要闻", "/yw/"), ("县内要闻", "/yw/xnyw/")))
    for u, t, d in yw:
        pages[u] = _article_html(t, d, _crumb_html(("要闻", "/yw/"), ("县内要闻", None)))
    pages["/index.html"] = pages["/index.html"].replace(
        "</ul></div>", "".join(f'<li><a href="{u}">{t}</a></li>' for u, t, _ in yw) + '</ul></div>'
        '<a href="/yw/">要闻</a>', 1)
    # 公开指南: a page made of menu links
    menu = "".join(f'<p><a href="/{s}/">{n}</a></p>' for s, n in
                   (("zfxxgkzn", "政府信息公开指南"), ("zfxxgkzd", "政府信息公开制度"), ("fdgknr", "法定主动公开内容"),
                    ("zfxxgknb", "政府信息公开年报"), ("ysqgk", "依申请公开")))
    pages["/gkzn/index.html"] = (_HEAD.format(title="政府信息公开指南", meta='<meta name="ColumnName" content="政府信息公开指南">')
                                 + _crumb_html(("公开指南", "/gkzn/")) + f'<div class="content">{menu}</div>' + _FOOT)
    return html_files(pages)


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    with crawled_snapshot(_portal(), tmp_path_factory.mktemp("columns") / "s.sqlite") as snapshot:
        yield snapshot


def _by_path(snapshot) -> dict:
    from urllib.parse import urlsplit

    return {urlsplit(c.url).path: c for c in snapshot.columns_}


def test_crawl_one_column_per_canonical_url(crawled):
    columns = _by_path(crawled)
    assert "/tzgg/index.html" not in columns and "/tzgg/" in columns
    assert sum(1 for c in crawled.columns_ if c.name == "通知公告") == 1
    assert columns["/tzgg/"].items == 3


def test_crawl_types_with_reasons(crawled):
    columns = _by_path(crawled)
    for path, want in (("/zwgk/rsxx/", "人事信息"), ("/zwgk/ghjh/", "规划计划"), ("/zwgk/czxx/", "财政信息")):
        assert columns[path].type == want, (path, columns[path].type_reason)
        assert columns[path].type_source == "name" and columns[path].type_reason
        assert columns[path].name != "测试县政府信息公开"           # the breadcrumb's name, not the catalogue's


def test_crawl_hub_is_no_blank_column(crawled):
    from checks.freshness import is_blank

    hub = _by_path(crawled)["/zwgk/"]
    assert hub.items == 0 and hub.unread_reason and "下级栏目" in hub.unread_reason
    assert is_blank(hub)                                       # what the blank rule alone would say …
    assert hub.unread_reason                                   # … is withheld: the column is unknown


def test_crawl_guide_menu_is_not_an_article(crawled):
    from urllib.parse import urlsplit

    kinds = {urlsplit(p.url).path: p.kind for p in crawled.pages_}
    assert kinds.get("/gkzn/") != "article"


def test_crawl_contradiction_is_unknown(crawled):
    gzdt = _by_path(crawled)["/gzdt/"]
    assert gzdt.items == 0 and gzdt.blank_marker == "暂无信息"
    assert gzdt.unread_reason and "3篇文章" in gzdt.unread_reason
    assert gzdt.latest == AS_OF - dt.timedelta(days=3)


def test_crawl_unlinked_current_crumb_places_articles(crawled):
    columns = _by_path(crawled)
    xnyw, yw = columns["/yw/xnyw/"], columns["/yw/"]
    placed = {p.url.rsplit("/", 1)[-1]: p.column_url for p in crawled.pages_ if p.kind == "article"}
    # Fetched before 县内要闻 is known, an article stays unplaced rather than land in the parent 要闻.
    for i in range(3):
        assert placed[f"art_{10 + i}.html"] in (xnyw.url, None), i
    assert xnyw.latest == AS_OF - dt.timedelta(days=20)
    assert yw.latest == dt.date(2022, 3, 1)                    # 要闻 is not refreshed by 县内要闻's articles


def test_crawl_checks_give_the_right_verdicts_with_reasons(crawled):
    """人事任免 under a generic ColumnType meta keeps its 1-year limit; the hub and the contradiction get none."""
    from checks.engine import run_checks
    from rules.loader import load_ruleset

    result = run_checks(crawled, load_ruleset())
    by_column: dict[str, set[str]] = {}
    for finding in result.findings:
        if finding.column:
            by_column.setdefault(finding.column["url"].split("/", 3)[-1], set()).add(finding.rule)
    assert "UPD003" in by_column.get("zwgk/rsxx/", set())            # 人事信息: stale after 1 year
    assert "UPD003" in by_column.get("zwgk/ghjh/", set())            # 规划计划
    assert "UPD003" not in by_column.get("zwgk/czxx/", set())        # 财政信息 has no freshness limit
    assert "UPD004" not in by_column.get("zwgk/", set())             # a landing page is no blank column
    assert "UPD004" not in by_column.get("gzdt/", set())             # a contradiction is unknown
    stale = next(f for f in result.findings if f.rule == "UPD003" and f.column["url"].endswith("/zwgk/rsxx/"))
    assert stale.column["type"] == "人事信息" and stale.column["type_reason"] == "栏目名称含“人事”"


def test_init_profile_draft_shows_type_limit_and_reason(crawled, tmp_path):
    from crawler.profile import load_profile, write_profile_from_discovery

    path = write_profile_from_discovery(crawled, tmp_path / "site.yml")
    text = path.read_text(encoding="utf-8")
    line = next(ln for ln in text.splitlines() if "/zwgk/rsxx/" in ln and not ln.lstrip().startswith("#"))
    assert "人事信息" in line and "更新要求：1年" in line and "依据：栏目名称含“人事”" in line
    hub = next(ln for ln in text.splitlines() if ln.strip().startswith('"http') and ln.split('"')[1].endswith("/zwgk/"))
    assert "栏目导航页" in hub
    profile = load_profile(path)                                 # the draft still loads as written
    assert profile.column_types[next(u for u in profile.column_types if u.endswith("/zwgk/rsxx/"))] == "人事信息"

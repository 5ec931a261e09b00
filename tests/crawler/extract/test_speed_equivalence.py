"""The faster extraction gives exactly what the code before it gave (issue 15: parse_page ≤ 4 ms a page).

The oracle is the earlier code (tests/crawler/extract/reference_extract.py, and text._element_text_by_runs),
run beside the new on the real samples (../shared/reference/samples), on demo pages, on hand-written
edge cases and on generated text.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crawler.extract import identity, lists, text
from crawler.extract.page import parse_html
from tests.crawler.extract import reference_extract as reference
from tests.needs import missing, shared_dir


def _samples() -> list[str]:
    pages = sorted((shared_dir() / "reference" / "samples").glob("*.html"))
    if not pages:
        missing(f"no real sample pages under {shared_dir() / 'reference' / 'samples'}")
    return [p.read_text(encoding="utf-8") for p in pages]


@pytest.fixture(scope="module")
def demo_pages(tmp_path_factory) -> list[str]:
    from govaudit.demo.generator import build

    root = tmp_path_factory.mktemp("demo")
    build(root, seed=5, as_of=dt.date(2026, 11, 28), scale=0.1)
    return [p.read_text(encoding="utf-8", errors="replace") for p in sorted(root.rglob("*.htm*"))]


# Footers and text nodes that stress the identity searches: the fixed word early and the match late, the
# word with no match, whitespace of every kind between the parts, 网站 before 标识码, codes that run on.
TRICKY_IDENTITY = [
    "设备采购 准备 … 京ICP备12345678号 京公网安备11010502000001号 网站标识码1100000001",
    "京 \u3000ICP\n备 12345678 号-2 晋\xa0公网安备 14010502050691 号",
    "ICP备12345678号（缺省份） 浙 icp 备 87654321 号 浙\x1c公网安备33010602009328",
    "网站标识码：11000000011 标识码 bm01000001 网站标识码 1400000045",
    "备 备 备 公网安备 公网安备12345678901234 沪公网安备12345678901234号",
    "<b>标识码</b><i>1304000009</i> 冀<span>ICP</span>备<span>05029117</span>号-1",
    "闽ICP备\u200b12345678号 苏ＩＣＰ备12345678号 ıcp 粤İCP备12345678号 桂ICP备12345678号",
    "<script>var a='京ICP备1号';</script><?php echo 1 ?>tail 琼公网安备46010602000001号<!-- 标识码1234567890 -->",
    "a&#1;b 京ICP备11111111号 &#x5907;",
]


def _identity_pages(extra: list[str]) -> list[str]:
    attrs = ('<a href="https://zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code=1400000045&url=x">找错</a>'
             '<script src="//ZFWZGL.WWW.GOV.CN/exposure/JIUCUO.JS" sitecode="1400000045"></script>'
             '<a href="http://bszs.CONAC.cn/x" src="a\nconac.cn"><img src="/conac.cn.png"></a>')
    pages = [f"<html><body><div>{t}</div></body></html>" for t in TRICKY_IDENTITY]
    pages += [f"<html><body>{t}{attrs}</body></html>" for t in TRICKY_IDENTITY[:3]]
    return pages + extra


def _same_identity(htmls: list[str]) -> int:
    checked = 0
    for html in htmls:
        doc = parse_html(html)
        if doc is None:
            continue
        meta = {"SiteIDCode": "1400000045"}
        assert identity._text(doc) == reference.identity_text(doc)
        assert identity.extract_identity(doc, meta) == reference.extract_identity(doc, meta), html[:200]
        checked += 1
    return checked


def test_identity_same_on_real_pages():
    assert _same_identity(_identity_pages(_samples())) >= 20


def test_identity_same_on_demo_pages(demo_pages):
    assert _same_identity(_identity_pages(demo_pages)) > 50


_PIECES = ["京", "晋", "滇", "ICP", "icp", "İCP", "备", "公网安备", "号", "-", "－", "1", "12345678", "14010502050691",
           "标识码", "网站", "：", "bm", "BM", "1400000045", "5", " ", "\u3000", "\n", "\xa0", "\x1c", "\u200b", "x", "设"]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_PIECES), max_size=40))
def test_identity_searches_same_on_generated_text(pieces):
    """The searches started at the fixed word find what a search of the whole text finds."""
    s = "".join(pieces)
    old_site = identity.SITE_ID_CODE.search(s)
    new_site = identity._SITE_ID_TAIL.search(s)
    assert (old_site and old_site.group(1)) == (new_site and new_site.group(1))
    for pattern, word, middle in ((identity.ICP, "备", "ICP"), (identity.POLICE, "公网安备", "")):
        old = pattern.search(s)
        new = identity._search_before_word(pattern, s, word, middle)
        assert (old and (old.span(), old.groups())) == (new and (new.span(), new.groups()))


def _entries(groups) -> list[list[tuple]]:
    return [[(e.url, e.title, e.date) for e in group] for group in groups]


TRICKY_LISTS = [
    '<ul><li><a href="/a1.html">第一篇文章</a><span>2024-01-05</span></li>'
    '<li><a href="/a2.html" title="第二篇">第二</a> 01-06</li><li><a href="/a3.html">第三篇</a>二〇二四年一月七日</li></ul>',
    '<table><tr><td><a href="/t/1.htm">通知一</a></td><td>2023年12月31日</td></tr>'
    '<tr><td><a href="/t/2.htm">通知二</a></td><td><b>2023</b>-12-30</td></tr></table>',
    '<div><p><a href="/x.pdf">附件2024-01-01</a></p><p><a href="javascript:void(0)">无效</a> 2024-01-01</p>'
    '<p><a href="/dup.html">重复</a>2024-01-02</p><p><a href="/dup.html">重复</a>2024-01-03</p></div>',
    '<dl><dd><a href="/n/1">１２月３日</a>１２月３日</dd><dd><a href="/n/2">无日期</a>栏目</dd></dl>',
]


def _same_entries(htmls: list[str], bases: list[str], years: list[int | None]) -> int:
    checked = 0
    for html in htmls:
        doc = parse_html(html)
        if doc is None:
            continue
        for base, year in itertools.product(bases, years):
            want = _entries(reference.entries_from(doc, base, year))
            assert _entries(lists._entries_from(doc, base, year)) == want, html[:200]
            checked += sum(map(len, want))
    return checked


def test_list_entries_same_on_real_and_tricky_pages():
    htmls = [f"<html><body>{t}</body></html>" for t in TRICKY_LISTS] + _samples()
    bases = ["http://www.example.gov.cn/col/2023/12/index.html", "http://www.example.gov.cn/col/list.html"]
    assert _same_entries(htmls, bases, [None, 2024]) > 50


def test_list_entries_same_on_demo_pages(demo_pages):
    assert _same_entries(demo_pages, ["http://127.0.0.1:8000/col/col1/index.html"], [None, 2025]) > 200


def _element_texts(doc, monkeypatch) -> int:
    """element_text against the run-by-run assembly with the old tidy, on every block of a page, each option."""
    checked = 0
    for el in doc.iter("body", "div", "td", "table", "ul", "p", "ucapcontent"):
        for chrome, link_lists in itertools.product((False, True), repeat=2):
            new = text.element_text(el, skip_chrome=chrome, skip_link_lists=link_lists)
            with monkeypatch.context() as patch:
                patch.setattr(text, "tidy", reference.tidy)
                old = text._element_text_by_runs(el, chrome, link_lists)
            assert new == old
            checked += 1
    return checked


TRICKY_TEXT = [
    "<p>a&#1;b&#2;c</p><table><tr><td>x&#x01;</td><td>\ty\n z</td></tr></table>",
    "<div>  行一\n\n行  二 <br> 行\u3000三\xa0\xa0<span> \u200b 尾 </span></div><p>\x1c分隔\x1d</p>",
    "<table><tr><th> 标题 </th><td></td><td>\t</td></tr><tr><td>p.MsoNormal{margin:0}</td></tr></table>",
    '<div class="nav"><ul><li><a href="/1">一</a></li><li><a href="/2">二</a></li><li><a href="/3">三</a></li></ul>'
    '</div><div id="simpread">噪声</div><p>正文&#2;&#1;</p><script>var a=1;</script><o:p>word</o:p>',
]


def test_element_text_same_on_tricky_markup(monkeypatch):
    assert sum(_element_texts(parse_html(f"<html><body>{t}</body></html>"), monkeypatch)
               for t in TRICKY_TEXT) >= 40


def test_element_text_same_on_real_pages(monkeypatch):
    assert sum(_element_texts(parse_html(html), monkeypatch) for html in _samples()) > 1000


def test_element_text_same_on_demo_pages(demo_pages, monkeypatch):
    assert sum(_element_texts(parse_html(html), monkeypatch) for html in demo_pages[::5]) > 1000


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(["a", "正文", " ", "  ", "\t", "\n", "\r", "\u3000", "\xa0", "\u200b", "\ufeff",
                                 "\x0b", "\x0c", "\u2002", "\u2009", "\x1c", "p.x{margin:0}", "font-family:宋体;"]),
                max_size=30))
def test_tidy_same_on_generated_text(pieces):
    s = "".join(pieces)
    assert text.tidy(s) == reference.tidy(s)


def test_marks_in_text_nodes_fall_back_to_runs():
    """A &#1; or &#2; in the page is kept as the character it is, not taken for a break."""
    doc = parse_html("<html><body><p>甲&#1;乙</p><p>丙&#2;丁</p></body></html>")
    assert text.element_text(doc.find("body")) == "甲\x01乙\n丙\x02丁"
    assert re.fullmatch(r"[^\t]*", text.element_text(doc.find("body")))


def _every_page(demo_pages: list[str]) -> list[str]:
    return _samples() + demo_pages[::3] + [f"<html><body>{t}</body></html>" for t in TRICKY_TEXT + TRICKY_LISTS]


def test_text_of_same_as_the_serialiser(demo_pages):
    """The no-child shortcut gives what libxml2's text serialiser gives, on every node of every page."""
    checked = 0
    for html in _every_page(demo_pages):
        for el in parse_html(html).iter():
            assert text.text_of(el) == reference.text_of(el)
            checked += 1
    assert checked > 20_000


def test_friend_block_distances_same_as_the_walk(demo_pages):
    from crawler.extract.navigation import _FriendBlocks, _in_friend_block

    near = 0
    pages = _every_page(demo_pages) + ['<html><body><div class="yqlj"><ul><li><p><span><b><i><a href="/x">深</a>'
                                       '</i></b></span></p></li></ul></div><div id="friend"><a href="/y">浅</a></div>'
                                       '</body></html>']
    for html in pages:
        doc = parse_html(html)
        friends = _FriendBlocks()
        for el in doc.iter():                     # every element, asked in document order, as menus ask
            want = reference.in_friend_block(el)
            assert _in_friend_block(el, friends) == want
            assert _in_friend_block(el) == want
            near += want
        for el in reversed(list(doc.iter())):     # and from the leaves up, on a fresh memo
            assert _FriendBlocks().near(el) == reference.in_friend_block(el)
    assert near > 100


def test_ident_patterns_remember_exactly():
    from crawler.extract.navigation import _NAV_ID

    remembered = text.RememberedSearch(_NAV_ID, max_remembered=5)     # forgetting must not change a verdict either
    idents = [" nav", "menu ", "x", " Nav_1", "navigation", "topnav main", " ", "sub-menu", "dh", "column2", "columns"]
    for ident in idents * 3:
        assert remembered.search(ident) is (_NAV_ID.search(ident) is not None)
    assert len(remembered.verdicts) <= 5


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=0x3100), max_size=40))
def test_control_character_test_same_as_the_regex(s):
    from crawler.extract.page import _CONTROL, _has_control

    assert _has_control(s) is (_CONTROL.search(s) is not None)
    assert _has_control(s + "\ud800") is (_CONTROL.search(s) is not None)          # a lone surrogate is no control


def test_links_same_as_asking_same_site_per_link(demo_pages):
    from crawler.extract.page import parse_page

    checked = 0
    hosts_by_page = [({"www.example.gov.cn"}, "http://www.example.gov.cn/a/b.html"),
                     ({"127.0.0.1:8000", "www.qhx-demo.gov.cn"}, "http://127.0.0.1:8000/col/index.html")]
    for html in _every_page(demo_pages):
        for hosts, url in hosts_by_page:
            page = parse_page(html, url, site_hosts=hosts)
            seen = {page.url, *(a.url for a in page.attachments)}
            want = reference.page_links(parse_html(html), url, hosts, seen)
            assert [(lk.url, lk.text) for lk in page.links] == want
            checked += len(want)
    assert checked > 1000


TRICKY_ATTACHMENTS = [
    '<a href="/f/a.pdf">通知<b>附件</b></a><a href="/x.html">否</a><span onclick="window.open(\'/f/b.xls\')">表</span>'
    '<iframe src="/f/c.pdf" title="预览"></iframe><embed src="/f/d.doc"><frame src="/f/e.docx"><object data="/f/f.wps">'
    '</object><iframe href="/f/g.pdf" src="/f/h.pdf"></iframe><a href="/viewer.html?file=/f/i.pdf">看</a>'
    '<button onclick="downloadFile(\'/f/j.zip\')">下载</button><object href="/f/k.rar" data="/f/l.ofd"></object>'
    '<div onclick="location.href=\'/f/m.et\'" href="/n.html">点</div><IFRAME SRC="/f/o.pdf"></IFRAME>',
]


def test_attachments_same_as_before(demo_pages):
    from crawler.extract.page import find_attachments

    checked = 0
    pages = _every_page(demo_pages) + [f"<html><body>{t}</body></html>" for t in TRICKY_ATTACHMENTS]
    for html in pages:
        doc = parse_html(html)
        want = reference.find_attachments(doc, "http://www.example.gov.cn/a/b/")
        assert find_attachments(doc, "http://www.example.gov.cn/a/b/") == want
        checked += len(want)
    assert checked >= 15


def test_pager_links_same_as_before(demo_pages):
    from crawler.extract.pagination import _pager_links

    checked = 0
    pager = ('<div><a href="index_1.html">下一页</a><a href="index_9.html"> 尾页 </a><a href="index_2.html">2</a>'
             '<a href="javascript:go(3)">3</a><a>4</a><a href="#">&gt;</a><a href="index_3.html">12345</a></div>')
    for html in _every_page(demo_pages) + [f"<html><body>{pager}</body></html>"]:
        doc = parse_html(html)
        for url in ("http://www.example.gov.cn/col/index.html", "http://127.0.0.1:8000/col/col1/index_2.html"):
            want = reference.pager_links(doc, url)
            assert _pager_links(doc, url) == want
            checked += sum(map(len, want))
    assert checked >= 12


def test_menu_links_same_without_the_memos(demo_pages, monkeypatch):
    """find_nav_links with its per-host and per-text memos gives what the plain regexes and same_site give."""
    from crawler.extract import navigation

    class Plain:
        def __init__(self, pattern):
            self.pattern = pattern

        def search(self, s):
            return self.pattern.search(s) is not None

    def _links(pages, sitemap):
        return [[(lk.url, lk.text) for lk in navigation.find_nav_links(parse_html(html), base, hosts, sitemap=sitemap)]
                for html in pages for base, hosts in (("http://www.example.gov.cn/", None),
                                                      ("http://127.0.0.1:8000/", {"127.0.0.1:8000"}))]

    pages = _every_page(demo_pages)
    fast = _links(pages, False) + _links(pages[:20], True)
    good = navigation._good_nav_link
    with monkeypatch.context() as patch:
        patch.setattr(navigation, "_good_nav_link", lambda a, base, hosts, on_site=None: good(a, base, hosts))
        patch.setattr(navigation, "_EXCLUDED_TEXT", Plain(navigation._EXCLUDE_TEXT))
        patch.setattr(navigation, "_EXCLUDED_URL", Plain(navigation._EXCLUDE_URL))
        plain = _links(pages, False) + _links(pages[:20], True)
    assert fast == plain
    assert sum(map(len, fast)) > 1000


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="０１２３４５６７８９－／．：0123456789-/.: \u3000\xa0年月日号ａ", max_size=40))
def test_date_normalising_same_as_translate(s):
    from crawler.extract import dates

    assert dates._normalise(s) == s.translate(dates._FULLWIDTH).replace("\u3000", " ").replace("\xa0", " ")


def _is_subsequence(short: list[str], long: list[str]) -> bool:
    rest = iter(long)
    return all(line in rest for line in short)


def test_text_without_link_lists_is_lines_of_the_whole_text(demo_pages):
    """The lemma find_content_and_text rests on: leaving link lists out only ever leaves lines out."""
    checked = 0
    menus = ('<div id="zoom"><p>正文</p><ul><li><a href="/1">一</a></li><li><a href="/2">二</a></li><li><a href="/3">三'
             '</a></li></ul>尾<table><tr><td>格<table><tr><td><a href="/4">四</a><a href="/5">五</a><a href="/6">六</a>'
             '</td></tr></table>后</td><td>p.x{margin:0}</td></tr></table></div>')
    for html in _every_page(demo_pages) + [f"<html><body>{menus}</body></html>"]:
        for el in parse_html(html).iter("body", "div", "td", "table", "ucapcontent"):
            without, whole = text.element_text(el, skip_link_lists=True), text.element_text(el)
            assert _is_subsequence(without.split("\n") if without else [], whole.split("\n"))
            assert len(without) <= len(whole)
            checked += 1
    assert checked > 2000


def test_content_same_as_before(demo_pages):
    checked = 0
    # the first container is nothing but a link list: only its whole text (23 characters) makes it the body
    tiny = ('<div class="TRS_Editor"><ul><li><a href="/1">第一条链接</a></li><li><a href="/2">第二条链接</a></li><li>'
            '<a href="/3">第三条链接</a></li><li><a href="/4">第四条链接</a></li></ul></div><div id="zoom">短</div>'
            '<div id="content">足够长的正文内容在这里</div>')
    for html in _every_page(demo_pages) + [f"<html><body>{tiny}</body></html>"]:
        doc = parse_html(html)
        for raw in (html, None):
            body, known = text.find_content_and_text(doc, raw)
            assert body is reference.find_content(doc, raw)
            if known is not None:
                assert known == text.element_text(body, skip_link_lists=True)
                checked += 1
    assert checked > 100

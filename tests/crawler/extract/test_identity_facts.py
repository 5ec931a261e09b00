"""Site-identity facts read from real saved pages (../shared/reference/samples) and from footers written here."""

from __future__ import annotations

import pytest

from crawler.extract.page import parse_page
from tests.needs import reference_file

REAL = {
    # sample: (标识码, ICP, 公安备案, 党政机关标识, 找错 site_code, SiteIDCode tag)
    "article_fgw_zj_gov_cn_hanweb_jcms_20161122.html":
        ("3300000020", "浙ICP备05018911号", "浙公网安备33010602009328号", True, "3300000020", None),
    "article_gov_cn_gongbao_2007.html": ("bm01000001", "京ICP备05070218号", "京公网安备11010202000001号", True, None, None),
    "article_shanxi_gov_cn_trs_20190918.html":
        ("1400000045", "晋ICP备12000773号", "晋公网安备14010502050691号", True, "1400000045", "1400000045"),
    "list_hdzfxxgk_hd_gov_cn_trs_jinqixxgk.html":
        ("1304000009", "冀ICP备05029117号-1", "冀公网安备13042002000523号", True, "1304000009", "1304000009"),
    "article_cmse_gov_cn_trs_20210106.html": (None, "京ICP备20027467号-1", None, False, None, None),
}


@pytest.mark.parametrize("name", sorted(REAL))
def test_real_footers(name):
    html = reference_file("samples", name).read_bytes()
    facts = parse_page(html, "http://www.example.gov.cn/x.html").identity
    code, icp, police, conac, jiucuo, meta = REAL[name]
    assert (facts.get("site_id_code"), facts.get("icp"), facts.get("police"), facts["conac"],
            facts.get("jiucuo_site_code"), facts.get("meta_site_id_code")) == (code, icp, police, conac, jiucuo, meta)


@pytest.mark.parametrize("footer, expected", [
    ("网站标识码：5309990001　滇ICP备20269901号-1　滇公网安备53099902000123号", ("5309990001", "滇ICP备20269901号-1",
                                                                              "滇公网安备53099902000123号")),
    ("标识码 <span>5201000012</span> 黔ICP备 1234567 号 黔公网安备 52010202000123 号", ("5201000012", "黔ICP备1234567号",
                                                                                   "黔公网安备52010202000123号")),
    ("网站标识码：53099900011（11位不是标识码） ICP备20269901号（缺省份简称）", (None, None, None)),
    ("", (None, None, None)),
])
def test_written_footers(footer, expected):
    html = f"<html><head><title>t</title></head><body><div class='footer'>{footer}</div></body></html>"
    facts = parse_page(html, "http://www.example.gov.cn/").identity
    assert (facts.get("site_id_code"), facts.get("icp"), facts.get("police")) == expected


def test_conac_script_and_jiucuo_script_sitecode():
    html = ("<html><body><span id='_ideConac'></span><script src='https://dcs.conac.cn/js/33/000/0000/60000000/"
            "CA330000000600000000.js'></script><script id='_jiucuo_' sitecode='3300000020' "
            "src='https://zfwzgl.www.gov.cn/exposure/jiucuo.js'></script></body></html>")
    facts = parse_page(html, "http://www.example.gov.cn/").identity
    assert facts["conac"] is True and facts["jiucuo"] is True and facts["jiucuo_site_code"] == "3300000020"


def test_broken_html_never_raises():
    for html in (b"\x00\xff\xfe", "<html><body><p>网站标识码：", "<" * 10000):
        page = parse_page(html, "http://www.example.gov.cn/")
        assert page.error is None and (page.identity is None or isinstance(page.identity, dict))


UNVERIFIED_KEYS = ("police_unverified", "conac_unverified", "jiucuo_placeholder")


@pytest.mark.parametrize("name", ["list_pingtan_gov_cn_fujian_trs_jiyue_zfxxgknb.html",
                                  "xxgk_detail_pingtan_gov_cn_gfxwj_suoyinhao_20161026.html"])
def test_real_footer_shown_but_not_verifiable(name):
    # 平潭: "公安备案号：35012899001-19002" (not 闽公网安备 + 14 digits), the conac embed's image linked through a
    # rewritten host, and the 找错 container jiucuo.js would fill with no such script in the page.
    facts = parse_page(reference_file("samples", name).read_bytes(), "http://www.example.gov.cn/x.html").identity
    assert facts.get("police") is None and facts["conac"] is False and facts["jiucuo"] is False
    assert facts["police_unverified"] == "公安备案号：35012899001-19002"
    assert "ipv6best.cn/sitename" in facts["conac_unverified"] and facts["jiucuo_placeholder"] is True


@pytest.mark.parametrize("name", sorted(REAL))
def test_verified_or_absent_footers_carry_no_hint(name):
    facts = parse_page(reference_file("samples", name).read_bytes(), "http://www.example.gov.cn/x.html").identity
    assert not set(UNVERIFIED_KEYS) & set(facts)


@pytest.mark.parametrize("footer, hints", [
    # an old template that lost its numbers keeps a bare 备案 link with an empty image: nothing is shown
    ('<a href="http://www.beian.gov.cn/portal/registerSystemInfo?recordcode=53099902000123"><img src="/ga.png" alt=""></a>',
     {}),
    ("主办：县公安局　公安部监制", {}),
    ("滇公网安备 53099902000123号", {}),
    ("公安机关备案号：5309990200012", {"police_unverified": "公安机关备案号：5309990200012"}),
    ('<span id="_ideConac"><a href="http://bszs.example.org/x"><img src="/red.png"></a></span>',
     {"conac_unverified": "http://bszs.example.org/x"}),
    ('<img src="/red.png" alt="党政机关">', {"conac_unverified": ""}),
    ('<a href="https://bszs.conac.cn/sitename?id=1"><img alt="党政机关"></a><span id="_span_jiucuo"></span>'
     '<script id="_jiucuo_" sitecode="5309990001" src="https://zfwzgl.www.gov.cn/exposure/jiucuo.js"></script>', {}),
    ('<span id="_span_jiucuo" title="政府网站找错"></span>', {"jiucuo_placeholder": True}),
])
def test_written_unverifiable_marks(footer, hints):
    html = f"<html><head><title>t</title></head><body><div class='footer'>{footer}</div></body></html>"
    facts = parse_page(html, "http://www.example.gov.cn/").identity
    assert {k: facts[k] for k in UNVERIFIED_KEYS if k in facts} == hints


def test_real_jcms_footer_hides_its_jiucuo_entry():
    # 浙江发改委 (Hanweb JCMS): the entry links http://121.43.68.40/exposure/jiucuo.html?site_code=… with display:none
    html = reference_file("samples", "article_fgw_zj_gov_cn_hanweb_jcms_20161122.html").read_bytes()
    facts = parse_page(html, "http://www.example.gov.cn/x.html").identity
    assert (facts["jiucuo"], facts["jiucuo_site_code"], facts["jiucuo_hidden"]) == (True, "3300000020", "display:none")


_JCMS_JIUCUO = ('<a style="display:none;" href="http://121.43.68.40/exposure/jiucuo.html?site_code=3343000043&amp;'
                'url=http%3A%2F%2Fwww.example.gov.cn%2F" target="_blank"><img style="display:none;" src="/p/1901.png"></a>')


@pytest.mark.parametrize("footer, expected", [
    # a JCMS footer's entry: the platform's path on its address, hidden inline (what the zj-hanweb skin serves)
    (_JCMS_JIUCUO, (True, "3343000043", "display:none")),
    (_JCMS_JIUCUO.replace('style="display:none;" ', ""), (True, "3343000043", None)),
    (f'<div style="visibility:hidden">{_JCMS_JIUCUO.replace(chr(32) + "style=" + chr(34) + "display:none;" + chr(34), "")}</div>',
     (True, "3343000043", "visibility:hidden")),
    # a visible entry beside the hidden one, or the platform's own script: nothing hidden
    (_JCMS_JIUCUO + '<a href="https://zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code=3343000043">'
                    '<img src="/jiucuo.png" alt="找错"></a>', (True, "3343000043", None)),
    (_JCMS_JIUCUO + "<script id='_jiucuo_' sitecode='3343000043' src='https://zfwzgl.www.gov.cn/exposure/jiucuo.js'>"
                    "</script>", (True, "3343000043", None)),
    (_JCMS_JIUCUO + "<p>我为政府网站找错</p>", (True, "3343000043", None)),
])
def test_jiucuo_entry_by_path_and_hidden(footer, expected):
    html = f"<html><head><title>t</title></head><body><div class='footer'>{footer}</div></body></html>"
    facts = parse_page(html, "http://www.example.gov.cn/").identity
    assert (facts["jiucuo"], facts.get("jiucuo_site_code"), facts.get("jiucuo_hidden")) == expected


@pytest.mark.parametrize("name", sorted(REAL) + ["list_pingtan_gov_cn_fujian_trs_jiyue_zfxxgknb.html"])
def test_a_page_cut_off_mid_transfer_is_marked(name):
    # the gbk-table foreign skin serves one page cut at 55 %: its footer never arrives
    raw = reference_file("samples", name).read_bytes()
    assert "cut_off" not in parse_page(raw, "http://www.example.gov.cn/x.html").identity
    cut = parse_page(raw[: int(len(raw) * 0.55)], "http://www.example.gov.cn/x.html").identity
    assert cut["cut_off"] is True and cut.get("site_id_code") is None

"""服务不实用 (SRV001, SRV002): the entry and guide checks on real portal skins, crawled on 127.0.0.1, and on bad input.

The real skin is the 平潭 home page of the Fujian 集约化 platform (shared/reference/samples), whose menu carries
办事服务 and a submenu of 福建网上办事大厅 (zwfw.fujian.gov.cn), 平潭行政服务中心 and 闽政通APP. Served as the home
page of a loopback portal it must raise no SRV001; the same page with every one of those anchors cut out
must raise a counted SRV001. The guides beside it are judged by SRV002.
"""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser

import pytest

from checks.engine import run_checks
from checks.finding import Finding
from checks.service import entry_words_in, is_platform_url, is_service_path, service_entries
from crawler.records import AttachmentRecord, ColumnRecord, LinkRecord, PageRecord, Snapshot, TextSegment
from crawler.store import Store
from reports.verdict import build_veto_verdict
from rules.loader import RuleSet, load_ruleset
from tests.needs import reference_file

PINGTAN_HOME = "list_pingtan_gov_cn_fujian_trs_jiyue_zfxxgknb.html"
SITE = "http://127.0.0.1:8/"
AS_OF = dt.date(2026, 11, 30)
SERVICE_HREF = re.compile(r"/bsfw/|zwfw|xzfwzx")


def _rules(*ids: str) -> RuleSet:
    preset = load_ruleset()
    return RuleSet({rule_id: preset.get(rule_id) for rule_id in ids})


def _check(snapshot: Snapshot, *ids: str) -> list[Finding]:
    result = run_checks(snapshot, _rules(*ids))
    assert not result.errors, [e.to_dict() for e in result.errors]
    return result.findings


# ------------------------------------------------------------------------------------ real samples
class _Anchors(HTMLParser):
    """(href, text) of every anchor of a page, the text including its title attribute."""

    def __init__(self) -> None:
        super().__init__()
        self.anchors: list[tuple[str, str]] = []
        self._open: list[list[str]] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "a":
            values = dict(attrs)
            self._open.append([values.get("href") or "", values.get("title") or ""])

    def handle_data(self, data: str) -> None:
        if self._open:
            self._open[-1][1] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._open:
            href, text = self._open.pop()
            self.anchors.append((href, " ".join(text.split())))


SAMPLES_WITH_ENTRIES = ("list_pingtan_gov_cn_fujian_trs_jiyue_zfxxgknb.html",
                        "article_fgw_zj_gov_cn_hanweb_jcms_20161122.html",
                        "list_hdzfxxgk_hd_gov_cn_trs_jinqixxgk.html",
                        "article_shanxi_gov_cn_trs_20190918.html")


@pytest.mark.parametrize("sample", SAMPLES_WITH_ENTRIES)
def test_every_service_anchor_of_the_real_samples_is_recognised_by_its_address(sample):
    """The crawl keeps an off-site link by address only: each anchor the real pages label as an entry (福建网上
    办事大厅, 浙江政务服务网, 网上政务服务平台, 个人办事 …) must be recognised from its href alone. (Broader names
    such as 行政审批 also name bodies: 山西 links 省行政审批服务管理局's own site, which is no entry.)"""
    parser = _Anchors()
    parser.feed(reference_file("samples", sample).read_text(encoding="utf-8"))
    labelled = [(href, text) for href, text in parser.anchors
                if href.startswith("http") and entry_words_in(text, "home_text_names")]
    assert labelled, f"{sample}: no service anchor found (the sample changed?)"
    missed = [(href, text) for href, text in labelled if not (is_platform_url(href) or is_service_path(href))]
    assert missed == []


def test_hosts_that_only_look_like_a_platform_are_not_one():
    assert is_platform_url("https://zwfw.fujian.gov.cn/indexMain?type=1")
    assert is_platform_url("http://zwfw-fujian-gov-cnx7a72968723868.ipv6best.cn/")   # IPv6 gateway rewrite
    assert not is_platform_url("http://zwfw.fujian.gov.cn.example.com/")               # a lookalike domain
    assert not is_platform_url("http://www.zwfw.com/")                                   # not a government host
    assert not is_platform_url("http://[::1")                                            # does not parse
    assert not is_platform_url("javascript:void(0)") and not is_service_path("mailto:x@example.gov.cn")
    assert entry_words_in("政务服务便民热线：12345") == []
    assert entry_words_in("首页 | 政务公开 | 办事服务") == ["办事服务"]


# ------------------------------------------------------------------------------------ crawled on loopback
def _home(strip_service: bool) -> str:
    """The real 平潭 page as the home page of a loopback portal (its own links made site-relative)."""
    html = reference_file("samples", PINGTAN_HOME).read_text(encoding="utf-8")
    html = html.replace("https://www.pingtan.gov.cn/", "/")
    if strip_service:
        html = re.sub(r'<a\s[^>]*href="[^"]*(?:/bsfw/|zwfw|xzfwzx)[^"]*"[^>]*>.*?</a>', "", html, flags=re.S)
        assert not SERVICE_HREF.search(html) and "办事" not in html
    return html


def _guide_page(title: str, lines: list[str]) -> str:
    body = "".join(f"<p>{line}</p>" for line in lines)
    return ('<!DOCTYPE html><html><head><meta charset="utf-8">'
            f'<meta name="ArticleTitle" content="{title}"><meta name="PubDate" content="2023-01-12 09:00">'
            f"<title>{title}_平潭综合实验区</title></head><body>"
            '<div class="breadcrumb">当前位置：<a href="/index.html">首页</a> &gt; <a href="/bsfw/">办事服务</a></div>'
            f'<div class="article"><h1>{title}</h1><div class="info">发布时间：2023-01-12　来源：行政审批局</div>'
            f'<div class="TRS_Editor">{body}</div></div></body></html>')


def _portal(strip_service: bool) -> dict[str, tuple[bytes, str]]:
    html = "text/html; charset=utf-8"
    files = {"/index.html": (_home(strip_service).encode("utf-8"), html)}
    if strip_service:
        return files
    guides = [
        ("/bsfw/bszn/202301/t20230112_101.htm", "个体工商户设立登记办事指南",
         ["事项名称：个体工商户设立登记", "设定依据：《促进个体经济发展条例》第八条",
          "受理条件：有经营能力的公民", "申请材料：个体工商户登记（备案）申请书；经营者身份证明",
          "办理时限：即时办结", "收费标准：不收费"]),
        ("/bsfw/bszn/202301/t20230112_102.htm", "城乡居民养老保险参保登记办事指南",
         ["事项名称：城乡居民养老保险参保登记", "申请条件：年满16周岁（不含在校学生）的城乡居民",
          "办理材料：居民身份证或户口簿", "办理时限：即时办结", "收费标准：不收费"]),
    ]
    items = "".join(f'<li><a href="{url}" title="{title}">{title}</a><span>2023-01-12</span></li>'
                    for url, title, _ in guides)
    listing = ('<!DOCTYPE html><html><head><meta charset="utf-8"><title>办事服务_平潭综合实验区</title></head><body>'
               '<div class="breadcrumb">当前位置：<a href="/index.html">首页</a> &gt; <a href="/bsfw/">办事服务</a></div>'
               f'<div class="list"><ul>{items}</ul></div></body></html>')
    files["/bsfw/"] = (listing.encode("utf-8"), html)
    for url, title, lines in guides:
        files[url] = (_guide_page(title, lines).encode("utf-8"), html)
    return files


def _crawl(tmp_path, strip_service: bool) -> Snapshot:
    from tests.crawler.test_spider_site import SiteServer, run_crawl_subprocess

    db = tmp_path / "store.sqlite"
    with SiteServer(_portal(strip_service)) as server:
        proc = run_crawl_subprocess(server.url + "/", db, "--max-pages", "120")
    assert proc.returncode == 0, proc.stderr[-3000:]
    with Store(db) as store:
        return store.load_snapshot(store.latest_run().id)


@pytest.mark.slow
def test_real_fujian_skin_with_its_service_menu_raises_no_entry_finding(tmp_path):
    snapshot = _crawl(tmp_path, strip_service=False)
    entries = service_entries(snapshot)
    assert any(e.on_home and "zwfw.fujian.gov.cn" in e.what for e in entries), entries
    assert any(e.on_home and e.url.endswith("/bsfw/") and e.problem is None for e in entries), entries
    findings = _check(snapshot, "SRV001", "SRV002")
    assert [f.rule for f in findings] == ["SRV002"], [f.message for f in findings]
    guide = findings[0]
    assert guide.url.endswith("/bsfw/bszn/202301/t20230112_102.htm") and guide.needs_review
    assert guide.observed["missing"] == ["设定依据"]


@pytest.mark.slow
def test_same_skin_with_every_service_anchor_cut_out_is_a_counted_veto(tmp_path):
    snapshot = _crawl(tmp_path, strip_service=True)
    findings = _check(snapshot, "SRV001", "SRV002")
    assert len(findings) == 1, [f.message for f in findings]
    finding = findings[0]
    assert finding.rule == "SRV001" and not finding.needs_review and finding.severity == "veto"
    assert finding.observed["home_links"] >= 10 and "未见办事服务栏目" in finding.evidence
    verdict = {i.name: i for i in build_veto_verdict(snapshot, findings).items}
    assert verdict["服务不实用"].status == "failed"


# ------------------------------------------------------------------------------------ bad input
def _snapshot(**parts) -> Snapshot:
    return Snapshot("某县人民政府", SITE, AS_OF, run_id=1, **parts)


def test_no_home_page_or_a_failed_one_is_not_judged():
    assert _check(_snapshot(), "SRV001", "SRV002") == []
    failed = _snapshot(pages_=[PageRecord(url=SITE, kind="home", status=502, title="502 Bad Gateway")],
                       links_=[LinkRecord(SITE, f"{SITE}zwgk/{i}/", 200) for i in range(20)])
    assert _check(failed, "SRV001") == []


def test_garbled_records_do_not_break_the_checks():
    """Titles and texts the store may hand back empty, links that do not parse, a column with no name."""
    home = PageRecord(url=SITE, kind="home", title="", text="")
    pages = [home, PageRecord(url=f"{SITE}a.htm", kind="article", title="", text="\x00\ufffd" * 30),
             PageRecord(url=f"{SITE}b.htm", kind="other", title="办事指南", text="")]
    links = [LinkRecord(SITE, "http://[::1", None, "invalid-url", "external"),
             LinkRecord(SITE, "", None, None, "page")]
    links += [LinkRecord(SITE, f"{SITE}zwgk/{i}/", 200) for i in range(12)]
    snapshot = _snapshot(pages_=pages, links_=links, columns_=[ColumnRecord(url=f"{SITE}x/", name="")])
    findings = _check(snapshot, "SRV001", "SRV002")
    assert [(f.rule, f.needs_review) for f in findings] == [("SRV001", False)]


def test_guide_in_a_scanned_attachment_is_not_judged_and_a_read_one_is():
    page = PageRecord(url=f"{SITE}bsfw/t1.htm", kind="article", title="道路运输经营许可办事指南",
                      text="办事指南详见附件，请下载查阅。附件：道路运输经营许可办事指南（扫描件）.pdf")
    scanned = AttachmentRecord(url=f"{SITE}bsfw/1.pdf", page_url=page.url, status="needs_ocr")
    assert _check(_snapshot(pages_=[page], attachments_=[scanned]), "SRV002") == []
    read = AttachmentRecord(url=f"{SITE}bsfw/1.pdf", page_url=page.url, status="ok", segments=[
        TextSegment("p.1", "事项名称：道路运输经营许可　申请条件：有符合规定的车辆　设定依据：《道路运输条例》")])
    findings = _check(_snapshot(pages_=[page], attachments_=[read]), "SRV002")
    assert [f.observed["missing"] for f in findings] == [["办理材料"]] and findings[0].needs_review


def test_verdict_counts_the_entry_and_leaves_guides_to_review():
    snapshot = _snapshot(pages_=[PageRecord(url=SITE, kind="home", title="首页")])

    def finding(rule: str, kind: str, review: bool) -> Finding:
        return Finding(id=f"f-{rule}", rule=rule, kind=kind, severity="veto", title=rule, confidence=0.9,
                       column=None, url=SITE, message=rule, remediation="整改", basis="19号", needs_review=review)

    items = {i.name: i for i in build_veto_verdict(snapshot, [finding("SRV002", "service_guide", True)]).items}
    assert items["服务不实用"].status == "pending" and "须人工核查" in items["服务不实用"].reason
    items = {i.name: i for i in build_veto_verdict(snapshot, [finding("SRV001", "service_entry", False)]).items}
    assert items["服务不实用"].status == "failed"
    clean = {i.name: i for i in build_veto_verdict(snapshot, []).items}["服务不实用"]
    assert clean.status == "passed" and "办理材料以外的要素" in clean.reason

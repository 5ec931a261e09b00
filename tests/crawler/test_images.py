"""Broken images (LNK006 home page, LNK007 other pages): what counts as a page's image, the verdict on one
answer, and a real `govaudit audit` process against a 127.0.0.1 portal whose images fail in the ways real
county servers fail them (404, a 200 HTML error page, HEAD refused, 503), with masked evidence throughout."""

from __future__ import annotations

import json
import random
import subprocess
import sys
import threading
from collections import Counter
from pathlib import Path

import pytest

from checks.privacy import synthetic
from crawler.images import IMAGE_KIND, MAX_SOURCES, NOT_IMAGE, ImageChecks, page_images, verdict
from crawler.records import LinkRecord
from tests.loopback import LoopbackServer, Request, Response
from tests.needs import reference_file

REPO = Path(__file__).resolve().parents[2]
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
       b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01" + bytes(range(256)) * 8
ERROR_PAGE = "<!DOCTYPE html><html><head><title>页面不存在</title></head><body>您访问的页面不存在！</body></html>"


# ---------------------------------------------------------------------------------------- page_images
def test_real_trs_article_images_use_src_never_oldsrc():
    """The TRS article keeps the upload's file name in OLDSRC: only `src` (./W0….jpg, relative) is an address."""
    html = reference_file("samples", "article_cmse_gov_cn_trs_20210106.html").read_text(encoding="utf-8")
    url = "http://www.cmse.gov.cn/xwzx/202101/t20210106_47497.html"
    images = page_images(html, url)
    photos = [u for u in images if "/xwzx/202101/W0" in u]
    assert len(photos) == 8 and all(u.endswith(".jpg") for u in photos)
    assert "http://www.cmse.gov.cn/images/indexImg1400_20200220_03.png" in images
    assert not any(u.startswith("http://www.cmse.gov.cn/W0") for u in images)      # OLDSRC resolved at the root


def test_lazy_loading_input_image_base_and_what_is_not_displayed():
    html = """<html><head><base href="http://www.qh.gov.cn/zwgk/"><style>.x{background:url(/bg.png)}</style></head><body>
    <img src="/images/loading.gif" data-original="upload/2024/a.jpg" alt="">
    <IMG SRC='pic/b.png?w=1&amp;h=2'>
    <img lay-src="/layui/c.jpg" src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
    <img src="data:image/png;base64,iVBORw0KGgo=">
    <img src="/images/spacer.gif"><img src="/count/hit.png" width="1" height="1">
    <img src="https://hm.baidu.com/hm.gif?si=abc"><img src="{{item.pic}}"><img src="">
    <!-- <img src="/old/removed.jpg"> -->
    <script>document.write('<img src="/js/written.jpg">');</script>
    <textarea><img src="/typed.jpg"></textarea>
    <input type="image" src="/images/search_btn.png"><input type="text" src="/not-an-image.png">
    <img src="upload/2024/a.jpg"><img src="http://img.cdn.example.com/x.jpg">
    </body></html>"""
    assert page_images(html, "http://www.qh.gov.cn/zwgk/index.html") == [
        "http://www.qh.gov.cn/zwgk/upload/2024/a.jpg",
        "http://www.qh.gov.cn/zwgk/pic/b.png?h=2&w=1",
        "http://www.qh.gov.cn/layui/c.jpg",
        "http://www.qh.gov.cn/images/search_btn.png",
        "http://img.cdn.example.com/x.jpg",
    ]


def test_pages_without_images_and_broken_markup():
    assert page_images("", "http://a.gov.cn/") == []
    assert page_images("<p>纯文字页面</p>", "http://a.gov.cn/") == []
    assert page_images("<img src=/a.png alt=x><img src=\"/b.png", "http://a.gov.cn/x/") == ["http://a.gov.cn/a.png"]
    assert page_images("<img src='javascript:void(0)'><img src='#'>", "http://a.gov.cn/") == []


# ---------------------------------------------------------------------------------------- verdict
@pytest.mark.parametrize("status, ctype, body, expected", [
    (200, "image/png", None, (200, None)),                                     # HEAD of an image
    (200, "text/html", None, (200, f"{NOT_IMAGE}:text/html")),                 # HEAD of an error page
    (200, "application/octet-stream", None, (200, None)),                      # unknown type: not provable
    (206, "text/html", PNG, (206, None)),                                      # the bytes are an image
    (206, "image/jpeg", ERROR_PAGE.encode(), (206, f"{NOT_IMAGE}:image/jpeg")),  # markup under an image type
    (200, "", b"<svg xmlns='http://www.w3.org/2000/svg'></svg>", (200, None)),
    (200, "text/plain", b"File not found", (200, f"{NOT_IMAGE}:text/plain")),
    (200, "", b"\x00\x01garbage", (200, None)),
    (404, "text/html", ERROR_PAGE.encode(), (404, None)),
    (503, "text/html", None, (503, None)),
])
def test_verdict(status, ctype, body, expected):
    assert verdict(status, ctype, body) == expected


# ---------------------------------------------------------------------------------------- ImageChecks
def test_budget_confirmation_source_cap_and_offsite_images():
    checks = ImageChecks(lambda url: "//a.gov.cn/" in url, max_images=1)
    asked: list[tuple[str, str]] = []

    def request(url: str, **kwargs):
        asked.append((url, kwargs["method"]))
        return ("request", url, kwargs["method"], kwargs["headers"])

    html = '<img src="/1.png"><img src="/2.png"><img src="http://cdn.example.com/3.png">'
    out = list(checks.collect("http://a.gov.cn/", html, request))
    assert LinkRecord("http://a.gov.cn/", "http://a.gov.cn/1.png", None, None, IMAGE_KIND) in out
    assert LinkRecord("http://a.gov.cn/", "http://a.gov.cn/2.png", None, None, IMAGE_KIND) in out     # over budget
    assert LinkRecord("http://a.gov.cn/", "http://cdn.example.com/3.png", None, None, "external") in out
    assert asked == [("http://a.gov.cn/1.png", "HEAD")]
    assert checks.counts["images_unchecked"] == 1 and checks.counts["offsite_images"] == 1
    # HEAD says 404: confirmed by a ranged GET before any row says so.
    again = list(checks.answered("http://a.gov.cn/1.png", "HEAD", 404, "text/html", b"", request))
    assert again == [("request", "http://a.gov.cn/1.png", "GET",
                      {"Range": "bytes=0-2047", "Accept-Encoding": "identity"})]
    # Seen on more pages meanwhile: every page gets the outcome, and later pages get it at once.
    list(checks.record("http://a.gov.cn/x.html", "http://a.gov.cn/1.png", request))
    settled = list(checks.answered("http://a.gov.cn/1.png", "GET", 404, "text/html", b"<html>404</html>", request))
    assert {(r.source_url, r.status) for r in settled} == {("http://a.gov.cn/", 404), ("http://a.gov.cn/x.html", 404)}
    rows = [r for i in range(MAX_SOURCES + 5)
            for r in checks.record(f"http://a.gov.cn/p{i}.html", "http://a.gov.cn/1.png", request)]
    assert len(rows) == MAX_SOURCES - 2 and all(r.status == 404 for r in rows)     # 20 pages in all
    assert len(asked) == 2                                                          # never requested again


def test_head_refused_then_ranged_get_with_image_bytes_is_displayed():
    checks = ImageChecks(lambda url: True)
    made = []

    def request(url: str, **kwargs):
        made.append(kwargs["method"])
        return kwargs["method"]

    list(checks.record("http://a.gov.cn/", "http://a.gov.cn/ok.jpg", request))
    assert list(checks.answered("http://a.gov.cn/ok.jpg", "HEAD", 405, "", b"", request)) == ["GET"]
    rows = list(checks.answered("http://a.gov.cn/ok.jpg", "GET", 206, "text/html", JPEG[:2048], request))
    assert rows == [LinkRecord("http://a.gov.cn/", "http://a.gov.cn/ok.jpg", 200, None, IMAGE_KIND)]
    assert made == ["HEAD", "GET"]


# ---------------------------------------------------------------------------------------- a real audit
def _id_number() -> str:
    return synthetic.id18(random.Random(20240611))


def _page(title: str, body: str) -> str:
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title}</title>"
            "<meta name='SiteName' content='青禾县人民政府'></head><body>"
            "<div class='logo'><img src='/images/logo.png' alt='青禾县人民政府'></div>"
            "<div class='nav'><a href='/index.html'>首页</a> <a href='/gzdt/index.html'>工作动态</a></div>"
            f"{body}<div class='footer'>主办单位：青禾县人民政府办公室</div></body></html>")


def portal() -> tuple[dict[str, Response], str]:
    ident = _id_number()
    home = _page("青禾县人民政府", """
        <div class="banner"><img src="/images/zt/banner_gone.jpg" alt="专题"></div>
        <div class="zt"><img src="/images/zt/xxgc.jpg" alt="学习贯彻专题"></div>
        <div class="btn"><img src="/images/nohead.png" alt="政务服务"></div>
        <div class="ad"><img src="/images/busy.jpg" alt="便民"></div>
        <img src="/images/spacer.gif"><!-- <img src="/images/old_banner.jpg"> -->
        <img src="http://img.partner.example/qh.jpg" alt="友情链接">
        <div class="list"><ul>
        <li><a href="/gzdt/a1.html">县政府召开常务会议</a><span>2023-01-20</span></li>
        <li><a href="/gzdt/a2.html">全县春耕生产工作推进会召开</a><span>2023-01-18</span></li>
        <li><a href="/gzdt/a3.html">县领导检查安全生产工作</a><span>2023-01-16</span></li></ul></div>""")
    listing = _page("工作动态", """<div class="position">当前位置：<a href="/index.html">首页</a> &gt; <a href="/gzdt/index.html">工作动态</a></div>
        <ul class="list">
        <li><a href="/gzdt/a1.html">县政府召开常务会议</a><span>2023-01-20</span></li>
        <li><a href="/gzdt/a2.html">全县春耕生产工作推进会召开</a><span>2023-01-18</span></li>
        <li><a href="/gzdt/a3.html">县领导检查安全生产工作</a><span>2023-01-16</span></li></ul>""")

    def article(title: str, day: str, extra: str) -> str:
        return _page(title, f"""<div class="position">当前位置：<a href="/index.html">首页</a> &gt;
            <a href="/gzdt/index.html">工作动态</a></div><h1>{title}</h1><div class="info">发布时间：{day}</div>
            <div class="content"><p>{title}，会议研究部署了近期重点工作。</p>{extra}</div>""")

    routes = {
        "/index.html": Response(body=home.encode()),
        "/gzdt/index.html": Response(body=listing.encode()),
        "/gzdt/a1.html": Response(body=article("县政府召开常务会议", "2023-01-20",
                                               '<p><img src="/images/loading.gif" data-original="/upload/2023/photo_gone.jpg"></p>').encode()),
        "/gzdt/a2.html": Response(body=article("全县春耕生产工作推进会召开", "2023-01-18",
                                               f'<p><img src="/upload/show.jsp?sfzh={ident}"></p>').encode()),
        "/gzdt/a3.html": Response(body=article("县领导检查安全生产工作", "2023-01-16",
                                               '<p><img src="/upload/2023/photo_ok.jpg"></p>').encode()),
        "/images/logo.png": Response(body=PNG, content_type="image/png"),
        "/upload/2023/photo_ok.jpg": Response(body=JPEG, content_type="image/jpeg"),
        "/images/zt/xxgc.jpg": Response(body=ERROR_PAGE.encode(), content_type="text/html; charset=utf-8"),
        "/images/busy.jpg": Response(503, b"<html><body>Service Unavailable</body></html>"),
    }
    return routes, ident


class ImagePortal(LoopbackServer):
    """The portal above; HEAD refused (405) for /images/nohead.png as some county servers do; every request logged."""

    def __init__(self) -> None:
        routes, self.ident = portal()
        self.log: Counter = Counter()
        self.lock = threading.Lock()
        super().__init__(routes, responder=self._first, methods=("GET", "HEAD"), any_query=True)

    def _first(self, request: Request) -> Response | None:
        with self.lock:
            self.log[(request.method, request.path)] += 1
        if request.path == "/images/nohead.png":
            return Response(405, b"") if request.method == "HEAD" else Response(206, PNG[:64], "image/png")
        return None


def _audit(url: str, out: Path, db: Path) -> subprocess.CompletedProcess:
    import os

    env = dict(os.environ, CI="true", PYTHONPATH=str(REPO), GOVAUDIT_OFFLINE="1")
    cmd = [sys.executable, "-m", "govaudit.cli", "audit", url, "--out", str(out), "--db", str(db),
           "--as-of", "2023-02-01", "--delay", "0", "--concurrency", "4", "--max-pages", "60", "--fail-on", "veto"]
    return subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=180, env=env)


@pytest.fixture(scope="module")
def audited(tmp_path_factory):
    work = tmp_path_factory.mktemp("images")
    with ImagePortal() as server:
        proc = _audit(f"{server.base_url}/index.html", work / "out", work / "run.db")
        log = Counter(server.log)
    assert proc.returncode in (0, 1), proc.stderr[-3000:]
    findings = json.loads((work / "out" / "findings.json").read_text(encoding="utf-8"))["findings"]
    return findings, log, work, server.ident


def _by_rule(findings: list[dict], rule: str) -> dict[str, dict]:
    return {f["observed"]["target"].split("/", 3)[-1]: f for f in findings if f["rule"] == rule}


def test_home_page_images_404_and_error_page_counted_uncertain_for_review(audited):
    findings, _, _, _ = audited
    home = _by_rule(findings, "LNK006")
    assert set(home) == {"images/zt/banner_gone.jpg", "images/zt/xxgc.jpg", "images/busy.jpg"}
    assert home["images/zt/banner_gone.jpg"]["needs_review"] is False
    assert home["images/zt/banner_gone.jpg"]["observed"]["status"] == 404
    assert home["images/zt/xxgc.jpg"]["needs_review"] is False
    assert "返回网页而非图片" in home["images/zt/xxgc.jpg"]["message"]
    assert home["images/busy.jpg"]["needs_review"] is True                     # 503: not counted
    assert all(f["kind"] == "broken_link" and f["severity"] == "major" for f in home.values())


def test_article_images_lazy_loaded_and_personal_data_masked(audited):
    findings, _, work, ident = audited
    pages = _by_rule(findings, "LNK007")
    gone = pages.pop("upload/2023/photo_gone.jpg")
    assert gone["needs_review"] is False and gone["observed"]["source_count"] == 1
    assert "共有1个页面引用该图片" in gone["message"]
    (masked_target, masked), = pages.items()                                # the show.jsp?sfzh=… image (404)
    assert masked_target.startswith("upload/show.jsp?sfzh=") and ident not in masked_target
    assert masked["needs_review"] is False
    for path in [*(work / "out").iterdir(), *work.glob("run.db*")]:
        assert ident.encode() not in path.read_bytes(), path.name
    # The address itself is a leak: reported like any link address that carries an ID number.
    leaks = [f for f in findings if f["rule"] == "PII007" and "show.jsp" in json.dumps(f, ensure_ascii=False)]
    assert leaks and all(ident not in json.dumps(f, ensure_ascii=False) for f in leaks)
    # Images are LNK006/LNK007's: never also broken links.
    assert not [f for f in findings if f["rule"] in ("LNK001", "LNK002")
                and any(x in f["url"] for x in ("/images/", "/upload/"))]


def test_each_image_checked_once_head_first_and_hidden_ones_never_requested(audited):
    _, log, _, _ = audited
    assert log[("HEAD", "/images/logo.png")] == 1 and log[("GET", "/images/logo.png")] == 0      # on every page
    assert log[("HEAD", "/upload/2023/photo_ok.jpg")] == 1 and log[("GET", "/upload/2023/photo_ok.jpg")] == 0
    assert log[("HEAD", "/images/nohead.png")] == 1 and log[("GET", "/images/nohead.png")] == 1   # 405 → ranged GET
    assert log[("GET", "/images/zt/xxgc.jpg")] == 1                          # text/html confirmed by its bytes
    for hidden in ("/images/spacer.gif", "/images/old_banner.jpg", "/images/loading.gif"):
        assert not [key for key in log if key[1] == hidden], hidden


def test_head_refused_image_is_not_broken(audited):
    findings, _, _, _ = audited
    assert not [f for f in findings if "nohead.png" in (f.get("url") or "")]
    assert not [f for f in findings if "photo_ok.jpg" in (f.get("url") or "") or "logo.png" in (f.get("url") or "")]


def test_rectification_list_names_them_as_images(audited):
    from openpyxl import load_workbook

    _, _, work, _ = audited
    book = load_workbook(work / "out" / "rectification.xlsx", read_only=True)
    texts = [str(cell) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for cell in row if cell]
    assert any("页面中的图片无法正常显示（HTTP 404）" in t for t in texts)
    assert any(t.startswith("图片所在页面") and "失效图片：" in t and "banner_gone.jpg" in t for t in texts)
    assert not any("失效链接：" in t and ("/images/" in t or "/upload/" in t) for t in texts)


def test_weekly_recrawl_rechecks_images_of_pages_carried_forward(tmp_path):
    """`--reverify-weeks` copies unchanged articles from last week without fetching them; their images are still
    checked this week, so a photo put back since is no longer reported."""
    import datetime as dt
    import os
    import sqlite3

    from crawler.reverify import due_by_rotation

    db = tmp_path / "weekly.db"
    env = dict(os.environ, CI="true", PYTHONPATH=str(REPO), GOVAUDIT_OFFLINE="1")
    with ImagePortal() as server:
        # Which week an article falls due depends on its URL, here on the random port: start in a week after
        # which /gzdt/a1.html is not due, so that it is carried forward.
        first = next(day for day in (dt.date(2023, 2, 1) + dt.timedelta(weeks=k) for k in range(4))
                     if not due_by_rotation(f"{server.base_url}/gzdt/a1.html", 4, day, day + dt.timedelta(weeks=1)))
        second = first + dt.timedelta(weeks=1)
        for as_of in (first.isoformat(), second.isoformat()):
            if as_of == second.isoformat():
                server.routes["/upload/2023/photo_gone.jpg"] = Response(body=PNG, content_type="image/png")
                server.log.clear()
            proc = subprocess.run([sys.executable, "-m", "govaudit.cli", "crawl", f"{server.base_url}/index.html",
                                   "--db", str(db), "--as-of", as_of, "--delay", "0", "--reverify-weeks", "4"],
                                  cwd=REPO, capture_output=True, text=True, timeout=180, env=env)
            assert proc.returncode == 0, proc.stderr[-3000:]
        week_two = Counter(server.log)
    assert week_two[("GET", "/gzdt/a1.html")] == 0                       # carried forward, not fetched
    assert week_two[("HEAD", "/upload/2023/photo_gone.jpg")] == 1
    with sqlite3.connect(db) as con:
        rows = dict(con.execute("SELECT run_id, status FROM links WHERE kind='image' AND target_url LIKE ?",
                                ("%/upload/2023/photo_gone.jpg",)).fetchall())
    assert rows == {1: 404, 2: 200}

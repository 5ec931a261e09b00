"""Images a browser loads besides `<img src>`: one candidate of each srcset (`<img srcset>`, lazysizes'
data-srcset, `<picture><source srcset>`), inline `style="background-image:url(…)"`; and the per-page cap
(GOVAUDIT_MAX_IMAGES_PER_PAGE) that keeps one gallery page from eating the run's image budget. Unit tests on
markup as county CMS templates write it (and a real TRS sample), then a real `govaudit audit` process against a
127.0.0.1 portal whose srcset, picture and background images are missing and whose gallery shows 150 photos."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import threading
from collections import Counter

import pytest

from crawler.images import ImageChecks, page_images, sample, srcset_candidate
from tests.crawler.test_images import JPEG, PNG, REPO, _page
from tests.loopback import LoopbackServer, Request, Response
from tests.needs import reference_file


# ---------------------------------------------------------------------------------------- srcset
@pytest.mark.parametrize("value, expected", [
    ("/a-480.jpg 480w, /a-960.jpg 960w, /a-720.jpg 720w", "/a-960.jpg"),       # the largest width
    ("/b.jpg, /b@2x.jpg 2x, /b@1.5x.jpg 1.5x", "/b@2x.jpg"),                    # no descriptor is 1x
    ("/c.jpg 1x, /c-copy.jpg 1x", "/c.jpg"),                                    # the first among equals
    ("data:image/gif;base64,R0lGODlhAQABAAAAACw= 1x, /d@2x.png 2x", "/d@2x.png"),
    ("data:image/gif;base64,R0lGODlhAQABAAAAACw=", None),                       # a placeholder only
    ("/img/e,f.jpg 2x, /img/e.jpg 1x", "/img/e,f.jpg"),                         # a comma inside an address
    ("  /g.jpg  ", "/g.jpg"),
    ("", None),
    ("/h.jpg 100w,/h-big.jpg 800w", "/h-big.jpg"),
])
def test_srcset_candidate(value, expected):
    assert srcset_candidate(value) == expected


def test_srcset_picture_and_background_images_in_cms_markup():
    html = """<html><body>
    <div class="banner" style="background-image: url('/images/zt/banner_2024.jpg'); height:300px"></div>
    <div class="ico" style="background:url(data:image/png;base64,iVBORw0KGgo=) no-repeat"></div>
    <li style="background: #f3f3f3 url(&quot;/images/li_dot.png&quot;) no-repeat left center">要闻</li>
    <picture>
      <source media="(min-width: 800px)" srcset="/upload/2024/p1-1600.webp 1600w, /upload/2024/p1-800.webp 800w" type="image/webp">
      <source srcset="/upload/2024/p1-800.jpg">
      <img src="/upload/2024/p1.jpg" alt="县委常委会召开">
    </picture>
    <img class="lazyload" src="/images/grey.gif" data-src="/upload/2024/p2.jpg"
         srcset="data:image/gif;base64,R0lGODlhAQABAAAAACw=" data-srcset="/upload/2024/p2-400.jpg 400w, /upload/2024/p2-900.jpg 900w">
    <img src="/upload/2024/p3.jpg" srcset="/upload/2024/p3.jpg 1x, /upload/2024/p3@2x.jpg 2x">
    <video poster="/v.jpg"><source src="/media/video.mp4" type="video/mp4"></video>
    <style>.x{background-image:url(/css/only.png)}</style>
    <p>模板中可写 style="background:url(/not/markup.png)" 设置背景。</p>
    <span style="color:red">无背景</span>
    </body></html>"""
    assert page_images(html, "http://www.qh.gov.cn/index.html") == [
        "http://www.qh.gov.cn/images/zt/banner_2024.jpg",
        "http://www.qh.gov.cn/images/li_dot.png",
        "http://www.qh.gov.cn/upload/2024/p1-1600.webp",
        "http://www.qh.gov.cn/upload/2024/p1-800.jpg",
        "http://www.qh.gov.cn/upload/2024/p1.jpg",
        "http://www.qh.gov.cn/upload/2024/p2.jpg",
        "http://www.qh.gov.cn/upload/2024/p2-900.jpg",
        "http://www.qh.gov.cn/upload/2024/p3.jpg",
        "http://www.qh.gov.cn/upload/2024/p3@2x.jpg",
    ]


def test_real_trs_page_inline_background_is_checked():
    """The 邯郸 TRS list template sets its body background in a style attribute; its <style> blocks are skipped."""
    html = reference_file("samples", "list_hdzfxxgk_hd_gov_cn_trs_jinqixxgk.html").read_text(encoding="utf-8")
    images = page_images(html, "http://hdzfxxgk.hd.gov.cn/jinqixxgk/index.html")
    assert "http://hd.gov.cn/images/body_bg.jpg" in images
    assert len(images) == len(set(images)) and not any(u.startswith("data:") for u in images)


# ---------------------------------------------------------------------------------------- per-page cap
def _gallery(n: int, start: int = 0) -> str:
    return "".join(f'<li><img src="/upload/gallery/p{i:04d}.jpg" alt="第{i}张"></li>' for i in range(start, start + n))


def test_sample_is_deterministic_stable_and_in_page_order():
    urls = [f"http://a.gov.cn/upload/gallery/p{i:04d}.jpg" for i in range(500)]
    chosen = sample(urls, 40)
    assert len(chosen) == 40 and chosen == [u for u in urls if u in set(chosen)]
    assert sample(list(reversed(urls)), 40) == list(reversed(chosen))          # the page's order does not matter
    grown = sample(urls + ["http://a.gov.cn/upload/gallery/new.jpg"], 40)      # a photo added next week
    assert len(set(chosen) - set(grown)) <= 1                                  # pushes out at most one
    # Spread over the page, not its first rows: a gallery's later photos are checked too.
    assert max(urls.index(u) for u in chosen) > 400 and min(urls.index(u) for u in chosen) < 100
    assert sample(urls[:10], 40) == urls[:10] and sample(urls, 0) == []


def test_a_gallery_page_is_sampled_and_counted_the_budget_left_for_other_pages():
    checks = ImageChecks(lambda url: True, max_images=100, max_per_page=40)
    asked = []

    def request(url: str, **kwargs):
        asked.append(url)
        return url

    list(checks.collect("http://a.gov.cn/tpxw/gallery.html", f"<ul>{_gallery(5000)}</ul>", request))
    assert len(asked) == 40
    assert checks.counts["pages_sampled"] == 1 and checks.counts["images_not_sampled"] == 4960
    list(checks.collect("http://a.gov.cn/gzdt/a1.html", '<img src="/upload/a1.jpg">', request))
    assert asked[-1] == "http://a.gov.cn/upload/a1.jpg" and checks.counts["images_unchecked"] == 0
    assert checks.stats()["images"]["max_images_per_page"] == 40


# ---------------------------------------------------------------------------------------- a real audit
def _portal() -> dict[str, Response]:
    entries = [("/tpxw/a1.html", "县委常委会召开专题会议", "2023-01-20"),
               ("/tpxw/a2.html", "全县春耕生产现场会召开", "2023-01-18"),
               ("/tpxw/a3.html", "县领导调研重点项目建设", "2023-01-16"),
               ("/tpxw/gallery.html", "青禾风光摄影作品展", "2023-01-12")]
    items = "".join(f'<li><a href="{href}">{title}</a><span>{day}</span></li>' for href, title, day in entries)
    home = _page("青禾县人民政府", f'<div class="list"><ul>{items}</ul></div>'
                 '<div class="nav2"><a href="/tpxw/index.html">图片新闻</a></div>')
    listing = _page("图片新闻", '<div class="position">当前位置：<a href="/index.html">首页</a> &gt; '
                    f'<a href="/tpxw/index.html">图片新闻</a></div><ul class="list">{items}</ul>')

    def article(title: str, day: str, body: str) -> bytes:
        return _page(title, f"""<div class="position">当前位置：<a href="/index.html">首页</a> &gt;
            <a href="/tpxw/index.html">图片新闻</a></div><h1>{title}</h1><div class="info">发布时间：{day}</div>
            <div class="content"><p>{title}，会议研究部署了近期重点工作。</p>{body}</div>""").encode()

    routes = {
        "/index.html": Response(body=home.encode()),
        "/tpxw/index.html": Response(body=listing.encode()),
        "/tpxw/a1.html": Response(body=article(*entries[0][1:], """<picture>
            <source srcset="/upload/2023/a1.webp 1x, /upload/2023/a1@2x.webp 2x" type="image/webp">
            <img src="/upload/2023/a1.jpg" alt="会议现场"></picture>""")),
        "/tpxw/a2.html": Response(body=article(*entries[1][1:],
                                               '<img src="/upload/2023/b.jpg" srcset="/upload/2023/b-480.jpg 480w, '
                                               '/upload/2023/b-1080.jpg 1080w" alt="春耕">')),
        "/tpxw/a3.html": Response(body=article(*entries[2][1:],
                                               '<div class="zt" style="background-image:url(\'/images/zt/xmjs.jpg\')">'
                                               '</div><div style="background:url(data:image/png;base64,iVBORw0KGgo=)">'
                                               '</div>')),
        "/tpxw/gallery.html": Response(body=article(*entries[3][1:], f"<ul>{_gallery(150)}</ul>")),
        "/images/logo.png": Response(body=PNG, content_type="image/png"),
        "/upload/2023/a1.jpg": Response(body=JPEG, content_type="image/jpeg"),
        "/upload/2023/a1.webp": Response(body=JPEG, content_type="image/jpeg"),
        "/upload/2023/b.jpg": Response(body=JPEG, content_type="image/jpeg"),
        "/upload/2023/b-480.jpg": Response(body=JPEG, content_type="image/jpeg"),
    }
    for i in range(150):
        routes[f"/upload/gallery/p{i:04d}.jpg"] = Response(body=JPEG, content_type="image/jpeg")
    return routes


class SourcesPortal(LoopbackServer):
    """The portal above; every request logged by (method, path)."""

    def __init__(self) -> None:
        self.log: Counter = Counter()
        self.lock = threading.Lock()
        super().__init__(_portal(), responder=self._count, methods=("GET", "HEAD"), any_query=True)

    def _count(self, request: Request) -> None:
        with self.lock:
            self.log[(request.method, request.path)] += 1
        return None


@pytest.fixture(scope="module")
def audited(tmp_path_factory):
    work = tmp_path_factory.mktemp("image-sources")
    env = dict(os.environ, CI="true", PYTHONPATH=str(REPO), GOVAUDIT_OFFLINE="1", GOVAUDIT_MAX_IMAGES_PER_PAGE="40")
    with SourcesPortal() as server:
        proc = subprocess.run([sys.executable, "-m", "govaudit.cli", "audit", f"{server.base_url}/index.html",
                               "--out", str(work / "out"), "--db", str(work / "run.db"), "--as-of", "2023-02-01",
                               "--delay", "0", "--concurrency", "4", "--max-pages", "60"],
                              cwd=REPO, capture_output=True, text=True, timeout=300, env=env)
        log, base = Counter(server.log), server.base_url
    assert proc.returncode in (0, 1, 4), proc.stderr[-3000:]
    findings = json.loads((work / "out" / "findings.json").read_text(encoding="utf-8"))["findings"]
    with sqlite3.connect(work / "run.db") as con:
        stats = json.loads(con.execute("SELECT stats FROM runs WHERE id=1").fetchone()[0])
    return findings, log, stats, work, base


def test_missing_srcset_picture_and_background_images_are_reported(audited):
    findings, log, _, _, _ = audited
    broken = {f["observed"]["target"].split("/", 3)[-1]: f for f in findings if f["rule"] == "LNK007"}
    assert set(broken) == {"upload/2023/a1@2x.webp", "upload/2023/b-1080.jpg", "images/zt/xmjs.jpg"}
    assert all(f["needs_review"] is False and f["observed"]["status"] == 404 for f in broken.values())
    assert log[("HEAD", "/upload/2023/b-480.jpg")] == 0                    # one candidate per srcset only
    assert log[("HEAD", "/upload/2023/a1.webp")] == 0 and log[("HEAD", "/upload/2023/a1.jpg")] == 1


def test_the_gallery_is_sampled_counted_and_said_in_the_report(audited):
    findings, log, stats, work, base = audited
    requested = sorted(path for method, path in log if method == "HEAD" and path.startswith("/upload/gallery/"))
    shown = [f"{base}/images/logo.png"] + [f"{base}/upload/gallery/p{i:04d}.jpg" for i in range(150)]
    expected = [u.removeprefix(base) for u in sample(shown, 40) if "/gallery/" in u]
    assert requested == sorted(expected) and len(requested) >= 39         # the cap's sample, not the 150 shown
    images = stats["images"]
    assert images["pages_sampled"] == 1 and images["images_not_sampled"] == 111        # 150 photos and the logo
    assert images["max_images_per_page"] == 40 and images["images_unchecked"] == 0
    md = (work / "out" / "report.md").read_text(encoding="utf-8")
    assert "检查范围" in md and "1个页面" in md and "40张" in md and "111张" in md
    document = json.loads((work / "out" / "findings.json").read_text(encoding="utf-8"))
    assert any("111张" in note["note"] for note in document["scope"])

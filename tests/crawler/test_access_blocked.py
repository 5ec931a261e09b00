"""Blocked is not broken: a firewall's 403/412/429 or challenge page slows the crawl and is retried later;
what stays blocked is recorded as "access-blocked", reported once per site for review (LNK003), and
never counted as a broken link (LNK001/LNK002).

Unit level: the classifier on realistic block pages (GBK and UTF-8), challenge scripts and look-alikes,
and the middleware's back-off on a download slot. End to end: `govaudit audit` against a loopback
server whose firewall blocks some pages and rate-limits one.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace

import pytest
from scrapy.http import HtmlResponse, Request, Response

from crawler.middlewares import AccessBlocked, AccessBlockedMiddleware, blocked_reason

SAFEDOG = ("<html><head><title>网站防火墙</title></head><body><div>您的请求带有不合法参数，已被网站管理员设置拦截！"
           "</div><div>可能原因：您提交的内容包含危险的攻击请求</div><a href='http://www.safedog.cn'>网站安全狗</a>"
           "</body></html>")
YUNSUO = "<html><body><h1>云锁提示</h1><p>您的访问被阻断，请稍后再试。</p><p>Powered by yunsuo</p></body></html>"
ALIYUN = ('<html><body><p>很抱歉，由于您访问的URL有可能对网站造成安全威胁，您的访问被阻断。</p>'
          '<img src="https://errors.aliyun.com/images/TB1TpamHpXXXXaJXXXXeB7nYVXX-104-162.png"></body></html>')
CHUANGYU = "<html><head><title>创宇盾</title></head><body>当前访问疑似黑客攻击，已被创宇盾拦截。</body></html>"
JS_CHALLENGE = ("<html><head><script>var x='a1b2';document.cookie='__jsl_clearance='+x+';path=/';"
                "window.location.reload();</script></head><body><noscript>请开启JavaScript并刷新该页。</noscript>"
                "</body></html>")
RUISHU_412 = ('<html><head><meta id="9DhefwqGPrzGxEp9hPaoag" content="x"><script type="text/javascript">'
              '$_ts=window[\'$_ts\'];if(!$_ts)$_ts={};$_ts.nsd=123;</script><script src="/abc/def.js" r="m"></script>'
              "</head><body></body></html>")


def _article(words: str = "") -> str:
    nav = "".join(f'<a href="/col/{i}.html">栏目{i}</a>' for i in range(12))
    return (f"<html><head><title>关于加强网站安全防护的通知</title></head><body><div class='nav'>{nav}</div>"
            f"<div class='content'><p>各乡镇人民政府：为做好政府网站安全防护工作，{words}请各单位认真落实网站防火墙、"
            "Web应用防火墙等防护措施，及时修补漏洞。</p>" + "<p>具体要求如下。</p>" * 40 + "</div></body></html>")


@pytest.mark.parametrize(("status", "body", "firewall"), [
    (403, SAFEDOG, "安全狗"),
    (200, SAFEDOG, "安全狗"),
    (200, SAFEDOG.encode("gbk"), "安全狗"),
    (503, YUNSUO, "云锁"),
    (405, ALIYUN, "阿里云盾"),
    (200, CHUANGYU, "创宇盾"),
    (200, JS_CHALLENGE, "JavaScript验证"),
    (412, RUISHU_412, "瑞数"),
    (429, "Too Many Requests", None),
    (403, "<html><body><h1>403 Forbidden</h1><hr>nginx</body></html>", None),
])
def test_block_pages_and_statuses_are_recognised(status, body, firewall):
    data = body if isinstance(body, bytes) else body.encode("utf-8")
    assert blocked_reason(status, data) == (True, firewall)


@pytest.mark.parametrize(("status", "body"), [
    (200, _article()),                                      # a notice about firewalls, with its site's navigation
    (200, _article("网站安全狗、云锁等产品均可选用，") * 3),
    (200, "<html><body><noscript>请开启JavaScript</noscript><p>正文</p></body></html>"),  # no cookie challenge
    (404, "<html><body><h1>404 Not Found</h1></body></html>"),
    (500, "Internal Server Error"),
    (200, "<html><body>" + "安全狗" + "正文内容很长。" * 20000 + "</body></html>"),  # a large page that mentions one
])
def test_look_alikes_are_not_blocks(status, body):
    assert blocked_reason(status, body.encode("utf-8")) == (False, None)


class _Stats:
    def __init__(self):
        self.values: Counter = Counter()

    def inc_value(self, key, n=1):
        self.values[key] += n


def _middleware(settings: dict):
    from scrapy.settings import Settings

    slot = SimpleNamespace(delay=0.0, concurrency=8)
    downloader = SimpleNamespace(slots={"county.gov.cn": slot}, get_slot_key=lambda request: "county.gov.cn")
    crawler = SimpleNamespace(settings=Settings(settings), stats=_Stats(), engine=SimpleNamespace(downloader=downloader))
    return AccessBlockedMiddleware(crawler), slot, crawler.stats


def _response(request, status, body, headers=None):
    return HtmlResponse(request.url, status=status, body=body.encode("utf-8"), headers=headers or {},
                        request=request, encoding="utf-8")


def test_a_block_slows_the_site_and_retries_later_then_gives_up():
    mw, slot, stats = _middleware({"GOVAUDIT_BLOCKED_RETRIES": 2, "GOVAUDIT_BLOCKED_DELAY": 5,
                                   "GOVAUDIT_BLOCKED_MAX_DELAY": 60})
    request = Request("http://county.gov.cn/zwgk/index.html", priority=10)
    retry = mw.process_response(request, _response(request, 429, "Too Many Requests", {"Retry-After": "8"}))
    assert isinstance(retry, Request) and retry.dont_filter and retry.priority == 9
    assert (slot.concurrency, slot.delay) == (1, 8.0)            # one at a time, as long as Retry-After asks
    slot.delay = 0.5                                            # AutoThrottle lowers it after fast answers …
    mw.process_request(Request("http://county.gov.cn/other.html"))
    assert (slot.concurrency, slot.delay) == (1, 8.0)          # … but never under what the block imposed
    again = mw.process_response(retry, _response(retry, 403, SAFEDOG))
    assert isinstance(again, Request) and slot.delay == 16.0     # doubled
    with pytest.raises(AccessBlocked) as blocked:
        mw.process_response(again, _response(again, 403, SAFEDOG))
    assert (blocked.value.status, blocked.value.keyword) == (403, "access-blocked:安全狗")
    assert slot.delay == 32.0
    assert stats.values == {"govaudit/access_blocked": 3, "govaudit/access_blocked_retried": 2,
                            "govaudit/access_blocked_gave_up": 1}


def test_delay_is_capped_and_ordinary_answers_pass_untouched():
    mw, slot, _ = _middleware({"GOVAUDIT_BLOCKED_RETRIES": 5, "GOVAUDIT_BLOCKED_DELAY": 5,
                               "GOVAUDIT_BLOCKED_MAX_DELAY": 12})
    request = Request("http://county.gov.cn/a.html")
    for _ in range(4):
        request = mw.process_response(request, _response(request, 429, "slow down", {"Retry-After": "3600"}))
    assert slot.delay == 12.0
    fine = Request("http://county.gov.cn/b.html")
    for response in (_response(fine, 200, _article()), _response(fine, 404, "Not Found"),
                     Response(fine.url, status=200, body=b"%PDF-1.4 \x00\x01", request=fine)):
        assert mw.process_response(fine, response) is response


# ---------------------------------------------------------------------------------------------- end to end
HOME = ("<html><head><title>某县人民政府</title></head><body><div class='nav'>"
        "<a href='/gzdt/index.html'>工作动态</a></div><ul>"
        "<li><a href='/gzdt/1.html'>县政府召开常务会议</a><span>2026-11-20</span></li>"
        "<li><a href='/zwgk/index.html'>政务公开</a></li><li><a href='/hdjl/index.html'>互动交流</a></li>"
        "<li><a href='/busy.html'>办事服务</a></li><li><a href='/gone.html'>旧栏目</a></li></ul></body></html>")
ARTICLE = ("<html><head><title>县政府召开常务会议</title><meta name='PubDate' content='2026-11-20'></head>"
           "<body><h1>县政府召开常务会议</h1><p>发布时间：2026-11-20</p><p>会议研究部署了近期重点工作。</p></body></html>")


class _Firewalled(BaseHTTPRequestHandler):
    """/zwgk/ always meets 瑞数's 412 challenge, /hdjl/ 安全狗's page; /busy.html is rate-limited once."""

    hits: Counter = Counter()
    lock = threading.Lock()

    def do_GET(self):
        with self.lock:
            self.hits[self.path] += 1
            count = self.hits[self.path]
        if self.path.startswith("/zwgk/"):
            self._send(412, RUISHU_412)
        elif self.path.startswith("/hdjl/"):
            self._send(200, SAFEDOG)
        elif self.path == "/busy.html":
            if count == 1:
                self._send(429, "Too Many Requests", {"Retry-After": "0"})
            else:
                self._send(200, ARTICLE.replace("县政府召开常务会议", "办事服务指南"))
        elif self.path == "/gone.html":
            self._send(404, "<html><body>Not Found</body></html>")
        elif self.path in ("/", "/index.html"):
            self._send(200, HOME)
        elif self.path == "/gzdt/index.html":
            self._send(200, HOME.replace("某县人民政府", "工作动态"))
        elif self.path == "/gzdt/1.html":
            self._send(200, ARTICLE)
        else:
            self._send(404, "Not Found")

    def _send(self, status, body, headers=None):
        data = body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.mark.timeout(300)
def test_audit_reports_blocked_pages_for_review_and_only_real_dead_links_as_broken(tmp_path):
    from crawler.store import Store

    _Firewalled.hits = Counter()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Firewalled)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    site = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "govaudit.cli", "audit", site, "--as-of", dt.date(2026, 11, 30).isoformat(),
             "--out", str(tmp_path / "out"), "--db", str(tmp_path / "db.sqlite"), "--concurrency", "4",
             "--delay", "0", "--fail-on", "veto"],
            env=dict(os.environ, CI="true", GOVAUDIT_BLOCKED_DELAY="0.05", GOVAUDIT_BLOCKED_MAX_DELAY="0.2"),
            capture_output=True, text=True, timeout=240)
    finally:
        server.shutdown()
        server.server_close()
    # Every column of this portal is behind the firewall or is no list: the run says 未能检查 (exit 3), and still
    # records what it met.
    assert proc.returncode in (0, 1, 3), proc.stderr[-3000:]
    hits = _Firewalled.hits
    assert hits["/zwgk/index.html"] == 3 and hits["/hdjl/index.html"] == 3      # asked again, twice, then left
    assert hits["/busy.html"] == 2                                              # rate-limited once, then read
    findings = json.loads((tmp_path / "out" / "findings.json").read_text(encoding="utf-8"))["findings"]
    broken = {f["observed"]["target"] for f in findings if f["kind"] == "broken_link"}   # home page and list
    assert broken == {site + "gone.html"}
    blocked = [f for f in findings if f["kind"] == "access_blocked"]
    assert len(blocked) == 1 and blocked[0]["rule"] == "LNK003" and blocked[0]["needs_review"]
    assert blocked[0]["count"] == 2 and "HTTP 412（瑞数）" in blocked[0]["message"]
    assert "防护验证页面（安全狗）" in blocked[0]["message"]
    assert blocked[0]["remediation"] == "请将本工具的访问地址加入网站防护白名单后重新检查。"
    with Store(tmp_path / "db.sqlite") as store:
        snapshot = store.load_snapshot(store.latest_run().id)
        pages = {p.url: p for p in snapshot.pages()}
    assert pages[site + "busy.html"].status == 200 and pages[site + "busy.html"].title == "办事服务指南"
    assert site + "hdjl/index.html" not in pages                               # a block page is not a page

"""The off-site probe against a link farm of parked and hijacked domains served on 127.0.0.1 under fake hostnames."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from checks.engine import run_checks
from checks.links import probe_verdict
from crawler.offsite_probe import probe_hosts, resolver_from_env, unwrap_host
from crawler.records import LinkRecord, PageRecord, Snapshot
from rules.loader import RuleSet, load_ruleset

PAGES = {
    "parked.example": (200, "<html><head><title>parked.example</title></head><body>This domain is for sale. "
                            "Buy this domain today.</body></html>", "utf-8"),
    "hijacked.example": (302, "/lobby/", "utf-8"),
    "partner.example": (200, "<html><head><title>某某协会</title></head><body>协会简介 通知公告</body></html>", "utf-8"),
    "broken.example": (500, "error", "utf-8"),
    "leaver.example": (302, "http://elsewhere.example/landing", "utf-8"),
    "gbk.example": (200, "<html><head><meta charset='gbk'><title>成人影院</title></head><body>午夜福利</body></html>",
                    "gbk"),
}


class FarmHandler(BaseHTTPRequestHandler):
    """Answers by the Host header, as a shared hosting box would."""

    def log_message(self, format: str, *args) -> None:      # noqa: A002 - stdlib signature
        pass

    def do_GET(self) -> None:
        host = (self.headers.get("Host") or "").split(":")[0]
        if host == "hijacked.example" and self.path.startswith("/lobby/"):
            status, body, enc = 200, "<html><head><title>澳门新葡京娱乐场</title></head><body>真人视讯</body></html>", "utf-8"
        else:
            status, body, enc = PAGES.get(host, (404, "no such host", "utf-8"))
        data = body.encode(enc)
        self.send_response(status)
        if status in (301, 302):
            self.send_header("Location", body)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@pytest.fixture
def farm() -> Iterator[dict[str, str]]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), FarmHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    address = f"127.0.0.1:{server.server_address[1]}"
    try:
        yield {host: address for host in PAGES}
    finally:
        server.shutdown()
        server.server_close()


def test_probe_tells_parked_hijacked_and_ordinary_hosts_apart(farm):
    targets = ["http://parked.example/old/page.html", "http://hijacked.example/", "http://hijacked.example/a.html",
               "http://partner.example/", "http://broken.example/", "http://gbk.example/",
               "http://parked.examplex7a72968723868.ipv6best.cn/",        # the same host through an IPv6 gateway
               "http://www.fujian.gov.cn/", "http://www.qh.gov.cn/x.html",
               "http://nonexistent-h13-probe.invalid/"]
    results = {r["host"]: r for r in probe_hosts(targets, {"www.qh.gov.cn"}, resolve=farm)}
    assert "www.fujian.gov.cn" not in results and "www.qh.gov.cn" not in results     # gov.cn never probed
    assert results["parked.example"]["links"] == 2
    verdicts = {host: (probe_verdict(r) or ("-",))[0] for host, r in results.items()}
    # Offline (tests/conftest.py): a host the resolver does not map is never asked, so it gets no verdict.
    assert verdicts == {"parked.example": "parked", "hijacked.example": "gambling", "partner.example": "-",
                        "broken.example": "-", "gbk.example": "porn"}
    assert results["hijacked.example"]["final_url"] == "http://hijacked.example/lobby/"
    assert results["broken.example"]["status"] == 500


def test_offline_asks_no_host_outside_the_override_and_a_dns_failure_reads_as_dns(farm, monkeypatch):
    """The suite, the demo and the benchmarks set GOVAUDIT_OFFLINE: nothing leaves the machine, not even a DNS
    query; a redirect to an unmapped host stops there. A resolver's "name not known" is told apart as dns."""
    import httpx

    from crawler.offsite_probe import _error_word

    monkeypatch.setenv("GOVAUDIT_OFFLINE", "1")
    only_hijacked = {"hijacked.example": farm["hijacked.example"]}
    results = {r["host"]: r for r in probe_hosts(["http://hijacked.example/", "http://unmapped.example/"],
                                                 resolve=only_hijacked)}
    assert set(results) == {"hijacked.example"}
    assert results["hijacked.example"]["final_url"] == "http://hijacked.example/lobby/"
    (left,) = probe_hosts(["http://leaver.example/"], resolve={"leaver.example": farm["leaver.example"]})
    assert left["error"] == "offline" and left["final_url"] == "http://elsewhere.example/landing"
    assert _error_word(httpx.ConnectError("[Errno -2] Name or service not known")) == "dns"
    assert probe_verdict({"error": "dns"}) == ("dns", []) and probe_verdict({"error": "offline"}) is None


def test_rule_lnk004_on_probed_farm(farm):
    probe = probe_hosts(["http://hijacked.example/", "http://partner.example/"], resolve=farm)
    snapshot = Snapshot("青禾县人民政府", "http://www.qh.gov.cn/", as_of=dt.date(2024, 6, 30),
                        pages_=[PageRecord("http://www.qh.gov.cn/", kind="home")],
                        links_=[LinkRecord("http://www.qh.gov.cn/", "http://hijacked.example/", kind="external"),
                                LinkRecord("http://www.qh.gov.cn/", "http://partner.example/", kind="external")],
                        stats={"offsite_probe": probe})
    rule = load_ruleset().get("LNK004")
    result = run_checks(snapshot, RuleSet({rule.id: rule}))
    assert not result.errors
    assert [(f.url, f.observed["verdict"], f.needs_review) for f in result.findings] == [
        ("http://hijacked.example/", "gambling", False)]
    assert "澳门新葡京" in result.findings[0].evidence


def test_gateway_unwrapping_and_resolver_env(monkeypatch):
    assert unwrap_host("http://bszs-conac-cnxe103968723868xx.ipv6best.cn/sitename?id=1") == \
        "http://bszs.conac.cn/sitename?id=1"
    assert unwrap_host("http://27-151-80-61xe076968723868xx.ipv6best.cn:91/#/x").startswith("http://27.151.80.61:91/")
    assert unwrap_host("http://www.acas.org.cnx7a72968723868.ipv6best.cn/") == "http://www.acas.org.cn/"
    assert unwrap_host("http://www.example.com/") == "http://www.example.com/"
    monkeypatch.setenv("GOVAUDIT_RESOLVE", "a.example=127.0.0.1:1; bad ;B.example=127.0.0.1:2")
    assert resolver_from_env() == {"a.example": "127.0.0.1:1", "b.example": "127.0.0.1:2"}

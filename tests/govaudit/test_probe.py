"""govaudit probe against a loopback server that times out, drops, errors and refuses on a schedule.

Every outcome the 站点无法访问 verdict counts is produced by a real server on 127.0.0.1 (a DNS failure by a
resolver that refuses one made-up name, so no lookup leaves the machine), and a week of rounds stamped
over seven days is judged by AVL001 from the store.
"""

from __future__ import annotations

import datetime as dt
import json
import socket
import ssl
import threading
import time
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from checks.availability import assess
from checks.engine import run_checks
from crawler.records import ColumnRecord
from crawler.store import Store
from govaudit.cli import main
from govaudit.probe import (
    classify_error,
    https_url,
    is_ip_or_loopback,
    probe_round,
    run_probe,
    sample_columns,
    visit,
)
from rules.loader import load_ruleset

SHORT = 0.5          # the probe's time limit in these tests (15 s in use); the slow answer takes 4 × this


class Scheduled(BaseHTTPRequestHandler):
    """Answers the n-th request of a path as the server's schedule says: ok, slow, drop, 500, 503, 404."""

    def log_message(self, format, *args):  # noqa: A002 - stdlib signature
        pass

    def do_GET(self):
        srv = self.server
        with srv.lock:
            n = srv.counts.get(self.path, 0)
            srv.counts[self.path] = n + 1
        schedule = srv.schedule.get(self.path) or srv.schedule.get("*") or ["ok"]
        action = schedule[n % len(schedule)]
        if action == "drop":
            self.close_connection = True
            self.request.shutdown(socket.SHUT_RDWR)
            return
        if action == "slow":
            time.sleep(SHORT * 4)
            action = "ok"
        status = 200 if action == "ok" else int(action)
        body = f"<html><body><h1>{status}</h1><p>网站标识码：5309990001</p></body></html>".encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass                          # the probe gave up on a slow answer


@contextmanager
def serve(schedule: dict[str, list[str]], tls: ssl.SSLContext | None = None, host: str = "127.0.0.1"):
    server = ThreadingHTTPServer((host, 0), Scheduled)
    server.daemon_threads = True
    server.schedule, server.counts, server.lock = schedule, {}, threading.Lock()
    if tls is not None:
        server.socket = tls.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"{'https' if tls else 'http'}://{host}:{server.server_address[1]}", server
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def client():
    with httpx.Client(follow_redirects=True) as c:
        yield c


def test_each_failure_is_told_apart(client):
    schedule = {"/": ["ok", "slow", "drop", "500", "503", "404"]}
    with serve(schedule) as (base, _):
        outcomes = [visit(client, base + "/", "home", timeout=SHORT) for _ in range(6)]
    assert [o.outcome for o in outcomes] == ["ok", "timeout", "dropped", "http_5xx", "http_5xx", "http_4xx"]
    assert [o.status for o in outcomes] == [200, None, None, 500, 503, 404]
    assert all(o.elapsed_ms is not None for o in outcomes)
    assert "disconnected" in outcomes[2].detail.lower() or outcomes[2].detail


def test_refused_connection(client):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    record = visit(client, f"http://127.0.0.1:{port}/", "home", timeout=SHORT)
    assert record.outcome == "refused" and record.status is None


def test_dns_failure_without_leaving_the_machine(client, monkeypatch):
    real = socket.getaddrinfo

    def resolver(host, *args, **kwargs):
        if host == "www.nosuch-county.gov.cn":
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolver)
    record = visit(client, "http://www.nosuch-county.gov.cn/", "home", timeout=SHORT)
    assert record.outcome == "dns"


def _certificate(tmp_path, hostname: str = "localhost"):
    """A self-signed certificate for `hostname`, made in the test (no key material is stored in the repo)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, hostname)])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=30))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(hostname)]), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    server = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server.load_cert_chain(cert_path, key_path)
    return server, cert_path


def test_untrusted_certificate_is_a_tls_error_and_a_trusted_one_opens(tmp_path):
    context, cert_path = _certificate(tmp_path)
    with serve({"/": ["ok"]}, tls=context) as (base, _):
        url = base.replace("127.0.0.1", "localhost") + "/"
        with httpx.Client() as untrusting:
            assert visit(untrusting, url, "https", timeout=5).outcome == "tls"
        with httpx.Client(verify=ssl.create_default_context(cafile=str(cert_path))) as trusting:
            assert visit(trusting, url, "https", timeout=5).outcome == "ok"


def test_classify_walks_the_cause_chain():
    try:
        try:
            raise ssl.SSLCertVerificationError("certificate verify failed: certificate has expired")
        except ssl.SSLError as inner:
            raise httpx.ConnectError("[SSL: CERTIFICATE_VERIFY_FAILED]") from inner
    except httpx.ConnectError as outer:
        assert classify_error(outer) == "tls"
    assert classify_error(ValueError("x")) == "error"


def test_columns_rotate_round_by_round():
    columns = ["/a/", "/b/", "/c/", "/d/", "/e/"]
    seen = [sample_columns(columns, r, 2) for r in range(5)]
    assert seen[0] == ["/a/", "/b/"] and seen[1] == ["/c/", "/d/"] and seen[2] == ["/e/", "/a/"]
    assert {c for pair in seen for c in pair} == set(columns)
    assert sample_columns([], 3, 2) == [] and sample_columns(["/a/"], 7, 2) == ["/a/"]


def test_address_hosts_get_no_https_visit():
    assert is_ip_or_loopback("127.0.0.1") and is_ip_or_loopback("localhost") and is_ip_or_loopback("::1")
    assert not is_ip_or_loopback("www.example.gov.cn")
    assert https_url("http://www.example.gov.cn:8080/index.html") == "https://www.example.gov.cn/index.html"
    with serve({"/": ["ok"]}) as (base, server):
        records = probe_round(base + "/", [], timeout=SHORT)
    assert [r.target for r in records] == ["home"]


def test_rounds_are_kept_in_the_store_and_sample_the_latest_crawl(tmp_path):
    db = tmp_path / "s.sqlite"
    with serve({"*": ["ok"], "/tzgg/": ["503"]}) as (base, server):
        site = base + "/"
        with Store(db) as store:
            run = store.start_run(site, "某县", dt.date(2026, 11, 30))
            for path, name in (("/tzgg/", "通知公告"), ("/zwdt/", "政务动态"), ("/zcwj/", "政策文件")):
                store.add_column(run, ColumnRecord(url=base + path, name=name))
            store.finish_run(run, "complete")
            first, _ = run_probe(site, store=store, count=2, timeout=SHORT)
            second, _ = run_probe(site, store=store, count=2, timeout=SHORT)
            kept = store.probes(site, dt.datetime(2000, 1, 1), dt.datetime(2100, 1, 1))
        assert [r.url for r in first] == [site, base + "/tzgg/", base + "/zcwj/"]
        assert [r.url for r in second] == [site, base + "/zwdt/", base + "/tzgg/"]
        assert [r.outcome for r in first] == ["ok", "http_5xx", "ok"]
        assert len(kept) == 6 and {r.target for r in kept} == {"home", "column"}
        assert server.counts["/tzgg/"] == 2


def test_state_file_without_a_database_then_moved_into_the_store(tmp_path):
    state, db = tmp_path / "probe-state.json", tmp_path / "s.sqlite"
    with serve({"/": ["ok", "500"]}) as (base, _):
        site = base + "/"
        run_probe(site, state_path=state, timeout=SHORT)
        run_probe(site, state_path=state, timeout=SHORT)
        held = json.loads(state.read_text(encoding="utf-8"))["probes"]
        assert [p["outcome"] for p in held] == ["ok", "http_5xx"]
        assert not db.exists()
        with Store(db) as store:
            records, moved = run_probe(site, store=store, state_path=state, timeout=SHORT)
            kept = store.probes(site, dt.datetime(2000, 1, 1), dt.datetime(2100, 1, 1))
    assert moved == 2 and [r.outcome for r in kept] == ["ok", "http_5xx", "ok"]
    assert json.loads(state.read_text(encoding="utf-8"))["probes"] == []


def test_bad_state_file_is_one_clear_line(tmp_path, capsys):
    state = tmp_path / "broken.json"
    state.write_text("[1, 2", encoding="utf-8")
    assert main(["probe", "http://127.0.0.1:9/", "--state", str(state)]) == 2
    assert "无法读取探测状态文件" in capsys.readouterr().err
    assert main(["probe", "ftp://x", "--state", str(state)]) == 2


def test_cli_round_for_cron(tmp_path, capsys):
    db = tmp_path / "s.sqlite"
    with serve({"/": ["ok"]}) as (base, _):
        assert main(["probe", base + "/", "--db", str(db), "--timeout", "5"]) == 0
    out = capsys.readouterr().out
    assert "可用性探测" in out and "首页" in out and "正常" in out
    with Store(db) as store:
        assert store.probe_rounds(base + "/") == 1


def test_a_week_of_rounds_on_a_failing_schedule_is_judged_by_avl001(tmp_path):
    """20 rounds a day for 7 days; the server drops one visit in ten and answers 503 to one in ten."""
    as_of = dt.date(2026, 11, 30)
    db = tmp_path / "s.sqlite"
    schedule = {"/": ["ok"] * 4 + ["drop"] + ["ok"] * 4 + ["503"]}
    with serve(schedule) as (base, _), httpx.Client() as client, Store(db) as store:
        site = base + "/"
        run = store.start_run(site, "某县", as_of)
        store.finish_run(run, "complete")
        for day in range(7, 0, -1):
            for n in range(20):
                at = dt.datetime.combine(as_of - dt.timedelta(days=day), dt.time(0, 0)) + dt.timedelta(minutes=70 * n)
                run_probe(site, store=store, at=at, timeout=5, client=client)
        snapshot = store.load_snapshot(run)
    week = assess(snapshot.probes_, as_of)
    assert (week.visits, week.failures, week.status) == (140, 28, "fail")
    assert week.outcomes["dropped"] == 14 and week.outcomes["http_5xx"] == 14
    rules = load_ruleset()
    findings = run_checks(snapshot, type("One", (), {"enabled": lambda self: [rules["AVL001"]]})()).findings
    assert len(findings) == 1 and findings[0].severity == "veto" and not findings[0].needs_review
    assert "20.0%" in findings[0].message and "连接中断14次" in findings[0].evidence

"""kill -9 a real crawl subprocess half-way, resume it: nothing lost, nothing fetched or stored twice."""

from __future__ import annotations

import os
import signal
import sqlite3
import time
from urllib.parse import urlsplit

from crawler.store import Store
from tests.crawler.test_spider_site import popen_crawl, run_crawl_subprocess, serve_site

# A list or home page may be re-fetched on resume to rebuild the frontier; nothing else may.
LIST_PAGES = {"/index.html", "/sitemap.html", "/tzgg/index.html", "/tzgg/index_1.html", "/tzgg/index_2.html",
              "/col/col101/index.html", "/zcwj.htm", "/zcwj/1.htm", "/zcwj/2.htm", "/gbk/index.html"}


def _count(db, sql: str) -> int:
    try:
        return sqlite3.connect(db, timeout=5).execute(sql).fetchone()[0]
    except sqlite3.OperationalError:
        return 0


def test_kill_9_then_resume_loses_and_duplicates_nothing(tmp_path):
    db = tmp_path / "store.sqlite"
    with serve_site(latency=0.15) as (server, expect):
        proc = popen_crawl(server.url + "/index.html", db, "--concurrency", "2")
        deadline = time.monotonic() + 60
        try:
            while _count(db, "SELECT COUNT(*) FROM pages WHERE kind='article'") < 10:
                assert proc.poll() is None, proc.communicate()
                assert time.monotonic() < deadline, "crawl made no progress"
                time.sleep(0.05)
        finally:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
        con = sqlite3.connect(db)
        assert con.execute("SELECT status FROM runs WHERE id=1").fetchone()[0] == "running"
        stored_before = {urlsplit(u).path for (u,) in con.execute("SELECT url FROM pages WHERE run_id=1 "
                                                                  "UNION SELECT url FROM attachments WHERE run_id=1")}
        con.close()
        assert len(stored_before) < len(expect["articles"]) + len(LIST_PAGES), "killed too late to test resume"

        result = run_crawl_subprocess(None, db, "--resume", "1")
        assert result.returncode == 0, result.stderr
        requests = dict(server.requests)

    store = Store(db)
    snap = store.load_snapshot(1)
    assert store.run(1).status == "complete"
    assert len(store.runs()) == 1
    # Nothing lost.
    assert {urlsplit(p.url).path for p in snap.pages_ if p.kind == "article"} == expect["articles"]
    assert {urlsplit(a.url).path for a in snap.attachments_} == expect["attachments"]
    columns = {urlsplit(c.url).path: c for c in snap.columns_}
    for path, want in expect["columns"].items():
        assert columns[path].items == want["items"] and columns[path].latest == want["latest"], path
    # Nothing fetched twice that was already stored (list pages may be), nothing stored twice.
    for path in stored_before - LIST_PAGES - {"/about/flaky.html"}:
        assert requests.get(path, 0) == 1, path
    urls = [p.url for p in snap.pages_] + [a.url for a in snap.attachments_]
    assert len(urls) == len(set(urls))
    error_keys = [(e.url, e.stage) for e in snap.errors_]
    assert len(error_keys) == len(set(error_keys))


def test_database_server_lost_mid_crawl_stops_cleanly_then_resumes(postgres_url, monkeypatch):
    """The shared database goes away for good mid-crawl: the crawl stops with a clear message and keeps
    what was committed; once the server is back, --resume finishes the same run with nothing twice."""
    import psycopg

    monkeypatch.setenv("GOVAUDIT_DB_RECONNECT_WAIT", "0.2")
    name = postgres_url.rsplit("/", 1)[1]
    admin_url = postgres_url.rsplit("/", 1)[0] + "/postgres"

    def count(sql: str) -> int:
        try:
            with psycopg.connect(postgres_url, connect_timeout=2) as con:
                return con.execute(sql).fetchone()[0]
        except psycopg.Error:
            return 0

    with serve_site(latency=0.15) as (server, expect):
        proc = popen_crawl(server.url + "/index.html", postgres_url, "--concurrency", "2")
        deadline = time.monotonic() + 60
        while count("SELECT COUNT(*) FROM pages WHERE kind='article'") < 10:
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "crawl made no progress"
            time.sleep(0.05)
        with psycopg.connect(admin_url, autocommit=True) as admin:       # the server refuses us from now on
            admin.execute(f"ALTER DATABASE {name} ALLOW_CONNECTIONS false")
            admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname=%s", (name,))
        stdout, stderr = proc.communicate(timeout=120)
        assert proc.returncode == 2, stderr
        assert "连接中断" in stderr and "Traceback" not in stderr
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f"ALTER DATABASE {name} ALLOW_CONNECTIONS true")
        assert count("SELECT COUNT(*) FROM runs WHERE status='running'") == 1
        kept = count("SELECT COUNT(*) FROM pages WHERE kind='article'")
        assert 10 <= kept < len(expect["articles"]), "the committed pages are kept, the crawl is not done"

        result = run_crawl_subprocess(None, postgres_url, "--resume", "1")
        assert result.returncode == 0, result.stderr

    with Store(postgres_url) as store:
        snap = store.load_snapshot(1)
        assert store.run(1).status == "complete" and len(store.runs()) == 1
        assert {urlsplit(p.url).path for p in snap.pages_ if p.kind == "article"} == expect["articles"]
        assert {urlsplit(a.url).path for a in snap.attachments_} == expect["attachments"]
        urls = [p.url for p in snap.pages_] + [a.url for a in snap.attachments_]
        assert len(urls) == len(set(urls))

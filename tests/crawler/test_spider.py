"""End-to-end crawls of the fixture portal (subprocess per crawl: a Twisted reactor cannot restart)."""

from __future__ import annotations

import sqlite3
from urllib.parse import urlsplit

import pytest

from crawler.store import Store
from tests.crawler.test_spider_site import run_crawl_subprocess, serve_site


def _path(url: str) -> str:
    return urlsplit(url).path


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory):
    """Crawl the fixture site twice into one store; keep the server's counters of each run."""
    db = tmp_path_factory.mktemp("spider") / "store.sqlite"
    with serve_site() as (server, expect):
        first = run_crawl_subprocess(server.url + "/index.html", db)
        assert first.returncode == 0, first.stderr
        hits_first = dict(server.hits)
        requests_first = dict(server.requests)
        # Every article re-verified (no rotation, crawler/reverify.py): this run tests the 304 path.
        second = run_crawl_subprocess(server.url + "/index.html", db, "--reverify-weeks", "1")
        assert second.returncode == 0, second.stderr
        store = Store(db)
        yield {
            "expect": expect, "server": server, "store": store, "db": db,
            "run1": store.load_snapshot(1), "run2": store.load_snapshot(2),
            "hits_first": hits_first, "requests_first": requests_first,
        }
        store.close()


def test_columns_complete_with_names_items_and_latest(two_runs):
    snap, expect = two_runs["run1"], two_runs["expect"]
    columns = {_path(c.url): c for c in snap.columns_}
    assert set(columns) == set(expect["columns"])
    for path, want in expect["columns"].items():
        column = columns[path]
        assert column.name == want["name"]
        assert column.items == want["items"], path
        assert column.latest == want["latest"], path
        assert column.dated_items == want["items"]
        assert len(column.list_urls) == want["pages"], (path, column.list_urls)
        assert column.path == f"首页/{want['name']}"
        assert column.level == 1
    # Column keys are canonical (`/tzgg/index.html` is the column `/tzgg/`); types come from
    # rules/column_types.yml via the column name.
    assert columns["/tzgg/"].type == "通知公告"
    assert columns["/tzgg/"].type_source in ("name", "meta")


def test_trs_pagination_found_only_in_script(two_runs):
    column = next(c for c in two_runs["run1"].columns_ if _path(c.url) == "/tzgg/")
    assert sorted(_path(u) for u in column.list_urls) == ["/tzgg/index.html", "/tzgg/index_1.html",
                                                          "/tzgg/index_2.html"]


def test_every_article_and_attachment_stored_with_its_column(two_runs):
    snap, expect = two_runs["run1"], two_runs["expect"]
    articles = {_path(p.url): p for p in snap.pages_ if p.kind == "article"}
    assert set(articles) == expect["articles"]
    for path, page in articles.items():
        assert page.published is not None, path
        if path.startswith("/tzgg/"):
            assert _path(page.column_url) == "/tzgg/", path
        if path.startswith("/info/1025/"):
            assert _path(page.column_url) == "/zcwj.htm", path
        if path.startswith("/art/"):
            assert _path(page.column_url) == "/col/col101/", path
    attachments = {_path(a.url): a for a in snap.attachments_}
    assert set(attachments) == expect["attachments"]
    xlsx = next(a for a in attachments.values() if a.filename.endswith(".xlsx"))
    assert xlsx.status == "ok" and xlsx.media_type == "xlsx"
    assert any("!" in s.location for s in xlsx.segments)
    assert xlsx.page_url and _path(xlsx.page_url).startswith("/tzgg/")


def test_gbk_page_behind_utf8_header_is_decoded(two_runs):
    snap = two_runs["run1"]
    gbk = [p for p in snap.pages_ if _path(p.url).startswith("/gbk/2")]
    assert len(gbk) == 4
    assert all("环境整治" in p.title and "\ufffd" not in p.text for p in gbk)
    assert snap.stats["charset_fixed"] >= 5


def test_broken_flaky_trap_and_robots(two_runs):
    snap, requests = two_runs["run1"], two_runs["requests_first"]
    links = {(_path(link.source_url), _path(link.target_url)): link for link in snap.links_}
    missing = links[("/index.html", "/about/missing.html")]
    assert missing.status == 404
    # 500 once, then retried and stored.
    assert requests["/about/flaky.html"] == 2
    assert any(_path(p.url) == "/about/flaky.html" and p.status == 200 for p in snap.pages_)
    assert links[("/index.html", "/about/flaky.html")].status == 200
    # Calendar trap never fetched; robots.txt obeyed.
    assert not any(k.startswith("/calendar.html") for k in requests)
    assert "/private/secret.html" not in requests
    assert links[("/index.html", "/private/secret.html")].error == "robots-disallowed"
    moved = links[("/index.html", "/about/moved.html")]
    assert (moved.status, moved.error) == (302, "offsite-redirect")
    assert not any("example.invalid" in link.target_url for link in snap.links_ if link.status)
    errors = [e for e in snap.errors_ if _path(e.url) == "/about/missing.html"]
    assert len(errors) == 1 and "404" in errors[0].message


def test_every_request_fetched_once_in_first_run(two_runs):
    requests = two_runs["requests_first"]
    repeated = {k: v for k, v in requests.items() if v > 1 and k != "/about/flaky.html"}
    assert repeated == {}


def test_second_run_uses_conditional_requests_and_downloads_no_attachment_twice(two_runs):
    server, run1, run2 = two_runs["server"], two_runs["run1"], two_runs["run2"]
    # Every article and attachment of run 1 was revalidated, not re-downloaded.
    revalidated = {k for k, v in server.not_modified.items() if v}
    assert {_path(a.url) for a in run1.attachments_} <= revalidated
    assert {_path(p.url) for p in run1.pages_ if p.kind == "article"} <= revalidated
    for path in two_runs["expect"]["attachments"]:
        assert server.hits[path] == 1, path
    # Run 2 still holds the full picture, copied forward.
    assert {p.url for p in run2.pages_} == {p.url for p in run1.pages_}
    assert {a.url: a.sha256 for a in run2.attachments_} == {a.url: a.sha256 for a in run1.attachments_}
    assert [(c.url, c.items, c.latest) for c in sorted(run2.columns_, key=lambda c: c.url)] == \
           [(c.url, c.items, c.latest) for c in sorted(run1.columns_, key=lambda c: c.url)]
    # Outlinks of 304 pages were replayed, so the link table is complete too.
    assert {(lk.source_url, lk.target_url) for lk in run2.links_} == \
           {(lk.source_url, lk.target_url) for lk in run1.links_}
    assert run2.stats["not_modified"] >= len(two_runs["expect"]["articles"])


def test_runs_finish_complete_with_stats(two_runs):
    con = sqlite3.connect(two_runs["db"])
    rows = con.execute("SELECT status, site_name FROM runs ORDER BY id").fetchall()
    assert rows == [("complete", "测试县人民政府"), ("complete", "测试县人民政府")]
    stats = two_runs["run1"].stats
    assert stats["pages"] == len(two_runs["run1"].pages_)
    assert stats["inventory_s"] is not None and stats["finish_reason"] == "finished"


def test_max_pages_bounds_the_crawl_and_marks_it_incomplete(tmp_path):
    with serve_site() as (server, _):
        result = run_crawl_subprocess(server.url + "/index.html", tmp_path / "s.sqlite", "--max-pages", "8")
        assert result.returncode == 0, result.stderr
        html_requests = sum(v for k, v in server.requests.items() if k.endswith((".html", ".htm")))
    store = Store(tmp_path / "s.sqlite")
    assert len(store.load_snapshot(1).pages_) <= 8
    assert html_requests <= 9                      # 8 pages + the one 500 retry at most
    assert store.run(1).status == "incomplete"


def test_run_crawls_several_sites_in_one_process(tmp_path):
    """Two sites and an unreachable one in one process: one result each, the failure as a CrawlError."""
    import socket
    import subprocess
    import sys

    from tests.crawler.test_spider_site import REPO, _env

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{sock.getsockname()[1]}/"
    with serve_site() as (one, _), serve_site(seed=8) as (two, _):
        script = (
            "import datetime, json, sys\n"
            "from crawler.run import run_crawls\n"
            "res = run_crawls(sys.argv[2:], sys.argv[1], datetime.date(2023, 2, 1), delay=0, concurrency=4)\n"
            "print(json.dumps([[type(r).__name__, getattr(r, 'run_id', None), getattr(r, 'status', None),"
            " str(r) if type(r).__name__ == 'CrawlError' else ''] for r in res]))\n"
        )
        out = subprocess.run([sys.executable, "-c", script, str(tmp_path / "s.sqlite"), one.url + "/index.html",
                              dead, two.url + "/index.html"], cwd=REPO, env=_env(), capture_output=True,
                             text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    import json

    results = json.loads(out.stdout.strip().splitlines()[-1])
    assert [r[0] for r in results] == ["CrawlResult", "CrawlError", "CrawlResult"]
    assert results[0][2] == results[2][2] == "complete"
    assert "连接被拒绝" in results[1][3]                # CrawlError: the CLI exits 3
    store = Store(tmp_path / "s.sqlite")
    assert [r.status for r in store.runs()] == ["complete", "failed", "complete"]
    assert len(store.load_snapshot(results[2][1]).columns_) == 4

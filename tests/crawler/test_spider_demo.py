"""Crawl the bundled demo portal (small scale) and compare with its manifest.json ground truth."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

import pytest

import govaudit.demo.generator as demo_generator  # our own code: a broken import must fail, not skip
import govaudit.demo.server as demo_server
from crawler.store import Store
from crawler.urls import column_url
from tests.crawler.test_spider_site import run_crawl_subprocess

pytestmark = pytest.mark.slow      # a real crawl of the demo portal in its own process: not in `-m "not slow"`


def _path(url: str) -> str:
    return urlsplit(url).path if url.startswith("http") else url


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    root = tmp_path_factory.mktemp("demo")
    manifest = demo_generator.build(root / "site", seed=11, as_of=dt.date(2026, 11, 28), scale=0.15)
    with demo_server.serve(root / "site") as base:
        result = run_crawl_subprocess(base + "/index.html", root / "s.sqlite", "--concurrency", "8", timeout=240)
        assert result.returncode == 0, result.stderr
    store = Store(root / "s.sqlite")
    yield manifest, store.load_snapshot(1)
    store.close()


def test_demo_columns_match_manifest(demo):
    manifest, snap = demo
    got = {_path(c.url): c for c in snap.columns_}
    want = {_path(column_url(c["url"])): c for c in manifest.columns}     # /x/index.html is the column /x/
    assert set(got) == set(want)
    for path, expected in want.items():
        column = got[path]
        assert column.name == expected["name"], path
        assert column.items == expected["items"], path
        assert str(column.latest) == str(expected["latest"]), path
        assert column.level == expected["level"], path
        assert column.type == expected["type"], path
        assert column.path == expected["path"], path


def test_demo_articles_and_attachments_complete(demo):
    manifest, snap = demo
    articles = {_path(p.url) for p in snap.pages_ if p.kind == "article"}
    assert {_path(a["url"]) for a in manifest.articles} <= articles
    attachments = {_path(a.url) for a in snap.attachments_}
    assert {_path(a["url"]) for a in manifest.attachments} <= attachments
    broken = {_path(b["url"]): b.get("status", 404) for b in manifest.broken_links if "url" in b}
    statuses = {_path(link.target_url): link.status for link in snap.links_}
    for path, status in broken.items():            # an image served as a 200 HTML page says 200 (image_plant.py)
        assert statuses.get(path) == status, path

"""The crawl of the foreign portal (tuning seed 41, hd-trs skin): what the column inventory must get right.

Two faults the foreign portal showed, each on realistic input:
- articles reached before their list (the home page's latest block links three of each column's newest items)
  were stored under the deepest folder known at that moment — the 政府信息公开 landing page — so its
  sub-column lost its newest documents (and a misplaced one was never judged in its column). Now a list that
  claims such an article stores it again under its own column (crawler/spiders/portal.py);
- a redirect loop (A → B → A) left its link with no outcome at all: now it is a dead link (`redirect-loop`);
- a TRS list with no entries (`var countPage=1`, an empty 名称/索引号/发布日期 table) was read as an article,
  because its table header looks like a metadata block, so the blank column was never a column. A TRS pager
  script on the list's own index page now makes it a list (crawler/extract/pagination.py).
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from crawler.extract.pagination import find_pagination
from crawler.store import Store
from tests.crawler.test_spider_site import run_crawl_subprocess
from tests.foreign import skins
from tests.foreign.portal import build
from tests.foreign.server import serve
from tests.needs import reference_file


def _path(url: str) -> str:
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    reference_file("columns", "real-columns.tsv")
    portal = build(41)
    db = tmp_path_factory.mktemp("foreign") / "crawl.sqlite"
    with serve(portal.routes, portal.site, portal.skin) as base:
        proc = run_crawl_subprocess(f"{base}/", db, "--as-of", portal.manifest["as_of"], timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    store = Store(db)
    snapshot = store.load_snapshot(store.latest_run().id)
    return portal.manifest, snapshot


def test_every_article_is_stored_under_the_column_that_lists_it(crawled):
    manifest, snapshot = crawled
    stored = {_path(p.url): _path(p.column_url or "") for p in snapshot.pages(kind="article")}
    wrong = {a["url"]: (stored.get(a["url"]), a["column_url"]) for a in manifest["articles"]
             if stored.get(a["url"]) != a["column_url"]}
    assert not wrong
    # The landing page keeps no article of its sub-columns, so no date either.
    hub = next(c for c in snapshot.columns() if _path(c.url) == "/zwgk/zfxxgk/")
    assert hub.latest is None and hub.unread_reason


def test_an_empty_trs_list_is_a_blank_column_and_a_marker_says_why(crawled):
    manifest, snapshot = crawled
    by_path = {_path(c.url): c for c in snapshot.columns()}
    blanks = [c for c in manifest["columns"] if c["items"] == 0 and not c["hub"]]
    assert len(blanks) == 2
    for column in blanks:
        record = by_path[column["url"]]
        assert record.items == 0 and record.unread_reason is None
    assert sorted(by_path[c["url"]].blank_marker or "" for c in blanks) == ["", "暂无信息"]


def test_a_redirect_loop_is_a_dead_link_not_an_unknown_one(crawled):
    """/old/zwgk.html → /old/zwgk2.html → /old/zwgk.html: the scheduler drops the second visit as seen, which
    left the home page's link without any outcome; the spider now records the loop (crawler/spiders/portal.py)."""
    _, snapshot = crawled
    [link] = [x for x in snapshot.links() if _path(x.target_url) == "/old/zwgk.html"]
    assert (link.status, link.error) == (None, "redirect-loop")
    # An old address moved for good to the landing page is a working link, whichever was fetched first.
    [moved] = [x for x in snapshot.links() if _path(x.target_url) == "/xxgk"]
    assert (moved.status, moved.error) == (200, None)
    # Every other on-site link the crawl followed has an outcome.
    silent = [x.target_url for x in snapshot.links() if x.kind not in ("external", "hidden", "image")
              and x.status is None and x.error is None]
    assert not silent


def test_one_page_trs_list_script_makes_a_list_but_in_article_pagination_does_not():
    list_html = skins._sample("list_hdzfxxgk_hd_gov_cn_trs_jinqixxgk.html").replace("var countPage=56", "var countPage=1")
    assert find_pagination(None, list_html, "http://x.gov.cn/zwgk/bmwj/index.html") == ([], True)
    assert find_pagination(None, list_html, "http://x.gov.cn/zwgk/bmwj/") == ([], True)
    article_html = reference_file("samples", "article_shanxi_gov_cn_trs_20190918.html").read_text(encoding="utf-8")
    assert find_pagination(None, article_html, "http://x.gov.cn/yw/201909/t20190918_693227.shtml") == ([], False)
    # A one-page countPage script on a detail page (no createPageHTML) is no list either.
    bare = "<script>var countPage = 1;</script><p>正文</p>"
    assert find_pagination(None, bare, "http://x.gov.cn/yw/201909/t20190918_693227.shtml") == ([], False)

"""An article page's body links are links, even when their URLs look like list entries (issue 11).

On Hanweb and VSB portals a notice's 相关链接 points at another article (`/art/…/art_1007_N.html`,
`/info/1031/N.htm`) under the page's own 发布日期. Read as a one-entry "list" of that article page, such
a link was never followed nor recorded, so a broken one gave no LNK finding. Here a real crawl of each
shape must record both body links with their outcome, and the broken-link rule must report the missing
one (and only it), while the column still lists exactly its own articles.
"""

from __future__ import annotations

import pytest

from checks.engine import run_checks
from crawler.store import Store
from rules.loader import load_ruleset
from tests.crawler import article_sites
from tests.crawler.list_sites import ListSite, crawl


@pytest.mark.parametrize("cms", ["hanweb", "vsb"])
def test_broken_body_link_on_article_page_is_recorded_and_reported(tmp_path, cms):
    site = article_sites.build(cms)
    db = tmp_path / "store.sqlite"
    with ListSite(site.files, {}) as server:
        base = server.url
        crawled = crawl(base, db)
    column = crawled.columns[base + article_sites_column_key(site)]
    assert column.items == len(site.articles)                 # the body links are not the column's entries

    store = Store(db)
    try:
        snapshot = store.load_snapshot(store.runs()[-1].id)
        links = {(lk.source_url, lk.target_url): lk for lk in snapshot.links_}
        broken = links[(base + site.source, base + site.missing)]
        assert broken.status == 404 and broken.kind == "page"
        assert links[(base + site.source, base + site.present)].status == 200
        result = run_checks(snapshot, load_ruleset().only(["LNK001", "LNK002"]))
    finally:
        store.close()
    reported = [f for f in result.findings if f.kind == "broken_link"]
    assert [f.rule for f in reported] == ["LNK002"], [(f.rule, f.url, f.message) for f in reported]
    assert site.missing in reported[0].message
    assert not result.errors


def article_sites_column_key(site: article_sites.BodyLinkSite) -> str:
    """The column's canonical URL as the inventory keys it (`/col/col1007/` for `/col/col1007/index.html`)."""
    from crawler.urls import column_url
    return column_url(site.column)

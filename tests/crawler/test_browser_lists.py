"""The general fallback: a list of an unknown CMS that loads page N by fetch() from a `javascript:` pager is
rendered in headless Chromium, its list request is seen and replayed for every page; a page whose pager
loads nothing leaves the column unread with the reason, never a crash."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from crawler.spiders.portal import UNREAD_RENDER
from tests.crawler.list_sites import ListSite, articles, crawl, json_answer, page, site_files

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("chromium_binary")]    # fails under CI without chromium
NEWEST = dt.date(2023, 2, 25)
PER_PAGE = 10


def _news_url(date: dt.date, n: int) -> str:
    return f"/news/content/{date:%Y%m%d}-{n}.shtml"


def unknown_cms_list(arts, pager_script: str, declare: bool = True) -> str:
    """Page 1 as HTML; pages 2..N only through the script behind the `javascript:` pager links."""
    items = "".join(f'<li><a href="{a.url}" title="{a.title}">{a.title}</a><span class="date">{a.date:%Y-%m-%d}</span></li>'
                    for a in arts[:PER_PAGE])
    pages = -(-len(arts) // PER_PAGE)
    numbers = "".join(f'<a href="javascript:void(0);" onclick="loadPage({n})">{n}</a>' for n in range(1, pages + 1))
    body = (f'<div class="crumb">当前位置：<a href="/index.html">首页</a> &gt; <a href="/news/index.html">新闻中心</a></div>'
            f'<div class="news-list"><ul id="list">{items}</ul></div>'
            f'<div class="pager">{f"共{len(arts)}条 " if declare else ""}第<span id="cur">1</span>页 {numbers}'
            '<a href="javascript:void(0);" onclick="loadPage(current + 1)">下一页</a></div>')
    return page("新闻中心_测试县人民政府", body, script=f"<script>var current = 1;\n{pager_script}</script>")


FETCH_PAGER = """function loadPage(n) {
  fetch('/api/list?page=' + n + '&size=10&channel=news').then(r => r.json()).then(d => {
    current = n; document.getElementById('cur').innerText = n;
    document.getElementById('list').innerHTML = d.rows.map(x =>
      '<li><a href="' + x.url + '">' + x.title + '</a><span class="date">' + x.pubDate + '</span></li>').join('');
  });
}"""
DEAD_PAGER = "function loadPage(n) { document.getElementById('cur').innerText = n; }"


def unknown_cms_site(pager_script: str, total: int = 57, declare: bool = True) -> tuple[ListSite, list]:
    """The list page and its JSON API; `declare`: whether the page and the API say how many records there are."""
    arts = articles(total, NEWEST, _news_url, titles="新闻")
    files = site_files("/news/index.html", "新闻中心", unknown_cms_list(arts, pager_script, declare), arts)

    def api(seen) -> tuple[int, bytes, str]:
        n, size = int(seen.query.get("page", 1)), int(seen.query.get("size", PER_PAGE))
        if seen.query.get("channel") != "news":
            return 400, json.dumps({"error": "channel"}).encode(), "application/json"
        rows = [{"title": a.title, "url": a.url, "pubDate": f"{a.date:%Y-%m-%d}"} for a in arts[(n - 1) * size:n * size]]
        return json_answer({"total": len(arts), "rows": rows} if declare else {"rows": rows})

    return ListSite(files, {"/api/list": api}), arts


def _column(crawled, name):
    found = [c for c in crawled.columns.values() if c.name == name]
    assert len(found) == 1, [(c.url, c.name) for c in crawled.columns.values()]
    return found[0]


@pytest.mark.parametrize("declare", [True, False], ids=["total-declared", "no-total-until-a-short-page"])
def test_fetch_pager_is_found_in_the_browser_and_replayed_to_the_last_page(tmp_path, declare):
    site, arts = unknown_cms_site(FETCH_PAGER, declare=declare)
    with site:
        crawled = crawl(site.url, tmp_path / "s.sqlite")
        calls = site.requests_to("/api/list")
    column = _column(crawled, "新闻中心")
    assert column.unread_reason is None
    assert column.items == 57 and column.latest == NEWEST
    replayed = sorted(int(c.query["page"]) for c in calls if c.query.get("channel") == "news")
    assert set(replayed) == {2, 3, 4, 5, 6}             # the browser's own click (page 2), then the crawl's replays
    row = next(r for r in crawled.stats["list_coverage"]["columns"] if r["url"] == column.url)
    assert (row["listed"], row["declared"], row["complete"]) == (57, 57 if declare else None, True)
    assert row["fetched"] / row["listed"] >= 0.99


def test_pager_that_loads_nothing_leaves_the_column_unread(tmp_path):
    site, arts = unknown_cms_site(DEAD_PAGER, total=35)
    with site:
        crawled = crawl(site.url, tmp_path / "s.sqlite")
    column = _column(crawled, "新闻中心")
    assert column.unread_reason == UNREAD_RENDER           # freshness gives it no verdict
    row = next(r for r in crawled.stats["list_coverage"]["columns"] if r["url"] == column.url)
    assert (row["listed"], row["entries"], row["complete"]) == (35, PER_PAGE, False)
    assert any(UNREAD_RENDER in e.message for e in crawled.errors)

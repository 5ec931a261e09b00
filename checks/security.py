"""Security checks (安全防护): signs that the portal carries injected content.

国办秘函〔2019〕19号 counts 页面被挂马、内容被篡改 among the 安全、泄密事故等严重问题, and
《政府网站发展指引》 puts 暗链 and 篡改 under 安全防护. What the crawl can see without judging content
is shape: one page linking to thousands of pages of the site that no column lists. The crawler
records such pages (it follows only a sample of their links, see PortalSpider._bounded_links) in
the run's statistics as `link_farm_pages`; this module turns them into Observations.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from checks.finding import Observation
from crawler.records import Snapshot


def _params(rule: Any) -> dict[str, Any]:
    return dict(getattr(rule, "params", None) or {})


def link_farm(snapshot: Snapshot, rule: Any) -> Iterator[Observation]:
    """A page with at least params.min_links links to pages of the site that no column lists."""
    minimum = int(_params(rule).get("min_links", 1000))
    for entry in snapshot.stats.get("link_farm_pages") or ():
        if not isinstance(entry, dict) or not entry.get("url"):
            continue
        links = int(entry.get("links") or 0)
        if links < minimum:
            continue
        page = next((p for p in snapshot.pages() if p.url == entry["url"]), None)
        yield Observation(
            url=entry["url"], key="link_farm",
            column_url=page.column_url if page else None,
            column_name=(snapshot.column(page.column_url).name
                         if page and snapshot.column(page.column_url) else None),
            evidence=f"页面共有{links}个指向未列入栏目的本站链接，已抽样抓取其中{int(entry.get('followed') or 0)}个",
            observed={"links": links, "followed": int(entry.get("followed") or 0),
                      "page_title": page.title if page else None})


CHECKS = {
    "link_farm": link_farm,
}

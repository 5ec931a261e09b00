"""The loopback server serves the generated tree with the planted quirks, and logs every request."""

from __future__ import annotations

import httpx

from govaudit.demo.server import serve


def test_every_manifest_page_and_attachment_is_served(site):
    root, manifest = site
    flaky = {f["url"] for f in manifest.flaky}
    urls = sorted({a["url"] for a in manifest.articles} | {a["url"] for a in manifest.attachments}
                  | {u for c in manifest.columns for u in c["list_urls"]} | {"/", "/wzdt/index.html", "/robots.txt"})
    with serve(root) as base, httpx.Client(base_url=base) as client:
        bad = [(u, r.status_code) for u in urls if u not in flaky and (r := client.get(u)).status_code != 200]
        assert bad == []
        assert base.stats.total == len(urls) - len(flaky & set(urls))
        assert base.stats.count(urls[0]) == 1


def test_charset_headers_gbk_section_and_the_lying_page(site):
    root, manifest = site
    gbk_page = next(a["url"] for a in manifest.articles if a["url"].startswith("/info/"))
    lying = manifest.lying_charset[0]["url"]
    with serve(root) as base, httpx.Client(base_url=base) as client:
        response = client.get(gbk_page)
        assert response.headers["content-type"].lower() == "text/html; charset=gbk"
        assert "来源" in response.text
        response = client.get(lying)
        assert response.headers["content-type"] == "text/html; charset=utf-8"
        assert "\ufffd" in response.content.decode("utf-8", errors="replace")
        assert "青禾县" in response.content.decode("gbk")
        assert client.get("/index.html").headers["content-type"] == "text/html; charset=utf-8"


def test_flaky_page_fails_once_per_server_instance(site):
    root, manifest = site
    url = manifest.flaky[0]["url"]
    for _ in range(2):
        with serve(root) as base, httpx.Client(base_url=base) as client:
            assert [client.get(url).status_code for _ in range(3)] == [500, 200, 200]
            assert base.stats.statuses()[500] == 1


def test_broken_link_hidden_manifest_traversal_and_robots(site):
    root, manifest = site
    with serve(root) as base, httpx.Client(base_url=base) as client:
        assert client.get(manifest.broken_links[0]["url"]).status_code == 404
        assert client.get("/manifest.json").status_code == 404
        assert client.get("/../../etc/passwd").status_code == 404
        assert client.get("/%2e%2e/%2e%2e/etc/passwd").status_code == 404
        robots = client.get("/robots.txt").text
        assert "Disallow: /admin/" in robots
        assert client.head("/index.html").status_code == 200


def test_conditional_requests_get_304(site):
    root, manifest = site
    url = manifest.articles[0]["url"]
    with serve(root) as base, httpx.Client(base_url=base) as client:
        first = client.get(url)
        etag, modified = first.headers["etag"], first.headers["last-modified"]
        again = client.get(url, headers={"If-None-Match": etag})
        assert again.status_code == 304 and again.content == b""
        assert client.get(url, headers={"If-Modified-Since": modified}).status_code == 304
        assert client.get(url, headers={"If-None-Match": '"other"'}).status_code == 200
        assert client.get(url, headers={"If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"}).status_code == 200
        assert base.stats.statuses()[304] == 2 and base.stats.count(url) == 5
        assert len(base.stats.times(url)) == 5


def test_calendar_trap_links_onward_forever(site):
    root, manifest = site
    trap = manifest.traps[0]["url"]
    with serve(root) as base, httpx.Client(base_url=base) as client:
        url = trap
        for _ in range(5):
            page = client.get(url)
            assert page.status_code == 200
            url = page.text.split('href="')[2].split('"')[0]
        assert url.startswith("/calendar?date=") and url != trap
        assert client.get("/calendar?date=garbage").status_code == 200

"""safe_join remembers joins by the part of the base an href can depend on (its origin or its directory).

Every case compares it with the plain join it replaces, `canonicalize(urljoin(base, href))` on the whole
page URL: on every link of the real reference pages (each joined against its page URL and variants with a
query, a fragment and a session id), on hand-written edge cases and on generated hrefs.
"""

from __future__ import annotations

from urllib.parse import urljoin

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import html as lxml_html

from crawler.urls import canonicalize, safe_join
from tests.crawler.extract.extract_samples import SAMPLE_URLS, load_sample


def plain_join(base: str, href: str | None) -> str | None:
    """safe_join as it was: the whole base, no sharing between pages."""
    href = (href or "").strip()
    if not href or href.startswith(("javascript:", "#", "mailto:", "tel:", "data:")) or "{{" in href:
        return None
    try:
        return canonicalize(urljoin(base, href))
    except ValueError:
        return None


def _variants(url: str) -> list[str]:
    return [url, f"{url}?id=3&page=2#top", f"{url};jsessionid=ABC123", url.rsplit("/", 1)[0] + "/",
            url.rsplit("/", 1)[0]]


def test_every_link_of_the_real_pages_joins_as_before():
    kinds = {"origin": 0, "absolute": 0, "directory": 0, "other": 0}
    for name, url in SAMPLE_URLS.items():
        page, _ = load_sample(name)
        tree = lxml_html.fromstring(page)
        hrefs = [v for el in tree.iter("a", "img", "iframe", "frame", "link", "script")
                 for v in (el.get("href"), el.get("src")) if v is not None]
        for href in hrefs:
            kind = ("origin" if href.startswith("/") and not href.startswith("//")
                    else "absolute" if href.startswith(("http://", "https://"))
                    else "directory" if href[:1] not in "/?#;\\" and ":" not in href.partition("/")[0] else "other")
            kinds[kind] += 1
            for base in _variants(url):
                assert safe_join(base, href) == plain_join(base, href), (name, base, href)
    # the pages hold every kind of link, so each path of safe_join was taken
    assert min(kinds.values()) >= 20, kinds


BASES = ["http://www.x.gov.cn/col/col1001/index.html", "http://www.x.gov.cn", "http://www.x.gov.cn/",
         "https://User@WWW.X.gov.cn:8443/a/b/c.htm?x=1#f", "http://www.x.gov.cn/a;p=1/b.html;jsessionid=9",
         "http://www.x.gov.cn/a/b.html;x=1/2", "http://[::1]:8080/zwgk/", "http://[::1/broken",
         "http://127.0.0.1:36543/zwgk/zcwj/xzfwj/", "http://www.x.gov.cn/a%20b/c d/e.html?q=a:b"]
HREFS = ["/", "/a.html", "/a/../b/./c.html", "/../x", "//cdn.x.gov.cn/a.js", "/a?b=1#c", "/a\tb", "/\n/x", "/\n/", "/\t/a.html", "h\nttp://a/b", "a\r/b",
         "a.html", "./a.html", "../a.html", "../../../../a.html", "a/b/../c", "t20220101_1.html?x=1",
         "a.html?t=12:00", "a:b.html", "http:a.html", "HTTP://WWW.X.GOV.CN/A", "?page=2", ";x=1", "#top",
         "\\a\\b.html", " a.html", "a.html ", "\ta.html", "", None, "javascript:void(0)", "mailto:a@x.cn",
         "{{url}}", "%E6%96%B0%E9%97%BB.html", "http://", "http:///x", "https://", "http://a",
         "https://other.gov.cn/a/../b", "http://www.x.gov.cn/a/./b?x=#y", "http://www.x.gov.cn:80/a?", "http://a b/c",
         "https://www.x.gov.cn/../../a", "http://[::1]:99/x", "http://[::1/x", "http://www.x.gov.cn;p/a", "新闻/列表.html", ".", "..", "./", "index.html#", "1", "_a"]


@pytest.mark.parametrize("base", BASES)
def test_edge_cases_join_as_before(base):
    for href in HREFS:
        assert safe_join(base, href) == plain_join(base, href), (base, href)


@settings(max_examples=600, deadline=None)
@given(base=st.sampled_from(BASES),
       href=st.text(alphabet="/.?#;:\\ \t\na1_-=&%[]@新", max_size=16).flatmap(
           lambda tail: st.sampled_from(["", "http://", "https://", "http://a", "/"]).map(lambda head: head + tail)))
def test_generated_hrefs_join_as_before(base, href):
    assert safe_join(base, href) == plain_join(base, href)

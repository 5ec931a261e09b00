"""The Python container tests select exactly what CONTENT_XPATHS select, ranked the same (text.py speed work)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from lxml import etree

from crawler.extract.page import parse_html
from crawler.extract.text import _CONTENT_ONE, _CONTENT_XP, CONTENT_XPATHS, content_candidates
from tests.needs import missing, shared_dir


def _xpath_candidates(doc) -> list[tuple[int, etree._Element]]:
    return [(next(i for i, one in enumerate(_CONTENT_ONE) if one(el)), el) for el in _CONTENT_XP(doc)]


def _pages(tmp_path: Path) -> list[str]:
    from govaudit.demo.generator import build

    build(tmp_path, seed=3, as_of=dt.date(2026, 11, 28), scale=0.1)
    pages = [p.read_text(encoding="utf-8", errors="replace") for p in sorted(tmp_path.rglob("*.htm*"))]
    return pages


def _tricky() -> list[str]:
    """Every container kind, near misses (a class that only contains a token's letters), nesting, odd spaces."""
    return [
        '<div class="x\tTRS_Editor\n y"><p>正文</p></div><div class="TRS_EditorX">否</div>',
        '<div class="trs_editor_view-wide">a</div><div id="vsb_content">b</div><ucapcontent>c</ucapcontent>',
        '<div id="UCAP-CONTENT"><div id="zoom"><div id="Zoom">z</div></div></div><div id="zoom2">no</div>',
        '<div class="main article-content"><div class="article_content"><div class="pages_content">p</div>'
        '</div></div><div id="content" class="TRS_PreAppend TRS_UEDITOR">x</div><div class="v_news_content">v</div>',
        '<div class="content">not an id</div><span id="Content">case differs</span><div class=" TRS_UEDITOR ">u</div>',
    ]


def _same_as_xpaths(htmls: list[str]) -> int:
    checked = 0
    for html in htmls:
        doc = parse_html(html)
        want = _xpath_candidates(doc)
        assert content_candidates(doc) == want
        checked += len(want)
    return checked


def test_python_tests_match_the_xpaths(tmp_path):
    assert len(CONTENT_XPATHS) == len(_CONTENT_ONE)
    htmls = [f"<html><body>{body}</body></html>" for body in _tricky()] + _pages(tmp_path)
    assert _same_as_xpaths(htmls) > 20             # the comparison saw containers, not only empty lists


def test_python_tests_match_the_xpaths_on_real_pages():
    samples = sorted((shared_dir() / "reference" / "samples").glob("*.html"))
    if not samples:
        missing(f"no real sample pages under {shared_dir() / 'reference' / 'samples'}")
    assert _same_as_xpaths([p.read_text(encoding="utf-8") for p in samples]) >= 5


def test_raw_html_prefilter_never_drops_a_present_container():
    html = '<html><body><div class="TRS_Editor">a</div><div id="zoom">b</div></body></html>'
    doc = parse_html(html)
    assert [el.get("class") or el.get("id") for _, el in content_candidates(doc, html)] == ["TRS_Editor", "zoom"]
    assert content_candidates(doc, "<html></html>") == []          # no marker in the raw text: nothing looked for


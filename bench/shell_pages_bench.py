"""What reading pages that are shells costs: parse_page with the JSON menu reader (crawler/extract/column_tree.py,
run on every page) against the same parse with it stubbed out, side by side in one process, alternating rounds;
and per page: the menu reader alone, the label/value element pairs of article.py (detail pages), and
script_list_api (list pages that show no entry).

    uv run python bench/shell_pages_bench.py --rounds 7

Pages: the real reference samples (shared/reference/samples) and the served pages of the foreign portal's
jyh-api skin (seed 71: 目录 trees in scripts and data-* attributes) and hd-trs skin (seed 41). Prints the best
and median seconds per round of each variant and their ratio; figures in bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from urllib.parse import urlsplit  # noqa: E402

from crawler.extract import article as article_module  # noqa: E402
from crawler.extract import page as page_module  # noqa: E402
from crawler.extract.article import _label_pairs  # noqa: E402
from crawler.extract.column_tree import _ARRAY_IN_SOURCE, column_tree_links  # noqa: E402
from crawler.extract.page import parse_html, parse_page  # noqa: E402
from crawler.listapi import script_list_api  # noqa: E402
from tests.foreign.portal import build  # noqa: E402
from tests.needs import shared_dir  # noqa: E402


def pages() -> list[tuple[str, str]]:
    out = []
    for path in sorted((shared_dir() / "reference" / "samples").glob("*.html")):
        out.append((f"http://www.example.gov.cn/{path.name}", path.read_text(encoding="utf-8", errors="replace")))
    for seed in (71, 41):
        portal = build(seed)
        for key, route in portal.routes.items():
            if route.status == 200 and route.content_type.startswith("text/html"):
                out.append((f"http://127.0.0.1:8000{key}", route.body.decode("utf-8", "replace")))
    return out


def one_round(corpus: list[tuple[str, str]], tree_on: bool) -> float:
    started = time.perf_counter()
    if tree_on:
        for url, html in corpus:
            parse_page(html, url)
    else:
        with mock.patch.object(page_module, "column_tree_links", lambda *a, **k: []):
            for url, html in corpus:
                parse_page(html, url)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    corpus = pages()
    one_round(corpus, True)                       # warm caches and imports
    on, off = [], []
    for n in range(args.rounds):
        for tree_on in ((True, False) if n % 2 == 0 else (False, True)):
            (on if tree_on else off).append(one_round(corpus, tree_on))
    print(f"{len(corpus)} pages, {args.rounds} rounds each, alternating")
    print(f"parse_page with the JSON menu reader: best {min(on):.3f} s, median {statistics.median(on):.3f} s")
    print(f"parse_page with it stubbed out:        best {min(off):.3f} s, median {statistics.median(off):.3f} s")
    print(f"ratio (with / without): best {min(on) / min(off):.3f}, median {statistics.median(on) / statistics.median(off):.3f}")
    docs = [(url, parse_html(html), html) for url, html in corpus]
    started = time.perf_counter()
    for _ in range(args.rounds):
        for url, doc, html in docs:
            column_tree_links(doc, url, {urlsplit(url).hostname}, html)
    per_page = (time.perf_counter() - started) / (args.rounds * len(corpus))
    print(f"column_tree_links alone: {per_page * 1e6:.0f} µs a page "
          f"({sum(1 for _, _, h in docs if _ARRAY_IN_SOURCE.search(h))} of {len(docs)} pages hold a JSON array)")
    searched: list[float] = []

    def timed_pairs(doc):
        started = time.perf_counter()
        found = _label_pairs(doc)
        searched.append(time.perf_counter() - started)
        return found
    with mock.patch.object(article_module, "_label_pairs", timed_pairs):
        for url, html in corpus:
            parse_page(html, url)
    print(f"article._label_pairs: searched on {len(searched)} of {len(corpus)} pages (detail pages whose text shows "
          f"a glued label), {statistics.mean(searched) * 1e6:.0f} µs each")
    started = time.perf_counter()
    for _ in range(args.rounds):
        for url, html in corpus:
            script_list_api(html, url)
    per_page = (time.perf_counter() - started) / (args.rounds * len(corpus))
    print(f"script_list_api: {per_page * 1e6:.0f} µs a page (all pages; the spider asks only on pages without entries)")


if __name__ == "__main__":
    main()

"""What the site-identity facts cost the crawl: parse_page over every demo page, with and without them.

    uv run python bench/identity_bench.py [--scale 1.0] [--repeat 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import tempfile
import time
from pathlib import Path

import crawler.extract.page as page_module
from crawler.extract.identity import extract_identity
from govaudit.demo.generator import build


def _time(pages: list[tuple[str, bytes]], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for url, raw in pages:
            page_module.parse_page(raw, url)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        build(root, seed=2026, as_of=dt.date(2026, 11, 30), scale=args.scale)
        pages = [("http://127.0.0.1:1/" + str(f.relative_to(root)), f.read_bytes()) for f in root.rglob("*.htm*")]
    with_facts = _time(pages, args.repeat)
    page_module.extract_identity = lambda doc, meta: None
    without = _time(pages, args.repeat)
    page_module.extract_identity = extract_identity
    print(f"{len(pages)} pages: parse_page {without * 1000 / len(pages):.2f} ms/page without identity facts, "
          f"{with_facts * 1000 / len(pages):.2f} ms/page with (+{(with_facts - without) * 1000 / len(pages):.2f} ms, "
          f"{(with_facts / without - 1):.1%})")


if __name__ == "__main__":
    main()

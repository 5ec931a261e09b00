"""parse_page throughput on the real reference pages, against a plain-lxml baseline on the same pages.

Baseline: `lxml.html.fromstring(html)` + `xpath('//a/@href')` — the least any crawler does per page.
Prints pages/s for both and the ratio (parse_page time / baseline time); no results file is written.
Run: `uv run python bench/extract_speed.py [--rounds N]`
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import lxml.html

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from crawler.extract.page import parse_page  # noqa: E402

SAMPLES = ROOT / ".." / "shared" / "reference" / "samples"


def load() -> list[tuple[str, str]]:
    pages = []
    for path in sorted(SAMPLES.glob("*.html")):
        pages.append((path.read_text(encoding="utf-8"), f"http://bench.example.gov.cn/col/{path.stem}/index.html"))
    return pages


def run(fn, pages, rounds: int) -> float:
    start = time.perf_counter()
    for _ in range(rounds):
        for html, url in pages:
            fn(html, url)
    return time.perf_counter() - start


def baseline(html: str, url: str) -> None:
    lxml.html.fromstring(html).xpath("//a/@href")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    pages = load()
    if not pages:
        sys.exit(f"no samples under {SAMPLES}")
    total_kb = sum(len(h.encode()) for h, _ in pages) / 1024
    run(parse_page, pages, 1)                                # warm-up (regex compilation, imports)
    run(baseline, pages, 1)
    n = len(pages) * args.rounds
    t_base = run(baseline, pages, args.rounds)
    t_parse = run(parse_page, pages, args.rounds)
    print(f"pages: {len(pages)} (avg {total_kb / len(pages):.0f} KB) x {args.rounds} rounds")
    print(f"baseline lxml+hrefs: {n / t_base:8.1f} pages/s")
    print(f"parse_page:          {n / t_parse:8.1f} pages/s")
    print(f"ratio parse_page/baseline time: {t_parse / t_base:.2f}x")
    for html, url in pages:
        t = run(parse_page, [(html, url)], 3) / 3
        print(f"  {t * 1000:7.1f} ms  {len(html) // 1024:4d} KB  {url.split('/col/')[1].split('/')[0]}")


if __name__ == "__main__":
    main()

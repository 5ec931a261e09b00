"""Crawl-time cost of the per-page signals (off-site and hidden links, message lists): crawler/page_signals.py.

Runs PageSignals.collect over every HTML sample of ../shared/reference/samples/ (real county pages) and the
parse_page cost on the same pages for comparison. Usage: uv run python bench/page_signals_bench.py
"""

from __future__ import annotations

import time
from pathlib import Path

from crawler.extract.page import parse_page
from crawler.page_signals import PageSignals
from crawler.urls import same_site

SAMPLES = Path(__file__).resolve().parents[2] / "shared" / "reference" / "samples"


def main() -> None:
    pages = []
    for path in sorted(SAMPLES.glob("*.htm*")):
        raw = path.read_bytes()
        for enc in ("utf-8", "gb18030"):
            try:
                pages.append((path.name, raw.decode(enc)))
                break
            except UnicodeDecodeError:
                continue
    url = "http://www.example.gov.cn/x/index.html"
    rounds = 5
    signals = PageSignals(lambda u: same_site(u, {"www.example.gov.cn"}))
    start = time.perf_counter()
    links = 0
    for _ in range(rounds):
        for _name, text in pages:
            links += len(signals.collect(url, text))
    signal_s = (time.perf_counter() - start) / (rounds * len(pages))
    start = time.perf_counter()
    for _ in range(rounds):
        for _name, text in pages:
            parse_page(text, url)
    parse_s = (time.perf_counter() - start) / (rounds * len(pages))
    print(f"{len(pages)} sample pages, {rounds} rounds: page signals {signal_s * 1000:.2f} ms/page, "
          f"parse_page {parse_s * 1000:.2f} ms/page ({signal_s / parse_s:.0%} of parse); "
          f"{links // rounds} off-site link records per round")


if __name__ == "__main__":
    main()

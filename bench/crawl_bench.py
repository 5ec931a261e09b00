"""Crawl benchmark: govaudit's PortalSpider against a bare Scrapy spider on the same loopback demo portal.

Prints ratios measured side by side on this machine (never absolute targets):
  * pages/s of `govaudit crawl` ÷ pages/s of a bare link-following Scrapy spider (same server, same settings);
  * peak RSS against site size (demo portal at several scales);
  * re-crawl time and bytes ÷ first crawl's (conditional requests, nothing changed);
  * time until the column inventory is complete ÷ total crawl time, at full speed and with a polite-shaped delay.

    uv run python bench/crawl_bench.py [--scales 0.5,1,2] [--repeat 2] [--quick]
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


# ---------------------------------------------------------------------------- the bare baseline
def bare_main(url: str, concurrency: int, delay: float) -> None:
    """Run a bare link-following spider (no parsing, no items) and print {pages, seconds, rss_mb}."""
    import scrapy
    from scrapy import signals
    from scrapy.crawler import AsyncCrawlerProcess
    from scrapy.linkextractors import LinkExtractor

    from crawler.settings import build_settings
    from crawler.urls import canonicalize, host_of, looks_like_trap

    host = host_of(url)
    times: dict[str, float] = {}

    class BareSpider(scrapy.Spider):
        name = "bare"
        extractor = LinkExtractor(deny_extensions=[])

        async def start(self):
            yield scrapy.Request(url)

        def parse(self, response):
            if not hasattr(response, "text"):
                return
            for link in self.extractor.extract_links(response):
                target = canonicalize(link.url)
                if host_of(target) == host and not looks_like_trap(target):
                    yield response.follow(target, callback=self.parse)

    def opened(spider):
        times["start"] = time.monotonic()

    def closed(spider):
        times["end"] = time.monotonic()

    settings = build_settings(concurrency=concurrency, delay=delay, quiet=True)
    for key in ("DOWNLOADER_MIDDLEWARES", "ITEM_PIPELINES"):
        settings.pop(key)
    settings["LOG_ENABLED"] = False
    process = AsyncCrawlerProcess(settings)
    crawler = process.create_crawler(BareSpider)
    crawler.signals.connect(opened, signal=signals.spider_opened)
    crawler.signals.connect(closed, signal=signals.spider_closed)
    process.crawl(crawler)
    process.start()
    stats = crawler.stats.get_stats()
    print(json.dumps({"pages": stats.get("response_received_count", 0),
                      "seconds": times["end"] - times["start"],
                      "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


# ---------------------------------------------------------------------------- runners
def _env() -> dict:
    env = dict(os.environ)
    env["CI"] = "true"
    env["PYTHONPATH"] = str(REPO)
    return env


def run_bare(url: str, concurrency: int, delay: float) -> dict:
    out = subprocess.run([sys.executable, __file__, "--bare", url, "--concurrency", str(concurrency),
                          "--delay", str(delay)], capture_output=True, text=True, env=_env(), check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def run_govaudit(url: str, db: Path, concurrency: int, delay: float) -> dict:
    cmd = [sys.executable, "-m", "crawler.run", "--db", str(db), "--concurrency", str(concurrency),
           "--delay", str(delay), url]
    subprocess.run(cmd, capture_output=True, text=True, env=_env(), cwd=REPO, check=True)
    con = sqlite3.connect(db)
    stats = json.loads(con.execute("SELECT stats FROM runs ORDER BY id DESC LIMIT 1").fetchone()[0])
    con.close()
    return {"pages": stats["responses"], "seconds": stats["duration_s"], "rss_mb": stats["peak_rss_mb"],
            "inventory_s": stats["inventory_s"], "not_modified": stats["not_modified"],
            "stored_pages": stats["pages"], "columns": stats["columns"], "bytes": stats["bytes"]}


@contextlib.contextmanager
def twisted_static(root: Path):
    """A fast static server (Twisted's, 1 process) so the crawler, not the server, is the bottleneck."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "twisted", "web", "--path", str(root),
                             "--listen", f"tcp:{port}:interface=127.0.0.1"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def build_demo(root: Path, scale: float) -> int:
    from govaudit.demo.generator import build

    manifest = build(root, seed=2026, as_of=dt.date(2026, 11, 28), scale=scale)
    return len(manifest.articles)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bare", metavar="URL", help=argparse.SUPPRESS)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--delay", type=float, default=0.0)
    parser.add_argument("--scales", default="0.5,1,2")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--polite-delay", type=float, default=0.02,
                        help="delay for the polite-shaped run (real default is 1 s; scaled down to keep it short)")
    parser.add_argument("--quick", action="store_true", help="one scale (0.3), one repeat")
    parser.add_argument("--server", choices=("demo", "twisted"), default="twisted",
                        help="demo: the demo portal's quirky Python server; twisted: a fast static server")
    args = parser.parse_args()
    if args.bare:
        bare_main(args.bare, args.concurrency, args.delay)
        return 0
    from govaudit.demo.server import serve

    scales = [0.3] if args.quick else [float(s) for s in args.scales.split(",")]
    repeat = 1 if args.quick else args.repeat
    print(f"machine: {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}; concurrency {args.concurrency}, "
          f"delay {args.delay}; server {args.server}")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        rows = []
        for scale in scales:
            root = tmp / f"site{scale}"
            articles = build_demo(root, scale)
            server = serve(root) if args.server == "demo" else twisted_static(root)
            with server as base:
                url = base + "/index.html"
                ratios, recrawl, recrawl_bytes, inventory, rss, bare_rss, pages = [], [], [], [], [], [], 0
                for i in range(repeat):
                    bare = run_bare(url, args.concurrency, args.delay)
                    db = tmp / f"s{scale}_{i}.sqlite"
                    first = run_govaudit(url, db, args.concurrency, args.delay)
                    second = run_govaudit(url, db, args.concurrency, args.delay)
                    ratios.append((first["pages"] / first["seconds"]) / (bare["pages"] / bare["seconds"]))
                    recrawl.append(second["seconds"] / first["seconds"])
                    recrawl_bytes.append(second["bytes"] / max(first["bytes"], 1))
                    inventory.append(first["inventory_s"] / first["seconds"])
                    rss.append(first["rss_mb"])
                    bare_rss.append(bare["rss_mb"])
                    pages = first["pages"]
                    print(f"  scale {scale} run {i + 1}: govaudit {first['pages']} responses in "
                          f"{first['seconds']:.1f} s ({first['pages'] / first['seconds']:.0f}/s), "
                          f"bare {bare['pages']} in {bare['seconds']:.1f} s "
                          f"({bare['pages'] / bare['seconds']:.0f}/s); re-crawl {second['seconds']:.1f} s "
                          f"with {second['not_modified']} × 304; columns {first['columns']}", flush=True)
                polite_db = tmp / f"polite{scale}.sqlite"
                polite = run_govaudit(url, polite_db, 2, args.polite_delay)
            rows.append({"scale": scale, "articles": articles, "responses": pages,
                         "speed_ratio": statistics.median(ratios), "recrawl_ratio": statistics.median(recrawl),
                         "recrawl_bytes": statistics.median(recrawl_bytes),
                         "inventory_fraction": statistics.median(inventory),
                         "polite_inventory_fraction": polite["inventory_s"] / polite["seconds"],
                         "polite_seconds": polite["seconds"],
                         "rss_mb": max(rss), "bare_rss_mb": max(bare_rss)})
    print()
    print("| scale | articles | responses | pages/s govaudit ÷ bare | re-crawl ÷ first (time, bytes) | inventory ÷ total "
          "(full speed) | inventory ÷ total (concurrency 2, delay "
          f"{args.polite_delay}) | peak RSS govaudit / bare (MB) |")
    print("|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['scale']} | {r['articles']} | {r['responses']} | {r['speed_ratio']:.2f} | "
              f"{r['recrawl_ratio']:.2f}, {r['recrawl_bytes']:.2f} | {r['inventory_fraction']:.2f} | {r['polite_inventory_fraction']:.2f} "
              f"({r['polite_seconds']:.0f} s) | {r['rss_mb']:.0f} / {r['bare_rss_mb']:.0f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())

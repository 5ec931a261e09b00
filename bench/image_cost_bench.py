"""What checking images (crawler/images.py, LNK006/LNK007) costs a crawl of the demo portal.

    uv run python bench/image_cost_bench.py --scale 1.0 --repeat 2

Builds the demo portal (seed 2026), serves it on loopback and crawls it in a fresh `crawler.run` process per run,
alternately with the image checks off (GOVAUDIT_MAX_IMAGES=0: the images are still recorded, none is requested)
and on (the default), counting the requests the server saw by method and the image rows stored; then times
`page_images` over every HTML page of the build. Figures in bench/RESULTS.md ("Broken images").
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from crawler.images import page_images  # noqa: E402
from govaudit.demo.generator import build  # noqa: E402
from govaudit.demo.server import serve  # noqa: E402


def crawl(site: Path, db: Path, images_on: bool) -> dict:
    """One crawl in its own process: wall seconds, requests by method, image rows and the run's image counts."""
    env = dict(os.environ, CI="true", PYTHONPATH=str(REPO), GOVAUDIT_OFFLINE="1")
    if not images_on:
        env["GOVAUDIT_MAX_IMAGES"] = "0"
    with serve(site) as base:
        started = time.monotonic()
        proc = subprocess.run([sys.executable, "-m", "crawler.run", "--db", str(db), "--as-of", "2026-11-30",
                               "--delay", "0", "--concurrency", "4", base + "/"],
                              cwd=REPO, capture_output=True, text=True, env=env, timeout=1800)
        wall = time.monotonic() - started
        methods = Counter(method for _, method, _, _ in base.stats.log)
    if proc.returncode != 0:
        raise SystemExit(proc.stderr[-2000:])
    con = sqlite3.connect(db)
    stats = json.loads(con.execute("SELECT stats FROM runs").fetchone()[0])
    rows, distinct = con.execute("SELECT count(*), count(DISTINCT target_url) FROM links WHERE kind='image'").fetchone()
    broken = con.execute("SELECT count(*) FROM links WHERE kind='image' AND (status >= 400 OR error LIKE 'not-image%')"
                         ).fetchone()[0]
    con.close()
    return {"wall": wall, "requests": sum(methods.values()), "head": methods["HEAD"], "get": methods["GET"],
            "pages": stats["pages"], "image_rows": rows, "images": distinct, "broken_rows": broken,
            "counts": stats.get("images", {})}


def extraction(site: Path) -> tuple[int, float]:
    """(HTML pages, best-of-5 microseconds per page) of page_images over the build."""
    pages = []
    for path in site.rglob("*"):
        if path.suffix in (".html", ".htm") and path.is_file():
            data = path.read_bytes()
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                text = data.decode("gb18030", "replace")
            pages.append((text, "http://127.0.0.1/" + str(path.relative_to(site))))
    best = float("inf")
    for _ in range(5):
        started = time.perf_counter()
        for text, url in pages:
            page_images(text, url)
        best = min(best, time.perf_counter() - started)
    return len(pages), best / len(pages) * 1e6


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        build(site, seed=2026, as_of=dt.date(2026, 11, 30), scale=args.scale)
        runs: dict[bool, list[dict]] = {False: [], True: []}
        for i in range(args.repeat):
            for on in (False, True):
                runs[on].append(crawl(site, Path(tmp) / f"run-{on}-{i}.db", on))
        for on in (False, True):
            last = runs[on][-1]
            walls = ", ".join(format(r["wall"], ".1f") for r in runs[on])
            print(f"images {'on ' if on else 'off'}: wall median {statistics.median(r['wall'] for r in runs[on]):.1f} s "
                  f"({walls}), pages {last['pages']}, requests "
                  f"{last['requests']} (HEAD {last['head']}, GET {last['get']}), image rows {last['image_rows']} for "
                  f"{last['images']} images, broken rows {last['broken_rows']}, counts {last['counts']}")
        pages, micros = extraction(site)
        print(f"page_images: {pages} pages, {micros:.0f} us/page (best of 5)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

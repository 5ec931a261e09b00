"""What the issue-14 collection costs a real crawl of the demo portal: page signals and the off-site probe, on and off.

The same demo portal (served on loopback, its fake off-site hosts resolved to the same server) is crawled by
`crawler.run.run_crawl` in a fresh process per crawl, alternately with the collection on and off (off: the
spider's PageSignals collects nothing and the probe after the crawl is skipped). Each crawl reports its wall
time, its process CPU time, the time spent inside PageSignals.collect and the probe's wall time.

    uv run python bench/veto_cost_bench.py [--scale 1.0] [--repeat 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ["GOVAUDIT_OFFLINE"] = "1"        # a benchmark never leaves the machine (crawler/offsite_probe.py)

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

AS_OF = dt.date(2026, 11, 30)


def _cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def crawl_once(base_url: str, mode: str) -> dict:
    """One crawl in this process (a Scrapy reactor runs once per process): the figures as a dict."""
    import crawler.run as run
    import crawler.spiders.portal as portal
    from crawler.page_signals import PageSignals

    spent = {"signals_s": 0.0, "probe_s": 0.0, "probed_hosts": 0}
    if mode == "off":
        class NoSignals:
            def collect(self, *args, **kwargs) -> list:
                return []

            def stats(self) -> dict:
                return {}

        portal.PortalSpider.page_signals = property(lambda self: NoSignals())
        run.probe_run = lambda *args, **kwargs: []
    else:
        collect, probe = PageSignals.collect, run.probe_run

        def timed_collect(self, *args, **kwargs):
            start = time.perf_counter()
            try:
                return collect(self, *args, **kwargs)
            finally:
                spent["signals_s"] += time.perf_counter() - start

        def timed_probe(*args, **kwargs):
            start = time.perf_counter()
            result = probe(*args, **kwargs)
            spent["probe_s"] += time.perf_counter() - start
            spent["probed_hosts"] += len(result)
            return result

        PageSignals.collect, run.probe_run = timed_collect, timed_probe
    with tempfile.TemporaryDirectory() as tmp:
        cpu, start = _cpu_s(), time.perf_counter()
        result = run.run_crawl(base_url + "/", Path(tmp) / "db.sqlite", AS_OF, concurrency=8, delay=0.0,
                               progress=False)
        wall, cpu = time.perf_counter() - start, _cpu_s() - cpu
    return {"mode": mode, "wall_s": wall, "cpu_s": cpu, "pages": result.stats.get("pages"), **spent,
            "message_lists": len(result.stats.get("message_lists") or [])}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--one", choices=("on", "off"), help=argparse.SUPPRESS)
    parser.add_argument("--base", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(crawl_once(args.base, args.one)))
        return 0

    from govaudit.demo.generator import build
    from govaudit.demo.server import serve
    from govaudit.demo.veto_plants import fake_hosts_resolve

    with tempfile.TemporaryDirectory() as tmp:
        manifest = build(Path(tmp) / "site", seed=2026, as_of=AS_OF, scale=args.scale)
        runs: dict[str, list[dict]] = {"on": [], "off": []}
        with serve(Path(tmp) / "site") as base:
            env = {**os.environ, "GOVAUDIT_RESOLVE": fake_hosts_resolve(base, manifest.server)}
            for _ in range(args.repeat):
                for mode in ("off", "on"):
                    out = subprocess.run([sys.executable, __file__, "--one", mode, "--base", base], env=env,
                                         capture_output=True, text=True, check=True)
                    runs[mode].append(json.loads(out.stdout.strip().splitlines()[-1]))
    print(f"demo portal, scale {args.scale}, {len(manifest.articles)} articles; median of {args.repeat} crawls each "
          "(concurrency 8, no delay)")
    print(f"{'collection':<11} {'pages':>6} {'crawl s':>8} {'CPU s':>7} {'CPU ms/page':>12} {'signals ms/page':>16} "
          f"{'probe s':>8} {'hosts':>6} {'lists':>6}")
    for mode in ("off", "on"):
        rows = runs[mode]

        def med(key: str, rows=rows) -> float:
            return statistics.median(r[key] for r in rows)

        pages = med("pages")
        print(f"{mode:<11} {pages:>6.0f} {med('wall_s'):>8.2f} {med('cpu_s'):>7.2f} {med('cpu_s') / pages * 1000:>12.2f} "
              f"{med('signals_s') / pages * 1000:>16.2f} {med('probe_s'):>8.2f} {med('probed_hosts'):>6.0f} "
              f"{med('message_lists'):>6.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

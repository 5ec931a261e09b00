"""Province-scale benchmark: how many polite sites a 2-core machine sustains, and 1 → 2 → 4 worker processes.

Serves S copies of a small demo portal on loopback, each answering with a simulated county-server
latency, and crawls them at a polite per-site rate (a per-site delay, 2 concurrent requests). The
site list is split over P crawl processes (what `govaudit worker` does with one site per message).
It measures, side by side in one run, for P = 1, 2, 4, and for each store (a SQLite file per process,
or one PostgreSQL store all processes share, as workers on several machines do):

  * aggregate pages/s and sites/hour at that per-site rate;
  * CPU seconds per page (crawl + extraction + store), which bounds how many polite sites one core carries.

Then it projects, with the arithmetic printed, the machines a province (1,000 sites × 5,000 pages weekly)
and the country (≈14,000 sites) need at the default politeness (DOWNLOAD_DELAY 1 s).

    uv run python bench/scale_bench.py [--sites 8] [--delay 0.25] [--latency 0.05] [--scale 0.15]
                                       [--stores sqlite,postgres]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

os.environ["GOVAUDIT_OFFLINE"] = "1"        # a benchmark never leaves the machine (crawler/offsite_probe.py)

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

AS_OF = dt.date(2026, 11, 30)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def crawl_part(sites: list[str], db: str, delay: float) -> None:
    """Child process: crawl a part of the site list in one process (each site its own polite slot)."""
    from crawler.run import run_crawls

    started = time.monotonic()
    results = run_crawls(sites, db, AS_OF, concurrency=2, delay=delay, progress=False)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    pages = sum(getattr(r, "stats", {}).get("pages", 0) for r in results)
    print(json.dumps({"pages": pages, "seconds": time.monotonic() - started,
                      "cpu": usage.ru_utime + usage.ru_stime}))


def run(processes: int, sites: list[str], workdir: Path, delay: float, shared_db: str | None = None) -> dict:
    """One measurement. With `shared_db` (a PostgreSQL URL) every process writes into that one store, as
    workers on several machines do; without, each process has its own SQLite file."""
    parts = [sites[i::processes] for i in range(processes)]
    if shared_db:
        from crawler.store import Store
        Store(shared_db).close()                  # the schema first, so the processes only write
    started = time.monotonic()
    children = [subprocess.Popen([sys.executable, __file__, "--child", json.dumps(part),
                                  shared_db or str(workdir / f"p{processes}_{i}.sqlite"), str(delay)],
                                 stdout=subprocess.PIPE, text=True) for i, part in enumerate(parts)]
    outputs = [json.loads(child.communicate()[0].strip().splitlines()[-1]) for child in children]
    wall = time.monotonic() - started
    pages = sum(o["pages"] for o in outputs)
    cpu = sum(o["cpu"] for o in outputs)
    return {"store": "postgres" if shared_db else "sqlite", "processes": processes, "pages": pages, "wall": wall, "pages_per_s": pages / wall,
            "sites_per_hour": len(sites) / wall * 3600, "cpu_per_page_ms": 1000 * cpu / max(pages, 1)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sites", type=int, default=8)
    parser.add_argument("--delay", type=float, default=0.25, help="per-site download delay (polite, scaled down)")
    parser.add_argument("--latency", type=float, default=0.05, help="simulated server response time")
    parser.add_argument("--scale", type=float, default=0.15)
    parser.add_argument("--processes", default="1,2,4")
    parser.add_argument("--stores", default="sqlite,postgres",
                        help="sqlite: a file per process; postgres: one shared PostgreSQL store (Debian's server)")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        crawl_part(json.loads(args.child[0]), args.child[1], float(args.child[2]))
        return

    from govaudit.demo.generator import build

    workdir = Path(tempfile.mkdtemp(prefix="govaudit-scale-"))
    build(workdir / "site", seed=3, as_of=AS_OF, scale=args.scale)
    rows = []
    # One server process per site: a county server is its own machine, and Python's http.server shares one
    # GIL, so serving every site from one process would measure the server, not the crawl.
    ports = [_free_port() for _ in range(args.sites)]
    servers = [subprocess.Popen([sys.executable, "-m", "govaudit.demo.server", str(workdir / "site"), "--port",
                                 str(port), "--latency", str(args.latency)], stdout=subprocess.DEVNULL)
               for port in ports]
    stores = args.stores.split(",")
    try:
        with ExitStack() as stack:
            base = None
            if "postgres" in stores:
                from tests.servers import create_database, postgres_bindir, postgres_server
                if postgres_bindir() is None:
                    sys.exit("PostgreSQL server not installed: apt-get install postgresql, or --stores sqlite")
                base = stack.enter_context(postgres_server(postgres_bindir()))
            time.sleep(2)
            sites = [f"http://127.0.0.1:{port}/" for port in ports]
            for processes in (int(p) for p in args.processes.split(",")):
                for store in stores:
                    shared = create_database(base, f"p{processes}") if store == "postgres" else None
                    rows.append(run(processes, sites, workdir, args.delay, shared))
                    print(json.dumps(rows[-1]), flush=True)
    finally:
        for server in servers:
            server.terminate()

    print(f"\n{args.sites} sites × {rows[0]['pages'] // args.sites} pages, per-site delay {args.delay} s, "
          f"latency {args.latency} s, 2 concurrent requests per site")
    print("| store | worker processes | pages/s | sites/hour | CPU ms per page | speed-up vs 1 process |")
    print("|---|---|---|---|---|---|")
    for row in rows:
        first = next(r for r in rows if r["store"] == row["store"])
        print(f"| {row['store']} | {row['processes']} | {row['pages_per_s']:.1f} | {row['sites_per_hour']:.0f} | "
              f"{row['cpu_per_page_ms']:.1f} | {row['pages_per_s'] / first['pages_per_s']:.2f} |")

    # The projection takes the shared store's cost when it was measured (what several machines run on).
    measured = [row for row in rows if row["store"] == stores[-1]]
    cpu_ms = min(row["cpu_per_page_ms"] for row in measured)
    polite_rate = 1.0                      # pages/s per site at DOWNLOAD_DELAY 1 s (randomised 0.5–1.5 s)
    site_pages, province_sites, country_sites = 5000, 1000, 14000
    core_pages_per_s = 1000 / cpu_ms
    sites_per_core = core_pages_per_s / polite_rate
    hours_per_site = site_pages / polite_rate / 3600
    print("\nProjection at the default politeness (1 page/s per site):")
    print(f"  one core: 1000 / {cpu_ms:.1f} ms = {core_pages_per_s:.0f} pages/s → {sites_per_core:.0f} polite sites "
          f"crawled at once; a 2-core machine (one process per core, 70 % to leave room for extraction "
          f"and the store) ≈ {2 * sites_per_core * 0.7:.0f} sites at once")
    per_machine_week = 2 * sites_per_core * 0.7 * (7 * 24 / hours_per_site)
    print(f"  one site of {site_pages} pages takes {hours_per_site:.1f} h; a machine therefore audits "
          f"{2 * sites_per_core * 0.7:.0f} × (168 h / {hours_per_site:.1f} h) ≈ {per_machine_week:.0f} sites a week")
    for name, count in (("province", province_sites), ("country", country_sites)):
        print(f"  {name}: {count} sites / {per_machine_week:.0f} per machine-week = "
              f"{count / per_machine_week:.2f} → {max(1, -(-count // int(per_machine_week)))} machine(s); "
              f"to finish in one night (8 h) instead: {count / (2 * sites_per_core * 0.7) * hours_per_site / 8:.1f}")


if __name__ == "__main__":
    main()

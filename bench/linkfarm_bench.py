"""Peak memory of `govaudit audit` on the demo portal carrying one 200,000-link page (a link farm).

Usage: uv run python bench/linkfarm_bench.py   (figures go to bench/RESULTS.md by hand)
The audit runs in a child process; psutil samples its RSS (with its children) until it exits.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ["GOVAUDIT_OFFLINE"] = "1"        # a benchmark never leaves the machine (crawler/offsite_probe.py)

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.govaudit.test_budgets import AS_OF, _built, _plant_farm_link, farm_server  # noqa: E402


def main() -> None:
    root = Path(tempfile.mkdtemp(prefix="linkfarm-"))
    site, _ = _built(root)
    _plant_farm_link(site)
    context, base = farm_server(site)
    try:
        started = time.monotonic()
        child = subprocess.Popen([sys.executable, "-m", "govaudit.cli", "audit", f"{base}/", "--as-of",
                                  AS_OF.isoformat(), "--out", str(root / "out"), "--db", str(root / "db.sqlite"),
                                  "--concurrency", "8", "--delay", "0"],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        proc, peak = psutil.Process(child.pid), 0
        while child.poll() is None:
            try:
                rss = proc.memory_info().rss + sum(c.memory_info().rss for c in proc.children(recursive=True))
            except psutil.Error:
                rss = 0
            peak = max(peak, rss)
            time.sleep(0.2)
        elapsed = time.monotonic() - started
        farm = sum(n for path, n in base.stats.counts().items() if path.startswith("/farm"))
        requests = base.stats.total
    finally:
        context.__exit__(None, None, None)
    print(f"exit {child.returncode}; {elapsed:.0f} s; peak RSS {peak / 2**20:.0f} MiB; "
          f"{requests} requests, of which {farm} to the farm; reports: {sorted(p.name for p in (root / 'out').iterdir())}")


if __name__ == "__main__":
    main()

"""What finding srcset, <picture> and inline background images costs `page_images`, against the version before.

    uv run python bench/image_sources_bench.py --baseline 732fd82 --scale 0.3 --rounds 6

Loads crawler/images.py as it was at `--baseline` (git show) beside the current one, and times both in the same
process, alternately, over every HTML page of a demo build (seed 2026) and the reference samples
(../shared/reference/samples); best round per side, and the ratio. Also counts the images each finds.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from crawler import images as current  # noqa: E402
from govaudit.demo.generator import build  # noqa: E402


def baseline_module(rev: str, folder: Path):
    source = subprocess.run(["git", "show", f"{rev}:crawler/images.py"], cwd=REPO, capture_output=True, text=True,
                            check=True).stdout
    path = folder / "images_baseline.py"
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("images_baseline", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def pages_of(site: Path, samples: Path | None) -> list[tuple[str, str]]:
    pages = []
    roots = [(site, "http://127.0.0.1/")] + ([(samples, "http://www.example.gov.cn/")] if samples else [])
    for root, base in roots:
        for path in sorted(root.rglob("*.htm*")):
            data = path.read_bytes()
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                text = data.decode("gb18030", "replace")
            pages.append((text, base + str(path.relative_to(root))))
    return pages


def one_round(func, pages) -> float:
    started = time.perf_counter()
    for text, url in pages:
        func(text, url)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", default="732fd82")
    parser.add_argument("--scale", type=float, default=0.3)
    parser.add_argument("--rounds", type=int, default=6)
    args = parser.parse_args()
    shared = Path(os.environ.get("GOVAUDIT_SHARED", REPO.parent / "shared"))
    samples = shared / "reference" / "samples"
    with tempfile.TemporaryDirectory() as tmp:
        old = baseline_module(args.baseline, Path(tmp))
        site = Path(tmp) / "site"
        build(site, seed=2026, as_of=dt.date(2026, 11, 30), scale=args.scale)
        pages = pages_of(site, samples if samples.is_dir() else None)
        times = {"baseline": [], "current": []}
        for i in range(args.rounds):
            order = [("baseline", old.page_images), ("current", current.page_images)]
            for name, func in (order if i % 2 == 0 else order[::-1]):
                times[name].append(one_round(func, pages))
        found_old = sum(len(old.page_images(t, u)) for t, u in pages)
        found_new = sum(len(current.page_images(t, u)) for t, u in pages)
    best = {name: min(values) / len(pages) * 1e6 for name, values in times.items()}
    print(f"{len(pages)} pages; baseline {args.baseline}: {best['baseline']:.0f} us/page, current: "
          f"{best['current']:.0f} us/page (best of {args.rounds}, alternating); ratio {best['current'] / best['baseline']:.2f}; "
          f"images found {found_old} -> {found_new}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

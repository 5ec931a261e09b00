"""parse_page before and after a change, side by side in one process, on the demo pages and the real samples.

The "before" is crawler/extract/ with the modules this work changes (SPEED_MODULES) as of a git revision
(default HEAD), loaded under another package name; the "after" is the working tree. Both run on the same pages in alternating rounds, so the
machine's load (other jobs on the 2 cores) falls on both alike; each side's figure is its fastest round (CPU time),
since load only ever adds time. Read the ratio first.
Every page's ParsedPage must be identical between the two, or the script stops and says where.

    uv run python bench/extract_compare.py [--before REV] [--rounds 3] [--scale 1]
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
SAMPLES = REPO.parent / "shared" / "reference" / "samples"


# The modules this speed work changes: "before" takes these from the revision and every other module of
# the package from the working tree, so other engineers' work in progress counts on both sides alike.
# pagination.py is left out: a correctness fix landed there (f7351f8) beside the speed work, so "before" takes the
# working tree's, and the pager-link reordering counts on both sides.
SPEED_MODULES = ("page.py", "article.py", "text.py", "dates.py", "meta.py", "navigation.py", "lists.py", "identity.py")


def load_before(rev: str, into: Path):
    """crawler/extract/ with SPEED_MODULES as of `rev`, as the package `_before_extract`."""
    package = into / "_before_extract"
    package.mkdir()
    for path in sorted((REPO / "crawler" / "extract").glob("*.py")):
        if path.name in SPEED_MODULES:
            source = subprocess.run(["git", "show", f"{rev}:crawler/extract/{path.name}"], cwd=REPO, check=True,
                                    capture_output=True, text=True).stdout
        else:
            source = path.read_text(encoding="utf-8")
        (package / path.name).write_text(source.replace("crawler.extract.", "_before_extract."), encoding="utf-8")
    sys.path.insert(0, str(into))
    return importlib.import_module("_before_extract.page").parse_page


def demo_pages(root: Path, scale: float) -> list[tuple[str, str]]:
    from govaudit.demo.generator import build

    build(root, seed=2026, as_of=dt.date(2026, 11, 28), scale=scale)
    return [(p.read_text(encoding="utf-8", errors="replace"), "http://127.0.0.1:8000/" + p.relative_to(root).as_posix())
            for p in sorted(root.rglob("*.htm*"))]


def sample_pages() -> list[tuple[str, str]]:
    return [(p.read_text(encoding="utf-8"), f"http://bench.example.gov.cn/col/{p.stem}/index.html")
            for p in sorted(SAMPLES.glob("*.html"))]


# The steps parse_page calls, as names in its module: wrapped with a timer for --steps.
STEPS = ("parse_html", "extract_meta", "extract_identity", "find_breadcrumb", "is_sitemap", "find_nav_links",
         "find_list_entries", "find_pagination", "find_blank_marker", "find_content", "find_content_and_text",
         "element_text", "extract_article", "find_attachments")


def step_times(page_module, pages: list[tuple[str, str]], rounds: int) -> dict[str, float]:
    """ms a page spent in each step (fastest round of each), and "total": the page module's names wrapped, then restored."""
    spent: dict[str, float] = {}
    originals = {name: getattr(page_module, name) for name in STEPS if hasattr(page_module, name)}

    def timed(name, fn):
        def wrapper(*args, **kwargs):
            start = time.process_time()
            try:
                return fn(*args, **kwargs)
            finally:
                spent[name] = spent.get(name, 0.0) + time.process_time() - start
        return wrapper

    best: dict[str, float] = {}
    try:
        for name, fn in originals.items():
            setattr(page_module, name, timed(name, fn))
        for _ in range(rounds):
            spent.clear()
            start = time.process_time()
            for html, url in pages:
                page_module.parse_page(html, url)
            spent["total"] = time.process_time() - start
            for name, seconds in spent.items():
                best[name] = min(best.get(name, float("inf")), seconds)
    finally:
        for name, fn in originals.items():
            setattr(page_module, name, fn)
    return {name: seconds * 1000 / len(pages) for name, seconds in best.items()}


def same(a, b) -> bool:
    """ParsedPages equal field by field; the before-package's classes are other classes with the same fields."""
    return repr(a) == repr(b)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", default="HEAD")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--only", choices=("demo", "samples"), help="measure one set of pages only")
    parser.add_argument("--steps", action="store_true",
                        help="also time each extraction step parse_page calls, on the real samples, both sides")
    args = parser.parse_args()
    from crawler.extract.page import parse_page as after

    with tempfile.TemporaryDirectory() as tmp:
        before = load_before(args.before, Path(tmp))
        sets = {"demo portal": demo_pages(Path(tmp) / "demo", args.scale) if args.only != "samples" else [],
                "real samples": sample_pages() if args.only != "demo" else []}
        print(f"before: crawler/extract at {args.before}; after: the working tree; {args.rounds} rounds, alternating, "
              "fastest round of each")
        print("| pages | n | before ms/page | after ms/page | after ÷ before | results identical |")
        print("|---|---|---|---|---|---|")
        for name, pages in sets.items():
            if not pages:
                continue
            for html, url in pages:
                if not same(before(html, url), after(html, url)):
                    print(f"DIFFERENT: {url}")
                    return 1
            rounds: dict[str, list[float]] = {"before": [], "after": []}
            for _ in range(args.rounds):
                for label, fn in (("before", before), ("after", after)):
                    start = time.process_time()
                    for html, url in pages:
                        fn(html, url)
                    rounds[label].append(time.process_time() - start)
            # the fastest round of each side: other jobs on the shared cores only ever add time
            b, a = (min(rounds[side]) * 1000 / len(pages) for side in ("before", "after"))
            print(f"| {name} | {len(pages)} | {b:.2f} | {a:.2f} | {a / b:.2f} | yes |")
        per_page = []
        for html, url in sets["real samples"]:
            best = float("inf")
            for _ in range(args.rounds):
                start = time.process_time()
                after(html, url)
                best = min(best, time.process_time() - start)
            per_page.append((best * 1000, len(html) // 1024, url))
        if per_page:
            print("\nreal samples, after, one by one (fastest of the rounds):")
        for ms, kb, url in per_page:
            print(f"  {ms:6.2f} ms  {kb:4d} KB  {url.split('/col/')[1].split('/')[0]}")
        if args.steps and sets["real samples"]:
            import crawler.extract.page as after_page

            before_page = sys.modules["_before_extract.page"]
            sides = {"before": step_times(before_page, sets["real samples"], args.rounds),
                     "after": step_times(after_page, sets["real samples"], args.rounds)}
            print("\nreal samples, ms a page in each step parse_page calls (fastest round; a step's time includes "
                  "the steps it calls, the timer's own cost is in the total):")
            print("| step | before | after |\n|---|---|---|")
            names = sorted(set(sides["before"]) | set(sides["after"]), key=lambda n: -sides["before"].get(n, 0))
            for name in names:
                b, a = (f"{sides[side][name]:.2f}" if name in sides[side] else "–" for side in ("before", "after"))
                print(f"| {name} | {b} | {a} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())

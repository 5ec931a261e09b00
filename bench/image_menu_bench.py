"""What the image-row menus (crawler/extract/navigation.py `_image_menus`) and the byte-keeping query parse
(crawler/urls.py `canonicalize`) cost, against the code without them, side by side in one process.

    uv run python bench/image_menu_bench.py --rounds 6

parse_page over the reference samples (../shared/reference/samples), every HTML page of a demo build (seed 2026,
scale 0.3) and every page the foreign gbk-table skin serves (seed 61), with `_image_menus` on and stubbed out,
alternating rounds (and which goes first); and canonicalize (its cache bypassed) on every link of those pages, current and the former
parse_qsl/urlencode query; and `_image_menus` alone on the parsed pages. Best and median round per side, and their ratios.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from crawler import urls  # noqa: E402
from crawler.extract import navigation  # noqa: E402
from crawler.extract.page import _to_text, parse_html, parse_page  # noqa: E402
from govaudit.demo.generator import build as build_demo  # noqa: E402
from tests.foreign.portal import build as build_foreign  # noqa: E402
from tests.needs import shared_dir  # noqa: E402


def pages() -> list[tuple[bytes, str]]:
    out = []
    samples = shared_dir() / "reference" / "samples"
    if samples.is_dir():
        out += [(p.read_bytes(), "http://www.example.gov.cn/" + p.name) for p in sorted(samples.glob("*.htm*"))]
    with tempfile.TemporaryDirectory() as folder:
        site = Path(folder) / "site"
        build_demo(site, seed=2026, scale=0.3, as_of=dt.date(2026, 11, 30))
        out += [(p.read_bytes(), "http://127.0.0.1/" + str(p.relative_to(site))) for p in sorted(site.rglob("*.htm*"))]
    portal = build_foreign(61)
    out += [(r.body, "http://127.0.0.1" + path) for path, r in portal.routes.items()
            if isinstance(r.body, bytes) and b"<html" in r.body[:400].lower()]
    return out


def former_canonicalize(url: str) -> str:
    """canonicalize with the query parsed by parse_qsl and written by urlencode, as before the change."""
    head = urls.canonicalize.__wrapped__(url.split("?", 1)[0])
    query = urlsplit(url.strip()).query
    pairs = sorted((k, v) for k, v in parse_qsl(query, keep_blank_values=True) if not urls._dropped_param(k, v))
    parts = urlsplit(head)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(pairs), ""))


def best(func, items, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        for item in items:
            func(*item)
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=6)
    args = parser.parse_args()
    corpus = pages()
    real = navigation._image_menus
    menus = sum(len(real(doc)) for body, _ in corpus if (doc := parse_html(_to_text(body))) is not None)
    on, off = [], []
    for round_ in range(args.rounds):                    # alternate which side goes first
        for side in ((on, real), (off, lambda doc: []))[:: 1 if round_ % 2 == 0 else -1]:
            navigation._image_menus = side[1]
            side[0].append(best(parse_page, corpus, 1))
    navigation._image_menus = real
    docs = [(doc,) for body, _ in corpus if (doc := parse_html(_to_text(body))) is not None]
    alone = [best(real, docs, 1) for _ in range(args.rounds)]
    links = [(link.url,) for body, url in corpus for link in parse_page(body, url).links]
    links += [(u.replace("?", "?x=%D5%FE%B8%AE&", 1),) for (u,) in links if "?" in u]
    new = [best(urls.canonicalize.__wrapped__, links, 1) for _ in range(args.rounds)]
    old = [best(former_canonicalize, links, 1) for _ in range(args.rounds)]
    print(f"{len(corpus)} pages ({menus} image-row menus found), {len(links)} links, {args.rounds} rounds, best of each")
    print(f"_image_menus alone over the parsed pages: best {min(alone) * 1000:.1f} ms, median "
          f"{statistics.median(alone) * 1000:.1f} ms ({min(alone) / min(off):.1%} of parse_page's best without it)")
    for name, a, b, labels in (("parse_page", on, off, ("with image menus", "stubbed out")),
                               ("canonicalize", new, old, ("bytes query", "parse_qsl"))):
        print(f"{name:12} {labels[0]:>16} best {min(a) * 1000:8.1f} ms median {statistics.median(a) * 1000:8.1f} ms | "
              f"{labels[1]:>11} best {min(b) * 1000:8.1f} ms median {statistics.median(b) * 1000:8.1f} ms | "
              f"ratio best {min(a) / min(b):.3f} median {statistics.median(a) / statistics.median(b):.3f}")


if __name__ == "__main__":
    main()

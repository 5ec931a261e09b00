"""Score a full `govaudit audit` of the blind portal (tests/blind/, a 2015-era 政府信息公开 platform built without
reading the crawler or the checks) per kind.

    uv run python bench/blind_eval.py                   # seeds 91, 92, 93
    uv run python bench/blind_eval.py --seeds 91 --keep /tmp/be
    uv run python bench/blind_eval.py --parse-cost      # parse_page with / without the catalogue-facet test

Builds the portal for each seed, serves it on 127.0.0.1, runs `govaudit audit` in its own process with
GOVAUDIT_OFFLINE=1, and scores findings against the manifest with govaudit/demo/evaluate.py's matcher. Paths are
compared percent-decoded and with query parameters sorted on both sides (the manifest writes `临时救助 名单.xls`
and `content.jsp?id=1&catid=18`, a crawler may write `%E4%B8%B4…%20…` and `?catid=18&id=1`): one place, two
spellings. Counted and 需人工复核 findings are scored apart, as in
bench/foreign_eval.py. The figures in bench/RESULTS.md ("A blind portal, 2026-12-05") come from this script.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import unquote

os.environ["GOVAUDIT_OFFLINE"] = "1"        # a benchmark never leaves the machine

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.foreign_eval import KINDS, format_table, split_scores  # noqa: E402
from tests.blind.portal import AS_OF, SEEDS, build  # noqa: E402
from tests.blind.server import serve  # noqa: E402


def decoded(findings: list[dict], manifest: dict) -> tuple[list[dict], dict]:
    """Findings and manifest with every URL the matcher reads percent-decoded."""
    def same(url: str) -> str:
        head, mark, query = unquote(url).partition("?")
        return head + mark + "&".join(sorted(query.split("&"))) if query else head

    def fix(item: dict) -> dict:
        item = dict(item)
        for name in ("url", "column_url"):
            if isinstance(item.get(name), str):
                item[name] = same(item[name])
        if isinstance(item.get("observed"), dict) and isinstance(item["observed"].get("target"), str):
            item["observed"] = {**item["observed"], "target": same(item["observed"]["target"])}
        if isinstance(item.get("column"), dict) and isinstance(item["column"].get("url"), str):
            item["column"] = {**item["column"], "url": same(item["column"]["url"])}
        return item
    fixed = {**manifest, "planted": [fix(p) for p in manifest["planted"]],
             "broken_links": [fix(b) for b in manifest["broken_links"]]}
    return [fix(f) for f in findings], fixed


def audit_blind(seed: int, work: Path) -> tuple[dict, dict, float, int]:
    """findings.json, manifest, wall seconds and exit code of one audit of a fresh build."""
    portal = build(seed)
    out, db = work / f"out-{seed}", work / f"db-{seed}.sqlite"
    for stale in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
        stale.unlink(missing_ok=True)
    (work / f"manifest-{seed}.json").write_text(json.dumps(portal.manifest, ensure_ascii=False, indent=1), "utf-8")
    with serve(portal.routes) as base:
        started = time.monotonic()
        proc = subprocess.run(
            [sys.executable, "-m", "govaudit.cli", "audit", f"{base}/", "--as-of", AS_OF.isoformat(),
             "--out", str(out), "--db", str(db), "--concurrency", "8", "--delay", "0"],
            capture_output=True, text=True, env={**os.environ, "CI": "true"})
        seconds = time.monotonic() - started
    (work / f"audit-{seed}.log").write_text(proc.stdout + "\n----\n" + proc.stderr, "utf-8")
    if proc.returncode not in (0, 1, 4):
        sys.exit(f"audit of seed {seed} failed ({proc.returncode}):\n{proc.stdout[-2000:]}\n{proc.stderr[-3000:]}")
    document = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    return document, portal.manifest, seconds, proc.returncode


def parse_cost(rounds: int = 5) -> None:
    """parse_page over the HTML pages of seed 91 (facet pages left out) and the reference samples, with the facet
    test (navigation.is_facet_view) and without it, alternating in one process: what the test costs a page."""
    import crawler.extract.page as page_module
    from crawler.extract.page import parse_page
    from tests.needs import shared_dir

    pages = [(f"http://127.0.0.1{path}", r.body.decode("utf-8")) for path, r in build(91).routes.items()
             if r.content_type.startswith("text/html") and r.body]
    samples = shared_dir() / "reference" / "samples"
    pages += [(f"http://example.gov.cn/{f.name}", f.read_text("utf-8", "replace")) for f in sorted(samples.glob("*.html"))]
    # Facet pages themselves parse differently with the test (no list): only the other pages measure its cost.
    pages = [(url, html) for url, html in pages if not parse_page(html, url).facet_view]
    real = page_module.is_facet_view
    totals = {"with": 0.0, "without": 0.0}
    for _ in range(rounds):
        for name, fn in (("with", real), ("without", lambda *a: False), ):
            page_module.is_facet_view = fn
            started = time.perf_counter()
            for url, html in pages:
                parse_page(html, url)
            totals[name] += time.perf_counter() - started
    page_module.is_facet_view = real
    per = {k: v / rounds / len(pages) * 1000 for k, v in totals.items()}
    print(f"{len(pages)} pages, {rounds} alternating rounds: parse_page {per['with']:.2f} ms/page with the facet test, "
          f"{per['without']:.2f} without ({per['with'] / per['without']:.3f}x)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=list(SEEDS))
    parser.add_argument("--keep", type=Path, help="keep reports, stores, logs and manifests here")
    parser.add_argument("--parse-cost", action="store_true", help="only time parse_page with and without the facet test")
    args = parser.parse_args()
    if args.parse_cost:
        parse_cost()
        return
    work = args.keep or Path(tempfile.mkdtemp(prefix="govaudit-blind-eval-"))
    work.mkdir(parents=True, exist_ok=True)
    for seed in args.seeds:
        document, manifest, seconds, code = audit_blind(seed, work)
        findings, manifest = decoded(document["findings"], manifest)
        print(f"## seed {seed}, skin {manifest['skin']}: {len(findings)} findings, audit {seconds:.0f} s, exit {code}, "
              f"status {document.get('status')}, unread columns {len(document.get('unread_columns') or [])}")
        for column in document.get("unread_columns") or []:
            print(f"    unread: {column.get('name')} {unquote(column.get('url') or '')} {column.get('reason')}")
        counted, review = split_scores(findings, manifest)
        print(format_table(counted, review, findings))
        print()


if __name__ == "__main__":
    assert set(KINDS) >= {"stale_column", "blank_column", "category_mismatch", "personal_data", "broken_link"}
    main()

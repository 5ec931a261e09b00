"""Score a full `govaudit audit` of the demo portal against its manifest, at given seeds.

    uv run python bench/demo_eval.py --seeds 2026 7 --scale 0.3
    uv run python bench/demo_eval.py --styles trs-real hanweb-real vsb-real --seeds 11 --scale 0.3

Builds the portal for each seed, serves it on loopback, makes a week of real probe rounds against it
(govaudit/demo/availability_identity.py, the monitoring 站点无法访问 is judged on), maps the demo's fake
off-site hosts to the same server (govaudit/demo/veto_plants.py: with GOVAUDIT_OFFLINE=1 an unmapped host is
never asked, so the issue-14 off-site plants could not be found), all as `govaudit demo` does, runs the audit
in its own process (as a clerk would), and prints per-kind planted / found / recall / findings / precision from
govaudit/demo/evaluate.py, with every miss and false alarm named. The figures in bench/RESULTS.md
("Demo scoring") come from this script.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ["GOVAUDIT_OFFLINE"] = "1"        # a benchmark never leaves the machine (crawler/offsite_probe.py)

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from govaudit.demo.evaluate import format_scores, format_targets, score  # noqa: E402

AS_OF = dt.date(2026, 11, 30)


def audit_demo(seed: int, scale: float, work: Path, style: str = "classic") -> tuple[list[dict], dict, float]:
    """Findings (findings.json's list), manifest and wall seconds of one audit of a fresh demo build."""
    from crawler.store import Store
    from govaudit.demo.availability_identity import probe_week
    from govaudit.demo.generator import build
    from govaudit.demo.server import serve
    from govaudit.demo.veto_plants import RESOLVE_ENV, fake_hosts_resolve

    tag = f"{style}-{seed}" if style != "classic" else str(seed)
    site = work / f"site-{tag}"
    build(site, seed=seed, as_of=AS_OF, scale=scale, style=style)
    manifest = json.loads((site / "manifest.json").read_text(encoding="utf-8"))
    out, db = work / f"out-{tag}", work / f"db-{tag}.sqlite"
    for stale in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
        stale.unlink(missing_ok=True)          # --keep reused: one run and one probe week per audit
    with serve(site) as base:
        with Store(db) as week_store:
            probe_week(week_store, f"{base}/", AS_OF)
        resolve = fake_hosts_resolve(base, manifest.get("server") or {})
        started = time.monotonic()
        proc = subprocess.run(
            [sys.executable, "-m", "govaudit.cli", "audit", f"{base}/", "--as-of", AS_OF.isoformat(),
             "--out", str(out), "--db", str(db), "--concurrency", "8", "--delay", "0"],
            capture_output=True, text=True, env={**os.environ, "CI": "true", RESOLVE_ENV: resolve})
        seconds = time.monotonic() - started
    if proc.returncode not in (0, 1):
        sys.exit(f"audit of seed {seed} failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    document = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    return document["findings"], manifest, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[2026, 7])
    parser.add_argument("--scale", type=float, default=0.3)
    parser.add_argument("--styles", nargs="+", default=["classic"],
                        help="demo styles (govaudit/demo/styles.py): names, 'seed', or knob lists")
    parser.add_argument("--keep", type=Path, help="keep sites, reports and stores here")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="govaudit-demo-eval-"))
    work.mkdir(parents=True, exist_ok=True)
    summary = []
    for style in args.styles:
        for seed in args.seeds:
            findings, manifest, seconds = audit_demo(seed, args.scale, work, style)
            print(f"## style {style}, seed {seed}, scale {args.scale}: {len(findings)} findings, audit {seconds:.0f} s")
            scores = score(findings, manifest)
            counted = score([f for f in findings if not f.get("needs_review")], manifest)
            print(format_scores(scores))
            print(format_counted(scores, counted))
            print(format_targets(scores))
            print()
            summary.append(summary_row(style, seed, scores, counted, seconds))
    print(format_summary(summary))


def format_counted(scores: dict, counted: dict) -> str:
    """The counted findings apart from 需人工复核 (the standard: counted precision 1.00), and what review alone found."""
    lines = []
    for kind in sorted(scores):
        c = counted.get(kind)
        if c is not None and c.findings and c.precision < 1.0:
            lines.append(f"    counted precision {kind}: {c.precision:.2f}")
            lines.extend(f"        counted false alarm: {f}" for f in c.false_alarms)
        only_review = sorted(set(c.missed if c is not None else scores[kind].missed) - set(scores[kind].missed))
        lines.extend(f"    found only in 需人工复核 ({kind}): {m}" for m in only_review)
    return "\n".join(lines) or "    counted findings (需人工复核 apart): precision 1.00 in every kind, nothing found only in review"


def summary_row(style: str, seed: int, scores: dict, counted: dict, seconds: float) -> dict:
    planted = sum(s.planted for s in scores.values())
    return {
        "run": f"{style} {seed}", "planted": planted, "found": sum(s.found for s in scores.values()),
        "counted_found": sum(c.found for c in counted.values()),
        "counted_precision": min((c.precision for c in counted.values() if c.findings), default=1.0),
        "review": sum(s.review for s in scores.values()), "seconds": seconds,
        "missed": sorted(k for k, s in scores.items() if s.missed),
        "review_only": sorted(k for k, c in counted.items() if set(c.missed) - set(scores[k].missed)),
    }


def format_summary(rows: list[dict]) -> str:
    """One line per audit: what RESULTS.md's tables are made of."""
    lines = ["## summary", "| run | found / planted | of them counted | lowest counted precision | 需人工复核 findings "
             "| missed kinds | found only in review | audit s |", "|---|---|---|---|---|---|---|---|"]
    for r in rows:
        lines.append(f"| {r['run']} | {r['found']}/{r['planted']} | {r['counted_found']} | {r['counted_precision']:.2f} "
                     f"| {r['review']} | {', '.join(r['missed']) or '-'} | {', '.join(r['review_only']) or '-'} "
                     f"| {r['seconds']:.0f} |")
    return "\n".join(lines)


if __name__ == "__main__":
    main()

"""Score a full `govaudit audit` of the foreign portal (tests/foreign/, built apart from the demo) per kind.

    uv run python bench/foreign_eval.py                 # seed 41 (hd-trs), 42 (fj-trs), 51 and 52 (zj-hanweb),
                                                        # 61 and 62 (gbk-table), 71 and 72 (jyh-api),
                                                        # 81 and 82 (aspx-zq)
    uv run python bench/foreign_eval.py --seeds 41 --keep /tmp/fe

Builds the portal for each seed, serves it on 127.0.0.1, runs `govaudit audit` in its own process with
GOVAUDIT_OFFLINE=1 (as the tests do), and scores findings against the portal's manifest with
govaudit/demo/evaluate.py's matcher (it reads the manifest's `planted` and `broken_links` as they are).
Counted findings and 需人工复核 findings are scored apart: precision is the counted findings' (an unsure
finding belongs in review, where it costs nothing), and a planted problem found only in review is listed
as such. Held-out seeds (the manifest's `held_out`: HELD_OUT_SEED, and HANWEB_SEEDS, OLD_TABLE_SEEDS,
FRAMED_SEEDS, INTENSIVE_SEEDS and ASPX_SEEDS whose first scores were recorded before any fix they prompted) are marked in
the output.
The figures in bench/RESULTS.md ("A portal built apart from the demo") come from this script.
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

os.environ["GOVAUDIT_OFFLINE"] = "1"        # a benchmark never leaves the machine (crawler/offsite_probe.py)

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from govaudit.demo.evaluate import KindScore, score  # noqa: E402
from tests.foreign.portal import (  # noqa: E402
    AS_OF,
    ASPX_SEEDS,
    HANWEB_SEEDS,
    HELD_OUT_SEED,
    INTENSIVE_SEEDS,
    OLD_TABLE_SEEDS,
    build,
)
from tests.foreign.server import serve  # noqa: E402

# The kinds the foreign portal plants; every other kind's findings are listed, not scored.
KINDS = ("stale_column", "blank_column", "category_mismatch", "personal_data", "broken_link")


def audit_foreign(seed: int, work: Path) -> tuple[list[dict], dict, float]:
    """Findings (findings.json's list), manifest and wall seconds of one audit of a fresh build."""
    portal = build(seed)
    out, db = work / f"out-{seed}", work / f"db-{seed}.sqlite"
    for stale in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
        stale.unlink(missing_ok=True)
    (work / f"manifest-{seed}.json").write_text(json.dumps(portal.manifest, ensure_ascii=False, indent=1), "utf-8")
    with serve(portal.routes, portal.site, portal.skin, portal.api) as base:
        started = time.monotonic()
        proc = subprocess.run(
            [sys.executable, "-m", "govaudit.cli", "audit", f"{base}/", "--as-of", AS_OF.isoformat(),
             "--out", str(out), "--db", str(db), "--concurrency", "8", "--delay", "0"],
            capture_output=True, text=True, env={**os.environ, "CI": "true"})
        seconds = time.monotonic() - started
    if proc.returncode not in (0, 1, 4):       # 4: reports written, the check not whole (printed)
        sys.exit(f"audit of seed {seed} failed ({proc.returncode}):\n{proc.stdout[-2000:]}\n{proc.stderr[-3000:]}")
    document = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    return document["findings"], portal.manifest, seconds


def split_scores(findings: list[dict], manifest: dict) -> tuple[dict[str, KindScore], dict[str, KindScore]]:
    """(counted, review) scores: precision of the counted findings; what review alone would add."""
    counted = score([f for f in findings if not f.get("needs_review")], manifest)
    review = score([f for f in findings if f.get("needs_review")], manifest)
    return counted, review


def format_table(counted: dict[str, KindScore], review: dict[str, KindScore], findings: list[dict]) -> str:
    lines = [f"{'kind':<18} {'planted':>7} {'found':>6} {'recall':>7} {'counted':>8} {'precision':>9} {'F1':>5} "
             f"{'review':>6} {'in review only':>14}"]
    for kind in KINDS:
        c, r = counted.get(kind, KindScore()), review.get(kind, KindScore())
        only_review = len(set(c.missed) - set(r.missed))
        lines.append(f"{kind:<18} {c.planted:>7} {c.found:>6} {c.recall:>7.2f} {c.findings:>8} {c.precision:>9.2f} "
                     f"{c.f1:>5.2f} {r.findings:>6} {only_review:>14}")
        lines.extend(f"    missed: {m}" for m in c.missed)
        lines.extend(f"    false alarm: {f}" for f in c.false_alarms)
        lines.extend(f"    review, not planted: {f}" for f in r.false_alarms)
    others: dict[str, list[int]] = {}
    for f in findings:
        if f["kind"] not in KINDS and f.get("status") != "resolved":
            others.setdefault(f["kind"], [0, 0])[bool(f.get("needs_review"))] += 1
    if others:
        lines.append("other kinds (not planted, not scored): " + ", ".join(
            f"{k} {v[0]}+{v[1]} review" for k, v in sorted(others.items())))
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[41, HELD_OUT_SEED, *HANWEB_SEEDS, *OLD_TABLE_SEEDS,
                                                                    *INTENSIVE_SEEDS, *ASPX_SEEDS])
    parser.add_argument("--keep", type=Path, help="keep reports, stores and manifests here")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="govaudit-foreign-eval-"))
    work.mkdir(parents=True, exist_ok=True)
    for seed in args.seeds:
        findings, manifest, seconds = audit_foreign(seed, work)
        held = " (held out)" if manifest.get("held_out") else ""
        print(f"## seed {seed}, skin {manifest['skin']}{held}: {len(findings)} findings, audit {seconds:.0f} s")
        counted, review = split_scores(findings, manifest)
        print(format_table(counted, review, findings))
        print()


if __name__ == "__main__":
    main()

"""A stop after the crawl, while the checks run or while the reports are written, in a real `govaudit audit`.

tests/govaudit/test_interrupt.py stops the crawl; here the crawl of a small 127.0.0.1 portal has finished and
the signal comes later. A hook (run in the audit process, as test_interrupt.py's) makes the checks, or the
writing of report.docx after findings.json and rectification.xlsx are done, wait for the signal; the docx
writer has already put half a file where it was told to write. What an operator and systemd rely on: exit 130
with a message and no traceback; last week's reports in --out untouched (byte for byte), no file of this run,
no half file and no staging folder left; the store whole with the run's pages; and --resume-incomplete then
completes the same run with every report readable.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reports import FILENAMES
from tests.govaudit.test_offsite_interaction import _routes
from tests.loopback import LoopbackServer

REPO = Path(__file__).resolve().parents[2]
PATIENCE_S = 240          # a liveness bound for a stuck process, far above any normal wait: not a timing check
LAST_WEEK, THIS_WEEK = "2023-01-25", "2023-02-01"

# Run in the audit process before main(): the chosen stage marks that it started, then waits for the signal.
_HOOK = """
import os, time
from pathlib import Path
markers = Path(os.environ["GOVAUDIT_TEST_MARKERS"])
def _wait(name):
    (markers / name).touch()
    time.sleep(3600)
if os.environ["GOVAUDIT_TEST_STAGE"] == "check":
    import checks.engine as engine
    _run = engine.run_checks
    def run_checks(*args, **kwargs):
        _wait("checking")
        return _run(*args, **kwargs)
    engine.run_checks = run_checks
else:
    import reports.docx_report as docx_report
    def write_docx(model, path):
        Path(path).write_bytes(b"PK\\x03\\x04 half a docx")
        _wait("writing")
    docx_report.write_docx = write_docx
"""


def _audit(base: str, root: Path, as_of: str, *extra: str, stage: str | None = None) -> subprocess.Popen:
    argv = ["audit", f"{base}/index.html", "--as-of", as_of, "--out", str(root / "out"),
            "--db", str(root / "run.sqlite"), "--delay", "0", *extra]
    main = f"\nfrom govaudit.cli import main\nraise SystemExit(main({argv!r}))"
    command = [sys.executable, "-c", (_HOOK if stage else "") + main]
    env = {**os.environ, "CI": "true", "GOVAUDIT_OFFLINE": "1", "GOVAUDIT_TEST_MARKERS": str(root),
           "GOVAUDIT_TEST_STAGE": stage or ""}
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=REPO)


def _wait_for(proc: subprocess.Popen, marker: Path) -> None:
    deadline = time.monotonic() + PATIENCE_S
    while not marker.exists():
        assert proc.poll() is None, ("the audit ended before " + marker.name, proc.communicate())
        assert time.monotonic() < deadline, f"no progress: {marker.name}"
        time.sleep(0.05)


def _snapshot_of(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in out.iterdir()}


def _runs(db: Path) -> list[tuple[int, str, str, dict]]:
    con = sqlite3.connect(db)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return [(i, day, status, json.loads(stats or "{}"))
                for i, day, status, stats in con.execute("SELECT id, as_of, status, stats FROM runs ORDER BY id")]
    finally:
        con.close()


def _count(db: Path, sql: str) -> int:
    con = sqlite3.connect(db)
    try:
        return con.execute(sql).fetchone()[0]
    finally:
        con.close()


def _assert_reports_readable(out: Path) -> dict:
    from docx import Document
    from openpyxl import load_workbook

    assert set(FILENAMES.values()) <= {p.name for p in out.iterdir()}
    Document(str(out / "report.docx"))
    load_workbook(out / "rectification.xlsx", read_only=True).close()
    assert "</html>" in (out / "report.html").read_text(encoding="utf-8")
    return json.loads((out / "findings.json").read_text(encoding="utf-8"))


@pytest.fixture
def portal():
    with LoopbackServer(_routes(), methods=("GET", "HEAD")) as server:
        yield server.base_url


@pytest.mark.parametrize("stage, marker, signum", [("check", "checking", signal.SIGINT),
                                                   ("report", "writing", signal.SIGTERM)])
def test_a_stop_during_checks_or_reports_leaves_last_weeks_reports_and_resumes(portal, tmp_path, stage, marker, signum):
    out, db = tmp_path / "out", tmp_path / "run.sqlite"
    week_one = _audit(portal, tmp_path, LAST_WEEK)
    week_one.communicate(timeout=PATIENCE_S)
    assert week_one.returncode == 0
    before = _snapshot_of(out)
    assert set(FILENAMES.values()) <= set(before)

    proc = _audit(portal, tmp_path, THIS_WEEK, stage=stage)
    try:
        _wait_for(proc, tmp_path / marker)
        proc.send_signal(signum)
        stdout, stderr = proc.communicate(timeout=PATIENCE_S)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 130, stderr[-3000:]
    assert "Traceback" not in stderr and "已按中断信号" in stderr and "本次报告未生成" in stderr
    assert "--resume-incomplete" in stderr
    assert _snapshot_of(out) == before                       # untouched: no new, half or staging file
    runs = _runs(db)
    assert [(day, status) for _, day, status, _ in runs] == [(LAST_WEEK, "complete"), (THIS_WEEK, "complete")]
    this_run = runs[1][0]
    assert "report_dir" not in runs[1][3]                    # the store does not claim reports that are not there
    pages = _count(db, f"SELECT COUNT(*) FROM pages WHERE run_id={this_run}")
    assert pages >= 8
    if stage == "check":
        assert _count(db, f"SELECT COUNT(*) FROM findings WHERE run_id={this_run}") == 0

    resumed = _audit(portal, tmp_path, THIS_WEEK, "--resume-incomplete")
    stdout, stderr = resumed.communicate(timeout=PATIENCE_S)
    assert resumed.returncode == 0, stderr[-3000:]
    assert "检查状态：完整" in stdout
    runs = _runs(db)
    assert len(runs) == 2 and runs[1][3].get("report_dir") == str(out.resolve())
    assert _count(db, f"SELECT COUNT(*) FROM pages WHERE run_id={this_run}") == pages      # not crawled again
    document = _assert_reports_readable(out)
    assert document["as_of"] == THIS_WEEK and document["status"] == "完整"
    assert not [p for p in out.iterdir() if p.name.startswith(".govaudit")]

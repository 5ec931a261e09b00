"""Staging folders: a writer killed outright (SIGKILL, a power cut) leaves its `.govaudit-writing-*` folder behind;
the next writer into the same folder removes it, and only it. The province summary is written the same way, so a
writer killed while it writes leaves last run's summary whole. Real processes, killed for real."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from reports.staging import LOCK_NAME, STAGING_PREFIX, UNLOCKED_STALE_AFTER_S, remove_stale_staging
from reports.summary import render_summary

REPO = Path(__file__).resolve().parents[2]
PATIENCE_S = 120          # a liveness bound for a stuck child, not a timing check

# A child that opens a staging folder in argv[1], puts half a file in it, says where, and waits to be killed.
_HOLDER = """
import sys, time
from pathlib import Path
from reports.staging import open_staging
folder = open_staging(Path(sys.argv[1]))
(folder.path / "report.docx").write_bytes(b"PK\\x03\\x04 half a docx")
print(folder.path, flush=True)
time.sleep(3600)
"""

# A child that writes the province summary into argv[1], but whose summary.xlsx save writes half a file, then waits.
_SUMMARY_WRITER = """
import sys, time
from pathlib import Path
import openpyxl.workbook.workbook as workbook
def save(self, filename):
    Path(filename).write_bytes(b"PK\\x03\\x04 half an xlsx")
    print(filename, flush=True)
    time.sleep(3600)
workbook.Workbook.save = save
from reports.summary import render_summary
render_summary([{"site_url": "http://127.0.0.1:9/", "run_id": 2, "crawl_status": "complete",
                 "stats": {"pages": 3}, "findings": [], "files": []}], Path(sys.argv[1]))
"""


def _start(script: str, out: Path) -> tuple[subprocess.Popen, Path]:
    """The child and the path it printed once it got there."""
    proc = subprocess.Popen([sys.executable, "-c", script, str(out)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, cwd=REPO)
    line = proc.stdout.readline()           # the child prints once there, or ends (EOF): no wait on a clock
    assert line, ("the child ended before it got there", proc.communicate())
    return proc, Path(line.strip())


def _kill(proc: subprocess.Popen) -> None:
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=PATIENCE_S)


def _staging_folders(out: Path) -> list[Path]:
    return sorted(p for p in out.iterdir() if p.name.startswith(STAGING_PREFIX))


def test_a_killed_writers_folder_is_removed_and_a_live_ones_kept(tmp_path):
    out = tmp_path / "out"
    dead, dead_path = _start(_HOLDER, out)
    live, live_path = _start(_HOLDER, out)
    try:
        _kill(dead)
        assert dead_path.is_dir() and (dead_path / "report.docx").exists()      # what SIGKILL leaves
        # Not ours, or not a folder: never touched.
        (out / ".govaudit-report-keep").mkdir()
        (out / "govaudit-writing-notes").mkdir()
        (out / f"{STAGING_PREFIX}file").write_text("本单位自存文件", encoding="utf-8")
        # Lockless (an older version's, or killed before its lock existed): removed only once old.
        young = out / f"{STAGING_PREFIX}young"
        old = out / f"{STAGING_PREFIX}old"
        young.mkdir()
        old.mkdir()
        long_ago = time.time() - UNLOCKED_STALE_AFTER_S - 60
        os.utime(old, (long_ago, long_ago))

        removed = remove_stale_staging(out)

        assert sorted(removed) == sorted([dead_path, old])
        assert not dead_path.exists() and not old.exists()
        assert live_path.is_dir() and (live_path / LOCK_NAME).exists()          # its writer is alive
        assert young.is_dir() and (out / ".govaudit-report-keep").is_dir() and (out / "govaudit-writing-notes").is_dir()
        assert (out / f"{STAGING_PREFIX}file").read_text(encoding="utf-8") == "本单位自存文件"
    finally:
        for proc in (dead, live):
            if proc.poll() is None:
                _kill(proc)
    assert remove_stale_staging(out) == [live_path]                             # once its writer is gone


def test_the_next_report_run_cleans_up_what_a_kill_left(tmp_path):
    """A SIGKILL while reports are written, then a normal run: the clerk finds the reports and nothing else."""
    from reports import FILENAMES
    from reports.render import render_reports
    from tests.reports.test_verdict import _snapshot, _week

    out = tmp_path / "out"
    proc, left = _start(_HOLDER, out)
    _kill(proc)
    assert left.is_dir()
    outcome = render_reports(_snapshot(_week(None)), [], out)
    assert not outcome.problems
    assert sorted(p.name for p in out.iterdir()) == sorted(FILENAMES.values())


def test_a_kill_while_the_summary_is_written_leaves_last_summary_whole(tmp_path):
    out = tmp_path / "summary"
    site = {"site_url": "http://127.0.0.1:9/", "run_id": 1, "crawl_status": "complete", "stats": {"pages": 3},
            "findings": [], "files": []}
    render_summary([site], out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    assert set(before) == {"summary.xlsx", "summary.html"}

    proc, half = _start(_SUMMARY_WRITER, out)
    _kill(proc)
    assert half.read_bytes().startswith(b"PK\x03\x04 half")                     # the half file is in staging …
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before   # … not where the clerk looks

    render_summary([dict(site, run_id=2)], out)
    assert sorted(p.name for p in out.iterdir()) == ["summary.html", "summary.xlsx"]
    assert "<td>2</td>" in (out / "summary.html").read_text(encoding="utf-8")

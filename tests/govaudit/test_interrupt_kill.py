"""SIGKILL while the reports are written, in a real `govaudit audit`: nothing can be held or cleaned up then.

test_interrupt_stages.py stops the audit with SIGINT/SIGTERM, which the audit turns into a clean stop. A SIGKILL
(the OOM killer, `kill -9`, a power cut) leaves the staging folder with its half file behind. Last week's reports
must still be whole where the clerk looks, and the next run must remove the staging folder (and only it) before
she opens the folder again.
"""

from __future__ import annotations

import signal

from reports import FILENAMES
from reports.staging import STAGING_PREFIX
from tests.govaudit.test_interrupt_stages import (
    LAST_WEEK,
    PATIENCE_S,
    THIS_WEEK,
    _assert_reports_readable,
    _audit,
    _snapshot_of,
    _wait_for,
    portal,  # noqa: F401 (the fixture)
)


def test_a_killed_report_run_leaves_last_weeks_reports_and_the_next_run_clears_its_folder(portal, tmp_path):  # noqa: F811
    out = tmp_path / "out"
    week_one = _audit(portal, tmp_path, LAST_WEEK)
    week_one.communicate(timeout=PATIENCE_S)
    assert week_one.returncode == 0
    (out / "本单位说明.txt").write_text("整改情况汇总另行报送。", encoding="utf-8")     # the clerk's own file
    before = _snapshot_of(out)

    proc = _audit(portal, tmp_path, THIS_WEEK, stage="report")
    try:
        _wait_for(proc, tmp_path / "writing")
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=PATIENCE_S)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == -signal.SIGKILL
    left = [p for p in out.iterdir() if p.name.startswith(STAGING_PREFIX)]
    assert len(left) == 1 and (left[0] / FILENAMES["docx"]).read_bytes().startswith(b"PK\x03\x04 half")
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before     # the clerk's files whole

    resumed = _audit(portal, tmp_path, THIS_WEEK, "--resume-incomplete")
    stdout, stderr = resumed.communicate(timeout=PATIENCE_S)
    assert resumed.returncode == 0, stderr[-3000:]
    assert not [p for p in out.iterdir() if p.name.startswith(".govaudit")]
    assert (out / "本单位说明.txt").read_text(encoding="utf-8") == "整改情况汇总另行报送。"
    assert _assert_reports_readable(out)["as_of"] == THIS_WEEK

"""An interrupted audit loses nothing: SIGTERM, Ctrl-C twice, --max-minutes, in a real `govaudit audit` process.

The demo portal is served on loopback with a per-answer latency so the crawl takes a while; the test
waits (polling the SQLite store read-only) until pages are stored, then signals the process. Each case
checks what systemd, an operator or the timer would rely on: the exit code the README documents, the
reports (status 未完成) or, after a second signal, none; the store intact with its pages; every column
not read to the end carrying its reason and no column verdict; nothing raw of personal data written;
no child process left behind; and that the run can be resumed to completion.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

AS_OF = dt.date(2026, 11, 30)
REPORTS = {"findings.json", "rectification.xlsx", "report.docx", "report.md", "report.html"}
COLUMN_VERDICT_RULES = {"UPD001", "UPD002", "UPD003", "UPD004", "UPD005"}
REPO = Path(__file__).resolve().parents[2]
PATIENCE_S = 240          # a liveness bound for a stuck process, far above any normal wait: not a timing check

pytestmark = pytest.mark.slow

# Run in the audit process (python -c): every attachment's extraction hangs for an hour in its worker, and
# marker files say when the pool starts closing and when the first signal has been taken.
_HANG_HOOK = """
import os
import crawler.attachment_pool as pool
from tests.govaudit.test_interrupt import hanging_extract
_init, _close = pool.AttachmentPool.__init__, pool.AttachmentPool.close
def _init_hanging(self, *args, **kwargs):
    kwargs["func"] = hanging_extract
    kwargs["grace_s"] = 3600          # the pool's own wall-clock kill would not come for an hour either
    _init(self, *args, **kwargs)
def _close_marked(self, *args, **kwargs):
    open(os.environ["GOVAUDIT_TEST_MARKERS"] + "/closing", "w").close()
    return _close(self, *args, **kwargs)
pool.AttachmentPool.__init__, pool.AttachmentPool.close = _init_hanging, _close_marked
import crawler.run as run
for name in ("_signal_shutdown", "_signal_shutdown_reactorless"):
    def _marked(self, signum, frame, _real=getattr(run._Process, name)):
        _real(self, signum, frame)
        open(os.environ["GOVAUDIT_TEST_MARKERS"] + "/stopping", "w").close()
    setattr(run._Process, name, _marked)
"""


def hanging_extract(data: bytes, filename: str, limits):
    """Runs in an attachment worker: say so, then hang far longer than any test would wait."""
    Path(os.environ["GOVAUDIT_TEST_MARKERS"], f"hang-{os.getpid()}").touch()
    time.sleep(3600)


# ---------------------------------------------------------------------------- helpers
@pytest.fixture(scope="module")
def demo_site(tmp_path_factory):
    from govaudit.demo.generator import build

    site = tmp_path_factory.mktemp("interrupt-site") / "site"
    build(site, seed=2026, as_of=AS_OF, scale=0.3)
    return site


_STARTED: list[subprocess.Popen] = []


@pytest.fixture(autouse=True)
def _no_process_outlives_its_test():
    """A failed test must not leave its audit (or the audit's workers) running on the shared machine."""
    yield
    while _STARTED:
        proc = _STARTED.pop()
        if proc.poll() is None:
            for child in _descendants(proc):
                child.kill()
            proc.kill()
            proc.wait()


def _stored(db: Path, sql: str) -> int:
    """A count read from the store without taking any lock the crawl needs (read-only, WAL)."""
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
        try:
            return con.execute(sql).fetchone()[0]
        finally:
            con.close()
    except sqlite3.Error:
        return 0


def _start(base: str, root: Path, *extra: str, hook: str | None = None) -> subprocess.Popen:
    argv = ["audit", f"{base}/", "--as-of", AS_OF.isoformat(), "--out", str(root / "out"),
            "--db", str(root / "govaudit.sqlite"), "--concurrency", "2", "--delay", "0", *extra]
    if hook:
        command = [sys.executable, "-c", hook + f"\nfrom govaudit.cli import main\nraise SystemExit(main({argv!r}))"]
    else:
        command = [sys.executable, "-m", "govaudit.cli", *argv]
    markers = root / "markers"
    markers.mkdir(exist_ok=True)
    env = {**os.environ, "CI": "true", "GOVAUDIT_TEST_MARKERS": str(markers)}
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=REPO)
    _STARTED.append(proc)
    return proc


def _wait_for(proc: subprocess.Popen, condition, what: str) -> None:
    deadline = time.monotonic() + PATIENCE_S
    while not condition():
        assert proc.poll() is None, (f"the audit ended before {what}", proc.communicate())
        assert time.monotonic() < deadline, f"no progress: {what}"
        time.sleep(0.05)


def _descendants(proc: subprocess.Popen) -> list[psutil.Process]:
    try:
        return psutil.Process(proc.pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []


def _assert_no_orphans(children: list[psutil.Process]) -> None:
    """Every process the audit started ends with it (workers, forkserver, browsers): none is left running."""
    deadline = time.monotonic() + 30
    while True:
        alive = [c for c in children if c.is_running() and c.status() != psutil.STATUS_ZOMBIE]
        if not alive:
            return
        assert time.monotonic() < deadline, [(c.pid, c.cmdline()[:3]) for c in alive]
        time.sleep(0.1)


def _assert_store_whole(db: Path) -> None:
    con = sqlite3.connect(db)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        urls = [u for (u,) in con.execute("SELECT url FROM pages WHERE run_id=1")]
        assert len(urls) == len(set(urls)), "a page stored twice"
    finally:
        con.close()


def _assert_nothing_raw(root: Path, *console: str, planted_stored: bool = True) -> None:
    """Console, reports and store hold masked personal data only (as tests/govaudit/test_demo_audit.py).

    `planted_stored`: pages with planted personal data were stored, so masked tokens must be there
    (else the scan above proves nothing)."""
    from checks.privacy.scanner import TOKEN, scan

    texts = {f"console{i}": text for i, text in enumerate(console)}
    out = root / "out"
    for name in ("findings.json", "report.md", "report.html"):
        if (out / name).exists():
            texts[name] = (out / name).read_text(encoding="utf-8")
    con = sqlite3.connect(root / "govaudit.sqlite")
    try:
        texts["pages"] = "\n".join(r[0] or "" for r in con.execute("SELECT title || '\n' || text FROM pages"))
        texts["attachments"] = "\n".join(r[0] or "" for r in con.execute("SELECT segments FROM attachments"))
        texts["findings"] = "\n".join(r[0] for r in con.execute("SELECT data FROM findings"))
        texts["errors"] = "\n".join(r[0] or "" for r in con.execute("SELECT message FROM errors"))
    finally:
        con.close()
    leaks = {name: [h.masked for h in scan(TOKEN.sub(" ", text)) if h.kind == "personal_data"]
             for name, text in texts.items()}
    assert not {name: hits for name, hits in leaks.items() if hits}
    if planted_stored:
        assert "⟦PII|" in texts["pages"], "the stored pages still let the privacy check find what was there"


def _unread_columns(db: Path) -> dict[str, str]:
    con = sqlite3.connect(db)
    try:
        return dict(con.execute("SELECT url, unread_reason FROM columns WHERE run_id=1 AND COALESCE(unread_reason, '') != ''"))
    finally:
        con.close()


def _run(db: Path) -> tuple[str, dict]:
    con = sqlite3.connect(db)
    try:
        status, stats = con.execute("SELECT status, stats FROM runs WHERE id=1").fetchone()
        return status, json.loads(stats or "{}")
    finally:
        con.close()


def _assert_no_verdict_on_unread(root: Path, unread: dict[str, str]) -> list[dict]:
    findings = json.loads((root / "out" / "findings.json").read_text(encoding="utf-8"))
    for finding in findings["findings"]:
        column_url = (finding.get("column") or {}).get("url")
        if finding["rule"] in COLUMN_VERDICT_RULES:
            assert column_url not in unread, finding["message"]
        if finding["kind"] == "veto":
            assert not any(f"（{url}）" in finding["evidence"] for url in unread), finding["evidence"]
    return findings


# ---------------------------------------------------------------------------- SIGTERM, then --resume-incomplete
def test_sigterm_keeps_the_crawl_writes_the_reports_and_resumes(demo_site, tmp_path):
    from govaudit.demo.server import serve

    db = tmp_path / "govaudit.sqlite"
    with serve(demo_site, latency=0.1) as base:
        proc = _start(base, tmp_path)
        _wait_for(proc, lambda: _stored(db, "SELECT COUNT(*) FROM pages") >= 30, "30 pages stored")
        children = _descendants(proc)
        proc.send_signal(signal.SIGTERM)
        stdout, stderr = proc.communicate(timeout=PATIENCE_S)
        _assert_no_orphans(children)

        # Findings at veto level exist on the demo portal: 1 wins over 4 (README, exit codes).
        assert proc.returncode == 1, stderr[-3000:]
        assert "Traceback" not in stderr
        assert REPORTS <= {p.name for p in (tmp_path / "out").iterdir()}
        _assert_store_whole(db)
        status, stats = _run(db)
        assert status == "incomplete" and stats["interrupted_by"] == "SIGTERM"
        pages_kept = _stored(db, "SELECT COUNT(*) FROM pages WHERE run_id=1")
        assert pages_kept >= 30
        unread = _unread_columns(db)
        assert unread, "interrupted early, some column list was not read to the end"
        # Columns cut off by the signal say so; a budget never claims them (other reasons, e.g. a list page
        # the site did not deliver, are the columns' own).
        assert set(unread.values()) & {"抓取中断，栏目列表未读完", "抓取中断，栏目文章未读完"}, unread
        assert not [r for r in unread.values() if "上限" in r], unread
        findings = _assert_no_verdict_on_unread(tmp_path, unread)
        assert findings["status"] == "未完成" and findings["unread_columns"]
        assert "未完成" in (tmp_path / "out" / "report.md").read_text(encoding="utf-8")
        assert "检查状态：未完成" in stdout
        assert "终止信号（SIGTERM）" in stdout and "--resume-incomplete" in stdout and AS_OF.isoformat() in stdout
        _assert_nothing_raw(tmp_path, stdout, stderr, planted_stored=False)      # stopped early: maybe none yet

        resumed = subprocess.run([sys.executable, "-m", "govaudit.cli", "audit", f"{base}/", "--as-of",
                                  AS_OF.isoformat(), "--out", str(tmp_path / "out"), "--db", str(db),
                                  "--concurrency", "4", "--delay", "0", "--resume-incomplete"],
                                 capture_output=True, text=True, timeout=1200, cwd=REPO,
                                 env={**os.environ, "CI": "true"})
    assert resumed.returncode == 1, resumed.stderr[-3000:]
    status, stats = _run(db)
    assert status == "complete" and "interrupted_by" not in stats
    assert _stored(db, "SELECT COUNT(*) FROM runs") == 1
    assert _stored(db, "SELECT COUNT(*) FROM pages WHERE run_id=1") > pages_kept
    assert not _unread_columns(db) or all("中断" not in r for r in _unread_columns(db).values())
    _assert_store_whole(db)
    assert "检查状态：未完成" not in resumed.stdout and "提前停止" not in resumed.stdout
    _assert_nothing_raw(tmp_path, stdout, stderr, resumed.stdout, resumed.stderr)


# ---------------------------------------------------------------------------- Ctrl-C twice while shutting down
def test_second_sigint_during_shutdown_stops_at_once(demo_site, tmp_path):
    """The first Ctrl-C starts a graceful stop that waits for the attachment being extracted, which hangs
    for an hour; the second must end the process now: workers killed, run resumable, exit 130."""
    from govaudit.demo.server import serve

    db, markers = tmp_path / "govaudit.sqlite", tmp_path / "markers"
    with serve(demo_site, latency=0.02) as base:
        proc = _start(base, tmp_path, hook=_HANG_HOOK)
        _wait_for(proc, lambda: any(markers.glob("hang-*")), "an attachment extraction under way")
        children = _descendants(proc)
        hung = {int(p.name.split("-")[1]) for p in markers.glob("hang-*")}
        assert hung <= {c.pid for c in children}
        proc.send_signal(signal.SIGINT)
        _wait_for(proc, lambda: (markers / "stopping").exists(), "the first Ctrl-C taken: a graceful stop begun")
        proc.send_signal(signal.SIGINT)
        stdout, stderr = proc.communicate(timeout=PATIENCE_S)
        _assert_no_orphans(children)

    assert proc.returncode == 130, stderr[-3000:]
    assert "Traceback" not in stderr
    assert "再次收到中断信号（Ctrl-C），抓取已立即停止" in stderr and "本次未生成报告" in stderr
    assert "--resume-incomplete" in stderr and "govaudit crawl --resume 1" in stderr
    assert not (tmp_path / "out" / "findings.json").exists()
    _assert_store_whole(db)
    status, stats = _run(db)
    assert status == "incomplete" and stats["interrupted_by"] == "SIGINT" and stats["interrupted_forced"]
    assert _stored(db, "SELECT COUNT(*) FROM pages WHERE run_id=1") > 0
    _assert_nothing_raw(tmp_path, stdout, stderr)


# ---------------------------------------------------------------------------- --max-minutes
def test_max_minutes_stops_the_crawl_and_still_reports(demo_site, tmp_path):
    from govaudit.demo.server import serve

    db = tmp_path / "govaudit.sqlite"
    with serve(demo_site, latency=0.3) as base:
        proc = _start(base, tmp_path, "--max-minutes", "0.05")       # 3 seconds: the portal needs far more
        children = _descendants(proc)
        stdout, stderr = proc.communicate(timeout=PATIENCE_S)
        _assert_no_orphans(children)

    assert proc.returncode in (1, 4), stderr[-3000:]
    assert "Traceback" not in stderr
    assert REPORTS <= {p.name for p in (tmp_path / "out").iterdir()}
    _assert_store_whole(db)
    status, stats = _run(db)
    assert status == "incomplete" and stats["stopped_by"] == "max_minutes" and stats["max_minutes_reached"]
    assert "interrupted_by" not in stats
    unread = _unread_columns(db)
    assert unread
    assert set(unread.values()) & {"已达到抓取时间上限，栏目列表未读完", "已达到抓取时间上限，栏目文章未读完"}, unread
    assert not [r for r in unread.values() if "抓取中断" in r or "页数上限" in r], unread
    assert json.loads((tmp_path / "out" / "findings.json").read_text(encoding="utf-8"))["status"] == "未完成"
    _assert_no_verdict_on_unread(tmp_path, unread)
    assert "时间上限（--max-minutes）" in stdout and "--resume-incomplete" in stdout
    _assert_nothing_raw(tmp_path, stdout, stderr, planted_stored=False)

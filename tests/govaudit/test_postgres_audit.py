"""The whole audit on a shared PostgreSQL store gives exactly what it gives on a SQLite file.

One small demo portal, audited twice through the CLI — `--db FILE` and `--db postgresql://…` on the
real server from tests/conftest.py — then compared finding by finding; the server's database must
hold no raw personal data, and the other commands (runs, report) read it like a file.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys

import pytest

from crawler.databases import TABLES
from crawler.store import Store

pytestmark = pytest.mark.slow      # real govaudit processes crawl the demo portal: not in `-m "not slow"`
AS_OF = dt.date(2026, 11, 30)


def _govaudit(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "govaudit.cli", *args], capture_output=True, text=True,
                          timeout=600, env={**os.environ, "CI": "true"})


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    from govaudit.demo.generator import build

    root = tmp_path_factory.mktemp("site")
    build(root, seed=11, as_of=AS_OF, scale=0.1)
    return root


def _stored(location) -> tuple[dict, list[dict]]:
    with Store(location) as store:
        run = store.latest_run()
        findings = sorted(store.findings(run.id), key=lambda f: f["id"])
        return store.counts(run.id), findings


def test_audit_on_postgres_equals_audit_on_sqlite(tmp_path, site, postgres_url):
    from checks.privacy.scanner import TOKEN, scan
    from govaudit.demo.server import serve

    with serve(site) as base:
        common = [f"{base}/", "--as-of", AS_OF.isoformat(), "--concurrency", "8", "--delay", "0"]
        on_file = _govaudit("audit", *common, "--out", str(tmp_path / "file"), "--db", str(tmp_path / "a.sqlite"))
        on_server = _govaudit("audit", *common, "--out", str(tmp_path / "server"), "--db", postgres_url)
    assert on_file.returncode == on_server.returncode == 1, on_server.stderr[-2000:]   # planted veto items

    file_counts, file_findings = _stored(tmp_path / "a.sqlite")
    server_counts, server_findings = _stored(postgres_url)
    assert server_counts == file_counts and file_counts["pages"] > 100
    assert [(f["rule"], f["id"], f["status"]) for f in server_findings] == \
        [(f["rule"], f["id"], f["status"]) for f in file_findings]
    assert server_findings == file_findings
    assert (tmp_path / "server" / "rectification.xlsx").exists()

    # The server's database holds masked tokens, never a raw value.
    with Store(postgres_url) as store:
        texts = [str(v) for table, names in TABLES.items()
                 for row in store.db.execute(f"SELECT {', '.join(names)} FROM {table}").fetchall()
                 for v in row if v is not None]
    stored = "\n".join(texts)
    assert "⟦PII|" in stored
    assert not [h.masked for h in scan(TOKEN.sub(" ", stored)) if h.kind == "personal_data"]

    listed = _govaudit("runs", "--db", postgres_url)
    assert listed.returncode == 0, listed.stderr
    assert f"{base}/" in listed.stdout
    again = _govaudit("report", "latest", "--out", str(tmp_path / "again"), "--db", postgres_url)
    assert again.returncode in (0, 1), again.stderr
    assert (tmp_path / "again" / "report.docx").exists()

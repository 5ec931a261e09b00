"""tests/needs.py: a missing need skips locally and fails under CI, naming what is missing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests import needs


def test_missing_skips_locally_and_fails_under_ci(monkeypatch):
    monkeypatch.delenv("GOVAUDIT_REQUIRE_ALL", raising=False)
    with pytest.raises(pytest.skip.Exception, match="antiword"):
        needs.missing("antiword not installed")
    monkeypatch.setenv("GOVAUDIT_REQUIRE_ALL", "1")
    with pytest.raises(pytest.fail.Exception, match="antiword not installed"):
        needs.missing("antiword not installed")
    monkeypatch.setenv("GOVAUDIT_REQUIRE_ALL", "0")
    with pytest.raises(pytest.skip.Exception):
        needs.missing("antiword not installed")


def test_shared_folder_is_beside_the_repository_unless_configured(monkeypatch, tmp_path):
    monkeypatch.delenv("GOVAUDIT_SHARED", raising=False)
    assert needs.shared_dir() == Path(__file__).resolve().parents[1].parent / "shared"
    monkeypatch.setenv("GOVAUDIT_SHARED", str(tmp_path))
    assert needs.shared_dir() == tmp_path
    monkeypatch.setenv("GOVAUDIT_REQUIRE_ALL", "1")
    with pytest.raises(pytest.fail.Exception, match="GOVAUDIT_SHARED"):
        needs.reference_file("samples", "absent.html")
    (tmp_path / "reference" / "samples").mkdir(parents=True)
    (tmp_path / "reference" / "samples" / "present.html").write_text("<html></html>", encoding="utf-8")
    assert needs.reference_file("samples", "present.html").read_text(encoding="utf-8") == "<html></html>"


def test_program_lookup_names_the_package(monkeypatch):
    monkeypatch.setenv("GOVAUDIT_REQUIRE_ALL", "1")
    monkeypatch.setenv("PATH", "/nonexistent")
    monkeypatch.setitem(needs.PROGRAMS, "antiword", ((), "antiword"))
    with pytest.raises(pytest.fail.Exception, match="Debian package antiword"):
        needs.program("antiword")
    assert any("antiword" in item for item in needs.everything_missing())


def test_ci_preflight_stops_the_session_naming_what_is_missing(tmp_path):
    """Under GOVAUDIT_REQUIRE_ALL the session ends before the first test when shared/ is absent."""
    repository = Path(__file__).resolve().parents[1]
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                          "--rootdir", str(repository), "-c", str(repository / "pyproject.toml"),
                          "--confcutdir", str(repository / "tests"), str(repository / "tests" / "test_needs.py"),
                          "-k", "nothing_matches_this"],
                         cwd=repository, capture_output=True, text=True, timeout=120,
                         env={**os.environ, "GOVAUDIT_REQUIRE_ALL": "1",
                              "GOVAUDIT_SHARED": str(tmp_path / "absent")})
    assert run.returncode == 3, run.stdout + run.stderr
    assert "缺少" in run.stdout + run.stderr and str(tmp_path / "absent") in run.stdout + run.stderr

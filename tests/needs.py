"""What a test needs from the machine: a program (antiword, chromium, redis-server, PostgreSQL) or the
reference folder shared/ that sits beside the repository.

On a developer's machine a missing one skips the test and says why (pytest runs with -rs). Under CI
(`.ci/run` sets GOVAUDIT_REQUIRE_ALL=1) it fails the test instead, naming what is missing: a broken
install must not turn green by skipping everything that needs it.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.servers import postgres_bindir

REPOSITORY = Path(__file__).resolve().parents[1]


def require_all() -> bool:
    """True under CI: every need is mandatory."""
    return os.environ.get("GOVAUDIT_REQUIRE_ALL", "").strip() not in ("", "0")


def missing(what: str) -> None:
    """Skip (locally) or fail (under CI) the current test because `what` is not available."""
    if require_all():
        pytest.fail(f"{what} — GOVAUDIT_REQUIRE_ALL is set, so this is a failure, not a skip", pytrace=False)
    pytest.skip(what)


def shared_dir() -> Path:
    """The reference folder: $GOVAUDIT_SHARED, or the repository's parent's shared/."""
    configured = os.environ.get("GOVAUDIT_SHARED", "").strip()
    return Path(configured) if configured else REPOSITORY.parent / "shared"


def reference_file(*parts: str) -> Path:
    """A file under shared/reference/ (e.g. reference_file("samples", "x.html")), or skip/fail naming it."""
    path = shared_dir().joinpath("reference", *parts)
    if not path.is_file():
        missing(f"reference file {path} not found: clone shared/ beside the repository or set GOVAUDIT_SHARED")
    return path


# Where each program is looked for besides $PATH, and the Debian package that provides it.
PROGRAMS = {
    "antiword": ((), "antiword"),
    "chromium": (("/usr/bin/chromium",), "chromium"),
    "redis-server": (("/usr/bin/redis-server",), "redis-server"),
    "soffice": (("/usr/bin/libreoffice",), "libreoffice-writer-nogui libreoffice-calc-nogui"),
}


def find_program(name: str) -> str | None:
    extra, _ = PROGRAMS[name]
    return shutil.which(name) or next((p for p in extra if os.access(p, os.X_OK)), None)


def program(name: str) -> str:
    """The path of a program the test needs, or skip/fail naming the Debian package to install."""
    found = find_program(name)
    if found is None:
        missing(f"{name} not installed (Debian package {PROGRAMS[name][1]}; bash run.sh test installs it)")
    return found


def everything_missing() -> list[str]:
    """Every need that is absent on this machine, named for a person (used by CI's preflight)."""
    absent = [f"{name}（Debian 软件包 {package}）" for name, (_, package) in PROGRAMS.items()
              if find_program(name) is None]
    if postgres_bindir() is None:
        absent.append("PostgreSQL 服务器（Debian 软件包 postgresql）")
    if not (shared_dir() / "reference").is_dir():
        absent.append(f"参考资料目录 {shared_dir()}（可用环境变量 GOVAUDIT_SHARED 指定）")
    return absent

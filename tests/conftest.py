"""Real servers the tests share: a PostgreSQL server started once per session on 127.0.0.1.

Debian's postgresql package provides the binaries (`bash run.sh test` installs it). The server runs
from a throw-away data directory with trust authentication on a free loopback port; each test that
asks for `postgres_url` gets a database of its own, dropped afterwards. PostgreSQL refuses to run
as root, so under root the server runs as the `postgres` system user the package creates.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

import pytest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _postgres_bindir() -> Path | None:
    for candidate in sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[-2]),
                            reverse=True):
        if os.path.exists(os.path.join(candidate, "postgres")):
            return Path(candidate)
    found = shutil.which("postgres")
    return Path(found).parent if found else None


def _as_server_user(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@pytest.fixture(scope="session")
def postgres_server():
    """The base URL (without database name) of a PostgreSQL server running for this test session."""
    bindir = _postgres_bindir()
    if bindir is None:
        pytest.skip("PostgreSQL server not installed (bash run.sh test installs Debian's postgresql)")
    import psycopg

    workdir = Path(tempfile.mkdtemp(prefix="govaudit-pg-"))
    if os.geteuid() == 0:
        shutil.chown(workdir, "postgres", "postgres")
    data = workdir / "data"
    subprocess.run(_as_server_user([str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", "govaudit",
                                    "-E", "UTF8", "--no-locale"]),
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    port = free_port()
    server = subprocess.Popen(
        _as_server_user([str(bindir / "postgres"), "-D", str(data), "-p", str(port), "-k", str(workdir),
                         "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "synchronous_commit=off",
                         "-c", "full_page_writes=off", "-c", "max_connections=200"]),
        stdout=(workdir / "server.log").open("w"), stderr=subprocess.STDOUT)
    base = f"postgresql://govaudit@127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            psycopg.connect(f"{base}/postgres", connect_timeout=2).close()
            break
        except psycopg.OperationalError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                raise RuntimeError("PostgreSQL did not start: " + (workdir / "server.log").read_text()) from None
            time.sleep(0.1)
    yield base
    # runuser does not pass signals on: pg_ctl asks the server itself for a fast shutdown.
    subprocess.run(_as_server_user([str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"]),
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        server.wait(30)
    except subprocess.TimeoutExpired:
        server.kill()
    shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture
def postgres_url(postgres_server):
    """A fresh, empty database on the session's server, dropped when the test ends."""
    import psycopg

    name = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(f"{postgres_server}/postgres", autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    yield f"{postgres_server}/{name}"
    with psycopg.connect(f"{postgres_server}/postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

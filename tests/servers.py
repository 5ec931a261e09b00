"""Real servers for tests and benchmarks, started on 127.0.0.1 from Debian's packages.

Redis: an empty in-memory server (no persistence) on a free loopback port.

PostgreSQL: a throw-away data directory with trust authentication on a free loopback port.
PostgreSQL refuses to run as root, so under root the server runs as the `postgres` system user the
package creates (and its directory lives outside pytest's root-only temporary folders).
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def postgres_bindir() -> Path | None:
    """Where Debian's PostgreSQL server binaries are (the newest version), or None when not installed."""
    for candidate in sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[-2]),
                            reverse=True):
        if os.path.exists(os.path.join(candidate, "postgres")):
            return Path(candidate)
    found = shutil.which("postgres")
    return Path(found).parent if found else None


def _as_server_user(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@contextmanager
def postgres_server(bindir: Path) -> Iterator[str]:
    """Run a PostgreSQL server; yields its base URL (add `/dbname`). User `govaudit`, trust auth."""
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
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                psycopg.connect(f"{base}/postgres", connect_timeout=2).close()
                break
            except psycopg.OperationalError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError("PostgreSQL did not start: " + (workdir / "server.log").read_text()) from None
                time.sleep(0.1)
        yield base
    finally:
        # runuser does not pass signals on: pg_ctl asks the server itself for a fast shutdown.
        subprocess.run(_as_server_user([str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"]),
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()
        shutil.rmtree(workdir, ignore_errors=True)


def create_database(base: str, name: str) -> str:
    import psycopg

    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    return f"{base}/{name}"


def drop_database(base: str, name: str) -> None:
    import psycopg

    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@dataclass
class RedisServer:
    """A running redis-server: its URL, and its process (a test may stop it to play a lost server)."""

    url: str
    process: subprocess.Popen

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@contextmanager
def redis_server(binary: str, workdir: Path) -> Iterator[RedisServer]:
    """Run redis-server on a free loopback port until the block ends."""
    port = free_port()
    process = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                "--appendonly", "no", "--dir", str(workdir)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    server = RedisServer(f"redis://127.0.0.1:{port}/0", process)
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError(f"redis-server did not start on port {port}") from None
                time.sleep(0.05)
        yield server
    finally:
        server.stop()


class _QuietHTTPServer(ThreadingHTTPServer):
    """A client that hangs up early (a crawler done with a page) is no server error worth a traceback."""

    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@contextmanager
def serve_handler(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    """Serve `handler` on 127.0.0.1 (a free port) in a thread; yields the base URL (the test portals' servers)."""
    server = _QuietHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()

"""Real servers the tests share: a PostgreSQL server started once per session on 127.0.0.1.

Debian's postgresql package provides the binaries (`bash run.sh test` installs it); tests/servers.py
starts them. Each test that asks for `postgres_url` gets a database of its own, dropped afterwards.
"""

from __future__ import annotations

import uuid

import pytest

from tests.servers import create_database, drop_database, postgres_bindir, postgres_server


@pytest.fixture(scope="session")
def postgres_base():
    """The base URL (without database name) of a PostgreSQL server running for this test session."""
    bindir = postgres_bindir()
    if bindir is None:
        pytest.skip("PostgreSQL server not installed (bash run.sh test installs Debian's postgresql)")
    with postgres_server(bindir) as base:
        yield base


@pytest.fixture
def postgres_url(postgres_base):
    """A fresh, empty database on the session's server, dropped when the test ends."""
    name = f"t_{uuid.uuid4().hex[:12]}"
    yield create_database(postgres_base, name)
    drop_database(postgres_base, name)

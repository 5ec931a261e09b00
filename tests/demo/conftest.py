"""One demo build per test session (generation takes about a second), shared read-only by the tests."""

from __future__ import annotations

import datetime as dt

import pytest

from govaudit.demo.generator import build

AS_OF = dt.date(2026, 11, 28)


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("demo") / "site"
    manifest = build(root, seed=2026, as_of=AS_OF)
    return root, manifest

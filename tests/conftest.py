"""Fixtures: a fresh real database per test, on SQLite or (with NABOLAG_TEST_DATABASE_URL) PostgreSQL.

For PostgreSQL each test gets its own schema in the throwaway database that ``make test`` creates,
so tests can run in parallel and leave nothing behind.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from nabolag.i18n import set_language
from nabolag.services import Context

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
ARTIFACTS = ROOT / "test-artifacts"


def pytest_report_header() -> str:
    return f"nabolag test database: {os.environ.get('NABOLAG_TEST_DATABASE_URL') or 'sqlite (per test)'}"


@pytest.fixture(autouse=True)
def _bokmal() -> Iterator[None]:
    set_language("nb")
    yield
    set_language("nb")


@pytest.fixture
def shared() -> Path:
    if not SHARED.is_dir():
        pytest.fail(f"../shared/data is missing beside the checkout ({SHARED})")
    return SHARED


@pytest.fixture
def db_url(tmp_path: Path) -> Iterator[str]:
    """A URL to an empty database for this test only."""
    base = os.environ.get("NABOLAG_TEST_DATABASE_URL")
    if not base:
        yield f"sqlite:///{tmp_path / 'test.sqlite'}"
        return
    schema = "t_" + uuid.uuid4().hex[:12]
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in base else "?"
    try:
        yield f"{base}{sep}options=-csearch_path%3D{schema}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def ctx(db_url: str) -> Iterator[Context]:
    c = Context.open(db_url, actor="test")
    yield c
    c.close()


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS

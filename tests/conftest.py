"""Fixtures: a fresh real database per test, on SQLite or (with NABOLAG_TEST_DATABASE_URL) PostgreSQL.

For PostgreSQL each test gets its own schema in the throwaway database that ``make test`` creates,
so tests can run in parallel and leave nothing behind (migrated schemas are reused, wiped, between the
tests of a worker: see ``db_support``).

The Oslo demo is built once per test worker; ``demo_ctx``/``demo_url`` (``bare_demo_*``: without the
baseline) give a test its own copy of it, which it may change. Tests of the demo builder itself build it
(tests/test_demo.py).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from db_support import MIGRATED, Templates, base_url, empty_database, sqlite_path
from nabolag.demo import build_demo
from nabolag.i18n import set_language
from nabolag.services import Context, users

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
ARTIFACTS = ROOT / "test-artifacts"
CHEAP_HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


def pytest_report_header() -> str:
    return f"nabolag test database: {os.environ.get('NABOLAG_TEST_DATABASE_URL') or 'sqlite (per test)'}"


@pytest.fixture(autouse=True)
def _bokmal() -> Iterator[None]:
    set_language("nb")
    yield
    set_language("nb")


@pytest.fixture(autouse=True)
def _fresh_map_cache() -> None:
    """The map cache is keyed by database URL and data version; a reused PostgreSQL schema (tests/db_support)
    has the same URL and, refilled from the same template, the same version: no test may see another's."""
    from nabolag.services import maps

    maps.CACHE.clear()


#: The tests of password hashing itself, which keep argon2-cffi's default cost (they time it).
REAL_PASSWORD_COST = ("tests/services/test_users.py",)


@pytest.fixture(autouse=True)
def _cheap_password_hashing(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """argon2id at its smallest cost instead of argon2-cffi's defaults, which take 0.1–0.5 s per hash or
    check here while the web tests add and sign in hundreds of accounts. Hashes are still argon2id, salted
    and checked by argon2-cffi (the cost is stored in each hash); only the tests in REAL_PASSWORD_COST keep
    the defaults."""
    users._dummy_hash.cache_clear()  # made with whichever hasher was in use first
    request.addfinalizer(users._dummy_hash.cache_clear)
    if request.node.path.relative_to(ROOT).as_posix() in REAL_PASSWORD_COST:
        return
    monkeypatch.setattr(users, "_hasher", lambda: CHEAP_HASHER)


@pytest.fixture
def shared() -> Path:
    if not SHARED.is_dir():
        pytest.fail(f"../shared/data is missing beside the checkout ({SHARED})")
    return SHARED


@pytest.fixture(scope="session")
def templates(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Templates]:
    """Databases built once per test worker and copied for each test: ``migrated`` (empty, at the newest
    migration), ``demo`` (the Oslo demo) and ``bare_demo`` (the demo without its 2018 baseline)."""
    t = Templates(tmp_path_factory.mktemp("templates"), {
        MIGRATED: lambda _ctx: None,
        "demo": build_demo,
        "bare_demo": lambda c: build_demo(c, with_baseline=False),
    })
    yield t
    t.close()


#: The fixtures that open the test's database with a context (and so migrate it first).
MIGRATING = ("ctx", "demo_url", "bare_demo_url")


@pytest.fixture
def db_url(tmp_path: Path, templates: Templates, request: pytest.FixtureRequest) -> Iterator[str]:
    """A URL to a database for this test only: empty, or, on PostgreSQL in a test that also asks for
    ``ctx`` or a demo (which migrate it anyway), a migrated schema from the pool (see ``db_support``)."""
    if base_url() and any(name in request.fixturenames for name in MIGRATING):
        with templates.migrated_schema() as url:
            yield url
        return
    with empty_database(tmp_path) as url:
        yield url


@pytest.fixture
def ctx(db_url: str, templates: Templates, request: pytest.FixtureRequest) -> Iterator[Context]:
    """A context on this test's database, migrated (on SQLite a copy of a database migrated once per worker).
    In a test that also asks for a demo fixture it is a context on that demo copy."""
    for name in ("demo_url", "bare_demo_url"):
        if name in request.fixturenames:
            request.getfixturevalue(name)  # first, so that this context opens the copy
    if not base_url() and not sqlite_path(db_url).exists():
        templates.copy(MIGRATED, db_url)
    c = Context.open(db_url, actor="test")
    yield c
    c.close()


@pytest.fixture
def demo_url(db_url: str, templates: Templates) -> str:
    """This test's database, holding its own copy of the Oslo demo (``build_demo``), built once per worker."""
    return templates.copy("demo", db_url)


@pytest.fixture
def bare_demo_url(db_url: str, templates: Templates) -> str:
    """As :func:`demo_url`, but the demo without the 2018 baseline (``build_demo(with_baseline=False)``)."""
    return templates.copy("bare_demo", db_url)


@pytest.fixture(scope="module")
def module_demo_url(tmp_path_factory: pytest.TempPathFactory, templates: Templates) -> Iterator[str]:
    """One copy of the Oslo demo shared by the tests of one module (what one test writes, the next sees)."""
    with empty_database(tmp_path_factory.mktemp("module-demo"), "demo") as url:
        yield templates.copy("demo", url)


@pytest.fixture(scope="module")
def module_demo_ctx(module_demo_url: str) -> Iterator[Context]:
    """A context on :func:`module_demo_url`."""
    with Context.open(module_demo_url, actor="test") as c:
        yield c


@pytest.fixture
def demo_ctx(demo_url: str) -> Iterator[Context]:
    """A context on this test's own copy of the Oslo demo: the test may change it."""
    with Context.open(demo_url, actor="test") as c:
        yield c


@pytest.fixture
def bare_demo_ctx(bare_demo_url: str) -> Iterator[Context]:
    with Context.open(bare_demo_url, actor="test") as c:
        yield c


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS

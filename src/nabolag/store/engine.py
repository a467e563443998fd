"""Engines and transactions: SQLite (WAL, foreign keys on) by default, PostgreSQL by URL."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url

from nabolag.errors import MissingExtraError, NabolagError
from nabolag.i18n import _


def _sqlite_pragmas(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.close()


def _begin(conn: Connection) -> None:
    """Writers take the write lock at BEGIN (no deadlock on upgrade); readers begin deferred."""
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("write") else "BEGIN")


def make_engine(url: str) -> Engine:
    """Create an engine for ``url`` with nabolag's connection settings."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "postgresql":
        try:
            import psycopg  # noqa: F401
        except ImportError as exc:  # pragma: no cover - depends on install
            raise MissingExtraError(
                _("PostgreSQL krever tillegget «postgres»: pip install 'nabolag[postgres]'")
            ) from exc
        return create_engine(url, pool_pre_ping=True)
    if parsed.get_backend_name() == "sqlite":
        engine = create_engine(url)
        event.listen(engine, "connect", _sqlite_pragmas)
        # Let SQLAlchemy emit BEGIN itself so a transaction covers a whole import.
        event.listen(engine, "begin", _begin)
        engine.dialect._nabolag_sqlite = True  # type: ignore[attr-defined]
        _disable_pysqlite_autobegin(engine)
        return engine
    raise NabolagError(_("Ukjent databasetype i {url}: bruk sqlite:/// eller postgresql://", url=url))


def _disable_pysqlite_autobegin(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _connect(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
        dbapi_conn.isolation_level = None


@dataclass
class Store:
    """A database: its engine and the transactions on it."""

    engine: Engine

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One transaction: committed if the block ends normally, rolled back otherwise."""
        with self.engine.connect().execution_options(write=True) as conn, conn.begin():
            yield conn

    @contextmanager
    def read(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            yield conn

    def is_initialised(self) -> bool:
        return inspect(self.engine).has_table("alembic_version")

    def dispose(self) -> None:
        self.engine.dispose()


def open_store(url: str) -> Store:
    """Open the database at ``url`` (it is created on first :func:`migrate`)."""
    return Store(make_engine(url))

"""Test databases: an empty one per test, and databases built once per test worker (the Oslo demo, or
just the migrated schema) that each test gets a fresh copy of.

SQLite: a database is a file; a template is built into a file once and copied (``shutil.copyfile``) for
each test.

PostgreSQL (``NABOLAG_TEST_DATABASE_URL``): a database is a schema of the one test database, and creating
the tables of a new schema costs about a second. So a test that wants a migrated database gets one from a
pool of schemas this worker has migrated before: when a test ends, its schema goes back to the pool only
if its definition (tables, columns, defaults, constraints, indexes, triggers, functions, types) is still
exactly that of the migrated template, after its rows are replaced by the template's and its sequences
set as in the template; otherwise it is dropped. A copy of a template is made the same way (every row
replaced by ``INSERT … SELECT`` from the template schema, in foreign-key order; sequences as in the
template). Either way a test's database shares nothing with another test's, and it may write freely.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from nabolag.services import Context
from nabolag.store import open_store
from nabolag.store.migrate import migrate

Builder = Callable[[Context], object]
MIGRATED = "migrated"


def base_url() -> str | None:
    """The PostgreSQL test database, or None for SQLite."""
    return os.environ.get("NABOLAG_TEST_DATABASE_URL") or None


def schema_url(base: str, schema: str) -> str:
    return f"{base}{'&' if '?' in base else '?'}options=-csearch_path%3D{schema}"


def schema_of(url: str) -> str:
    return str(make_url(url).query["options"]).rsplit("=", 1)[1]


def sqlite_path(url: str) -> Path:
    return Path(str(make_url(url).database))


@contextmanager
def empty_database(folder: Path, name: str = "test") -> Iterator[str]:
    """The URL of a new, empty database (a file in ``folder``, or a new schema), removed afterwards."""
    base = base_url()
    if not base:
        yield f"sqlite:///{folder / (name + '.sqlite')}"
        return
    schema = "t_" + uuid.uuid4().hex[:12]
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield schema_url(base, schema)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


#: Everything that defines a schema, one row per object, with the schema's own name in the text.
_DEFINITION = """
SELECT 'class', c.relname, c.relkind::text FROM pg_class c WHERE c.relnamespace = CAST(:s AS regnamespace)
UNION ALL
SELECT 'column', c.relname || '.' || a.attname, format_type(a.atttypid, a.atttypmod) || ' ' || a.attnotnull::text
       || ' ' || coalesce(pg_get_expr(d.adbin, d.adrelid), '')
  FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
  LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
 WHERE c.relnamespace = CAST(:s AS regnamespace) AND a.attnum > 0 AND NOT a.attisdropped
UNION ALL
SELECT 'constraint', k.conname, pg_get_constraintdef(k.oid) FROM pg_constraint k
 WHERE k.connamespace = CAST(:s AS regnamespace)
UNION ALL
SELECT 'index', c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
 WHERE c.relnamespace = CAST(:s AS regnamespace)
UNION ALL
SELECT 'trigger', t.tgname, c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
 WHERE c.relnamespace = CAST(:s AS regnamespace) AND NOT t.tgisinternal
UNION ALL
SELECT 'function', p.proname, pg_get_function_identity_arguments(p.oid) FROM pg_proc p
 WHERE p.pronamespace = CAST(:s AS regnamespace)
UNION ALL
SELECT 'type', t.typname, t.typtype::text FROM pg_type t WHERE t.typnamespace = CAST(:s AS regnamespace)
"""


def definition(conn: Connection, schema: str) -> list[tuple[str, ...]]:
    """The schema's definition, sorted, its own name replaced by ``§`` (so two schemas can be compared)."""
    rows = conn.execute(text(_DEFINITION), {"s": schema}).all()
    return sorted(tuple(str(v).replace(f'"{schema}".', "§.").replace(f"{schema}.", "§.") for v in r) for r in rows)


@dataclass
class _PgTemplate:
    schema: str
    tables: list[tuple[str, list[str]]]  # in foreign-key order, with their columns
    sequences: list[str]
    definition: list[tuple[str, ...]]


def _fill(conn: Connection, schema: str, template: _PgTemplate, truncate: bool = False) -> None:
    """Replace every row of ``schema`` (defined as the template) by the template's, sequences included.

    ``truncate`` for a schema that holds a demo: one TRUNCATE of every table took 0.3 s where deleting the
    demo's rows took 2 s; on a schema with few rows DELETE is the faster (0.1 s less per test)."""
    conn.execute(text("SET LOCAL lock_timeout = '10s'"))
    if truncate:
        conn.execute(text("TRUNCATE " + ", ".join(f'"{schema}"."{t}"' for t, _c in template.tables)))
    else:
        conn.execute(text(";".join(f'DELETE FROM "{schema}"."{t}"' for t, _c in reversed(template.tables))))
    inserts = []
    for table, cols in template.tables:
        names = ", ".join(f'"{c}"' for c in cols)
        inserts.append(f'INSERT INTO "{schema}"."{table}" ({names}) SELECT {names} FROM "{template.schema}"."{table}"')
    conn.execute(text(";".join(inserts)))
    if template.sequences:
        conn.execute(text(";".join(
            f"SELECT setval('\"{schema}\".\"{s}\"', last_value, is_called) FROM \"{template.schema}\".\"{s}\""
            for s in template.sequences)))


@dataclass
class Templates:
    """Databases built on first use by a builder and kept for the session (one set per test worker), and
    on PostgreSQL the pool of migrated schemas."""

    folder: Path
    builders: dict[str, Builder]
    _sqlite: dict[str, Path] = field(default_factory=dict)
    _pg: dict[str, _PgTemplate] = field(default_factory=dict)
    _pool: list[str] = field(default_factory=list)
    _holds_copy: set[str] = field(default_factory=set)  # schemas filled with a template's rows by copy()
    _admin: Engine | None = None

    def copy(self, name: str, url: str) -> str:
        """Fill the database at ``url`` (empty, or on PostgreSQL also at the newest migration) with a copy of
        template ``name``; returns ``url``."""
        base = base_url()
        if not base:
            target = sqlite_path(url)
            if target.exists():
                raise FileExistsError(f"{target} exists already: one database fixture per test")
            shutil.copyfile(self._sqlite_template(name), target)
            return url
        template = self._pg_template(base, name)
        store = open_store(url)
        try:
            migrate(store)  # nothing to do on a schema from the pool
            with store.engine.begin() as conn:
                _fill(conn, schema_of(url), template)
        finally:
            store.dispose()
        if name != MIGRATED:
            self._holds_copy.add(schema_of(url))
        return url

    @contextmanager
    def migrated_schema(self) -> Iterator[str]:
        """PostgreSQL: the URL of a schema at the newest migration with the migrations' rows only, for this
        test alone (from the pool, else new); afterwards back to the pool if still as defined, else dropped."""
        base = base_url()
        assert base, "only for PostgreSQL"
        template = self._pg_template(base, MIGRATED)
        admin = self._admin_engine(base)
        if self._pool:
            schema = self._pool.pop()
        else:
            schema = "t_" + uuid.uuid4().hex[:12]
            with admin.connect() as conn:
                conn.execute(text(f'CREATE SCHEMA "{schema}"'))
            store = open_store(schema_url(base, schema))
            migrate(store)
            store.dispose()
        try:
            yield schema_url(base, schema)
        finally:
            self._give_back(admin, schema, template)

    def _give_back(self, admin: Engine, schema: str, template: _PgTemplate) -> None:
        truncate = schema in self._holds_copy
        self._holds_copy.discard(schema)
        try:
            with admin.connect() as conn:
                same = definition(conn, schema) == template.definition
            if same:
                try:
                    with self._writer(admin).begin() as conn:
                        _fill(conn, schema, template, truncate=truncate)
                except SQLAlchemyError:
                    if not truncate:
                        raise
                    # TRUNCATE waits for any reader the test left open in a transaction; DELETE does not
                    with self._writer(admin).begin() as conn:
                        _fill(conn, schema, template)
                self._pool.append(schema)
                return
        except SQLAlchemyError:
            pass  # e.g. a lock held too long by a connection the test left open: not reused
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))

    def _writer(self, admin: Engine) -> Engine:
        """An engine with transactions (the admin engine autocommits)."""
        return admin.execution_options(isolation_level="READ COMMITTED")

    def _admin_engine(self, base: str) -> Engine:
        if self._admin is None:
            self._admin = create_engine(base, isolation_level="AUTOCOMMIT")
        return self._admin

    def _build(self, name: str, url: str) -> None:
        with Context.open(url, actor="test") as ctx:
            self.builders[name](ctx)

    def _sqlite_template(self, name: str) -> Path:
        if name not in self._sqlite:
            path = self.folder / f"template-{name}.sqlite"
            self._build(name, f"sqlite:///{path}")
            with sqlite3.connect(path) as conn:  # everything in the one file, so that a file copy is whole
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                conn.execute("PRAGMA journal_mode=DELETE")
            self._sqlite[name] = path
        return self._sqlite[name]

    def _pg_template(self, base: str, name: str) -> _PgTemplate:
        if name not in self._pg:
            schema = f"tmpl_{name}_{uuid.uuid4().hex[:8]}"
            admin = self._admin_engine(base)
            with admin.connect() as conn:
                conn.execute(text(f'CREATE SCHEMA "{schema}"'))
            self._pg[name] = _PgTemplate(schema, [], [], [])  # dropped by close() even if the build fails
            self._build(name, schema_url(base, schema))
            with admin.connect() as conn:
                insp = inspect(conn)
                sorted_names = insp.get_sorted_table_and_fkc_names(schema=schema)
                cycles = [fks for t, fks in sorted_names if t is None and fks]
                assert not cycles, f"foreign keys in a cycle: {cycles}; the copy needs an order"
                order = [t for t, _fks in sorted_names if t]
                tables = [(t, [c["name"] for c in insp.get_columns(t, schema=schema)]) for t in order]
                sequences = insp.get_sequence_names(schema=schema)
                self._pg[name] = _PgTemplate(schema, tables, sequences, definition(conn, schema))
        return self._pg[name]

    def close(self) -> None:
        if self._admin is not None:
            with self._admin.connect() as conn:
                for schema in [t.schema for t in self._pg.values()] + self._pool:
                    conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            self._admin.dispose()

"""The Alembic migrations build exactly the schema in store/tables.py, on SQLite and PostgreSQL."""

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from nabolag.store import open_store
from nabolag.store.migrate import current_revision, head_revision, migrate
from nabolag.store.tables import metadata


def test_migrations_match_tables(db_url: str) -> None:
    store = open_store(db_url)
    migrate(store)
    assert current_revision(store) == head_revision()
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), metadata)
    assert diff == []
    store.dispose()


def test_downgrade_and_upgrade_again(db_url: str) -> None:
    store = open_store(db_url)
    migrate(store)
    migrate_to = "base"
    from alembic import command

    from nabolag.store.migrate import _config

    cfg = _config()
    with store.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, migrate_to)
    tables = set(inspect(store.engine).get_table_names())
    assert not tables & {"zone", "observation", "indicator"}
    migrate(store)
    assert {"zone", "observation", "indicator", "area", "audit"} <= set(inspect(store.engine).get_table_names())
    store.dispose()


def test_sqlite_runs_in_wal_with_foreign_keys(tmp_path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'x.sqlite'}")
    migrate(store)
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    store.dispose()

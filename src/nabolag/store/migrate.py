"""Apply Alembic migrations to a store."""

from __future__ import annotations

from importlib import resources

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from nabolag.store.engine import Store


def _config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("nabolag.store") / "migrations"))
    return cfg


def migrate(store: Store, revision: str = "head") -> None:
    """Upgrade the database to ``revision`` (default: the newest)."""
    cfg = _config()
    with store.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def current_revision(store: Store) -> str | None:
    with store.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision() -> str | None:
    return ScriptDirectory.from_config(_config()).get_current_head()

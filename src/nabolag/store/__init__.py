"""SQLAlchemy tables, repositories and Alembic migrations: the only place with SQL."""

from nabolag.store.engine import Store, open_store

__all__ = ["Store", "open_store"]

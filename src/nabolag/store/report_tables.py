"""The table of stored reports (issue 9): a generated area report kept as bytes with its metadata.

Defined on the store's one ``metadata`` like the other table modules; ``store/tables.py`` imports this
module at its end so that Alembic and the migration test see it. The service is ``nabolag.reports.store``.
"""

from __future__ import annotations

from sqlalchemy import Boolean, Column, DateTime, ForeignKey, Integer, LargeBinary, String, Table

from nabolag.store.tables import metadata

report = Table(
    "report",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("area_id", Integer, ForeignKey("area.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("kind", String(20), nullable=False),
    Column("baseline_label", String(100), nullable=False, server_default=""),
    Column("language", String(5), nullable=False),
    Column("format", String(10), nullable=False),
    Column("title", String(300), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("actor", String(100), nullable=False, server_default=""),
    Column("synthetic", Boolean, nullable=False, server_default="0"),
    Column("size", Integer, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("content", LargeBinary, nullable=False),
)

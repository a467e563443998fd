"""Tables of public-life observation (issue 7): sites, sessions, slots and their counts.

A slot is unique per session and start time, and its counts hang off it, so a slot sent twice replaces
itself. Defined on the one ``metadata`` of :mod:`nabolag.store.tables`; migration 0008 mirrors them.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from nabolag.store.tables import metadata

observation_site = Table(
    "observation_site",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("code", String(60), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("area_id", Integer, ForeignKey("area.id", ondelete="CASCADE")),
    Column("measure_id", Integer, ForeignKey("measure.id", ondelete="SET NULL")),
    Column("geometry", LargeBinary),
    Column("reference_date", Date),
    Column("synthetic", Boolean, nullable=False, server_default="0"),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

observation_session = Table(
    "observation_session",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("uid", String(100), nullable=False, unique=True),
    Column("site_id", Integer, ForeignKey("observation_site.id", ondelete="CASCADE"), nullable=False),
    Column("date", Date, nullable=False),
    Column("start", String(5), nullable=False),
    Column("slot_minutes", Integer, nullable=False, server_default="10"),
    Column("observer", String(100), nullable=False, server_default=""),
    Column("weather", String(10), nullable=False, server_default=""),
    Column("temperature_c", Float),
    Column("phase", String(10), nullable=False, server_default=""),
    Column("note", Text, nullable=False, server_default=""),
    Column("source", String(10), nullable=False, server_default="web"),
    Column("import_id", Integer, ForeignKey("import_batch.id")),
    Column("synthetic", Boolean, nullable=False, server_default="0"),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("actor", String(100), nullable=False, server_default=""),
)

observation_slot = Table(
    "observation_slot",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("session_id", Integer, ForeignKey("observation_session.id", ondelete="CASCADE"), nullable=False),
    Column("start", String(5), nullable=False),
    Column("received_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("session_id", "start"),
)

observation_count = Table(
    "observation_count",
    metadata,
    Column("slot_id", Integer, ForeignKey("observation_slot.id", ondelete="CASCADE"), primary_key=True),
    Column("movement", String(10), primary_key=True),
    Column("age_band", String(10), primary_key=True),
    Column("gender", String(10), primary_key=True),
    Column("activity", String(20), primary_key=True),
    Column("group_size", String(5), primary_key=True),
    Column("count", Integer, nullable=False),
)

"""Walking accessibility (issue 8): networks (arrays kept as one blob, the edges' shapes as another),
people, facilities and scenarios.

Results for the real network are observations (method ``network``); a scenario's results (before and
after, computed in the same run) are kept apart in ``access_scenario_result``.
"""

from __future__ import annotations

from sqlalchemy import Column, DateTime, Float, ForeignKey, Integer, LargeBinary, String, Table, Text

from nabolag.store.tables import BigId, metadata

access_network = Table(
    "access_network",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(100), nullable=False),
    Column("source", String(500), nullable=False, server_default=""),
    Column("file_name", String(500), nullable=False, server_default=""),
    Column("sha256", String(64), nullable=False, server_default=""),
    Column("extract_date", String(32), nullable=False, server_default=""),
    Column("crs", String(40), nullable=False),
    Column("nodes", Integer, nullable=False),
    Column("edges", Integer, nullable=False),
    Column("length_m", Float, nullable=False),
    Column("dropped_nodes", Integer, nullable=False, server_default="0"),
    Column("built_at", DateTime(timezone=True), nullable=False),
    Column("actor", String(100), nullable=False, server_default=""),
    Column("arrays", LargeBinary, nullable=False),
    Column("geometry", LargeBinary),  # the edges' bends (store.access.pack_geometry); NULL: drawn straight
)

access_person = Table(
    "access_person",
    metadata,
    Column("id", BigId, primary_key=True),
    Column("lon", Float, nullable=False),
    Column("lat", Float, nullable=False),
    Column("groups", String(300), nullable=False, server_default=""),
    Column("weight", Float, nullable=False),
    Column("source", String(300), nullable=False, server_default=""),
    Column("import_id", Integer, ForeignKey("import_batch.id")),
)

access_scenario = Table(
    "access_scenario",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("code", String(60), nullable=False, unique=True),
    Column("name", String(200), nullable=False, server_default=""),
    Column("description", Text, nullable=False, server_default=""),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("actor", String(100), nullable=False, server_default=""),
)

access_facility = Table(
    "access_facility",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(40), nullable=False, index=True),
    Column("name", String(200), nullable=False, server_default=""),
    Column("source", String(20), nullable=False),
    Column("ref", String(100), nullable=False, server_default=""),
    Column("geometry", LargeBinary, nullable=False),
    Column("scenario_id", Integer, ForeignKey("access_scenario.id", ondelete="CASCADE"), index=True),
    Column("import_id", Integer, ForeignKey("import_batch.id")),
)

access_scenario_path = Table(
    "access_scenario_path",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("scenario_id", Integer, ForeignKey("access_scenario.id", ondelete="CASCADE"), nullable=False,
           index=True),
    Column("name", String(200), nullable=False, server_default=""),
    Column("geometry", LargeBinary, nullable=False),
)

access_scenario_result = Table(
    "access_scenario_result",
    metadata,
    Column("id", BigId, primary_key=True),
    Column("scenario_id", Integer, ForeignKey("access_scenario.id", ondelete="CASCADE"), nullable=False,
           index=True),
    Column("zone_id", Integer, ForeignKey("zone.id")),
    Column("area_id", Integer, ForeignKey("area.id", ondelete="CASCADE")),
    Column("kind", String(40), nullable=False),
    Column("groups", String(300), nullable=False, server_default=""),
    Column("measure", String(30), nullable=False),
    Column("value_before", Float),
    Column("value_after", Float),
    Column("population", Float),
    Column("computed_at", DateTime(timezone=True), nullable=False),
)

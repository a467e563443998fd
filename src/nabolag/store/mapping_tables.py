"""Tables of children's map participation (issue 7): campaigns and contributions.

Defined on the one ``metadata`` of :mod:`nabolag.store.tables`; migration 0008 mirrors them.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
)

from nabolag.store.tables import metadata

BigId = BigInteger().with_variant(Integer(), "sqlite")

map_campaign = Table(
    "map_campaign",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("code", String(60), nullable=False, unique=True),
    Column("title", String(200), nullable=False),
    Column("school", String(200), nullable=False),
    Column("school_zone_id", Integer, ForeignKey("zone.id")),
    Column("school_point", LargeBinary),
    Column("grade_group", String(10), nullable=False),
    Column("opens", Date),
    Column("closes", Date),
    Column("area_id", Integer, ForeignKey("area.id")),
    Column("status", String(10), nullable=False, server_default="draft"),
    Column("languages", Text, nullable=False, server_default='["nb", "nn", "en"]'),
    Column("bounds", LargeBinary),
    Column("region", LargeBinary),
    Column("region_sha256", String(64), nullable=False, server_default=""),
    Column("access_code", String(20), nullable=False, unique=True),
    Column("teacher_code", String(20), nullable=False, unique=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("opened_at", DateTime(timezone=True)),
    Column("closed_at", DateTime(timezone=True)),
    Column("synthetic", Boolean, nullable=False, server_default="0"),
    CheckConstraint("status in ('draft', 'open', 'closed')", name="status"),
)

map_contribution = Table(
    "map_contribution",
    metadata,
    Column("id", BigId, primary_key=True),
    Column("campaign_id", Integer, ForeignKey("map_campaign.id", ondelete="CASCADE"), nullable=False),
    Column("token", String(100), nullable=False, unique=True),
    Column("kind", String(10), nullable=False),
    Column("geometry", LargeBinary, nullable=False),
    Column("mode", String(10)),
    Column("purpose", String(10)),
    Column("category", String(10)),
    Column("comment", Text, nullable=False, server_default=""),
    Column("grade", Integer),
    Column("gender", String(10)),
    Column("language", String(5), nullable=False, server_default="nb"),
    Column("participant", String(100)),
    Column("submitted_at", DateTime(timezone=True), nullable=False),
    Column("source", String(10), nullable=False, server_default="web"),
    Column("import_id", Integer, ForeignKey("import_batch.id")),
    CheckConstraint("kind in ('route', 'place')", name="kind"),
    CheckConstraint("source in ('web', 'import', 'demo')", name="source"),
    Index("ix_map_contribution_campaign_id_kind", "campaign_id", "kind"),
)

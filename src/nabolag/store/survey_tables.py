"""Tables of resident surveys (issue 6): surveys, questionnaire versions, invitation codes, responses.

Defined on the one ``metadata`` of :mod:`nabolag.store.tables`; migration 0007 mirrors them.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from nabolag.store.tables import metadata

BigId = BigInteger().with_variant(Integer(), "sqlite")

survey = Table(
    "survey",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("code", String(60), nullable=False, unique=True),
    Column("title", String(300), nullable=False, server_default=""),
    Column("area_id", Integer, ForeignKey("area.id")),
    Column("status", String(10), nullable=False, server_default="draft"),
    Column("mode", String(12), nullable=False, server_default="open"),
    Column("languages", Text, nullable=False, server_default='["nb"]'),
    Column("period", String(24), nullable=False, server_default=""),
    Column("current_version", Integer, nullable=False, server_default="1"),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("opened_at", DateTime(timezone=True)),
    Column("closed_at", DateTime(timezone=True)),
    Column("synthetic", Boolean, nullable=False, server_default="0"),
    CheckConstraint("status in ('draft', 'open', 'closed')", name="status"),
    CheckConstraint("mode in ('open', 'invitation')", name="mode"),
)

survey_version = Table(
    "survey_version",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("survey_id", Integer, ForeignKey("survey.id", ondelete="CASCADE"), nullable=False),
    Column("version", Integer, nullable=False),
    Column("definition", Text, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("actor", String(100), nullable=False, server_default=""),
    UniqueConstraint("survey_id", "version"),
)

survey_response = Table(
    "survey_response",
    metadata,
    Column("id", BigId, primary_key=True),
    Column("survey_id", Integer, ForeignKey("survey.id", ondelete="CASCADE"), nullable=False),
    Column("version_id", Integer, ForeignKey("survey_version.id", ondelete="CASCADE"), nullable=False),
    Column("token", String(100), nullable=False, unique=True),
    Column("submitted_at", DateTime(timezone=True), nullable=False),
    Column("language", String(20), nullable=False),
    Column("zone_id", Integer, ForeignKey("zone.id")),
    Column("age_band", String(20), nullable=False, server_default=""),
    Column("gender", String(20), nullable=False, server_default=""),
    Column("resident_group", String(40), nullable=False, server_default=""),
    Column("answers", Text, nullable=False),
    Column("source", String(10), nullable=False, server_default="web"),
    Column("import_id", Integer, ForeignKey("import_batch.id")),
    CheckConstraint("source in ('web', 'paper', 'demo')", name="source"),
    Index("ix_survey_response_survey_id_zone_id", "survey_id", "zone_id"),
)

survey_invitation = Table(
    "survey_invitation",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("survey_id", Integer, ForeignKey("survey.id", ondelete="CASCADE"), nullable=False),
    Column("code_hash", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("response_id", BigId, ForeignKey("survey_response.id", ondelete="SET NULL"), unique=True),
    UniqueConstraint("survey_id", "code_hash"),
)

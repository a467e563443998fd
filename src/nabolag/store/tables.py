"""Table definitions (SQLAlchemy Core). Migrations in ``migrations/versions`` mirror these."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

BigId = BigInteger().with_variant(Integer(), "sqlite")

import_batch = Table(
    "import_batch",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(40), nullable=False),
    Column("file_name", String(500), nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("source", String(500), nullable=False, server_default=""),
    Column("rows", Integer, nullable=False, server_default="0"),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("finished_at", DateTime(timezone=True)),
    Column("actor", String(100), nullable=False, server_default=""),
    Column("options", Text, nullable=False, server_default="{}"),
    Column("warnings", Integer, nullable=False, server_default="0"),
)

zone = Table(
    "zone",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("code", String(40), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("level", String(20), nullable=False, index=True),
    Column("parent_code", String(40), index=True),
    Column("geometry", LargeBinary),
    Column("source_crs", String(100)),
    Column("valid_from", Date),
    Column("valid_to", Date),
    Column("import_id", Integer, ForeignKey("import_batch.id")),
)

area = Table(
    "area",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("code", String(60), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("description", Text, nullable=False, server_default=""),
    Column("start_date", Date),
    Column("end_date", Date),
    Column("status", String(20), nullable=False, server_default="planned"),
    Column("synthetic", Boolean, nullable=False, server_default="0"),
)

area_zone = Table(
    "area_zone",
    metadata,
    Column("area_id", Integer, ForeignKey("area.id", ondelete="CASCADE"), primary_key=True),
    Column("zone_id", Integer, ForeignKey("zone.id"), primary_key=True),
    Column("role", String(20), nullable=False),
    CheckConstraint("role in ('member', 'comparison')", name="role"),
)

indicator = Table(
    "indicator",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("code", String(60), nullable=False, unique=True),
    Column("name_nb", String(300), nullable=False),
    Column("name_en", String(300), nullable=False, server_default=""),
    Column("definition", Text, nullable=False, server_default=""),
    Column("unit", String(60), nullable=False, server_default=""),
    Column("direction", String(20), nullable=False, server_default="neutral"),
    Column("numerator", String(300), nullable=False, server_default=""),
    Column("denominator", String(300), nullable=False, server_default=""),
    Column("kind", String(20), nullable=False, server_default="context"),
    Column("source", String(300), nullable=False, server_default=""),
    Column("method", String(20), nullable=False, server_default="register"),
    Column("disaggregations", Text, nullable=False, server_default="[]"),
    Column("suppression_threshold", Integer),
    Column("synthetic", Boolean, nullable=False, server_default="0"),
    Column("import_id", Integer, ForeignKey("import_batch.id")),
)

observation = Table(
    "observation",
    metadata,
    Column("id", BigId, primary_key=True),
    Column("indicator_id", Integer, ForeignKey("indicator.id"), nullable=False),
    Column("zone_id", Integer, ForeignKey("zone.id")),
    Column("area_id", Integer, ForeignKey("area.id", ondelete="CASCADE")),
    Column("period", String(24), nullable=False),
    Column("groups", String(300), nullable=False, server_default=""),
    Column("value", Float),
    Column("numerator", Float),
    Column("denominator", Float),
    Column("n", Integer),
    Column("ci_low", Float),
    Column("ci_high", Float),
    Column("status", String(20), nullable=False, server_default="ok"),
    Column("source", String(300), nullable=False, server_default=""),
    Column("import_id", Integer, ForeignKey("import_batch.id")),
    CheckConstraint("(zone_id IS NULL) <> (area_id IS NULL)", name="one_place"),
    Index(
        "uq_observation_zone_key",
        "indicator_id", "zone_id", "period", "groups",
        unique=True,
        sqlite_where=text("zone_id IS NOT NULL"),
        postgresql_where=text("zone_id IS NOT NULL"),
    ),
    Index(
        "uq_observation_area_key",
        "indicator_id", "area_id", "period", "groups",
        unique=True,
        sqlite_where=text("area_id IS NOT NULL"),
        postgresql_where=text("area_id IS NOT NULL"),
    ),
    Index("ix_observation_import_id", "import_id"),
    Index(
        "ix_observation_period_values",
        "period", "groups", "indicator_id", "zone_id", "value",
        sqlite_where=text("zone_id IS NOT NULL"),
        postgresql_where=text("zone_id IS NOT NULL"),
    ),
)

code_transition = Table(
    "code_transition",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("level", String(20), nullable=False),
    Column("from_code", String(40), nullable=False, index=True),
    Column("to_code", String(40), nullable=False),
    Column("from_year", Integer, nullable=False),
    Column("to_year", Integer, nullable=False),
    Column("change_type", String(20), nullable=False),
    Column("import_id", Integer, ForeignKey("import_batch.id")),
    UniqueConstraint("level", "from_code", "to_code", "to_year"),
)

audit = Table(
    "audit",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor", String(100), nullable=False),
    Column("action", String(60), nullable=False),
    Column("object_type", String(40), nullable=False),
    Column("object_key", String(200), nullable=False, server_default=""),
    Column("details", Text, nullable=False, server_default="{}"),
)

index_spec = Table(
    "index_spec",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(100), nullable=False),
    Column("version", Integer, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("text", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("actor", String(100), nullable=False, server_default=""),
    UniqueConstraint("name", "version"),
)

index_run = Table(
    "index_run",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("spec_id", Integer, ForeignKey("index_spec.id"), nullable=False),
    Column("level", String(20), nullable=False),
    Column("period", String(24), nullable=False),
    Column("computed_at", DateTime(timezone=True), nullable=False),
    Column("actor", String(100), nullable=False, server_default=""),
    Column("missing", Text, nullable=False, server_default="{}"),
)

index_value = Table(
    "index_value",
    metadata,
    Column("run_id", Integer, ForeignKey("index_run.id", ondelete="CASCADE"), primary_key=True),
    Column("zone_id", Integer, ForeignKey("zone.id"), primary_key=True),
    Column("value", Float),
    Column("score", Float),
    Column("rank", Float),
    Column("contributions", Text, nullable=False, server_default="{}"),
)

baseline = Table(
    "baseline",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("area_id", Integer, ForeignKey("area.id", ondelete="CASCADE"), nullable=False),
    Column("label", String(100), nullable=False),
    Column("as_of", String(24)),
    Column("frozen_at", DateTime(timezone=True), nullable=False),
    Column("actor", String(100), nullable=False, server_default=""),
    Column("confidence", Float, nullable=False, server_default="0.95"),
    Column("member_zones", Text, nullable=False, server_default="[]"),
    Column("comparison_zones", Text, nullable=False, server_default="[]"),
    UniqueConstraint("area_id", "label"),
)

baseline_value = Table(
    "baseline_value",
    metadata,
    Column("baseline_id", Integer, ForeignKey("baseline.id", ondelete="CASCADE"), primary_key=True),
    Column("indicator_id", Integer, ForeignKey("indicator.id"), primary_key=True),
    Column("period", String(24), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("scale", Float, nullable=False, server_default="1"),
    Column("value", Float),
    Column("numerator", Float),
    Column("denominator", Float),
    Column("n", Integer),
    Column("ci_low", Float),
    Column("ci_high", Float),
    Column("method", String(20), nullable=False, server_default="unknown"),
    Column("comparison_value", Float),
    Column("comparison_numerator", Float),
    Column("comparison_denominator", Float),
    Column("comparison_ci_low", Float),
    Column("comparison_ci_high", Float),
    Column("comparison_method", String(20), nullable=False, server_default="unknown"),
    Column("note", Text, nullable=False, server_default=""),
)

# Accounts (issue 4): users of the web app, the areas a coordinator may edit, and app secrets.
app_user = Table(
    "app_user",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("username", String(100), nullable=False, unique=True),
    Column("display_name", String(200), nullable=False, server_default=""),
    Column("role", String(20), nullable=False),
    Column("password_hash", String(300), nullable=False),
    Column("disabled", Boolean, nullable=False, server_default="0"),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("created_by", String(100), nullable=False, server_default=""),
    Column("password_changed_at", DateTime(timezone=True), nullable=False),
    CheckConstraint("role in ('admin', 'analyst', 'coordinator', 'viewer')", name="role"),
)

user_area = Table(
    "user_area",
    metadata,
    Column("user_id", Integer, ForeignKey("app_user.id", ondelete="CASCADE"), primary_key=True),
    Column("area_id", Integer, ForeignKey("area.id", ondelete="CASCADE"), primary_key=True),
    Column("granted_at", DateTime(timezone=True), nullable=False),
    Column("granted_by", String(100), nullable=False, server_default=""),
)

app_secret = Table(
    "app_secret",
    metadata,
    Column("name", String(60), primary_key=True),
    Column("value", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

# The programme tables (issue 5) live in their own module on the same metadata.
from nabolag.store import (  # noqa: E402, F401  (surveys: issue 6; map participation: 7; walking access: 8; reports: 9)
    access_tables,
    mapping_tables,
    observation_session_tables,
    programme_tables,
    report_tables,
    survey_tables,
)

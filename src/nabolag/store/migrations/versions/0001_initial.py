"""Initial schema: imports, zones, areas, indicators, observations, transitions, audit.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "import_batch",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("file_name", sa.String(500), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("source", sa.String(500), nullable=False, server_default=""),
        sa.Column("rows", sa.Integer, nullable=False, server_default="0"),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True)),
        sa.Column("actor", sa.String(100), nullable=False, server_default=""),
        sa.Column("options", sa.Text, nullable=False, server_default="{}"),
        sa.Column("warnings", sa.Integer, nullable=False, server_default="0"),
        sa.PrimaryKeyConstraint("id", name="pk_import_batch"),
    )
    op.create_table(
        "zone",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("code", sa.String(40), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("level", sa.String(20), nullable=False),
        sa.Column("parent_code", sa.String(40)),
        sa.Column("geometry", sa.LargeBinary),
        sa.Column("source_crs", sa.String(100)),
        sa.Column("valid_from", sa.Date),
        sa.Column("valid_to", sa.Date),
        sa.Column("import_id", sa.Integer),
        sa.PrimaryKeyConstraint("id", name="pk_zone"),
        sa.UniqueConstraint("code", name="uq_zone_code"),
        sa.ForeignKeyConstraint(["import_id"], ["import_batch.id"], name="fk_zone_import_id_import_batch"),
    )
    op.create_index("ix_zone_level", "zone", ["level"])
    op.create_index("ix_zone_parent_code", "zone", ["parent_code"])
    op.create_table(
        "area",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("code", sa.String(60), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("description", sa.Text, nullable=False, server_default=""),
        sa.Column("start_date", sa.Date),
        sa.Column("end_date", sa.Date),
        sa.Column("status", sa.String(20), nullable=False, server_default="planned"),
        sa.Column("synthetic", sa.Boolean, nullable=False, server_default="0"),
        sa.PrimaryKeyConstraint("id", name="pk_area"),
        sa.UniqueConstraint("code", name="uq_area_code"),
    )
    op.create_table(
        "area_zone",
        sa.Column("area_id", sa.Integer, nullable=False),
        sa.Column("zone_id", sa.Integer, nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.PrimaryKeyConstraint("area_id", "zone_id", name="pk_area_zone"),
        sa.ForeignKeyConstraint(["area_id"], ["area.id"], ondelete="CASCADE", name="fk_area_zone_area_id_area"),
        sa.ForeignKeyConstraint(["zone_id"], ["zone.id"], name="fk_area_zone_zone_id_zone"),
        sa.CheckConstraint("role in ('member', 'comparison')", name="ck_area_zone_role"),
    )
    op.create_table(
        "indicator",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("code", sa.String(60), nullable=False),
        sa.Column("name_nb", sa.String(300), nullable=False),
        sa.Column("name_en", sa.String(300), nullable=False, server_default=""),
        sa.Column("definition", sa.Text, nullable=False, server_default=""),
        sa.Column("unit", sa.String(60), nullable=False, server_default=""),
        sa.Column("direction", sa.String(20), nullable=False, server_default="neutral"),
        sa.Column("numerator", sa.String(300), nullable=False, server_default=""),
        sa.Column("denominator", sa.String(300), nullable=False, server_default=""),
        sa.Column("kind", sa.String(20), nullable=False, server_default="context"),
        sa.Column("source", sa.String(300), nullable=False, server_default=""),
        sa.Column("method", sa.String(20), nullable=False, server_default="register"),
        sa.Column("disaggregations", sa.Text, nullable=False, server_default="[]"),
        sa.Column("suppression_threshold", sa.Integer),
        sa.Column("synthetic", sa.Boolean, nullable=False, server_default="0"),
        sa.Column("import_id", sa.Integer),
        sa.PrimaryKeyConstraint("id", name="pk_indicator"),
        sa.UniqueConstraint("code", name="uq_indicator_code"),
        sa.ForeignKeyConstraint(["import_id"], ["import_batch.id"], name="fk_indicator_import_id_import_batch"),
    )
    op.create_table(
        "observation",
        sa.Column("id", BigId, nullable=False),
        sa.Column("indicator_id", sa.Integer, nullable=False),
        sa.Column("zone_id", sa.Integer),
        sa.Column("area_id", sa.Integer),
        sa.Column("period", sa.String(24), nullable=False),
        sa.Column("groups", sa.String(300), nullable=False, server_default=""),
        sa.Column("value", sa.Float),
        sa.Column("numerator", sa.Float),
        sa.Column("denominator", sa.Float),
        sa.Column("n", sa.Integer),
        sa.Column("ci_low", sa.Float),
        sa.Column("ci_high", sa.Float),
        sa.Column("status", sa.String(20), nullable=False, server_default="ok"),
        sa.Column("source", sa.String(300), nullable=False, server_default=""),
        sa.Column("import_id", sa.Integer),
        sa.PrimaryKeyConstraint("id", name="pk_observation"),
        sa.ForeignKeyConstraint(["indicator_id"], ["indicator.id"], name="fk_observation_indicator_id_indicator"),
        sa.ForeignKeyConstraint(["zone_id"], ["zone.id"], name="fk_observation_zone_id_zone"),
        sa.ForeignKeyConstraint(["area_id"], ["area.id"], ondelete="CASCADE", name="fk_observation_area_id_area"),
        sa.ForeignKeyConstraint(["import_id"], ["import_batch.id"], name="fk_observation_import_id_import_batch"),
        sa.CheckConstraint("(zone_id IS NULL) <> (area_id IS NULL)", name="ck_observation_one_place"),
    )
    op.create_index(
        "uq_observation_zone_key", "observation", ["indicator_id", "zone_id", "period", "groups"],
        unique=True, sqlite_where=sa.text("zone_id IS NOT NULL"), postgresql_where=sa.text("zone_id IS NOT NULL"),
    )
    op.create_index(
        "uq_observation_area_key", "observation", ["indicator_id", "area_id", "period", "groups"],
        unique=True, sqlite_where=sa.text("area_id IS NOT NULL"), postgresql_where=sa.text("area_id IS NOT NULL"),
    )
    op.create_index("ix_observation_import_id", "observation", ["import_id"])
    op.create_table(
        "code_transition",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("level", sa.String(20), nullable=False),
        sa.Column("from_code", sa.String(40), nullable=False),
        sa.Column("to_code", sa.String(40), nullable=False),
        sa.Column("from_year", sa.Integer, nullable=False),
        sa.Column("to_year", sa.Integer, nullable=False),
        sa.Column("change_type", sa.String(20), nullable=False),
        sa.Column("import_id", sa.Integer),
        sa.PrimaryKeyConstraint("id", name="pk_code_transition"),
        sa.UniqueConstraint("level", "from_code", "to_code", "to_year",
                            name="uq_code_transition_level_from_code_to_code_to_year"),
        sa.ForeignKeyConstraint(["import_id"], ["import_batch.id"],
                                name="fk_code_transition_import_id_import_batch"),
    )
    op.create_index("ix_code_transition_from_code", "code_transition", ["from_code"])
    op.create_table(
        "audit",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("action", sa.String(60), nullable=False),
        sa.Column("object_type", sa.String(40), nullable=False),
        sa.Column("object_key", sa.String(200), nullable=False, server_default=""),
        sa.Column("details", sa.Text, nullable=False, server_default="{}"),
        sa.PrimaryKeyConstraint("id", name="pk_audit"),
    )


def downgrade() -> None:
    for name in ("audit", "code_transition", "observation", "indicator", "area_zone", "area", "zone", "import_batch"):
        op.drop_table(name)

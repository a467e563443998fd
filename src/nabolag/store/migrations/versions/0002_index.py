"""Composite indices: versioned specs, runs and values per zone.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "index_spec",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(100), nullable=False, server_default=""),
        sa.PrimaryKeyConstraint("id", name="pk_index_spec"),
        sa.UniqueConstraint("name", "version", name="uq_index_spec_name_version"),
    )
    op.create_table(
        "index_run",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("spec_id", sa.Integer, nullable=False),
        sa.Column("level", sa.String(20), nullable=False),
        sa.Column("period", sa.String(24), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(100), nullable=False, server_default=""),
        sa.Column("missing", sa.Text, nullable=False, server_default="{}"),
        sa.PrimaryKeyConstraint("id", name="pk_index_run"),
        sa.ForeignKeyConstraint(["spec_id"], ["index_spec.id"], name="fk_index_run_spec_id_index_spec"),
    )
    op.create_table(
        "index_value",
        sa.Column("run_id", sa.Integer, nullable=False),
        sa.Column("zone_id", sa.Integer, nullable=False),
        sa.Column("value", sa.Float),
        sa.Column("score", sa.Float),
        sa.Column("rank", sa.Float),
        sa.Column("contributions", sa.Text, nullable=False, server_default="{}"),
        sa.PrimaryKeyConstraint("run_id", "zone_id", name="pk_index_value"),
        sa.ForeignKeyConstraint(["run_id"], ["index_run.id"], ondelete="CASCADE",
                                name="fk_index_value_run_id_index_run"),
        sa.ForeignKeyConstraint(["zone_id"], ["zone.id"], name="fk_index_value_zone_id_zone"),
    )


def downgrade() -> None:
    for name in ("index_value", "index_run", "index_spec"):
        op.drop_table(name)

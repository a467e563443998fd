"""Baselines (nullpunkt): a frozen copy of every indicator's value for an area at a date.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "baseline",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("area_id", sa.Integer, nullable=False),
        sa.Column("label", sa.String(100), nullable=False),
        sa.Column("as_of", sa.String(24)),
        sa.Column("frozen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(100), nullable=False, server_default=""),
        sa.Column("confidence", sa.Float, nullable=False, server_default="0.95"),
        sa.Column("member_zones", sa.Text, nullable=False, server_default="[]"),
        sa.Column("comparison_zones", sa.Text, nullable=False, server_default="[]"),
        sa.PrimaryKeyConstraint("id", name="pk_baseline"),
        sa.ForeignKeyConstraint(["area_id"], ["area.id"], ondelete="CASCADE", name="fk_baseline_area_id_area"),
        sa.UniqueConstraint("area_id", "label", name="uq_baseline_area_id_label"),
    )
    op.create_table(
        "baseline_value",
        sa.Column("baseline_id", sa.Integer, nullable=False),
        sa.Column("indicator_id", sa.Integer, nullable=False),
        sa.Column("period", sa.String(24), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("scale", sa.Float, nullable=False, server_default="1"),
        sa.Column("value", sa.Float),
        sa.Column("numerator", sa.Float),
        sa.Column("denominator", sa.Float),
        sa.Column("n", sa.Integer),
        sa.Column("ci_low", sa.Float),
        sa.Column("ci_high", sa.Float),
        sa.Column("method", sa.String(20), nullable=False, server_default="unknown"),
        sa.Column("comparison_value", sa.Float),
        sa.Column("comparison_numerator", sa.Float),
        sa.Column("comparison_denominator", sa.Float),
        sa.Column("comparison_ci_low", sa.Float),
        sa.Column("comparison_ci_high", sa.Float),
        sa.Column("comparison_method", sa.String(20), nullable=False, server_default="unknown"),
        sa.Column("note", sa.Text, nullable=False, server_default=""),
        sa.PrimaryKeyConstraint("baseline_id", "indicator_id", name="pk_baseline_value"),
        sa.ForeignKeyConstraint(["baseline_id"], ["baseline.id"], ondelete="CASCADE",
                                name="fk_baseline_value_baseline_id_baseline"),
        sa.ForeignKeyConstraint(["indicator_id"], ["indicator.id"], name="fk_baseline_value_indicator_id_indicator"),
    )


def downgrade() -> None:
    for name in ("baseline_value", "baseline"):
        op.drop_table(name)

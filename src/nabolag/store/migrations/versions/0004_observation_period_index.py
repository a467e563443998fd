"""A covering index for reading one period of many indicators (the composite index's component matrix).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_observation_period_values",
        "observation",
        ["period", "groups", "indicator_id", "zone_id", "value"],
        sqlite_where=sa.text("zone_id IS NOT NULL"),
        postgresql_where=sa.text("zone_id IS NOT NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_observation_period_values", table_name="observation")

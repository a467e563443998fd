"""Stored reports: generated area reports (PDF or HTML) kept with their metadata (issue 9).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-12
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "report",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("area_id", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("baseline_label", sa.String(100), nullable=False, server_default=""),
        sa.Column("language", sa.String(5), nullable=False),
        sa.Column("format", sa.String(10), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(100), nullable=False, server_default=""),
        sa.Column("synthetic", sa.Boolean, nullable=False, server_default="0"),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("content", sa.LargeBinary, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_report"),
        sa.ForeignKeyConstraint(["area_id"], ["area.id"], ondelete="CASCADE", name="fk_report_area_id_area"),
    )
    op.create_index("ix_report_area_id", "report", ["area_id"])


def downgrade() -> None:
    op.drop_index("ix_report_area_id", table_name="report")
    op.drop_table("report")

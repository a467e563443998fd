"""Accounts: users with roles and hashed passwords, the areas a coordinator may edit, app secrets.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "app_user",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("username", sa.String(100), nullable=False),
        sa.Column("display_name", sa.String(200), nullable=False, server_default=""),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("password_hash", sa.String(300), nullable=False),
        sa.Column("disabled", sa.Boolean, nullable=False, server_default="0"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(100), nullable=False, server_default=""),
        sa.Column("password_changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_app_user"),
        sa.UniqueConstraint("username", name="uq_app_user_username"),
        sa.CheckConstraint("role in ('admin', 'analyst', 'coordinator', 'viewer')", name="ck_app_user_role"),
    )
    op.create_table(
        "user_area",
        sa.Column("user_id", sa.Integer, nullable=False),
        sa.Column("area_id", sa.Integer, nullable=False),
        sa.Column("granted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("granted_by", sa.String(100), nullable=False, server_default=""),
        sa.PrimaryKeyConstraint("user_id", "area_id", name="pk_user_area"),
        sa.ForeignKeyConstraint(["user_id"], ["app_user.id"], ondelete="CASCADE", name="fk_user_area_user_id_app_user"),
        sa.ForeignKeyConstraint(["area_id"], ["area.id"], ondelete="CASCADE", name="fk_user_area_area_id_area"),
    )
    op.create_table(
        "app_secret",
        sa.Column("name", sa.String(60), nullable=False),
        sa.Column("value", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name="pk_app_secret"),
    )


def downgrade() -> None:
    for name in ("app_secret", "user_area", "app_user"):
        op.drop_table(name)

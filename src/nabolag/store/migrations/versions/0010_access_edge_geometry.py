"""The walking network keeps each edge's shape (its bends) for drawing streets (issues 7 and 8).

A network stored before has ``geometry`` NULL and is drawn straight from node to node.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-10
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("access_network") as batch:
        batch.add_column(sa.Column("geometry", sa.LargeBinary, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("access_network") as batch:
        batch.drop_column("geometry")

"""Walking accessibility: networks, facilities, results and scenarios (issue 8).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _fk(table: str, column: str, target: str, ondelete: str | None = None) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f"{target}.id"], ondelete=ondelete,
                                   name=f"fk_{table}_{column}_{target}")


def upgrade() -> None:
    op.create_table(
        "access_network",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("source", sa.String(500), nullable=False, server_default=""),
        sa.Column("file_name", sa.String(500), nullable=False, server_default=""),
        sa.Column("sha256", sa.String(64), nullable=False, server_default=""),
        sa.Column("extract_date", sa.String(32), nullable=False, server_default=""),
        sa.Column("crs", sa.String(40), nullable=False),
        sa.Column("nodes", sa.Integer, nullable=False),
        sa.Column("edges", sa.Integer, nullable=False),
        sa.Column("length_m", sa.Float, nullable=False),
        sa.Column("dropped_nodes", sa.Integer, nullable=False, server_default="0"),
        sa.Column("built_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(100), nullable=False, server_default=""),
        sa.Column("arrays", sa.LargeBinary, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_access_network"),
    )
    op.create_table(
        "access_person",
        sa.Column("id", BigId, nullable=False),
        sa.Column("lon", sa.Float, nullable=False),
        sa.Column("lat", sa.Float, nullable=False),
        sa.Column("groups", sa.String(300), nullable=False, server_default=""),
        sa.Column("weight", sa.Float, nullable=False),
        sa.Column("source", sa.String(300), nullable=False, server_default=""),
        sa.Column("import_id", sa.Integer),
        sa.PrimaryKeyConstraint("id", name="pk_access_person"),
        _fk("access_person", "import_id", "import_batch"),
    )
    op.create_table(
        "access_scenario",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("code", sa.String(60), nullable=False),
        sa.Column("name", sa.String(200), nullable=False, server_default=""),
        sa.Column("description", sa.Text, nullable=False, server_default=""),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(100), nullable=False, server_default=""),
        sa.PrimaryKeyConstraint("id", name="pk_access_scenario"),
        sa.UniqueConstraint("code", name="uq_access_scenario_code"),
    )
    op.create_table(
        "access_facility",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("name", sa.String(200), nullable=False, server_default=""),
        sa.Column("source", sa.String(20), nullable=False),
        sa.Column("ref", sa.String(100), nullable=False, server_default=""),
        sa.Column("geometry", sa.LargeBinary, nullable=False),
        sa.Column("scenario_id", sa.Integer),
        sa.Column("import_id", sa.Integer),
        sa.PrimaryKeyConstraint("id", name="pk_access_facility"),
        _fk("access_facility", "scenario_id", "access_scenario", "CASCADE"),
        _fk("access_facility", "import_id", "import_batch"),
    )
    op.create_index("ix_access_facility_kind", "access_facility", ["kind"])
    op.create_index("ix_access_facility_scenario_id", "access_facility", ["scenario_id"])
    op.create_table(
        "access_scenario_path",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("scenario_id", sa.Integer, nullable=False),
        sa.Column("name", sa.String(200), nullable=False, server_default=""),
        sa.Column("geometry", sa.LargeBinary, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_access_scenario_path"),
        _fk("access_scenario_path", "scenario_id", "access_scenario", "CASCADE"),
    )
    op.create_index("ix_access_scenario_path_scenario_id", "access_scenario_path", ["scenario_id"])
    op.create_table(
        "access_scenario_result",
        sa.Column("id", BigId, nullable=False),
        sa.Column("scenario_id", sa.Integer, nullable=False),
        sa.Column("zone_id", sa.Integer),
        sa.Column("area_id", sa.Integer),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("groups", sa.String(300), nullable=False, server_default=""),
        sa.Column("measure", sa.String(30), nullable=False),
        sa.Column("value_before", sa.Float),
        sa.Column("value_after", sa.Float),
        sa.Column("population", sa.Float),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_access_scenario_result"),
        _fk("access_scenario_result", "scenario_id", "access_scenario", "CASCADE"),
        _fk("access_scenario_result", "zone_id", "zone"),
        _fk("access_scenario_result", "area_id", "area", "CASCADE"),
    )
    op.create_index("ix_access_scenario_result_scenario_id", "access_scenario_result", ["scenario_id"])


def downgrade() -> None:
    for name in ("access_scenario_result", "access_scenario_path", "access_facility", "access_scenario",
                 "access_person", "access_network"):
        op.drop_table(name)

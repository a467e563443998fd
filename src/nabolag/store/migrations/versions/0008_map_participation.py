"""Children's map participation (Barnetråkk style) and public-life observation sessions (issue 7).

Map campaigns and contributions (unique submission token); observation sites, sessions (unique client
id), slots (unique per session and start) and their counts.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _ts(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _fk(table: str, column: str, target: str, ondelete: str | None = None) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f"{target}.id"], ondelete=ondelete,
                                   name=f"fk_{table}_{column}_{target}")


def _campaign() -> None:
    op.create_table(
        "map_campaign",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("code", sa.String(60), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("school", sa.String(200), nullable=False),
        sa.Column("school_zone_id", sa.Integer),
        sa.Column("school_point", sa.LargeBinary),
        sa.Column("grade_group", sa.String(10), nullable=False),
        sa.Column("opens", sa.Date),
        sa.Column("closes", sa.Date),
        sa.Column("area_id", sa.Integer),
        sa.Column("status", sa.String(10), nullable=False, server_default="draft"),
        sa.Column("languages", sa.Text, nullable=False, server_default='["nb", "nn", "en"]'),
        sa.Column("bounds", sa.LargeBinary),
        sa.Column("region", sa.LargeBinary),
        sa.Column("region_sha256", sa.String(64), nullable=False, server_default=""),
        sa.Column("access_code", sa.String(20), nullable=False),
        sa.Column("teacher_code", sa.String(20), nullable=False),
        _ts("created_at"), _ts("opened_at", True), _ts("closed_at", True),
        sa.Column("synthetic", sa.Boolean, nullable=False, server_default="0"),
        sa.PrimaryKeyConstraint("id", name="pk_map_campaign"),
        _fk("map_campaign", "school_zone_id", "zone"),
        _fk("map_campaign", "area_id", "area"),
        sa.UniqueConstraint("code", name="uq_map_campaign_code"),
        sa.UniqueConstraint("access_code", name="uq_map_campaign_access_code"),
        sa.UniqueConstraint("teacher_code", name="uq_map_campaign_teacher_code"),
        sa.CheckConstraint("status in ('draft', 'open', 'closed')", name="ck_map_campaign_status"),
    )
    op.create_table(
        "map_contribution",
        sa.Column("id", BigId, nullable=False),
        sa.Column("campaign_id", sa.Integer, nullable=False),
        sa.Column("token", sa.String(100), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("geometry", sa.LargeBinary, nullable=False),
        sa.Column("mode", sa.String(10)),
        sa.Column("purpose", sa.String(10)),
        sa.Column("category", sa.String(10)),
        sa.Column("comment", sa.Text, nullable=False, server_default=""),
        sa.Column("grade", sa.Integer),
        sa.Column("gender", sa.String(10)),
        sa.Column("language", sa.String(5), nullable=False, server_default="nb"),
        sa.Column("participant", sa.String(100)),
        _ts("submitted_at"),
        sa.Column("source", sa.String(10), nullable=False, server_default="web"),
        sa.Column("import_id", sa.Integer),
        sa.PrimaryKeyConstraint("id", name="pk_map_contribution"),
        _fk("map_contribution", "campaign_id", "map_campaign", "CASCADE"),
        _fk("map_contribution", "import_id", "import_batch"),
        sa.UniqueConstraint("token", name="uq_map_contribution_token"),
        sa.CheckConstraint("kind in ('route', 'place')", name="ck_map_contribution_kind"),
        sa.CheckConstraint("source in ('web', 'import', 'demo')", name="ck_map_contribution_source"),
    )
    op.create_index("ix_map_contribution_campaign_id_kind", "map_contribution", ["campaign_id", "kind"])


def _sessions() -> None:
    op.create_table(
        "observation_site",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("code", sa.String(60), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("area_id", sa.Integer),
        sa.Column("measure_id", sa.Integer),
        sa.Column("geometry", sa.LargeBinary),
        sa.Column("reference_date", sa.Date),
        sa.Column("synthetic", sa.Boolean, nullable=False, server_default="0"),
        _ts("created_at"),
        sa.PrimaryKeyConstraint("id", name="pk_observation_site"),
        _fk("observation_site", "area_id", "area", "CASCADE"),
        _fk("observation_site", "measure_id", "measure", "SET NULL"),
        sa.UniqueConstraint("code", name="uq_observation_site_code"),
    )
    op.create_table(
        "observation_session",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("uid", sa.String(100), nullable=False),
        sa.Column("site_id", sa.Integer, nullable=False),
        sa.Column("date", sa.Date, nullable=False),
        sa.Column("start", sa.String(5), nullable=False),
        sa.Column("slot_minutes", sa.Integer, nullable=False, server_default="10"),
        sa.Column("observer", sa.String(100), nullable=False, server_default=""),
        sa.Column("weather", sa.String(10), nullable=False, server_default=""),
        sa.Column("temperature_c", sa.Float),
        sa.Column("phase", sa.String(10), nullable=False, server_default=""),
        sa.Column("note", sa.Text, nullable=False, server_default=""),
        sa.Column("source", sa.String(10), nullable=False, server_default="web"),
        sa.Column("import_id", sa.Integer),
        sa.Column("synthetic", sa.Boolean, nullable=False, server_default="0"),
        _ts("created_at"),
        sa.Column("actor", sa.String(100), nullable=False, server_default=""),
        sa.PrimaryKeyConstraint("id", name="pk_observation_session"),
        _fk("observation_session", "site_id", "observation_site", "CASCADE"),
        _fk("observation_session", "import_id", "import_batch"),
        sa.UniqueConstraint("uid", name="uq_observation_session_uid"),
    )
    op.create_table(
        "observation_slot",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("session_id", sa.Integer, nullable=False),
        sa.Column("start", sa.String(5), nullable=False),
        _ts("received_at"),
        sa.PrimaryKeyConstraint("id", name="pk_observation_slot"),
        _fk("observation_slot", "session_id", "observation_session", "CASCADE"),
        sa.UniqueConstraint("session_id", "start", name="uq_observation_slot_session_id_start"),
    )
    op.create_table(
        "observation_count",
        sa.Column("slot_id", sa.Integer, nullable=False),
        sa.Column("movement", sa.String(10), nullable=False),
        sa.Column("age_band", sa.String(10), nullable=False),
        sa.Column("gender", sa.String(10), nullable=False),
        sa.Column("activity", sa.String(20), nullable=False),
        sa.Column("group_size", sa.String(5), nullable=False),
        sa.Column("count", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("slot_id", "movement", "age_band", "gender", "activity", "group_size",
                                name="pk_observation_count"),
        _fk("observation_count", "slot_id", "observation_slot", "CASCADE"),
    )


def upgrade() -> None:
    _campaign()
    _sessions()


def downgrade() -> None:
    for name in ("observation_count", "observation_slot", "observation_session", "observation_site"):
        op.drop_table(name)
    op.drop_index("ix_map_contribution_campaign_id_kind", table_name="map_contribution")
    op.drop_table("map_contribution")
    op.drop_table("map_campaign")

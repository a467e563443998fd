"""Resident surveys: survey, questionnaire versions, responses (unique submission token), invitation codes.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _ts(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "survey",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("code", sa.String(60), nullable=False),
        sa.Column("title", sa.String(300), nullable=False, server_default=""),
        sa.Column("area_id", sa.Integer),
        sa.Column("status", sa.String(10), nullable=False, server_default="draft"),
        sa.Column("mode", sa.String(12), nullable=False, server_default="open"),
        sa.Column("languages", sa.Text, nullable=False, server_default='["nb"]'),
        sa.Column("period", sa.String(24), nullable=False, server_default=""),
        sa.Column("current_version", sa.Integer, nullable=False, server_default="1"),
        _ts("created_at"), _ts("opened_at", True), _ts("closed_at", True),
        sa.Column("synthetic", sa.Boolean, nullable=False, server_default="0"),
        sa.PrimaryKeyConstraint("id", name="pk_survey"),
        sa.ForeignKeyConstraint(["area_id"], ["area.id"], name="fk_survey_area_id_area"),
        sa.UniqueConstraint("code", name="uq_survey_code"),
        sa.CheckConstraint("status in ('draft', 'open', 'closed')", name="ck_survey_status"),
        sa.CheckConstraint("mode in ('open', 'invitation')", name="ck_survey_mode"),
    )
    op.create_table(
        "survey_version",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("survey_id", sa.Integer, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("definition", sa.Text, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        _ts("created_at"),
        sa.Column("actor", sa.String(100), nullable=False, server_default=""),
        sa.PrimaryKeyConstraint("id", name="pk_survey_version"),
        sa.ForeignKeyConstraint(["survey_id"], ["survey.id"], ondelete="CASCADE",
                                name="fk_survey_version_survey_id_survey"),
        sa.UniqueConstraint("survey_id", "version", name="uq_survey_version_survey_id_version"),
    )
    op.create_table(
        "survey_response",
        sa.Column("id", BigId, nullable=False),
        sa.Column("survey_id", sa.Integer, nullable=False),
        sa.Column("version_id", sa.Integer, nullable=False),
        sa.Column("token", sa.String(100), nullable=False),
        _ts("submitted_at"),
        sa.Column("language", sa.String(20), nullable=False),
        sa.Column("zone_id", sa.Integer),
        sa.Column("age_band", sa.String(20), nullable=False, server_default=""),
        sa.Column("gender", sa.String(20), nullable=False, server_default=""),
        sa.Column("resident_group", sa.String(40), nullable=False, server_default=""),
        sa.Column("answers", sa.Text, nullable=False),
        sa.Column("source", sa.String(10), nullable=False, server_default="web"),
        sa.Column("import_id", sa.Integer),
        sa.PrimaryKeyConstraint("id", name="pk_survey_response"),
        sa.ForeignKeyConstraint(["survey_id"], ["survey.id"], ondelete="CASCADE",
                                name="fk_survey_response_survey_id_survey"),
        sa.ForeignKeyConstraint(["version_id"], ["survey_version.id"], ondelete="CASCADE",
                                name="fk_survey_response_version_id_survey_version"),
        sa.ForeignKeyConstraint(["zone_id"], ["zone.id"], name="fk_survey_response_zone_id_zone"),
        sa.ForeignKeyConstraint(["import_id"], ["import_batch.id"], name="fk_survey_response_import_id_import_batch"),
        sa.UniqueConstraint("token", name="uq_survey_response_token"),
        sa.CheckConstraint("source in ('web', 'paper', 'demo')", name="ck_survey_response_source"),
    )
    op.create_index("ix_survey_response_survey_id_zone_id", "survey_response", ["survey_id", "zone_id"])
    op.create_table(
        "survey_invitation",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("survey_id", sa.Integer, nullable=False),
        sa.Column("code_hash", sa.String(64), nullable=False),
        _ts("created_at"),
        sa.Column("response_id", BigId),
        sa.PrimaryKeyConstraint("id", name="pk_survey_invitation"),
        sa.ForeignKeyConstraint(["survey_id"], ["survey.id"], ondelete="CASCADE",
                                name="fk_survey_invitation_survey_id_survey"),
        sa.ForeignKeyConstraint(["response_id"], ["survey_response.id"], ondelete="SET NULL",
                                name="fk_survey_invitation_response_id_survey_response"),
        sa.UniqueConstraint("survey_id", "code_hash", name="uq_survey_invitation_survey_id_code_hash"),
        sa.UniqueConstraint("response_id", name="uq_survey_invitation_response_id"),
    )


def downgrade() -> None:
    op.drop_table("survey_invitation")
    op.drop_index("ix_survey_response_survey_id_zone_id", table_name="survey_response")
    for name in ("survey_response", "survey_version", "survey"):
        op.drop_table(name)

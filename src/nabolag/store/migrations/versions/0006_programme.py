"""The area programme: vocabulary (with its defaults), goals, measures, actors, participation log.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22
"""

import json

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# The defaults as shipped with this revision (nabolag.domain.vocabulary.DEFAULT_TERMS at the time):
# kind, code, name_nb, name_en, description, SDG targets.
DEFAULTS = (
    ("dimension", "individ", "Individets behov", "Individual needs",
     "Grunnleggende materielle og immaterielle behov hos den enkelte.", ("1.2", "1.3", "3.4")),
    ("dimension", "samspill", "Samspill mellom individ og lokalsamfunn", "Interaction between individual and community",
     "Rettferdig fordeling av ressurser og goder.", ("10.2", "10.3", "11.1")),
    ("dimension", "lokalsamfunn", "Lokalsamfunnets strukturer og kapasitet", "The community's structures and capacity",
     "Nettverk, organisasjoner, møteplasser og evnen til å handle sammen.", ("11.3", "16.7", "17.17")),
    ("theme", "rettferdig_tilgang", "Rettferdig tilgang til ressurser", "Fair access to resources",
     "Bolig, arbeid, inntekt, grøntområder og tjenester fordelt rettferdig.", ("1.4", "10.2", "10.3", "11.1")),
    ("theme", "folkehelse", "Helsefremmende lokalsamfunn (folkehelse)", "Public health",
     "Fysisk aktivitet, helsefremmende omgivelser og sosial støtte.", ("3.4", "11.7")),
    ("theme", "sosial_kapital", "Sosial kapital, nettverk og stedstilhørighet",
     "Social capital, networks and place attachment",
     "Møteplasser, frivillighet, nabofellesskap og tilhørighet til stedet.", ("10.2", "11.3", "11.7")),
    ("theme", "demokrati", "Demokratisk deltakelse og tillit", "Democratic participation and trust",
     "Medvirkning, lokale foreninger, styreverv og tillit til institusjoner.", ("16.6", "16.7")),
    ("theme", "trygghet", "Trygghet", "Safety",
     "Opplevd trygghet dag og kveld, kriminalitet og trygge offentlige rom.", ("5.2", "11.7", "16.1")),
    ("theme", "utdanning", "Utdanning og sosial mobilitet", "Education and social mobility",
     "Skole, kvalifisering, arbeid og muligheten til å bevege seg sosialt.", ("4.1", "4.4", "8.6", "10.1")),
    ("theme", "tjenester", "Tjenester", "Services",
     "Tilgang til offentlige og private tjenester i nærmiljøet.", ("1.4", "3.8")),
)


def _pk(table: str, *cols: str) -> sa.PrimaryKeyConstraint:
    return sa.PrimaryKeyConstraint(*cols, name=f"pk_{table}")


def _fk(table: str, col: str, ref: str, ondelete: str | None = None) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([col], [f"{ref}.id"], ondelete=ondelete, name=f"fk_{table}_{col}_{ref}")


def _uq(table: str, *cols: str) -> sa.UniqueConstraint:
    return sa.UniqueConstraint(*cols, name=f"uq_{table}_{'_'.join(cols)}")


def _synthetic() -> sa.Column:
    return sa.Column("synthetic", sa.Boolean, nullable=False, server_default="0")


def upgrade() -> None:
    terms = op.create_table(
        "vocabulary_term",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("code", sa.String(60), nullable=False),
        sa.Column("name_nb", sa.String(200), nullable=False),
        sa.Column("name_en", sa.String(200), nullable=False, server_default=""),
        sa.Column("description", sa.Text, nullable=False, server_default=""),
        sa.Column("sdg_targets", sa.Text, nullable=False, server_default="[]"),
        sa.Column("sort_order", sa.Integer, nullable=False, server_default="0"),
        _pk("vocabulary_term", "id"), _uq("vocabulary_term", "kind", "code"),
    )
    op.create_table(
        "goal",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("area_id", sa.Integer, nullable=False),
        sa.Column("code", sa.String(60), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("dimension_id", sa.Integer, nullable=False),
        sa.Column("description", sa.Text, nullable=False, server_default=""),
        sa.Column("target_groups", sa.Text, nullable=False, server_default="[]"),
        sa.Column("start_date", sa.Date),
        sa.Column("end_date", sa.Date),
        _synthetic(),
        _pk("goal", "id"), _fk("goal", "area_id", "area", "CASCADE"),
        _fk("goal", "dimension_id", "vocabulary_term"), _uq("goal", "area_id", "code"),
    )
    op.create_table(
        "goal_theme",
        sa.Column("goal_id", sa.Integer, nullable=False),
        sa.Column("term_id", sa.Integer, nullable=False),
        _pk("goal_theme", "goal_id", "term_id"), _fk("goal_theme", "goal_id", "goal", "CASCADE"),
        _fk("goal_theme", "term_id", "vocabulary_term"),
    )
    op.create_table(
        "goal_indicator",
        sa.Column("goal_id", sa.Integer, nullable=False),
        sa.Column("indicator_id", sa.Integer, nullable=False),
        sa.Column("method", sa.String(20), nullable=False, server_default=""),
        sa.Column("target_value", sa.Float),
        sa.Column("target_period", sa.String(24), nullable=False, server_default=""),
        sa.Column("note", sa.Text, nullable=False, server_default=""),
        _pk("goal_indicator", "goal_id", "indicator_id"), _fk("goal_indicator", "goal_id", "goal", "CASCADE"),
        _fk("goal_indicator", "indicator_id", "indicator"),
    )
    op.create_table(
        "actor",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("code", sa.String(60), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("area_id", sa.Integer),
        sa.Column("founded", sa.Date),
        sa.Column("dissolved", sa.Date),
        sa.Column("description", sa.Text, nullable=False, server_default=""),
        _synthetic(),
        _pk("actor", "id"), _fk("actor", "area_id", "area"), _uq("actor", "code"),
    )
    op.create_table(
        "actor_year",
        sa.Column("actor_id", sa.Integer, nullable=False),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("members", sa.Integer),
        sa.Column("volunteers", sa.Integer),
        _pk("actor_year", "actor_id", "year"), _fk("actor_year", "actor_id", "actor", "CASCADE"),
    )
    op.create_table(
        "board_role",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("actor_id", sa.Integer, nullable=False),
        sa.Column("person_ref", sa.String(60), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("resident", sa.Boolean, nullable=False, server_default="1"),
        sa.Column("start_date", sa.Date),
        sa.Column("end_date", sa.Date),
        _pk("board_role", "id"), _fk("board_role", "actor_id", "actor", "CASCADE"),
    )
    op.create_index("ix_board_role_actor_id", "board_role", ["actor_id"])
    op.create_table(
        "measure",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("area_id", sa.Integer, nullable=False),
        sa.Column("code", sa.String(60), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("status", sa.String(20), nullable=False, server_default="idea"),
        sa.Column("description", sa.Text, nullable=False, server_default=""),
        sa.Column("geometry", sa.LargeBinary),
        sa.Column("responsible_id", sa.Integer),
        sa.Column("budget", sa.Float),
        sa.Column("spent", sa.Float),
        sa.Column("start_date", sa.Date),
        sa.Column("end_date", sa.Date),
        _synthetic(),
        _pk("measure", "id"), _fk("measure", "area_id", "area", "CASCADE"),
        _fk("measure", "responsible_id", "actor"), _uq("measure", "area_id", "code"),
    )
    op.create_table(
        "measure_partner",
        sa.Column("measure_id", sa.Integer, nullable=False),
        sa.Column("actor_id", sa.Integer, nullable=False),
        _pk("measure_partner", "measure_id", "actor_id"),
        _fk("measure_partner", "measure_id", "measure", "CASCADE"), _fk("measure_partner", "actor_id", "actor"),
    )
    op.create_table(
        "measure_goal",
        sa.Column("measure_id", sa.Integer, nullable=False),
        sa.Column("goal_id", sa.Integer, nullable=False),
        _pk("measure_goal", "measure_id", "goal_id"),
        _fk("measure_goal", "measure_id", "measure", "CASCADE"), _fk("measure_goal", "goal_id", "goal", "CASCADE"),
    )
    op.create_table(
        "measure_indicator",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("measure_id", sa.Integer, nullable=False),
        sa.Column("indicator_id", sa.Integer, nullable=False),
        sa.Column("goal_id", sa.Integer),
        sa.Column("method", sa.String(20), nullable=False, server_default=""),
        sa.Column("note", sa.Text, nullable=False, server_default=""),
        _pk("measure_indicator", "id"), _fk("measure_indicator", "measure_id", "measure", "CASCADE"),
        _fk("measure_indicator", "indicator_id", "indicator"), _fk("measure_indicator", "goal_id", "goal", "CASCADE"),
    )
    op.create_index("ix_measure_indicator_measure_id", "measure_indicator", ["measure_id"])
    op.create_table(
        "milestone",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("measure_id", sa.Integer, nullable=False),
        sa.Column("position", sa.Integer, nullable=False, server_default="0"),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("due", sa.Date, nullable=False),
        sa.Column("done", sa.Date),
        _pk("milestone", "id"), _fk("milestone", "measure_id", "measure", "CASCADE"),
    )
    op.create_index("ix_milestone_measure_id", "milestone", ["measure_id"])
    op.create_table(
        "event",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("area_id", sa.Integer, nullable=False),
        sa.Column("code", sa.String(60), nullable=False),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("date", sa.Date, nullable=False),
        sa.Column("place", sa.String(200), nullable=False, server_default=""),
        sa.Column("organiser_id", sa.Integer),
        sa.Column("description", sa.Text, nullable=False, server_default=""),
        _synthetic(),
        _pk("event", "id"), _fk("event", "area_id", "area", "CASCADE"), _fk("event", "organiser_id", "actor"),
        _uq("event", "area_id", "code"),
    )
    op.create_table(
        "event_attendance",
        sa.Column("event_id", sa.Integer, nullable=False),
        sa.Column("attendee_group", sa.String(60), nullable=False),
        sa.Column("count", sa.Integer, nullable=False),
        _pk("event_attendance", "event_id", "attendee_group"),
        _fk("event_attendance", "event_id", "event", "CASCADE"),
    )
    op.create_table(
        "participation_input",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("area_id", sa.Integer, nullable=False),
        sa.Column("code", sa.String(60), nullable=False),
        sa.Column("event_id", sa.Integer),
        sa.Column("received", sa.Date, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("theme_id", sa.Integer),
        sa.Column("measure_id", sa.Integer),
        sa.Column("status", sa.String(20), nullable=False, server_default="received"),
        sa.Column("answer", sa.Text, nullable=False, server_default=""),
        sa.Column("answered", sa.Date),
        _synthetic(),
        _pk("participation_input", "id"), _fk("participation_input", "area_id", "area", "CASCADE"),
        _fk("participation_input", "event_id", "event", "SET NULL"),
        _fk("participation_input", "theme_id", "vocabulary_term"),
        _fk("participation_input", "measure_id", "measure", "SET NULL"),
        _uq("participation_input", "area_id", "code"),
    )
    rows, order = [], {"dimension": 0, "theme": 0}
    for kind, code, nb, en, text, sdg in DEFAULTS:
        order[kind] += 1
        rows.append({"kind": kind, "code": code, "name_nb": nb, "name_en": en, "description": text,
                     "sdg_targets": json.dumps(list(sdg)), "sort_order": order[kind]})
    op.bulk_insert(terms, rows)


def downgrade() -> None:
    for name in ("participation_input", "event_attendance", "event", "milestone", "measure_indicator",
                 "measure_goal", "measure_partner", "measure", "board_role", "actor_year", "actor",
                 "goal_indicator", "goal_theme", "goal", "vocabulary_term"):
        op.drop_table(name)

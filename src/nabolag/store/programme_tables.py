"""Tables of the area programme: vocabulary, goals, measures, actors and the participation log.

Defined on the one ``metadata`` of :mod:`nabolag.store.tables`; migration 0006 mirrors them.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from nabolag.store.tables import metadata

vocabulary_term = Table(
    "vocabulary_term",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(20), nullable=False),
    Column("code", String(60), nullable=False),
    Column("name_nb", String(200), nullable=False),
    Column("name_en", String(200), nullable=False, server_default=""),
    Column("description", Text, nullable=False, server_default=""),
    Column("sdg_targets", Text, nullable=False, server_default="[]"),
    Column("sort_order", Integer, nullable=False, server_default="0"),
    UniqueConstraint("kind", "code"),
)

goal = Table(
    "goal",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("area_id", Integer, ForeignKey("area.id", ondelete="CASCADE"), nullable=False),
    Column("code", String(60), nullable=False),
    Column("title", String(200), nullable=False),
    Column("dimension_id", Integer, ForeignKey("vocabulary_term.id"), nullable=False),
    Column("description", Text, nullable=False, server_default=""),
    Column("target_groups", Text, nullable=False, server_default="[]"),
    Column("start_date", Date),
    Column("end_date", Date),
    Column("synthetic", Boolean, nullable=False, server_default="0"),
    UniqueConstraint("area_id", "code"),
)

goal_theme = Table(
    "goal_theme",
    metadata,
    Column("goal_id", Integer, ForeignKey("goal.id", ondelete="CASCADE"), primary_key=True),
    Column("term_id", Integer, ForeignKey("vocabulary_term.id"), primary_key=True),
)

goal_indicator = Table(
    "goal_indicator",
    metadata,
    Column("goal_id", Integer, ForeignKey("goal.id", ondelete="CASCADE"), primary_key=True),
    Column("indicator_id", Integer, ForeignKey("indicator.id"), primary_key=True),
    Column("method", String(20), nullable=False, server_default=""),
    Column("target_value", Float),
    Column("target_period", String(24), nullable=False, server_default=""),
    Column("note", Text, nullable=False, server_default=""),
)

actor = Table(
    "actor",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("code", String(60), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("kind", String(30), nullable=False),
    Column("area_id", Integer, ForeignKey("area.id")),
    Column("founded", Date),
    Column("dissolved", Date),
    Column("description", Text, nullable=False, server_default=""),
    Column("synthetic", Boolean, nullable=False, server_default="0"),
)

actor_year = Table(
    "actor_year",
    metadata,
    Column("actor_id", Integer, ForeignKey("actor.id", ondelete="CASCADE"), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("members", Integer),
    Column("volunteers", Integer),
)

board_role = Table(
    "board_role",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("actor_id", Integer, ForeignKey("actor.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("person_ref", String(60), nullable=False),
    Column("role", String(20), nullable=False),
    Column("resident", Boolean, nullable=False, server_default="1"),
    Column("start_date", Date),
    Column("end_date", Date),
)

measure = Table(
    "measure",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("area_id", Integer, ForeignKey("area.id", ondelete="CASCADE"), nullable=False),
    Column("code", String(60), nullable=False),
    Column("title", String(200), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("status", String(20), nullable=False, server_default="idea"),
    Column("description", Text, nullable=False, server_default=""),
    Column("geometry", LargeBinary),
    Column("responsible_id", Integer, ForeignKey("actor.id")),
    Column("budget", Float),
    Column("spent", Float),
    Column("start_date", Date),
    Column("end_date", Date),
    Column("synthetic", Boolean, nullable=False, server_default="0"),
    UniqueConstraint("area_id", "code"),
)

measure_partner = Table(
    "measure_partner",
    metadata,
    Column("measure_id", Integer, ForeignKey("measure.id", ondelete="CASCADE"), primary_key=True),
    Column("actor_id", Integer, ForeignKey("actor.id"), primary_key=True),
)

measure_goal = Table(
    "measure_goal",
    metadata,
    Column("measure_id", Integer, ForeignKey("measure.id", ondelete="CASCADE"), primary_key=True),
    Column("goal_id", Integer, ForeignKey("goal.id", ondelete="CASCADE"), primary_key=True),
)

measure_indicator = Table(
    "measure_indicator",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("measure_id", Integer, ForeignKey("measure.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("indicator_id", Integer, ForeignKey("indicator.id"), nullable=False),
    Column("goal_id", Integer, ForeignKey("goal.id", ondelete="CASCADE")),
    Column("method", String(20), nullable=False, server_default=""),
    Column("note", Text, nullable=False, server_default=""),
)

milestone = Table(
    "milestone",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("measure_id", Integer, ForeignKey("measure.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("position", Integer, nullable=False, server_default="0"),
    Column("title", String(200), nullable=False),
    Column("due", Date, nullable=False),
    Column("done", Date),
)

event = Table(
    "event",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("area_id", Integer, ForeignKey("area.id", ondelete="CASCADE"), nullable=False),
    Column("code", String(60), nullable=False),
    Column("kind", String(30), nullable=False),
    Column("title", String(200), nullable=False),
    Column("date", Date, nullable=False),
    Column("place", String(200), nullable=False, server_default=""),
    Column("organiser_id", Integer, ForeignKey("actor.id")),
    Column("description", Text, nullable=False, server_default=""),
    Column("synthetic", Boolean, nullable=False, server_default="0"),
    UniqueConstraint("area_id", "code"),
)

event_attendance = Table(
    "event_attendance",
    metadata,
    Column("event_id", Integer, ForeignKey("event.id", ondelete="CASCADE"), primary_key=True),
    Column("attendee_group", String(60), primary_key=True),
    Column("count", Integer, nullable=False),
)

participation_input = Table(
    "participation_input",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("area_id", Integer, ForeignKey("area.id", ondelete="CASCADE"), nullable=False),
    Column("code", String(60), nullable=False),
    Column("event_id", Integer, ForeignKey("event.id", ondelete="SET NULL")),
    Column("received", Date, nullable=False),
    Column("text", Text, nullable=False),
    Column("theme_id", Integer, ForeignKey("vocabulary_term.id")),
    Column("measure_id", Integer, ForeignKey("measure.id", ondelete="SET NULL")),
    Column("status", String(20), nullable=False, server_default="received"),
    Column("answer", Text, nullable=False, server_default=""),
    Column("answered", Date),
    Column("synthetic", Boolean, nullable=False, server_default="0"),
    UniqueConstraint("area_id", "code"),
)

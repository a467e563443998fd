"""Observation sites, sessions, slots and counts: the SQL of public-life observation (issue 7)."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from nabolag.store.observation_session_tables import (
    observation_count,
    observation_session,
    observation_site,
    observation_slot,
)
from nabolag.store.programme_tables import measure
from nabolag.store.tables import area


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _sites() -> Any:
    return (select(observation_site, area.c.code.label("area"), measure.c.code.label("measure"),
                   measure.c.start_date.label("measure_start"))
            .select_from(observation_site.outerjoin(area, area.c.id == observation_site.c.area_id)
                         .outerjoin(measure, measure.c.id == observation_site.c.measure_id)))


def get_site(conn: Connection, code: str) -> dict[str, Any] | None:
    row = conn.execute(_sites().where(observation_site.c.code == code)).mappings().first()
    return dict(row) if row else None


def list_sites(conn: Connection) -> list[dict[str, Any]]:
    return [dict(r) for r in conn.execute(_sites().order_by(observation_site.c.code)).mappings()]


def save_site(conn: Connection, code: str, values: dict[str, Any]) -> int:
    found = conn.execute(select(observation_site.c.id).where(observation_site.c.code == code)).scalar()
    if found is None:
        result = conn.execute(insert(observation_site).values(code=code, created_at=now(), **values))
        return int(result.inserted_primary_key[0])  # type: ignore[index]
    conn.execute(update(observation_site).where(observation_site.c.id == found).values(**values))
    return int(found)


def measure_id(conn: Connection, area_id: int, code: str) -> tuple[int, dt.date | None] | None:
    row = conn.execute(select(measure.c.id, measure.c.start_date)
                       .where(measure.c.area_id == area_id, measure.c.code == code)).first()
    return (int(row[0]), row[1]) if row else None


def _sessions() -> Any:
    return (select(observation_session, observation_site.c.code.label("site"), area.c.code.label("area"))
            .join(observation_site, observation_site.c.id == observation_session.c.site_id)
            .outerjoin(area, area.c.id == observation_site.c.area_id))


def get_session(conn: Connection, uid: str) -> dict[str, Any] | None:
    row = conn.execute(_sessions().where(observation_session.c.uid == uid)).mappings().first()
    return dict(row) if row else None


def list_sessions(conn: Connection, site: str | None = None, area_code: str | None = None) -> list[dict[str, Any]]:
    stmt = _sessions().order_by(observation_session.c.date, observation_session.c.start, observation_session.c.uid)
    if site:
        stmt = stmt.where(observation_site.c.code == site)
    if area_code:
        stmt = stmt.where(area.c.code == area_code)
    return [dict(r) for r in conn.execute(stmt).mappings()]


def insert_session(conn: Connection, values: dict[str, Any]) -> int:
    result = conn.execute(insert(observation_session).values(created_at=now(), **values))
    return int(result.inserted_primary_key[0])  # type: ignore[index]


def update_session(conn: Connection, session_id: int, **values: Any) -> None:
    conn.execute(update(observation_session).where(observation_session.c.id == session_id).values(**values))


def delete_session(conn: Connection, session_id: int) -> None:
    slots = select(observation_slot.c.id).where(observation_slot.c.session_id == session_id)
    conn.execute(delete(observation_count).where(observation_count.c.slot_id.in_(slots)))
    conn.execute(delete(observation_slot).where(observation_slot.c.session_id == session_id))
    conn.execute(delete(observation_session).where(observation_session.c.id == session_id))


@functools.cache
def _upsert_slot(dialect_name: str) -> Any:
    dialect = postgresql if dialect_name == "postgresql" else sqlite
    stmt = dialect.insert(observation_slot)
    return (stmt.on_conflict_do_update(index_elements=["session_id", "start"],
                                       set_={"received_at": stmt.excluded.received_at})
            .returning(observation_slot.c.id))


def replace_slot(conn: Connection, session_id: int, start: str, counts: Sequence[dict[str, Any]]) -> int:
    """Store one slot's counts, replacing any stored for the same session and start (the upsert takes the
    slot's row lock on PostgreSQL, so two copies sent at once end as one)."""
    slot_id = int(conn.execute(_upsert_slot(conn.dialect.name),
                               {"session_id": session_id, "start": start, "received_at": now()}).scalar_one())
    conn.execute(delete(observation_count).where(observation_count.c.slot_id == slot_id))
    if counts:
        conn.execute(insert(observation_count), [{"slot_id": slot_id, **c} for c in counts])
    return slot_id


def session_counts(conn: Connection, session_ids: Sequence[int]) -> list[dict[str, Any]]:
    """Every slot of these sessions with its counts (a slot without counts gives one row with count None)."""
    stmt = (select(observation_slot.c.session_id, observation_slot.c.start, observation_count.c.movement,
                   observation_count.c.age_band, observation_count.c.gender, observation_count.c.activity,
                   observation_count.c.group_size, observation_count.c.count)
            .select_from(observation_slot.outerjoin(observation_count,
                                                    observation_count.c.slot_id == observation_slot.c.id))
            .where(observation_slot.c.session_id.in_(list(session_ids)))
            .order_by(observation_slot.c.session_id, observation_slot.c.start))
    return [dict(r) for r in conn.execute(stmt).mappings()]

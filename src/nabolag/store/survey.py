"""Surveys, questionnaire versions, invitation codes and responses: the SQL of issue 6."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, bindparam, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from nabolag.store.survey_tables import survey, survey_invitation, survey_response, survey_version
from nabolag.store.tables import area, zone


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


_SURVEY_COLUMNS = (survey.c.id, survey.c.code, survey.c.title, survey.c.status, survey.c.mode, survey.c.languages,
                   survey.c.period, survey.c.current_version, survey.c.created_at, survey.c.opened_at,
                   survey.c.closed_at, survey.c.synthetic, area.c.code.label("area"))


def get_survey(conn: Connection, code: str) -> dict[str, Any] | None:
    row = conn.execute(select(*_SURVEY_COLUMNS).select_from(survey.outerjoin(area, survey.c.area_id == area.c.id))
                       .where(survey.c.code == code)).mappings().first()
    return dict(row) if row else None


def list_surveys(conn: Connection) -> list[dict[str, Any]]:
    stmt = (select(*_SURVEY_COLUMNS).select_from(survey.outerjoin(area, survey.c.area_id == area.c.id))
            .order_by(survey.c.code))
    return [dict(r) for r in conn.execute(stmt).mappings()]


def insert_survey(conn: Connection, values: dict[str, Any]) -> int:
    return int(conn.execute(insert(survey).values(created_at=now(), **values)).inserted_primary_key[0])  # type: ignore[index]


def update_survey(conn: Connection, survey_id: int, **values: Any) -> None:
    conn.execute(update(survey).where(survey.c.id == survey_id).values(**values))


def add_version(conn: Connection, survey_id: int, version: int, definition: str, sha256: str, actor: str) -> int:
    result = conn.execute(insert(survey_version).values(survey_id=survey_id, version=version, definition=definition,
                                                        sha256=sha256, actor=actor, created_at=now()))
    return int(result.inserted_primary_key[0])  # type: ignore[index]


def get_version(conn: Connection, survey_id: int, version: int) -> dict[str, Any] | None:
    row = conn.execute(select(survey_version).where(survey_version.c.survey_id == survey_id,
                                                    survey_version.c.version == version)).mappings().first()
    return dict(row) if row else None


def list_versions(conn: Connection, survey_id: int) -> list[dict[str, Any]]:
    stmt = select(survey_version).where(survey_version.c.survey_id == survey_id).order_by(survey_version.c.version)
    return [dict(r) for r in conn.execute(stmt).mappings()]


def definition_by_id(conn: Connection, version_id: int) -> str:
    return str(conn.execute(select(survey_version.c.definition).where(survey_version.c.id == version_id)).scalar_one())


# The submit path's statements are built once (with bind parameters): building and hashing a new
# statement on every call cost more than SQLite's own work (bench/survey.py).
_SUBMIT_STATE = (select(survey.c.id, survey.c.status, survey.c.mode, survey_version.c.id, survey_version.c.sha256)
                 .join(survey_version, (survey_version.c.survey_id == survey.c.id)
                       & (survey_version.c.version == survey.c.current_version))
                 .where(survey.c.code == bindparam("code")))
_ZONE_ID = select(zone.c.id).where(zone.c.code == bindparam("code"))


def submit_state(conn: Connection, code: str) -> tuple[int, str, str, int, str] | None:
    """``(survey id, status, mode, current version id, its sha256)`` in one query, or None."""
    row = conn.execute(_SUBMIT_STATE, {"code": code}).first()
    return tuple(row) if row else None  # type: ignore[return-value]


def zone_id(conn: Connection, code: str) -> int | None:
    return conn.execute(_ZONE_ID, {"code": code}).scalar()


@functools.cache
def _insert_once(dialect_name: str) -> Any:
    dialect = postgresql if dialect_name == "postgresql" else sqlite
    return (dialect.insert(survey_response).on_conflict_do_nothing(index_elements=["token"])
            .returning(survey_response.c.id))


def insert_response(conn: Connection, values: dict[str, Any]) -> int | None:
    """Insert a response; None (and nothing written) if its token is already stored."""
    found = conn.execute(_insert_once(conn.dialect.name), values).scalar()
    return None if found is None else int(found)


def insert_responses(conn: Connection, rows: Sequence[dict[str, Any]]) -> None:
    if rows:
        conn.execute(insert(survey_response), list(rows))


def response_by_token(conn: Connection, token: str) -> tuple[int, int] | None:
    """``(response id, survey id)`` of the response with ``token``."""
    row = conn.execute(select(survey_response.c.id, survey_response.c.survey_id)
                       .where(survey_response.c.token == token)).first()
    return (int(row[0]), int(row[1])) if row else None


def use_invitation(conn: Connection, survey_id: int, code_hash: str, response_id: int) -> bool:
    """Mark an unused invitation code as used by ``response_id``; False if unknown or used already."""
    result = conn.execute(update(survey_invitation)
                          .where(survey_invitation.c.survey_id == survey_id,
                                 survey_invitation.c.code_hash == code_hash,
                                 survey_invitation.c.response_id.is_(None))
                          .values(response_id=response_id))
    return bool(result.rowcount)


def invitation_known(conn: Connection, survey_id: int, code_hash: str) -> bool:
    return conn.execute(select(survey_invitation.c.id).where(
        survey_invitation.c.survey_id == survey_id, survey_invitation.c.code_hash == code_hash)).first() is not None


def add_invitations(conn: Connection, survey_id: int, hashes: Iterable[str]) -> int:
    rows = [{"survey_id": survey_id, "code_hash": h, "created_at": now()} for h in hashes]
    if rows:
        conn.execute(insert(survey_invitation), rows)
    return len(rows)


def invitation_counts(conn: Connection, survey_id: int) -> tuple[int, int]:
    """``(codes, used codes)``."""
    row = conn.execute(select(func.count(), func.count(survey_invitation.c.response_id))
                       .where(survey_invitation.c.survey_id == survey_id)).one()
    return int(row[0]), int(row[1])


def counts_by_zone(conn: Connection, survey_id: int) -> list[tuple[str | None, int]]:
    """Responses per home zone code (None: no zone given), from the covering index."""
    inner = (select(survey_response.c.zone_id, func.count().label("n"))
             .where(survey_response.c.survey_id == survey_id).group_by(survey_response.c.zone_id).subquery())
    stmt = select(zone.c.code, inner.c.n).select_from(inner.outerjoin(zone, zone.c.id == inner.c.zone_id))
    return [(c, int(n)) for c, n in conn.execute(stmt)]


def list_responses(conn: Connection, survey_id: int) -> list[dict[str, Any]]:
    """Every response of a survey, oldest first, with its version number and home zone code."""
    stmt = (select(survey_response.c.id, survey_version.c.version, survey_response.c.token,
                   survey_response.c.submitted_at, survey_response.c.language, zone.c.code.label("zone"),
                   survey_response.c.age_band, survey_response.c.gender, survey_response.c.resident_group,
                   survey_response.c.answers, survey_response.c.source)
            .select_from(survey_response.join(survey_version, survey_version.c.id == survey_response.c.version_id)
                         .outerjoin(zone, zone.c.id == survey_response.c.zone_id))
            .where(survey_response.c.survey_id == survey_id).order_by(survey_response.c.id))
    return [dict(r) for r in conn.execute(stmt).mappings()]

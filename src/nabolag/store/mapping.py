"""Map campaigns and contributions: the SQL of issue 7 (children's map participation)."""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from sqlalchemy import Connection, bindparam, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from nabolag.store.mapping_tables import map_campaign, map_contribution
from nabolag.store.tables import area, zone


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


_COLUMNS = [c for c in map_campaign.c if c.name not in ("region",)]


def _campaigns() -> Any:
    return (select(*_COLUMNS, area.c.code.label("area"), zone.c.code.label("school_zone"))
            .select_from(map_campaign.outerjoin(area, area.c.id == map_campaign.c.area_id)
                         .outerjoin(zone, zone.c.id == map_campaign.c.school_zone_id)))


def get_campaign(conn: Connection, code: str) -> dict[str, Any] | None:
    row = conn.execute(_campaigns().where(map_campaign.c.code == code)).mappings().first()
    return dict(row) if row else None


def list_campaigns(conn: Connection) -> list[dict[str, Any]]:
    return [dict(r) for r in conn.execute(_campaigns().order_by(map_campaign.c.code)).mappings()]


def insert_campaign(conn: Connection, values: dict[str, Any]) -> int:
    result = conn.execute(insert(map_campaign).values(created_at=now(), **values))
    return int(result.inserted_primary_key[0])  # type: ignore[index]


def update_campaign(conn: Connection, campaign_id: int, **values: Any) -> None:
    conn.execute(update(map_campaign).where(map_campaign.c.id == campaign_id).values(**values))


def code_in_use(conn: Connection, code: str) -> bool:
    stmt = select(map_campaign.c.id).where((map_campaign.c.access_code == code) | (map_campaign.c.teacher_code == code))
    return conn.execute(stmt).first() is not None


# The public write's statements are built once (see store/survey.py: building them cost more than SQLite).
_STATE = select(map_campaign.c.id, map_campaign.c.status, map_campaign.c.opens, map_campaign.c.closes,
                map_campaign.c.region_sha256, map_campaign.c.bounds).where(
    map_campaign.c.access_code == bindparam("code"))
_REGION = select(map_campaign.c.region).where(map_campaign.c.id == bindparam("id"))


def contribute_state(conn: Connection, access_code: str) -> dict[str, Any] | None:
    """``id, status, opens, closes, region_sha256, bounds`` of the campaign with this access code."""
    row = conn.execute(_STATE, {"code": access_code}).mappings().first()
    return dict(row) if row else None


def region(conn: Connection, campaign_id: int) -> bytes | None:
    return conn.execute(_REGION, {"id": campaign_id}).scalar()


@functools.cache
def _insert_once(dialect_name: str) -> Any:
    dialect = postgresql if dialect_name == "postgresql" else sqlite
    return (dialect.insert(map_contribution).on_conflict_do_nothing(index_elements=["token"])
            .returning(map_contribution.c.id))


def insert_contribution(conn: Connection, values: dict[str, Any]) -> int | None:
    """Insert a contribution; None (and nothing written) if its token is already stored."""
    found = conn.execute(_insert_once(conn.dialect.name), values).scalar()
    return None if found is None else int(found)


def insert_contributions(conn: Connection, rows: list[dict[str, Any]]) -> None:
    if rows:
        conn.execute(insert(map_contribution), rows)


def contribution_by_token(conn: Connection, token: str) -> tuple[int, int] | None:
    """``(contribution id, campaign id)``."""
    row = conn.execute(select(map_contribution.c.id, map_contribution.c.campaign_id)
                       .where(map_contribution.c.token == token)).first()
    return (int(row[0]), int(row[1])) if row else None


def list_contributions(conn: Connection, campaign_ids: list[int]) -> list[dict[str, Any]]:
    """Every contribution of these campaigns, oldest first, with the campaign's code and grade group."""
    stmt = (select(map_contribution.c.id, map_campaign.c.code.label("campaign"), map_campaign.c.grade_group,
                   map_contribution.c.kind, map_contribution.c.geometry, map_contribution.c.mode,
                   map_contribution.c.purpose, map_contribution.c.category, map_contribution.c.comment,
                   map_contribution.c.grade, map_contribution.c.gender, map_contribution.c.language,
                   map_contribution.c.participant, map_contribution.c.submitted_at, map_contribution.c.source)
            .join(map_campaign, map_campaign.c.id == map_contribution.c.campaign_id)
            .where(map_contribution.c.campaign_id.in_(campaign_ids)).order_by(map_contribution.c.id))
    return [dict(r) for r in conn.execute(stmt).mappings()]


def count_contributions(conn: Connection, campaign_id: int) -> dict[str, int]:
    stmt = (select(map_contribution.c.kind, func.count()).where(map_contribution.c.campaign_id == campaign_id)
            .group_by(map_contribution.c.kind))
    return {k: int(n) for k, n in conn.execute(stmt)}


def municipality_geometries(conn: Connection) -> list[bytes]:
    """The outline of the municipality: its ``kommune`` zone(s), else every zone of the highest level."""
    for level in ("kommune", "bydel", "delbydel", "grunnkrets", "grid"):
        found = [g for (g,) in conn.execute(select(zone.c.geometry).where(zone.c.level == level)) if g]
        if found:
            return found
    return []

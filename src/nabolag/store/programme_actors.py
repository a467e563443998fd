"""Actors and associations with their yearly counts and board roles."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import Connection, delete, func, insert, or_, select, update

from nabolag.domain.actors import Actor, ActorKind, ActorYear, BoardRole, BoardRoleKind
from nabolag.store.programme_tables import actor, actor_year, board_role, event, measure, measure_partner
from nabolag.store.tables import area


def actor_ids(conn: Connection) -> dict[str, int]:
    return {c: i for c, i in conn.execute(select(actor.c.code, actor.c.id))}


def actor_areas(conn: Connection) -> dict[str, str | None]:
    """Each actor's code with its area's code (None for actors of the whole municipality)."""
    rows = conn.execute(select(actor.c.code, area.c.code).outerjoin(area, area.c.id == actor.c.area_id))
    return {a: c for a, c in rows}


def save_actor(conn: Connection, a: Actor, area_id: int | None) -> tuple[int, bool]:
    """Insert or update an actor by code, replacing its years and board roles. Returns (id, new)."""
    values = {"name": a.name, "kind": str(a.kind), "area_id": area_id, "founded": a.founded,
              "dissolved": a.dissolved, "description": a.description, "synthetic": a.synthetic}
    found = conn.execute(select(actor.c.id).where(actor.c.code == a.code)).scalar()
    if found is None:
        aid = int(conn.execute(insert(actor).values(code=a.code, **values)).inserted_primary_key[0])  # type: ignore[index]
    else:
        aid = int(found)
        conn.execute(update(actor).where(actor.c.id == aid).values(**values))
        conn.execute(delete(actor_year).where(actor_year.c.actor_id == aid))
        conn.execute(delete(board_role).where(board_role.c.actor_id == aid))
    if a.years:
        conn.execute(insert(actor_year), [{"actor_id": aid, "year": y.year, "members": y.members,
                                           "volunteers": y.volunteers} for y in a.years])
    if a.board:
        conn.execute(insert(board_role), [{"actor_id": aid, "person_ref": r.person_ref, "role": str(r.role),
                                           "resident": r.resident, "start_date": r.start, "end_date": r.end}
                                          for r in a.board])
    return aid, found is None


def list_actors(conn: Connection, area_id: int | None = None, include_shared: bool = True) -> list[Actor]:
    """Actors (of one area, and by default those of the whole municipality), with years and board roles."""
    stmt = select(actor, area.c.code.label("area_code")).outerjoin(area, area.c.id == actor.c.area_id)
    if area_id is not None:
        cond = actor.c.area_id == area_id
        stmt = stmt.where(or_(cond, actor.c.area_id.is_(None)) if include_shared else cond)
    rows = conn.execute(stmt.order_by(actor.c.code)).mappings().all()
    ids = [r["id"] for r in rows]
    years: dict[int, list[ActorYear]] = defaultdict(list)
    for r in conn.execute(select(actor_year).where(actor_year.c.actor_id.in_(ids))
                          .order_by(actor_year.c.actor_id, actor_year.c.year)).mappings():
        years[r["actor_id"]].append(ActorYear(year=r["year"], members=r["members"], volunteers=r["volunteers"]))
    board: dict[int, list[BoardRole]] = defaultdict(list)
    for r in conn.execute(select(board_role).where(board_role.c.actor_id.in_(ids))
                          .order_by(board_role.c.actor_id, board_role.c.id)).mappings():
        board[r["actor_id"]].append(BoardRole(person_ref=r["person_ref"], role=BoardRoleKind(r["role"]),
                                              resident=bool(r["resident"]), start=r["start_date"],
                                              end=r["end_date"]))
    return [Actor(code=r["code"], name=r["name"], kind=ActorKind(r["kind"]), area_code=r["area_code"],
                  founded=r["founded"], dissolved=r["dissolved"], description=r["description"],
                  years=tuple(years[r["id"]]), board=tuple(board[r["id"]]), synthetic=bool(r["synthetic"]),
                  id=r["id"]) for r in rows]


def actor_uses(conn: Connection, actor_id: int) -> int:
    """How many measures and events name the actor (responsible, partner or organiser)."""
    counts = [select(func.count()).select_from(measure).where(measure.c.responsible_id == actor_id),
              select(func.count()).select_from(measure_partner).where(measure_partner.c.actor_id == actor_id),
              select(func.count()).select_from(event).where(event.c.organiser_id == actor_id)]
    return sum(int(conn.execute(c).scalar() or 0) for c in counts)


def delete_actor(conn: Connection, actor_id: int) -> None:
    conn.execute(delete(actor).where(actor.c.id == actor_id))

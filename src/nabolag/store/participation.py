"""The participation log: events with attendance, and inputs."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import Connection, delete, insert, select, update

from nabolag.domain.participation import Event, EventKind, Input, InputStatus
from nabolag.store.programme_tables import (
    actor,
    event,
    event_attendance,
    measure,
    participation_input,
    vocabulary_term,
)
from nabolag.store.tables import area


def event_ids(conn: Connection, area_id: int) -> dict[str, int]:
    return {c: i for c, i in conn.execute(select(event.c.code, event.c.id).where(event.c.area_id == area_id))}


def save_event(conn: Connection, e: Event, area_id: int, actors: dict[str, int]) -> tuple[int, bool]:
    """Insert or update an event by (area, code), replacing its attendance. Returns (id, new)."""
    values = {"kind": str(e.kind), "title": e.title, "date": e.date, "place": e.place,
              "organiser_id": actors[e.organiser] if e.organiser else None, "description": e.description,
              "synthetic": e.synthetic}
    found = event_ids(conn, area_id).get(e.code)
    if found is None:
        eid = int(conn.execute(insert(event).values(area_id=area_id, code=e.code, **values))
                  .inserted_primary_key[0])  # type: ignore[index]
    else:
        eid = found
        conn.execute(update(event).where(event.c.id == eid).values(**values))
        conn.execute(delete(event_attendance).where(event_attendance.c.event_id == eid))
    if e.attendance:
        conn.execute(insert(event_attendance), [{"event_id": eid, "attendee_group": g, "count": n}
                                                for g, n in e.attendance])
    return eid, found is None


def list_events(conn: Connection, area_id: int) -> list[Event]:
    area_code = conn.execute(select(area.c.code).where(area.c.id == area_id)).scalar()
    rows = conn.execute(select(event, actor.c.code.label("organiser"))
                        .outerjoin(actor, actor.c.id == event.c.organiser_id)
                        .where(event.c.area_id == area_id).order_by(event.c.date, event.c.code)).mappings().all()
    counts: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for eid, group, n in conn.execute(select(event_attendance.c.event_id, event_attendance.c.attendee_group,
                                             event_attendance.c.count)
                                      .where(event_attendance.c.event_id.in_([r["id"] for r in rows]))
                                      .order_by(event_attendance.c.event_id, event_attendance.c.attendee_group)):
        counts[eid].append((group, n))
    return [Event(area_code=str(area_code), code=r["code"], kind=EventKind(r["kind"]), title=r["title"],
                  date=r["date"], place=r["place"], organiser=r["organiser"],
                  attendance=tuple(sorted(counts[r["id"]], key=lambda gn: (gn[0] != "all", gn[0]))),
                  description=r["description"], synthetic=bool(r["synthetic"]), id=r["id"]) for r in rows]


def delete_event(conn: Connection, event_id: int) -> None:
    conn.execute(delete(event).where(event.c.id == event_id))


def input_ids(conn: Connection, area_id: int) -> dict[str, int]:
    rows = conn.execute(select(participation_input.c.code, participation_input.c.id)
                        .where(participation_input.c.area_id == area_id))
    return {c: i for c, i in rows}


def save_input(conn: Connection, i: Input, area_id: int, events: dict[str, int], themes: dict[str, int],
               measures: dict[str, int]) -> tuple[int, bool]:
    values = {"event_id": events[i.event] if i.event else None, "received": i.received, "text": i.text,
              "theme_id": themes[i.theme] if i.theme else None,
              "measure_id": measures[i.measure] if i.measure else None, "status": str(i.status),
              "answer": i.answer, "answered": i.answered, "synthetic": i.synthetic}
    found = input_ids(conn, area_id).get(i.code)
    if found is None:
        new_id = conn.execute(insert(participation_input).values(area_id=area_id, code=i.code, **values))
        return int(new_id.inserted_primary_key[0]), True  # type: ignore[index]
    conn.execute(update(participation_input).where(participation_input.c.id == found).values(**values))
    return found, False


def list_inputs(conn: Connection, area_id: int) -> list[Input]:
    area_code = conn.execute(select(area.c.code).where(area.c.id == area_id)).scalar()
    p = participation_input
    rows = conn.execute(select(p, event.c.code.label("event_code"), vocabulary_term.c.code.label("theme_code"),
                               measure.c.code.label("measure_code"))
                        .outerjoin(event, event.c.id == p.c.event_id)
                        .outerjoin(vocabulary_term, vocabulary_term.c.id == p.c.theme_id)
                        .outerjoin(measure, measure.c.id == p.c.measure_id)
                        .where(p.c.area_id == area_id).order_by(p.c.received, p.c.code)).mappings().all()
    return [Input(area_code=str(area_code), code=r["code"], text=r["text"], received=r["received"],
                  event=r["event_code"], theme=r["theme_code"], measure=r["measure_code"],
                  status=InputStatus(r["status"]), answer=r["answer"], answered=r["answered"],
                  synthetic=bool(r["synthetic"]), id=r["id"]) for r in rows]


def delete_input(conn: Connection, input_id: int) -> None:
    conn.execute(delete(participation_input).where(participation_input.c.id == input_id))

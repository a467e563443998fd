"""The participation log (medvirkning): events and inputs, and the public «you said, we did» read model.

Writes need the right to change the area (a coordinator: its own areas), are checked whole, saved in one
transaction with an audit entry, and refresh the area's derived indicators in that same transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from sqlalchemy import Connection

from nabolag.domain.participation import (
    Event,
    EventKind,
    Input,
    InputStatus,
    event_kind_label,
    input_status_label,
)
from nabolag.domain.zones import Area
from nabolag.errors import InputError, NotFoundError
from nabolag.i18n import _, get_language
from nabolag.services import programme_indicators
from nabolag.services.context import Context
from nabolag.services.programme_base import area_id, audit, fail, readable_area, writable_area
from nabolag.services.programme_checks import event_problems, input_problems, load_known
from nabolag.store import participation as repo
from nabolag.store import programme as programme_repo
from nabolag.store import programme_actors as actor_repo


def _enum(cls: type, value: object, name: str) -> object:
    try:
        return cls(value)
    except ValueError:
        raise InputError(_("Ukjent {name} «{value}»; forventet {valid}", name=name, value=value,
                           valid=", ".join(str(v) for v in cls))) from None  # type: ignore[attr-defined]


def event_where(area: Area, code: str) -> str:
    return _("arrangementet {area}/{code}", area=area.code, code=code[:60])


def input_where(area: Area, code: str) -> str:
    return _("innspillet {area}/{code}", area=area.code, code=code[:60])


def save_event(ctx: Context, e: Event, *, row: int | None = None) -> Event:
    """Create or replace an event (by area and code) with its attendance."""
    area = writable_area(ctx, e.area_code)
    e = replace(e, area_code=area.code, kind=_enum(EventKind, e.kind, _("arrangementstype")))  # type: ignore[arg-type]
    with ctx.store.transaction() as conn:
        fail(event_where(area, e.code), event_problems(load_known(conn, area), e), row)
        _eid, new = repo.save_event(conn, e, area_id(area), actor_repo.actor_ids(conn))
        audit(conn, ctx, "create" if new else "update", "event", f"{area.code}:{e.code}")
        programme_indicators.refresh(conn, area)
    return next(x for x in list_events(ctx, area.code) if x.code == e.code)


def list_events(ctx: Context, area_code: str) -> list[Event]:
    area = readable_area(ctx, area_code)
    with ctx.store.read() as conn:
        return repo.list_events(conn, area_id(area))


def remove_event(ctx: Context, area_code: str, code: str) -> None:
    """Remove an event; its inputs stay, without the link to it."""
    area = writable_area(ctx, area_code)
    with ctx.store.transaction() as conn:
        eid = repo.event_ids(conn, area_id(area)).get(code)
        if eid is None:
            raise NotFoundError(_("Ukjent arrangement i {area}: {code}", area=area.code, code=code))
        repo.delete_event(conn, eid)
        audit(conn, ctx, "delete", "event", f"{area.code}:{code}")
        programme_indicators.refresh(conn, area)


def next_input_code(conn: Connection, area: Area) -> str:
    taken = set(repo.input_ids(conn, area_id(area)))
    n = len(taken) + 1
    while f"innspill-{n}" in taken:
        n += 1
    return f"innspill-{n}"


def save_input(ctx: Context, i: Input, *, row: int | None = None) -> Input:
    """Create or replace an input (by area and code; an empty code gets the next ``innspill-N``)."""
    area = writable_area(ctx, i.area_code)
    i = replace(i, area_code=area.code, status=_enum(InputStatus, i.status, _("status")))  # type: ignore[arg-type]
    with ctx.store.transaction() as conn:
        if not i.code:
            i = replace(i, code=next_input_code(conn, area))
        fail(input_where(area, i.code), input_problems(load_known(conn, area), i), row)
        aid = area_id(area)
        themes = {c: tid for (k, c), tid in programme_repo.term_ids(conn).items() if k == "theme"}
        _iid, new = repo.save_input(conn, i, aid, repo.event_ids(conn, aid), themes,
                                    programme_repo.measure_ids(conn, aid))
        audit(conn, ctx, "create" if new else "update", "input", f"{area.code}:{i.code}", {"status": str(i.status)})
        programme_indicators.refresh(conn, area)
    return get_input(ctx, area.code, i.code)


def answer_input(ctx: Context, area_code: str, code: str, answer: str, status: str,
                 answered: dt.date | None = None) -> Input:
    """Give the municipality's answer to an input and set its status (answered today by default)."""
    current = get_input(ctx, area_code, code)
    return save_input(ctx, replace(current, answer=answer, status=status,  # type: ignore[arg-type]
                                   answered=answered or dt.date.today()))


def list_inputs(ctx: Context, area_code: str) -> list[Input]:
    area = readable_area(ctx, area_code)
    with ctx.store.read() as conn:
        return repo.list_inputs(conn, area_id(area))


def get_input(ctx: Context, area_code: str, code: str) -> Input:
    found = [i for i in list_inputs(ctx, area_code) if i.code == code]
    if not found:
        raise NotFoundError(_("Ukjent innspill i {area}: {code}", area=area_code, code=code))
    return found[0]


def remove_input(ctx: Context, area_code: str, code: str) -> None:
    area = writable_area(ctx, area_code)
    with ctx.store.transaction() as conn:
        iid = repo.input_ids(conn, area_id(area)).get(code)
        if iid is None:
            raise NotFoundError(_("Ukjent innspill i {area}: {code}", area=area.code, code=code))
        repo.delete_input(conn, iid)
        audit(conn, ctx, "delete", "input", f"{area.code}:{code}")
        programme_indicators.refresh(conn, area)


@dataclass(frozen=True)
class YouSaidWeDid:
    """The public «you said, we did» page of an area: inputs and answers, without personal data."""

    area_code: str
    area_name: str
    synthetic: bool
    items: list[dict[str, object]]
    summary: dict[str, object]

    def as_dict(self) -> dict[str, object]:
        return {"area": self.area_code, "name": self.area_name, "synthetic": self.synthetic,
                "summary": self.summary, "items": self.items}


PUBLIC_FIELDS = ("code", "received", "event_kind", "event_kind_label", "event_title", "event_date", "theme",
                 "theme_label", "measure", "measure_title", "text", "status", "status_label", "answer", "answered",
                 "days_to_answer")


def you_said_we_did(ctx: Context, area_code: str) -> YouSaidWeDid:
    """Every input of the area with the municipality's answer, newest first. Only the fields in
    :data:`PUBLIC_FIELDS`: no organiser, no audit actor, nothing about who gave the input."""
    area = readable_area(ctx, area_code)
    lang = get_language()
    with ctx.store.read() as conn:
        aid = area_id(area)
        events = {e.code: e for e in repo.list_events(conn, aid)}
        themes = {t.code: t for t in programme_repo.list_terms(conn, "theme")}
        measures = {m.code: m for m in programme_repo.list_measures(conn, aid, with_geometry=False)}
        inputs = repo.list_inputs(conn, aid)
    items = []
    for i in sorted(inputs, key=lambda x: (x.received, x.code), reverse=True):
        ev = events.get(i.event or "")
        items.append({
            "code": i.code, "received": i.received.isoformat(), "event_kind": str(ev.kind) if ev else None,
            "event_kind_label": event_kind_label(ev.kind) if ev else None, "event_title": ev.title if ev else None,
            "event_date": ev.date.isoformat() if ev else None, "theme": i.theme,
            "theme_label": themes[i.theme].name(lang) if i.theme in themes else None, "measure": i.measure,
            "measure_title": measures[i.measure].title if i.measure in measures else None, "text": i.text,
            "status": str(i.status), "status_label": input_status_label(i.status), "answer": i.answer or None,
            "answered": i.answered.isoformat() if i.answered else None,
            "days_to_answer": (i.answered - i.received).days if i.answered else None})
    answered = [x for x in items if x["answered"]]
    within = sum(int(x["days_to_answer"]) <= programme_indicators.ANSWER_DAYS for x in answered)  # type: ignore[call-overload]
    summary = {"inputs": len(items), "answered": len(answered),
               "answered_within_days": programme_indicators.ANSWER_DAYS, "answered_within": within,
               "by_status": {str(s): sum(x["status"] == s for x in items) for s in InputStatus}}
    return YouSaidWeDid(area.code, area.name, area.synthetic, items, summary)

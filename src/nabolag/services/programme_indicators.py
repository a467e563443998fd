"""Indicators derived from the actor register and the participation log, stored as real observations
of the area (``observation.area_id``), one per year, so that they are published, suppressed, frozen in
baselines and compared like every other figure.

They are recomputed in the same transaction as every change to an area's actors, events or inputs
(:func:`refresh`), so they are never stale. A batch of saves (the demo builder) may wrap them in
:func:`deferred`: each area is then recomputed once, when the block ends. Years run from the first to
the last year (not after today) in which the area has any event, input, association founding, yearly
count or board role.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Engine, delete

from nabolag.domain.actors import ASSOCIATION_KINDS, Actor
from nabolag.domain.indicators import Direction, Indicator, Kind, Method
from nabolag.domain.participation import Event, Input
from nabolag.domain.zones import Area
from nabolag.services.context import Context
from nabolag.store import indicators as ind_repo
from nabolag.store import observations as obs_repo
from nabolag.store import participation as part_repo
from nabolag.store import programme_actors as actor_repo
from nabolag.store.tables import observation

SOURCE = "nabolag: aktørregister og medvirkningslogg"
SYNTHETIC_SOURCE = SOURCE + " (syntetiske demodata)"
ANSWER_DAYS = 30
POPULATION = "befolkning"

_H, _R, _P, _C = Direction.HIGHER_IS_BETTER, Kind.RESULT, Kind.PROCESS, Method.COUNT


def _ind(code: str, nb: str, en: str, definition: str, unit: str, kind: Kind, threshold: int | None,
         numerator: str = "", denominator: str = "") -> Indicator:
    return Indicator(code=code, name_nb=nb, name_en=en, definition=definition, unit=unit, direction=_H,
                     numerator=numerator, denominator=denominator, kind=kind, source=SOURCE, method=_C,
                     suppression_threshold=threshold)


DERIVED: tuple[Indicator, ...] = (
    _ind("nye_foreninger", "Nye lokale foreninger", "New local associations",
         "Lokale foreninger og frivillige organisasjoner i området stiftet i året (aktørregisteret).",
         "antall", _R, 0),
    _ind("styreverv_andel", "Innbyggere med styreverv", "Residents holding board roles",
         "Andel av innbyggerne i området som hadde minst ett styreverv i en lokal forening eller frivillig "
         "organisasjon i området i løpet av året; en person med flere verv telles én gang.", "prosent", _R, None,
         "innbyggere med styreverv", "innbyggere (befolkning, nærmeste år)"),
    _ind("frivillige", "Frivillige", "Volunteers",
         "Summen av frivillige som områdets foreninger og organisasjoner oppgir for året.", "antall", _R, None),
    _ind("moteplasser", "Møteplasser i bruk", "Meeting places in use",
         "Antall ulike steder der det ble holdt arrangementer i medvirkningsloggen i året.", "antall", _P, 0),
    _ind("arrangementer", "Arrangementer", "Events",
         "Antall arrangementer (folkemøter, arbeidsmøter, befaringer, trygghetsvandringer, nærmiljøgruppemøter, "
         "verksteder, Barnetråkk, åpen kontortid) i medvirkningsloggen i året.", "antall", _P, 0),
    _ind("deltakelse", "Deltakelse på arrangementer", "Participation in events",
         "Summen av oppmøtet (alle) på arrangementene i året, for arrangementer der oppmøtet er talt.",
         "antall", _P, None),
    _ind("innspill_besvart", "Innspill besvart innen 30 dager", "Inputs answered within 30 days",
         "Andel av innspillene mottatt i året som fikk kommunens svar innen 30 dager. Innspill som ennå er "
         "innenfor fristen og ikke besvart, telles ikke.", "prosent", _P, 0,
         "innspill besvart innen 30 dager", "innspill mottatt i året"),
)
CODES = tuple(i.code for i in DERIVED)


def _years(events: list[Event], inputs: list[Input], actors: list[Actor], today: dt.date) -> list[int]:
    found = [e.date.year for e in events] + [i.received.year for i in inputs]
    for a in actors:
        found += [d.year for d in (a.founded,) if d] + [y.year for y in a.years]
        found += [r.start.year for r in a.board if r.start]
    found = [y for y in found if y <= today.year]
    return list(range(min(found), max(found) + 1)) if found else []


def _population(conn: Connection, area: Area) -> dict[int, float]:
    """The area's population per year: the sum over its member zones, where every one has a value."""
    frame = obs_repo.query_observations(conn, indicators=[POPULATION], zones=list(area.zone_codes), groups="")
    frame = frame[frame["value"].notna() & frame["period"].str.fullmatch(r"\d{4}")]
    sums = frame.groupby("period").agg(value=("value", "sum"), zones=("zone", "nunique"))
    return {int(p): float(r.value) for p, r in sums.iterrows() if r.zones == len(area.zone_codes)}


def _nearest(values: dict[int, float], year: int) -> float | None:
    """The value for ``year``, else the latest before it, else the earliest after it."""
    before = [y for y in values if y <= year]
    if before:
        return values[max(before)]
    return values[min(values)] if values else None


def compute(area: Area, events: list[Event], inputs: list[Input], actors: list[Actor],
            population: dict[int, float], today: dt.date) -> pd.DataFrame:
    """The derived figures as a frame ``indicator, period, value, numerator, denominator, n``."""
    rows: list[tuple[str, int, float, float | None, float | None, float | None]] = []
    assoc = [a for a in actors if a.kind in ASSOCIATION_KINDS and a.area_code == area.code]
    held = [e for e in events if e.date <= today]
    for y in _years(held, inputs, assoc, today):
        of_year = [e for e in held if e.date.year == y]
        rows.append(("arrangementer", y, len(of_year), None, None, None))
        places = {e.place.strip().casefold() for e in of_year if e.place.strip()}
        rows.append(("moteplasser", y, len(places), None, None, None))
        totals = [e.total for e in of_year if e.total is not None]
        if totals:
            rows.append(("deltakelse", y, sum(totals), None, None, sum(totals)))
        due = [i for i in inputs if i.received.year == y and
               (i.answered is not None or (today - i.received).days > ANSWER_DAYS)]
        if due:
            ok = sum(i.answered_within(ANSWER_DAYS) for i in due)
            rows.append(("innspill_besvart", y, 100 * ok / len(due), ok, len(due), len(due)))
        rows.append(("nye_foreninger", y, sum(a.founded is not None and a.founded.year == y for a in assoc),
                     None, None, None))
        volunteers = [v.volunteers for a in assoc for v in a.years if v.year == y and v.volunteers is not None]
        if volunteers:
            rows.append(("frivillige", y, sum(volunteers), None, None, sum(volunteers)))
        pop = _nearest(population, y)
        if pop and any(a.board for a in assoc):
            people = {r.person_ref for a in assoc if a.active_in(y) for r in a.board if r.resident and r.held_in(y)}
            rows.append(("styreverv_andel", y, 100 * len(people) / pop, len(people), pop, len(people)))
    frame = pd.DataFrame(rows, columns=["indicator", "period", "value", "numerator", "denominator", "n"])
    return frame.assign(period=frame["period"].astype(str))


def ensure_definitions(conn: Connection) -> dict[str, int]:
    """Add the derived indicators' definitions if missing; their ids."""
    ids = ind_repo.indicator_ids(conn)
    missing = [i for i in DERIVED if i.code not in ids]
    if missing:
        ind_repo.upsert_indicators(conn, missing, None)
        ids = ind_repo.indicator_ids(conn)
    return {c: ids[c] for c in CODES}


@dataclass
class _Pending:
    """The areas whose refresh a :func:`deferred` block has put off, on the engine of its context."""

    engine: Engine
    areas: dict[int, Area] = field(default_factory=dict)


_deferred: ContextVar[_Pending | None] = ContextVar("programme_indicators_deferred", default=None)


@contextmanager
def deferred(ctx: Context) -> Iterator[None]:
    """Within the block, a :func:`refresh` on ``ctx``'s database only notes the area; when the block ends
    (also by an error: what was saved stays consistent), each noted area is recomputed once, in one
    transaction. For batches of saves; other threads and other databases are not affected."""
    pending = _Pending(ctx.store.engine)
    token = _deferred.set(pending)
    try:
        yield
    finally:
        _deferred.reset(token)
        if pending.areas:
            with ctx.store.transaction() as conn:
                for area in pending.areas.values():
                    refresh(conn, area)


def refresh(conn: Connection, area: Area, today: dt.date | None = None) -> int:
    """Recompute and replace the area's derived observations inside the caller's transaction. Inside a
    :func:`deferred` block on the same database (and without ``today``): only make sure the definitions
    exist and note the area; 0."""
    aid = int(area.id or 0)
    ids = ensure_definitions(conn)
    pending = _deferred.get()
    if pending is not None and pending.engine is conn.engine and today is None:
        pending.areas[aid] = area
        return 0
    frame = compute(area, part_repo.list_events(conn, aid), part_repo.list_inputs(conn, aid),
                    actor_repo.list_actors(conn, aid, include_shared=False), _population(conn, area),
                    today or dt.date.today())
    conn.execute(delete(observation).where(observation.c.area_id == aid,
                                           observation.c.indicator_id.in_(list(ids.values()))))
    source = SYNTHETIC_SOURCE if area.synthetic else SOURCE
    records = [{"indicator_id": ids[r.indicator], "zone_id": None, "area_id": aid, "period": r.period,
                "groups": "", "value": round(float(r.value), 4), "numerator": _opt(r.numerator),
                "denominator": _opt(r.denominator), "n": None if _opt(r.n) is None else int(r.n), "ci_low": None,
                "ci_high": None, "status": "ok", "source": source, "import_id": None}
               for r in frame.itertuples()]
    if records:
        obs_repo.insert_observations(conn, records)
    return len(records)


def _opt(v: object) -> float | None:
    return None if v is None or (isinstance(v, float) and np.isnan(v)) else float(v)  # type: ignore[arg-type]


def stored(conn: Connection, area: Area, codes: Iterable[str] = CODES) -> pd.DataFrame:
    """The area's stored derived observations (for checks and reports)."""
    return obs_repo.query_observations(conn, indicators=list(codes), areas=[area.code])

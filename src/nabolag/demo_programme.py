"""The Groruddalen programme in the demo, after the examples in the source documents: Ammerudgymmen, light
and activity in the Ammerud tunnel, Lindeberglokalet, walking paths and activity arenas, volunteering and
low-threshold offers, training for board roles; the goals and indicators the documents name; folkemøter
and nærmiljøgruppe meetings with inputs and answers.

Everything here is invented (syntetiske demodata): the associations, people's pseudonyms, counts,
survey shares, dates and answers. It is marked ``synthetic`` and says so in its descriptions.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import shapely

from nabolag import demo_programme_data as data
from nabolag.domain.actors import Actor, ActorKind, ActorYear, BoardRole, BoardRoleKind
from nabolag.domain.indicators import Direction, Indicator, Kind, Method
from nabolag.domain.participation import Event, EventKind, Input, InputStatus
from nabolag.domain.programme import Goal, IndicatorLink, Measure, MeasureKind, MeasureStatus, Milestone
from nabolag.services import actors, observations, participation, programme, programme_indicators
from nabolag.services import indicators as indicator_service
from nabolag.services.context import Context

AREA = "groruddalen"
NOTE = "Syntetiske demodata."
SOURCE = "syntetiske demodata (nabolag.demo_programme)"


def _d(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def _indicators() -> list[Indicator]:
    out = []
    for code, nb, en, unit, direction, kind, method, threshold, definition in data.INDICATORS:
        out.append(Indicator(code=code, name_nb=nb, name_en=en, definition=f"{definition} {NOTE}", unit=unit,
                             direction=Direction(direction), kind=Kind(kind), source=SOURCE, method=Method(method),
                             suppression_threshold=threshold, synthetic=True))
    return out


def _observations() -> pd.DataFrame:
    rows = []
    for code, series in data.OBSERVATIONS.items():
        for period, value, num, den in series:
            rows.append({"indicator": code, "area": AREA, "period": str(period), "value": value,
                         "numerator": num, "denominator": den, "n": den if den is not None else None})
    return pd.DataFrame(rows)


def _actors() -> list[Actor]:
    out = []
    for code, name, kind, local, founded, years, board in data.ACTORS:
        out.append(Actor(code=code, name=name, kind=ActorKind(kind), area_code=AREA if local else None,
                         founded=_d(founded), description=NOTE,
                         years=tuple(ActorYear(y, m, v) for y, m, v in years),
                         board=tuple(BoardRole(ref, BoardRoleKind(role), resident, _d(start), _d(end))
                                     for ref, role, resident, start, end in board),
                         synthetic=True))
    return out


def _goals() -> list[Goal]:
    return [Goal(area_code=AREA, code=code, title=title, dimension=dim, themes=themes, target_groups=groups,
                 start=dt.date(2019, 1, 1), end=dt.date(2026, 12, 31), description=f"{text} {NOTE}",
                 indicators=tuple(IndicatorLink(i, m, target_value=t, target_period="2026") for i, m, t in links),
                 synthetic=True)
            for code, title, dim, themes, groups, text, links in data.GOALS]


def _measures() -> list[Measure]:
    out = []
    for (code, title, kind, status, wkt, responsible, partners, budget, spent, start, end, milestones, goals,
         links, text) in data.MEASURES:
        out.append(Measure(
            area_code=AREA, code=code, title=title, kind=MeasureKind(kind), status=MeasureStatus(status),
            description=f"{text} {NOTE}", geometry=shapely.to_wkb(shapely.from_wkt(wkt)) if wkt else None,
            responsible=responsible, partners=partners, budget=budget, spent=spent, start=_d(start), end=_d(end),
            milestones=tuple(Milestone(t, _d(due), _d(done)) for t, due, done in milestones),  # type: ignore[arg-type]
            goals=goals, indicators=tuple(IndicatorLink(i, m, g) for i, m, g in links), synthetic=True))
    return out


def _events() -> list[Event]:
    return [Event(area_code=AREA, code=code, kind=EventKind(kind), title=title, date=dt.date.fromisoformat(date),
                  place=place, organiser=organiser, attendance=attendance, description=NOTE, synthetic=True)
            for code, kind, title, date, place, organiser, attendance in data.EVENTS]


def _inputs() -> list[Input]:
    return [Input(area_code=AREA, code=code, text=text, received=dt.date.fromisoformat(received), event=event,
                  theme=theme, measure=measure, status=InputStatus(status), answer=answer, answered=_d(answered),
                  synthetic=True)
            for code, received, event, theme, measure, status, text, answer, answered in data.INPUTS]


def build_programme(ctx: Context) -> dict[str, int]:
    """Add the Groruddalen programme to a demo database that has the area (idempotent: saves by code)."""
    indicator_service.define_indicators(ctx, _indicators())
    frame = _observations()
    if observations.query(ctx, indicators=[str(frame["indicator"].iloc[0])], areas=[AREA]).empty:
        observations.load_frame(ctx, frame, file_name="demo_programme", source=SOURCE)
    parts = {"actors": _actors(), "goals": _goals(), "measures": _measures(), "events": _events(),
             "inputs": _inputs()}
    with programme_indicators.deferred(ctx):  # the derived indicators once at the end, not after each save
        for a in parts["actors"]:
            actors.save_actor(ctx, a)  # type: ignore[arg-type]
        for g in parts["goals"]:
            programme.save_goal(ctx, g)  # type: ignore[arg-type]
        for m in parts["measures"]:
            programme.save_measure(ctx, m)  # type: ignore[arg-type]
        for e in parts["events"]:
            participation.save_event(ctx, e)  # type: ignore[arg-type]
        for i in parts["inputs"]:
            participation.save_input(ctx, i)  # type: ignore[arg-type]
    return {k: len(v) for k, v in parts.items()}

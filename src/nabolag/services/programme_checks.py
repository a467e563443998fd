"""Checks of programme objects against what is known: stored codes, plus (in an import) the codes the
same file defines. Used alike by single saves and by imports, so both refuse the same things."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import Connection, select

from nabolag.domain.actors import Actor, check_actor
from nabolag.domain.participation import Event, Input, check_event, check_input
from nabolag.domain.programme import Goal, Measure, check_goal, check_measure
from nabolag.domain.zones import Area
from nabolag.i18n import _
from nabolag.services.measure_location import check_location
from nabolag.services.programme_base import area_id, unknown
from nabolag.store import indicators as ind_repo
from nabolag.store import participation as part_repo
from nabolag.store import programme as repo
from nabolag.store import programme_actors as actor_repo
from nabolag.store.tables import zone

Problems = list[tuple[str, str]]


@dataclass
class Known:
    """Codes a programme object may refer to, for one area."""

    area: Area
    dimensions: set[str]
    themes: set[str]
    indicators: set[str]
    actors: dict[str, str | None]
    goals: set[str]
    measures: set[str]
    events: dict[str, dt.date]
    zone_geometries: list[bytes] = field(default_factory=list)


def load_known(conn: Connection, area: Area) -> Known:
    terms = repo.term_ids(conn)
    aid = area_id(area)
    geoms = conn.execute(select(zone.c.geometry).where(zone.c.code.in_(list(area.zone_codes))))
    return Known(area=area, dimensions={c for k, c in terms if k == "dimension"},
                 themes={c for k, c in terms if k == "theme"}, indicators=set(ind_repo.indicator_ids(conn)),
                 actors=actor_repo.actor_areas(conn), goals=set(repo.goal_ids(conn, aid)),
                 measures=set(repo.measure_ids(conn, aid)),
                 events={e.code: e.date for e in part_repo.list_events(conn, aid)},
                 zone_geometries=[g for (g,) in geoms if g])


def goal_problems(known: Known, g: Goal) -> Problems:
    problems = check_goal(g)
    unknown(problems, "dimension", _("dimensjon"), [g.dimension], known.dimensions)
    unknown(problems, "themes", _("tema"), list(g.themes), known.themes)
    unknown(problems, "indicators", _("indikator"), [x.indicator for x in g.indicators], known.indicators)
    return problems


def measure_problems(known: Known, m: Measure) -> Problems:
    problems = check_measure(m)
    unknown(problems, "responsible", _("aktør"), [m.responsible or ""], known.actors)
    unknown(problems, "partners", _("aktør"), list(m.partners), known.actors)
    unknown(problems, "goals", _("mål i {area}", area=known.area.code), list(m.goals), known.goals)
    unknown(problems, "indicators", _("indikator"), [x.indicator for x in m.indicators], known.indicators)
    if m.geometry is not None:
        bad = check_location(m.geometry, known.zone_geometries)
        if bad:
            problems.append(("geometry", bad))
    return problems


def actor_problems(known: Known, a: Actor) -> Problems:
    problems = check_actor(a)
    if a.area_code not in (None, known.area.code):
        problems.append(("area", _("aktøren hører til området {other}, ikke {area}", other=a.area_code,
                                   area=known.area.code)))
    return problems


def event_problems(known: Known, e: Event) -> Problems:
    problems = check_event(e)
    unknown(problems, "organiser", _("aktør"), [e.organiser or ""], known.actors)
    return problems


def input_problems(known: Known, i: Input) -> Problems:
    problems = check_input(i)
    unknown(problems, "event", _("arrangement i {area}", area=known.area.code), [i.event or ""], known.events)
    unknown(problems, "theme", _("tema"), [i.theme or ""], known.themes)
    unknown(problems, "measure", _("tiltak i {area}", area=known.area.code), [i.measure or ""], known.measures)
    date = known.events.get(i.event or "")
    if date is not None and i.received < date:
        problems.append(("received", _("innspillet kom inn {received}, før arrangementet {date}",
                                       received=i.received, date=date)))
    return problems

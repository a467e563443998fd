"""Programme tables: goals, measures, actors, events and inputs as rows of text (CSV, Excel sheets,
GeoJSON properties), read into domain objects and written back the same way.

Columns (one row per object; lists separated by ``;``, parts of an item by ``:``):

- goals: code, title, dimension, themes, target_groups, start, end, description,
  indicators (``indicator:method:target@period``)
- measures: code, title, kind, status, description, responsible, partners, goals,
  indicators (``indicator:method:goal``), milestones (one per line: ``due | done | title``), budget, spent,
  start, end, geometry (WKT, longitude/latitude; in GeoJSON the feature's geometry)
- actors: code, name, kind, area, founded, dissolved, description, years (``year:members:volunteers``),
  board (``person_ref:role:resident|other:start:end``)
- events: code, kind, title, date, place, organiser, attendance (``group=count``), description
- inputs: code, received, event, theme, measure, text, status, answer, answered
"""

from __future__ import annotations

import datetime as dt

import shapely

from nabolag.domain.actors import Actor, ActorKind, ActorYear, BoardRole, BoardRoleKind
from nabolag.domain.participation import Event, EventKind, Input, InputStatus
from nabolag.domain.programme import Goal, IndicatorLink, Measure, MeasureKind, MeasureStatus, Milestone
from nabolag.i18n import _
from nabolag.ingest.programme_cells import Cells, fmt_date, fmt_number, join_items, parse_date

COLUMNS: dict[str, tuple[str, ...]] = {
    "goals": ("code", "title", "dimension", "themes", "target_groups", "start", "end", "description", "indicators"),
    "measures": ("code", "title", "kind", "status", "description", "responsible", "partners", "goals", "indicators",
                 "milestones", "budget", "spent", "start", "end", "geometry"),
    "actors": ("code", "name", "kind", "area", "founded", "dissolved", "description", "years", "board"),
    "events": ("code", "kind", "title", "date", "place", "organiser", "attendance", "description"),
    "inputs": ("code", "received", "event", "theme", "measure", "text", "status", "answer", "answered"),
}
KINDS = tuple(COLUMNS)
_NO_DATE = dt.date.min  # stands in for a missing required date (already reported as an error)


def _goal_links(c: Cells) -> tuple[IndicatorLink, ...]:
    links = []
    for item in c.items("indicators"):
        code, _s, rest = item.partition(":")
        method, _s, target = rest.partition(":")
        value, _s, period = target.partition("@")
        number = None
        if value.strip():
            try:
                number = float(value.strip().replace(",", "."))
            except ValueError:
                c.error("indicators", _("målverdien er ikke et tall"), expected="indikator:metode:60@2026", found=item)
        links.append(IndicatorLink(code.strip(), method.strip(), target_value=number, target_period=period.strip()))
    return tuple(links)


def goal_from(c: Cells, area_code: str) -> Goal:
    return Goal(area_code=area_code, code=c.text("code", True), title=c.text("title", True),
                dimension=c.text("dimension", True), themes=c.items("themes"), target_groups=c.items("target_groups"),
                start=c.date("start"), end=c.date("end"), description=c.text("description"),
                indicators=_goal_links(c))


def goal_to(g: Goal) -> dict[str, str]:
    links = [f"{x.indicator}:{x.method}:{fmt_number(x.target_value)}" + (f"@{x.target_period}" if x.target_period
                                                                        else "") for x in g.indicators]
    return {"code": g.code, "title": g.title, "dimension": g.dimension, "themes": join_items(g.themes),
            "target_groups": join_items(g.target_groups), "start": fmt_date(g.start), "end": fmt_date(g.end),
            "description": g.description, "indicators": join_items(x.rstrip(":") for x in links)}


def _milestones(c: Cells) -> tuple[Milestone, ...]:
    raw = c.raw("milestones")
    if isinstance(raw, list):  # GeoJSON: [{"title": …, "due": …, "done": …}]
        lines = [f"{m.get('due', '')} | {m.get('done') or ''} | {m.get('title', '')}" for m in raw
                 if isinstance(m, dict)]
    else:
        lines = [x for x in c.text("milestones").splitlines() if x.strip()]
    out = []
    for line in lines:
        parts = [p.strip() for p in line.split("|", 2)]
        if len(parts) < 3 or not parts[0] or not parts[2]:
            c.error("milestones", _("milepæl uten frist eller tittel"), expected="2024-05-01 | | Åpning", found=line)
            continue
        due, done = parse_date(c, "milestones", parts[0]), parse_date(c, "milestones", parts[1])
        if due is not None:
            out.append(Milestone(parts[2], due, done))
    return tuple(out)


def _measure_links(c: Cells) -> tuple[IndicatorLink, ...]:
    raw = c.raw("indicators")
    if isinstance(raw, list) and all(isinstance(x, dict) for x in raw):
        return tuple(IndicatorLink(str(x.get("indicator", "")), str(x.get("method") or ""), str(x.get("goal") or ""))
                     for x in raw)
    links = []
    for item in c.items("indicators"):
        code, _s, rest = item.partition(":")
        method, _s, goal = rest.partition(":")
        links.append(IndicatorLink(code.strip(), method.strip(), goal.strip()))
    return tuple(links)


def _geometry(c: Cells) -> bytes | None:
    raw = c.raw("geometry")
    if raw is None or raw == "":
        return None
    if isinstance(raw, bytes):
        return raw
    try:
        return shapely.to_wkb(shapely.from_wkt(str(raw)))  # type: ignore[no-any-return]
    except shapely.errors.GEOSException:
        c.error("geometry", _("kan ikke lese geometrien"), expected="WKT, f.eks. POINT (10.92 59.95)",
                found=str(raw)[:80])
        return None


def measure_from(c: Cells, area_code: str) -> Measure:
    return Measure(
        area_code=area_code, code=c.text("code", True), title=c.text("title", True),
        kind=c.choice("kind", MeasureKind),  # type: ignore[arg-type]
        status=c.choice("status", MeasureStatus, MeasureStatus.IDEA),  # type: ignore[arg-type]
        description=c.text("description"), geometry=_geometry(c), responsible=c.text("responsible") or None,
        partners=c.items("partners"), budget=c.number("budget"), spent=c.number("spent"), start=c.date("start"),
        end=c.date("end"), milestones=_milestones(c), goals=c.items("goals"), indicators=_measure_links(c))


def measure_to(m: Measure, geometry_as: str = "wkt") -> dict[str, object]:
    row: dict[str, object] = {
        "code": m.code, "title": m.title, "kind": str(m.kind), "status": str(m.status), "description": m.description,
        "responsible": m.responsible or "", "partners": join_items(m.partners), "goals": join_items(m.goals),
        "indicators": join_items(f"{x.indicator}:{x.method}:{x.goal}".rstrip(":") for x in m.indicators),
        "milestones": "\n".join(f"{s.due} | {fmt_date(s.done)} | {s.title}" for s in m.milestones),
        "budget": fmt_number(m.budget), "spent": fmt_number(m.spent), "start": fmt_date(m.start),
        "end": fmt_date(m.end)}
    if geometry_as == "wkt":
        row["geometry"] = shapely.to_wkt(shapely.from_wkb(m.geometry), rounding_precision=7) if m.geometry else ""
    return row


def actor_from(c: Cells, _import_area: str) -> Actor:
    """An actor; an empty ``area`` means the whole municipality (not the area being imported)."""
    years, board = [], []
    for item in c.items("years"):
        parts = (item.split(":") + ["", ""])[:3]
        year = c.integer("years", parts[0])
        if year is not None:
            years.append(ActorYear(year, c.integer("years", parts[1]), c.integer("years", parts[2])))
    for item in c.items("board"):
        parts = [p.strip() for p in (item.split(":") + ["", "", "", ""])[:5]]
        try:
            role = BoardRoleKind(parts[1])
        except ValueError:
            c.error("board", _("ukjent verv"), expected=", ".join(BoardRoleKind), found=item)
            continue
        if parts[2] not in ("", "resident", "other"):
            c.error("board", _("bosted må være resident eller other"), expected="resident, other", found=item)
        board.append(BoardRole(parts[0], role, parts[2] != "other", parse_date(c, "board", parts[3]),
                               parse_date(c, "board", parts[4])))
    return Actor(code=c.text("code", True), name=c.text("name", True),
                 kind=c.choice("kind", ActorKind),  # type: ignore[arg-type]
                 area_code=c.text("area") or None,
                 founded=c.date("founded"), dissolved=c.date("dissolved"), description=c.text("description"),
                 years=tuple(years), board=tuple(board))


def actor_to(a: Actor) -> dict[str, str]:
    years = [f"{y.year}:{fmt_number(y.members)}:{fmt_number(y.volunteers)}" for y in a.years]
    board = [f"{r.person_ref}:{r.role}:{'resident' if r.resident else 'other'}:{fmt_date(r.start)}:{fmt_date(r.end)}"
             for r in a.board]
    return {"code": a.code, "name": a.name, "kind": str(a.kind), "area": a.area_code or "",
            "founded": fmt_date(a.founded), "dissolved": fmt_date(a.dissolved), "description": a.description,
            "years": join_items(years), "board": join_items(b.rstrip(":") for b in board)}


def event_from(c: Cells, area_code: str) -> Event:
    attendance = []
    for item in c.items("attendance"):
        group, sep, count = item.rpartition("=")
        n = c.integer("attendance", count) if sep else None
        if not sep:
            c.error("attendance", _("oppmøte skrives gruppe=antall"), expected="all=40; age:13-19=12", found=item)
        elif n is not None:
            attendance.append((group.strip(), n))
    return Event(area_code=area_code, code=c.text("code", True),
                 kind=c.choice("kind", EventKind),  # type: ignore[arg-type]
                 title=c.text("title", True), date=c.date("date", True) or _NO_DATE, place=c.text("place"),
                 organiser=c.text("organiser") or None, attendance=tuple(attendance),
                 description=c.text("description"))


def event_to(e: Event) -> dict[str, str]:
    return {"code": e.code, "kind": str(e.kind), "title": e.title, "date": fmt_date(e.date), "place": e.place,
            "organiser": e.organiser or "", "attendance": join_items(f"{g}={n}" for g, n in e.attendance),
            "description": e.description}


def input_from(c: Cells, area_code: str) -> Input:
    return Input(area_code=area_code, code=c.text("code"), text=c.text("text", True),
                 received=c.date("received", True) or _NO_DATE, event=c.text("event") or None,
                 theme=c.text("theme") or None, measure=c.text("measure") or None,
                 status=c.choice("status", InputStatus, InputStatus.RECEIVED),  # type: ignore[arg-type]
                 answer=c.text("answer"), answered=c.date("answered"))


def input_to(i: Input) -> dict[str, str]:
    return {"code": i.code, "received": fmt_date(i.received), "event": i.event or "", "theme": i.theme or "",
            "measure": i.measure or "", "text": i.text, "status": str(i.status), "answer": i.answer,
            "answered": fmt_date(i.answered)}


READERS = {"goals": goal_from, "measures": measure_from, "actors": actor_from, "events": event_from,
           "inputs": input_from}
WRITERS = {"goals": goal_to, "measures": measure_to, "actors": actor_to, "events": event_to, "inputs": input_to}

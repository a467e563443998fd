"""Form fields of the goal and measure forms → domain objects, and domain objects → form values.

A form may hold several rows (indicators, milestones) as repeated fields of the same name; empty rows are
skipped. Text that cannot be read (a date, an amount, a geometry) is refused here with the field named;
everything else (codes that do not exist, a milestone after the end, a location outside the area) is
checked by the services, which name the field the same way.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from dataclasses import replace

import shapely
from shapely.geometry import mapping, shape
from starlette.datastructures import FormData

from nabolag.domain.problems import Problem
from nabolag.domain.programme import Goal, IndicatorLink, Measure, MeasureKind, MeasureStatus, Milestone
from nabolag.errors import InputError
from nabolag.i18n import _

Problems = list[tuple[str, str]]
GOAL_ROWS = ("indicator", "method", "target", "period")
MEASURE_ROWS = ("indicator", "method", "indicator_goal")
MILESTONE_ROWS = ("milestone_title", "milestone_due", "milestone_done")
TEXT_LIMIT = 20_000


def text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value.strip()[:TEXT_LIMIT] if isinstance(value, str) else ""


def texts(form: FormData, name: str) -> list[str]:
    return [v.strip()[:TEXT_LIMIT] for v in form.getlist(name) if isinstance(v, str)]


def rows(form: FormData, names: tuple[str, ...]) -> list[dict[str, str]]:
    """Repeated fields as rows (``indicator=a&method=b&indicator=c&method=d`` → two rows); empty rows dropped."""
    columns = [texts(form, n) for n in names]
    length = max((len(c) for c in columns), default=0)
    out = [{n: (c[i] if i < len(c) else "") for n, c in zip(names, columns, strict=True)} for i in range(length)]
    return [r for r in out if any(r.values())]


def parse_date(problems: Problems, name: str, value: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        problems.append((name, _("«{value}» er ikke en dato; skriv åååå-mm-dd", value=value[:40])))
        return None


def parse_number(problems: Problems, name: str, value: str) -> float | None:
    """An amount or a target: spaces as thousands separators and a decimal comma are accepted."""
    if not value:
        return None
    cleaned = re.sub(r"[\s\u00a0]", "", value).replace(",", ".")
    try:
        number = float(cleaned)
    except ValueError:
        number = math.nan
    if not math.isfinite(number):
        problems.append((name, _("«{value}» er ikke et tall", value=value[:40])))
        return None
    return number


def parse_geometry(problems: Problems, drawn: str, typed: str) -> bytes | None:
    """A location from the text field (WKT or GeoJSON, longitude/latitude) if given, else from the map."""
    source = typed or drawn
    if not source:
        return None
    try:
        if source.lstrip().startswith("{"):
            data = json.loads(source)
            if data.get("type") == "FeatureCollection":
                features = data.get("features") or []
                if len(features) != 1:
                    raise ValueError(_("en FeatureCollection må ha nøyaktig ett objekt"))
                data = features[0]
            geom = shape(data["geometry"] if data.get("type") == "Feature" else data)
        else:
            geom = shapely.from_wkt(source)
    except (ValueError, TypeError, KeyError, AttributeError, shapely.errors.GEOSException) as exc:
        detail = str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
        problems.append(("geometry", _("plasseringen kan ikke leses som WKT eller GeoJSON ({detail})",
                                       detail=detail)))
        return None
    return shapely.to_wkb(geom)


def refuse(problems: Problems) -> None:
    if problems:
        raise InputError(_("Skjemaet har {n} feil; ingenting er lagret", n=len(problems)),
                         [Problem(_("skjemaet"), message, field=name) for name, message in problems])


def goal_from_form(form: FormData, area_code: str, stored: Goal | None) -> Goal:
    """The goal the form describes (the stored goal's code and notes are kept on an edit)."""
    problems: Problems = []
    notes = {x.indicator: x.note for x in stored.indicators} if stored else {}
    links = []
    for r in rows(form, GOAL_ROWS):
        target = parse_number(problems, "indicators", r["target"])
        links.append(IndicatorLink(r["indicator"], r["method"], target_value=target, target_period=r["period"],
                                   note=notes.get(r["indicator"], "")))
    groups = [g for g in re.split(r"[,;\s]+", text(form, "target_groups")) if g]
    goal = Goal(area_code=area_code, code=stored.code if stored else text(form, "code"), title=text(form, "title"),
                dimension=text(form, "dimension"), themes=tuple(texts(form, "themes")), target_groups=tuple(groups),
                start=parse_date(problems, "start", text(form, "start")),
                end=parse_date(problems, "end", text(form, "end")), description=text(form, "description"),
                indicators=tuple(links), synthetic=stored.synthetic if stored else False)
    refuse(problems)
    return goal


def measure_from_form(form: FormData, area_code: str, stored: Measure | None) -> Measure:
    """The measure the form describes; an edit keeps the stored code and marks."""
    problems: Problems = []
    kind, status = text(form, "kind"), text(form, "status") or str(MeasureStatus.IDEA)
    if kind not in tuple(str(k) for k in MeasureKind):
        problems.append(("kind", _("velg en type tiltak")))
    if status not in tuple(str(s) for s in MeasureStatus):
        problems.append(("status", _("velg en status")))
    stones = []
    for r in rows(form, MILESTONE_ROWS):
        due = parse_date(problems, "milestones", r["milestone_due"])
        if due is None and not r["milestone_due"]:
            problems.append(("milestones", _("milepælen «{title}» mangler frist", title=r["milestone_title"][:60])))
        if due is not None:
            stones.append(Milestone(r["milestone_title"], due, parse_date(problems, "milestones", r["milestone_done"])))
    links = tuple(IndicatorLink(r["indicator"], r["method"], goal=r["indicator_goal"])
                  for r in rows(form, MEASURE_ROWS))
    geometry = None if text(form, "geometry_clear") else \
        parse_geometry(problems, text(form, "geometry"), text(form, "geometry_text"))
    refuse(problems)
    measure = Measure(
        area_code=area_code, code=stored.code if stored else text(form, "code"), title=text(form, "title"),
        kind=MeasureKind(kind), status=MeasureStatus(status), description=text(form, "description"),
        geometry=geometry, responsible=text(form, "responsible") or None,
        partners=tuple(p for p in texts(form, "partners") if p),
        budget=parse_number(problems, "budget", text(form, "budget")),
        spent=parse_number(problems, "spent", text(form, "spent")),
        start=parse_date(problems, "start", text(form, "start")), end=parse_date(problems, "end", text(form, "end")),
        milestones=tuple(stones), goals=tuple(g for g in texts(form, "goals") if g), indicators=links,
        synthetic=stored.synthetic if stored else False)
    refuse(problems)
    return measure


def geojson_text(geometry: bytes | None) -> str:
    return json.dumps(mapping(shapely.from_wkb(geometry))) if geometry else ""


def goal_values(g: Goal | None) -> dict[str, object]:
    """A stored goal as the form shows it (an empty form for None)."""
    if g is None:
        return {"themes": [], "indicators": [], "target_groups": ""}
    return {"code": g.code, "title": g.title, "dimension": g.dimension, "themes": list(g.themes),
            "target_groups": ", ".join(g.target_groups), "start": g.start or "", "end": g.end or "",
            "description": g.description,
            "indicators": [{"indicator": x.indicator, "method": x.method, "period": x.target_period,
                            "target": "" if x.target_value is None else f"{x.target_value:g}"} for x in g.indicators]}


def measure_values(m: Measure | None) -> dict[str, object]:
    """A stored measure as the form shows it (an empty form for None)."""
    if m is None:
        return {"status": "idea", "partners": [], "goals": [], "indicators": [], "milestones": []}
    return {"code": m.code, "title": m.title, "kind": str(m.kind), "status": str(m.status),
            "description": m.description, "responsible": m.responsible or "", "partners": list(m.partners),
            "budget": "" if m.budget is None else f"{m.budget:g}", "spent": "" if m.spent is None else f"{m.spent:g}",
            "start": m.start or "", "end": m.end or "", "goals": list(m.goals),
            "indicators": [{"indicator": x.indicator, "method": x.method, "indicator_goal": x.goal}
                           for x in m.indicators],
            "milestones": [{"milestone_title": s.title, "milestone_due": s.due, "milestone_done": s.done or ""}
                           for s in m.milestones],
            "geometry": geojson_text(m.geometry)}


def posted_values(form: FormData) -> dict[str, object]:
    """What the user sent, to show the form again beside its errors."""
    plain = {k: v for k, v in form.items() if isinstance(v, str) and k != "csrf_token"}
    return {**plain, "themes": texts(form, "themes"), "partners": texts(form, "partners"),
            "goals": texts(form, "goals"), "indicators": rows(form, GOAL_ROWS + ("indicator_goal",)),
            "milestones": rows(form, MILESTONE_ROWS)}


def with_milestone_done(m: Measure, index: int, done: dt.date) -> Measure:
    stones = list(m.milestones)
    stones[index] = replace(stones[index], done=done)
    return replace(m, milestones=tuple(stones))

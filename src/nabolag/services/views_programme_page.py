"""The programme page of an area (issue 5): goals, measures with milestones, progress rolled up from
measures to goals and area, and the measures' locations as GeoJSON for the map.

Everything here is open to the public: actors are organisations, and nothing names a person (board
roles and inputs' senders are not on this page). Whether the reader may edit is worked out with the
same checks the services make on a save (:meth:`Context.require_area`).
"""

from __future__ import annotations

import datetime as dt

import shapely
from shapely.geometry import mapping

from nabolag.domain.programme import (
    METHODS,
    Goal,
    IndicatorLink,
    Measure,
    MeasureKind,
    MeasureStatus,
    group_label,
    measure_kind_label,
    measure_status_label,
)
from nabolag.domain.zones import Area
from nabolag.errors import PermissionDenied
from nabolag.i18n import get_language
from nabolag.services import actors as actor_service
from nabolag.services import indicators as indicator_service
from nabolag.services import programme as programme_service
from nabolag.services import zones
from nabolag.services.context import Context
from nabolag.services.logic_model import method_label
from nabolag.services.views_common import level_label, num, synthetic_note
from nabolag.services.views_observation import with_use
from nabolag.services.vocabulary import list_terms


def may_edit(ctx: Context, area_code: str) -> bool:
    """Whether the reader may change this area's programme (the services' own check, without raising)."""
    try:
        ctx.require_write()
        ctx.require_area(area_code)
    except PermissionDenied:
        return False
    return True


def _date(d: dt.date | None) -> str | None:
    return d.isoformat() if d else None


def _percent(value: float | None) -> float | None:
    return None if value is None else round(100 * value, 1)


def measure_feature(m: Measure) -> dict[str, object] | None:
    """A located measure as a GeoJSON feature (EPSG:4326) with what the map shows; None if not located."""
    if m.geometry is None:
        return None
    return {"type": "Feature", "id": m.code, "geometry": mapping(shapely.from_wkb(m.geometry)),
            "properties": {"code": m.code, "title": m.title, "status": str(m.status),
                           "status_label": measure_status_label(str(m.status)), "kind": str(m.kind),
                           "kind_label": measure_kind_label(str(m.kind)), "area": m.area_code}}


def measures_geojson(measures: list[Measure]) -> dict[str, object]:
    features = [f for f in (measure_feature(m) for m in measures) if f is not None]
    return {"type": "FeatureCollection", "features": features}


def zone_layers(ctx: Context, area: Area) -> list[dict[str, object]]:
    """The area's member zones per level, as ``/geo/{level}.geojson?codes=…`` requests for the map."""
    levels = {z.code: str(z.level) for z in zones.list_zones(ctx) if z.code in set(area.zone_codes)}
    layers = []
    for level in sorted(set(levels.values())):
        codes = [c for c in area.zone_codes if levels.get(c) == level]
        layers.append({"role": "member", "level": level, "level_label": level_label(level), "codes": codes,
                       "url": f"/geo/{level}.geojson?codes={','.join(codes)}"})
    return layers


class _Names:
    """Names of indicators, actors, goals and terms for one page, read once."""

    def __init__(self, ctx: Context, area: Area, goals: list[Goal]) -> None:
        lang = get_language()
        self.lang = lang
        self.indicators = {i.code: i for i in indicator_service.list_indicators(ctx)}
        self.actors = {a.code: a.name for a in actor_service.list_actors(ctx, area.code)}
        self.goals = {g.code: g.title for g in goals}
        self.terms = {(str(t.kind), t.code): t for t in list_terms(ctx)}

    def indicator(self, code: str) -> dict[str, object]:
        ind = self.indicators.get(code)
        return {"code": code, "name": ind.name(self.lang) if ind else code, "unit": ind.unit if ind else ""}

    def actor(self, code: str | None) -> dict[str, object] | None:
        return None if not code else {"code": code, "name": self.actors.get(code, code)}

    def term(self, kind: str, code: str) -> dict[str, object]:
        t = self.terms.get((kind, code))
        return {"code": code, "name": t.name(self.lang) if t else code,
                "sdg_targets": list(t.sdg_targets) if t else []}


def _link(link: IndicatorLink, names: _Names) -> dict[str, object]:
    target = {"value": num(link.target_value), "period": link.target_period or None} \
        if link.target_value is not None else None
    return {**names.indicator(link.indicator), "method": link.method or None,
            "method_label": method_label(link.method) if link.method else None, "goal": link.goal or None,
            "target": target}


def goal_item(g: Goal, names: _Names, progress: dict[str, object], serving: list[str]) -> dict[str, object]:
    return {"code": g.code, "title": g.title, "description": g.description,
            "dimension": names.term("dimension", g.dimension),
            "themes": [names.term("theme", t) for t in g.themes],
            "target_groups": [{"code": t, "label": group_label(t)} for t in g.target_groups],
            "start": _date(g.start), "end": _date(g.end),
            "progress_percent": progress.get("percent"), "measures": serving,
            "indicators": [_link(x, names) for x in g.indicators], "synthetic": g.synthetic}


def measure_item(m: Measure, names: _Names, progress: float | None) -> dict[str, object]:
    return {"code": m.code, "title": m.title, "description": m.description, "kind": str(m.kind),
            "kind_label": measure_kind_label(str(m.kind)), "status": str(m.status),
            "status_label": measure_status_label(str(m.status)), "responsible": names.actor(m.responsible),
            "partners": [names.actor(p) for p in m.partners], "budget": num(m.budget), "spent": num(m.spent),
            "start": _date(m.start), "end": _date(m.end), "progress_percent": _percent(progress),
            "milestones": [{"index": i, "title": s.title, "due": s.due.isoformat(), "done": _date(s.done)}
                           for i, s in enumerate(m.milestones)],
            "goals": [{"code": c, "title": names.goals.get(c, c)} for c in m.goals],
            "indicators": [_link(x, names) for x in m.indicators],
            "located": m.geometry is not None,
            "geometry_type": shapely.from_wkb(m.geometry).geom_type if m.geometry else None,
            "synthetic": m.synthetic}


def choices(ctx: Context, area_code: str) -> dict[str, object]:
    """What the edit forms offer: statuses, kinds, methods, dimensions, themes, indicators, actors, goals."""
    area = zones.get_area(ctx, area_code)
    goals = programme_service.list_goals(ctx, area.code)
    names = _Names(ctx, area, goals)
    return {
        "statuses": [{"code": str(s), "label": measure_status_label(str(s))} for s in MeasureStatus],
        "kinds": [{"code": str(k), "label": measure_kind_label(str(k))} for k in MeasureKind],
        "methods": [{"code": m, "label": method_label(m)} for m in METHODS],
        "dimensions": [names.term(k, c) for (k, c) in names.terms if k == "dimension"],
        "themes": [names.term(k, c) for (k, c) in names.terms if k == "theme"],
        "indicators": sorted((names.indicator(c) for c in names.indicators), key=lambda i: str(i["name"]).lower()),
        "actors": sorted(({"code": c, "name": n} for c, n in names.actors.items()), key=lambda a: a["name"].lower()),
        "goals": [{"code": g.code, "title": g.title} for g in goals],
    }


def programme_page(ctx: Context, area_code: str) -> dict[str, object]:
    """The area's goals and measures with progress rolled up (measure → goal → area) and the map."""
    area = zones.get_area(ctx, area_code)
    goals = programme_service.list_goals(ctx, area.code)
    measures = programme_service.list_measures(ctx, area.code)
    report = programme_service.progress(ctx, area.code)
    names = _Names(ctx, area, goals)
    total = report.total.as_dict()
    by_status = total["by_status"]
    progress = {**total, "by_status": [{"status": str(s), "label": measure_status_label(str(s)),
                                        "measures": by_status[str(s)]} for s in MeasureStatus],  # type: ignore[index]
                "budget": num(total["budget"]), "spent": num(total["spent"])}
    synthetic = area.synthetic or any(g.synthetic for g in goals) or any(m.synthetic for m in measures)
    base = f"/areas/{area.code}"
    return {
        "area": {"code": area.code, "name": area.name, "synthetic": area.synthetic,
                 "start_date": _date(area.start_date), "end_date": _date(area.end_date)},
        "may_edit": may_edit(ctx, area.code), "signed_in": not ctx.is_public,
        "progress": progress,
        "goals": [goal_item(g, names, report.goals[g.code].as_dict(),
                            [m.code for m in measures if g.code in m.goals]) for g in goals],
        "measures": with_use(ctx, area.code, [measure_item(m, names, report.measures.get(m.code)) for m in measures]),
        "map": {"zones": zone_layers(ctx, area), "measures": measures_geojson(measures)},
        "links": {"area": base, "logic_model": f"{base}/logic-model", "participation": f"{base}/participation",
                  "you_said_we_did": f"{base}/you-said-we-did", "json": f"{base}/programme.json",
                  "export_excel": f"{base}/programme/export.xlsx",
                  "export_geojson": f"{base}/programme/measures.geojson",
                  "import": f"{base}/programme/import"},
        "synthetic": synthetic, "note": synthetic_note(synthetic),
    }

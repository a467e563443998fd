"""The first chapter of an area report: the area, its zones and comparison zones on maps, with facts."""

from __future__ import annotations

import pandas as pd
import shapely

from nabolag.i18n import _
from nabolag.reports import content as c
from nabolag.reports.area_data import AreaData
from nabolag.reports.svgmap import zones_svg
from nabolag.reports.tables import Notes, cell
from nabolag.services import observations, zones
from nabolag.services.context import Context
from nabolag.services.export import describe_reason, published
from nabolag.services.population import POPULATION as POPULATION_INDICATOR
from nabolag.services.views_common import level_label, status_label

POPULATION = POPULATION_INDICATOR.code
ZOOM_MARGIN = 0.15


def population(ctx: Context, codes: list[str]) -> tuple[pd.DataFrame, str]:
    """The latest published population of each zone (``zone, value, reason``) and its period."""
    rows = observations.query(ctx, indicators=[POPULATION], zones=codes, groups="")
    if rows.empty:
        return pd.DataFrame(columns=["zone", "value", "reason"]), ""
    period = str(rows["period"].max())
    shown = published(ctx, rows[rows["period"] == period])
    return pd.DataFrame({"zone": shown["zone"], "value": shown["value"],
                         "reason": shown["suppression_reason"]}), period


def _features(d: AreaData, geoms: dict[str, object], codes: list[str], label_members: bool) -> list[dict[str, object]]:
    member, comparison = set(d.area.zone_codes), set(d.area.comparison_codes)
    out = []
    for code in codes:
        role = "member" if code in member else "comparison" if code in comparison else "context"
        out.append({"code": code, "name": d.name(code), "geometry": geoms[code], "role": role,
                    "label": d.name(code) if label_members and role == "member" else None})
    return out


def maps(ctx: Context, d: AreaData) -> list[dict[str, object] | None]:
    """The city with the area and the comparison zones; and the area close up, zones named."""
    level_zones = zones.list_zones(ctx, level=d.level, with_geometry=True)
    geoms = {z.code: shapely.from_wkb(z.geometry) for z in level_zones if z.geometry}
    extra = [code for code in (*d.area.zone_codes, *d.area.comparison_codes) if code not in geoms]
    for z in zones.list_zones(ctx, with_geometry=True) if extra else []:
        if z.code in extra and z.geometry:
            geoms[z.code] = shapely.from_wkb(z.geometry)
    if not any(code in geoms for code in d.area.zone_codes):
        return [c.notice(_("Sonene i området har ingen geometri, så kartet kan ikke tegnes."))]
    city = d.city.name if d.city else _("byen")
    overview = zones_svg(_features(d, geoms, list(geoms), False), 640, 520,
                         _("Kart: {area} og sammenligningssonene i {city}", area=d.area.name, city=city))
    members = [geoms[code] for code in d.area.zone_codes if code in geoms]
    box = shapely.box(*shapely.total_bounds(members))
    pad = ZOOM_MARGIN * max(box.bounds[2] - box.bounds[0], box.bounds[3] - box.bounds[1])
    near = [code for code, g in geoms.items() if g.intersects(box.buffer(pad))]
    close = zones_svg(_features(d, geoms, near, True), 640, 460, _("Kart: sonene i {area}", area=d.area.name))
    source = _("sonegrensene i nabolag ({level})", level=level_label(d.level))
    return [c.figure(overview, _("{area} (blått) og sammenligningssonene (oransje, stiplet) i {city}.",
                                 area=d.area.name, city=city), source, "fig-oversikt"),
            c.figure(close, _("Sonene i {area} med nabosonene rundt.", area=d.area.name), source, "fig-soner")]


def zone_table(ctx: Context, d: AreaData) -> dict[str, object]:
    codes = [*d.area.zone_codes, *d.area.comparison_codes]
    pop, period = population(ctx, codes)
    by_zone = {str(r.zone): r for r in pop.itertuples()}
    notes = Notes()
    rows = []
    for code in codes:
        role = _("i området") if code in d.area.zone_codes else _("sammenligning")
        p = by_zone.get(code)
        hidden = p is not None and bool(p.reason)
        rows.append({"_key": code, "name": d.name(code), "code": code, "role": role,
                     "level": level_label(str(d.by_code[code].level)) if code in d.by_code else "",
                     "population": cell(None if p is None else p.value, "personer", suppressed=hidden,
                                        reason=describe_reason(str(p.reason)) if hidden else "", notes=notes)})
    return {"id": "tab-soner", "caption": _("Soner i området og sammenligningssoner"),
            "columns": [{"key": "name", "label": _("Sone")}, {"key": "code", "label": _("Kode")},
                        {"key": "role", "label": _("Rolle")}, {"key": "level", "label": _("Nivå")},
                        {"key": "population", "label": _("Befolkning {period}", period=period) if period
                         else _("Befolkning"), "num": True}],
            "rows": rows, "notes": notes.items,
            "source": _("befolkning: {source}, avrundet", source=d.indicators[POPULATION].source)
            if period and POPULATION in d.indicators else ""}


def area_section(ctx: Context, d: AreaData) -> dict[str, object]:
    a = d.area
    b = d.baseline
    dates = f"{a.start_date.isoformat() if a.start_date else ''} – {a.end_date.isoformat() if a.end_date else ''}"
    facts = [(_("Status"), status_label(str(a.status))), (_("Periode"), dates),
             (_("Soner i området"), len(a.zone_codes)), (_("Sammenligningssoner"), len(a.comparison_codes)),
             (_("Nullpunkt"), _("«{label}», frosset {date}", label=b.label, date=b.frozen_at.date().isoformat()))]
    if d.follow_up and d.latest_period:
        facts.append((_("Siste tall"), d.latest_period))
    intro = _("Kartet viser sonene i {area} og sammenligningssonene: soner som ligner området, men som ikke er med "
              "i satsingen. Endring i området måles mot endringen i dem.", area=a.name)
    return c.section("omradet", _("Området og sonene"),
                     [c.text(a.description), c.facts(facts), c.text(intro), *maps(ctx, d), c.table(zone_table(ctx, d))])

"""Read models of the map-campaign pages (issue 7): the child's map, the campaign list, the teacher's and
staff's campaign page, and the public aggregated page. Each returns the dict the page renders and its
``.json`` twin returns.

Single contributions (routes and places with their geometry) come only from
:func:`nabolag.services.mapping.list_contributions`, which lets staff with rights to the campaign or the
holder of its teacher code through; the public page is built from :mod:`mapping_aggregate` only (hexagons
and counts of distinct children, small cells dropped), never from single contributions.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import shapely

from nabolag.domain.mapping import (
    GENDERS,
    LANGUAGES,
    CampaignStatus,
    MapCampaign,
    PlaceCategory,
    RoutePurpose,
    TransportMode,
    normalise_access_code,
)
from nabolag.domain.mapping_texts import text, texts_in
from nabolag.errors import NotFoundError, PermissionDenied
from nabolag.i18n import _, get_language
from nabolag.services import mapping, mapping_aggregate, mapping_public, zones
from nabolag.services.context import Context
from nabolag.services.mapping_base import may_see_contributions, require_campaign_rights
from nabolag.services.mapping_streets import basemap_streets
from nabolag.store import mapping as repo

MAP_LEVELS = ("delbydel", "bydel", "grunnkrets", "kommune")
"""The zones drawn under a child's map: the first level that has zones. Without a tile service the
walking network's streets are drawn under them (``map.streets``, :mod:`nabolag.services.mapping_streets`)."""
PUBLIC_LAYERS = mapping_aggregate.LAYERS


def status_label(status: str) -> str:
    return {"draft": _("utkast"), "open": _("åpen"), "closed": _("lukket")}.get(status, status)


def layer_label(layer: str) -> str:
    return {"route": _("Alle veier"), "walk_bike": _("Veier gått eller syklet"), "good": _("Fine steder"),
            "avoid": _("Steder barn unngår eller er utrygge"), "traffic": _("Farlig trafikk"),
            "activity": _("Lek og aktivitet"), "unsafe": _("Utrygt eller farlig trafikk (samlet)")}.get(layer, layer)


def map_level(ctx: Context) -> str:
    for level in MAP_LEVELS:
        if zones.list_zones(ctx, level=level):
            return level
    return "delbydel"


def _bbox(geometry: dict[str, Any] | None, pad_lon: float = 0.0, pad_lat: float = 0.0) -> list[float] | None:
    if not geometry:
        return None
    x0, y0, x1, y1 = shapely.geometry.shape(geometry).bounds
    return [round(x0 - pad_lon, 6), round(y0 - pad_lat, 6), round(x1 + pad_lon, 6), round(y1 + pad_lat, 6)]


def url_code(access_code: str) -> str:
    """The access code as it goes in a URL: ``K7QZ-M3WX`` (letters and digits only, one dash)."""
    raw = "".join(ch for ch in access_code.upper() if ch.isalnum())
    return f"{raw[:4]}-{raw[4:]}" if len(raw) == 8 else raw


def child_page(ctx: Context, access_code: str, language: str = "nb") -> dict[str, object]:
    """What the child's map page shows once a code is typed (raises InputError on ``campaign_code``)."""
    view = mapping_public.child_view(ctx, access_code, language)
    lang = str(view["language"])
    texts = texts_in(lang)
    code = url_code(str(view["code"]))
    bbox = (_bbox(view["bounds"]) or _bbox(view["school_point"], 0.02, 0.01)  # type: ignore[arg-type]
            or _home_box(ctx, access_code))
    lo, hi = _grades(str(view["grade_group"]))
    return {
        "code": code, "title": view["title"], "school": view["school"], "grade_group": view["grade_group"],
        "language": lang, "languages": [{"code": c, "name": {"nb": "Bokmål", "nn": "Nynorsk", "en": "English"}[c]}
                                        for c in view["languages"] if c in LANGUAGES],  # type: ignore[attr-defined]
        "accepting": view["accepting"], "bounds": view["bounds"], "school_point": view["school_point"],
        "texts": texts,
        "modes": [{"code": m.value, "label": text(f"mode.{m.value}", lang)} for m in TransportMode],
        "purposes": [{"code": p.value, "label": text(f"purpose.{p.value}", lang)} for p in RoutePurpose],
        "categories": [{"code": c.value, "label": text(f"category.{c.value}", lang)} for c in PlaceCategory],
        "genders": [{"code": g, "label": text(f"gender.{g}", lang)} for g in GENDERS],
        "grades": list(range(lo, hi + 1)),
        "map": {"zones": f"/geo/{map_level(ctx)}.geojson", "bbox": bbox, "streets": basemap_streets(ctx)},
        "links": {"page": f"/kart/{code}", "json": f"/kart/{code}.json", "send": f"/kart/{code}.json"},
    }


def _home_box(ctx: Context, access_code: str) -> list[float] | None:
    """Where the child's map opens when the campaign has neither bounds nor a school point: its school's zone,
    else its area's member zones (else None: the whole municipality)."""
    with ctx.store.read() as conn:
        state = repo.contribute_state(conn, normalise_access_code(access_code))
        row = next((r for r in repo.list_campaigns(conn) if state and r["id"] == state["id"]), None)
    if row is None:
        return None
    codes = [row["school_zone"]] if row["school_zone"] else []
    if not codes and row["area"]:
        codes = list(zones.get_area(ctx, row["area"]).zone_codes)
    found = [zones.get_zone(ctx, c) for c in codes[:200]]
    shapes = [shapely.from_wkb(z.geometry) for z in found if z.geometry]
    if not shapes:
        return None
    x0, y0, x1, y1 = shapely.union_all(shapes).bounds
    return [round(x0, 6), round(y0, 6), round(x1, 6), round(y1, 6)]


def _grades(group: str) -> tuple[int, int]:
    try:
        lo, hi = (int(x) for x in group.split("-"))
    except ValueError:
        return 1, 13
    return max(1, lo), min(13, hi)


def may_change(ctx: Context, area_code: str | None) -> bool:
    """Whether the reader may open, close, renew codes of and see the codes of a campaign (the service's rule)."""
    try:
        require_campaign_rights(ctx, area_code)
    except PermissionDenied:
        return False
    return True


def campaign_item(ctx: Context, c: MapCampaign) -> dict[str, object]:
    codes = may_change(ctx, c.area_code) and bool(c.access_code)
    return {"code": c.code, "title": c.title, "school": c.school, "grade_group": c.grade_group,
            "status": str(c.status), "status_label": status_label(str(c.status)), "area": c.area_code,
            "opens": c.opens.isoformat() if c.opens else None, "closes": c.closes.isoformat() if c.closes else None,
            "languages": list(c.languages), "synthetic": c.synthetic,
            "access_code": c.access_code if codes else None, "teacher_code": c.teacher_code if codes else None,
            "may_change": codes, "may_see": may_see_contributions(ctx, c.area_code),
            "links": {"page": f"/mapping/{c.code}", "json": f"/mapping/{c.code}.json",
                      "public": f"/mapping/{c.code}/public",
                      "child": f"/kart/{url_code(c.access_code)}" if codes else None}}


def campaigns_page(ctx: Context) -> dict[str, object]:
    """Every campaign the reader may know of, and what the create form offers."""
    campaigns = mapping.list_campaigns(ctx)
    may_create = ctx.role in ("admin", "analyst", "coordinator")
    areas = [{"code": a.code, "name": a.name} for a in zones.list_areas(ctx)
             if ctx.role in ("admin", "analyst") or a.code in ctx.areas]
    return {"campaigns": [campaign_item(ctx, c) for c in campaigns], "may_create": may_create,
            "areas": areas, "languages": list(LANGUAGES), "grade_groups": ["1-4", "5-7", "8-10"],
            "synthetic": any(c.synthetic for c in campaigns),
            "links": {"json": "/mapping.json", "observe": "/observe"}}


def counts(features: list[dict[str, Any]], lang: str = "nb") -> dict[str, object]:
    """Routes per mode and purpose, places per category, from the contributions' properties."""
    props = [f["properties"] for f in features]
    modes = Counter(p["mode"] for p in props if p["kind"] == "route")
    purposes = Counter(p["purpose"] for p in props if p["kind"] == "route")
    cats = Counter(p["category"] for p in props if p["kind"] == "place")
    return {
        "routes": sum(modes.values()), "places": sum(cats.values()),
        "modes": [{"code": m.value, "label": text(f"mode.{m.value}", lang), "n": modes.get(m.value, 0)}
                  for m in TransportMode],
        "purposes": [{"code": p.value, "label": text(f"purpose.{p.value}", lang), "n": purposes.get(p.value, 0)}
                     for p in RoutePurpose],
        "categories": [{"code": c.value, "label": text(f"category.{c.value}", lang), "n": cats.get(c.value, 0)}
                       for c in PlaceCategory],
    }


def campaign_page(ctx: Context, code: str, teacher_code: str | None = None) -> dict[str, object]:
    """The campaign with its contributions on a map and counted, for staff with rights to it or the holder
    of its teacher code (:class:`PermissionDenied` for anyone else, as the service says)."""
    if teacher_code:
        c = mapping.teacher_campaign(ctx, teacher_code)
        if c.code != code:
            raise PermissionDenied(_("Lærerkoden hører til en annen kartlegging"))
        staff = may_see_contributions(ctx, c.area_code)
    else:
        c = mapping.get_campaign(ctx, code)
        staff = True
    found = mapping.list_contributions(ctx, code, teacher_code=teacher_code or None)
    features = [f.as_feature() for f in found]
    lang = "en" if get_language() == "en" else "nb"
    item = campaign_item(ctx, c)
    if teacher_code and not item["may_change"]:
        item["access_code"] = c.access_code or None  # the teacher writes it on the board
        item["links"]["child"] = f"/kart/{url_code(c.access_code)}" if c.access_code else None  # type: ignore[index]
    query = f"?laererkode={url_code(teacher_code)}" if teacher_code else ""
    return {
        "campaign": item, "teacher": bool(teacher_code) and not staff, "staff": staff,
        "may_change": item["may_change"], "may_export": may_see_contributions(ctx, c.area_code) and not ctx.is_public,
        "contributions": {"type": "FeatureCollection", "features": features},
        "counts": counts(features, lang), "texts": {"intro": text("teacher.intro", lang)},
        "map": {"zones": f"/geo/{map_level(ctx)}.geojson", "streets": basemap_streets(ctx)},
        "export_formats": [{"code": "geojson", "label": "GeoJSON (EPSG:4326)"},
                           {"code": "gpkg", "label": "GeoPackage (EPSG:25833)"}],
        "synthetic": c.synthetic,
        "links": {"page": f"/mapping/{c.code}{query}", "json": f"/mapping/{c.code}.json{query}",
                  "public": f"/mapping/{c.code}/public", "list": "/mapping"},
    }


def public_page(ctx: Context, code: str, level: str = "delbydel", size_m: float = 250.0) -> dict[str, object]:
    """The aggregated, small-cell-protected layers of a campaign: hexagons per layer and counts per zone.
    A draft is not public (404). Never a single route or place."""
    c = mapping.get_campaign(ctx, code)
    if c.status == CampaignStatus.DRAFT:
        raise NotFoundError(_("Ukjent kartlegging: {code}", code=code[:60]))
    layers = []
    for layer in PUBLIC_LAYERS:
        heat = mapping_aggregate.heatmap(ctx, [c.code], layer, size_m)
        layers.append({"layer": layer, "label": layer_label(layer), "hexagons": heat,
                       "cells": len(heat["features"]),  # type: ignore[arg-type]
                       "max": max((f["properties"]["contributors"] for f in heat["features"]),  # type: ignore[attr-defined]
                                  default=0)})
    names = {z.code: z.name for z in zones.list_zones(ctx, level=level)}
    per_zone = mapping_aggregate.zone_counts(ctx, [c.code], level)
    rows = [{"code": z, "name": names.get(z, z), "counts": {k: v for k, v in found.items()}}
            for z, found in sorted(per_zone.items(), key=lambda kv: names.get(kv[0], kv[0]))]
    return {"campaign": {"code": c.code, "title": c.title, "school": c.school, "grade_group": c.grade_group,
                         "status": str(c.status), "status_label": status_label(str(c.status)),
                         "synthetic": c.synthetic},
            "threshold": ctx.settings.suppression_threshold, "size_m": size_m, "level": level,
            "layers": layers, "layer_names": [{"code": x, "label": layer_label(x)} for x in PUBLIC_LAYERS],
            "zones": rows, "synthetic": c.synthetic,
            "map": {"zones": f"/geo/{level if names else map_level(ctx)}.geojson", "streets": basemap_streets(ctx)},
            "links": {"page": f"/mapping/{c.code}/public", "json": f"/mapping/{c.code}/public.json"}}

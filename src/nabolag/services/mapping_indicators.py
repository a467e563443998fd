"""Indicators from children's maps stored as observations (method ``map``), per zone and per programme area:
unsafe places (avoided, felt unsafe, or traffic dangers) per km², and the share of routes walked or cycled.
``n`` is the number of distinct contributors behind a figure, so ``export.published`` suppresses small
ones as for any figure."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import shapely

from nabolag.domain.indicators import Direction, Indicator, Kind, Method
from nabolag.errors import InputError
from nabolag.i18n import _
from nabolag.services import indicators as indicator_service
from nabolag.services import observations
from nabolag.services import zones as zone_service
from nabolag.services.context import Context
from nabolag.services.mapping_aggregate import contributions_frame, route_share, to_metres
from nabolag.services.mapping_base import campaign_audit

UNSAFE = "barnetrakk_utrygge_steder_per_km2"
WALK_BIKE = "barnetrakk_andel_gange_sykkel"


def _indicators(synthetic: bool) -> list[Indicator]:
    return [
        Indicator(code=UNSAFE, name_nb="Steder barn unngår, er utrygge eller opplever farlig trafikk, per km²",
                  name_en="Places children avoid, feel unsafe or find traffic dangerous, per km²", unit="per km²",
                  direction=Direction.LOWER_IS_BETTER, kind=Kind.RESULT, method=Method.MAP, source="Barnetråkk",
                  numerator="steder (unngår/utrygt/trafikkfare)", denominator="km²", synthetic=synthetic,
                  definition="Merkede steder i kategoriene unngår/utrygt og trafikkfare delt på sonens areal; "
                             "n er antall ulike barn."),
        Indicator(code=WALK_BIKE, name_nb="Andel av barnas ruter som gås eller sykles",
                  name_en="Share of children's routes walked or cycled", unit="prosent",
                  direction=Direction.HIGHER_IS_BETTER, kind=Kind.RESULT, method=Method.MAP, source="Barnetråkk",
                  numerator="ruter til fots eller på sykkel", denominator="ruter", synthetic=synthetic,
                  definition="Ruter som berører sonen; n er antall ulike barn."),
    ]


def _figures(frame: pd.DataFrame, shape_m: shapely.Geometry) -> list[dict[str, object]]:
    inside = frame[[shape_m.intersects(g) for g in frame["geometry"]]]
    km2 = shape_m.area / 1e6
    unsafe = inside[inside["category"].isin(["avoid", "traffic"]) & inside["geometry"].map(shape_m.contains)]
    out: list[dict[str, object]] = []
    if km2 > 0:
        out.append({"indicator": UNSAFE, "value": round(len(unsafe) / km2, 3), "numerator": float(len(unsafe)),
                    "denominator": round(km2, 4), "n": int(unsafe["who"].nunique())})
    share, routes = route_share(inside)
    if share is not None:
        walked = inside[(inside["kind"] == "route") & inside["mode"].isin(["walk", "bike"])]
        out.append({"indicator": WALK_BIKE, "value": round(share, 3), "numerator": float(len(walked)),
                    "denominator": float(routes), "n": int(inside[inside["kind"] == "route"]["who"].nunique())})
    return out


def store_map_indicators(ctx: Context, campaigns: Sequence[str], period: str, level: str = "delbydel",
                         synthetic: bool = False) -> int:
    """Compute and store the map indicators for every zone of ``level`` with contributions and every
    programme area (its member zones); returns the number of observations."""
    ctx.require_write()
    if not period or len(period) > 24:
        raise InputError(_("Perioden må ha 1–24 tegn, f.eks. 2025"))
    frame = contributions_frame(ctx, campaigns)
    rows: list[dict[str, object]] = []
    shapes: dict[str, shapely.Geometry] = {}
    for z in zone_service.list_zones(ctx, level=level, with_geometry=True):
        if z.geometry:
            shapes[z.code] = to_metres(shapely.make_valid(shapely.from_wkb(z.geometry)))
            if frame.empty or not any(shapes[z.code].intersects(g) for g in frame["geometry"]):
                continue
            rows += [r | {"zone": z.code} for r in _figures(frame, shapes[z.code])]
    zone_rows = pd.DataFrame(rows)
    area_rows = []
    for a in zone_service.list_areas(ctx):
        members = [shapes[c] for c in a.zone_codes if c in shapes]
        if members and not frame.empty:
            area_rows += [r | {"area": a.code} for r in _figures(frame, shapely.union_all(members))]
    indicator_service.define_indicators(ctx, _indicators(synthetic))
    source = _("Barnetråkk: {campaigns}", campaigns=", ".join(campaigns))[:300]
    for part in (zone_rows, pd.DataFrame(area_rows)):
        if not part.empty:
            observations.load_frame(ctx, part.assign(period=period, groups=""), file_name="map:" + ",".join(campaigns),
                                    replace=True, source=source)
    with ctx.store.transaction() as conn:
        for c in campaigns:
            campaign_audit(conn, ctx, "indicators", c, {"period": period, "observations": len(rows) + len(area_rows)})
    return len(rows) + len(area_rows)

"""Aggregates of children's contributions (issue 7, stage 2): heat maps on a hexagon grid, counts per zone
and around a measure, the share of routes walked or cycled. **Public layers are aggregates only**: every
figure counts distinct contributors (the participant id, or the contribution itself when the child's
device sent none) and a cell or zone with fewer than the suppression threshold (settings, default 5) is
dropped from a heat map and shown as None in a count, so no single child's route or place can be read.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import numpy as np
import pandas as pd
import shapely
from pyproj import Transformer

from nabolag.analysis.hexgrid import cell_polygon, line_cells, point_cells, protect
from nabolag.domain.mapping import PlaceCategory
from nabolag.errors import InputError
from nabolag.i18n import _
from nabolag.services.context import Context
from nabolag.services.mapping_base import campaign_row
from nabolag.services.measure_location import BUFFER_M, METRIC_CRS
from nabolag.store import mapping as repo

LAYERS = ("route", "walk_bike", *[c.value for c in PlaceCategory], "unsafe")
"""Heat-map layers: all routes, routes walked or cycled, each place category, and ``unsafe`` (places avoided
or felt unsafe together with traffic dangers)."""
_TO_M = Transformer.from_crs("EPSG:4326", METRIC_CRS, always_xy=True)
_TO_DEG = Transformer.from_crs(METRIC_CRS, "EPSG:4326", always_xy=True)


def to_metres(geom: shapely.Geometry) -> shapely.Geometry:
    return shapely.transform(geom, lambda xy: np.column_stack(_TO_M.transform(xy[:, 0], xy[:, 1])))


def contributions_frame(ctx: Context, campaigns: Sequence[str]) -> pd.DataFrame:
    """One row per contribution of these campaigns: ``who`` (distinct contributor key), ``kind``, ``mode``,
    ``purpose``, ``category``, ``grade_group``, ``campaign`` and ``geometry`` (shapely, EPSG:25833)."""
    with ctx.store.read() as conn:
        ids = [int(campaign_row(conn, c)["id"]) for c in campaigns]
        rows = repo.list_contributions(conn, ids)
    frame = pd.DataFrame(rows, columns=["id", "campaign", "grade_group", "kind", "geometry", "mode", "purpose",
                                        "category", "participant"])
    frame["who"] = [f"{c}:{p}" if p else f"#{i}" for c, p, i in
                    zip(frame["campaign"], frame["participant"], frame["id"], strict=True)]
    frame["geometry"] = [to_metres(shapely.from_wkb(g)) for g in frame["geometry"]]
    return frame


def _layer(frame: pd.DataFrame, layer: str) -> pd.DataFrame:
    if layer not in LAYERS:
        raise InputError(_("Ukjent kartlag «{layer}»; forventet en av {layers}", layer=layer, layers=", ".join(LAYERS)))
    if layer == "route":
        return frame[frame["kind"] == "route"]
    if layer == "walk_bike":
        return frame[(frame["kind"] == "route") & frame["mode"].isin(["walk", "bike"])]
    if layer == "unsafe":
        return frame[frame["category"].isin(["avoid", "traffic"])]
    return frame[frame["category"] == layer]


def heatmap(ctx: Context, campaigns: Sequence[str], layer: str, size_m: float = 250.0) -> dict[str, object]:
    """A GeoJSON FeatureCollection (EPSG:4326) of hexagons with ``contributors`` (distinct children) for one
    layer; hexagons under the suppression threshold are left out. Safe for a public page."""
    if not 50 <= size_m <= 5000:
        raise InputError(_("Sekskantstørrelsen må være 50–5000 m"))
    part = _layer(contributions_frame(ctx, campaigns), layer)
    who: dict[tuple[int, int], list[str]] = defaultdict(list)
    for geom, key in zip(part["geometry"], part["who"], strict=True):
        if geom.geom_type == "Point":
            cells = {tuple(point_cells([geom.x], [geom.y], size_m)[0].tolist())}
        else:
            cells = line_cells(shapely.get_coordinates(geom), size_m)
        for cell in cells:
            who[cell].append(key)  # type: ignore[index]
    kept = protect(who, ctx.settings.suppression_threshold)
    features = []
    for (q, r), n in sorted(kept.items()):
        ring = np.array(cell_polygon(q, r, size_m))
        lon, lat = _TO_DEG.transform(ring[:, 0], ring[:, 1])
        features.append({"type": "Feature", "properties": {"q": q, "r": r, "contributors": n},
                         "geometry": {"type": "Polygon", "coordinates": [[[round(float(x), 6), round(float(y), 6)]
                                                                           for x, y in zip(lon, lat, strict=True)]]}})
    return {"type": "FeatureCollection", "layer": layer, "size_m": size_m,
            "threshold": ctx.settings.suppression_threshold, "features": features}


def counts_in(frame: pd.DataFrame, shape_m: shapely.Geometry, threshold: int) -> dict[str, int | None]:
    """Distinct contributors per layer whose contribution touches ``shape_m`` (metres); None under the
    threshold."""
    inside = frame[[shape_m.intersects(g) for g in frame["geometry"]]] if len(frame) else frame
    out: dict[str, int | None] = {}
    for layer in LAYERS:
        n = int(_layer(inside, layer)["who"].nunique()) if len(inside) else 0
        out[layer] = n if n >= threshold or n == 0 else None
    return out


def zone_counts(ctx: Context, campaigns: Sequence[str], level: str = "delbydel") -> dict[str, dict[str, int | None]]:
    """Per zone of ``level``: distinct contributors per layer (None under the threshold, 0 for none)."""
    from nabolag.services import zones as zone_service

    frame = contributions_frame(ctx, campaigns)
    out = {}
    for z in zone_service.list_zones(ctx, level=level, with_geometry=True):
        if z.geometry:
            found = counts_in(frame, to_metres(shapely.from_wkb(z.geometry)), ctx.settings.suppression_threshold)
            if any(v != 0 for v in found.values()):
                out[z.code] = found
    return out


def measure_surroundings(ctx: Context, campaigns: Sequence[str], area: str, measure: str,
                         buffer_m: float = BUFFER_M) -> dict[str, int | None]:
    """Distinct contributors per layer within ``buffer_m`` (the programme's 200 m rule) of a measure."""
    from nabolag.services.programme import get_measure

    m = get_measure(ctx, area, measure)
    if not m.geometry:
        raise InputError(_("Tiltaket {code} har ingen plassering", code=measure))
    shape = to_metres(shapely.from_wkb(m.geometry)).buffer(buffer_m)
    return counts_in(contributions_frame(ctx, campaigns), shape, ctx.settings.suppression_threshold)


def route_share(frame: pd.DataFrame, modes: Sequence[str] = ("walk", "bike")) -> tuple[float | None, int]:
    """Per cent of routes travelled in ``modes`` and the number of routes (None without routes)."""
    routes = frame[frame["kind"] == "route"]
    if routes.empty:
        return None, 0
    return float(100.0 * routes["mode"].isin(list(modes)).mean()), int(len(routes))

"""The map layer of walking distance to the nearest facility of a kind (issue 8), as GeoJSON.

Three layers from one computation (the same one :mod:`nabolag.services.access_compute` stores, on the
newest network, for one kind):

- ``edges``: the network's streets and paths coloured by the walking distance to each one's mid-point,
  one feature per class (:mod:`nabolag.services.access_edges`); no people, nothing to protect. A view
  with too many edges (``too_many``) gets none: the page shows the nodes until it is zoomed in.

- ``nodes``: every network node coloured by its distance along the network; no people are shown, so
  nothing needs protection. Thinned to the zoom: nodes are binned into squares of :data:`THIN_PX`
  screen pixels and each square becomes one dot at the mean position of its nodes with the **median**
  distance of its nodes (``n`` = how many nodes it stands for).
- ``people``: the population points (grid cell centres, at the grid's own resolution), each with its
  walking distance (the walk to its node plus the network). A public page gets the distance class
  only; signed-in staff also get the cell's population, except where it is below the suppression
  threshold (then ``population`` is ``null`` and ``suppressed`` is true).

Distances are in classes 0–300, 300–500, 500–1000, 1000–cap and beyond the cap (a distance equal to a
limit belongs to the lower class, as ``within_{t}m`` counts ``d <= t``). With a scenario, the distances
are those *after* it (its paths on a copy of the network, its planned facilities added), and each
feature also carries the distance before and whether it got shorter. Results are kept per database and
data version (:func:`nabolag.services.maps.cached`), so a new computation or scenario is seen at once.
"""

from __future__ import annotations

import json
import math

import numpy as np
import shapely

from nabolag.domain.access import DEFAULT_MAX_DISTANCE_M, check_kind
from nabolag.errors import InputError, NotFoundError
from nabolag.i18n import _
from nabolag.services import mapping_streets, maps
from nabolag.services.access_distances import Distances, compute_distances, shorter
from nabolag.services.access_edges import edge_layer
from nabolag.services.context import Context
from nabolag.store import access as repo

LIMITS_M = (300, 500, 1000)
THIN_PX = 6
MIN_CAP_M, MAX_CAP_M = 1000.0, 5000.0
LAYERS = ("nodes", "people", "edges")


def distance_class(d: np.ndarray, cap: float) -> np.ndarray:
    """0 (≤ 300 m), 1 (≤ 500), 2 (≤ 1000), 3 (≤ cap), 4 (beyond the cap: ``inf`` or above ``cap``).

    >>> distance_class(np.array([0.0, 300, 300.5, 500, 999, 1000, 1500, np.inf]), 2000).tolist()
    [0, 0, 1, 1, 2, 2, 3, 4]
    """
    d = np.asarray(d, dtype=float)
    out = np.searchsorted(np.array(LIMITS_M, dtype=float), d, side="left")
    out[~np.isfinite(d) | (d > cap)] = 4
    return out.astype(np.int64)


def legend(cap: float) -> list[dict[str, object]]:
    """The five classes with their limits in metres and a label."""
    edges = [0, *LIMITS_M, cap]
    out = [{"class": i, "low_m": edges[i], "high_m": edges[i + 1],
            "label": _("{low}–{high} m", low=f"{edges[i]:,.0f}".replace(",", " "),
                       high=f"{edges[i + 1]:,.0f}".replace(",", " "))} for i in range(4)]
    out.append({"class": 4, "low_m": cap, "high_m": None,
                "label": _("over {cap} m (eller ikke nådd)", cap=f"{cap:,.0f}".replace(",", " "))})
    return out


def check_cap(cap: float | None) -> float:
    if cap is None:
        return DEFAULT_MAX_DISTANCE_M
    if not MIN_CAP_M <= cap <= MAX_CAP_M or not math.isfinite(cap):
        raise InputError(_("cap må være mellom {low:.0f} og {high:.0f} meter, ikke {cap}", low=MIN_CAP_M,
                           high=MAX_CAP_M, cap=cap))
    return float(round(cap / 100) * 100)  # whole 100 m: a free float would make each request a new search


def parse_bbox(text: str | None) -> tuple[float, float, float, float] | None:
    """``west,south,east,north`` in degrees, or ``None``; anything else is a 422 naming ``bbox``."""
    if not text:
        return None
    try:
        w, s, e, n = (float(x) for x in text.split(","))
    except ValueError:
        raise InputError(_("bbox må være vest,sør,øst,nord i grader, ikke «{bbox}»", bbox=text[:80])) from None
    if not (-180 <= w < e <= 180 and -90 <= s < n <= 90):
        raise InputError(_("bbox må være vest,sør,øst,nord i grader, ikke «{bbox}»", bbox=text[:80]))
    return w, s, e, n


def pixel_degrees(zoom: int, latitude: float) -> tuple[float, float]:
    """One screen pixel at ``zoom`` in degrees of longitude and (at ``latitude``) of latitude."""
    lon = 360.0 / (maps.TILE_PIXELS * 2**zoom)
    return lon, lon * math.cos(math.radians(latitude))


def thin(lonlat: np.ndarray, values: np.ndarray, zoom: int, extra: np.ndarray | None = None
         ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray | None]:
    """One dot per square of :data:`THIN_PX` pixels: mean position, median value, node count (and the
    median of ``extra``). ``inf`` sorts last, so a square where most nodes are beyond the cap is beyond it.

    >>> ll = np.array([[10.0, 60.0], [10.00001, 60.0], [10.5, 60.0]])
    >>> pos, med, n, _ = thin(ll, np.array([100.0, 300.0, np.inf]), 12)
    >>> med.tolist(), n.tolist()
    ([100.0, inf], [2, 1])
    """
    if len(lonlat) == 0:
        return lonlat, values, np.empty(0, dtype=np.int64), extra
    px, py = pixel_degrees(zoom, float(np.mean(lonlat[:, 1])))
    cell = np.floor(lonlat / np.array([px * THIN_PX, py * THIN_PX])).astype(np.int64)
    _, key = np.unique(cell, axis=0, return_inverse=True)
    key = key.ravel()
    order = np.lexsort((values, key))
    counts = np.bincount(key)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    median = values[order][starts + (counts - 1) // 2]
    pos = np.column_stack([np.bincount(key, weights=lonlat[:, 0]), np.bincount(key, weights=lonlat[:, 1])])
    pos /= counts[:, None]
    extra_median = None
    if extra is not None:
        filled = np.where(np.isnan(extra), np.inf, extra)
        order_e = np.lexsort((filled, key))
        extra_median = filled[order_e][starts + (counts - 1) // 2]
    return pos, median, counts, extra_median


def _within(lonlat: np.ndarray, bbox: tuple[float, float, float, float] | None) -> np.ndarray:
    if bbox is None:
        return np.ones(len(lonlat), dtype=bool)
    w, s, e, n = bbox
    return (lonlat[:, 0] >= w) & (lonlat[:, 0] <= e) & (lonlat[:, 1] >= s) & (lonlat[:, 1] <= n)


def _metres(d: float) -> float | None:
    return None if not math.isfinite(d) else round(float(d), 1)


def _features(lonlat: np.ndarray, after: np.ndarray, before: np.ndarray | None, cap: float,
              props: list[dict[str, object]], digits: int) -> list[dict[str, object]]:
    cls = distance_class(after, cap)
    cls_before = distance_class(before, cap) if before is not None else None
    improved = shorter(after, before) if before is not None else None
    out = []
    for i in range(len(lonlat)):
        p: dict[str, object] = {"d": _metres(after[i]), "class": int(cls[i]), **props[i]}
        if before is not None and cls_before is not None and improved is not None:
            p.update({"d_before": _metres(before[i]), "class_before": int(cls_before[i]),
                      "improved": bool(improved[i])})
        out.append({"type": "Feature", "geometry": {"type": "Point", "coordinates": [
            round(float(lonlat[i, 0]), digits), round(float(lonlat[i, 1]), digits)]}, "properties": p})
    return out


def distance_layer(ctx: Context, kind: str, scenario: str | None = None,
                   bbox: tuple[float, float, float, float] | None = None, zoom: int | None = None,
                   layer: str = "nodes", cap: float | None = None) -> dict[str, object]:
    """GeoJSON FeatureCollection (EPSG:4326) of distance to the nearest ``kind``: see the module text."""
    if layer not in LAYERS:
        raise InputError(_("layer må være {valid}, ikke «{layer}»", valid=" eller ".join(LAYERS), layer=layer[:40]))
    if zoom is not None:
        maps.check_zoom(zoom)
    cap = check_cap(cap)
    version = maps.data_version(ctx)
    dist = maps.cached(ctx, "access-distances", (kind, scenario, cap),
                       lambda: compute_distances(ctx, kind, scenario, cap), version)
    if layer == "edges":
        assert dist.edge_m is not None
        if bbox is not None:  # whole tiles and rounded outward, as the streets basemap
            bbox = mapping_streets.box_for(bbox, zoom) if zoom is not None else mapping_streets.outward(bbox, 6)
        labels = {int(c["class"]): str(c["label"]) for c in legend(cap)}  # type: ignore[call-overload]
        features, too_many = edge_layer(ctx, dist, distance_class(dist.edge_m, cap), labels, bbox, zoom)
        return _collection(kind, layer, scenario, cap, zoom, bbox, dist, features) | {"too_many": too_many}
    digits = 5 if zoom is None else max(5, min(7, -int(math.floor(math.log10(maps.tolerance(zoom, 60.0) / 2)))))
    if layer == "nodes":
        keep = _within(dist.node_lonlat, bbox)
        lonlat, after = dist.node_lonlat[keep], dist.node_m[keep]
        before = dist.node_before[keep] if dist.node_before is not None else None
        if zoom is not None:
            lonlat, after, counts, before = thin(lonlat, after, zoom, before)
        else:
            counts = np.ones(len(lonlat), dtype=np.int64)
        props: list[dict[str, object]] = [{"n": int(c)} for c in counts]
    else:
        keep = _within(dist.people_lonlat, bbox)
        lonlat, after = dist.people_lonlat[keep], dist.people_m[keep]
        before = dist.people_before[keep] if dist.people_before is not None else None
        props = [_population(ctx, w) for w in dist.people_weight[keep]]
    features = _features(lonlat, after, before, cap, props, digits)
    return _collection(kind, layer, scenario, cap, zoom, bbox, dist, features)


def _collection(kind: str, layer: str, scenario: str | None, cap: float, zoom: int | None,
                bbox: tuple[float, float, float, float] | None, dist: Distances,
                features: list[dict[str, object]]) -> dict[str, object]:
    return {"type": "FeatureCollection", "kind": kind, "layer": layer, "scenario": scenario, "cap_m": cap,
            "zoom": zoom, "bbox": list(bbox) if bbox else _bbox(dist.node_lonlat), "classes": legend(cap),
            "network": dist.network, "thin_px": THIN_PX if layer == "nodes" and zoom is not None else None,
            "attribution": "© OpenStreetMap contributors (ODbL)", "features": features}


def _population(ctx: Context, weight: float) -> dict[str, object]:
    """A population point's count: none on public pages; staff see it unless it is a small cell."""
    if ctx.is_public:
        return {}
    small = weight < ctx.settings.suppression_threshold
    return {"population": None if small else round(float(weight)), "suppressed": bool(small)}


def _bbox(lonlat: np.ndarray) -> list[float]:
    if not len(lonlat):
        return []
    return [round(float(v), 5) for v in (*lonlat.min(axis=0), *lonlat.max(axis=0))]


def facilities_layer(ctx: Context, kind: str | None = None, scenario: str | None = None) -> dict[str, object]:
    """Facilities as points (an area at a point on its surface, with ``area: true``), the scenario's
    planned ones too when it is given (``planned: true``); and the scenario's new paths as lines."""
    kinds = [check_kind(kind)] if kind else None
    with ctx.store.read() as conn:
        sid = repo.scenario_id(conn, scenario) if scenario else None
        if scenario and sid is None:
            raise NotFoundError(_("Scenarioet «{code}» finnes ikke", code=scenario))
        rows = repo.list_facilities(conn, kinds, scenario_id=sid)
        paths = repo.scenario_paths(conn, sid) if sid is not None else []
    features = []
    for r in rows:
        g = shapely.from_wkb(bytes(r["geometry"]))  # type: ignore[arg-type]
        p = g if g.geom_type == "Point" else shapely.point_on_surface(g)
        features.append({"type": "Feature", "geometry": {"type": "Point", "coordinates": [
            round(p.x, 6), round(p.y, 6)]}, "properties": {
            "kind": r["kind"], "name": r["name"] or "", "source": r["source"], "area": g.geom_type != "Point",
            "planned": r["scenario_id"] is not None}})
    for g in (shapely.from_wkb(p) for p in paths):
        features.append({"type": "Feature", "geometry": json.loads(shapely.to_geojson(g)),
                         "properties": {"kind": "path", "planned": True, "name": ""}})
    return {"type": "FeatureCollection", "kind": kind, "scenario": scenario, "features": features}

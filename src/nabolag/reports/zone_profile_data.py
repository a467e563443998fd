"""What a zone profile shows, as a plain dict: the zone, its map, its index values, and per indicator the
latest published figure for the zone, its parent and the city with the zones' spread.

The figures come from :func:`nabolag.services.views_zone.zone_page` (published figures only: small-cell
protection, rounded counts, intervals worked out from published counts). What every profile of a run
shares (zone shapes, the spread of each indicator over the zones of a level, the index runs) is read once
per process in :class:`Shared`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import shapely

from nabolag.domain.indicators import Indicator
from nabolag.domain.zones import Zone
from nabolag.i18n import _
from nabolag.reports.svgmap import zones_svg
from nabolag.reports.zone_profile_charts import spine_svg, spread, verdict, verdict_label
from nabolag.services import indicators as indicator_service
from nabolag.services import observations, overview, zones
from nabolag.services.context import Context
from nabolag.services.export import published
from nabolag.services.population import POPULATION
from nabolag.services.views_common import num
from nabolag.services.views_zone import zone_page

#: Order of the indicator groups in the table (by method of measurement); others follow by name.
METHOD_ORDER = ("register", "survey", "map", "count", "observation", "network")
#: How much of the zone's width is shown around it on the map, on each side.
MAP_MARGIN = 0.6
#: The map's size in SVG pixels (the print CSS scales it to the column).
MAP_SIZE = (320, 230)


@dataclass
class Shared:
    """Data every profile of one run uses, read once per process."""

    ctx: Context
    by_code: dict[str, Zone] = field(init=False)
    indicators: list[Indicator] = field(init=False)  # for the method note's suppression rules
    _shapes: dict[str, tuple[list[str], np.ndarray, shapely.STRtree]] = field(default_factory=dict)
    _spreads: dict[tuple[str, str, str], dict[str, float] | None] = field(default_factory=dict)
    _levels: set[str] = field(default_factory=set)
    _index: dict[str, list[dict[str, object]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.by_code = {z.code: z for z in zones.list_zones(self.ctx, with_geometry=True)}
        self.indicators = indicator_service.list_indicators(self.ctx)

    def shapes(self, level: str) -> tuple[list[str], np.ndarray, shapely.STRtree]:
        """Codes and shapes (EPSG:4326) of the zones of ``level`` that have one, with a search tree."""
        if level not in self._shapes:
            found = [z for z in self.by_code.values() if str(z.level) == level and z.geometry]
            geoms = shapely.from_wkb(np.array([z.geometry for z in found], dtype=object))
            self._shapes[level] = ([z.code for z in found], geoms, shapely.STRtree(geoms))
        return self._shapes[level]

    def spread(self, indicator: str, level: str, period: str) -> dict[str, float] | None:
        """Lowest, quartiles and highest of the published values of ``indicator`` over the zones of
        ``level`` in ``period`` (read for every indicator's latest period of the level at once)."""
        if level not in self._levels:
            self._levels.add(level)
            self._read_spreads(level, None)
        if (indicator, level, period) not in self._spreads:
            self._read_spreads(level, (indicator, period))
        return self._spreads.get((indicator, level, period))

    def _read_spreads(self, level: str, only: tuple[str, str] | None) -> None:
        if only is None:
            rows = observations.query(self.ctx, level=level, groups="")
            if rows.empty:
                return
            latest = rows.groupby("indicator")["period"].transform("max")
            rows = rows[rows["period"] == latest]
        else:
            rows = observations.query(self.ctx, level=level, groups="", indicators=[only[0]], periods=[only[1]])
            self._spreads[(only[0], level, only[1])] = None
        if rows.empty:
            return
        pub = published(self.ctx, rows)
        for (ind, period), g in pub.groupby(["indicator", "period"]):
            self._spreads[(str(ind), level, str(period))] = spread(g["value"].to_numpy(dtype=float))

    def index(self, level: str) -> list[dict[str, object]]:
        """Every index computed at ``level``: its name, latest period and a frame of value, score, rank."""
        if level not in self._index:
            items = []
            for m in overview.measures(self.ctx, level)["index"]:
                data = overview.measure_values(self.ctx, level, m, None)
                frame: pd.DataFrame = data["frame"]  # type: ignore[assignment]
                items.append({"measure": m, "period": data["period"], "frame": frame,
                              "ranked": int(np.isfinite(frame["value"].to_numpy(dtype=float)).sum())})
            self._index[level] = items
        return self._index[level]


def index_rows(shared: Shared, code: str, level: str) -> list[dict[str, object]]:
    out = []
    for item in shared.index(level):
        m, frame = item["measure"], item["frame"]
        if code not in frame.index:  # type: ignore[operator]
            continue
        row = frame.loc[code]  # type: ignore[attr-defined]
        score = num(row["score"])
        out.append({"code": m.code, "name": m.name, "period": item["period"], "value": num(row["value"]),  # type: ignore[attr-defined]
                    "score": None if score is None else int(score), "rank": num(row["rank"]),
                    "ranked": item["ranked"], "challenged_score": m.challenged_score,  # type: ignore[attr-defined]
                    "challenged": bool(score is not None and m.challenged_score and score >= m.challenged_score)})  # type: ignore[attr-defined]
    return out


def _map(shared: Shared, zone: Zone, title: str) -> str:
    """The zone (highlighted) among the zones of its level around it, cut to a frame around it."""
    codes, geoms, tree = shared.shapes(str(zone.level))
    if zone.code not in codes:
        return zones_svg([], MAP_SIZE[0], MAP_SIZE[1], title)
    own = geoms[codes.index(zone.code)]
    x0, y0, x1, y1 = own.bounds
    dx, dy = (x1 - x0) * MAP_MARGIN + 0.002, (y1 - y0) * MAP_MARGIN + 0.002
    frame = (x0 - dx, y0 - dy, x1 + dx, y1 + dy)
    box = shapely.box(*frame)
    features: list[dict[str, object]] = []
    for i in tree.query(box, predicate="intersects"):
        z = shared.by_code[codes[i]]
        if z.code != zone.code:
            features.append({"code": z.code, "name": z.name, "role": "context",
                             "geometry": shapely.clip_by_rect(geoms[i], *frame)})
    features.append({"code": zone.code, "name": zone.name, "role": "highlight", "geometry": own,
                     "label": zone.name})
    return zones_svg(features, MAP_SIZE[0], MAP_SIZE[1], title)


def _latest(ind: dict[str, object]) -> dict[str, object] | None:
    """The newest period in which the zone has a figure (published or suppressed)."""
    series = [s for s in ind["series"] if s.get("zone")]  # type: ignore[attr-defined]
    return series[-1] if series else None


def _row(shared: Shared, ind: dict[str, object], level: str) -> dict[str, object] | None:
    latest = _latest(ind)
    if latest is None:
        return None
    zone, parent, city = latest["zone"], latest.get("parent"), latest.get("city")
    city_value = city["value"] if city and not city["suppressed"] else None  # type: ignore[index]
    value = None if zone["suppressed"] else zone["value"]  # type: ignore[index]
    low, high = (None, None) if zone["suppressed"] else (zone["ci_low"], zone["ci_high"])  # type: ignore[index]
    direction = str(ind["direction"]) if ind["compared"] else "neutral"
    v = verdict(value, low, high, city_value, direction)  # type: ignore[arg-type]
    dist = shared.spread(str(ind["code"]), level, str(latest["period"])) if ind["compared"] else None
    label = _("{name}: sonen {verdict}", name=ind["name"], verdict=verdict_label(v))
    chart = spine_svg(value=value, low=low, high=high, city=city_value, dist=dist, direction=direction,  # type: ignore[arg-type]
                      label=label) if ind["compared"] else ""
    return {"code": ind["code"], "name": ind["name"], "unit": ind["unit"], "method": ind["method"],
            "method_label": ind["method_label"], "direction_label": ind["direction_label"],
            "period": latest["period"], "zone": zone, "parent": parent, "city": city, "compared": ind["compared"],
            "verdict": v, "verdict_label": verdict_label(v), "chart": chart, "source": ind["source"],
            "synthetic": ind["synthetic"]}


def _group_key(row: dict[str, object]) -> tuple[int, str]:
    method = str(row["method"])
    return (METHOD_ORDER.index(method) if method in METHOD_ORDER else len(METHOD_ORDER), str(row["name"]))


def profile_data(ctx: Context, code: str, shared: Shared | None = None) -> dict[str, object]:
    """Everything a zone profile shows (see the module docstring)."""
    shared = shared or Shared(ctx)
    page = zone_page(ctx, code)
    zone = shared.by_code[str(page["zone"]["code"])]  # type: ignore[index]
    level = str(zone.level)
    population, rows = None, []
    for ind in page["indicators"]:  # type: ignore[attr-defined]
        if ind["code"] == POPULATION.code:
            latest = _latest(ind)
            population = {"period": latest["period"], **latest["zone"]} if latest else None  # type: ignore[dict-item]
            continue
        row = _row(shared, ind, level)
        if row is not None:
            rows.append(row)
    rows.sort(key=_group_key)
    groups: list[dict[str, object]] = []
    for row in rows:
        if not groups or groups[-1]["method"] != row["method"]:
            groups.append({"method": row["method"], "label": row["method_label"], "rows": []})
        groups[-1]["rows"].append(row)  # type: ignore[attr-defined]
    sources = sorted({str(r["source"]) for r in rows if r["source"]} | (
        {POPULATION.source} if population else set()))
    title = _("{zone} ({level}) og sonene rundt", zone=zone.name, level=page["zone"]["level_label"])  # type: ignore[index]
    return {"zone": page["zone"], "places": page["places"], "areas": page["areas"], "population": population,
            "index": index_rows(shared, zone.code, level), "groups": groups, "rows": len(rows),
            "suppressed": sum(1 for r in rows if r["zone"]["suppressed"]),  # type: ignore[index]
            "access": page["access"], "map_svg": _map(shared, zone, title), "map_title": title,
            "sources": sources, "synthetic": bool(page["synthetic"]), "note": page["note"]}

"""Checks on a drawn route or place: readable, sane, not huge, and where it may be.

Pure functions on shapely geometries in EPSG:4326 (longitude, latitude). Lengths are geodesic
(``pyproj.Geod`` on the GRS80 ellipsoid), so no projection is needed.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import shapely
from pyproj import Geod

from nabolag.i18n import _

MAX_VERTICES = 2_000
"""A route with more points than this is refused (a drawn route to school has tens to a few hundred)."""
MAX_ROUTE_M = 30_000.0
"""A route longer than this (30 km) is refused: no child's everyday route is that long."""
MIN_ROUTE_M = 5.0
"""A route shorter than this is a slip of the finger, not a route."""
_GEOD = Geod(ellps="GRS80")


def from_geojson(data: object, expected: str) -> tuple[shapely.Geometry | None, str | None]:
    """A GeoJSON geometry (a mapping with ``type`` and ``coordinates``) as a shapely geometry of type
    ``expected`` (``LineString`` or ``Point``), or ``(None, why not)``.

    >>> from_geojson({"type": "Point", "coordinates": [10.87, 59.96]}, "Point")[0].wkt
    'POINT (10.87 59.96)'
    >>> from_geojson({"type": "LineString", "coordinates": [[10.87, 59.96]]}, "LineString")[1]
    'en rute må ha minst to ulike punkter'
    """
    if not isinstance(data, Mapping):
        return None, _("forventet en GeoJSON-geometri")
    kind, coords = data.get("type"), data.get("coordinates")
    if kind != expected:
        return None, _("forventet geometritypen {expected}, fant «{found}»", expected=expected,
                       found=str(kind)[:40])
    if expected == "Point":
        pair = _pair(coords)
        if pair is None:
            return None, _("et punkt må være [lengdegrad, breddegrad] med tall")
        return shapely.Point(pair), _where_on_earth([pair])
    if not isinstance(coords, list) or len(coords) > MAX_VERTICES:
        if isinstance(coords, list):
            return None, _("ruten har {n} punkter; høyst {max} er tillatt", n=len(coords), max=MAX_VERTICES)
        return None, _("en rute må være en liste av [lengdegrad, breddegrad]")
    pairs = [_pair(c) for c in coords]
    if any(p is None for p in pairs):
        return None, _("en rute må være en liste av [lengdegrad, breddegrad] med tall")
    clean = [p for p in pairs if p is not None]
    if len(set(clean)) < 2:
        return None, _("en rute må ha minst to ulike punkter")
    return shapely.LineString(clean), _where_on_earth(clean)


def _pair(c: Any) -> tuple[float, float] | None:
    if not isinstance(c, list | tuple) or len(c) not in (2, 3):
        return None
    if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in c):
        return None
    x, y = float(c[0]), float(c[1])
    return (x, y) if math.isfinite(x) and math.isfinite(y) else None


def _where_on_earth(pairs: list[tuple[float, float]]) -> str | None:
    if any(not (-180 <= x <= 180 and -90 <= y <= 90) for x, y in pairs):
        return _("koordinatene må være lengde- og breddegrad (EPSG:4326)")
    return None


def route_length_m(line: shapely.LineString) -> float:
    """Geodesic length of a line in longitude/latitude, in metres.

    >>> round(route_length_m(shapely.LineString([(10.0, 60.0), (10.0, 60.01)])))
    1114
    """
    return float(_GEOD.geometry_length(line))


def route_problem(line: shapely.LineString) -> str | None:
    """Why a route cannot be stored (too short, too long, too many points), or None."""
    if shapely.get_num_coordinates(line) > MAX_VERTICES:
        return _("ruten har {n} punkter; høyst {max} er tillatt", n=shapely.get_num_coordinates(line),
                 max=MAX_VERTICES)
    length = route_length_m(line)
    if length > MAX_ROUTE_M:
        return _("ruten er {km} km lang; høyst {max} km er tillatt", km=round(length / 1000, 1),
                 max=int(MAX_ROUTE_M / 1000))
    if length < MIN_ROUTE_M:
        return _("ruten er bare {m} m lang; tegn hele veien", m=round(length, 1))
    return None


def outside(geom: shapely.Geometry, region: shapely.Geometry | None) -> bool:
    """True if ``geom`` is not wholly inside ``region`` (a prepared polygon; None: no limit)."""
    return region is not None and not shapely.covers(region, geom)


def region_of(wkbs: list[bytes]) -> shapely.Geometry | None:
    """The union of polygons (WKB), made valid and prepared for fast tests; None if there are none."""
    shapes = [shapely.make_valid(shapely.from_wkb(w)) for w in wkbs if w]
    if not shapes:
        return None
    region = shapely.union_all(shapes)
    shapely.prepare(region)
    return region

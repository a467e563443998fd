"""Where a measure is: its geometry must be a point, line or polygon inside the area's member zones.

A measure may reach a little past the area's edge (a footpath along the boundary, a gym just across
the road): :data:`BUFFER_M` metres, measured in EPSG:25833 (UTM 33N, the Norwegian national grid).
"""

from __future__ import annotations

from collections.abc import Iterable

import shapely
from pyproj import Transformer

from nabolag.i18n import _

BUFFER_M = 200.0
METRIC_CRS = "EPSG:25833"
ALLOWED_TYPES = ("Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon")


def _to_metres(geom: shapely.Geometry) -> shapely.Geometry:
    t = Transformer.from_crs("EPSG:4326", METRIC_CRS, always_xy=True)
    return shapely.transform(geom, lambda xy: list(zip(*t.transform(xy[:, 0], xy[:, 1]), strict=True)))


def check_location(geometry: bytes, zone_geometries: Iterable[bytes], buffer_m: float = BUFFER_M) -> str | None:
    """Why ``geometry`` (WKB, EPSG:4326) cannot be a measure's location in these zones, or None.

    >>> square = shapely.to_wkb(shapely.box(10.90, 59.94, 10.95, 59.96))
    >>> check_location(shapely.to_wkb(shapely.Point(10.92, 59.95)), [square]) is None
    True
    >>> "utenfor" in check_location(shapely.to_wkb(shapely.Point(10.70, 59.90)), [square])
    True
    """
    try:
        geom = shapely.from_wkb(geometry)
    except shapely.errors.GEOSException:
        return _("geometrien kan ikke leses")
    if geom is None or geom.is_empty or geom.geom_type not in ALLOWED_TYPES:
        return _("geometrien må være et punkt, en linje eller et område")
    if not geom.is_valid:
        return _("geometrien er ugyldig ({reason})", reason=shapely.is_valid_reason(geom))
    x0, y0, x1, y1 = geom.bounds
    if x0 < -180 or x1 > 180 or y0 < -90 or y1 > 90:
        return _("koordinatene må være lengde- og breddegrad (EPSG:4326)")
    shapes = [shapely.from_wkb(z) for z in zone_geometries if z]
    if not shapes:
        return _("området har ingen soner med geometri å plassere tiltaket i")
    allowed = _to_metres(shapely.union_all([shapely.make_valid(s) for s in shapes])).buffer(buffer_m)
    outside = _to_metres(geom).difference(allowed)
    if not outside.is_empty:
        return _("geometrien ligger utenfor områdets soner (mer enn {m} m fra kanten)", m=int(buffer_m))
    return None

"""Streets as drawn data: the walking network's edges in a bounding box as GeoJSON (WGS84), simplified for
a zoom. The map pages draw them under the zones as their basemap when no tile service is set (issue 7).

The edges come from the newest network (``nabolag access build --osm FILE``), each with its own shape
(its bends; a network built before shapes were kept is drawn straight from node to node). A request names
a bounding box and a zoom:

- the box is widened to whole 256-pixel tiles of that zoom, so neighbouring views ask for the same box
  and the answer can be kept (:func:`snap_bbox`); what comes back lies inside the widened box
  (``bbox`` member), and an edge that crosses its border is cut at it;
- each edge is simplified to half a screen pixel (Douglas–Peucker) and its coordinates rounded to the
  largest power of ten not above half of that (:func:`nabolag.services.maps.grid_size`, five decimals
  at zoom 12–15 in the Nordics, six from zoom 16); an edge shorter than that vanishes, which is below a
  pixel on screen;
- edges that meet end to end where no third one joins are drawn as one line (fewer repeated vertices);
  all the lines are one ``MultiLineString`` feature: one path for the browser to draw, and no per-edge
  overhead in the payload;
- below :data:`MIN_ZOOM`, or when the box holds more than :data:`MAX_EDGES` edges, the answer is empty
  (``too_many`` says which): a whole city's streets at once are a grey smear and megabytes heavy; the
  page shows the zones alone until the reader zooms in.

The edges of a network in WGS84 are kept in memory per network (:func:`street_lines`), and the web route
keeps the answers per network, zoom and the box they cover (:func:`box_for`: whole tiles, so the boxes of a
panning map share them), so a class of thirty children opening the same map costs one computation.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass

import numpy as np
import shapely
from pyproj import Transformer

from nabolag.analysis.access_network import Network, edge_coordinates
from nabolag.errors import InputError
from nabolag.i18n import _
from nabolag.services import maps
from nabolag.services.context import Context
from nabolag.store import access as repo

URL = "/geo/streets.geojson"
MIN_ZOOM = 12
MAX_EDGES = 40_000
"""At most this many edges in one answer: about 1.4 MB of GeoJSON (230 kB gzipped) in a dense city."""
MAX_TILES = 256
"""At most this many 256-pixel tiles in one answer (16 × 16: a 2560 × 1440 screen and a half on each side)."""
CACHE_VERSION = "network"
"""The kept answers are keyed by the network's id and build time, not by the data version: other data
changes do not change the streets."""


@dataclass(frozen=True)
class StreetLines:
    """Every edge of one network as a WGS84 line, with its bounds (``(m, 4)``: west, south, east, north)."""

    network: dict[str, object]
    lines: np.ndarray
    bounds: np.ndarray
    shaped: bool


def network_stamp(ctx: Context) -> tuple[int, str] | None:
    """The newest network's id and build time (what the kept answers are keyed by), or ``None``."""
    with ctx.store.read() as conn:
        return repo.network_stamp(conn)


def basemap_streets(ctx: Context) -> str | None:
    """The streets' URL for a map page's offline basemap: when no tile service is set (``basemap_url``) and a
    walking network is loaded; else ``None`` (the tiles are the basemap, or there is nothing to draw)."""
    if ctx.settings.basemap_url:
        return None
    return URL if network_stamp(ctx) is not None else None


def to_lonlat(net: Network, lonlat: np.ndarray) -> np.ndarray:
    """Every edge of ``net`` as a WGS84 LineString (the nodes' stored longitude and latitude, the bends
    transformed from the network's CRS)."""
    bends = net.bends
    if bends is not None and len(bends):
        t = Transformer.from_crs(net.crs, "EPSG:4326", always_xy=True)
        bends = np.column_stack(t.transform(bends[:, 0], bends[:, 1]))
    coords, index = edge_coordinates(net, node_xy=lonlat, bends=bends)
    return shapely.linestrings(coords, indices=index) if len(coords) else np.empty(0, dtype=object)


def street_lines(ctx: Context, stamp: tuple[int, str]) -> StreetLines:
    """The edges of the network ``stamp`` in WGS84, kept in memory per network."""

    def build() -> StreetLines:
        with ctx.store.read() as conn:
            found = repo.load_network(conn, stamp[0], geometry=True)
        if found is None:
            raise InputError(_("Gangnettet {id} finnes ikke lenger", id=stamp[0]))
        info, net, lonlat = found
        lines = to_lonlat(net, lonlat)
        meta = {"id": info.id, "name": info.name, "source": info.source, "extract_date": info.extract_date}
        return StreetLines(meta, lines, shapely.bounds(lines).reshape(-1, 4), net.has_geometry)

    return maps.cached(ctx, "street-lines", stamp, build, CACHE_VERSION)


def snap_bbox(bbox: tuple[float, float, float, float], zoom: int) -> tuple[float, float, float, float]:
    """``bbox`` (west, south, east, north in degrees) widened to whole 256-pixel Web Mercator tiles of ``zoom``.

    >>> snap_bbox((24.94, 60.165, 24.95, 60.17), 14)
    (24.9389648438, 60.1633761, 24.9609375, 60.1743063)
    """
    n = 2**zoom
    x0 = math.floor((bbox[0] + 180) / 360 * n)
    x1 = math.ceil((bbox[2] + 180) / 360 * n)
    y0 = math.floor(_tile_y(bbox[3], n))  # tile rows count down from the north
    y1 = math.ceil(_tile_y(bbox[1], n))
    tiles = (x1 - x0) * (y1 - y0)
    if tiles > MAX_TILES:
        raise InputError(_("bbox er for stor for zoom {zoom}: {tiles} kartfliser, høyst {max}; zoom inn eller "
                           "be om et mindre område", zoom=zoom, tiles=tiles, max=MAX_TILES))
    return (round(x0 / n * 360 - 180, 10), round(_tile_lat(y1, n), 7), round(x1 / n * 360 - 180, 10),
            round(_tile_lat(y0, n), 7))


def _tile_y(lat: float, n: int) -> float:
    lat = max(-85.0511, min(85.0511, lat))
    return (1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n


def _tile_lat(y: float, n: int) -> float:
    return math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * y / n))))


def count_within(bounds: np.ndarray, bbox: tuple[float, float, float, float]) -> int:
    """How many lines (by their ``bounds``) reach into ``bbox``."""
    w, s, e, n = bbox
    return int(((bounds[:, 0] <= e) & (bounds[:, 2] >= w) & (bounds[:, 1] <= n) & (bounds[:, 3] >= s)).sum())


def within(lines: np.ndarray, bounds: np.ndarray, bbox: tuple[float, float, float, float]
           ) -> tuple[np.ndarray, np.ndarray]:
    """The positions of the ``lines`` (with their ``bounds``) that reach into ``bbox``, and those lines cut
    at its border (a line wholly inside is kept as it is)."""
    w, s, e, n = bbox
    near = np.flatnonzero((bounds[:, 0] <= e) & (bounds[:, 2] >= w) & (bounds[:, 1] <= n) & (bounds[:, 3] >= s))
    out = lines[near].copy()
    b = bounds[near]
    outside = ~((b[:, 0] >= w) & (b[:, 2] <= e) & (b[:, 1] >= s) & (b[:, 3] <= n))
    if outside.any():
        out[outside] = shapely.clip_by_rect(out[outside], w, s, e, n)
    kept = ~shapely.is_empty(out)
    return near[kept], out[kept]


def digits(zoom: int | None, latitude: float) -> int:
    """Decimals kept at ``zoom`` (:func:`nabolag.services.maps.grid_size` of half a pixel; six without a zoom).

    >>> digits(12, 60.0), digits(16, 60.0), digits(None, 60.0)
    (5, 6, 6)
    """
    return 6 if zoom is None else round(-math.log10(maps.grid_size(maps.tolerance(zoom, latitude))))


def outward(bbox: tuple[float, float, float, float], places: int) -> tuple[float, float, float, float]:
    """``bbox`` widened to ``places`` decimals, so coordinates inside it stay inside once rounded to them.

    >>> outward((24.9389648438, 60.1633761, 24.9609375, 60.1743063), 5)
    (24.93896, 60.16337, 24.96094, 60.17431)
    """
    k = 10**places
    w, s, e, n = bbox
    return math.floor(w * k) / k, math.floor(s * k) / k, math.ceil(e * k) / k, math.ceil(n * k) / k


def box_for(bbox: tuple[float, float, float, float], zoom: int) -> tuple[float, float, float, float]:
    """The box an answer for ``bbox`` at ``zoom`` covers: whole tiles (from :data:`MIN_ZOOM` on), then
    widened to the decimals the coordinates are rounded to."""
    box = snap_bbox(bbox, zoom) if zoom >= MIN_ZOOM else bbox
    return outward(box, digits(zoom, (box[1] + box[3]) / 2))


def drawn(lines: np.ndarray, zoom: int | None, latitude: float) -> np.ndarray:
    """``lines`` joined where two meet end to end and no third joins them (a chain of edges through nodes
    that are not junctions becomes one line), simplified to half a pixel at ``zoom`` and rounded to
    :func:`nabolag.services.maps.grid_size` (without a zoom: only rounded to six decimals, about 10 cm);
    a line shorter than that is left out. Returns LineStrings."""
    if not len(lines):
        return lines
    merged = shapely.get_parts(shapely.line_merge(shapely.multilinestrings(shapely.get_parts(lines))))
    if zoom is not None:
        merged = shapely.simplify(merged, maps.tolerance(zoom, latitude), preserve_topology=False)
    xy, index = shapely.get_coordinates(merged, return_index=True)
    xy = np.round(xy, digits(zoom, latitude))
    keep = np.ones(len(xy), dtype=bool)  # a vertex rounded onto the one before it goes
    keep[1:] = (index[1:] != index[:-1]) | np.any(xy[1:] != xy[:-1], axis=1)
    xy, index = xy[keep], index[keep]
    long_enough = np.bincount(index, minlength=len(merged))[index] >= 2
    if not long_enough.any():
        return np.empty(0, dtype=object)
    _, index = np.unique(index[long_enough], return_inverse=True)
    return shapely.linestrings(xy[long_enough], indices=index.ravel())


def cut(street: StreetLines, bbox: tuple[float, float, float, float], zoom: int) -> tuple[np.ndarray, int]:
    """The streets within ``bbox`` as drawn at ``zoom`` (:func:`within`, :func:`drawn`), and how many edges
    they are."""
    near, lines = within(street.lines, street.bounds, bbox)
    return drawn(lines, zoom, (bbox[1] + bbox[3]) / 2), len(near)


def streets_geojson(ctx: Context, bbox: tuple[float, float, float, float] | None, zoom: int,
                    stamp: tuple[int, str] | None) -> bytes:
    """The streets as a GeoJSON FeatureCollection (bytes): one ``MultiLineString`` feature (none when
    there is no network, below :data:`MIN_ZOOM` or beyond :data:`MAX_EDGES`), and the foreign members
    ``bbox`` (the widened box), ``zoom``, ``min_zoom``, ``edges`` (network edges in the box), ``lines``
    (lines drawn), ``too_many`` (nothing drawn: zoom in), ``shaped``
    (false: a network without its edges' shapes, drawn straight), ``network`` and ``attribution``.
    ``stamp``: the newest network's (:func:`network_stamp`), which the caller reads to key what it keeps
    (the web route keeps the answer under the stamp and the widened box: :func:`box_for`)."""
    maps.check_zoom(zoom)
    if stamp is None:
        return _collection(None, bbox, zoom, np.empty(0, dtype=object))  # not kept: a network may come
    street = street_lines(ctx, stamp)
    if bbox is None:
        b = street.bounds
        bbox = (float(b[:, 0].min()), float(b[:, 1].min()), float(b[:, 2].max()), float(b[:, 3].max())) \
            if len(b) else None
    box = box_for(bbox, zoom) if bbox is not None else None

    if box is None or zoom < MIN_ZOOM:
        return _collection(street, box, zoom, np.empty(0, dtype=object))
    if (found := count_within(street.bounds, box)) > MAX_EDGES:
        return _collection(street, box, zoom, np.empty(0, dtype=object), found, too_many=True)
    return _collection(street, box, zoom, *cut(street, box, zoom))


def _collection(street: StreetLines | None, bbox: tuple[float, float, float, float] | None, zoom: int,
                lines: np.ndarray, edges: int = 0, too_many: bool = False) -> bytes:
    members = {"bbox": list(bbox) if bbox else None, "zoom": zoom, "min_zoom": MIN_ZOOM, "edges": edges,
               "lines": int(len(lines)), "too_many": too_many or (street is not None and zoom < MIN_ZOOM),
               "shaped": street.shaped if street else None, "network": street.network if street else None,
               "attribution": str(street.network["source"] or "") if street else ""}
    head = '{"type":"FeatureCollection",' + json.dumps(members, ensure_ascii=False, separators=(",", ":"))[1:-1]
    if not len(lines):
        return (head + ',"features":[]}').encode()
    geometry = shapely.to_geojson(shapely.multilinestrings(lines))
    feature = '{"type":"Feature","geometry":' + geometry + ',"properties":{"kind":"streets"}}'
    return (head + ',"features":[' + feature + "]}").encode()

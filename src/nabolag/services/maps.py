"""Map data: zone outlines as GeoJSON in WGS84, simplified to the zoom level, with optional values.

Simplification follows the zoom: at zoom ``z`` a 256-pixel Web Mercator tile spans
``360 / 2**z`` degrees of longitude, so one screen pixel is ``360 / (256 * 2**z)`` degrees of
longitude and that times ``cos(latitude)`` degrees of latitude. Outlines are simplified
(Douglas–Peucker) with a tolerance of **half a pixel** in latitude at the middle latitude of the
level, and coordinates are rounded to the largest power of ten not above half the tolerance (at
zoom 11 in Oslo: tolerance 0.00017°, about 19 m; five decimals, about 1 m). Parts thinner than the tolerance
(islets, slivers) may drop out. Every outline is checked: one that comes out invalid or empty is
redone with topology kept and snapped with ``set_precision``, then only snapped; if it would still
vanish it keeps its own outline, so every zone stays on the map. Neighbours are simplified one by
one, so a shared border may differ by up to the tolerance: less than a pixel on screen.

Simplified layers are cached in memory, keyed by the database and its data version
(:func:`data_version`: the newest audit entry, which every change writes), so a new import or
index run is seen by the next request. :func:`cached`, :func:`remembered` and :func:`remember`
let the web layer keep whole responses the same way.
"""

from __future__ import annotations

import json
import math
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

import numpy as np
import pandas as pd
import shapely

from nabolag.domain.observations import Status
from nabolag.domain.zones import Level
from nabolag.errors import InputError, NotFoundError
from nabolag.i18n import _
from nabolag.services import zones
from nabolag.services.context import Context
from nabolag.store import imports as imports_repo

TILE_PIXELS = 256
MAX_ZOOM = 20
DEFAULT_ZOOM = 12
MAX_CODES = 2000

T = TypeVar("T")


class _Cache:
    """A small thread-safe LRU cache with a budget in entries and in bytes (for ``bytes`` values)."""

    def __init__(self, entries: int, max_bytes: int) -> None:
        self.entries, self.max_bytes = entries, max_bytes
        self.items: OrderedDict[tuple[object, ...], object] = OrderedDict()
        self.lock = threading.Lock()

    def peek(self, key: tuple[object, ...]) -> object | None:
        with self.lock:
            if key in self.items:
                self.items.move_to_end(key)
                return self.items[key]
        return None

    def get(self, key: tuple[object, ...], compute: Callable[[], T]) -> T:
        found = self.peek(key)
        if found is not None:
            return found  # type: ignore[return-value]
        return self.put(key, compute())  # computed outside the lock: two threads may both compute once

    def put(self, key: tuple[object, ...], value: T) -> T:
        with self.lock:
            self.items[key] = value
            while len(self.items) > self.entries or (len(self.items) > 1 and self._bytes() > self.max_bytes):
                self.items.popitem(last=False)
        return value

    def _bytes(self) -> int:
        return sum(len(v) for v in self.items.values() if isinstance(v, bytes))

    def clear(self) -> None:
        with self.lock:
            self.items.clear()


CACHE = _Cache(entries=256, max_bytes=512 * 1024 * 1024)


def data_version(ctx: Context) -> str:
    """Changes whenever data changes: the id and time of the newest audit entry."""
    with ctx.store.read() as conn:
        last = imports_repo.list_audit(conn, limit=1)
    return f"{last[0]['id']}@{last[0]['at']}" if last else "0"


def cached(ctx: Context, name: str, key: tuple[object, ...], compute: Callable[[], T],
           version: str | None = None) -> T:
    """``compute()``, remembered for this database, data version and ``key``."""
    return CACHE.get((ctx.store.url, version or data_version(ctx), name, *key), compute)


def remembered(ctx: Context, name: str, key: tuple[object, ...], version: str) -> object | None:
    """What :func:`remember` (or :func:`cached`) keeps under this name and key, or ``None``."""
    return CACHE.peek((ctx.store.url, version, name, *key))


def remember(ctx: Context, name: str, key: tuple[object, ...], version: str, value: T) -> T:
    return CACHE.put((ctx.store.url, version, name, *key), value)


def check_level(level: str) -> str:
    """``level`` if it is a known level name, else a 404 naming the valid ones."""
    try:
        return Level(level).value
    except ValueError:
        raise NotFoundError(_("Ukjent nivå «{level}»; gyldige: {valid}", level=level[:40],
                              valid=", ".join(v.value for v in Level))) from None


def check_zoom(zoom: int) -> int:
    if not 0 <= zoom <= MAX_ZOOM:
        raise InputError(_("zoom må være et heltall fra 0 til {max}, ikke {zoom}", max=MAX_ZOOM, zoom=zoom))
    return zoom


def tolerance(zoom: int, latitude: float) -> float:
    """Half a screen pixel at ``zoom``, in degrees of latitude at ``latitude``."""
    return 0.5 * 360.0 / (TILE_PIXELS * 2**zoom) * math.cos(math.radians(latitude))


def grid_size(tol: float) -> float:
    """The largest power of ten not above half the tolerance (at least 1e-7 degrees, about 1 cm)."""
    return max(10.0 ** math.floor(math.log10(tol / 2)), 1e-7)


@dataclass(frozen=True)
class Layer:
    """The simplified outlines of one level at one zoom: per zone, its feature's JSON up to and
    including the fixed properties (``code, name, level, parent``), without the closing braces."""

    codes: tuple[str, ...]
    heads: tuple[str, ...]
    bbox: tuple[float, float, float, float] | None
    vertices: int


def simplify(geoms: np.ndarray, zoom: int) -> np.ndarray:
    """Outlines simplified to half a pixel at ``zoom`` and rounded to :func:`grid_size`; all valid.

    Fast path: plain Douglas–Peucker and rounding with numpy. The few outlines that come out
    invalid or empty are redone keeping their topology and snapped with ``set_precision``; one too
    small for that is only snapped; one that would vanish even then keeps its own outline."""
    present = ~shapely.is_missing(geoms)
    if not present.any():
        return geoms
    bounds = shapely.total_bounds(geoms[present])
    tol = tolerance(zoom, (bounds[1] + bounds[3]) / 2)
    grid = grid_size(tol)
    out = shapely.simplify(geoms, tol, preserve_topology=False)
    out = shapely.set_coordinates(out, np.round(shapely.get_coordinates(out), round(-math.log10(grid))))
    out = shapely.remove_repeated_points(out, 0.0)
    bad = present & (shapely.is_empty(out) | ~shapely.is_valid(out))
    if bad.any():
        out[bad] = shapely.set_precision(shapely.simplify(geoms[bad], tol, preserve_topology=True), grid)
        still = bad & (shapely.is_empty(out) | ~shapely.is_valid(out))
        out[still] = shapely.set_precision(geoms[still], grid)  # too small to simplify: only rounded
        lost = still & (shapely.is_empty(out) | ~shapely.is_valid(out))
        out[lost] = shapely.make_valid(geoms[lost])
    return shapely.orient_polygons(out)  # exterior rings counter-clockwise (RFC 7946)


def layer(ctx: Context, level: str, zoom: int, version: str | None = None) -> Layer:
    level, zoom = check_level(level), check_zoom(zoom)
    return cached(ctx, "layer", (level, zoom), lambda: _build_layer(ctx, level, zoom), version)


def _build_layer(ctx: Context, level: str, zoom: int) -> Layer:
    items = [z for z in zones.list_zones(ctx, level=level, with_geometry=True) if z.geometry]
    geoms = simplify(shapely.from_wkb([z.geometry for z in items]), zoom) if items else np.empty(0, dtype=object)
    texts = shapely.to_geojson(geoms) if items else []
    heads = tuple(
        f'{{"type":"Feature","id":{json.dumps(z.code)},"geometry":{g},"properties":' + json.dumps(
            {"code": z.code, "name": z.name, "level": str(z.level), "parent": z.parent_code}, ensure_ascii=False)[:-1]
        for z, g in zip(items, texts, strict=True))
    bbox = tuple(round(float(b), 6) for b in shapely.total_bounds(geoms)) if items else None
    return Layer(codes=tuple(z.code for z in items), heads=heads, bbox=bbox,  # type: ignore[arg-type]
                 vertices=int(shapely.get_num_coordinates(geoms).sum()) if items else 0)


def parse_codes(text: str | None) -> list[str] | None:
    """``a,b,c`` → codes (``None`` for all); at most :data:`MAX_CODES`."""
    if text is None or not text.strip():
        return None
    codes = [c.strip() for c in text.split(",") if c.strip()]
    if len(codes) > MAX_CODES:
        raise InputError(_("codes: høyst {max} soner om gangen, fikk {n}", max=MAX_CODES, n=len(codes)))
    return codes


def feature_collection(ctx: Context, level: str, zoom: int, codes: Sequence[str] | None = None,
                       extra: dict[str, dict[str, object]] | None = None,
                       meta: dict[str, object] | None = None, version: str | None = None) -> bytes:
    """GeoJSON FeatureCollection of the zones of ``level`` (or only ``codes``), with ``extra``
    properties per zone code (e.g. a value and its class) and ``meta`` as foreign members."""
    lay = layer(ctx, level, zoom, version)
    if codes is not None:
        known = set(lay.codes)
        unknown = [c for c in codes if c not in known]
        if unknown:
            raise NotFoundError(_("Ukjente soner på nivået {level}: {codes}", level=level,
                                  codes=", ".join(c[:40] for c in unknown[:10])))
        return _collection(lay, set(codes), extra, meta)  # no bbox: the client fits to what it gets
    return _collection(lay, None, extra, meta)


def _collection(lay: Layer, only: set[str] | None, extra: dict[str, dict[str, object]] | None,
                meta: dict[str, object] | None) -> bytes:
    extra = extra or {}
    parts = []
    for code, head in zip(lay.codes, lay.heads, strict=True):
        if only is not None and code not in only:
            continue
        more = extra.get(code)
        parts.append(head + ("," + json.dumps(more, ensure_ascii=False)[1:-1] if more else "") + "}}")
    members = "".join("," + json.dumps(k) + ":" + json.dumps(v, ensure_ascii=False) for k, v in (meta or {}).items())
    bbox = ',"bbox":' + json.dumps(list(lay.bbox)) if lay.bbox and only is None else ""
    return ('{"type":"FeatureCollection"' + bbox + members + ',"features":[' + ",".join(parts) + "]}").encode()


# --- choropleth classes: quantiles (see nabolag.services.overview) ---------------------------

CLASSES = 5
HIDDEN = (Status.SUPPRESSED.value, Status.CONFIDENTIAL.value)  # figures that are not published


def quantile_breaks(values: np.ndarray, k: int = CLASSES) -> np.ndarray:
    """The inner class limits: the 1/k … (k-1)/k quantiles of the known values (numpy's linear
    method), without repeats. A value ``v`` is in class ``i`` = the number of limits below ``v``."""
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v)]
    return np.unique(np.quantile(v, np.arange(1, k) / k)) if v.size else np.empty(0)


def classify(values: np.ndarray, breaks: np.ndarray) -> np.ndarray:
    """Class of each value (0 = lowest values; -1 where there is no value)."""
    v = np.asarray(values, dtype=float)
    return np.where(np.isfinite(v), np.searchsorted(breaks, v, side="left"), -1)


def legend(values: np.ndarray, classes: np.ndarray, breaks: np.ndarray, worse: str) -> list[dict[str, object]]:
    """One entry per class with zones: limits, count and a colour tone from ``q0`` (best or lowest)
    to ``q4`` (worst or highest)."""
    n = len(breaks) + 1
    out = []
    for i in range(n):
        members = values[classes == i]
        if not members.size:
            continue
        tone = round(i * (CLASSES - 1) / (n - 1)) if n > 1 else CLASSES // 2
        out.append({"class": i, "tone": f"q{CLASSES - 1 - tone if worse == 'low' else tone}",
                    "low": float(members.min()), "high": float(members.max()), "count": int(members.size)})
    return out


def map_properties(data: dict[str, object]) -> dict[str, dict[str, object]]:
    """Per zone code, the properties a choropleth needs: value, class, tone, status, suppressed."""
    frame: pd.DataFrame = data["frame"]  # type: ignore[assignment]
    tones = {e["class"]: e["tone"] for e in data["legend"]}  # type: ignore[attr-defined]
    out = {}
    for code, value, cls, status in zip(frame.index, frame["value"].tolist(), frame["class"].tolist(),
                                        frame["status"].tolist(), strict=True):
        out[code] = {"value": None if value != value else value, "class": None if cls < 0 else int(cls),
                     "tone": tones.get(cls, "qs" if status in HIDDEN else "qn"), "status": status,
                     "suppressed": status in HIDDEN}
    return out

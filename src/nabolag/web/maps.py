"""GeoJSON for maps: ``/geo/{level}.geojson`` with outlines simplified to the zoom and, on request,
the published value and class of an indicator or index per zone (see :mod:`nabolag.services.maps`);
``/geo/streets.geojson``, the walking network's streets in a box for the offline basemap (see
:mod:`nabolag.services.mapping_streets`).

Responses are kept in memory per data version (and gzipped once for browsers that accept it); a
request for a kept response is answered on the event loop without a worker thread, which is what
keeps the latency low under many concurrent map viewers. Building a response runs in a thread.
"""

from __future__ import annotations

import gzip
import hashlib
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from nabolag.errors import InputError
from nabolag.i18n import _, get_language
from nabolag.services import mapping_streets, maps
from nabolag.services import overview as model
from nabolag.services.access_layer import parse_bbox
from nabolag.services.context import Context
from nabolag.web.deps import context

router = APIRouter()
MEDIA_TYPE = "application/geo+json"
GZIP_FROM = 4096  # bytes; smaller responses are sent as they are


def _values(ctx: Context, level: str, indicator: str | None, index: str | None, period: str | None,
            version: str) -> tuple[dict[str, dict[str, object]] | None, dict[str, object]]:
    if indicator and index:
        raise InputError(_("Bruk enten indicator eller index, ikke begge"))
    if not (indicator or index):
        if period:
            raise InputError(_("period krever indicator eller index"))
        return None, {}
    kind, code = ("index", index) if index else ("indicator", indicator)

    def compute() -> tuple[dict[str, dict[str, object]], dict[str, object]]:
        m = model.find_measure(model.measures(ctx, level)[kind], kind, code, level)
        data = model.measure_values(ctx, level, m, period)
        meta = {"measure": {"kind": m.kind, "code": m.code, "name": m.name, "unit": m.unit, "worse": m.worse},
                "period": data["period"], "notice": data["notice"],
                "classes": {"method": "quantile", "breaks": data["breaks"], "legend": data["legend"]}}
        return maps.map_properties(data), meta

    return maps.cached(ctx, "map-values", (get_language(), level, kind, code, period), compute, version)


def _build(ctx: Context, level: str, zoom: int, codes: list[str] | None, indicator: str | None, index: str | None,
           period: str | None, version: str) -> bytes:
    extra, meta = _values(ctx, level, indicator, index, period, version)
    return maps.feature_collection(ctx, level, zoom, codes, extra, meta, version)


def _gzipped(ctx: Context, request: Request, body: bytes, name: str, key: tuple[object, ...],
             version: str) -> bytes | None:
    """The gzipped body when the browser takes it and it is worth it (kept like the body), else None."""
    if len(body) < GZIP_FROM or "gzip" not in request.headers.get("accept-encoding", ""):
        return None
    packed = maps.remembered(ctx, name, key, version)
    if packed is None:
        packed = maps.remember(ctx, name, key, version, gzip.compress(body, 6))
    assert isinstance(packed, bytes)
    return packed


@router.get("/geo/streets.geojson", summary="Streets of the walking network in a box, for the offline basemap",
            response_class=Response, responses={200: {"content": {MEDIA_TYPE: {}}, "description": "FeatureCollection"},
                                                304: {"description": "Not modified (ETag)"}})
async def streets(request: Request,
                  zoom: Annotated[int, Query(ge=0, le=maps.MAX_ZOOM, description="Map zoom to simplify for")] = 15,
                  bbox: Annotated[str | None, Query(max_length=100, description="west,south,east,north (degrees)")]
                  = None) -> Response:
    """The streets and paths of the newest walking network within ``bbox`` (widened to whole 256-pixel
    tiles of ``zoom``; default: the whole network) as one ``MultiLineString`` in WGS84 (EPSG:4326),
    simplified to half a pixel at ``zoom``; empty without a network, and below ``min_zoom`` or with more
    than 40,000 edges in the box (``too_many``: zoom in). Foreign members ``bbox``, ``zoom``, ``min_zoom``,
    ``edges``, ``lines``, ``too_many``, ``shaped``, ``network``, ``attribution``. 422 naming ``bbox`` for a
    bad box or one too large for the zoom."""
    ctx = context(request)
    box = parse_bbox(bbox)
    stamp = await run_in_threadpool(mapping_streets.network_stamp, ctx)
    # kept under the box the answer covers (whole tiles), so the boxes of a panning map share answers
    key = (stamp, mapping_streets.box_for(box, zoom) if box is not None else None, zoom)
    etag = '"' + hashlib.blake2b(repr((ctx.store.url, key)).encode(), digest_size=12).hexdigest() + '"'
    headers = {"ETag": etag, "Cache-Control": "no-cache", "Vary": "Accept-Encoding"}
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    version = mapping_streets.CACHE_VERSION
    body = maps.remembered(ctx, "streets.json", key, version)
    if body is None:
        body = maps.remember(ctx, "streets.json", key, version, await run_in_threadpool(
            mapping_streets.streets_geojson, ctx, box, zoom, stamp))
    assert isinstance(body, bytes)
    packed = await run_in_threadpool(_gzipped, ctx, request, body, "streets.gz", key, version)
    if packed is not None:
        return Response(packed, media_type=MEDIA_TYPE, headers={**headers, "Content-Encoding": "gzip"})
    return Response(body, media_type=MEDIA_TYPE, headers=headers)


@router.get("/geo/{level}.geojson", summary="Zones of a level as GeoJSON, with values for a choropleth",
            response_class=Response, responses={200: {"content": {MEDIA_TYPE: {}}, "description": "FeatureCollection"},
                                                304: {"description": "Not modified (ETag)"}})
async def geojson(request: Request,
                  level: Annotated[str, Path(max_length=40, description="grunnkrets, delbydel, bydel …")],
                  zoom: Annotated[int, Query(ge=0, le=maps.MAX_ZOOM, description="Map zoom to simplify for")]
                  = maps.DEFAULT_ZOOM,
                  codes: Annotated[str | None, Query(max_length=40_000, description="Only these zones: a,b,c")] = None,
                  indicator: Annotated[str | None, Query(max_length=60, description="Add this indicator's values")]
                  = None,
                  index: Annotated[str | None, Query(max_length=60, description="Add this index's values")] = None,
                  period: Annotated[str | None, Query(max_length=20, description="Period of the values")] = None
                  ) -> Response:
    """A FeatureCollection in WGS84 (EPSG:4326) of the zones at ``level``: properties ``code, name,
    level, parent``; with ``indicator`` or ``index`` also ``value, class, tone, status, suppressed``
    (published figures: a suppressed value is ``null``) and the legend as the foreign member
    ``classes``. Outlines are simplified to about half a pixel at ``zoom``."""
    ctx = context(request)
    level, version = maps.check_level(level), maps.data_version(ctx)
    wanted = maps.parse_codes(codes)
    indicator, index, period = indicator or None, index or None, period or None
    key = (get_language(), level, zoom, tuple(wanted) if wanted is not None else None, indicator, index, period)
    etag = '"' + hashlib.blake2b(repr((ctx.store.url, version, key)).encode(), digest_size=12).hexdigest() + '"'
    headers = {"ETag": etag, "Cache-Control": "no-cache", "Vary": "Accept-Encoding, Cookie"}
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    body = maps.remembered(ctx, "geo", key, version)
    if body is None:
        body = maps.remember(ctx, "geo", key, version, await run_in_threadpool(
            _build, ctx, level, zoom, wanted, indicator, index, period, version))
    assert isinstance(body, bytes)
    if len(body) >= GZIP_FROM and "gzip" in request.headers.get("accept-encoding", ""):
        packed = maps.remembered(ctx, "geo.gz", key, version)
        if packed is None:
            packed = maps.remember(ctx, "geo.gz", key, version, await run_in_threadpool(gzip.compress, body, 6))
        return Response(packed, media_type=MEDIA_TYPE, headers={**headers, "Content-Encoding": "gzip"})
    return Response(body, media_type=MEDIA_TYPE, headers=headers)

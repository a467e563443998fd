"""Walking accessibility pages and map layers (issue 8).

``/access`` (+ ``.json``): the distance map, the kind switch, the legend, the facilities, the zone table and
the equity between zones. ``/geo/access/{kind}.geojson``: the distance layer (streets coloured by
distance, network nodes thinned to the zoom, or population points);
``/geo/access/{kind}/facilities.geojson``: the facilities as markers. The scenario pages are in
:mod:`nabolag.web.access_scenarios`, included here so ``app.py`` registers one router.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from nabolag.domain.access import check_kind
from nabolag.errors import InputError, NotFoundError
from nabolag.i18n import _, get_language
from nabolag.services import maps
from nabolag.services.access_facilities import facility_counts
from nabolag.services.access_layer import distance_layer, facilities_layer, parse_bbox
from nabolag.services.context import Context
from nabolag.services.views_access import access_page
from nabolag.web import access_scenarios
from nabolag.web.deps import LoginRequired, context
from nabolag.web.pages import TEMPLATES, TEXT

router = APIRouter(tags=["access"])
router.include_router(access_scenarios.router)
MEDIA_TYPE = "application/geo+json"
GZIP_FROM = 4096

Kind = Query(None, max_length=40, pattern=TEXT, description="Type sted: park, playground, library …")
KindPath = Path(max_length=40, pattern=r"^[a-z0-9_]+$", description="Type sted, f.eks. park")
ScenarioCode = Query(max_length=60, pattern=r"^[a-z0-9][a-z0-9_-]*$",
                     description="Scenario: avstandene etter scenarioet (krever innlogging)")


@router.get("/access.json")
def access_json(kind: str | None = Kind, ctx: Context = Depends(context)) -> dict[str, object]:
    """Status (network, people, facilities), kinds, the zone table with mean distance and shares within
    300/500/1000 m, the city's figures, the equity between zones and the map layer URLs."""
    return access_page(ctx, kind or None)


@router.get("/access", response_class=HTMLResponse)
def access(request: Request, kind: str | None = Kind, ctx: Context = Depends(context)) -> HTMLResponse:
    return TEMPLATES.TemplateResponse(request, "access.html", {"data": access_page(ctx, kind or None)})


def _known_kind(ctx: Context, kind: str, scenario: str | None) -> str:
    try:
        kind = check_kind(kind)
    except ValueError as exc:
        raise InputError(str(exc)) from exc
    known = {str(r["kind"]) for r in facility_counts(ctx)}
    if kind not in known and scenario is None:
        raise NotFoundError(_("Ingen steder av typen «{kind}»; lastet: {valid}", kind=kind,
                              valid=", ".join(sorted(known)) or "–"))
    return kind


def _send(request: Request, body: bytes, etag: str, ctx: Context, key: tuple[object, ...], version: str) -> Response:
    headers = {"ETag": etag, "Cache-Control": "no-cache", "Vary": "Accept-Encoding, Cookie"}
    if len(body) >= GZIP_FROM and "gzip" in request.headers.get("accept-encoding", ""):
        packed = maps.remembered(ctx, "access-geo.gz", key, version)
        if packed is None:
            packed = maps.remember(ctx, "access-geo.gz", key, version, gzip.compress(body, 6))
        return Response(packed, media_type=MEDIA_TYPE, headers={**headers, "Content-Encoding": "gzip"})  # type: ignore[arg-type]
    return Response(body, media_type=MEDIA_TYPE, headers=headers)


@router.get("/geo/access/{kind}.geojson", summary="Walking distance to the nearest facility of a kind",
            response_class=Response, responses={200: {"content": {MEDIA_TYPE: {}}}})
async def layer_geojson(request: Request, kind: Annotated[str, KindPath],
                        layer: Annotated[str, Query(max_length=10, description="nodes (nettet), edges (gatene) "
                                                                               "eller people (befolkningsruter)")]
                        = "nodes",
                        zoom: Annotated[int | None, Query(ge=0, le=maps.MAX_ZOOM, description="Tynn ut til zoom")]
                        = None,
                        bbox: Annotated[str | None, Query(max_length=100, description="vest,sør,øst,nord")] = None,
                        cap: Annotated[float | None, Query(ge=1000, le=5000, description="Avstandstak i meter")]
                        = None,
                        scenario: Annotated[str | None, ScenarioCode] = None) -> Response:
    """Points in EPSG:4326 with ``d`` (metres, ``null`` beyond the cap) and ``class`` 0–4 (0–300, 300–500,
    500–1000, 1000–cap, beyond); ``nodes`` carry ``n`` (nodes per dot), ``people`` the population for
    signed-in staff (``null`` for a small cell). With ``scenario``: after it, plus ``d_before``,
    ``class_before`` and ``improved``. ``edges``: the streets (cut to ``bbox`` widened to whole tiles,
    simplified to ``zoom``) as one MultiLineString per ``class`` of the distance to each edge's mid-point,
    with ``label`` and ``edges`` (how many); with ``scenario`` one per class and ``improved``."""
    ctx = context(request)
    if scenario and ctx.is_public:
        raise LoginRequired(request.url.path)
    box = parse_bbox(bbox)
    kind = _known_kind(ctx, kind, scenario)
    version = maps.data_version(ctx)
    key = (get_language(), kind, layer, zoom, box, cap, scenario, ctx.is_public)
    etag = '"' + hashlib.blake2b(repr((ctx.store.url, version, key)).encode(), digest_size=12).hexdigest() + '"'
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers={"ETag": etag})
    body = maps.remembered(ctx, "access-geo", key, version)
    if body is None:
        data = await run_in_threadpool(distance_layer, ctx, kind, scenario, box, zoom, layer, cap)
        body = maps.remember(ctx, "access-geo", key, version, json.dumps(data, separators=(",", ":")).encode())
    return _send(request, body, etag, ctx, key, version)  # type: ignore[arg-type]


@router.get("/geo/access/{kind}/facilities.geojson", summary="Facilities of a kind as points",
            response_class=Response, responses={200: {"content": {MEDIA_TYPE: {}}}})
def facilities_geojson(request: Request, kind: Annotated[str, KindPath],
                       scenario: Annotated[str | None, ScenarioCode] = None) -> Response:
    """The facilities (an area at a point inside it: ``area: true``), and with ``scenario`` its planned
    facilities (``planned: true``) and new paths (LineStrings, ``kind: "path"``)."""
    ctx = context(request)
    if scenario and ctx.is_public:
        raise LoginRequired(request.url.path)
    kind = _known_kind(ctx, kind, scenario)
    return Response(json.dumps(facilities_layer(ctx, kind, scenario), separators=(",", ":")), media_type=MEDIA_TYPE)

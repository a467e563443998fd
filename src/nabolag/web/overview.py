"""The city overview page (``/``) and its JSON twin (``/index.json``): parse, call the read model
(:func:`nabolag.services.overview.page`, cached per data version), render."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Annotated

from babel.numbers import format_decimal
from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from nabolag.i18n import get_language
from nabolag.services import maps
from nabolag.services import overview as model
from nabolag.services.context import Context
from nabolag.services.export import COUNT_UNITS, SYNTHETIC_NOTE
from nabolag.web.deps import context
from nabolag.web.pages import TEMPLATES

router = APIRouter()
LOCALES = {"nb": "nb_NO", "en": "en_GB"}

Level = Annotated[str | None, Query(max_length=40, description="Zone level, e.g. delbydel (default) or bydel")]
View = Annotated[str | None, Query(max_length=20, description="index (composite index) or indicator")]
MeasureCode = Annotated[str | None, Query(max_length=60, description="Index spec name or indicator code")]
Period = Annotated[str | None, Query(max_length=20, description="Period, e.g. 2024 (default: the latest)")]


def number(value: object, unit: str = "", digits: int = 2) -> str:
    """A figure for reading: decimal comma in bokmål, no decimals for counts; ``""`` when missing."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    places = 0 if unit.strip().lower() in COUNT_UNITS else digits
    pattern = "#,##0" + ("." + "0" * places if places else "")
    return format_decimal(float(value), format=pattern, locale=LOCALES.get(get_language(), "nb_NO"))  # type: ignore[arg-type]


TEMPLATES.env.filters.setdefault("number", number)


def overview_data(ctx: Context, level: str | None, view: str | None, measure: str | None,
                  period: str | None, version: str | None = None) -> dict[str, object]:
    level, view, measure, period = level or None, view or None, measure or None, period or None
    data = maps.cached(ctx, "overview", (get_language(), level, view, measure, period),
                       lambda: model.page(ctx, level, view, measure, period), version)
    return {**data, "note": SYNTHETIC_NOTE if data["synthetic"] else ""}


async def _kept(request: Request, name: str, build: Callable[[Context, str], bytes], shared: bool = True) -> bytes:
    """A response body kept per data version, language and query; built in a worker thread when
    missing. Pages for a signed-in user (with their name and form token) are never kept."""
    ctx = context(request)
    version = maps.data_version(ctx)
    key = (get_language(), request.url.path, str(request.query_params), request.app.state.settings.basemap_url)
    found = maps.remembered(ctx, name, key, version) if shared else None
    if isinstance(found, bytes):
        return found
    body = await run_in_threadpool(build, ctx, version)
    return maps.remember(ctx, name, key, version, body) if shared else body


@router.get("/index.json", summary="City overview (JSON twin of /)",
            response_class=Response, responses={200: {"content": {"application/json": {}}}})
async def overview_json(request: Request, level: Level = None, view: View = None, measure: MeasureCode = None,
                        period: Period = None) -> Response:
    """The overview's numbers: chosen measure and period, quantile classes, the ranking of zones and,
    in the indicator view, the equity matrix. Published (small-cell protected) figures only."""
    def build(ctx: Context, version: str) -> bytes:
        data = overview_data(ctx, level, view, measure, period, version)
        return json.dumps(data, ensure_ascii=False).encode()

    return Response(await _kept(request, "overview.json", build), media_type="application/json")


@router.get("/", response_class=HTMLResponse, summary="City overview page")
async def overview(request: Request, level: Level = None, view: View = None, measure: MeasureCode = None,
                   period: Period = None) -> HTMLResponse:
    def build(ctx: Context, version: str) -> bytes:
        data = overview_data(ctx, level, view, measure, period, version)
        return TEMPLATES.get_template("overview.html").render({"request": request, "data": data}).encode()

    signed_in = getattr(request.state, "user", None) is not None
    body = await _kept(request, "overview.html", build, shared=not signed_in)
    return HTMLResponse(body)  # security headers (CSP with the basemap's origin) come from web/security.py

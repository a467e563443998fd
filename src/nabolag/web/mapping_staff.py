"""Staff's and teachers' pages of the map campaigns (issue 7).

- ``GET /mapping`` (+ ``.json``): the campaigns (signed-in users), and for admin, analyst and coordinators
  the form «Ny kartlegging»; ``POST /mapping`` creates a draft (the service makes the codes).
- ``GET /mapping/{campaign}`` (+ ``.json``): the campaign's contributions on a map (routes coloured by mode,
  places by category) and counted. For staff with rights to the campaign (admin, analyst, the area's
  coordinator), or for anyone with the campaign's teacher code (``?laererkode=``; a teacher has no account);
  the service decides (:func:`mapping.list_contributions`). A visitor without a code is sent to sign in.
- ``POST /mapping/{campaign}/status`` (open/closed), ``…/codes`` (new access and teacher codes),
  ``…/export`` (Barnetråkk-style GeoJSON or GeoPackage, comments only when ticked; a temporary directory
  removed after sending): staff with rights only, each with the CSRF token.
- ``GET /mapping/{campaign}/public`` (+ ``.json``): the aggregated layers for everyone (hexagons and counts
  of distinct children, small cells dropped; never a single route or place).
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from pathlib import Path as FilePath
from typing import Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool

from nabolag.domain.mapping import LANGUAGES, CampaignStatus, MapCampaign
from nabolag.domain.problems import Problem
from nabolag.errors import ConflictError, InputError, PermissionDenied
from nabolag.i18n import _
from nabolag.services import mapping, mapping_barnetrakk, views_mapping
from nabolag.services.context import Context
from nabolag.web.deps import LoginRequired, context, require_signed_in

router = APIRouter(tags=["mapping"])
FORM_BODY = {"content": {"application/x-www-form-urlencoded": {"schema": {"type": "object"}}}}
CAMPAIGN = r"^[a-z0-9][a-z0-9_-]{0,59}$"
TeacherCode = Query(None, max_length=40, pattern=r"^[A-Za-z0-9 -]*$", description="Lærerkoden")
EXPORTS = {"geojson": (".geojson", "application/geo+json"), "gpkg": (".gpkg", "application/geopackage+sqlite3")}


def campaign_code() -> Any:
    return Path(max_length=60, pattern=CAMPAIGN, description="Kartleggingens kode")


def templates():  # type: ignore[no-untyped-def]
    from nabolag.web.pages import TEMPLATES

    return TEMPLATES


def wants_json(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    return request.url.path.endswith(".json") or ("json" in accept and "text/html" not in accept)


def render(request: Request, template: str, data: dict[str, Any], status: int = 200) -> Response:
    if wants_json(request):
        return JSONResponse(data, status_code=status)
    return templates().TemplateResponse(request, template, {"data": data}, status_code=status)


def _campaigns(request: Request, ctx: Context, status: int = 200, form: dict[str, str] | None = None,
               errors: dict[str, str] | None = None, message: str = "") -> Response:
    data = views_mapping.campaigns_page(ctx)
    if form is not None:
        data |= {"form": form, "errors": errors or {}, "message": message}
    return render(request, "mapping_campaigns.html", data, status)


@router.get("/mapping.json", dependencies=[Depends(require_signed_in)])
def campaigns_json(request: Request, ctx: Context = Depends(context)) -> Response:
    """The campaigns; codes only for those who may change a campaign."""
    return _campaigns(request, ctx)


@router.get("/mapping", response_class=HTMLResponse, dependencies=[Depends(require_signed_in)])
def campaigns_page(request: Request, ctx: Context = Depends(context)) -> Response:
    return _campaigns(request, ctx)


def _date(form: dict[str, str], name: str, problems: list[tuple[str, str]]) -> dt.date | None:
    value = form.get(name, "").strip()
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        problems.append((name, _("forventet en dato (ÅÅÅÅ-MM-DD)")))
        return None


@router.post("/mapping", status_code=201, openapi_extra={"requestBody": FORM_BODY},
             dependencies=[Depends(require_signed_in)])
async def create(request: Request, ctx: Context = Depends(context)) -> Response:
    """Create a draft campaign: ``code``, ``title``, ``school``, ``grade_group``, ``area``, ``opens``,
    ``closes`` (dates), ``languages`` (repeated: nb, nn, en). 422 naming the field, 409 a code in use."""
    raw = await request.form(max_files=0, max_fields=20)
    form = {k: str(v)[:300] for k, v in raw.items() if k != "languages"}
    languages = tuple(str(v) for v in raw.getlist("languages") if str(v) in LANGUAGES) or ("nb",)
    problems: list[tuple[str, str]] = []
    opens, closes = _date(form, "opens", problems), _date(form, "closes", problems)
    try:
        if problems:
            raise InputError(problems[0][1], [Problem(_("skjemaet"), m, field=f) for f, m in problems])
        campaign = mapping.create_campaign(ctx, MapCampaign(
            code=form.get("code", "").strip(), title=form.get("title", "").strip(),
            school=form.get("school", "").strip(), grade_group=form.get("grade_group", "").strip(),
            area_code=form.get("area", "").strip() or None, opens=opens, closes=closes, languages=languages))
    except InputError as exc:
        errors = {p.field or "form": p.message for p in exc.problems}
        return _campaigns(request, ctx, 422, form | {"languages": ",".join(languages)}, errors, exc.message)
    except ConflictError as exc:
        return _campaigns(request, ctx, 409, form | {"languages": ",".join(languages)}, {"code": str(exc)}, str(exc))
    target = f"/mapping/{campaign.code}"
    if wants_json(request):
        return JSONResponse(views_mapping.campaign_item(ctx, campaign), status_code=201, headers={"Location": target})
    return RedirectResponse(target, status_code=303)


def _campaign(request: Request, ctx: Context, code: str, teacher: str | None) -> Response:
    if not teacher and ctx.is_public:
        raise LoginRequired(request.url.path)
    try:
        data = views_mapping.campaign_page(ctx, code, teacher or None)
    except InputError as exc:  # an unknown teacher code
        raise PermissionDenied(exc.problems[0].message if exc.problems else str(exc)) from None
    return render(request, "mapping_campaign.html", data)


@router.get("/mapping/{campaign}.json")
def campaign_json(request: Request, campaign: str = campaign_code(), laererkode: str | None = TeacherCode,
                  ctx: Context = Depends(context)) -> Response:
    """The campaign's contributions (GeoJSON, EPSG:4326) and counts per mode, purpose and category; for staff
    with rights to the campaign or with its teacher code."""
    return _campaign(request, ctx, campaign, laererkode)


@router.get("/mapping/{campaign}", response_class=HTMLResponse)
def campaign_page(request: Request, campaign: str = campaign_code(), laererkode: str | None = TeacherCode,
                  ctx: Context = Depends(context)) -> Response:
    return _campaign(request, ctx, campaign, laererkode)


@router.post("/mapping/{campaign}/status", openapi_extra={"requestBody": FORM_BODY},
             dependencies=[Depends(require_signed_in)])
async def set_status(request: Request, campaign: str = campaign_code(), ctx: Context = Depends(context)) -> Response:
    """``status``: open or closed."""
    form = await request.form(max_files=0, max_fields=5)
    status = str(form.get("status") or "")
    if status == CampaignStatus.OPEN:
        found = mapping.open_campaign(ctx, campaign)
    elif status == CampaignStatus.CLOSED:
        found = mapping.close_campaign(ctx, campaign)
    else:
        raise InputError(_("Ukjent status «{status}»; forventet open eller closed", status=status[:20]),
                         [Problem(_("skjemaet"), _("forventet open eller closed"), field="status")])
    if wants_json(request):
        return JSONResponse(views_mapping.campaign_item(ctx, found))
    return RedirectResponse(f"/mapping/{campaign}", status_code=303)


@router.post("/mapping/{campaign}/codes", openapi_extra={"requestBody": FORM_BODY},
             dependencies=[Depends(require_signed_in)])
def renew_codes(request: Request, campaign: str = campaign_code(), ctx: Context = Depends(context)) -> Response:
    """New access and teacher codes; the old ones stop working at once."""
    found = mapping.new_codes(ctx, campaign)
    if wants_json(request):
        return JSONResponse(views_mapping.campaign_item(ctx, found))
    return RedirectResponse(f"/mapping/{campaign}", status_code=303)


def _export(ctx: Context, code: str, fmt: str, comments: bool) -> tuple[FilePath, FilePath]:
    suffix = EXPORTS[fmt][0]
    folder = FilePath(tempfile.mkdtemp(prefix="nabolag-barnetrakk-"))
    try:
        name = f"{code}-barnetrakk{'-med-kommentarer' if comments else ''}{suffix}"
        mapping_barnetrakk.export_contributions(ctx, [code], folder / name, include_comments=comments)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return folder, folder / name


@router.post("/mapping/{campaign}/export", openapi_extra={"requestBody": FORM_BODY},
             dependencies=[Depends(require_signed_in)],
             responses={200: {"content": {"application/geo+json": {}, "application/geopackage+sqlite3": {}},
                              "description": "The contributions, Barnetråkk style"}})
async def export(request: Request, campaign: str = campaign_code(), ctx: Context = Depends(context)) -> Response:
    """``format`` geojson (EPSG:4326) or gpkg (EPSG:25833, one layer per object type); ``comments`` ticked
    adds the children's comments. Staff with rights to the campaign; audited by the service."""
    form = await request.form(max_files=0, max_fields=5)
    fmt = str(form.get("format") or "geojson")
    if fmt not in EXPORTS:
        raise InputError(_("Ukjent format «{fmt}»; velg geojson eller gpkg", fmt=fmt[:20]),
                         [Problem(_("skjemaet"), _("ukjent format"), field="format")])
    comments = str(form.get("comments") or "") in ("1", "on", "true", "yes")
    folder, path = await run_in_threadpool(_export, ctx, campaign, fmt, comments)
    return FileResponse(path, media_type=EXPORTS[fmt][1], filename=path.name, headers={"Cache-Control": "no-store"},
                        background=BackgroundTask(shutil.rmtree, folder, ignore_errors=True))


Level = Query("delbydel", max_length=40, pattern=r"^[a-z_]+$", description="Sonenivå for tellingene")


@router.get("/mapping/{campaign}/public.json")
def public_json(request: Request, campaign: str = campaign_code(), level: str = Level,
                ctx: Context = Depends(context)) -> Response:
    """Aggregated layers for everyone: hexagons (250 m) per layer with the number of distinct children,
    hexagons under the suppression threshold left out, and counts per zone (``null`` under the threshold).
    Never a single child's route or place."""
    return render(request, "mapping_public.html", views_mapping.public_page(ctx, campaign, level))


@router.get("/mapping/{campaign}/public", response_class=HTMLResponse)
def public_page(request: Request, campaign: str = campaign_code(), level: str = Level,
                ctx: Context = Depends(context)) -> Response:
    return render(request, "mapping_public.html", views_mapping.public_page(ctx, campaign, level))

"""Scenario pages of walking access: ``/access/scenarios`` (list and the form to draw a planned facility or
a new path), ``/access/scenarios/{code}`` (before/after per zone, on the map and in a table), and the POSTs
that create, compute and remove a scenario. Signed-in users read; writing needs a writing role, which the
services check (``require_write``: admin, analyst, coordinator; a viewer gets 403). Every POST carries the
CSRF token (checked app-wide). A plain form gets 303 to the scenario's page, or 422 with the form and its
errors; a client that asks for JSON gets the result, or 422 naming the field. Computing is synchronous:
on the Helsinki extract it takes a few hundredths of a second.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from nabolag.domain.problems import Problem
from nabolag.errors import ConflictError, InputError
from nabolag.i18n import _
from nabolag.services import access_scenario
from nabolag.services import views_access_scenario as views
from nabolag.services.context import Context
from nabolag.web.deps import context, require_signed_in
from nabolag.web.pages import TEMPLATES, TEXT

router = APIRouter(dependencies=[Depends(require_signed_in)], tags=["access"])
Code = Path(max_length=60, pattern=r"^[a-z0-9][a-z0-9_-]*$", description="Scenariets kode")
Kind = Query(None, max_length=40, pattern=TEXT, description="Type sted i tabellen (standard: første med endring)")
FIELDS = ("code", "name", "description", "object", "kind", "geometry", "geometry_text", "label", "compute")


def _wants_json(request: Request) -> bool:
    from nabolag.web.app import wants_json  # app.py imports this module

    return wants_json(request)


def _page(request: Request, data: dict[str, object], status: int = 200) -> HTMLResponse:
    return TEMPLATES.TemplateResponse(request, "access_scenarios.html", {"data": data}, status_code=status)


@router.get("/access/scenarios.json")
def scenarios_json(ctx: Context = Depends(context)) -> dict[str, object]:
    """The scenarios (counts of planned facilities and paths, when computed) and the form's choices."""
    return views.scenarios_page(ctx)


@router.get("/access/scenarios", response_class=HTMLResponse)
def scenarios(request: Request, ctx: Context = Depends(context)) -> HTMLResponse:
    return _page(request, {**views.scenarios_page(ctx), "values": {"object": "path", "compute": "on"}})


def _create(ctx: Context, form: dict[str, str]) -> str:
    """Check the form and create the scenario in one go (nothing is saved when anything is wrong)."""
    code = form.get("code", "").strip()
    typed = form.get("geometry_text", "").strip()
    geometry = typed or form.get("geometry", "").strip()
    problems = []
    if not code:
        problems.append(Problem(_("skjemaet"), _("skriv en kode"), field="code"))
    if not geometry:
        problems.append(Problem(_("skjemaet"), _("tegn på kartet eller skriv geometrien"), field="geometry"))
    what = form.get("object", "path")
    if what not in views.OBJECTS:
        problems.append(Problem(_("skjemaet"), _("velg sti eller sted"), field="object"))
    known = views.kind_choices(ctx)
    if what == "facility" and form.get("kind", "") not in known:
        problems.append(Problem(_("skjemaet"), _("ukjent type «{kind}»; kjente typer: {known}", kind=form.get(
            "kind", "")[:40], known=", ".join(known)), field="kind"))
    if problems:
        raise InputError(_("Skjemaet er ikke fylt ut riktig; ingenting er lagret"), problems)
    label = form.get("label", "").strip()
    try:
        if what == "path":
            access_scenario.create_planned(ctx, code, form.get("name", "").strip(), form.get("description", ""),
                                           paths=[(geometry, label)])
        else:
            access_scenario.create_planned(ctx, code, form.get("name", "").strip(), form.get("description", ""),
                                           facilities=[(form.get("kind", ""), geometry, label)])
    except ConflictError as exc:
        raise InputError(str(exc), [Problem(_("skjemaet"), str(exc), field="code")]) from None
    return code


@router.post("/access/scenarios", status_code=201)
async def create(request: Request, ctx: Context = Depends(context)) -> Response:
    """Form fields: ``code``, ``name``, ``description``, ``object`` (``path`` or ``facility``), ``kind`` (for a
    facility), ``geometry`` (GeoJSON from the map) or ``geometry_text`` (WKT or GeoJSON, EPSG:4326; wins when
    filled in), ``label``, ``compute`` (``on``: compute at once)."""
    form = {k: str(v) for k, v in (await request.form()).items() if k in FIELDS}
    try:
        code = _create(ctx, form)
    except InputError as exc:
        if _wants_json(request):
            raise
        errors = {p.field or "_form": p.message for p in exc.problems}
        return _page(request, {**views.scenarios_page(ctx), "values": form,
                               "errors": {"message": exc.message, "fields": errors}}, 422)
    result = views.compute(ctx, code) if form.get("compute") == "on" else None
    if _wants_json(request):
        return JSONResponse({"code": code, "url": f"/access/scenarios/{code}", "computed": result}, status_code=201,
                            headers={"Location": f"/access/scenarios/{code}"})
    return RedirectResponse(f"/access/scenarios/{code}", status_code=303)


@router.get("/access/scenarios/{code}.json")
def scenario_json(code: str = Code, kind: str | None = Kind, ctx: Context = Depends(context)) -> dict[str, object]:
    """One scenario: what it adds and, per zone and area, mean distance and share within 500 m before and after."""
    return views.scenario_page(ctx, code, kind or None)


@router.get("/access/scenarios/{code}", response_class=HTMLResponse)
def scenario(request: Request, code: str = Code, kind: str | None = Kind, ctx: Context = Depends(context)
             ) -> HTMLResponse:
    return TEMPLATES.TemplateResponse(request, "access_scenario.html",
                                      {"data": views.scenario_page(ctx, code, kind or None)})


@router.post("/access/scenarios/{code}/compute")
def compute(request: Request, code: str = Code, ctx: Context = Depends(context)) -> Response:
    """Compute before and after (synchronously) and store the rows; 303 to the scenario's page."""
    result = views.compute(ctx, code)
    if _wants_json(request):
        return JSONResponse(result)
    return RedirectResponse(f"/access/scenarios/{code}", status_code=303)


@router.post("/access/scenarios/{code}/remove")
def remove(request: Request, code: str = Code, ctx: Context = Depends(context)) -> Response:
    """Remove the scenario with its planned facilities, paths and results (the real network is untouched)."""
    access_scenario.remove_scenario(ctx, code)
    if _wants_json(request):
        return JSONResponse({"removed": code})
    return RedirectResponse("/access/scenarios", status_code=303)

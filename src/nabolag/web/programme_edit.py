"""Edit forms for an area's goals and measures: add, edit, remove; a measure's status; add or mark a milestone.

Plain form POSTs work alone (303 back to the programme page; 422 with the form and its errors); htmx
requests (``HX-Request``) get the form or the measure's card back as a fragment, and ``HX-Redirect`` after
a saved form. A client that asks for JSON gets the saved object, or 422 with the problems. The services
check the right to change the area (403 for a coordinator of another area) and write the audit entry.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from nabolag.domain.problems import Problem
from nabolag.domain.programme import MeasureStatus, Milestone
from nabolag.errors import InputError, NotFoundError
from nabolag.i18n import _
from nabolag.services import programme as svc
from nabolag.services.context import Context
from nabolag.services.programme_base import writable_area
from nabolag.services.views_programme_page import choices, programme_page, zone_layers
from nabolag.web import programme_forms as forms
from nabolag.web.deps import context, require_signed_in
from nabolag.web.pages import TEMPLATES, AreaCode

router = APIRouter(dependencies=[Depends(require_signed_in)], tags=["programme"])


def object_code() -> Any:
    """A goal's or measure's code in the path (a new declaration per parameter: FastAPI binds it by name)."""
    return Path(max_length=60, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", description="Målets eller tiltakets kode")

OBJECTS = {"goal": ("goals", svc.get_goal, svc.save_goal, svc.remove_goal, forms.goal_from_form,
                    forms.goal_values),
           "measure": ("measures", svc.get_measure, svc.save_measure, svc.remove_measure, forms.measure_from_form,
                       forms.measure_values)}


def is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


def _wants_json(request: Request) -> bool:
    from nabolag.web.app import wants_json  # app.py imports this module

    return wants_json(request)


def errors_of(exc: InputError) -> dict[str, object]:
    """The message, and the problems by field (``_form`` for problems without one), for the templates."""
    by_field: dict[str, list[str]] = {}
    for p in exc.problems:
        by_field.setdefault(p.field or "_form", []).append(p.message)
    return {"message": exc.message, "fields": by_field}


def programme_url(area: str, anchor: str = "") -> str:
    return f"/areas/{area}/programme" + (f"#{anchor}" if anchor else "")


def _form_data(ctx: Context, what: str, area_code: str, code: str | None, values: dict[str, object],
               error: InputError | None = None) -> dict[str, object]:
    area = writable_area(ctx, area_code)
    plural = OBJECTS[what][0]
    return {"area": {"code": area.code, "name": area.name, "synthetic": area.synthetic}, "what": what,
            "code": code, "values": values, "choices": choices(ctx, area.code),
            "action": f"/areas/{area.code}/{plural}" + (f"/{code}" if code else ""),
            "map": {"zones": zone_layers(ctx, area)}, "errors": errors_of(error) if error else None,
            "back": programme_url(area.code), "synthetic": area.synthetic}


def _form(request: Request, data: dict[str, object], status: int = 200) -> Response:
    fragment = is_htmx(request) and status == 422
    name = f"_programme_{data['what']}_form.html" if fragment else f"{data['what']}_form.html"
    return TEMPLATES.TemplateResponse(request, name, {"data": data}, status_code=status)


def _saved(request: Request, area: str, what: str, code: str, item: object, status: int = 200) -> Response:
    url = programme_url(area, f"{what}-{code}")
    if _wants_json(request):
        return JSONResponse(item, status_code=status)
    if is_htmx(request):
        return Response(status_code=200, headers={"HX-Redirect": url})
    return RedirectResponse(url, status_code=303)


def _item(ctx: Context, area: str, what: str, code: str) -> dict[str, object]:
    page = programme_page(ctx, area)
    return next(x for x in page[OBJECTS[what][0]] if x["code"] == code)  # type: ignore[attr-defined]


def _save(request: Request, ctx: Context, what: str, area_code: str, code: str | None, form: FormData) -> Response:
    _plural, get, save, _remove, parse, _values = OBJECTS[what]
    area = writable_area(ctx, area_code)
    stored = get(ctx, area.code, code) if code else None
    try:
        obj = parse(form, area.code, stored)
        if stored is None and obj.code in {x.code for x in (svc.list_goals if what == "goal" else svc.list_measures)(
                ctx, area.code)}:
            raise InputError(_("Koden {code} er allerede brukt i {area}; ingenting er lagret", code=obj.code,
                               area=area.code), [Problem(_("skjemaet"), _("koden er allerede brukt"), field="code")])
        saved = save(ctx, obj)
    except InputError as exc:
        if _wants_json(request):
            raise
        return _form(request, _form_data(ctx, what, area.code, code, forms.posted_values(form), exc), 422)
    return _saved(request, area.code, what, saved.code, _item(ctx, area.code, what, saved.code),
                  201 if stored is None else 200)


@router.get("/areas/{code}/goals/new", response_class=HTMLResponse)
def new_goal(request: Request, code: str = AreaCode, ctx: Context = Depends(context)) -> Response:
    return _form(request, _form_data(ctx, "goal", code, None, forms.goal_values(None)))


@router.get("/areas/{code}/measures/new", response_class=HTMLResponse)
def new_measure(request: Request, code: str = AreaCode, ctx: Context = Depends(context)) -> Response:
    return _form(request, _form_data(ctx, "measure", code, None, forms.measure_values(None)))


@router.get("/areas/{code}/goals/{goal}/edit", response_class=HTMLResponse)
def edit_goal(request: Request, code: str = AreaCode, goal: str = object_code(),
              ctx: Context = Depends(context)) -> Response:
    return _form(request, _form_data(ctx, "goal", code, goal, forms.goal_values(svc.get_goal(ctx, code, goal))))


@router.get("/areas/{code}/measures/{measure}/edit", response_class=HTMLResponse)
def edit_measure(request: Request, code: str = AreaCode, measure: str = object_code(),
                 ctx: Context = Depends(context)) -> Response:
    values = forms.measure_values(svc.get_measure(ctx, code, measure))
    return _form(request, _form_data(ctx, "measure", code, measure, values))


@router.post("/areas/{code}/goals", status_code=201)
async def create_goal(request: Request, code: str = AreaCode, ctx: Context = Depends(context)) -> Response:
    return _save(request, ctx, "goal", code, None, await request.form())


@router.post("/areas/{code}/measures", status_code=201)
async def create_measure(request: Request, code: str = AreaCode, ctx: Context = Depends(context)) -> Response:
    return _save(request, ctx, "measure", code, None, await request.form())


@router.post("/areas/{code}/goals/{goal}")
async def update_goal(request: Request, code: str = AreaCode, goal: str = object_code(),
                      ctx: Context = Depends(context)) -> Response:
    return _save(request, ctx, "goal", code, goal, await request.form())


@router.post("/areas/{code}/measures/{measure}")
async def update_measure(request: Request, code: str = AreaCode, measure: str = object_code(),
                         ctx: Context = Depends(context)) -> Response:
    return _save(request, ctx, "measure", code, measure, await request.form())


@router.get("/areas/{code}/{plural}/{item}/remove", response_class=HTMLResponse)
def confirm_remove(request: Request, code: str = AreaCode, plural: str = Path(pattern="^(goals|measures)$"),
                   item: str = object_code(), ctx: Context = Depends(context)) -> Response:
    what = "goal" if plural == "goals" else "measure"
    area = writable_area(ctx, code)
    obj = OBJECTS[what][1](ctx, area.code, item)
    data = {"area": {"code": area.code, "name": area.name}, "what": what, "code": obj.code, "title": obj.title,
            "action": f"/areas/{area.code}/{plural}/{obj.code}/remove", "back": programme_url(area.code),
            "synthetic": area.synthetic}
    return TEMPLATES.TemplateResponse(request, "programme_remove.html", {"data": data})


@router.post("/areas/{code}/{plural}/{item}/remove")
def remove(request: Request, code: str = AreaCode, plural: str = Path(pattern="^(goals|measures)$"),
           item: str = object_code(), ctx: Context = Depends(context)) -> Response:
    """Remove a goal (its measures stay, without it) or a measure."""
    what = "goal" if plural == "goals" else "measure"
    area = writable_area(ctx, code)
    OBJECTS[what][3](ctx, area.code, item)
    if _wants_json(request):
        return JSONResponse({"removed": item, "what": what})
    if is_htmx(request):
        return Response(status_code=200, headers={"HX-Redirect": programme_url(area.code)})
    return RedirectResponse(programme_url(area.code), status_code=303)


def _card(request: Request, ctx: Context, area_code: str, measure: str, changes: dict[str, object] | None,
          problems: list[tuple[str, str]]) -> Response:
    """Apply ``changes`` to a measure, then answer its card (htmx), the page (a form) or the measure (JSON)."""
    area = writable_area(ctx, area_code)
    error = None
    try:
        forms.refuse(problems)
        svc.update_measure(ctx, area.code, measure, **(changes or {}))
    except InputError as exc:
        if _wants_json(request):
            raise
        error = exc
    if error is None and not is_htmx(request):
        return _saved(request, area.code, "measure", measure, _item(ctx, area.code, "measure", measure))
    data = programme_page(ctx, area.code)
    data["card_errors"] = {"measure": measure, **errors_of(error)} if error else None
    status = 422 if error else 200
    if is_htmx(request):
        item = next(m for m in data["measures"] if m["code"] == measure)  # type: ignore[attr-defined]
        return TEMPLATES.TemplateResponse(request, "_programme_measure.html", {"data": data, "m": item},
                                          status_code=status)
    return TEMPLATES.TemplateResponse(request, "programme.html", {"data": data}, status_code=status)


@router.post("/areas/{code}/measures/{measure}/status")
async def change_status(request: Request, code: str = AreaCode, measure: str = object_code(),
                        ctx: Context = Depends(context)) -> Response:
    """Set a measure's status (``status``: idea, planned, under_way, done, stopped)."""
    status = forms.text(await request.form(), "status")
    valid = tuple(str(s) for s in MeasureStatus)
    if status not in valid:
        return _card(request, ctx, code, measure, None, [("status", _("velg en status"))])
    return _card(request, ctx, code, measure, {"status": MeasureStatus(status)}, [])


@router.post("/areas/{code}/measures/{measure}/milestones")
async def add_milestone(request: Request, code: str = AreaCode, measure: str = object_code(),
                        ctx: Context = Depends(context)) -> Response:
    """Add a milestone (``milestone_title``, ``milestone_due``, optionally ``milestone_done``)."""
    form = await request.form()
    problems: list[tuple[str, str]] = []
    title = forms.text(form, "milestone_title")
    due = forms.parse_date(problems, "milestones", forms.text(form, "milestone_due"))
    done = forms.parse_date(problems, "milestones", forms.text(form, "milestone_done"))
    if due is None and not problems:
        problems.append(("milestones", _("milepælen mangler frist")))
    stored = svc.get_measure(ctx, code, measure)
    changes = None if problems else {"milestones": (*stored.milestones, Milestone(title, due, done))}  # type: ignore[arg-type]
    return _card(request, ctx, code, measure, changes, problems)


@router.post("/areas/{code}/measures/{measure}/milestones/{index}/done")
async def mark_milestone(request: Request, code: str = AreaCode, measure: str = object_code(),
                         index: int = Path(ge=0, le=1000), ctx: Context = Depends(context)) -> Response:
    """Mark milestone number ``index`` (from 0) reached, on ``done`` (default today)."""
    problems: list[tuple[str, str]] = []
    done = forms.parse_date(problems, "milestones", forms.text(await request.form(), "done")) or dt.date.today()
    stored = svc.get_measure(ctx, code, measure)
    if index >= len(stored.milestones):
        raise NotFoundError(_("Tiltaket {measure} har ingen milepæl nummer {n}", measure=measure, n=index + 1))
    changes = None if problems else {"milestones": forms.with_milestone_done(stored, index, done).milestones}
    return _card(request, ctx, code, measure, changes, problems)

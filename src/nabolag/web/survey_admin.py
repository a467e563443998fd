"""Admin pages of the resident surveys: the list with the create form (a built-in template or an uploaded
YAML/JSON questionnaire), one survey's page (status, questionnaire, live counts per zone polled by htmx,
open/close). Invitations, translation and preview are in :mod:`survey_admin_tools`.

Who: admin and analyst every survey; a coordinator the surveys of its own areas (and may create one for
them); viewers and visitors none (403 / sign-in). Every change goes through the survey services, which
check the same rights and write the audit entry; every POST carries the session's CSRF token.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.datastructures import UploadFile

from nabolag.domain.problems import Problem
from nabolag.errors import ConflictError, InputError, NotFoundError
from nabolag.i18n import _
from nabolag.ingest.survey import MAX_BYTES, read_questionnaire_text
from nabolag.services import survey as survey_service
from nabolag.services import survey_templates, survey_web, views_survey
from nabolag.services.context import Context
from nabolag.services.survey_base import Survey
from nabolag.web.deps import context, require_role
from nabolag.web.survey_steps import templates

router = APIRouter(dependencies=[Depends(require_role("analyst", "coordinator"))], tags=["surveys"])
FORM_BODY = {"content": {"application/x-www-form-urlencoded": {"schema": {"type": "object"}},
                         "multipart/form-data": {"schema": {"type": "object"}}}}


def survey_code() -> Any:
    return Path(max_length=60, pattern=r"^[a-z0-9][a-z0-9_-]{0,59}$", description="Undersøkelsens kode")


def wants_json(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    return request.url.path.endswith(".json") or ("json" in accept and "text/html" not in accept)


def render(request: Request, template: str, data: dict[str, Any], status: int = 200) -> Response:
    if wants_json(request):
        return JSONResponse({k: v for k, v in data.items() if k != "form"}, status_code=status)
    return templates().TemplateResponse(request, template, {"data": data}, status_code=status)


def readable(ctx: Context, code: str) -> Survey:
    """The survey, if this user may see its admin pages (else 403; unknown: 404)."""
    s = survey_service.get_survey(ctx, code)
    survey_web.require_read(ctx, s)
    return s


@router.get("/surveys.json")
def surveys_json(request: Request, ctx: Context = Depends(context)) -> Response:
    """The surveys this user may administer, the built-in templates and the areas to choose from."""
    return render(request, "surveys.html", views_survey.list_page(ctx))


@router.get("/surveys", response_class=HTMLResponse)
def surveys_page(request: Request, ctx: Context = Depends(context)) -> Response:
    return render(request, "surveys.html", views_survey.list_page(ctx))


async def _questionnaire(form: Any) -> tuple[Any, str]:
    upload = form.get("file")
    if isinstance(upload, UploadFile) and upload.filename:
        name = upload.filename.rsplit("/", 1)[-1].rsplit("\\", 1)[-1][:120] or "skjema.yaml"
        content = await upload.read(MAX_BYTES + 1)
        if len(content) > MAX_BYTES:
            raise InputError(_("{file}: filen er større enn {mb} MB", file=name, mb=MAX_BYTES // 1_000_000))
        try:
            text = content.decode("utf-8")
        except UnicodeDecodeError:
            raise InputError(_("{file}: filen er ikke UTF-8", file=name)) from None
        return read_questionnaire_text(text, name), name
    name = str(form.get("template") or "")
    if not name:
        raise InputError(_("Velg en mal eller last opp et spørreskjema"),
                         [Problem(_("skjemaet"), _("velg en mal eller en fil"), field="template")])
    try:
        return survey_templates.load_template(name), f"{name}.yaml"
    except NotFoundError as exc:
        raise InputError(str(exc), [Problem(_("skjemaet"), str(exc), field="template")]) from None


@router.post("/surveys", openapi_extra={"requestBody": FORM_BODY}, status_code=201)
async def create(request: Request, ctx: Context = Depends(context)) -> Response:
    """Create a draft survey from a built-in ``template`` or an uploaded ``file`` (YAML or JSON), with
    ``code`` (default the questionnaire's), ``area``, ``mode`` (open | invitation) and ``period``. A bad
    file is a report naming file, section, question and field (422); nothing is stored."""
    form = await request.form(max_files=1, max_fields=20)
    values = {k: str(v)[:200] for k, v in form.items() if isinstance(v, str) and k != "csrf_token"}
    try:
        q, _name = await _questionnaire(form)
        s = survey_service.create_survey(ctx, q, code=values.get("code") or None, area=values.get("area") or None,
                                         mode=values.get("mode") or "open", period=values.get("period", ""))
    except (InputError, ConflictError) as exc:
        status = 409 if isinstance(exc, ConflictError) else 422
        problems = [p.as_dict() for p in exc.problems] if isinstance(exc, InputError) else []
        message = exc.message if isinstance(exc, InputError) else str(exc)
        if wants_json(request):
            return JSONResponse({"error": message, "problems": problems}, status_code=status)
        data = {**views_survey.list_page(ctx), "form": {"values": values, "message": message, "problems": problems}}
        return render(request, "surveys.html", data, status)
    if wants_json(request):
        return JSONResponse(s.as_dict(), status_code=201, headers={"Location": f"/surveys/{s.code}"})
    return RedirectResponse(f"/surveys/{s.code}", status_code=303)


@router.get("/surveys/{code}.json")
def survey_json(request: Request, code: str = survey_code(), ctx: Context = Depends(context)) -> Response:
    """One survey: status, mode, languages, questionnaire outline, counts per zone, links."""
    return render(request, "survey_admin.html", views_survey.survey_page(ctx, readable(ctx, code)))


@router.get("/surveys/{code}/counts.json")
def counts_json(request: Request, code: str = survey_code(), ctx: Context = Depends(context)) -> Response:
    """Responses so far, in all and per home zone (exact: signed-in staff only)."""
    return JSONResponse(views_survey.counts_view(ctx, readable(ctx, code)))


@router.get("/surveys/{code}/counts", response_class=HTMLResponse)
def counts_fragment(request: Request, code: str = survey_code(), ctx: Context = Depends(context)) -> Response:
    """The counts table alone: what the survey page polls every few seconds (htmx)."""
    s = readable(ctx, code)
    data = {"survey": s.as_dict(), "counts": views_survey.counts_view(ctx, s), "links": views_survey.links(code)}
    return templates().TemplateResponse(request, "_survey_counts.html", {"data": data})


@router.get("/surveys/{code}", response_class=HTMLResponse)
def survey_page(request: Request, code: str = survey_code(), ctx: Context = Depends(context)) -> Response:
    return render(request, "survey_admin.html", views_survey.survey_page(ctx, readable(ctx, code)))


@router.post("/surveys/{code}/status", openapi_extra={"requestBody": FORM_BODY})
async def set_status(request: Request, code: str = survey_code(), ctx: Context = Depends(context)) -> Response:
    """Open or close a survey (field ``status``: open | closed); a draft cannot go back to draft."""
    form = await request.form(max_files=0, max_fields=10)
    readable(ctx, code)
    s = survey_service.set_status(ctx, code, str(form.get("status") or ""))
    if wants_json(request):
        return JSONResponse(s.as_dict())
    return RedirectResponse(f"/surveys/{code}", status_code=303)


from nabolag.web import survey_admin_tools  # noqa: E402  (its routes share this router's paths)

router.include_router(survey_admin_tools.router)

"""The public survey form ``/s/{code}``: no sign-in, one page per section, and its JSON twin for apps.

The two POST routes are plain Starlette routes, not FastAPI path operations, so the app-wide CSRF
dependency (:func:`nabolag.web.security.csrf_protect`) does not run for them: a resident has no session
and so no CSRF token. That is the whole exemption, these two routes only; they are guarded instead by the
submission token (one response per token), an Origin/Referer check (a browser posting from another site
gets 403), a rate limit per client address (429), a 64 KB body limit (413) and a honeypot field.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from nabolag.errors import ConflictError, InputError, NotFoundError
from nabolag.i18n import _, set_language
from nabolag.services import survey as survey_service
from nabolag.services import survey_submit, survey_web, views_survey
from nabolag.services.context import Context
from nabolag.services.survey_base import Survey
from nabolag.web import survey_guard as guard
from nabolag.web.deps import context
from nabolag.web.survey_form import HONEYPOT, Unreadable, parse_form, parse_json
from nabolag.web.survey_steps import closed_page, open_survey, refused, render_step, submit_form

router = APIRouter(tags=["surveys"])
CODE = r"^[a-z0-9][a-z0-9_-]{0,59}$"


def ui_language(lang: str) -> None:
    """Buttons and messages in bokmål for nb/nn, in English for every other questionnaire language."""
    set_language("nb" if lang in ("nb", "nn") else "en")


@router.get("/s/{code}.json")
def form_json(request: Request, code: str, lang: str | None = Query(None, max_length=20),
              ctx: Context = Depends(context)) -> Response:
    """The questionnaire of an open survey in one language, the home zones, and a fresh submission token.
    404 for an unknown survey or a draft, 410 for a closed one."""
    found = open_survey(ctx, code)
    if isinstance(found, Survey):
        q = survey_service.get_questionnaire(ctx, code)
        data = views_survey.public_form(ctx, found, q, views_survey.pick_language(q, lang))
        return JSONResponse({**data, "token": survey_submit.new_token()})
    return closed_page(request, found, code, as_json=True)


@router.get("/s/{code}/zone-at.json")
def zone_at(code: str, lon: float = Query(..., ge=-180, le=180), lat: float = Query(..., ge=-90, le=90),
            ctx: Context = Depends(context)) -> Response:
    """The home zone holding a point of the map (``{"code", "name"}``, or ``null`` outside every zone)."""
    found = open_survey(ctx, code)
    if not isinstance(found, Survey):
        raise NotFoundError(_("Ukjent undersøkelse: {code}", code=code[:60]))
    hit = survey_web.zone_at(ctx, found, lon, lat)
    home = survey_web.home_zones(ctx, found)
    return JSONResponse({"code": hit, "name": home.name(hit) if hit else None})


@router.get("/s/{code}/takk", response_class=HTMLResponse)
def thanks(request: Request, code: str, lang: str = Query("nb", max_length=20)) -> Response:
    ui_language(lang)
    from nabolag.web.pages import TEMPLATES

    return TEMPLATES.TemplateResponse(request, "survey_thanks.html", {"data": {"code": code[:60], "lang": lang[:20]}})


@router.get("/s/{code}", response_class=HTMLResponse)
def form_page(request: Request, code: str, lang: str | None = Query(None, max_length=20),
              kode: str = Query("", max_length=60), ctx: Context = Depends(context)) -> Response:
    """The first page of the form (``?lang=`` one of the questionnaire's languages, ``?kode=`` an
    invitation code). 404 for an unknown survey or a draft, 410 for a closed one."""
    found = open_survey(ctx, code)
    if not isinstance(found, Survey):
        return closed_page(request, found, code)
    q = survey_service.get_questionnaire(ctx, code)
    chosen = views_survey.pick_language(q, lang)
    ui_language(chosen)
    from nabolag.web.survey_form import FormState

    state = FormState(token=survey_submit.new_token(), lang=chosen, invitation=kode)
    return render_step(request, ctx, found, q, state, 0)


async def submit_page(request: Request) -> Response:
    """POST /s/{code}: the next or previous section, or the final submit (see :mod:`survey_steps`)."""
    code = request.path_params["code"]
    if (early := await _guard(request)) is not None:
        return early
    try:
        body = await guard.read_body(request)
        if not request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
            raise Unreadable(_("forventet et skjema (application/x-www-form-urlencoded)"))
        state = parse_form(body)
    except guard.BodyTooLarge:
        return _too_large(request)
    except Unreadable as exc:
        return refused(request, 400, _("Skjemaet kunne ikke leses: {reason}", reason=str(exc)))
    ctx = context(request)
    return await submit_form(request, ctx, code, state)


async def submit_json(request: Request) -> Response:
    """POST /s/{code}.json: ``{"token", "language", "answers": {question: value}, "home_zone" |
    "home_point": {"lon", "lat"}, "invitation_code"}`` → 201 ``{"stored": true, "duplicate": false}`` (200
    with ``duplicate: true`` for a token already stored). 422 names the question; 410 closed; 404 unknown."""
    code = request.path_params["code"]
    if (early := await _guard(request, as_json=True)) is not None:
        return early
    try:
        data = parse_json(await guard.read_body(request))
    except guard.BodyTooLarge:
        return _too_large(request, as_json=True)
    except Unreadable as exc:
        return JSONResponse({"error": _("Kan ikke lese JSON: {reason}", reason=str(exc))}, status_code=400)
    ctx = context(request)
    try:
        receipt = await guard.run_submit(ctx.store.dialect, _submit_json, ctx, code, data)
    except InputError as exc:
        return _json_refused(ctx, code, exc)
    except NotFoundError as exc:
        return JSONResponse({"error": str(exc)}, status_code=404)
    except ConflictError as exc:
        return JSONResponse({"error": str(exc)}, status_code=409)
    if receipt is None:  # honeypot: quietly accepted, not stored
        return JSONResponse({"stored": True, "duplicate": False}, status_code=201)
    return JSONResponse({"stored": True, "duplicate": receipt.duplicate}, status_code=200 if receipt.duplicate else 201)


def _submit_json(ctx: Context, code: str, data: dict[str, Any]) -> survey_submit.Receipt | None:
    home_zone = data.get("home_zone")
    point = data.get("home_point")
    if not home_zone and isinstance(point, dict):
        xy = survey_web.parse_point(point.get("lon"), point.get("lat"))
        if xy is None:
            raise InputError(_("Svaret kan ikke lagres: {reason}", reason=_("home_point: forventet lon og lat")))
        home_zone = survey_web.zone_at(ctx, survey_service.get_survey(ctx, code), *xy)
    given = data.get("answers", {})
    if data.get(HONEYPOT):
        return None
    with guard.writer(ctx.store.dialect):
        return survey_submit.submit(ctx, code, given, str(data.get("token", "")), str(data.get("language", "")),
                                    home_zone=home_zone if isinstance(home_zone, str) else None,
                                    invitation_code=str(data.get("invitation_code") or "") or None)


def _json_refused(ctx: Context, code: str, exc: InputError) -> JSONResponse:
    status = 422
    if any(p.field == "survey" for p in exc.problems):
        status = 410
    return JSONResponse({"error": exc.message, "problems": [p.as_dict() for p in exc.problems]}, status_code=status)


async def _guard(request: Request, as_json: bool = False) -> Response | None:
    """Origin/Referer from another site → 403; too many POSTs from this address → 429."""
    if (other := guard.foreign_origin(request)) is not None:
        message = _("Skjemaet ble sendt fra et annet nettsted ({origin}) og er avvist.", origin=other)
        return JSONResponse({"error": message}, status_code=403) if as_json else refused(request, 403, message)
    wait = guard.throttle(request).take(guard.client_address(request))
    if wait:
        message = _("For mange innsendinger fra din adresse. Vent {seconds} sekunder og prøv igjen; svaret ditt "
                    "er ikke lagret ennå.", seconds=wait)
        headers = {"Retry-After": str(wait)}
        if as_json:
            return JSONResponse({"error": message}, status_code=429, headers=headers)
        return refused(request, 429, message, headers)
    return None


def _too_large(request: Request, as_json: bool = False) -> Response:
    message = _("Svaret er for stort: høyst {kb} KB per innsending.", kb=guard.MAX_BODY_BYTES // 1024)
    return JSONResponse({"error": message}, status_code=413) if as_json else refused(request, 413, message)


def redirect_thanks(code: str, lang: str) -> Response:
    return RedirectResponse(f"/s/{code}/takk?lang={lang}", status_code=303)


# the JSON route first: {code} would also match "x.json"
router.add_route("/s/{code}.json", submit_json, methods=["POST"])
router.add_route("/s/{code}", submit_page, methods=["POST"])

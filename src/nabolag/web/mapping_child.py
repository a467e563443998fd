"""The children's map (issue 7): ``/kart`` (type the code), ``/kart/{code}`` (draw routes, mark places) and
its twin ``/kart/{code}.json``; ``POST /kart/{code}.json`` stores one route or place.

No names, no accounts: the access code is the guard. The one POST is a plain Starlette route, so the
app-wide CSRF dependency does not run for it (a child has no session and so no token) — that is the whole
exemption. It is guarded as the survey form is (:mod:`nabolag.web.survey_guard`): the client's token makes
a retry a duplicate, not a second contribution; a browser posting from another site gets 403; a rate limit
per client address (429); a body limit (413, read before parsing); a honeypot field (``website``) that is
quietly accepted and not stored; and the body must be ``application/json`` (a cross-site form cannot send
that without a CORS preflight the app never grants). Looking up a code (page or twin) is rate limited too,
before the lookup, so codes cannot be tried in bulk.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from nabolag.domain.mapping import LANGUAGES
from nabolag.domain.mapping_texts import texts_in
from nabolag.errors import ConflictError, InputError, NotFoundError
from nabolag.i18n import _, set_language
from nabolag.services import mapping
from nabolag.services.context import Context
from nabolag.services.mapping_contribute import Receipt
from nabolag.services.views_mapping import child_page, url_code
from nabolag.web import survey_guard as guard
from nabolag.web.deps import context

router = APIRouter(tags=["mapping"])
HONEYPOT = "website"
MAX_BODY_BYTES = 256 * 1024
"""A route may have 2,000 points (the service's limit, which answers with a clear message); at up to 80
bytes a point in JSON that is 160 KB. Anything larger is not a child's drawing."""
CODE_PATTERN = r"^[A-Za-z0-9 -]{1,24}$"
Lang = Query(None, max_length=5, pattern=r"^[a-z]{2}$")


def _lang(lang: str | None) -> str:
    return lang if lang in LANGUAGES else "nb"


def ui_language(lang: str) -> None:
    """The service's messages: bokmål for nb and nn, English for en."""
    set_language("en" if lang == "en" else "nb")


def templates():  # type: ignore[no-untyped-def]
    from nabolag.web.pages import TEMPLATES

    return TEMPLATES


class _Throttles:
    def __init__(self) -> None:
        self.lookups = guard.SurveyThrottle.from_env()
        if self.lookups.enabled:  # a class opens the page and its twin at once: room for 60 children
            self.lookups = guard.SurveyThrottle(self.lookups.burst * 2, self.lookups.rate * 120)
        self.posts = guard.SurveyThrottle.from_env()


def throttles(request: Request) -> _Throttles:
    state = request.app.state
    found = getattr(state, "mapping_throttles", None)
    if found is None:
        found = state.mapping_throttles = _Throttles()
    return found  # type: ignore[no-any-return]


def _too_many(wait: int) -> str:
    return _("For mange forsøk fra din adresse. Vent {seconds} sekunder og prøv igjen.", seconds=wait)


def start_page(request: Request, lang: str, status: int = 200, error: str = "", teacher_error: str = "",
               typed: str = "", headers: dict[str, str] | None = None) -> HTMLResponse:
    data = {"language": lang, "texts": texts_in(lang), "error": error, "teacher_error": teacher_error,
            "typed": typed[:24], "languages": [{"code": c, "name": {"nb": "Bokmål", "nn": "Nynorsk",
                                                                     "en": "English"}[c]} for c in LANGUAGES]}
    return templates().TemplateResponse(request, "kart_start.html", {"data": data}, status_code=status,
                                        headers=headers)


@router.get("/kart", response_class=HTMLResponse)
def start(request: Request, kode: str = Query("", max_length=40), lang: str | None = Lang,
          ctx: Context = Depends(context)) -> Response:
    """The start page: the child types the code (``?kode=``) and is sent to the map."""
    chosen = _lang(lang)
    ui_language(chosen)
    if not kode.strip():
        return start_page(request, chosen)
    return _open(request, ctx, kode, chosen, as_redirect=True)


@router.get("/kart/laerer", response_class=HTMLResponse)
def teacher_start(request: Request, kode: str = Query("", max_length=40), lang: str | None = Lang,
                  ctx: Context = Depends(context)) -> Response:
    """A teacher's code (``?kode=``) leads to the class's map at ``/mapping/{campaign}?laererkode=…``."""
    chosen = _lang(lang)
    ui_language(chosen)
    if not kode.strip():
        return start_page(request, chosen)
    wait = throttles(request).lookups.take(guard.client_address(request))
    if wait:
        return start_page(request, chosen, 429, teacher_error=_too_many(wait), headers={"Retry-After": str(wait)})
    try:
        campaign = mapping.teacher_campaign(ctx, kode)
    except InputError as exc:
        return start_page(request, chosen, 404, teacher_error=exc.problems[0].message if exc.problems else str(exc))
    return RedirectResponse(f"/mapping/{campaign.code}?laererkode={url_code(kode)}", status_code=303)


def _open(request: Request, ctx: Context, code: str, lang: str, as_json: bool = False,
          as_redirect: bool = False) -> Response:
    wait = throttles(request).lookups.take(guard.client_address(request))
    if wait:
        if as_json:
            return JSONResponse({"error": _too_many(wait)}, status_code=429, headers={"Retry-After": str(wait)})
        return start_page(request, lang, 429, error=_too_many(wait), typed=code, headers={"Retry-After": str(wait)})
    try:
        data = child_page(ctx, code, lang)
    except InputError as exc:
        message = exc.problems[0].message if exc.problems else str(exc)
        if as_json:
            return JSONResponse({"error": message, "problems": [p.as_dict() for p in exc.problems]}, status_code=404)
        return start_page(request, lang, 404, error=message, typed=code)
    if as_redirect:
        return RedirectResponse(f"/kart/{data['code']}?lang={data['language']}", status_code=303)
    if as_json:
        return JSONResponse(data)
    return templates().TemplateResponse(request, "kart.html", {"data": data})


@router.get("/kart/{code}.json")
def child_json(request: Request, code: str, lang: str | None = Lang, ctx: Context = Depends(context)) -> Response:
    """The campaign behind an access code: title, school, grade group, languages, whether it takes
    contributions now, bounds, school point, the children's texts and choices, the map's zones. 404 for an
    unknown code (nothing else is said), 429 when too many codes were tried from this address."""
    chosen = _lang(lang)
    ui_language(chosen)
    return _open(request, ctx, code[:40], chosen, as_json=True)


@router.get("/kart/{code}", response_class=HTMLResponse)
def child_map(request: Request, code: str, lang: str | None = Lang, ctx: Context = Depends(context)) -> Response:
    """The child's map: draw a route or mark a place, then send it."""
    chosen = _lang(lang)
    ui_language(chosen)
    return _open(request, ctx, code[:40], chosen)


async def contribute_json(request: Request) -> Response:
    """POST /kart/{code}.json: ``{"token", "contribution": {kind, geometry, mode, purpose, category, comment,
    grade, gender, language, participant}, "website": ""}`` → 201 ``{"stored": true, "id", "duplicate":
    false}``; 200 with ``duplicate: true`` for a token already stored. 422 with ``problems`` naming the field
    (a forged or closed code is ``campaign_code``); 409 a token used in another campaign; 403 another site;
    413 too large; 429 too many."""
    code = str(request.path_params["code"])[:40]
    if (other := guard.foreign_origin(request)) is not None:
        return JSONResponse({"error": _("Skjemaet ble sendt fra et annet nettsted ({origin}) og er avvist.",
                                        origin=other)}, status_code=403)
    wait = throttles(request).posts.take(guard.client_address(request))
    if wait:
        return JSONResponse({"error": _too_many(wait)}, status_code=429, headers={"Retry-After": str(wait)})
    try:
        body = await guard.read_body(request, MAX_BODY_BYTES)
    except guard.BodyTooLarge:
        return JSONResponse({"error": _("Tegningen er for stor: høyst {kb} KB per innsending.",
                                        kb=MAX_BODY_BYTES // 1024)}, status_code=413)
    if not request.headers.get("content-type", "").startswith("application/json"):
        return JSONResponse({"error": _("Forventet JSON (application/json)")}, status_code=415)
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        return JSONResponse({"error": _("Kan ikke lese JSON: {reason}", reason=str(exc)[:200])}, status_code=400)
    if not isinstance(data, dict) or not isinstance(data.get("contribution"), dict):
        return JSONResponse({"error": _("Forventet et objekt med token og contribution")}, status_code=400)
    contribution: dict[str, Any] = data["contribution"]
    ui_language(str(contribution.get("language") or "nb"))
    if data.get(HONEYPOT):
        return JSONResponse({"stored": True, "id": None, "duplicate": False}, status_code=201)
    ctx = context(request)
    try:
        receipt = await guard.run_submit(ctx.store.dialect, _store, ctx, code, contribution, data.get("token"))
    except InputError as exc:
        return JSONResponse({"error": exc.message, "problems": [p.as_dict() for p in exc.problems]}, status_code=422)
    except ConflictError as exc:
        return JSONResponse({"error": str(exc)}, status_code=409)
    except NotFoundError as exc:
        return JSONResponse({"error": str(exc)}, status_code=404)
    return JSONResponse({"stored": True, "id": receipt.contribution_id, "duplicate": receipt.duplicate},
                        status_code=200 if receipt.duplicate else 201)


def _store(ctx: Context, code: str, contribution: dict[str, Any], token: object) -> Receipt:
    with guard.writer(ctx.store.dialect):
        return mapping.contribute(ctx, code, contribution, token if isinstance(token, str) else "")


router.add_route("/kart/{code}.json", contribute_json, methods=["POST"])

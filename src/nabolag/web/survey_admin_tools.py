"""Survey admin tools: invitation codes (shown once, or as a CSV download), translation into a new language
(the source texts beside an input for each), and a preview of the public form (nothing can be sent)."""

from __future__ import annotations

import csv
import io
from urllib.parse import quote

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from nabolag.domain.survey import LANGUAGE_PATTERN
from nabolag.errors import InputError
from nabolag.i18n import _
from nabolag.services import survey as survey_service
from nabolag.services import survey_submit, survey_web, views_survey
from nabolag.services.context import Context
from nabolag.web.deps import context, require_role
from nabolag.web.survey_admin import FORM_BODY, readable, render, survey_code, wants_json

router = APIRouter(dependencies=[Depends(require_role("analyst", "coordinator"))], tags=["surveys"])
MAX_INVITATIONS = 20_000
TEXT_PREFIX = "t."


def _csv(codes: list[str]) -> str:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["kode"])
    w.writerows([c] for c in codes)
    return out.getvalue()


@router.post("/surveys/{code}/invitations", openapi_extra={"requestBody": FORM_BODY})
async def invitations(request: Request, code: str = survey_code(), ctx: Context = Depends(context)) -> Response:
    """Make ``count`` invitation codes. They are shown once (only their hashes are stored): as a page
    (``format=html``, with a CSV link of the same codes), as a CSV download (``format=csv``) or as JSON."""
    form = await request.form(max_files=0, max_fields=10)
    s = readable(ctx, code)
    text = str(form.get("count") or "").strip()
    count = int(text) if text.isdigit() and len(text) < 7 else 0
    try:
        if not 1 <= count <= MAX_INVITATIONS:
            raise InputError(_("Antall koder må være et helt tall fra 1 til {max}", max=MAX_INVITATIONS))
        codes = survey_submit.create_invitations(ctx, code, count)
    except InputError as exc:
        if wants_json(request):
            return JSONResponse({"error": exc.message}, status_code=422)
        data = {**views_survey.survey_page(ctx, s), "form": {"invitations": exc.message}}
        return render(request, "survey_admin.html", data, 422)
    if wants_json(request):
        return JSONResponse({"survey": code, "codes": codes}, status_code=201)
    body = _csv(codes)
    if form.get("format") == "csv":
        return Response(body, media_type="text/csv; charset=utf-8", headers={
            "Content-Disposition": f'attachment; filename="invitasjonskoder-{code}.csv"',
            "Cache-Control": "no-store"})
    data = {"survey": s.as_dict(), "codes": codes, "csv_href": "data:text/csv;charset=utf-8," + quote(body),
            "csv_name": f"invitasjonskoder-{code}.csv", "links": views_survey.links(code)}
    return render(request, "survey_invitations.html", data, 201)


def _translate_data(ctx: Context, code: str, source: str, language: str, sent: dict[str, str] | None = None,
                    error: InputError | None = None) -> dict[str, object]:
    s = readable(ctx, code)
    rows = survey_service.translation_template(ctx, code, source=source, language=language) if language else {}
    errors: dict[str, list[str]] = {}
    for p in error.problems if error else []:
        errors.setdefault(p.field or "", []).append(p.message)
    return {
        "survey": s.as_dict(), "source": source, "language": language, "links": views_survey.links(code),
        "languages": [{"code": c, "name": views_survey.language_name(c)} for c in s.languages],
        "texts": [{"key": k, "source": v["source"], "text": (sent or {}).get(k, v["text"]),
                   "errors": errors.get(k, [])} for k, v in rows.items()],
        "form": {"message": error.message if error else "", "errors": errors},
        "may_edit": survey_web.may_edit(ctx, s),
    }


@router.get("/surveys/{code}/translate.json")
def translate_json(request: Request, code: str = survey_code(), source: str = Query("nb", max_length=20),
                   language: str = Query("", max_length=20), ctx: Context = Depends(context)) -> Response:
    """Every text of the questionnaire by key, in ``source`` and (where there is one) in ``language``."""
    return render(request, "survey_translate.html", _translate_data(ctx, code, source, language))


@router.get("/surveys/{code}/translate", response_class=HTMLResponse)
def translate_page(request: Request, code: str = survey_code(), source: str = Query("nb", max_length=20),
                   language: str = Query("", max_length=20), ctx: Context = Depends(context)) -> Response:
    if language and not LANGUAGE_PATTERN.match(language):
        raise InputError(_("Ukjent språkkode «{lang}»: bruk f.eks. nn, en, ar, so, pl, ur, ti", lang=language))
    return render(request, "survey_translate.html", _translate_data(ctx, code, source, language))


@router.post("/surveys/{code}/translate", openapi_extra={"requestBody": FORM_BODY})
async def translate(request: Request, code: str = survey_code(), ctx: Context = Depends(context)) -> Response:
    """Store a language: ``language`` and one field ``t.<key>`` per text (every key of the template). Stored as
    a new version; a missing text is 422 beside its key, nothing stored."""
    form = await request.form(max_files=0, max_fields=3000)
    language, source = str(form.get("language") or "")[:20], str(form.get("source") or "nb")[:20]
    texts = {k[len(TEXT_PREFIX):]: str(v) for k, v in form.items() if k.startswith(TEXT_PREFIX)}
    readable(ctx, code)
    try:
        s = survey_service.translate(ctx, code, language, texts)
    except InputError as exc:
        if wants_json(request):
            return JSONResponse({"error": exc.message, "problems": [p.as_dict() for p in exc.problems]},
                                status_code=422)
        return render(request, "survey_translate.html", _translate_data(ctx, code, source, language, texts, exc), 422)
    if wants_json(request):
        return JSONResponse(s.as_dict())
    return RedirectResponse(f"/surveys/{code}", status_code=303)


@router.get("/surveys/{code}/preview", response_class=HTMLResponse)
def preview(request: Request, code: str = survey_code(), lang: str | None = Query(None, max_length=20),
            ctx: Context = Depends(context)) -> Response:
    """Every section of the current version on one page, in ``lang``, as the public form shows them; no
    submit button (also for a draft)."""
    s = readable(ctx, code)
    q = survey_service.get_questionnaire(ctx, code)
    data = views_survey.public_form(ctx, s, q, views_survey.pick_language(q, lang))
    data["links"] = views_survey.links(code)
    return render(request, "survey_preview.html", data)

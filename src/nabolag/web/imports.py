"""Import page: upload zones, statistics or indicator definitions; see the validation report; confirm or discard.

Nothing reaches the database before «Bekreft»: the upload is saved in a staging folder under a random
token (:mod:`nabolag.services.staging`) and checked by a dry run (:mod:`nabolag.services.dry_run`).
Every route needs an analyst or admin; every POST carries the session's CSRF token. Each page has a JSON
twin (``/import.json``, ``/import/{token}.json``) and each POST answers JSON to ``Accept: application/json``.
"""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException

from nabolag.domain.problems import Problem
from nabolag.domain.zones import Level
from nabolag.errors import InputError
from nabolag.i18n import _
from nabolag.services import dry_run, staging
from nabolag.services.context import Context
from nabolag.web.deps import context, require_role
from nabolag.web.pages import TEMPLATES

router = APIRouter(dependencies=[Depends(require_role("analyst"))], tags=["import"])
FORM_OVERHEAD = 256 * 1024  # room for the form fields and multipart boundaries beside the file
FIELDS = ("kind", *{f for fs in staging.TEXT_OPTIONS.values() for f in fs}, *staging.PAIR_OPTIONS,
          *staging.FLAG_OPTIONS)
UPLOAD_BODY = {
    "required": True,
    "content": {"multipart/form-data": {"schema": {
        "type": "object", "required": ["kind", "file", "csrf_token"],
        "properties": {"kind": {"type": "string", "enum": list(staging.KINDS)},
                       "file": {"type": "string", "format": "binary"},
                       "csrf_token": {"type": "string"},
                       **{f: {"type": "string"} for f in sorted(FIELDS) if f != "kind"}}}}},
}


def staging_root(request: Request) -> Path:
    """The staging folder: ``app.state.staging_dir`` if set, else one per database under the temp dir."""
    given = getattr(request.app.state, "staging_dir", None)
    if given:
        return Path(given)
    url = request.app.state.settings.database_url
    return Path(tempfile.gettempdir()) / "nabolag-staging" / hashlib.sha256(url.encode()).hexdigest()[:16]


def _wants_json(request: Request) -> bool:
    from nabolag.web.app import wants_json  # app.py imports this module

    return wants_json(request)


def _form_page(request: Request, ctx: Context, status: int = 200, error: InputError | None = None) -> Response:
    data = {"kinds": list(staging.KINDS), "suffixes": staging.SUFFIXES, "levels": [lv.value for lv in Level],
            "max_import_bytes": ctx.settings.max_import_bytes,
            "pending": [_pending(s) for s in staging.pending(staging_root(request), actor=ctx.actor, role=ctx.role)]}
    if error is not None:
        data["error"] = {"error": error.message, "problems": [p.as_dict() for p in error.problems]}
    if _wants_json(request):
        return JSONResponse(data.get("error") or data, status_code=status)
    return TEMPLATES.TemplateResponse(request, "import.html", {"data": data}, status_code=status)


def _pending(s: staging.Staged) -> dict[str, object]:
    report = s.report or {}
    return {"token": s.token, "kind": s.kind, "file": s.file_name, "owner": s.owner, "size": s.size,
            "ok": bool(report.get("ok")), "errors": report.get("errors", 0), "url": f"/import/{s.token}"}


def _report_page(request: Request, report: dict[str, object], status: int = 200,
                 template: str = "import_report.html") -> Response:
    if _wants_json(request):
        return JSONResponse(report, status_code=status)
    return TEMPLATES.TemplateResponse(request, template, {"data": report}, status_code=status)


@router.get("/import.json")
def import_json(request: Request, ctx: Context = Depends(context)) -> Response:
    """What can be imported, the size limit, and the uploads waiting for confirmation."""
    return _form_page(request, ctx)


@router.get("/import", response_class=HTMLResponse)
def import_form(request: Request, ctx: Context = Depends(context)) -> Response:
    return _form_page(request, ctx)


@router.post("/import", status_code=201, openapi_extra={"requestBody": UPLOAD_BODY},
             responses={413: {"description": "Filen er for stor"}, 422: {"description": "Ugyldig skjema"}})
async def upload(request: Request, ctx: Context = Depends(context)) -> Response:
    """Stage an uploaded file and check it (a dry run: nothing is written). Answers the report."""
    limit = ctx.settings.max_import_bytes
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > limit + FORM_OVERHEAD:
        return _form_page(request, ctx, 413, staging.too_large(_("opplastingen"), limit))
    try:
        form = await request.form(max_files=1, max_fields=len(FIELDS) + 4)
    except HTTPException as exc:
        return _form_page(request, ctx, 400, InputError(_("Skjemaet kunne ikke leses: {why}", why=exc.detail)))
    file, fields = form.get("file"), {k: v for k, v in form.items() if isinstance(v, str)}
    try:
        if not isinstance(file, UploadFile) or not file.filename:
            raise InputError(_("Velg en fil å laste opp"), [Problem("-", _("mangler fil"), field="file")])
        kind = fields.get("kind", "")
        options = staging.parse_options(kind, fields)
        staged = await run_in_threadpool(staging.stage, staging_root(request), file.file, file_name=file.filename,
                                         kind=kind, options=options, owner=ctx.actor, max_bytes=limit)
    except staging.UploadTooLarge as exc:
        return _form_page(request, ctx, 413, exc)
    except InputError as exc:
        return _form_page(request, ctx, 422, exc)
    finally:
        await form.close()
    report = await run_in_threadpool(dry_run.validate, ctx, staging_root(request), staged)
    if _wants_json(request):
        return JSONResponse(report, status_code=201, headers={"Location": f"/import/{staged.token}"})
    return RedirectResponse(f"/import/{staged.token}", status_code=303)


@router.get("/import/{token}.json")
def report_json(request: Request, token: str, ctx: Context = Depends(context)) -> Response:
    """The validation report of a staged upload."""
    staged = staging.load(staging_root(request), token, actor=ctx.actor, role=ctx.role)
    return JSONResponse(staged.report or {})


@router.get("/import/{token}", response_class=HTMLResponse)
def report_page(request: Request, token: str, ctx: Context = Depends(context)) -> Response:
    staged = staging.load(staging_root(request), token, actor=ctx.actor, role=ctx.role)
    return _report_page(request, staged.report or {})


@router.post("/import/{token}/confirm")
def confirm(request: Request, token: str, ctx: Context = Depends(context)) -> Response:
    """Run the real import of a checked upload, recorded with the signed-in user as actor."""
    root = staging_root(request)
    staged = staging.load(root, token, actor=ctx.actor, role=ctx.role)
    if not (staged.report or {}).get("ok"):
        return _report_page(request, staged.report or {}, 409)
    result = dry_run.confirm(ctx, root, staged)
    if not result["ok"]:
        return _report_page(request, result, 422)
    return _report_page(request, result, template="import_done.html")


@router.post("/import/{token}/discard")
def discard(request: Request, token: str, ctx: Context = Depends(context)) -> Response:
    """Throw a staged upload away; nothing was written, nothing is."""
    root = staging_root(request)
    staging.discard(root, staging.load(root, token, actor=ctx.actor, role=ctx.role))
    if _wants_json(request):
        return JSONResponse({"discarded": token})
    return RedirectResponse("/import", status_code=303)

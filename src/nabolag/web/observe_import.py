"""Observation sessions from a CSV file (issue 7): staged, checked by a dry run, stored on confirmation.

- ``POST /observe/import``: multipart ``file`` (``.csv``, columns of :mod:`nabolag.ingest.sessions`): kept under
  a random token and checked (nothing written); 303 to the report (201 with it for JSON).
- ``GET /observe/import/{token}`` (+ ``.json``): the report: what would be stored, or every bad cell by row
  and column.
- ``POST /observe/import/{token}/confirm``: the real import (the service checks again; one transaction,
  audited); 409 if the dry run found problems. ``…/discard``: drop the file.

A staged file is seen only by the user who uploaded it (and admins). Every POST carries the CSRF token.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from nabolag.services import staging
from nabolag.services import views_observation_import as files
from nabolag.services.context import Context
from nabolag.web.deps import context, require_role
from nabolag.web.imports import staging_root
from nabolag.web.mapping_staff import render, wants_json
from nabolag.web.staged_upload import stage_and_check

router = APIRouter(dependencies=[Depends(require_role("analyst", "coordinator"))], tags=["observation"])
UPLOAD_BODY = {"content": {"multipart/form-data": {"schema": {
    "type": "object", "required": ["file", "csrf_token"],
    "properties": {"file": {"type": "string", "format": "binary"}, "csrf_token": {"type": "string"}}}}}}
FORM_BODY = {"content": {"application/x-www-form-urlencoded": {"schema": {"type": "object"}}}}


def _root(request: Request) -> Path:
    return staging_root(request) / "observation"


@router.post("/observe/import", status_code=201, openapi_extra={"requestBody": UPLOAD_BODY},
             responses={413: {"description": "Filen er for stor"}})
async def upload(request: Request, ctx: Context = Depends(context)) -> Response:
    """Stage a sessions CSV and check it (dry run: nothing is written)."""
    return await stage_and_check(request, ctx, _root(request), files.stage_csv, files.check)


def _staged(request: Request, ctx: Context, token: str) -> staging.Staged:
    return files.load_csv(_root(request), token[:64], actor=ctx.actor, role=ctx.role)


@router.get("/observe/import/{token}.json")
def report_json(request: Request, token: str, ctx: Context = Depends(context)) -> Response:
    """The dry run's report of a staged sessions CSV."""
    return JSONResponse(_staged(request, ctx, token).report or {})


@router.get("/observe/import/{token}", response_class=HTMLResponse)
def report_page(request: Request, token: str, ctx: Context = Depends(context)) -> Response:
    return render(request, "observe_import.html", _staged(request, ctx, token).report or {})


@router.post("/observe/import/{token}/confirm", openapi_extra={"requestBody": FORM_BODY})
def confirm(request: Request, token: str, ctx: Context = Depends(context)) -> Response:
    """Store the checked file (409 if the dry run found problems; 422 if it no longer fits)."""
    staged = _staged(request, ctx, token)
    if not (staged.report or {}).get("ok"):
        return render(request, "observe_import.html", staged.report or {}, 409)
    data = files.confirm(ctx, _root(request), staged)
    if not data["ok"]:
        return render(request, "observe_import.html", data, 422)
    staging.discard(_root(request), staged)
    return render(request, "observe_import.html", data)


@router.post("/observe/import/{token}/discard", openapi_extra={"requestBody": FORM_BODY})
def discard(request: Request, token: str, ctx: Context = Depends(context)) -> Response:
    """Drop a staged file without storing anything."""
    staging.discard(_root(request), _staged(request, ctx, token))
    if wants_json(request):
        return JSONResponse({"discarded": token})
    return RedirectResponse("/observe", status_code=303)

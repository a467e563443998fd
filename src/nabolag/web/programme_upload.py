"""Staged upload of a programme file (Excel workbook, CSV of one table, GeoJSON of measures) for one area.

As on the import page: the file is kept under a random token (:mod:`nabolag.services.staging`, in its own
``programme`` folder of the staging area) and checked by a dry run of
:func:`nabolag.services.programme_io.import_programme`; the report lists every problem with file, sheet,
row and column. **Nothing is written before «Bekreft og lagre»**, which runs the real import (validated
again, one transaction, one audit entry naming the user). Only users who may edit the area get here.
"""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from nabolag.domain.problems import Problem, Report
from nabolag.errors import InputError
from nabolag.i18n import _
from nabolag.ingest.programme import KINDS
from nabolag.services import programme_io, staging
from nabolag.services.context import Context
from nabolag.services.programme_base import writable_area
from nabolag.web.deps import context, require_signed_in
from nabolag.web.imports import staging_root
from nabolag.web.pages import TEMPLATES, AreaCode
from nabolag.web.staged_upload import stage_and_check

router = APIRouter(dependencies=[Depends(require_signed_in)], tags=["programme"])
KIND = "programme"


def root(request: Request) -> Path:
    """Programme uploads live in their own folder, so the general import page never lists them."""
    return staging_root(request) / KIND


def _wants_json(request: Request) -> bool:
    from nabolag.web.app import wants_json  # app.py imports this module

    return wants_json(request)


def _report(staged: staging.Staged, area: str, report: Report | None, error: InputError | None,
            confirmed: bool = False) -> dict[str, object]:
    problems = [p.as_dict() for p in (error.problems if error else report.problems if report else [])]
    errors = sum(p["severity"] == "error" for p in problems)
    return {"token": staged.token, "file": staged.file_name, "kind": staged.options.get("table") or None,
            "area": area, "ok": error is None, "errors": errors, "message": error.message if error else None,
            "problems": problems, "confirmed": confirmed,
            "links": {"report": f"/areas/{area}/programme/import/{staged.token}",
                      "programme": f"/areas/{area}/programme"}}


def _check(ctx: Context, request: Request, staged: staging.Staged, area: str, dry_run: bool) -> dict[str, object]:
    table = staged.options.get("table") or None
    try:
        report = programme_io.import_programme(ctx, area, staged.path(root(request)), table,  # type: ignore[arg-type]
                                               dry_run=dry_run, source=_("opplastet i nettleseren"))
    except InputError as exc:
        return _report(staged, area, None, exc)
    return _report(staged, area, report, None, confirmed=not dry_run)


def _answer(request: Request, data: dict[str, object], status: int = 200) -> Response:
    if _wants_json(request):
        return JSONResponse(data, status_code=status)
    return TEMPLATES.TemplateResponse(request, "programme_import.html", {"data": data}, status_code=status)


def _load(request: Request, ctx: Context, code: str, token: str) -> tuple[str, staging.Staged]:
    area = writable_area(ctx, code)
    staged = staging.load(root(request), token, actor=ctx.actor, role=ctx.role)
    if staged.options.get("area") != area.code:
        staged = staging.load(root(request), "-", actor=ctx.actor, role=ctx.role)  # 404, as for an unknown token
    return area.code, staged


@router.post("/areas/{code}/programme/import", status_code=201,
             responses={413: {"description": "Filen er for stor"}, 422: {"description": "Ugyldig skjema"}})
async def upload(request: Request, code: str = AreaCode, ctx: Context = Depends(context)) -> Response:
    """Stage a programme file and check it (nothing is written). Fields: ``file``, ``table`` (for a CSV)."""
    area = writable_area(ctx, code)

    def stage(where: Path, stream: BinaryIO, *, file_name: str, owner: str, max_bytes: int,
              table: str | None = None) -> staging.Staged:
        return staging.stage(where, stream, file_name=file_name, kind=KIND, options={"area": area.code, "table": table},
                             owner=owner, max_bytes=max_bytes)

    return await stage_and_check(request, ctx, root(request), stage,
                                 lambda c, _root, staged: _check(c, request, staged, area.code, True),
                                 fields=_table, max_fields=8)


def _table(form: FormData) -> dict[str, str | None]:
    """The ``table`` field: which table a CSV file holds (a workbook names its sheets itself)."""
    table = form.get("table")
    table = table if isinstance(table, str) and table else None
    if table is not None and table not in KINDS:
        raise InputError(_("Ukjent tabell «{kind}»; forventet {valid}", kind=table[:40], valid=", ".join(KINDS)),
                         [Problem("-", _("ukjent tabell"), field="table", expected=", ".join(KINDS))])
    return {"table": table}


@router.get("/areas/{code}/programme/import/{token}.json")
def report_json(request: Request, token: str, code: str = AreaCode, ctx: Context = Depends(context)) -> Response:
    """The validation report of a staged programme file."""
    _area, staged = _load(request, ctx, code, token)
    return JSONResponse(staged.report or {})


@router.get("/areas/{code}/programme/import/{token}", response_class=HTMLResponse)
def report_page(request: Request, token: str, code: str = AreaCode, ctx: Context = Depends(context)) -> Response:
    _area, staged = _load(request, ctx, code, token)
    return _answer(request, staged.report or {})


@router.post("/areas/{code}/programme/import/{token}/confirm")
def confirm(request: Request, token: str, code: str = AreaCode, ctx: Context = Depends(context)) -> Response:
    """Import the checked file for real (409 if its report had errors; 422 if it no longer fits)."""
    area, staged = _load(request, ctx, code, token)
    if not (staged.report or {}).get("ok"):
        return _answer(request, staged.report or {}, 409)
    data = _check(ctx, request, staged, area, False)
    if not data["ok"]:
        return _answer(request, data, 422)
    staging.discard(root(request), staged)
    return _answer(request, data)


@router.post("/areas/{code}/programme/import/{token}/discard")
def discard(request: Request, token: str, code: str = AreaCode, ctx: Context = Depends(context)) -> Response:
    area, staged = _load(request, ctx, code, token)
    staging.discard(root(request), staged)
    if _wants_json(request):
        return JSONResponse({"discarded": token})
    return RedirectResponse(f"/areas/{area}/programme", status_code=303)

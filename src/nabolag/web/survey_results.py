"""Survey results, researcher export and paper import (issue 6), beside the admin pages of :mod:`survey_admin`.

- ``GET /surveys/{code}/results`` (+ ``.json``): published results (response counts, design effect and
  effective n per place, a radar chart per area against the city, per-indicator values with interval and n,
  change from another round); ``POST …/results/store`` computes and stores them as observations.
- ``POST /surveys/{code}/export``: the anonymised export as a download (CSV in a zip with its codebook, or
  one workbook), written into a temporary directory that is removed after the response is sent.
- ``POST /surveys/{code}/import``: a paper-response CSV is staged and checked by a dry run (nothing written);
  ``GET …/import/{token}`` shows the report naming row and column of every bad cell; ``POST
  …/import/{token}/confirm`` stores the rows (checked again, one transaction), ``…/discard`` drops the file.

Who: as the admin pages (admin and analyst every survey, a coordinator its own areas' surveys); the
services check again (storing and importing need the right to change the survey). Every POST carries the
CSRF token (the app-wide dependency).
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool

from nabolag.services import staging, survey_results, survey_web_files, views_survey_results
from nabolag.services.context import Context
from nabolag.services.survey_base import Survey
from nabolag.web.deps import context, require_role
from nabolag.web.imports import staging_root
from nabolag.web.staged_upload import stage_and_check
from nabolag.web.survey_admin import FORM_BODY, readable, render, survey_code, wants_json

router = APIRouter(dependencies=[Depends(require_role("analyst", "coordinator"))], tags=["surveys"])
UPLOAD_BODY = {"content": {"multipart/form-data": {"schema": {
    "type": "object", "required": ["file", "csrf_token"],
    "properties": {"file": {"type": "string", "format": "binary"}, "csrf_token": {"type": "string"}}}}}}
CHOICE = {"max_length": 60, "pattern": r"^[A-Za-z0-9_-]*$"}


def _results(request: Request, ctx: Context, code: str, area: str | None, place: str | None,
             other: str | None) -> Response:
    s = readable(ctx, code)
    data = views_survey_results.results_page(ctx, s, area=area or None, place=place or None, other=other or None)
    return render(request, "survey_results.html", data)


@router.get("/surveys/{code}/results.json")
def results_json(request: Request, code: str = survey_code(), area: str | None = Query(None, **CHOICE),
                 place: str | None = Query(None, **CHOICE), other: str | None = Query(None, **CHOICE),
                 ctx: Context = Depends(context)) -> Response:
    """Published results: per place responses, design effect and effective n; per indicator value, interval
    and n for ``place``; the radar data per area against the city; change from round ``other``."""
    return _results(request, ctx, code, area, place, other)


@router.get("/surveys/{code}/results", response_class=HTMLResponse)
def results_page(request: Request, code: str = survey_code(), area: str | None = Query(None, **CHOICE),
                 place: str | None = Query(None, **CHOICE), other: str | None = Query(None, **CHOICE),
                 ctx: Context = Depends(context)) -> Response:
    return _results(request, ctx, code, area, place, other)


@router.post("/surveys/{code}/results/store", openapi_extra={"requestBody": FORM_BODY})
def store(request: Request, code: str = survey_code(), ctx: Context = Depends(context)) -> Response:
    """Compute the weighted results and store them as observations of the survey's period (replacing the
    earlier ones); audited."""
    readable(ctx, code)
    n = survey_results.store_results(ctx, code)
    if wants_json(request):
        return JSONResponse({"survey": code, "observations": n})
    return RedirectResponse(f"/surveys/{code}/results", status_code=303)


@router.post("/surveys/{code}/export", openapi_extra={"requestBody": FORM_BODY},
             responses={200: {"content": {"application/zip": {}, survey_web_files.MEDIA_TYPES[".xlsx"]: {}},
                              "description": "The anonymised responses and codebook"}})
async def export(request: Request, code: str = survey_code(), ctx: Context = Depends(context)) -> Response:
    """The anonymised researcher export: ``format`` csv (a zip with the data and the codebook) or xlsx, ``text``
    (free text) and ``points`` (map points, rounded) when checked. Never invitation codes or tokens."""
    form = await request.form(max_files=0, max_fields=10)
    readable(ctx, code)
    on = ("1", "on", "true", "ja", "yes")
    download = await run_in_threadpool(
        survey_web_files.export_download, ctx, code, str(form.get("format") or "csv")[:10],
        include_text=str(form.get("text") or "") in on, include_points=str(form.get("points") or "") in on)
    return FileResponse(download.path, media_type=download.media_type, filename=download.filename,
                        headers={"Cache-Control": "no-store"},
                        background=BackgroundTask(survey_web_files.remove_dir, download.folder))


def _root(request: Request) -> Path:
    return staging_root(request) / "survey"


def _answer(request: Request, survey: Survey, data: dict[str, object], status: int = 200) -> Response:
    return render(request, "survey_import.html", {**data, "title": survey.title}, status)


@router.post("/surveys/{code}/import", status_code=201, openapi_extra={"requestBody": UPLOAD_BODY},
             responses={413: {"description": "Filen er for stor"}})
async def upload(request: Request, code: str = survey_code(), ctx: Context = Depends(context)) -> Response:
    """Stage a CSV of paper responses and check it (dry run: nothing is written). Columns ``zone``,
    ``language`` and question ids (see docs/surveys.md)."""
    readable(ctx, code)
    return await stage_and_check(request, ctx, _root(request),
                                 partial(survey_web_files.stage_paper_csv, survey=code),
                                 partial(survey_web_files.check_paper_csv, dry_run=True))


def _staged(request: Request, ctx: Context, code: str, token: str) -> tuple[Survey, staging.Staged]:
    s = readable(ctx, code)
    return s, survey_web_files.load_paper_csv(_root(request), token[:64], survey=code, actor=ctx.actor,
                                              role=ctx.role)


@router.get("/surveys/{code}/import/{token}.json")
def report_json(request: Request, token: str, code: str = survey_code(), ctx: Context = Depends(context)) -> Response:
    """The dry run's report of a staged paper CSV."""
    _s, staged = _staged(request, ctx, code, token)
    return JSONResponse(staged.report or {})


@router.get("/surveys/{code}/import/{token}", response_class=HTMLResponse)
def report_page(request: Request, token: str, code: str = survey_code(), ctx: Context = Depends(context)) -> Response:
    s, staged = _staged(request, ctx, code, token)
    return _answer(request, s, staged.report or {})


@router.post("/surveys/{code}/import/{token}/confirm", openapi_extra={"requestBody": FORM_BODY})
def confirm(request: Request, token: str, code: str = survey_code(), ctx: Context = Depends(context)) -> Response:
    """Store the checked rows (409 if the dry run found problems; 422 if the file no longer fits)."""
    s, staged = _staged(request, ctx, code, token)
    if not (staged.report or {}).get("ok"):
        return _answer(request, s, staged.report or {}, 409)
    data = survey_web_files.check_paper_csv(ctx, _root(request), staged, dry_run=False)
    if not data["ok"]:
        return _answer(request, s, data, 422)
    staging.discard(_root(request), staged)
    return _answer(request, s, data)


@router.post("/surveys/{code}/import/{token}/discard", openapi_extra={"requestBody": FORM_BODY})
def discard(request: Request, token: str, code: str = survey_code(), ctx: Context = Depends(context)) -> Response:
    """Drop a staged file without storing anything."""
    _s, staged = _staged(request, ctx, code, token)
    staging.discard(_root(request), staged)
    if wants_json(request):
        return JSONResponse({"discarded": token})
    return RedirectResponse(f"/surveys/{code}", status_code=303)

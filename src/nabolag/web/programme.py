"""Programme pages of an area (issue 5): goals, measures and progress (``/areas/{code}/programme``), the
logic model (``/areas/{code}/logic-model``), each with a ``.json`` twin, and the downloads.

Reading is open to everyone (nothing on these pages names a person). The edit forms are in
:mod:`nabolag.web.programme_edit`, the staged upload in :mod:`nabolag.web.programme_upload`; both are
included here, so ``app.py`` registers one router.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path as FilePath

from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse, HTMLResponse, Response
from starlette.background import BackgroundTask

from nabolag.services import programme_io
from nabolag.services.context import Context
from nabolag.services.logic_model import logic_model
from nabolag.services.programme_base import readable_area
from nabolag.services.views_programme_page import programme_page
from nabolag.web import programme_edit, programme_upload
from nabolag.web.deps import context, require_signed_in
from nabolag.web.pages import TEMPLATES, AreaCode, Baseline

router = APIRouter(tags=["programme"])
router.include_router(programme_edit.router)
router.include_router(programme_upload.router)


def _page(request: Request, name: str, data: dict[str, object], status: int = 200) -> HTMLResponse:
    return TEMPLATES.TemplateResponse(request, name, {"data": data}, status_code=status)


@router.get("/areas/{code}/programme.json")
def programme_json(code: str = AreaCode, ctx: Context = Depends(context)) -> dict[str, object]:
    """Goals, measures (with milestones and locations as GeoJSON) and progress rolled up to the area."""
    return programme_page(ctx, code)


@router.get("/areas/{code}/programme", response_class=HTMLResponse)
def programme(request: Request, code: str = AreaCode, ctx: Context = Depends(context)) -> HTMLResponse:
    return _page(request, "programme.html", programme_page(ctx, code))


def _logic_model(ctx: Context, code: str, baseline: str | None) -> dict[str, object]:
    model = logic_model(ctx, code, baseline)
    base = f"/areas/{readable_area(ctx, code).code}"
    return {**model, "links": {"area": base, "programme": f"{base}/programme",
                               "json": f"{base}/logic-model.json"},
            "synthetic": bool(model["area"]["synthetic"])}  # type: ignore[index]


@router.get("/areas/{code}/logic-model.json")
def logic_model_json(code: str = AreaCode, baseline: str | None = Baseline,
                     ctx: Context = Depends(context)) -> dict[str, object]:
    """Goal → measures → indicators → method → baseline / target / latest, with the flags."""
    return _logic_model(ctx, code, baseline)


@router.get("/areas/{code}/logic-model", response_class=HTMLResponse)
def logic_model_page(request: Request, code: str = AreaCode, baseline: str | None = Baseline,
                     ctx: Context = Depends(context)) -> HTMLResponse:
    return _page(request, "logic_model.html", _logic_model(ctx, code, baseline))


def _download(ctx: Context, code: str, suffix: str, kind: str | None, media_type: str) -> Response:
    area = readable_area(ctx, code)
    folder = FilePath(tempfile.mkdtemp(prefix="nabolag-export-"))
    try:
        name = f"{area.code}-{'tiltak' if kind else 'program'}{suffix}"
        path = programme_io.export_programme(ctx, area.code, folder / name, kind)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return FileResponse(path, media_type=media_type, filename=name,
                        background=BackgroundTask(shutil.rmtree, folder, ignore_errors=True))


@router.get("/areas/{code}/programme/export.xlsx", dependencies=[Depends(require_signed_in)],
            response_class=FileResponse)
def export_excel(code: str = AreaCode, ctx: Context = Depends(context)) -> Response:
    """The programme as a workbook (actors, goals, measures, events, inputs); for signed-in users."""
    return _download(ctx, code, ".xlsx", None,
                     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@router.get("/areas/{code}/programme/measures.geojson", dependencies=[Depends(require_signed_in)],
            response_class=FileResponse)
def export_geojson(code: str = AreaCode, ctx: Context = Depends(context)) -> Response:
    """The measures with their locations as GeoJSON (EPSG:4326); for signed-in users."""
    return _download(ctx, code, ".geojson", "measures", "application/geo+json")

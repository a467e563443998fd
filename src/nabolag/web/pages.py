"""Pages and their JSON twins: overview, zones, indicators, areas."""

from __future__ import annotations

from importlib import resources

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from nabolag.i18n import _, get_language
from nabolag.services import views

router = APIRouter()


def _templates() -> Jinja2Templates:
    t = Jinja2Templates(directory=str(resources.files("nabolag.web") / "templates"))
    t.env.globals.update(_=_, lang=get_language)
    return t


TEMPLATES = _templates()


def _page(request: Request, name: str, data: dict[str, object]) -> HTMLResponse:
    return TEMPLATES.TemplateResponse(request, name, {"data": data})


@router.get("/healthz")
def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/index.json")
def overview_json(request: Request) -> dict[str, object]:
    return views.overview(request.app.state.ctx)


@router.get("/", response_class=HTMLResponse)
def overview(request: Request) -> HTMLResponse:
    return _page(request, "overview.html", views.overview(request.app.state.ctx))


@router.get("/zones.json")
def zones_json(request: Request, level: str | None = None) -> dict[str, object]:
    return views.zone_list(request.app.state.ctx, level)


@router.get("/zones", response_class=HTMLResponse)
def zones(request: Request, level: str | None = None) -> HTMLResponse:
    return _page(request, "zones.html", views.zone_list(request.app.state.ctx, level))


@router.get("/zones/{code}.json")
def zone_json(request: Request, code: str) -> dict[str, object]:
    return views.zone_page(request.app.state.ctx, code)


@router.get("/zones/{code}", response_class=HTMLResponse)
def zone(request: Request, code: str) -> HTMLResponse:
    return _page(request, "zone.html", views.zone_page(request.app.state.ctx, code))


@router.get("/indicators.json")
def indicators_json(request: Request) -> dict[str, object]:
    return views.indicator_list(request.app.state.ctx)


@router.get("/indicators", response_class=HTMLResponse)
def indicators(request: Request) -> HTMLResponse:
    return _page(request, "indicators.html", views.indicator_list(request.app.state.ctx))


@router.get("/areas/{code}.json")
def area_json(request: Request, code: str) -> dict[str, object]:
    return views.area_page(request.app.state.ctx, code)


@router.get("/areas/{code}", response_class=HTMLResponse)
def area(request: Request, code: str) -> HTMLResponse:
    return _page(request, "area.html", views.area_page(request.app.state.ctx, code))

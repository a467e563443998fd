"""Pages and their JSON twins: zones, areas, indicators. Each route parses, calls a read model in
:mod:`nabolag.services.views`, and renders the same dict as HTML or returns it as JSON."""

from __future__ import annotations

from importlib import resources

from babel.numbers import format_decimal
from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from nabolag.i18n import _, get_language
from nabolag.services import views
from nabolag.services.context import Context
from nabolag.services.export import COUNT_UNITS
from nabolag.web.deps import context

router = APIRouter()
LOCALES = {"nb": "nb_NO", "en": "en_GB"}


def number(value: object, unit: str = "", digits: int = 2) -> str:
    """A figure for reading: decimal comma in bokmål, no decimals for counts; ``""`` when missing."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    places = 0 if unit.strip().lower() in COUNT_UNITS else digits
    pattern = "#,##0" + ("." + "0" * places if places else "")
    return format_decimal(float(value), format=pattern, locale=LOCALES.get(get_language(), "nb_NO"))  # type: ignore[arg-type]


def interval(low: object, high: object, unit: str = "") -> str:
    """«4,13–5,38», or «−0,74 til −0,01» when a limit is negative (a dash beside a minus misleads)."""
    a, b = number(low, unit), number(high, unit)
    if not a or not b:
        return ""
    negative = any(isinstance(v, int | float) and v < 0 for v in (low, high))
    return _("{low} til {high}", low=a, high=b) if negative else f"{a}–{b}"


def _templates() -> Jinja2Templates:
    t = Jinja2Templates(directory=str(resources.files("nabolag.web") / "templates"))
    t.env.globals.update(_=_, lang=get_language)
    t.env.filters["number"] = number
    t.env.globals["interval"] = interval
    return t


TEMPLATES = _templates()


def _page(request: Request, name: str, data: dict[str, object]) -> HTMLResponse:
    return TEMPLATES.TemplateResponse(request, name, {"data": data})


#: Codes and names in paths and query strings: printable text (a NUL byte would reach PostgreSQL, which
#: refuses it); anything else is a 422 naming the parameter.
TEXT = r"^[^\x00-\x1f\x7f]*$"
Level = Query(None, max_length=40, pattern=TEXT,
              description="Nivå: grunnkrets, delbydel, levekarssone, bydel, kommune …")
Parent = Query(None, max_length=40, pattern=TEXT, description="Bare soner under denne overordnede sonen")
Baseline = Query(None, max_length=100, pattern=TEXT, description="Nullpunktets navn (standard: det nyeste)")
Period = Query(None, max_length=40, pattern=TEXT,
               description="Siste periode som skal med i «siste verdi» (år, dato, kvartal)")
ZoneCode = Path(max_length=40, pattern=TEXT, description="Sonens kode, f.eks. 0301101001")
AreaCode = Path(max_length=200, pattern=TEXT, description="Områdets kode eller navn, f.eks. groruddalen")
IndicatorCode = Path(max_length=100, pattern=TEXT, description="Indikatorens kode, f.eks. lavinntekt")


@router.get("/healthz")
def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/zones.json")
def zones_json(level: str | None = Level, parent: str | None = Parent,
               ctx: Context = Depends(context)) -> dict[str, object]:
    return views.zone_list(ctx, level, parent)


@router.get("/zones", response_class=HTMLResponse)
def zones(request: Request, level: str | None = Level, parent: str | None = Parent,
          ctx: Context = Depends(context)) -> HTMLResponse:
    return _page(request, "zones.html", views.zone_list(ctx, level, parent))


@router.get("/zones/{code}.json")
def zone_json(code: str = ZoneCode, ctx: Context = Depends(context)) -> dict[str, object]:
    return views.zone_page(ctx, code)


@router.get("/zones/{code}", response_class=HTMLResponse)
def zone(request: Request, code: str = ZoneCode, ctx: Context = Depends(context)) -> HTMLResponse:
    return _page(request, "zone.html", views.zone_page(ctx, code))


@router.get("/indicators.json")
def indicators_json(ctx: Context = Depends(context)) -> dict[str, object]:
    return views.indicator_list(ctx)


@router.get("/indicators", response_class=HTMLResponse)
def indicators(request: Request, ctx: Context = Depends(context)) -> HTMLResponse:
    return _page(request, "indicators.html", views.indicator_list(ctx))


@router.get("/indicators/{code}.json")
def indicator_json(code: str = IndicatorCode, ctx: Context = Depends(context)) -> dict[str, object]:
    return views.indicator_page(ctx, code)


@router.get("/indicators/{code}", response_class=HTMLResponse)
def indicator(request: Request, code: str = IndicatorCode, ctx: Context = Depends(context)) -> HTMLResponse:
    return _page(request, "indicator.html", views.indicator_page(ctx, code))


@router.get("/areas.json")
def areas_json(ctx: Context = Depends(context)) -> dict[str, object]:
    return views.area_list(ctx)


@router.get("/areas", response_class=HTMLResponse)
def areas(request: Request, ctx: Context = Depends(context)) -> HTMLResponse:
    return _page(request, "areas.html", views.area_list(ctx))


@router.get("/areas/{code}.json")
def area_json(code: str = AreaCode, baseline: str | None = Baseline, period: str | None = Period,
              ctx: Context = Depends(context)) -> dict[str, object]:
    return views.area_page(ctx, code, baseline, period)


@router.get("/areas/{code}", response_class=HTMLResponse)
def area(request: Request, code: str = AreaCode, baseline: str | None = Baseline, period: str | None = Period,
         ctx: Context = Depends(context)) -> HTMLResponse:
    return _page(request, "area.html", views.area_page(ctx, code, baseline, period))

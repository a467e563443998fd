"""Build the Oslo demo: real zones and population, synthetic living-conditions data, Groruddalen."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from importlib import resources

import pandas as pd
import shapely

from nabolag import demo_data
from nabolag.demo_programme import build_programme
from nabolag.demo_survey import build_surveys
from nabolag.domain.zones import Area, AreaStatus, Level, Zone
from nabolag.i18n import _
from nabolag.ingest.zones import ZoneOptions
from nabolag.services import indicators as indicator_service
from nabolag.services import observations, population, zones
from nabolag.services.baseline import create_baseline
from nabolag.services.context import Context
from nabolag.services.index import compute_index

CITY = "0301"
AREA_CODE = "groruddalen"
AREA_ZONES = ("0301101001", "0301101002", "0301101005", "0301121201", "0301121203", "0301121204",
              "0301111104")  # Ammerud, Rødtvet, Romsås, Furuset, Lindeberg, Trosterud, Haugenstua
COMPARISON_ZONES = ("0301151501", "0301151502", "0301151505", "0301151506", "0301010104",
                    "0301131301")  # Holmlia Syd/Nord, Mortensrud, Bjørndal, Nedre Tøyen, Manglerud
SYNTHETIC_LABEL = "syntetiske demodata"


def _data(name: str) -> str:
    return str(resources.files("nabolag") / "data" / name)


def is_built(ctx: Context) -> bool:
    return any(a.code == AREA_CODE for a in zones.list_areas(ctx))


def build_demo(ctx: Context, rebuild: bool = False, with_baseline: bool = True) -> str:
    """Fill an empty database with the demo; a database that already has it is left as it is.

    ``with_baseline`` freezes the 2018 baseline (nullpunkt) for Groruddalen."""
    if is_built(ctx) and not rebuild:
        return _("Demoen finnes allerede i {url}", url=ctx.store.url)
    say = ctx.progress
    say(_("Soner"), 0.05)
    zones.import_zones(ctx, _data("oslo/bydeler.geojson"), ZoneOptions(
        code_field="bydel_code", name_field="bydel_name", level="bydel"), source="Oslo kommune (bydelsfakta)")
    zones.import_zones(ctx, _data("oslo/delbydeler.geojson"), ZoneOptions(
        code_field="delbydel_code", name_field="delbydel_name", parent_field="bydel_code", level="delbydel"),
        source="Oslo kommune (bydelsfakta)")
    _add_city(ctx)
    zones.import_transitions(ctx, _data("norway/region_transitions.csv"), source="bord4-data")
    say(_("Befolkning"), 0.3)
    for level in ("delbydel", "bydel"):
        population.import_population(ctx, _data("oslo/population_1km_2019.gml"), level=level)
    say(_("Syntetiske indikatorer"), 0.5)
    indicator_service.define_indicators(ctx, demo_data.indicators())
    frame = _synthetic_observations(ctx)
    observations.load_frame(ctx, frame, file_name="demo_data", source=demo_data.SOURCE)
    zones.save_area(ctx, Area(
        code=AREA_CODE, name="Groruddalen", zone_codes=AREA_ZONES, comparison_codes=COMPARISON_ZONES,
        start_date=dt.date(2019, 1, 1), end_date=dt.date(2026, 12, 31), status=AreaStatus.ACTIVE, synthetic=True,
        description="Områdesatsing i Groruddalen (demo): Ammerud, Romsås, Rødtvet, Furuset, Lindeberg, "
                    "Trosterud og Haugenstua. Levekårstallene er " + SYNTHETIC_LABEL + "."))
    say(_("Levekårsindekser"), 0.9)
    for spec in ("oslo-levekar", "ssb-levekar"):
        for period in ("2018", demo_data.YEARS[-1]):
            compute_index(ctx, spec, period)
    if with_baseline:
        create_baseline(ctx, AREA_CODE, period="2018", label=_("Nullpunkt 2018"))
    build_programme(ctx)
    build_surveys(ctx, AREA_ZONES, COMPARISON_ZONES)
    __import__("nabolag.demo_mapping").demo_mapping.build_mapping(ctx)  # issue 7: synthetic maps and counts
    say(_("Ferdig"), 1.0)
    return _("Oslo-demoen er bygd i {url}: {n} observasjoner ({label})", url=ctx.store.url, n=len(frame),
             label=SYNTHETIC_LABEL)


def _add_city(ctx: Context) -> None:
    bydeler = zones.list_zones(ctx, level="bydel", with_geometry=True)
    outline = shapely.union_all([shapely.from_wkb(z.geometry) for z in bydeler if z.geometry])
    city = Zone(code=CITY, name="Oslo", level=Level.KOMMUNE, geometry=shapely.to_wkb(outline),
                source_crs="EPSG:4326")
    zones.define_zones(ctx, [city, *[replace(z, parent_code=CITY) for z in bydeler]])


def _synthetic_observations(ctx: Context) -> pd.DataFrame:
    pop = observations.query(ctx, indicators=["befolkning"], level="delbydel", groups="")
    delbydeler = {z.code: z for z in zones.list_zones(ctx, level="delbydel")}
    base = pd.DataFrame({"code": pop["zone"], "population": pop["value"].astype(float)})
    base["parent"] = base["code"].map(lambda c: delbydeler[c].parent_code)
    frame = demo_data.generate(base, programme_zones=frozenset(AREA_ZONES))
    bydel = demo_data.aggregate(frame, dict(zip(base["code"], base["parent"], strict=True)))
    city = demo_data.aggregate(frame, {c: CITY for c in base["code"]})
    return pd.concat([frame, bydel, city], ignore_index=True)

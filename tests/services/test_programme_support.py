"""Set-up shared by the programme tests (no tests here): the real Groruddalen delbydeler from
../shared/data, one programme area and a second area, a few indicators, and the population.

Import it as ``from services.test_programme_support import ...`` (pytest puts ``tests/`` on the path).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
from sqlalchemy import func, select

from nabolag.domain.actors import Actor, ActorKind
from nabolag.domain.indicators import Direction, Indicator, Kind, Method
from nabolag.domain.programme import Goal, IndicatorLink, Measure, MeasureKind, MeasureStatus, Milestone
from nabolag.domain.zones import Area, AreaStatus
from nabolag.ingest.zones import ZoneOptions
from nabolag.services import Context, observations, zones
from nabolag.services.actors import save_actor
from nabolag.services.indicators import define_indicators
from nabolag.store.tables import audit

AREA = "groruddalen"
OTHER = "sondre-nordstrand"
MEMBERS = ("0301101001", "0301121203")  # Ammerud, Lindeberg
OTHER_MEMBERS = ("0301151501",)  # Holmlia Syd
POPULATION = {"0301101001": 6000.0, "0301121203": 4000.0}  # invented round numbers for the checks

INDICATORS = [
    Indicator("trygghet_kveld", "Trygg om kvelden", unit="prosent", direction=Direction.HIGHER_IS_BETTER,
              kind=Kind.RESULT, method=Method.SURVEY),
    Indicator("bruk_utegym", "Bruk av utegym", unit="antall", direction=Direction.HIGHER_IS_BETTER,
              kind=Kind.RESULT, method=Method.OBSERVATION, suppression_threshold=0),
    Indicator("befolkning", "Befolkning", unit="personer"),
]


def setup(ctx: Context, shared: Path) -> None:
    """Zones, two areas, indicators, population 2019 and two actors (one shared, one of the area)."""
    zones.import_zones(ctx, shared / "oslo" / "delbydeler.geojson",
                       ZoneOptions(code_field="delbydel_code", name_field="delbydel_name",
                                   parent_field="bydel_code", level="delbydel"))
    zones.save_area(ctx, Area(AREA, "Groruddalen", MEMBERS, start_date=dt.date(2019, 1, 1),
                              end_date=dt.date(2026, 12, 31), status=AreaStatus.ACTIVE))
    zones.save_area(ctx, Area(OTHER, "Søndre Nordstrand", OTHER_MEMBERS, status=AreaStatus.ACTIVE))
    define_indicators(ctx, INDICATORS)
    frame = pd.DataFrame({"indicator": "befolkning", "zone": list(POPULATION), "period": "2019",
                          "value": list(POPULATION.values())})
    observations.load_frame(ctx, frame, file_name="befolkning")
    save_actor(ctx, Actor("bydel-grorud", "Bydel Grorud", ActorKind.MUNICIPAL))
    save_actor(ctx, Actor("ammerud-vel", "Ammerud vel", ActorKind.ASSOCIATION, area_code=AREA,
                          founded=dt.date(2020, 3, 1)))


def goal(code: str = "aktivitet", **changes: object) -> Goal:
    values: dict[str, object] = dict(area_code=AREA, code=code, title="Mer aktivitet", dimension="individ",
                                     themes=("folkehelse",), target_groups=("age:13-19", "gender:female"),
                                     indicators=(IndicatorLink("bruk_utegym", "observation", target_value=30,
                                                               target_period="2026"),))
    values.update(changes)
    return Goal(**values)  # type: ignore[arg-type]


#: Ammerudgymmen, at a point inside Ammerud (0301101001).
GYM_POINT = "POINT (10.8722 59.9631)"


def measure(code: str = "utegym", **changes: object) -> Measure:
    import shapely

    values: dict[str, object] = dict(
        area_code=AREA, code=code, title="Utegym", kind=MeasureKind.PHYSICAL, status=MeasureStatus.UNDER_WAY,
        geometry=shapely.to_wkb(shapely.from_wkt(GYM_POINT)), responsible="bydel-grorud", partners=("ammerud-vel",),
        budget=100_000.0, spent=40_000.0, start=dt.date(2020, 1, 1), end=dt.date(2021, 12, 31),
        milestones=(Milestone("Byggestart", dt.date(2020, 6, 1), dt.date(2020, 6, 3)),
                    Milestone("Åpning", dt.date(2021, 6, 1))),
        goals=("aktivitet",), indicators=(IndicatorLink("bruk_utegym", "observation"),))
    values.update(changes)
    return Measure(**values)  # type: ignore[arg-type]


def audit_count(ctx: Context) -> int:
    with ctx.store.read() as conn:
        return int(conn.execute(select(func.count()).select_from(audit)).scalar_one())


def as_role(ctx: Context, role: str, areas: tuple[str, ...] = (), actor: str = "someone") -> Context:
    """The same database seen by another user (shares the store; do not close it)."""
    return Context(settings=ctx.settings, store=ctx.store, actor=actor, role=role, areas=areas)

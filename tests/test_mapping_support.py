"""A small municipality, an area with a measure, and an open map campaign for the issue-7 tests
(imported as ``test_mapping_support``; no tests here)."""

from __future__ import annotations

import datetime as dt
import uuid

import shapely

from nabolag.domain.mapping import MapCampaign
from nabolag.domain.programme import Measure, MeasureKind, MeasureStatus
from nabolag.domain.zones import Area, Level, Zone
from nabolag.services import zones
from nabolag.services.context import Context
from nabolag.services.mapping import create_campaign, open_campaign
from nabolag.services.programme import save_measure

CITY = shapely.box(10.80, 59.90, 10.95, 60.00)
"""The test municipality: about 8.4 km east–west and 11 km north–south."""
AMMERUD = shapely.box(10.85, 59.94, 10.90, 59.98)
LINDEBERG = shapely.box(10.90, 59.92, 10.95, 59.94)
GYM = shapely.Point(10.872, 59.963)


def setup_place(ctx: Context) -> None:
    zones.define_zones(ctx, [
        Zone(code="0301", name="By", level=Level.KOMMUNE, geometry=shapely.to_wkb(CITY)),
        Zone(code="0301101001", name="Ammerud", level=Level.DELBYDEL, parent_code="0301",
             geometry=shapely.to_wkb(AMMERUD)),
        Zone(code="0301121203", name="Lindeberg", level=Level.DELBYDEL, parent_code="0301",
             geometry=shapely.to_wkb(LINDEBERG)),
    ])
    zones.save_area(ctx, Area(code="groruddalen", name="Groruddalen", zone_codes=("0301101001", "0301121203")))
    save_measure(ctx, Measure(area_code="groruddalen", code="utegym", title="Utegym", kind=MeasureKind.PHYSICAL,
                              status=MeasureStatus.DONE, geometry=shapely.to_wkb(GYM), start=dt.date(2021, 6, 1)))


def open_test_campaign(ctx: Context, code: str = "ammerud-5-7", **extra: object) -> MapCampaign:
    values: dict[str, object] = {"code": code, "title": "Skoleveien vår", "school": "Ammerud skole",
                                 "grade_group": "5-7", "area_code": "groruddalen", "school_zone": "0301101001"}
    create_campaign(ctx, MapCampaign(**(values | extra)))  # type: ignore[arg-type]
    return open_campaign(ctx, code)


def token() -> str:
    return uuid.uuid4().hex


def route(*points: tuple[float, float], mode: str = "walk", **extra: object) -> dict[str, object]:
    return {"kind": "route", "geometry": {"type": "LineString", "coordinates": [list(p) for p in points]},
            "mode": mode, "purpose": "school", **extra}


def place(x: float, y: float, category: str = "avoid", **extra: object) -> dict[str, object]:
    return {"kind": "place", "geometry": {"type": "Point", "coordinates": [x, y]}, "category": category, **extra}

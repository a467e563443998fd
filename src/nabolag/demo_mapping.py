"""Synthetic Barnetråkk campaigns at two Groruddalen schools and public-life sessions at Ammerudgymmen and
Lindeberglokalet before and after (issue 7). **Everything here is invented** (marked synthetic): the schools'
places are points inside the real zones, routes run from random homes in the zone to the school with one
bend (there are no street data in the repository), and counts are drawn from Poisson distributions."""

from __future__ import annotations

import datetime as dt
import uuid

import numpy as np
import shapely

from nabolag.domain.mapping import MapCampaign
from nabolag.domain.observation_session import ObservationSession, ObservationSite
from nabolag.services import zones
from nabolag.services.context import Context
from nabolag.services.mapping import close_campaign, create_campaign, open_campaign
from nabolag.services.mapping_indicators import store_map_indicators
from nabolag.services.observation_sessions import session_values
from nabolag.services.public_life import store_use_indicators
from nabolag.store import mapping as repo
from nabolag.store import observation_session as session_repo

SCHOOLS = (("ammerud-skole-2025", "Ammerud skole (demo)", "0301101001", "5-7"),
           ("lindeberg-skole-2025", "Lindeberg skole (demo)", "0301121203", "5-7"))
SITES = (("ammerudgymmen", "Ammerudgymmen", "ammerudgymmen", dt.date(2021, 6, 5), 1.0),
         ("lindeberglokalet", "Lindeberglokalet (uteområdet)", "lindeberglokalet", dt.date(2020, 8, 29), 0.6))
MODES = ("walk", "walk", "walk", "walk", "bike", "bus", "car")
CATEGORIES = ("good", "good", "avoid", "traffic", "activity")


def _inside(rng: np.random.Generator, zone: shapely.Geometry) -> shapely.Point:
    x0, y0, x1, y1 = zone.bounds
    while True:
        p = shapely.Point(rng.uniform(x0, x1), rng.uniform(y0, y1))
        if zone.contains(p):
            return p


def _campaign(ctx: Context, rng: np.random.Generator, code: str, school: str, zone_code: str, grades: str) -> None:
    zone = shapely.from_wkb(next(z for z in zones.list_zones(ctx, level="delbydel", with_geometry=True)
                                 if z.code == zone_code).geometry)
    city = shapely.from_wkb(next(z for z in zones.list_zones(ctx, level="kommune", with_geometry=True)).geometry)
    zone = shapely.make_valid(zone).intersection(shapely.make_valid(city)).buffer(-0.0003)  # ~20-30 m off the edges
    point = zone.representative_point()
    create_campaign(ctx, MapCampaign(code=code, title=f"Skoleveien vår – {school}", school=school, grade_group=grades,
                                     area_code="groruddalen", school_zone=zone_code, school_point=shapely.to_wkb(point),
                                     opens=dt.date(2025, 4, 1), closes=dt.date(2025, 5, 15), synthetic=True))
    open_campaign(ctx, code)
    rows = []
    with ctx.store.read() as conn:
        cid = int(repo.get_campaign(conn, code)["id"])  # type: ignore[index]
    for i in range(40):
        who = f"demo-{code}-{i:03d}"
        line = None
        while line is None or not zone.contains(line):  # a bend outside a non-convex zone: draw again
            home = _inside(rng, zone)
            bend = shapely.Point(home.x, point.y) if rng.random() < 0.5 else shapely.Point(point.x, home.y)
            line = shapely.LineString([home, bend, point])
        base = {"campaign_id": cid, "grade": int(rng.integers(5, 8)), "gender": str(rng.choice(["female", "male"])),
                "language": "nb", "participant": who, "submitted_at": repo.now(), "source": "demo", "comment": "",
                "mode": None, "purpose": None, "category": None}
        rows.append(base | {"token": uuid.uuid4().hex, "kind": "route", "mode": str(rng.choice(MODES)),
                            "purpose": "school", "geometry": shapely.to_wkb(line)})
        for _j in range(int(rng.integers(1, 3))):
            p = shapely.Point(point.x + rng.normal(0, 0.003), point.y + rng.normal(0, 0.0015))
            if zone.contains(p):
                rows.append(base | {"token": uuid.uuid4().hex, "kind": "place",
                                    "category": str(rng.choice(CATEGORIES)), "geometry": shapely.to_wkb(p)})
    with ctx.store.transaction() as conn:
        repo.insert_contributions(conn, rows)
    close_campaign(ctx, code)


def _sessions(ctx: Context, rng: np.random.Generator, site: str, name: str, measure: str, opened: dt.date,
              scale: float) -> None:
    from nabolag.services.observation_sessions import save_site

    save_site(ctx, ObservationSite(code=site, name=name, area_code="groruddalen", measure=measure,
                                   reference_date=opened, synthetic=True))
    with ctx.store.transaction() as conn:
        row = session_repo.get_site(conn, site)
        for year, lift in ((2019, 1.0), (2022, 2.4)):
            for k, (day, start) in enumerate(((3, "12:00"), (5, "17:00"), (10, "19:00"), (12, "12:00"),
                                              (17, "17:00"), (19, "19:00"))):
                s = ObservationSession(uid=f"demo-{site}-{year}-{k}", site=site, date=dt.date(year, 9, day),
                                       start=dt.time.fromisoformat(start), slot_minutes=10, observer="demo",
                                       weather=str(rng.choice(["sunny", "cloudy", "rain"])), synthetic=True)
                sid = session_repo.insert_session(conn, {"uid": s.uid, "source": "demo", "actor": ctx.actor,
                                                         **session_values(s, row)})  # type: ignore[arg-type]
                for slot in range(6):
                    t = (dt.datetime.combine(s.date, s.start) + dt.timedelta(minutes=10 * slot)).strftime("%H:%M")
                    counts = []
                    for age, gender, activity, mean in (("15-24", "male", "physical_activity", 1.2),
                                                        ("15-24", "female", "physical_activity", 0.5 * lift),
                                                        ("25-44", "female", "sitting_public", 0.6),
                                                        ("5-14", "male", "playing", 0.8),
                                                        ("65+", "female", "sitting_public", 0.3)):
                        n = int(rng.poisson(mean * lift * scale))
                        if n:
                            counts.append({"movement": "staying", "age_band": age, "gender": gender,
                                           "activity": activity, "group_size": "", "count": n})
                    session_repo.replace_slot(conn, sid, t, counts)
    store_use_indicators(ctx, site)


def build_mapping(ctx: Context) -> None:
    """Two synthetic campaigns with map indicators for 2025, and sessions before and after two measures."""
    rng = np.random.default_rng(2025)
    for code, school, zone_code, grades in SCHOOLS:
        _campaign(ctx, rng, code, school, zone_code, grades)
    store_map_indicators(ctx, [c[0] for c in SCHOOLS], "2025", synthetic=True)
    for site in SITES:
        _sessions(ctx, rng, *site)

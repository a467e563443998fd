"""Goals and measures: saved whole with an audit entry, checked against the area's real zones, refused whole
on bad input, guarded by role and area, and progress rolled up (checked against a hand computation)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest
import shapely
from pyproj import Transformer
from sqlalchemy import select

from nabolag.domain.actors import Actor, ActorKind
from nabolag.domain.programme import IndicatorLink, MeasureStatus, Milestone
from nabolag.errors import InputError, NotFoundError, PermissionDenied
from nabolag.services import Context, zones
from nabolag.services import programme as svc
from nabolag.services.actors import save_actor
from nabolag.services.measure_location import BUFFER_M
from nabolag.store.tables import audit
from services.test_programme_support import AREA, MEMBERS, OTHER, as_role, audit_count, goal, measure, setup


@pytest.fixture
def pctx(ctx: Context, shared: Path) -> Context:
    setup(ctx, shared)
    return ctx


def test_goal_and_measure_are_saved_whole_and_audited(pctx: Context) -> None:
    g = svc.save_goal(pctx, goal())
    assert replace(g, id=None) == goal()
    m = svc.save_measure(pctx, measure())
    assert replace(m, id=None) == measure()
    assert svc.list_measures(pctx, "Groruddalen")[0].code == "utegym"  # the area by its name too
    with pctx.store.read() as conn:
        rows = conn.execute(select(audit.c.actor, audit.c.action, audit.c.object_type, audit.c.object_key)
                            .where(audit.c.object_type.in_(["goal", "measure"]))).all()
    assert rows == [("test", "create", "goal", "groruddalen:aktivitet"), ("test", "create", "measure", "groruddalen:utegym")]
    svc.save_measure(pctx, measure(status=MeasureStatus.DONE, milestones=()))  # a save by code replaces
    assert svc.get_measure(pctx, AREA, "utegym").status == MeasureStatus.DONE
    assert svc.get_measure(pctx, AREA, "utegym").milestones == ()


def test_update_and_remove(pctx: Context) -> None:
    svc.save_goal(pctx, goal())
    svc.save_measure(pctx, measure())
    stones = (*measure().milestones, Milestone("Evaluering", dt.date(2021, 12, 1)))
    assert svc.update_measure(pctx, AREA, "utegym", milestones=stones).milestones == stones
    with pytest.raises(InputError, match="sluttdato"):
        svc.update_measure(pctx, AREA, "utegym", end=dt.date(2021, 6, 30))
    svc.remove_goal(pctx, AREA, "aktivitet")
    assert svc.get_measure(pctx, AREA, "utegym").goals == ()  # the measure stays, without the goal
    svc.remove_measure(pctx, AREA, "utegym")
    assert svc.list_measures(pctx, AREA) == []
    with pytest.raises(NotFoundError, match="utegym"):
        svc.remove_measure(pctx, AREA, "utegym")


OUTSIDE = shapely.to_wkb(shapely.Point(10.7800, 59.8800))  # Holmlia, far from Ammerud and Lindeberg

BAD = [
    ("outside the area", lambda: measure(geometry=OUTSIDE), "geometry", "utenfor områdets soner"),
    ("milestone after the end", lambda: measure(milestones=(Milestone("Sent", dt.date(2022, 3, 1)),)),
     "milestones", "etter tiltakets sluttdato 2021-12-31"),
    ("unknown indicator", lambda: measure(indicators=(IndicatorLink("finnes_ikke", "survey"),)), "indicators",
     "ukjent indikator: finnes_ikke"),
    ("unknown goal", lambda: measure(goals=("fantasi",)), "goals", "ukjent mål i groruddalen: fantasi"),
    ("unknown actor", lambda: measure(partners=("ukjent-lag",)), "partners", "ukjent aktør: ukjent-lag"),
    ("unknown method", lambda: measure(indicators=(IndicatorLink("bruk_utegym", "gjetting"),)), "indicators",
     "ukjent metode «gjetting»"),
    ("negative budget", lambda: measure(budget=-5.0), "budget", "ikke er negativt"),
    ("not a location", lambda: measure(geometry=shapely.to_wkb(shapely.GeometryCollection([
        shapely.Point(10.87, 59.96)]))), "geometry", "punkt, en linje eller et område"),
]


@pytest.mark.parametrize(("label", "make", "field", "text"), BAD, ids=[b[0] for b in BAD])
def test_bad_measure_is_refused_whole(pctx: Context, label: str, make, field: str, text: str) -> None:
    svc.save_goal(pctx, goal())
    before = audit_count(pctx)
    with pytest.raises(InputError) as err:
        svc.save_measure(pctx, make())
    assert "ingenting er lagret" in str(err.value) and "tiltaket groruddalen/utegym" in str(err.value)
    assert any(p.field == field and text in p.message for p in err.value.problems), err.value.problems
    assert svc.list_measures(pctx, AREA) == [] and audit_count(pctx) == before


@pytest.mark.parametrize(("changes", "field", "text"), [
    ({"dimension": "ukjent"}, "dimension", "ukjent dimensjon: ukjent"),
    ({"themes": ("trygghet", "lykke")}, "themes", "ukjent tema: lykke"),
    ({"target_groups": ("age:19-13",)}, "target_groups", "ukjent gruppe «age:19-13»"),
    ({"indicators": (IndicatorLink("finnes_ikke"),)}, "indicators", "ukjent indikator: finnes_ikke"),
    ({"code": "med mellomrom"}, "code", "koden må ha 1–60 tegn"),
    ({"start": dt.date(2024, 1, 1), "end": dt.date(2020, 1, 1)}, "end", "sluttdato 2020-01-01 er før"),
])
def test_bad_goal_is_refused(pctx: Context, changes: dict[str, object], field: str, text: str) -> None:
    with pytest.raises(InputError) as err:
        svc.save_goal(pctx, goal(**changes))
    assert any(p.field == field and text in p.message for p in err.value.problems), err.value.problems
    assert svc.list_goals(pctx, AREA) == []


def _metric(geom: shapely.Geometry) -> shapely.Geometry:
    t = Transformer.from_crs("EPSG:4326", "EPSG:25833", always_xy=True)
    return shapely.transform(geom, lambda xy: list(zip(*t.transform(xy[:, 0], xy[:, 1]), strict=True)))


def test_a_measure_may_reach_a_little_past_the_edge(pctx: Context) -> None:
    """Independent check in metres: points east of Ammerud's easternmost vertex lie exactly that far (or
    further) outside; within the buffer is accepted, beyond it refused."""
    svc.save_goal(pctx, goal())
    ammerud = shapely.from_wkb(zones.get_zone(pctx, MEMBERS[0]).geometry)
    metric = _metric(ammerud)
    x, y = max(shapely.get_coordinates(metric.exterior if metric.geom_type == "Polygon" else
                                       shapely.get_exterior_ring(max(metric.geoms, key=lambda g: g.area))).tolist())
    back = Transformer.from_crs("EPSG:25833", "EPSG:4326", always_xy=True)
    union = _metric(shapely.union_all([shapely.from_wkb(zones.get_zone(pctx, c).geometry) for c in MEMBERS]))
    near, far = (shapely.Point(back.transform(x + d, y)) for d in (BUFFER_M / 2, BUFFER_M * 2))
    assert 0 < union.distance(_metric(near)) <= BUFFER_M < union.distance(_metric(far))
    svc.save_measure(pctx, measure(geometry=shapely.to_wkb(near)))
    with pytest.raises(InputError, match="utenfor"):
        svc.save_measure(pctx, measure(code="langt-unna", geometry=shapely.to_wkb(far)))
    line = shapely.LineString([(10.8690, 59.9600), (10.8745, 59.9590)])  # a path through Ammerud
    assert svc.save_measure(pctx, measure(code="sti", geometry=shapely.to_wkb(line))).geometry is not None


def test_permissions_follow_role_and_area(pctx: Context) -> None:
    mine = as_role(pctx, "coordinator", areas=(AREA,), actor="kari")
    svc.save_goal(mine, goal())
    svc.save_measure(mine, measure())
    stranger = as_role(pctx, "coordinator", areas=(OTHER,), actor="ola")
    before = audit_count(pctx)
    for attempt in (lambda c: svc.save_goal(c, goal(code="annet")), lambda c: svc.save_measure(c, measure("x")),
                    lambda c: svc.remove_measure(c, AREA, "utegym"), lambda c: svc.remove_goal(c, AREA, "aktivitet")):
        for who in (stranger, as_role(pctx, "viewer"), as_role(pctx, "public")):
            with pytest.raises(PermissionDenied):
                attempt(who)
    assert audit_count(pctx) == before
    assert [g.code for g in svc.list_goals(pctx, AREA)] == ["aktivitet"]
    svc.save_goal(as_role(pctx, "analyst"), goal(code="analytikerens"))  # analysts may change every area
    # Actors: a coordinator edits its own area's actors, not those of the whole municipality or another area.
    save_actor(mine, Actor("ungdomsrad", "Ungdomsrådet", ActorKind.ASSOCIATION, area_code=AREA))
    with pytest.raises(PermissionDenied):
        save_actor(mine, Actor("nav", "NAV", ActorKind.NAV))
    with pytest.raises(PermissionDenied):
        save_actor(mine, Actor("ungdomsrad", "Ungdomsrådet", ActorKind.ASSOCIATION, area_code=OTHER))
    with pytest.raises(PermissionDenied):
        save_actor(stranger, Actor("ungdomsrad", "Ungdomsrådet", ActorKind.ASSOCIATION, area_code=OTHER))
    with pctx.store.read() as conn:
        who = {a for (a,) in conn.execute(select(audit.c.actor).where(audit.c.object_type.in_(["goal", "measure"])))}
    assert who == {"kari", "someone"}


def test_progress_rolls_up_from_measures_to_goals_and_area(pctx: Context) -> None:
    """By hand: g1 is served by A (done: 1), B (1 of 2 milestones: 0.5) and D (stopped: left out) → 0.75;
    g2 by B, C (idea: 0) and E (under way, no milestones: unknown) → 0.25; the area is the mean of its
    goals → 0.5. Budgets count each measure once."""
    svc.save_goal(pctx, goal("g1"))
    svc.save_goal(pctx, goal("g2"))
    d = dt.date(2020, 6, 1)
    specs = {"a": ("done", ("g1",), ()), "b": ("under_way", ("g1", "g2"), (Milestone("x", d, d), Milestone("y", d))),
             "c": ("idea", ("g2",), ()), "d": ("stopped", ("g1",), ()), "e": ("under_way", ("g2",), ())}
    for code, (status, goals, stones) in specs.items():
        svc.save_measure(pctx, measure(code, status=MeasureStatus(status), goals=goals, milestones=stones,
                                       budget=1000.0, spent=100.0))
    report = svc.progress(pctx, AREA)
    assert report.measures == {"a": 1.0, "b": 0.5, "c": 0.0, "d": None, "e": None}
    assert report.goals["g1"].value == pytest.approx(0.75) and report.goals["g2"].value == pytest.approx(0.25)
    assert report.total.value == pytest.approx(0.5)
    assert report.total.measures == 5 and report.total.budget == 5000 and report.total.spent == 500
    assert report.goals["g1"].by_status["stopped"] == 1 and report.goals["g2"].unknown == 1
    assert report.as_dict()["total"]["percent"] == 50.0  # type: ignore[index]

"""Import and export of the programme: round trips (Excel, CSV, GeoJSON) from the demo into an empty
programme and back, and a bad file that names sheet, row and column and leaves nothing behind."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import shapely
from pyproj import Transformer
from sqlalchemy import delete, func, select

from nabolag.errors import InputError, PermissionDenied
from nabolag.services import Context
from nabolag.services import programme as svc
from nabolag.services.logic_model import logic_model
from nabolag.services.programme_io import ORDER, export_programme, import_programme
from nabolag.store.programme_tables import actor, goal, measure, participation_input
from nabolag.store.programme_tables import event as event_table
from nabolag.store.tables import import_batch
from services.test_programme_support import AREA, as_role, setup
from services.test_programme_support import goal as make_goal
from services.test_programme_support import measure as make_measure


def _wipe(ctx: Context) -> None:
    """Take the demo's programme away again (everything else of the demo stays)."""
    with ctx.store.transaction() as conn:
        for t in (participation_input, event_table, measure, goal, actor):
            conn.execute(delete(t))


def _sheets(path: Path) -> dict[str, pd.DataFrame]:
    return pd.read_excel(path, sheet_name=None, dtype=str, keep_default_na=False)


def test_round_trip_of_the_demo_programme(demo_url: str, tmp_path: Path) -> None:
    with Context.open(demo_url, actor="test") as ctx:
        before = logic_model(ctx, AREA)
        export_programme(ctx, AREA, tmp_path / "a.xlsx")
        export_programme(ctx, AREA, tmp_path / "a.geojson")
        for kind in ORDER:
            export_programme(ctx, AREA, tmp_path / f"a-{kind}.csv", kind)
        _wipe(ctx)
        assert svc.list_goals(ctx, AREA) == []
        report = import_programme(ctx, AREA, tmp_path / "a.xlsx")
        assert report.ok and "measures 8" in report.problems[-1].message
        export_programme(ctx, AREA, tmp_path / "b.xlsx")
        a, b = _sheets(tmp_path / "a.xlsx"), _sheets(tmp_path / "b.xlsx")
        assert set(a) == {*ORDER, "note"}
        for kind in ORDER:
            pd.testing.assert_frame_equal(a[kind], b[kind], obj=kind)
        assert logic_model(ctx, AREA) == before  # the same chain, values and flags
        assert all(m.synthetic for m in svc.list_measures(ctx, AREA))  # still marked as demo content
        # GeoJSON: the measures again, by code (an update), and the same file out.
        import_programme(ctx, AREA, tmp_path / "a.geojson")
        export_programme(ctx, AREA, tmp_path / "b.geojson")
        assert json.loads((tmp_path / "a.geojson").read_text()) == json.loads((tmp_path / "b.geojson").read_text())
        # CSV, one kind per file, in the order references need.
        _wipe(ctx)
        for kind in ORDER:
            import_programme(ctx, AREA, tmp_path / f"a-{kind}.csv", kind)
        for kind in ORDER:
            export_programme(ctx, AREA, tmp_path / f"b-{kind}.csv", kind)
            assert (tmp_path / f"a-{kind}.csv").read_text() == (tmp_path / f"b-{kind}.csv").read_text(), kind


@pytest.fixture
def pctx(ctx: Context, shared: Path) -> Context:
    setup(ctx, shared)
    svc.save_goal(ctx, make_goal())
    svc.save_measure(ctx, make_measure())
    return ctx


def _batches(ctx: Context) -> int:
    with ctx.store.read() as conn:
        return int(conn.execute(select(func.count()).select_from(import_batch)).scalar_one())


def test_a_bad_workbook_names_every_place_and_saves_nothing(pctx: Context, tmp_path: Path) -> None:
    path = tmp_path / "program.xlsx"
    export_programme(pctx, AREA, path)
    wb = openpyxl.load_workbook(path)
    goals, measures = wb["goals"], wb["measures"]
    goals.append(["trygghet", "Tryggere", "samspill", "trygghet; lykke"])  # row 3: unknown theme
    header = [c.value for c in measures[1]]
    measures.cell(2, header.index("indicators") + 1, "finnes_ikke:survey")
    measures.cell(2, header.index("end") + 1, "2020-12-31")  # before the milestone «Åpning» 2021-06-01
    measures.append(["ny", "Ny", "physical", "", "", "", "", "", "", "", "", "", "", "",
                     "POINT (10.78 59.88)"])  # row 3: far outside the area
    wb.save(path)
    batches, before = _batches(pctx), svc.list_measures(pctx, AREA)
    with pytest.raises(InputError) as err:
        import_programme(pctx, AREA, path)
    found = {(p.file, p.row, p.field) for p in err.value.problems}
    assert found == {("program.xlsx [goals]", 3, "themes"), ("program.xlsx [measures]", 2, "indicators"),
                     ("program.xlsx [measures]", 2, "milestones"), ("program.xlsx [measures]", 3, "geometry")}
    assert "ingenting er lagret" in str(err.value) and "ukjent tema: lykke" in str(err.value)
    assert svc.list_measures(pctx, AREA) == before and _batches(pctx) == batches
    assert [g.code for g in svc.list_goals(pctx, AREA)] == ["aktivitet"]


def test_bad_cells_and_files(pctx: Context, tmp_path: Path) -> None:
    csv = tmp_path / "tiltak.csv"
    csv.write_text("code,title,kind,budget,start,milestones\nx,X,rocket,mange,2021-13-01,2021-01-01 | | \n")
    with pytest.raises(InputError) as err:
        import_programme(pctx, AREA, csv, "measures")
    assert {(p.row, p.field) for p in err.value.problems} == {(2, "kind"), (2, "budget"), (2, "start"),
                                                              (2, "milestones")}
    with pytest.raises(InputError, match="mangler kolonnene title"):
        csv.write_text("code,kind\nx,physical\n")
        import_programme(pctx, AREA, csv, "measures")
    with pytest.raises(InputError, match="hvilken tabell"):
        import_programme(pctx, AREA, csv)
    with pytest.raises(InputError, match="kan bare inneholde tiltak"):
        export_programme(pctx, AREA, tmp_path / "x.geojson", "goals")
    with pytest.raises(InputError, match=".pdf"):
        export_programme(pctx, AREA, tmp_path / "x.pdf")
    dup = tmp_path / "mål.csv"
    dup.write_text("code,title,dimension\na,A,individ\na,B,individ\n")
    with pytest.raises(InputError, match="flere ganger"):
        import_programme(pctx, AREA, dup, "goals")


def test_geojson_in_another_crs_and_dry_run(pctx: Context, tmp_path: Path) -> None:
    to_utm = Transformer.from_crs("EPSG:4326", "EPSG:25833", always_xy=True)
    x, y = to_utm.transform(10.8722, 59.9631)
    data = {"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": "EPSG:25833"}},
            "features": [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [x, y]},
                          "properties": {"code": "benk", "title": "Benk", "kind": "physical", "goals": ["aktivitet"],
                                         "milestones": [{"title": "Satt opp", "due": "2024-05-01", "done": None}]}}]}
    path = tmp_path / "tiltak.geojson"
    path.write_text(json.dumps(data))
    report = import_programme(pctx, AREA, path, dry_run=True)
    assert report.ok and [m.code for m in svc.list_measures(pctx, AREA)] == ["utegym"]
    import_programme(pctx, AREA, path)
    benk = svc.get_measure(pctx, AREA, "benk")
    point = shapely.from_wkb(benk.geometry)
    assert (point.x, point.y) == pytest.approx((10.8722, 59.9631), abs=1e-7)
    assert benk.goals == ("aktivitet",) and benk.milestones[0].title == "Satt opp"


def test_import_and_export_rights(pctx: Context, tmp_path: Path) -> None:
    path = tmp_path / "p.xlsx"
    export_programme(as_role(pctx, "viewer"), AREA, path)
    with pytest.raises(PermissionDenied):
        export_programme(as_role(pctx, "public"), AREA, tmp_path / "q.xlsx")
    with pytest.raises(PermissionDenied):
        import_programme(as_role(pctx, "coordinator", ("annet",)), AREA, path)
    # A coordinator may carry the municipality's actors along unchanged, but not change them.
    coordinator = as_role(pctx, "coordinator", (AREA,))
    assert import_programme(coordinator, AREA, path).ok
    wb = openpyxl.load_workbook(path)
    rows = list(wb["actors"].iter_rows(min_row=2))
    shared = next(r for r in rows if r[0].value == "bydel-grorud")
    shared[1].value = "Bydel Grorud (nytt navn)"
    wb.save(path)
    with pytest.raises(InputError, match="hele kommunen"):
        import_programme(coordinator, AREA, path)
    assert import_programme(pctx, AREA, path).ok  # an admin may

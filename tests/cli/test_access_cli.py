"""nabolag access: build, people, facilities, compute with a scenario, and clear errors."""

from pathlib import Path

from typer.testing import CliRunner

from nabolag.cli.main import app
from nabolag.services import Context
from nabolag.services.observations import query

runner = CliRunner()


def _run(db_url: str, *args: str) -> object:
    return runner.invoke(app, ["--database", db_url, "access", *args])


def test_access_commands(db_url: str, shared: Path, tmp_path: Path) -> None:
    helsinki = shared / "helsinki"
    zones = tmp_path / "soner.geojson"
    zones.write_text('{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": '
                     '{"kode": "h1", "navn": "Sentrum"}, "geometry": {"type": "Polygon", "coordinates": '
                     '[[[24.935, 60.164], [24.954, 60.164], [24.954, 60.179], [24.935, 60.179], [24.935, 60.164]]]}}]}',
                     encoding="utf-8")
    r = runner.invoke(app, ["--database", db_url, "import", "zones", str(zones), "--code-field", "kode",
                            "--name-field", "navn", "--level", "grunnkrets"])
    assert r.exit_code == 0, r.output
    r = _run(db_url, "compute")
    assert r.exit_code == 3 and "access build" in r.output
    r = _run(db_url, "build")
    assert r.exit_code == 2 and "--osm" in r.output
    r = _run(db_url, "build", "--osm", str(helsinki / "helsinki_centre.osm.pbf"), "--date", "2020-06-01")
    assert r.exit_code == 0 and "EPSG:25835" in r.output, r.output
    assert _run(db_url, "people", str(helsinki / "population_grid_2020.gpkg"), "--grid").exit_code == 0
    r = _run(db_url, "facilities", str(helsinki / "helsinki_centre.osm.pbf"), "--kinds", "park,pub")
    assert r.exit_code == 2 and "pub" in r.output
    assert _run(db_url, "facilities", str(helsinki / "helsinki_centre.osm.pbf"), "--kinds", "park").exit_code == 0
    r = _run(db_url, "compute", "--kinds", "park", "--max-distance", "1500", "--within", "250,500")
    assert r.exit_code == 0 and "2020" in r.output, r.output
    r = _run(db_url, "scenario", "add", "ny-park", "--facility", "POINT (24.9455 60.1712)", "--kind", "park")
    assert r.exit_code == 0, r.output
    assert "ny-park" in _run(db_url, "scenario", "list").output
    r = _run(db_url, "compute", "--kinds", "park", "--scenario", "ny-park")
    assert r.exit_code == 0, r.output
    assert _run(db_url, "scenario", "remove", "ny-park").exit_code == 0
    assert _run(db_url, "scenario", "remove", "ny-park").exit_code == 3


def test_access_demo_builds_the_helsinki_database(db_url: str, shared: Path, tmp_path: Path) -> None:
    r = _run(db_url, "demo", "--data", str(tmp_path))
    assert r.exit_code != 0 and "helsinki_centre.osm.pbf" in r.output  # type: ignore[attr-defined]  # a folder without the files is named
    r = _run(db_url, "demo", "--data", str(shared / "helsinki"))
    assert r.exit_code == 0, r.output  # type: ignore[attr-defined]
    with Context.open(db_url, actor="test", create=False) as ctx:
        stored = query(ctx, indicators=["access_park_mean_m"], level="grunnkrets", groups="")
    assert len(stored) >= 8 and set(stored["period"]) == {"2020"}

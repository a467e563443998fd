"""``nabolag import zones|transitions|population``: exit codes, messages on stderr, the database untouched."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from geo_support import dump, feature, square, write_geojson
from nabolag.cli.main import app
from nabolag.services import Context
from nabolag.services import observations as obs
from nabolag.services import zones as zs

runner = CliRunner()
NABOLAG = Path(__file__).resolve().parents[2] / ".venv" / "bin" / "nabolag"
DELBYDEL_FLAGS = ["--code-field", "delbydel_code", "--name-field", "delbydel_name", "--parent-field", "bydel_code",
                  "--level", "delbydel"]


def _run(db_url: str, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["--database", db_url, *args])
    return result.exit_code, result.stdout, result.stderr


def test_import_real_delbydeler(db_url: str, shared: Path) -> None:
    path = shared / "oslo" / "delbydeler.geojson"
    code, _out, err = _run(db_url, "import", "zones", str(path), *DELBYDEL_FLAGS, "--valid-from", "2004-01-01",
                           "--source", "Oslo kommune")
    assert code == 0, err
    # One warning per repaired polygon, naming file, feature number and zone code (the field is lost
    # on the way: see test_field_names_reach_stderr).
    assert f"{path}:7" in err and "ugyldig geometri i «0301010109» reparert" in err  # Bispevika
    assert err.count("ugyldig geometri i") == 5
    assert "96 nye soner, 0 oppdatert" in err
    listed = json.loads(runner.invoke(app, ["--database", db_url, "zones", "list", "--json",
                                            "--parent", "030110"]).stdout)
    props = [f["properties"] for f in json.loads(path.read_text())["features"]]  # the file, read by json
    assert [(z["code"], z["name"]) for z in listed] == \
        sorted((p["delbydel_code"], p["delbydel_name"]) for p in props if p["bydel_code"] == "030110")
    assert len(listed) == 5 and listed[0]["name"] == "Ammerud"
    with Context.open(db_url) as ctx:
        assert zs.get_zone(ctx, "0301101001").valid_from.isoformat() == "2004-01-01"


def test_missing_code_field(db_url: str, shared: Path) -> None:
    path = shared / "oslo" / "delbydeler.geojson"
    code, _out, err = _run(db_url, "import", "zones", str(path), "--code-field", "kode")
    assert code == 2
    assert f"{path}: feltet «kode» (--code-field) finnes ikke" in err
    assert "delbydel_code, delbydel_name, bydel_code, bydel_name" in err


@pytest.mark.parametrize(("name", "features", "crs", "expected"), [
    ("dobbel.geojson", [feature({"code": "0301101001", "name": "Ammerud"}, square(10.9, 59.95, 0.01)),
                        feature({"code": "0301101001", "name": "Ammerud"}, square(10.8, 59.95, 0.01))],
     None, (":2", "sonekoden finnes allerede i rad 1; fant «0301101001»")),
    ("linje.geojson", [feature({"code": "0301101001", "name": "Ammerud"},
                               {"type": "LineString", "coordinates": [[10.9, 59.9], [10.95, 59.9]]})],
     None, (":1", "feil geometritype; forventet Polygon/MultiPolygon; fant «LineString»")),
    ("utm.geojson", [feature({"code": "0301101001", "name": "Ammerud"}, square(597000, 6643000, 100))],
     None, (":1", "feil koordinatsystem; forventet lengde/bredde i grader; fant «597000, 6643000»")),
    ("grader.geojson", [feature({"code": "0301101001", "name": "Ammerud"}, square(10.9, 59.95, 0.01))],
     "EPSG:25833", ("", "ser ut som grader, men filen oppgir EPSG:25833")),
])
def test_bad_geojson_exits_2_and_changes_nothing(db_url: str, shared: Path, tmp_path: Path, name: str,
                                                 features: list[dict[str, object]], crs: str | None,
                                                 expected: tuple[str, str]) -> None:
    assert _run(db_url, "import", "zones", str(shared / "oslo" / "bydeler.geojson"))[0] == 0
    with Context.open(db_url) as ctx:
        before = dump(ctx)
    path = write_geojson(tmp_path / name, features, crs=crs)
    code, _out, err = _run(db_url, "import", "zones", str(path))
    assert code == 2
    # file:feature, then the message (the [field] between them: see test_field_names_reach_stderr)
    assert f"{path}{expected[0]}" in err and expected[1] in err
    with Context.open(db_url) as ctx:
        assert dump(ctx) == before


def test_wrong_crs_is_fixed_with_the_crs_option(db_url: str, tmp_path: Path) -> None:
    path = write_geojson(tmp_path / "utm.geojson",
                         [feature({"code": "0301101001", "name": "Ammerud"}, square(597000, 6643000, 100))])
    code, _out, err = _run(db_url, "import", "zones", str(path), "--crs", "EPSG:25833")
    assert code == 0, err
    assert "filen oppgir EPSG:4326; bruker EPSG:25833 som angitt" in err


def test_empty_and_huge_files(db_url: str, tmp_path: Path) -> None:
    empty = tmp_path / "tom.csv"
    empty.write_bytes(b"")
    code, _out, err = _run(db_url, "import", "zones", str(empty))
    assert code == 2 and f"{empty}: filen er tom (0 byte)" in err
    big = tmp_path / "stor.geojson"
    with big.open("wb") as fh:
        fh.truncate(2 * 1024**3)  # sparse
    code, _out, err = _run(db_url, "import", "zones", str(big))
    assert code == 2 and f"{big}: filen er 2048.0 MB; grensen er 512 MB" in err
    with Context.open(db_url) as ctx:
        assert zs.list_zones(ctx) == [] and obs.summary(ctx)["imports"] == []


def test_csv_zones_with_flags(db_url: str, tmp_path: Path) -> None:
    path = tmp_path / "bydeler.csv"
    path.write_text("Bydelsnr;Bydel;Kommune\n030110;Grorud;0301\n030112;Alna;0301\n", encoding="utf-8")
    code, _out, err = _run(db_url, "import", "zones", str(path), "--code-field", "Bydelsnr", "--name-field",
                           "Bydel", "--parent-field", "Kommune", "--level", "bydel")
    assert code == 0, err
    listed = json.loads(runner.invoke(app, ["--database", db_url, "zones", "list", "--json"]).stdout)
    assert listed == [{"code": "030110", "name": "Grorud", "level": "bydel", "parent": "0301"},
                      {"code": "030112", "name": "Alna", "level": "bydel", "parent": "0301"}]


def test_transitions_and_population(db_url: str, shared: Path) -> None:
    assert _run(db_url, "import", "zones", str(shared / "oslo" / "delbydeler.geojson"), *DELBYDEL_FLAGS)[0] == 0
    code, _out, err = _run(db_url, "import", "transitions", str(shared / "norway" / "region_transitions.csv"))
    assert code == 0 and "386 kodeendringer lagt til" in err
    grid = shared / "oslo" / "population_1km_2019.gml"
    code, out, err = _run(db_url, "import", "population", str(grid), "--level", "delbydel")
    assert code == 0, err
    assert "bruker laget «BefolkningPåRuter1km»" in err and "Befolkning importert" in out
    code, _out, err = _run(db_url, "import", "population", str(grid), "--level", "delbydel")
    assert code == 2 and "--replace" in err
    code, _out, err = _run(db_url, "import", "population", str(grid), "--level", "delbydel",
                           "--layer", "BefolkningPåRuter1kmGrense")
    assert code == 2 and "popTot" in err


def test_installed_entry_point_exit_code(db_url: str, tmp_path: Path) -> None:
    # A real process through the console script (about 1.5 s: it imports geopandas) proves the exit
    # code and stderr reach the shell, which CliRunner cannot show.
    path = write_geojson(tmp_path / "uten_navn.geojson", [feature({"code": "0301101001", "name": " "},
                                                                  square(10.9, 59.95, 0.01))])
    env = {**os.environ, "NABOLAG_LANG": "nb"}
    proc = subprocess.run([str(NABOLAG), "--database", db_url, "import", "zones",
                           str(path)], check=False, capture_output=True, text=True, env=env, timeout=60)
    assert proc.returncode == 2
    assert f"{path}:1" in proc.stderr and "tomt navn" in proc.stderr


def test_field_names_reach_stderr(db_url: str, tmp_path: Path) -> None:
    path = write_geojson(tmp_path / "uten_navn.geojson", [feature({"code": "0301101001", "name": ""},
                                                                  square(10.9, 59.95, 0.01))])
    code, _out, err = _run(db_url, "import", "zones", str(path))
    assert code == 2
    assert f"{path}:1 [name]: tomt navn" in err

"""Reading zones (ingest/zones.py): real GeoJSON, GeoPackage, Shapefile, CSV and Excel, and bad input."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from geo_support import (
    DELBYDEL_FIELDS,
    INVALID_DELBYDELER,
    feature,
    square,
    write_geojson,
)
from nabolag.domain.problems import Severity
from nabolag.domain.zones import Level
from nabolag.errors import InputError
from nabolag.ingest.zones import ZoneOptions, read_zones


def _stdlib_properties(path: Path) -> list[dict[str, str]]:
    """The features' properties read with the json module: an independent view of the file."""
    return [f["properties"] for f in json.loads(path.read_text(encoding="utf-8"))["features"]]


def test_real_delbydeler(shared: Path) -> None:
    path = shared / "oslo" / "delbydeler.geojson"
    zones, report = read_zones(path, ZoneOptions(**DELBYDEL_FIELDS))
    props = _stdlib_properties(path)
    assert len(zones) == len(props) == 96
    assert [(z.code, z.name, z.parent_code) for z in zones] == \
        [(p["delbydel_code"], p["delbydel_name"], p["bydel_code"]) for p in props]
    assert all(z.level == Level.DELBYDEL and z.code.startswith("0301") and len(z.code) == 10 for z in zones)
    assert all(z.source_crs == "EPSG:4326" for z in zones)
    repaired = {z.code for z in zones} & {p.message.split("«")[1].split("»")[0]
                                         for p in report.problems if p.severity == Severity.WARNING}
    assert repaired == set(INVALID_DELBYDELER)
    assert all(shapely.from_wkb(z.geometry).is_valid for z in zones)


def test_real_grunnkretser_guessing_fields_and_level(shared: Path) -> None:
    path = shared / "baerum" / "grunnkretser.geojson"
    zones, report = read_zones(path, ZoneOptions())
    props = _stdlib_properties(path)
    assert len(zones) == 535
    assert [z.code for z in zones] == [p["grunnkretsnummer"] for p in props]
    assert all(z.level == Level.GRUNNKRETS for z in zones)  # 8 digits = grunnkrets (data README)
    assert zones[0].code == "02201606" and zones[0].name == "Slottsberget"  # leading zero kept
    assert {z.code[:4] for z in zones} == {"0219", "0220"}  # Bærum and Asker before the 2020 reform
    assert all(z.source_crs == "EPSG:25833" for z in zones)
    messages = [p.message for p in report.problems]
    assert "bruker feltet «grunnkretsnummer» (--code-field)" in messages
    assert "reprojisert fra EPSG:25833 til EPSG:4326" in messages


def test_geopackage_layer(shared: Path, tmp_path: Path) -> None:
    gpkg = tmp_path / "oslo.gpkg"
    gpd.read_file(shared / "oslo" / "delbydeler.geojson").to_crs(25833).to_file(gpkg, layer="delbydeler")
    gpd.read_file(shared / "oslo" / "bydeler.geojson").to_file(gpkg, layer="bydeler")
    with pytest.raises(InputError, match="--layer"):
        read_zones(gpkg, ZoneOptions(code_field="bydel_code", name_field="bydel_name"))
    zones, _report = read_zones(gpkg, ZoneOptions(code_field="bydel_code", name_field="bydel_name",
                                                  layer="bydeler"))
    assert len(zones) == 15 and {z.level for z in zones} == {Level.BYDEL}
    assert zones[0].code == "030101" and zones[0].name == "Gamle Oslo"
    zones, _report = read_zones(gpkg, ZoneOptions(**DELBYDEL_FIELDS, layer="delbydeler"))
    assert len(zones) == 96 and zones[0].source_crs == "EPSG:25833"


def test_shapefile_without_prj_needs_crs(shared: Path, tmp_path: Path) -> None:
    shp = tmp_path / "delbydeler.shp"
    short = {"delbydel_code": "kode", "delbydel_name": "navn", "bydel_code": "bydel", "bydel_name": "bydelnavn"}
    gpd.read_file(shared / "oslo" / "delbydeler.geojson").rename(columns=short).to_crs(25833).to_file(shp)
    shp.with_suffix(".prj").unlink()
    opts = {"code_field": "kode", "name_field": "navn", "parent_field": "bydel", "level": "delbydel"}
    with pytest.raises(InputError) as exc:
        read_zones(shp, ZoneOptions(**opts))
    assert str(shp) in exc.value.message and "--crs" in exc.value.message
    zones, _report = read_zones(shp, ZoneOptions(**opts, crs="EPSG:25833"))
    assert len(zones) == 96 and zones[0].source_crs == "EPSG:25833"
    # The round trip through UTM lands where the original WGS84 file is (centroids within 1 m).
    original = gpd.read_file(shared / "oslo" / "delbydeler.geojson").to_crs(25833)
    ours = gpd.GeoSeries(shapely.from_wkb([z.geometry for z in zones]), crs=4326).to_crs(25833)
    assert ours.centroid.distance(original.centroid).max() < 1.0


def test_csv_without_geometry_keeps_leading_zeros(tmp_path: Path) -> None:
    path = tmp_path / "bydeler.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, delimiter=";")
        w.writerow(["Bydelsnr", "Bydel", "Kommune"])
        w.writerows([["030110", "Grorud", "0301"], ["030112", "Alna", "0301"]])
    zones, _report = read_zones(path, ZoneOptions(code_field="Bydelsnr", name_field="Bydel",
                                                  parent_field="Kommune", level="bydel",
                                                  valid_from=dt.date(2004, 1, 1)))
    assert [(z.code, z.name, z.parent_code, z.level, z.geometry) for z in zones] == [
        ("030110", "Grorud", "0301", Level.BYDEL, None), ("030112", "Alna", "0301", Level.BYDEL, None)]
    assert zones[0].valid_from == dt.date(2004, 1, 1) and zones[0].source_crs is None


def test_excel_without_geometry(tmp_path: Path) -> None:
    path = tmp_path / "soner.xlsx"
    pd.DataFrame({"kode": ["0301", "030110", "0301101001"], "navn": ["Oslo", "Grorud", "Ammerud"],
                  "over": ["", "0301", "030110"]}).to_excel(path, index=False)
    zones, _report = read_zones(path, ZoneOptions(code_field="kode", name_field="navn", parent_field="over"))
    # the level follows from the code's length when --level is not given (4, 6, 10 digits)
    assert [(z.code, z.level, z.parent_code) for z in zones] == [
        ("0301", Level.KOMMUNE, None), ("030110", Level.BYDEL, "0301"), ("0301101001", Level.DELBYDEL, "030110")]


def test_missing_code_field_lists_the_fields(shared: Path) -> None:
    path = shared / "oslo" / "bydeler.geojson"
    with pytest.raises(InputError) as exc:
        read_zones(path, ZoneOptions(code_field="bydelsnummer"))
    msg = exc.value.message
    assert str(path) in msg and "«bydelsnummer» (--code-field)" in msg and "bydel_code, bydel_name" in msg


def test_no_guessable_code_field(tmp_path: Path) -> None:
    path = write_geojson(tmp_path / "x.geojson", [feature({"id_x": "1", "navn": "A"}, square(10.7, 59.9, 0.01))])
    with pytest.raises(InputError, match=r"angi --code-field\. Felt i filen: id_x, navn"):
        read_zones(path, ZoneOptions())


def _errors(path: Path, opts: ZoneOptions) -> list[tuple[int | None, str | None, str | None]]:
    with pytest.raises(InputError) as exc:
        read_zones(path, opts)
    assert exc.value.message.startswith(str(path)) and "ingenting er lagret" in exc.value.message
    return [(p.row, p.field, p.found) for p in exc.value.problems]


def test_duplicate_codes_name_both_features(tmp_path: Path) -> None:
    path = write_geojson(tmp_path / "dup.geojson", [
        feature({"code": "0301101001", "name": "Ammerud"}, square(10.9, 59.95, 0.01)),
        feature({"code": "0301101002", "name": "Rødtvet"}, square(10.9, 59.94, 0.01)),
        feature({"code": "0301101001", "name": "Ammerud igjen"}, square(10.9, 59.93, 0.01)),
    ])
    with pytest.raises(InputError) as exc:
        read_zones(path, ZoneOptions())
    (p,) = exc.value.problems
    assert (p.row, p.field, p.found) == (3, "code", "0301101001") and "rad 1" in p.message


def test_every_bad_row_is_reported_with_its_place(tmp_path: Path) -> None:
    path = tmp_path / "soner.csv"
    path.write_text("code,name,level\n"
                    "0301,Oslo,kommune\n"       # fine
                    ",Uten kode,bydel\n"        # line 3: empty code
                    "030110,,bydel\n"           # line 4: empty name
                    "030112,Alna,bydelen\n"     # line 5: unknown level
                    f"030113,{'x' * 201},bydel\n"  # line 6: longer than the store keeps
                    "AB12,Ukjent,\n",           # line 7: level cannot be guessed
                    encoding="utf-8")
    found = _errors(path, ZoneOptions(level_field="level"))
    assert found == [(3, "code", ""), (4, "name", ""), (5, "level", "bydelen"),
                     (6, "name", "x" * 201), (7, None, "AB12")]


def test_too_long_code_is_refused(tmp_path: Path) -> None:
    # zone.code is VARCHAR(40): PostgreSQL would refuse it mid-import, SQLite would keep it.
    path = tmp_path / "lang.csv"
    path.write_text("code,name\n" + "1" * 41 + ",Lang\n", encoding="utf-8")
    assert _errors(path, ZoneOptions(level="grunnkrets")) == [(2, "code", "1" * 41)]


def test_valid_to_before_valid_from(tmp_path: Path) -> None:
    path = tmp_path / "z.csv"
    path.write_text("code,name\n0301,Oslo\n", encoding="utf-8")
    with pytest.raises(InputError, match="--valid-to"):
        read_zones(path, ZoneOptions(valid_from=dt.date(2020, 1, 1), valid_to=dt.date(2019, 12, 31)))


def test_header_only_csv(tmp_path: Path) -> None:
    path = tmp_path / "tom.csv"
    path.write_text("code,name\n", encoding="utf-8")
    with pytest.raises(InputError, match="ingen datarader"):
        read_zones(path, ZoneOptions())

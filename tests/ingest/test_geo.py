"""Reading vector files: layers, CRS checks and geometry repair (ingest/geo.py), on the real files."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely
from pyproj import Transformer

from geo_support import INVALID_DELBYDELER, feature, square, write_geojson
from nabolag.domain.problems import Report, Severity
from nabolag.errors import InputError
from nabolag.ingest import geo

GML_LAYERS = ["BefolkningPåRuter1km", "BefolkningPåRuter1kmGrense"]


def test_real_invalid_polygons_are_the_five_we_expect(shared: Path) -> None:
    # Independent: shapely's own validity test on the file as geopandas reads it.
    gdf = gpd.read_file(shared / "oslo" / "delbydeler.geojson")
    invalid = gdf[~gdf.is_valid]
    assert dict(zip(invalid["delbydel_code"], invalid["delbydel_name"], strict=True)) == INVALID_DELBYDELER


def test_repair_names_each_invalid_feature_and_keeps_its_area(shared: Path) -> None:
    path = shared / "oslo" / "delbydeler.geojson"
    report = Report(str(path))
    gdf = geo.read_layer(path, report)
    codes = gdf["delbydel_code"].tolist()
    repaired = geo.repair_geometries(gdf, report, labels=codes)

    warnings = [p for p in report.problems if p.severity == Severity.WARNING]
    assert len(warnings) == 5
    for p in warnings:
        # the feature number is 1-based and points at the feature the label names
        assert codes[p.row - 1] in INVALID_DELBYDELER
        assert f"«{codes[p.row - 1]}»" in p.message and p.field == "geometry"
    assert {codes[p.row - 1] for p in warnings} == set(INVALID_DELBYDELER)
    assert repaired.is_valid.all()
    assert repaired.geom_type.isin(["Polygon", "MultiPolygon"]).all()
    # Independent area: shapely's buffer(0) repair of the same polygons, in metres (EPSG:25833).
    # The invalid parts are slivers, so both repairs must agree to within 0.01 %.
    ours = repaired.to_crs(25833).area.to_numpy()
    other = gdf.geometry.to_crs(25833).buffer(0).area.to_numpy()
    assert np.allclose(ours, other, rtol=1e-4)
    valid = gdf.is_valid.to_numpy()
    assert (repaired.values[valid] == gdf.geometry.values[valid]).all()  # valid ones untouched


def test_bow_tie_becomes_two_triangles(tmp_path: Path) -> None:
    # A bow-tie 200 m wide and 200 m high, crossing at its centre (EPSG:25833 metres).
    x, y = 597000.0, 6643000.0
    ring = [[x, y], [x + 200, y + 200], [x + 200, y], [x, y + 200], [x, y]]
    path = write_geojson(tmp_path / "sloyfe.geojson",
                         [feature({"code": "0301999901", "name": "Sløyfe"}, {"type": "Polygon", "coordinates": [ring]})],
                         crs="EPSG:25833")
    report = Report(str(path))
    gdf = geo.read_layer(path, report)
    repaired = geo.repair_geometries(gdf, report, labels=["0301999901"])
    (warning,) = [p for p in report.problems if p.severity == Severity.WARNING]
    assert warning.row == 1 and warning.field == "geometry"
    assert "0301999901" in warning.message and "Self-intersection" in warning.message
    geom = repaired.iat[0]
    assert geom.is_valid and geom.geom_type == "MultiPolygon" and len(geom.geoms) == 2
    # Hand computation: two triangles, each with a 200 m base and 100 m height = 10 000 m².
    assert geom.area == pytest.approx(2 * 0.5 * 200 * 100)


def test_line_is_refused_with_feature_and_field(tmp_path: Path) -> None:
    path = write_geojson(tmp_path / "linje.geojson", [
        feature({"code": "a"}, square(10.7, 59.9, 0.01)),
        feature({"code": "b"}, {"type": "LineString", "coordinates": [[10.7, 59.9], [10.8, 59.9]]}),
    ])
    report = Report(str(path))
    geo.repair_geometries(geo.read_layer(path, report), report)
    (error,) = report.errors
    assert (error.row, error.field, error.expected, error.found) == (2, "geometry", "Polygon/MultiPolygon",
                                                                     "LineString")


def test_gml_picks_the_layer_holding_the_field(shared: Path) -> None:
    path = shared / "oslo" / "population_1km_2019.gml"
    report = Report(str(path))
    gdf = geo.read_layer(path, report, want_field="popTot")
    assert "popTot" in gdf.columns and len(gdf) == 258  # 258 = FeatureCount in the .gfs beside the file
    assert any("BefolkningPåRuter1km" in p.message for p in report.problems)


def test_gml_without_a_hint_asks_for_a_layer_and_names_both(shared: Path) -> None:
    path = shared / "oslo" / "population_1km_2019.gml"
    with pytest.raises(InputError) as exc:
        geo.read_layer(path, Report(str(path)))
    assert "--layer" in str(exc.value) and all(name in str(exc.value) for name in GML_LAYERS)
    with pytest.raises(InputError) as exc:
        geo.read_layer(path, Report(str(path)), layer="Befolkning")
    assert "«Befolkning» finnes ikke" in str(exc.value) and GML_LAYERS[1] in str(exc.value)


def test_utm_coordinates_in_a_file_that_says_wgs84(tmp_path: Path) -> None:
    # GeoJSON without a crs member is WGS84 by the standard; the second feature holds UTM metres.
    path = write_geojson(tmp_path / "utm.geojson", [
        feature({"code": "a"}, square(10.7, 59.9, 0.01)),
        feature({"code": "b"}, square(597000, 6643000, 100)),
    ])
    with pytest.raises(InputError) as exc:
        geo.read_layer(path, Report(str(path)))
    (problem,) = exc.value.problems
    assert problem.file == str(path) and problem.row == 2 and problem.field == "geometry"
    assert problem.expected == "lengde/bredde i grader" and problem.found == "597000, 6643000"
    assert "--crs" in exc.value.message


def test_degrees_in_a_file_that_says_utm(tmp_path: Path) -> None:
    path = write_geojson(tmp_path / "grader.geojson", [feature({"code": "a"}, square(10.7, 59.9, 0.01))],
                         crs="EPSG:25833")
    with pytest.raises(InputError) as exc:
        geo.read_layer(path, Report(str(path)))
    assert exc.value.problems[0].expected == "meter" and "--crs" in exc.value.message


def test_crs_option_overrides_a_wrong_claim_with_a_warning(tmp_path: Path) -> None:
    path = write_geojson(tmp_path / "utm.geojson", [feature({"code": "a"}, square(597000, 6643000, 100))])
    report = Report(str(path))
    gdf = geo.read_layer(path, report, crs="EPSG:25833")
    assert geo.crs_label(gdf) == "EPSG:25833"
    assert any("bruker EPSG:25833 som angitt" in p.message for p in report.warnings)
    with pytest.raises(InputError, match="ukjent koordinatsystem «EPSG:99999»"):
        geo.read_layer(path, Report(str(path)), crs="EPSG:99999")


def test_to_wkb_4326_matches_pyproj(shared: Path) -> None:
    path = shared / "baerum" / "grunnkretser.geojson"
    report = Report(str(path))
    gdf = geo.read_layer(path, report)
    assert geo.crs_label(gdf) == "EPSG:25833"
    stored = shapely.from_wkb(geo.to_wkb_4326(gdf.geometry)[0])
    # Independent: pyproj's own transformer on the first vertex as written in the file.
    x, y = shapely.get_coordinates(gdf.geometry.iat[0])[0]
    lon, lat = Transformer.from_crs("EPSG:25833", "EPSG:4326", always_xy=True).transform(x, y)
    assert shapely.get_coordinates(stored)[0] == pytest.approx([lon, lat], abs=1e-9)
    assert 10.0 < lon < 11.0 and 59.5 < lat < 60.0  # Asker and Bærum lie west of Oslo


def test_broken_and_empty_geojson(tmp_path: Path) -> None:
    good = write_geojson(tmp_path / "hel.geojson", [feature({"code": "a"}, square(10.7, 59.9, 0.01))])
    cut = tmp_path / "avkuttet.geojson"
    cut.write_text(good.read_text()[:80])
    with pytest.raises(InputError) as exc:
        geo.read_layer(cut, Report(str(cut)))
    assert str(cut) in str(exc.value) and exc.value.problems[0].found  # GDAL's own reason is shown
    empty = write_geojson(tmp_path / "ingen.geojson", [])
    with pytest.raises(InputError, match="ingen objekter"):
        geo.read_layer(empty, Report(str(empty)))

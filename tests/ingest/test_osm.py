"""Reading walkable ways and facilities: the Helsinki OSM extract, and files that cannot make a network."""

import json
from pathlib import Path

import geopandas as gpd
import pytest
import shapely

from nabolag.domain.problems import Report
from nabolag.errors import InputError
from nabolag.ingest.network_lines import read_lines
from nabolag.ingest.osm import extract_info, read_facilities, read_walkable_ways


def test_helsinki_ways_and_facilities(shared: Path) -> None:
    pbf = shared / "helsinki" / "helsinki_centre.osm.pbf"
    report = Report(str(pbf))
    ways = read_walkable_ways(pbf, report)
    assert {"footway", "residential", "steps"} <= set(ways["highway"])
    assert not {"motorway", "trunk", "construction"} & set(ways["highway"])
    assert extract_info(pbf, report) == {"writingprogram": "0.47", "source": "0.47"}  # this extract has no date
    found = read_facilities(pbf, ["park", "library", "playground"], report)
    counts = found["kind"].value_counts().to_dict()
    assert counts["park"] >= 10 and counts["library"] >= 2 and counts["playground"] >= 2
    assert found["ref"].str.match(r"^(node|way|relation)/\d+$").all()


def test_a_file_that_is_not_pbf(tmp_path: Path) -> None:
    bad = tmp_path / "x.osm.pbf"
    bad.write_bytes(b"\x00\x00\x00\x05hello")
    with pytest.raises(InputError, match="PBF"):
        extract_info(bad, Report(str(bad)))


def _geojson(path: Path, features: list[dict], crs: str | None = None) -> Path:
    doc: dict = {"type": "FeatureCollection", "features": features}
    if crs:
        doc["crs"] = {"type": "name", "properties": {"name": crs}}
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def _line(coords: list, **props: str) -> dict:
    return {"type": "Feature", "properties": props, "geometry": {"type": "LineString", "coordinates": coords}}


def test_lines_without_walkable_ways_or_lines(tmp_path: Path) -> None:
    motorway = _geojson(tmp_path / "e6.geojson", [_line([[10.9, 59.9], [10.95, 59.92]], highway="motorway")])
    with pytest.raises(InputError, match="ingen gangbare veier"):
        read_lines(motorway, Report(str(motorway)))
    points = _geojson(tmp_path / "p.geojson", [{"type": "Feature", "properties": {},
                                                "geometry": {"type": "Point", "coordinates": [10.9, 59.9]}}])
    with pytest.raises(InputError, match="ingen linjer"):
        read_lines(points, Report(str(points)))
    paths = _geojson(tmp_path / "sti.geojson", [_line([[10.9, 59.9], [10.95, 59.92]], highway="path"),
                                                _line([[10.9, 59.9], [10.91, 59.9]], highway="path", foot="no")])
    assert len(read_lines(paths, Report(str(paths)))) == 1


@pytest.mark.filterwarnings("ignore:.crs. was not provided")
def test_lines_without_crs(tmp_path: Path) -> None:
    gpkg = tmp_path / "nett.gpkg"
    gpd.GeoDataFrame({"name": ["a"]}, geometry=[shapely.LineString([(597000, 6643000), (597500, 6643000)])]
                     ).to_file(gpkg, driver="GPKG")
    with pytest.raises(InputError, match="koordinatsystem"):
        read_lines(gpkg, Report(str(gpkg)))
    lines = read_lines(gpkg, Report(str(gpkg)), crs="EPSG:25833")
    assert lines.crs.to_epsg() == 4326

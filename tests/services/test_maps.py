"""Map data: simplification that follows the zoom, stays valid and close to the real outline; quantile
classes checked against pandas; the cache sees a change of data at once."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import shapely

from geo_support import DELBYDEL_FIELDS
from nabolag.domain.zones import Zone
from nabolag.errors import InputError, NotFoundError
from nabolag.ingest.zones import ZoneOptions
from nabolag.services import Context, maps, zones
from nabolag.services.maps import classify, legend, quantile_breaks


@pytest.fixture
def oslo(ctx: Context, shared: Path) -> Context:
    """The 96 real delbydeler of Oslo (five of them invalid as published, repaired on import)."""
    zones.import_zones(ctx, shared / "oslo" / "delbydeler.geojson", ZoneOptions(**DELBYDEL_FIELDS))
    return ctx


def _stored(ctx: Context) -> dict[str, shapely.Geometry]:
    return {z.code: shapely.from_wkb(z.geometry) for z in zones.list_zones(ctx, level="delbydel", with_geometry=True)}


def test_tolerance_is_half_a_pixel() -> None:
    # At the equator a 256-pixel tile at zoom 0 spans 360 degrees: half a pixel is 360 / 256 / 2.
    assert maps.tolerance(0, 0.0) == pytest.approx(360 / 256 / 2)
    assert maps.tolerance(11, 0.0) == pytest.approx(maps.tolerance(10, 0.0) / 2)
    # At 60 degrees north a degree of latitude covers twice the screen of one at the equator.
    assert maps.tolerance(11, 60.0) == pytest.approx(360 / 256 / 2 / 2**11 / 2)
    assert maps.grid_size(maps.tolerance(11, 59.9)) == pytest.approx(1e-5)  # five decimals, about 1 m


def test_simplified_outlines_are_valid_close_and_smaller_at_lower_zoom(oslo: Context) -> None:
    original = _stored(oslo)
    counts = {}
    for zoom in (6, 9, 11, 14, 18):
        lay = maps.layer(oslo, "delbydel", zoom)
        assert sorted(lay.codes) == sorted(original)
        geoms = {c: shapely.from_geojson(h + "}}") for c, h in zip(lay.codes, lay.heads, strict=True)}
        assert all(shapely.is_valid(g) and not g.is_empty for g in geoms.values()), zoom
        counts[zoom] = sum(shapely.get_num_coordinates(g) for g in geoms.values())
        assert counts[zoom] == lay.vertices
        tol = maps.tolerance(zoom, 59.9)
        decimals = round(-math.log10(maps.grid_size(tol)))
        unrounded = []
        for code, g in geoms.items():
            coords = shapely.get_coordinates(g)
            if not np.allclose(coords, np.round(coords, decimals), rtol=0, atol=1e-12):
                unrounded.append(code)  # a zone too small to draw at this zoom keeps its own outline
                assert g.equals(original[code])
            # Douglas-Peucker keeps the points it keeps and drops only points within the tolerance of the
            # new line; rounding moves a point by at most half a grid step in each axis. So every point
            # drawn lies within tolerance + grid of the real outline (measured with shapely) ...
            bound = tol + maps.grid_size(tol)
            drawn = shapely.points(coords)
            assert shapely.distance(drawn, original[code].boundary).max() <= bound, (zoom, code)
            # ... and what is left out (islets and slivers thinner than the tolerance) is a sliver of the zone.
            left_out = original[code].difference(g.buffer(bound)).area / original[code].area
            assert left_out <= (0.5 if zoom < 9 else 0.005), (zoom, code, left_out)
        assert len(unrounded) <= (3 if zoom < 9 else 0), (zoom, unrounded)
    assert counts[6] < counts[9] < counts[11] < counts[14] <= counts[18]
    assert counts[18] <= sum(shapely.get_num_coordinates(g) for g in original.values())
    assert counts[9] < counts[18] / 2  # low zoom is much lighter


def test_feature_collection_is_geojson_with_the_zone_properties(oslo: Context) -> None:
    doc = json.loads(maps.feature_collection(oslo, "delbydel", 11))
    assert doc["type"] == "FeatureCollection" and len(doc["features"]) == 96
    ammerud = next(f for f in doc["features"] if f["id"] == "0301101001")
    assert ammerud["properties"] == {"code": "0301101001", "name": "Ammerud", "level": "delbydel", "parent": "030110"}
    west, south, east, north = doc["bbox"]
    assert 10.4 < west < east < 11.1 and 59.7 < south < north < 60.1  # Oslo, in WGS84 longitude/latitude
    for f in doc["features"]:  # RFC 7946: exterior rings counter-clockwise
        g = shapely.geometry.shape(f["geometry"])
        polys = g.geoms if g.geom_type == "MultiPolygon" else [g]
        assert all(p.exterior.is_ccw for p in polys)
    one = json.loads(maps.feature_collection(oslo, "delbydel", 11, ["0301101001"], {"0301101001": {"value": 1.5}}))
    assert [f["properties"]["value"] for f in one["features"]] == [1.5] and "bbox" not in one


def test_unknown_level_zoom_and_codes_are_refused(oslo: Context) -> None:
    with pytest.raises(NotFoundError, match="bydelene"):
        maps.check_level("bydelene")
    with pytest.raises(InputError, match="zoom"):
        maps.layer(oslo, "delbydel", 21)
    with pytest.raises(NotFoundError, match="9999"):
        maps.feature_collection(oslo, "delbydel", 11, ["0301101001", "9999"])
    with pytest.raises(InputError, match="codes"):
        maps.parse_codes(",".join(str(i) for i in range(maps.MAX_CODES + 1)))
    assert json.loads(maps.feature_collection(oslo, "grunnkrets", 11))["features"] == []


def test_a_change_of_zones_is_seen_at_once(oslo: Context) -> None:
    before = json.loads(maps.feature_collection(oslo, "delbydel", 11))
    assert len(before["features"]) == 96
    version = maps.data_version(oslo)
    ammerud = zones.get_zone(oslo, "0301101001")
    small = shapely.to_wkb(shapely.box(10.9, 59.95, 10.91, 59.96))
    zones.define_zones(oslo, [Zone(code=ammerud.code, name="Ammerud (ny)", level=ammerud.level,
                                   parent_code=ammerud.parent_code, geometry=small, source_crs="EPSG:4326")])
    assert maps.data_version(oslo) != version
    after = json.loads(maps.feature_collection(oslo, "delbydel", 11))
    changed = next(f for f in after["features"] if f["id"] == "0301101001")
    assert changed["properties"]["name"] == "Ammerud (ny)"
    assert shapely.geometry.shape(changed["geometry"]).equals(shapely.box(10.9, 59.95, 10.91, 59.96))


@pytest.mark.parametrize("values", [
    np.random.default_rng(4).gamma(2.0, 5.0, 96).round(2),  # skewed, like most rates
    np.array([1.0, 1.0, 1.0, 1.0, 2.0, 3.0, 3.0, 10.0, np.nan, 4.0]),  # ties and a missing value
    np.arange(15, dtype=float),
])
def test_quantile_classes_match_pandas_qcut(values: np.ndarray) -> None:
    breaks = quantile_breaks(values)
    classes = classify(values, breaks)
    known = ~np.isnan(values)
    expected = pd.qcut(values[known], 5, labels=False, duplicates="drop")  # independent: pandas' own binning
    # The same grouping; with ties pandas also drops a limit equal to the minimum and so numbers the
    # classes without the empty one: compare the classes in order.
    dense = np.unique(classes[known], return_inverse=True)[1]
    assert dense.tolist() == expected.tolist()
    assert (classes[~known] == -1).all()
    assert np.allclose(breaks, np.unique(np.quantile(values[known], [0.2, 0.4, 0.6, 0.8])))
    entries = legend(values, classes, breaks, "high")
    assert sum(e["count"] for e in entries) == known.sum()
    for e in entries:  # each class's limits are the lowest and highest value in it
        members = values[classes == e["class"]]
        assert (e["low"], e["high"]) == (members.min(), members.max())
    assert entries[-1]["tone"] == "q4" and legend(values, classes, breaks, "low")[-1]["tone"] == "q0"

"""``/geo/{level}.geojson``: valid GeoJSON with every zone of the level, simplified to the zoom, with
published values and classes for a choropleth; suppressed figures shown as such on the map and the
overview page; caching that follows the data; clear 4xx for bad parameters."""

from __future__ import annotations

import gzip
import html
import json
import re
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import shapely
from fastapi.testclient import TestClient

from geo_support import DELBYDEL_FIELDS
from nabolag.domain.indicators import Direction, Indicator
from nabolag.ingest.zones import ZoneOptions
from nabolag.services import Context, observations, zones
from nabolag.services.export import published
from nabolag.services.indicators import define_indicators
from nabolag.store import indices as index_repo
from nabolag.web.app import create_app
from web import test_overview

demo = test_overview.demo  # the app on the module's demo copy (conftest's module_demo_ctx)
rows_by_code = test_overview.rows_by_code
AMMERUD = "0301101001"
SMALL = {"0301101001": 3, "0301101002": 2}  # Ammerud and Rødtvet: fewer than 5 people asked
TRYGG = Indicator(code="trygg_kveld", name_nb="Trygg ute om kvelden", name_en="Safe outdoors in the evening",
                  unit="prosent", direction=Direction.HIGHER_IS_BETTER)


def features(client: TestClient, url: str) -> dict[str, dict[str, object]]:
    r = client.get(url)
    assert r.status_code == 200, r.text[:300]
    assert r.headers["content-type"] == "application/geo+json"
    doc = r.json()
    assert doc["type"] == "FeatureCollection"
    return {f["properties"]["code"]: f for f in doc["features"]}


def test_every_delbydel_is_a_valid_feature(demo: TestClient, module_demo_ctx: Context) -> None:
    found = features(demo, "/geo/delbydel.geojson?zoom=11")
    stored = {z.code: z for z in zones.list_zones(module_demo_ctx, level="delbydel")}
    assert sorted(found) == sorted(stored) and len(found) == 96
    for code, f in found.items():
        assert f["id"] == code and f["type"] == "Feature"
        assert f["properties"] == {"code": code, "name": stored[code].name, "level": "delbydel",
                                   "parent": stored[code].parent_code}
        g = shapely.geometry.shape(f["geometry"])
        assert g.geom_type in ("Polygon", "MultiPolygon") and g.is_valid and not g.is_empty
        lon, lat = g.centroid.x, g.centroid.y
        assert 10.4 < lon < 11.1 and 59.7 < lat < 60.1  # WGS84 longitude, latitude: Oslo
    assert len(features(demo, "/geo/bydel.geojson")) == 15


def test_lower_zoom_sends_fewer_vertices(demo: TestClient) -> None:
    sizes = {}
    for zoom in (7, 10, 13, 16):
        doc = features(demo, f"/geo/delbydel.geojson?zoom={zoom}")
        sizes[zoom] = sum(len(shapely.get_coordinates(shapely.geometry.shape(f["geometry"]))) for f in doc.values())
    assert sizes[7] < sizes[10] < sizes[13] <= sizes[16]


def test_codes_pick_zones(demo: TestClient) -> None:
    found = features(demo, f"/geo/delbydel.geojson?codes={AMMERUD},0301101002")
    assert {c: f["properties"]["name"] for c, f in found.items()} == {AMMERUD: "Ammerud", "0301101002": "Rødtvet"}


def test_indicator_values_are_the_published_ones_with_quantile_classes(demo: TestClient,
                                                                      module_demo_ctx: Context) -> None:
    r = demo.get("/geo/delbydel.geojson?zoom=11&indicator=lavinntekt&period=2024")
    doc = r.json()
    raw = observations.query(module_demo_ctx, indicators=["lavinntekt"], level="delbydel", periods=["2024"], groups="")
    expected = published(module_demo_ctx, raw).set_index("zone")["value"]
    breaks = np.quantile(expected.to_numpy(dtype=float), [0.2, 0.4, 0.6, 0.8])  # independent: numpy
    assert doc["classes"]["breaks"] == pytest.approx(breaks.tolist())
    assert doc["measure"]["code"] == "lavinntekt" and doc["period"] == "2024"
    for f in doc["features"]:
        p = f["properties"]
        assert p["value"] == pytest.approx(expected[p["code"]])
        assert p["class"] == int(np.searchsorted(breaks, p["value"], side="left"))
        assert p["status"] == "ok" and p["suppressed"] is False and p["tone"] == f"q{p['class']}"
    twin = {row["code"]: row["value"] for row in demo.get("/index.json?view=indicator&measure=lavinntekt").json()[
        "ranking"]}
    assert twin == {f["properties"]["code"]: f["properties"]["value"] for f in doc["features"]}


def test_index_values_are_the_stored_run(demo: TestClient, module_demo_ctx: Context) -> None:
    doc = demo.get("/geo/delbydel.geojson?index=ssb-levekar&period=2018").json()
    with module_demo_ctx.store.read() as conn:
        run = [r for r in index_repo.list_runs(conn) if r["name"] == "ssb-levekar" and r["period"] == "2018"][-1]
        stored = {r["code"]: r["value"] for r in index_repo.run_values(conn, int(run["id"]))}
    assert {f["properties"]["code"]: f["properties"]["value"] for f in doc["features"]} == stored
    assert doc["measure"]["worse"] == "high"


def test_etag_and_gzip(demo: TestClient) -> None:
    url = "/geo/delbydel.geojson?zoom=10&indicator=vold"
    first = demo.get(url)
    again = demo.get(url, headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304 and again.content == b""
    packed = demo.get(url, headers={"Accept-Encoding": "gzip"})
    assert packed.headers["content-encoding"] == "gzip"
    assert packed.json() == first.json()  # httpx unpacks it
    raw = demo.stream("GET", url, headers={"Accept-Encoding": "gzip"})
    with raw as resp:
        body = b"".join(resp.iter_raw())
    assert json.loads(gzip.decompress(body)) == first.json() and len(body) < len(first.content) / 2


@pytest.mark.parametrize(("query", "status", "named"), [
    ("/geo/bydelene.geojson", 404, "bydelene"),
    ("/geo/delbydel.geojson?zoom=21", 422, "zoom"),
    ("/geo/delbydel.geojson?zoom=-1", 422, "zoom"),
    ("/geo/delbydel.geojson?zoom=elleve", 422, "zoom"),
    ("/geo/delbydel.geojson?codes=0301101001,9999", 404, "9999"),
    ("/geo/delbydel.geojson?indicator=finnesikke", 404, "finnesikke"),
    ("/geo/delbydel.geojson?index=finnesikke", 404, "finnesikke"),
    ("/geo/delbydel.geojson?indicator=vold&index=ssb-levekar", 422, "index"),
    ("/geo/delbydel.geojson?period=2024", 422, "period"),
    ("/geo/delbydel.geojson?indicator=vold&period=" + "2" * 21, 422, "period"),
])
def test_bad_parameters_get_a_clear_4xx(demo: TestClient, query: str, status: int, named: str) -> None:
    r = demo.get(query)
    assert r.status_code == status, r.text[:300]
    assert named in r.text


@pytest.fixture
def small_cells(ctx: Context, shared: Path) -> Iterator[TestClient]:
    """The real delbydeler and a survey indicator with two cells under the threshold (5)."""
    zones.import_zones(ctx, shared / "oslo" / "delbydeler.geojson", ZoneOptions(**DELBYDEL_FIELDS))
    define_indicators(ctx, [TRYGG])
    codes = [z.code for z in zones.list_zones(ctx, level="delbydel")]
    values = np.round(np.linspace(40.0, 95.0, len(codes)), 1)
    frame = pd.DataFrame({"indicator": TRYGG.code, "zone": codes, "period": "2024", "value": values,
                          "n": [SMALL.get(c, 40) for c in codes]})
    observations.load_frame(ctx, frame, file_name="trygg.csv")
    with TestClient(create_app(ctx.settings)) as client:
        yield client


def test_suppressed_values_are_shown_as_suppressed(small_cells: TestClient) -> None:
    doc = small_cells.get(f"/geo/delbydel.geojson?indicator={TRYGG.code}").json()
    props = {f["properties"]["code"]: f["properties"] for f in doc["features"]}
    for code in SMALL:
        assert props[code]["suppressed"] is True and props[code]["value"] is None and props[code]["class"] is None
        assert props[code]["tone"] == "qs" and props[code]["status"] == "suppressed"
    shown = [p["value"] for c, p in props.items() if c not in SMALL]
    assert len(shown) == 94 and all(v is not None for v in shown)
    # the classes are made from the published values only, and higher is better here: the highest
    # fifth gets the lightest tone
    assert doc["classes"]["breaks"] == pytest.approx(np.quantile(shown, [0.2, 0.4, 0.6, 0.8]).tolist())
    top = max(props.values(), key=lambda p: p["value"] or 0)
    assert top["tone"] == "q0"
    data = small_cells.get(f"/index.json?view=indicator&measure={TRYGG.code}").json()
    assert data["classes"]["suppressed"] == 2
    assert [r["code"] for r in data["ranking"][-2:]] == sorted(SMALL, key=lambda c: props[c]["name"])
    page = small_cells.get(f"/?view=indicator&measure={TRYGG.code}").text
    rows = rows_by_code(page, "ranking")
    for code in SMALL:
        assert "skjult (få personer)" in rows[code] and "færre enn 5" in html.unescape(
            re.search(rf'<tr data-code="{code}">.*?</tr>', page, re.S).group(0))
    assert re.search(r'<span class="sw qs" aria-hidden="true"></span> skjult \(få personer\)', page)


def test_new_figures_are_seen_at_once(small_cells: TestClient, ctx: Context) -> None:
    url = f"/geo/delbydel.geojson?indicator={TRYGG.code}&period=2025"
    first = small_cells.get(url).json()
    assert first["period"] == "2024" and first["notice"]
    page = small_cells.get(f"/?view=indicator&measure={TRYGG.code}").text
    assert "2025" not in page
    codes = [z.code for z in zones.list_zones(ctx, level="delbydel")]
    observations.load_frame(ctx, pd.DataFrame({"indicator": TRYGG.code, "zone": codes, "period": "2025",
                                               "value": 50.0, "n": 100}), file_name="trygg-2025.csv")
    after = small_cells.get(url).json()
    assert after["period"] == "2025" and not after["notice"]
    assert {f["properties"]["value"] for f in after["features"]} == {50.0}
    assert "2025" in small_cells.get(f"/?view=indicator&measure={TRYGG.code}").text

"""Streets as drawn data on the real Helsinki extract (issues 7 and 8): ``/geo/streets.geojson`` gives the
streets within a box only and as long as the stored network's lines cut to that box (measured
independently: geopandas cuts and measures the stored lines in the metric CRS); the children's map, the
class's map and the public map name the streets layer only when there is no tile service and a network
exists; the access map's ``edges`` layer colours each edge by the distance to its mid-point, checked
against networkx. SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import geopandas as gpd
import networkx as nx
import numpy as np
import pytest
import shapely
from fastapi.testclient import TestClient

from nabolag.analysis.access_network import edge_coordinates
from nabolag.domain.mapping import MapCampaign
from nabolag.domain.zones import Area
from nabolag.services import Context, access, mapping, mapping_streets, users
from nabolag.services.access_demo import build_helsinki_demo, demo_zones
from nabolag.services.access_inputs import load_inputs, prepare
from nabolag.services.views_mapping import url_code
from nabolag.services.zones import define_zones, save_area
from nabolag.store import access as repo
from nabolag.web.app import create_app

PASSWORD = "et-langt-testpassord"
BOX = (24.940, 60.166, 24.947, 60.170)  # a few blocks of central Helsinki
CAP, LIMITS = 2000.0, (300, 500, 1000)


def _client(ctx: Context, **settings: Any) -> TestClient:
    return TestClient(create_app(dataclasses.replace(ctx.settings, **settings)), headers={"accept": "text/html"})


def _campaign(ctx: Context) -> MapCampaign:
    define_zones(ctx, demo_zones())
    save_area(ctx, Area(code="hel-nord", name="Helsinki nord", zone_codes=("hel-a1", "hel-a2", "hel-a3")))
    mapping.create_campaign(ctx, MapCampaign(code="hel-skole", title="Skoleveien", school="Testskolen",
                                             grade_group="5-7", area_code="hel-nord",
                                             bounds=shapely.to_wkb(shapely.box(*BOX))))
    return mapping.open_campaign(ctx, "hel-skole")


@pytest.fixture
def streets(ctx: Context, shared: Path) -> Iterator[TestClient]:
    access.build_network(ctx, shared / "helsinki" / "helsinki_centre.osm.pbf", name="helsinki")
    with _client(ctx) as c:
        yield c


def _stored_lines(ctx: Context) -> tuple[gpd.GeoSeries, str]:
    with ctx.store.read() as conn:
        found = repo.load_network(conn, geometry=True)
    assert found is not None
    _info, net, _lonlat = found
    xy, index = edge_coordinates(net)
    return gpd.GeoSeries(shapely.linestrings(xy, indices=index), crs=net.crs), net.crs


def test_streets_lie_in_their_box_and_are_as_long_as_the_network_there(streets: TestClient, ctx: Context) -> None:
    r = streets.get("/geo/streets.geojson", params={"zoom": 16, "bbox": ",".join(map(str, BOX))})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/geo+json")
    body = r.json()
    w, s, e, n = body["bbox"]
    tile = 360 / 2**16  # the box is widened to whole tiles of the zoom, never by more than one
    assert w <= BOX[0] < w + tile and e - tile < BOX[2] <= e and s <= BOX[1] and BOX[3] <= n
    assert body["shaped"] is True and body["network"]["name"] == "helsinki" and "OpenStreetMap" in body["attribution"]
    [feature] = body["features"]
    drawn = shapely.geometry.shape(feature["geometry"])
    xy = shapely.get_coordinates(drawn)
    assert xy[:, 0].min() >= w and xy[:, 0].max() <= e and xy[:, 1].min() >= s and xy[:, 1].max() <= n
    assert np.all(np.round(xy * 1e6) == xy * 1e6)  # compact: six decimals at zoom 16 (a quarter pixel or less)
    # independently: the stored lines in WGS84, cut to the box by geopandas, measured in the metric CRS
    lines, crs = _stored_lines(ctx)
    wgs = lines.to_crs("EPSG:4326")
    cut = wgs.clip_by_rect(w, s, e, n)
    cut = cut[~cut.is_empty]
    expected = cut.to_crs(crs).length.sum()
    got = gpd.GeoSeries([drawn], crs="EPSG:4326").to_crs(crs).length.sum()
    assert expected > 3000 and got == pytest.approx(expected, rel=0.005)  # simplified to half a pixel (~1 m)
    assert body["edges"] == len(cut) and body["lines"] < body["edges"]  # edges end to end are one line
    # the same streets at zoom 13 (a coarser box) are simpler, still inside their box
    coarse = streets.get("/geo/streets.geojson", params={"zoom": 13, "bbox": ",".join(map(str, BOX))}).json()
    cxy = shapely.get_coordinates(shapely.geometry.shape(coarse["features"][0]["geometry"]))
    cw, cs, ce, cn = coarse["bbox"]
    assert cxy[:, 0].min() >= cw and cxy[:, 0].max() <= ce and cxy[:, 1].min() >= cs and cxy[:, 1].max() <= cn
    assert np.all(np.round(cxy * 1e5) == cxy * 1e5)
    # a panned box inside the same tiles gets the same answer, kept once (review fix: one copy per raw box)
    from nabolag.services import maps

    kept = set(maps.CACHE.items)
    assert any(k[2] == "streets.json" for k in kept)
    shifted = ",".join(str(round(x + 1e-5, 6)) for x in BOX)
    again = streets.get("/geo/streets.geojson", params={"zoom": 16, "bbox": shifted})
    assert again.content == r.content and again.headers["etag"] == r.headers["etag"]
    assert set(maps.CACHE.items) == kept  # nothing more kept, at any level


def test_streets_below_the_minimum_zoom_without_a_network_and_with_bad_input(
        ctx: Context, shared: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with _client(ctx) as c:
        empty = c.get("/geo/streets.geojson", params={"zoom": 15}).json()
        assert empty["features"] == [] and empty["network"] is None
        access.build_network(ctx, shared / "helsinki" / "helsinki_centre.osm.pbf")
        r = c.get("/geo/streets.geojson", params={"zoom": 15})  # the whole network: a new network is seen at once
        assert r.status_code == 200 and r.json()["edges"] > 4000
        again = c.get("/geo/streets.geojson", params={"zoom": 15}, headers={"if-none-match": r.headers["etag"]})
        assert again.status_code == 304
        low = c.get("/geo/streets.geojson", params={"zoom": 11}).json()
        assert low["features"] == [] and low["min_zoom"] == 12 and low["too_many"] is True
        monkeypatch.setattr(mapping_streets, "MAX_EDGES", 1000)  # more edges than that in the view: none
        crowded = c.get("/geo/streets.geojson", params={"zoom": 14}).json()
        assert crowded["features"] == [] and crowded["too_many"] is True and crowded["edges"] > 1000
        bad = c.get("/geo/streets.geojson", params={"zoom": 15, "bbox": "24.9,60.1,24.8"})
        assert bad.status_code == 422 and "bbox" in bad.json()["error"]
        huge = c.get("/geo/streets.geojson", params={"zoom": 18, "bbox": "24,60,25,61"})
        assert huge.status_code == 422 and "bbox" in huge.json()["error"]
        assert c.get("/geo/streets.geojson", params={"zoom": 21}).status_code == 422


def test_the_maps_name_the_streets_only_without_tiles_and_with_a_network(ctx: Context, shared: Path) -> None:
    campaign = _campaign(ctx)
    users.add_user(ctx, "anna", "analyst", PASSWORD)
    code = url_code(campaign.access_code)
    with _client(ctx) as c:
        assert c.get(f"/kart/{code}.json").json()["map"]["streets"] is None  # no network yet
        access.build_network(ctx, shared / "helsinki" / "helsinki_centre.osm.pbf")
        data = c.get(f"/kart/{code}.json").json()
        assert data["map"]["streets"] == "/geo/streets.geojson" and data["map"]["bbox"] == list(BOX)
        page = c.get(f"/kart/{code}").text
        assert 'data-streets-url="/geo/streets.geojson"' in page and "/static/js/streets.js" in page
        token = c.get("/login.json").json()["csrf_token"]
        c.post("/login", data={"username": "anna", "password": PASSWORD, "csrf_token": token})
        for url in ("/mapping/hel-skole", f"/mapping/hel-skole?laererkode={campaign.teacher_code}",
                    "/mapping/hel-skole/public"):
            html = c.get(url).text
            assert 'data-streets-url="/geo/streets.geojson"' in html and "/static/js/streets.js" in html, url
        assert c.get("/mapping/hel-skole/public.json").json()["map"]["streets"] == "/geo/streets.geojson"
    with _client(ctx, basemap_url="https://tiles.example.org/{z}/{x}/{y}.png") as tiles:
        assert tiles.get(f"/kart/{code}.json").json()["map"]["streets"] is None
        assert "data-streets-url" not in tiles.get(f"/kart/{code}").text


def _class(d: float) -> int:
    return 4 if not np.isfinite(d) or d > CAP else int(sum(d > t for t in LIMITS))


def test_the_access_map_colours_each_street_by_the_distance_to_its_middle(
        ctx: Context, shared: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    build_helsinki_demo(ctx, shared / "helsinki", max_distance=CAP)
    with ctx.store.read() as conn:
        found = repo.load_network(conn)
    assert found is not None
    _info, net, _lonlat = found
    # independently: networkx from the library nodes, then each edge's mid-point through its nearer end
    sources = prepare(load_inputs(ctx, "grunnkrets", ["library"], None), ["library"], False).sources["library"]
    g = nx.Graph()
    for a, b, w in zip(net.u.tolist(), net.v.tolist(), net.length.tolist(), strict=True):
        if not g.has_edge(a, b) or g[a][b]["weight"] > w:
            g.add_edge(a, b, weight=w)
    reached = nx.multi_source_dijkstra_path_length(g, set(sources.tolist()), cutoff=CAP)
    node = np.array([reached.get(i, np.inf) for i in range(net.n_nodes)])
    expected = Counter(_class(min(node[a], node[b]) + w / 2)
                       for a, b, w in zip(net.u.tolist(), net.v.tolist(), net.length.tolist(), strict=True))
    with _client(ctx) as c:
        whole = c.get("/geo/access/library.geojson", params={"layer": "edges"}).json()
        got = Counter({f["properties"]["class"]: f["properties"]["edges"] for f in whole["features"]})
        assert got == expected and sum(got.values()) == len(net.u) and len(got) >= 3
        labels = {c["class"]: c["label"] for c in whole["classes"]}
        assert all(f["properties"]["label"] == labels[f["properties"]["class"]] for f in whole["features"])
        assert {f["geometry"]["type"] for f in whole["features"]} == {"MultiLineString"}
        part = c.get("/geo/access/library.geojson",
                     params={"layer": "edges", "zoom": 15, "bbox": ",".join(map(str, BOX))}).json()
        w, s, e, n = part["bbox"]
        xy = np.concatenate([shapely.get_coordinates(shapely.geometry.shape(f["geometry"])) for f in part["features"]])
        assert xy[:, 0].min() >= w and xy[:, 0].max() <= e and xy[:, 1].min() >= s and xy[:, 1].max() <= n
        assert 0 < sum(f["properties"]["edges"] for f in part["features"]) < len(net.u)
        assert part["too_many"] is False
        monkeypatch.setattr(mapping_streets, "MAX_EDGES", 100)  # a view with more: none (the page shows nodes)
        crowded = c.get("/geo/access/library.geojson", params={"layer": "edges", "zoom": 14}).json()
        assert crowded["features"] == [] and crowded["too_many"] is True
        page = c.get("/access", params={"kind": "library"}).text
        assert 'data-edges-url="/geo/access/library.geojson?layer=edges"' in page
        assert 'value="edges" checked' in page and "gatene (farget etter gangavstand)" in page

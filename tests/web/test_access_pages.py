"""Walking-access pages on the real Helsinki data (OSM extract and HSY's 2020 population grid): the page and
its twin carry the same numbers; the distance layer's classes agree with an independent networkx computation
on the stored network; population points never show a small cell; the zone and area pages show access
against the city; scenarios are created and computed by POST with CSRF, never touch the real network, are
refused to a viewer, and bad input gets 422 naming the field with nothing saved. SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import geopandas as gpd
import networkx as nx
import numpy as np
import pytest
import shapely
from fastapi.testclient import TestClient
from pyproj import Transformer
from sqlalchemy import func, select

from nabolag.services import Context, users
from nabolag.services.access_demo import build_helsinki_demo
from nabolag.services.access_inputs import load_inputs, prepare
from nabolag.services.observations import query
from nabolag.store import access as repo
from nabolag.store.access_tables import access_facility, access_network, access_scenario, access_scenario_path
from nabolag.store.tables import audit
from nabolag.web.app import create_app
from web.pages_support import as_number, data_cells, inline_code

PASSWORD = "et-langt-testpassord"
JSON = {"accept": "application/json"}
#: A straight path that shortens walks to the nearest community centre for two of the demo's zones.
HELPFUL_PATH = "LINESTRING (24.94388 60.17203, 24.93874 60.16987)"
LIMITS = (300, 500, 1000)
CAP = 2000.0


def _client(ctx: Context, settings: object | None = None) -> TestClient:
    return TestClient(create_app(settings or ctx.settings), headers={"accept": "text/html"})  # type: ignore[arg-type]


@pytest.fixture
def helsinki(ctx: Context, shared: Path) -> Context:
    build_helsinki_demo(ctx, shared / "helsinki")
    for name, role in (("anna", "analyst"), ("vera", "viewer"), ("kari", "coordinator")):
        users.add_user(ctx, name, role, PASSWORD, areas=("hel-nord",) if role == "coordinator" else ())
    return ctx


@pytest.fixture
def client(helsinki: Context) -> Iterator[TestClient]:
    with _client(helsinki) as c:
        yield c


def login(client: TestClient, username: str) -> str:
    token = client.get("/login.json").json()["csrf_token"]
    r = client.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": token},
                    follow_redirects=False)
    assert r.status_code == 303, r.text
    return str(client.get("/login.json").json()["csrf_token"])


def _class(d: float) -> int:
    if not np.isfinite(d) or d > CAP:
        return 4
    return int(sum(d > t for t in LIMITS))


def _independent(ctx: Context, kind: str) -> tuple[np.ndarray, list[tuple[float, float, float, float]]]:
    """Per node: networkx distance to the kind's source nodes; per population point (everyone): lon, lat,
    weight and distance (brute-force nearest node + networkx), points farther than 500 m left out."""
    with ctx.store.read() as conn:
        _info, net, _lonlat = repo.load_network(conn)
        people = repo.load_people(conn)
    sources = prepare(load_inputs(ctx, "grunnkrets", [kind], None), [kind], False).sources[kind]
    g = nx.Graph()
    g.add_nodes_from(range(net.n_nodes))
    for a, b, w in zip(net.u.tolist(), net.v.tolist(), net.length.tolist(), strict=True):
        if a != b and (not g.has_edge(a, b) or g[a][b]["weight"] > w):  # parallel ways: the shorter one counts
            g.add_edge(a, b, weight=w)
    found = nx.multi_source_dijkstra_path_length(g, set(sources.tolist()), cutoff=CAP)
    node = np.array([found.get(i, np.inf) for i in range(net.n_nodes)])
    t = Transformer.from_crs("EPSG:4326", net.crs, always_xy=True)
    points = []
    for lon, lat, w, grp in zip(people["lon"], people["lat"], people["weight"], people["groups"], strict=True):
        if grp != "":
            continue
        x, y = t.transform(lon, lat)
        d2 = (net.xy[:, 0] - x) ** 2 + (net.xy[:, 1] - y) ** 2
        near = int(np.argmin(d2))
        snap = float(np.sqrt(d2[near]))
        if snap <= 500:
            points.append((lon, lat, w, node[near] + snap))
    return node, points


def test_page_and_twin_agree_and_the_layer_classes_are_right(client: TestClient, helsinki: Context) -> None:
    data = client.get("/access.json?kind=park").json()
    html = client.get("/access?kind=park").text
    assert not inline_code(html) and 'href="/access" aria-current="page"' in html
    assert data["kind"] == "park" and data["level"] == "grunnkrets" and data["thresholds"] == [300, 500, 1000]
    assert {k["kind"] for k in data["kinds"]} >= {"park", "library", "playground"}
    legend = html.split('class="legend access-legend"')[1].split("</ul>")[0]  # the map draws streets, no scenario
    assert legend.count("data-class=") == 5 and "edge-sw" in legend and "planned-sw" not in legend
    # every figure on the page is the twin's
    twin = {}
    for z in data["zones"]:
        for f in ("mean_m", "within_300m", "within_500m", "within_1000m"):
            twin[(z["code"], f)] = z[f]["value"]
    shown = {}
    for row in html.split("<tr data-zone=")[1:]:
        code = row.split('"')[1]
        for c in data_cells(row):
            shown[(code, c["field"])] = as_number(c["value"])
    assert {k: v for k, v in shown.items() if k[0] != "city" and k[1] != "population"} == twin and len(twin) >= 8 * 4
    # the stored figures, published (rounded counts), are what the twin shows
    stored = query(helsinki, indicators=["access_park_mean_m"], level="grunnkrets", groups="")
    assert {r.zone: r.value for r in stored.itertuples()} == {z["code"]: z["mean_m"]["value"] for z in data["zones"]}
    # the city: population-weighted over the zones, worked out here from the stored values
    expected_city = np.average(stored["value"], weights=stored["n"])
    assert data["city"]["mean_m"]["value"] == pytest.approx(expected_city, abs=0.05)
    assert shown[("city", "mean_m")] == data["city"]["mean_m"]["value"]
    equity = query(helsinki, indicators=["access_park_mean_m_ratio", "access_park_mean_m_gini"], zones=["hel"])
    assert data["equity"]["ratio"] == equity.set_index("indicator").loc["access_park_mean_m_ratio", "value"]
    assert data["equity"]["ratio"] == pytest.approx(stored["value"].max() / stored["value"].min(), rel=0.01)  # stored means rounded to 0.1 m
    assert 'data-field="gini"' in html and 'data-field="ratio"' in html
    # the layer, node by node, against networkx on the stored network
    layer = client.get("/geo/access/park.geojson").json()
    node, points = _independent(helsinki, "park")
    assert layer["type"] == "FeatureCollection" and len(layer["features"]) == len(node)
    assert [c["class"] for c in layer["classes"]] == [0, 1, 2, 3, 4]
    for f, d in zip(layer["features"], node, strict=True):
        assert shapely.geometry.shape(f["geometry"]).is_valid
        p = f["properties"]
        if np.isfinite(d):
            assert p["d"] == pytest.approx(d, abs=0.06)
        else:
            assert p["d"] is None
        if min(abs(d - t) for t in (*LIMITS, CAP)) > 0.06:
            assert p["class"] == _class(d)
    assert len({f["properties"]["class"] for f in layer["features"]}) >= 3
    # thinned to a zoom: fewer dots, standing for every node once
    thin = client.get("/geo/access/park.geojson?zoom=14").json()
    assert len(thin["features"]) < len(node) and sum(f["properties"]["n"] for f in thin["features"]) == len(node)
    box = client.get("/geo/access/park.geojson?bbox=24.94,60.165,24.945,60.17").json()
    assert 0 < len(box["features"]) < len(node)
    assert all(24.94 <= f["geometry"]["coordinates"][0] <= 24.945 for f in box["features"])
    # population points: classes from brute-force snapping + networkx; no counts for a visitor
    people = client.get("/geo/access/park.geojson?layer=people").json()
    assert len(people["features"]) == len(points)
    for f, (lon, lat, _w, d) in zip(people["features"], points, strict=True):
        assert f["geometry"]["coordinates"] == pytest.approx([lon, lat], abs=1e-5)
        assert f["properties"]["class"] == _class(d) and "population" not in f["properties"]
    facilities = client.get("/geo/access/park/facilities.geojson").json()
    assert len(facilities["features"]) == 17 and all(f["properties"]["kind"] == "park" for f in facilities["features"])


def test_population_points_hide_small_cells(helsinki: Context, shared: Path) -> None:
    grid = gpd.read_file(shared / "helsinki" / "population_grid_2020.gpkg")
    threshold = int(np.median(grid["population"]))
    with _client(helsinki, dataclasses.replace(helsinki.settings, suppression_threshold=threshold)) as c:
        login(c, "vera")
        features = c.get("/geo/access/park.geojson?layer=people").json()["features"]
    hidden = [f for f in features if f["properties"]["suppressed"]]
    shown = [f for f in features if not f["properties"]["suppressed"]]
    assert hidden and shown
    assert all(f["properties"]["population"] is None for f in hidden)
    assert all(f["properties"]["population"] >= threshold for f in shown)
    cells = {(round(p.x, 5), round(p.y, 5)): v for p, v in zip(shapely.point_on_surface(grid.geometry.values),
                                                                grid["population"], strict=True)}
    for f in hidden:
        assert cells[tuple(round(v, 5) for v in f["geometry"]["coordinates"])] < threshold


def test_no_network_says_so(ctx: Context) -> None:
    with _client(ctx) as c:
        data = c.get("/access.json").json()
        assert data["empty"] is True and data["zones"] == [] and data["status"]["docs"] == "docs/access.md"
        html = c.get("/access").text
        assert "Ingen gangnett er lastet" in html and "docs/access.md" in html
        assert c.get("/geo/access/park.geojson").status_code == 404


def test_zone_and_area_pages_show_access_against_the_city(client: TestClient, helsinki: Context) -> None:
    zone = client.get("/zones/hel-c1.json").json()["access"]
    html = client.get("/zones/hel-c1").text
    assert 'id="h-access"' in html and not inline_code(html)
    kinds = {k["kind"]: k for k in zone["kinds"]}
    stored = query(helsinki, indicators=["access_library_mean_m"], level="grunnkrets", groups="")
    own = stored.set_index("zone").loc["hel-c1", "value"]
    assert kinds["library"]["place"]["mean_m"]["value"] == own
    assert kinds["library"]["city"]["mean_m"]["value"] == pytest.approx(
        np.average(stored["value"], weights=stored["n"]), abs=0.05)
    section = html.split('id="access"')[1]
    values = [c for c in section.split("<tr ")[1:] if 'data-kind="library"' in c]
    place, city = values
    assert f'data-access-value="{own}"' in place and 'data-role="city"' in city
    area = client.get("/areas/hel-nord.json").json()["access"]
    park = next(k for k in area["kinds"] if k["kind"] == "park")
    stored_area = query(helsinki, indicators=["access_park_mean_m", "access_park_mean_m_ratio"], areas=["hel-nord"])
    by = stored_area.set_index("indicator")["value"]
    assert park["place"]["mean_m"]["value"] == by["access_park_mean_m"]
    assert park["equity"]["ratio"]["value"] == by["access_park_mean_m_ratio"]
    assert 'id="h-access"' in client.get("/areas/hel-nord").text


def _state(ctx: Context) -> tuple[object, ...]:
    with ctx.store.read() as conn:
        return (conn.execute(select(func.count()).select_from(access_scenario)).scalar_one(),
                conn.execute(select(func.count()).select_from(access_scenario_path)).scalar_one(),
                conn.execute(select(func.count()).select_from(access_facility)).scalar_one(),
                conn.execute(select(func.count()).select_from(audit)).scalar_one(),
                bytes(conn.execute(select(access_network.c.arrays)).scalar_one()))


def test_scenario_by_post_with_csrf_changes_only_its_copy(client: TestClient, helsinki: Context) -> None:
    before = _state(helsinki)
    form = {"code": "ny-sti", "name": "Ny sti", "object": "path", "geometry_text": HELPFUL_PATH, "compute": "on"}
    token = login(client, "anna")
    assert client.post("/access/scenarios", data=form, follow_redirects=False).status_code == 403  # no token
    assert _state(helsinki)[:4] == before[:4]
    r = client.post("/access/scenarios", data={**form, "csrf_token": token}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/access/scenarios/ny-sti"
    data = client.get("/access/scenarios/ny-sti.json").json()
    assert data["kind"] == "community_centre" and data["computed_at"] and data["improved"] >= 1
    zones = {z["code"]: z for z in data["zones"]}
    assert zones["hel-a2"]["mean_m_change"] < -50
    assert all(z["mean_m_after"] <= z["mean_m_before"] + 1e-9 for z in data["zones"])
    html = client.get("/access/scenarios/ny-sti").text
    row = html.split('<tr data-place="zone" data-code="hel-a2" class="improved">')[1].split("</tr>")[0]
    assert f'data-field="mean_m_change" data-value="{zones["hel-a2"]["mean_m_change"]}"' in row
    # the legend is the access map's (classes up to the layer's cap), with the scenario's symbols, no streets
    legend = html.split('class="legend access-legend"')[1].split("</ul>")[0]
    assert [c["label"] for c in data["classes"]][3] == "1 000–2 000 m" and "1 000–2 000 m" in legend
    assert legend.count("data-class=") == 5 and "planned-sw" in legend and "edge-sw" not in legend
    # the layer after the scenario marks the nodes that got closer; the real network is untouched
    layer = client.get("/geo/access/community_centre.geojson?scenario=ny-sti").json()
    assert any(f["properties"]["improved"] for f in layer["features"])
    after = _state(helsinki)
    assert after[4] == before[4] and after[2] == before[2]  # the same network blob, the same real facilities
    assert after[0] == before[0] + 1 and after[1] == before[1] + 1
    plain = client.get("/geo/access/community_centre.geojson").json()
    assert not any("improved" in f["properties"] for f in plain["features"])
    # computing again by POST, then removing
    r = client.post("/access/scenarios/ny-sti/compute", data={"csrf_token": token}, headers=JSON)
    assert r.status_code == 200 and r.json()["level"] == "grunnkrets" and "community_centre" in r.json()["kinds"]
    assert client.post("/access/scenarios/ny-sti/remove", data={"csrf_token": token},
                       follow_redirects=False).status_code == 303
    assert _state(helsinki)[:3] == before[:3]


def test_a_coordinator_may_a_viewer_may_not(client: TestClient, helsinki: Context) -> None:
    assert client.get("/access/scenarios", follow_redirects=False).status_code == 303  # visitor: to /login
    assert client.get("/access/scenarios.json").status_code == 401
    assert client.get("/geo/access/park.geojson?scenario=x", headers={"accept": "application/geo+json"}).status_code == 401
    token = login(client, "vera")
    before = _state(helsinki)
    assert "Nytt scenario" not in client.get("/access/scenarios").text
    r = client.post("/access/scenarios", data={"csrf_token": token, "code": "x", "object": "path",
                                               "geometry_text": HELPFUL_PATH}, headers=JSON)
    assert r.status_code == 403 and _state(helsinki) == before
    client.post("/logout", data={"csrf_token": token})
    token = login(client, "kari")
    r = client.post("/access/scenarios", data={"csrf_token": token, "code": "lekeplass", "object": "facility",
                                               "kind": "playground", "geometry_text": "POINT (24.944 60.172)"},
                    headers=JSON)
    assert r.status_code == 201 and r.json()["url"] == "/access/scenarios/lekeplass"


@pytest.mark.parametrize(("fields", "field", "words"), [
    ({"object": "path", "geometry_text": "LINESTRING (24.94 60.17)"}, "geometry", "to forskjellige punkter"),
    ({"object": "path", "geometry_text": '{"type": "LineString", "coordinates": [[24.94, 60.17], [24.94, 60.17]]}'},
     "geometry", "to forskjellige punkter"),
    ({"object": "facility", "kind": "casino", "geometry_text": "POINT (24.944 60.172)"}, "kind", "casino"),
    ({"object": "facility", "kind": "park", "geometry_text": "POINT (10.75 59.91)"}, "geometry", "utenfor gangnettet"),
    ({"object": "path", "geometry_text": "LINESTRING (24.944 60.172, 10.75 59.91)"}, "geometry", "utenfor gangnettet"),
    ({"object": "path", "geometry_text": "POINT (24.944 60.172)"}, "geometry", "LineString"),
    ({"object": "path", "geometry_text": ""}, "geometry", "tegn"),
    ({"code": "Ugyldig kode!", "object": "path", "geometry_text": HELPFUL_PATH}, "code", "Ugyldig kode!"),
])
def test_bad_input_is_refused_naming_the_field(client: TestClient, helsinki: Context, fields: dict, field: str,
                                               words: str) -> None:
    token = login(client, "anna")
    before = _state(helsinki)
    form = {"csrf_token": token, "code": "feil", **fields}
    r = client.post("/access/scenarios", data=form, headers=JSON)
    assert r.status_code == 422, r.text
    body = r.json()
    assert field in [p["field"] for p in body["problems"]] and words in r.text
    html = client.post("/access/scenarios", data=form)
    assert html.status_code == 422 and f'id="{field}-error"' in html.text and 'role="alert"' in html.text
    assert _state(helsinki) == before


def test_a_code_already_used_is_refused(client: TestClient, helsinki: Context) -> None:
    token = login(client, "anna")
    form = {"csrf_token": token, "code": "to-ganger", "object": "path", "geometry_text": HELPFUL_PATH}
    assert client.post("/access/scenarios", data=form, headers=JSON).status_code == 201
    before = _state(helsinki)
    r = client.post("/access/scenarios", data=form, headers=JSON)
    assert r.status_code == 422 and [p["field"] for p in r.json()["problems"]] == ["code"]
    assert _state(helsinki) == before


def test_the_edges_layer_without_a_view_is_bounded_and_the_cap_is_whole_100_m(
        client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    """Review fix: without ``zoom`` the edges layer used to send every edge of the network (anyone could ask);
    and a free ``cap`` made each distinct float a new network search."""
    from nabolag.services import mapping_streets

    whole = client.get("/geo/access/library.geojson", params={"layer": "edges"}).json()
    assert whole["too_many"] is False and whole["features"]
    monkeypatch.setattr(mapping_streets, "MAX_EDGES", 1000)  # the Helsinki network has more than 4,000 edges
    crowded = client.get("/geo/access/library.geojson", params={"layer": "edges", "cap": 1501}).json()
    assert crowded["features"] == [] and crowded["too_many"] is True
    assert client.get("/geo/access/library.geojson", params={"cap": 1234.5}).json()["cap_m"] == 1200

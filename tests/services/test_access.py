"""Walking access on the real Helsinki extract and population grid, stored and checked against networkx."""

from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pytest
import shapely
from pyproj import Transformer

from nabolag.domain.zones import Area, Zone
from nabolag.errors import InputError, NotFoundError
from nabolag.services import Context, access, access_compute, access_facilities
from nabolag.services import access_scenario as scenario
from nabolag.services.access_inputs import load_inputs, prepare
from nabolag.services.observations import query
from nabolag.services.zones import define_zones, save_area
from nabolag.store import access as repo

# 2 × 2 zones over the extract (lon 24.935–24.954, lat 60.164–60.179); the area is the two northern ones
X = (24.935, 24.944, 24.954)
Y = (60.164, 60.1715, 60.179)


def _setup(ctx: Context, shared: Path) -> None:
    helsinki = shared / "helsinki"
    define_zones(ctx, [Zone(code=f"h{i}{j}", name=f"H{i}{j}", level="grunnkrets",
                            geometry=shapely.to_wkb(shapely.box(X[i], Y[j], X[i + 1], Y[j + 1])))
                       for i in range(2) for j in range(2)])
    save_area(ctx, Area(code="nord", name="Nord", zone_codes=("h01", "h11")))
    info, report = access.build_network(ctx, helsinki / "helsinki_centre.osm.pbf", extract_date="2020-06-01")
    assert info.crs == "EPSG:25835" and info.extract_date == "2020-06-01" and 3000 < info.nodes < 6000
    access.import_people(ctx, helsinki / "population_grid_2020.gpkg", grid=True)
    access_facilities.import_facilities(ctx, helsinki / "helsinki_centre.osm.pbf", kinds=["park", "library"])


def _independent(ctx: Context, kind: str, cap: float) -> pd.DataFrame:
    """Per zone: population-weighted mean (capped) and share within 500 m, with networkx and brute force."""
    with ctx.store.read() as conn:
        _info, net, _lonlat = repo.load_network(conn)
        people = repo.load_people(conn)
    inputs = load_inputs(ctx, "grunnkrets", [kind], None)
    sources = prepare(inputs, [kind], False).sources[kind]  # which nodes touch a facility: shared on purpose
    g = nx.Graph()
    g.add_weighted_edges_from(zip(net.u.tolist(), net.v.tolist(), net.length.tolist(), strict=True))
    found = nx.multi_source_dijkstra_path_length(g, set(sources.tolist()), cutoff=cap)
    t = Transformer.from_crs("EPSG:4326", net.crs, always_xy=True)
    px, py = t.transform(people["lon"], people["lat"])
    rows = []
    for x, y, lon, lat, w, grp in zip(px, py, people["lon"], people["lat"], people["weight"], people["groups"],
                                      strict=True):
        d2 = (net.xy[:, 0] - x) ** 2 + (net.xy[:, 1] - y) ** 2
        node = int(np.argmin(d2))
        snap = float(np.sqrt(d2[node]))
        zone = next((f"h{i}{j}" for i in range(2) for j in range(2)
                     if X[i] <= lon <= X[i + 1] and Y[j] <= lat <= Y[j + 1]), None)
        if zone is None or snap > 500 or grp != "":
            continue
        d = found.get(node, np.inf) + snap
        rows.append({"zone": zone, "w": w, "d": min(d, cap) if d <= cap else cap, "in500": d <= 500})
    frame = pd.DataFrame(rows)
    return frame.groupby("zone").apply(lambda f: pd.Series({
        "mean": np.average(f["d"], weights=f["w"]), "within_500": 100 * f.loc[f["in500"], "w"].sum() / f["w"].sum(),
        "pop": f["w"].sum()}), include_groups=False)


def test_helsinki_access_matches_networkx(ctx: Context, shared: Path) -> None:
    _setup(ctx, shared)
    out = access_compute.compute(ctx, level="grunnkrets", kinds=["park", "library"], max_distance=1500)
    assert out["period"] == "2020" and out["zones"] == 4
    stored = query(ctx, indicators=["access_park_mean_m", "access_park_within_500m"], groups="")
    zones = stored[stored["zone"].notna()].pivot(index="zone", columns="indicator", values="value")
    expected = _independent(ctx, "park", 1500)
    assert set(zones.index) == set(expected.index) and len(expected) >= 3
    for zone, row in expected.iterrows():
        assert zones.loc[zone, "access_park_mean_m"] == pytest.approx(row["mean"], abs=0.06)
        assert zones.loc[zone, "access_park_within_500m"] == pytest.approx(row["within_500"], abs=0.06)
    area = stored[stored["area"] == "nord"].set_index("indicator")["value"]
    north = expected.loc[[z for z in ("h01", "h11") if z in expected.index]]
    assert area["access_park_mean_m"] == pytest.approx(np.average(north["mean"], weights=north["pop"]), abs=0.06)
    equity = query(ctx, indicators=["access_library_mean_m_ratio", "access_library_mean_m_gini"], areas=["nord"])
    assert len(equity) == 2 and equity["value"].min() >= 0
    # computing again replaces, never duplicates
    access_compute.compute(ctx, level="grunnkrets", kinds=["park"], max_distance=1500)
    again = query(ctx, indicators=["access_park_mean_m"], groups="")
    assert len(again) == len(stored[stored["indicator"] == "access_park_mean_m"])


def test_scenario_changes_only_its_copy(ctx: Context, shared: Path) -> None:
    _setup(ctx, shared)
    inputs = load_inputs(ctx, "grunnkrets", ["library"], None)
    prepared = prepare(inputs, ["library"], False)
    with ctx.store.read() as conn:
        _info, net, lonlat = repo.load_network(conn)
        real_facilities = len(repo.list_facilities(conn))
    # a planned library on the node where the most people in a zone join the network
    ok = (inputs.zone_of >= 0) & (prepared.snap_m <= 500)
    node = np.bincount(prepared.person_node[ok], weights=inputs.weight[ok]).argmax()
    scenario.create_scenario(ctx, "nytt-bibliotek", "Nytt bibliotek")
    scenario.add_facility(ctx, "nytt-bibliotek", "library", f"POINT ({lonlat[node, 0]} {lonlat[node, 1]})")
    scenario.add_path(ctx, "nytt-bibliotek", "LINESTRING (24.9370 60.1650, 24.9520 60.1780)", "Diagonal")
    rows = pd.DataFrame(scenario.compute_scenario(ctx, "nytt-bibliotek", level="grunnkrets", kinds=["library"]))
    means = rows[(rows["measure"] == "mean_m") & (rows["groups"] == "")]
    assert (means["value_after"] <= means["value_before"] + 1e-9).all()
    assert (means["value_after"] < means["value_before"] - 1).any()
    with ctx.store.read() as conn:
        _i, net_after, _l = repo.load_network(conn)
        assert net_after.n_nodes == net.n_nodes and len(repo.list_facilities(conn)) == real_facilities
    assert len(scenario.scenario_results(ctx, "nytt-bibliotek")) == len(rows)
    assert scenario.list_scenarios(ctx)[0]["facilities"] == 1
    scenario.remove_scenario(ctx, "nytt-bibliotek")
    assert scenario.list_scenarios(ctx) == []
    with pytest.raises(NotFoundError):
        scenario.scenario_results(ctx, "nytt-bibliotek")


def test_clear_messages_for_bad_input(ctx: Context, shared: Path, tmp_path: Path) -> None:
    with pytest.raises(NotFoundError, match="access build"):
        access_compute.compute(ctx, level="grunnkrets")
    with pytest.raises(InputError, match="Ukjent type.*casino.*kjente typer: park"):
        access_facilities.import_facilities(ctx, shared / "helsinki" / "helsinki_centre.osm.pbf", kinds=["casino"])
    listed = tmp_path / "steder.csv"
    listed.write_text("kind,name,lon,lat\nplayground,Lek,24.94,60.17\nBad Kind!,X,24.95,60.17\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        access_facilities.import_facilities(ctx, listed)
    assert any(p.row == 3 and p.field == "kind" for p in exc.value.problems)
    scenario.create_scenario(ctx, "s")
    with pytest.raises(InputError, match="LineString"):
        scenario.add_path(ctx, "s", "POINT (24.94 60.17)")
    with pytest.raises(InputError, match="EPSG:4326"):
        scenario.add_facility(ctx, "s", "park", "POINT (597000 6672000)")

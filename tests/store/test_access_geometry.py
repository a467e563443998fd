"""Migration 0010 keeps the edges' shapes beside the network: a network stored before it still loads (drawn
straight, node to node), a new one keeps its shapes through the database (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import shapely
from pyproj import Transformer
from sqlalchemy import insert, inspect

from nabolag.analysis.access_network import edge_coordinates, split_lines
from nabolag.services import Context
from nabolag.services.mapping_streets import network_stamp, streets_geojson
from nabolag.store import access as repo
from nabolag.store import open_store
from nabolag.store.access_tables import access_network
from nabolag.store.migrate import migrate

LINES = [np.array([[385000.0, 6672000], [385040, 6672030], [385080, 6672000]]),
         np.array([[385080.0, 6672000], [385080, 6672100]])]
CRS = "EPSG:25835"


def _lonlat(xy: np.ndarray) -> np.ndarray:
    t = Transformer.from_crs(CRS, "EPSG:4326", always_xy=True)
    return np.column_stack(t.transform(xy[:, 0], xy[:, 1]))


def test_a_network_stored_before_the_shapes_loads_and_is_drawn_straight(db_url: str) -> None:
    store = open_store(db_url)
    migrate(store, "0009")
    net = split_lines(LINES)
    net.crs = CRS
    with store.engine.begin() as conn:  # as 0009 stored it: the arrays only
        conn.execute(insert(access_network).values(
            name="gammelt", crs=CRS, nodes=net.n_nodes, edges=len(net.u), length_m=float(net.length.sum()),
            built_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC), arrays=repo.pack(net, _lonlat(net.xy))))
    migrate(store)
    assert "geometry" in {c["name"] for c in inspect(store.engine).get_columns("access_network")}
    with store.engine.connect() as conn:
        found = repo.load_network(conn, geometry=True)
    assert found is not None
    info, old, _lonlat_stored = found
    assert info.name == "gammelt" and not old.has_geometry and np.array_equal(old.length, net.length)
    store.dispose()
    with Context.open(db_url, actor="test", create=False) as ctx:
        body = json.loads(streets_geojson(ctx, None, 16, network_stamp(ctx)))
    assert body["shaped"] is False and body["edges"] == 2
    drawn = shapely.geometry.shape(body["features"][0]["geometry"])
    assert shapely.get_num_coordinates(drawn) == 3  # two straight edges joined at their shared node


def test_a_new_network_keeps_its_shapes_through_the_database(ctx: Context) -> None:
    net = split_lines(LINES)
    net.crs = CRS
    with ctx.store.transaction() as conn:
        nid = repo.save_network(conn, net, _lonlat(net.xy), name="nytt", source="test", file_name="", sha256="",
                                extract_date="", actor="test", dropped=0)
    with ctx.store.read() as conn:
        found = repo.load_network(conn, nid, geometry=True)
        plain = repo.load_network(conn, nid)
        stamp = repo.network_stamp(conn)
    assert found is not None and plain is not None and stamp is not None and stamp[0] == nid
    _info, back, _ll = found
    assert back.has_geometry and not plain[1].has_geometry  # the computations do not read the shapes
    assert back.bends is not None and back.bends.tolist() == [[385040.0, 6672030.0]]
    xy, index = edge_coordinates(back)
    assert np.allclose(shapely.length(shapely.linestrings(xy, indices=index)), net.length)

"""The computation behind the walking-distance map layers (:mod:`nabolag.services.access_layer`): for one
kind on the newest network, the distance of every node, edge (to its mid-point) and population point;
with a scenario, after it (its paths on a copy of the network, its planned facilities added) and before."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely

from nabolag.analysis.access import nearest_distance, person_distance, snap
from nabolag.analysis.access_network import edge_distance
from nabolag.analysis.access_run import with_paths
from nabolag.analysis.nearest import NodeIndex
from nabolag.domain.access import DEFAULT_MAX_DISTANCE_M, MAX_SNAP_M, check_kind
from nabolag.errors import NotFoundError
from nabolag.i18n import _
from nabolag.services.access_inputs import facility_nodes, lonlat_to_metric, to_metric
from nabolag.services.context import Context
from nabolag.store import access as repo


@dataclass
class Distances:
    """One kind on the newest network: per node (lon/lat, metres), per edge (metres to its mid-point; a
    scenario's edges come after the network's own, with their straight lines in ``extra_lines``) and per
    population point."""

    kind: str
    cap: float
    node_lonlat: np.ndarray
    node_m: np.ndarray
    node_before: np.ndarray | None
    people_lonlat: np.ndarray
    people_weight: np.ndarray
    people_m: np.ndarray
    people_before: np.ndarray | None
    network: dict[str, object]
    stamp: tuple[int, str] = (0, "")
    edge_m: np.ndarray | None = None
    edge_before: np.ndarray | None = None
    extra_lines: np.ndarray | None = None


def shorter(after: np.ndarray, before: np.ndarray) -> np.ndarray:
    """Where a scenario shortens the walk by more than half a metre, or reaches what was out of reach
    (``before`` is ``inf`` or ``nan``).

    >>> shorter(np.array([100.0, 99.8, 50.0, np.inf]), np.array([200.0, 100.0, np.nan, np.inf])).tolist()
    [True, False, True, False]
    """
    was = np.where(np.isfinite(before), before, np.inf)
    return np.isfinite(after) & (after < was - 0.5)


def compute_distances(ctx: Context, kind: str, scenario: str | None = None,
                      cap: float = DEFAULT_MAX_DISTANCE_M) -> Distances:
    """Distances per node and per population point (everyone, group ``""``); with a scenario, after it."""
    kind = check_kind(kind)
    with ctx.store.read() as conn:
        found = repo.load_network(conn)
        sid = repo.scenario_id(conn, scenario) if scenario else None
        if scenario and sid is None:
            raise NotFoundError(_("Scenarioet «{code}» finnes ikke", code=scenario))
        facilities = repo.list_facilities(conn, [kind], scenario_id=sid)
        paths = repo.scenario_paths(conn, sid) if sid is not None else []
        people = repo.load_people(conn)
    if found is None:
        raise NotFoundError(_("Ingen gangnett er bygd; kjør «nabolag access build --osm FIL» først"))
    info, net, lonlat = found
    index = NodeIndex(net.xy)
    real = [f for f in facilities if f["scenario_id"] is None]
    node_real = nearest_distance(net.graph(), facility_nodes(net, index, real)[0], cap)
    everyone = people["groups"] == ""
    p_lonlat = np.column_stack([people["lon"][everyone], people["lat"][everyone]])
    p_xy = lonlat_to_metric(p_lonlat[:, 0], p_lonlat[:, 1], net.crs)
    p_node, p_snap = snap(net.xy, p_xy, index, MAX_SNAP_M) if len(p_xy) else (np.empty(0, np.int64), np.empty(0))
    near = p_snap <= MAX_SNAP_M
    p_lonlat, p_node, p_snap, p_weight = p_lonlat[near], p_node[near], p_snap[near], people["weight"][everyone][near]
    p_real = person_distance(node_real, p_node, p_snap, cap)
    meta = {"id": info.id, "name": info.name, "extract_date": info.extract_date, "source": info.source}
    stamp = (info.id, info.built_at)
    edge_real = edge_distance(node_real, net.u, net.v, net.length)
    if sid is None:
        return Distances(kind, cap, lonlat, node_real, None, p_lonlat, p_weight, p_real, None, meta, stamp, edge_real)
    path_geoms = shapely.from_wkb(paths) if paths else np.empty(0, dtype=object)
    copy = with_paths(net, [shapely.get_coordinates(g) for g in to_metric(path_geoms, net.crs)] if paths else [])
    node_after = nearest_distance(copy.graph(), facility_nodes(copy, NodeIndex(copy.xy), facilities)[0], cap)
    all_lonlat = np.concatenate([lonlat, *(shapely.get_coordinates(g) for g in path_geoms)]) if paths else lonlat
    before = np.concatenate([node_real, np.full(copy.n_nodes - net.n_nodes, np.nan)])
    p_after = person_distance(node_after, p_node, p_snap, cap)  # people keep their node, as in the back end
    m = len(net.u)
    extra = np.arange(m, len(copy.u))
    extra_lines = shapely.linestrings(np.stack([all_lonlat[copy.u[extra]], all_lonlat[copy.v[extra]]], axis=1)) \
        if len(extra) else np.empty(0, dtype=object)
    edge_after = edge_distance(node_after, copy.u, copy.v, copy.length)
    edge_before = np.concatenate([edge_real, np.full(len(extra), np.nan)])
    return Distances(kind, cap, all_lonlat, node_after, before, p_lonlat, p_weight, p_after, p_real, meta, stamp,
                     edge_after, edge_before, extra_lines)

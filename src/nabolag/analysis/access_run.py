"""The whole computation over arrays: facilities to source nodes, distances per kind, the zone summary,
and a scenario's extra paths added to a copy of the network."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import shapely
from scipy.sparse import csr_matrix

from nabolag.analysis.access import (
    SnapInBackground,
    Snapped,
    ZoneAccess,
    nearest_distance,
    person_distance,
    snap,
    zone_access,
    zone_sums,
)
from nabolag.analysis.access_network import Network
from nabolag.analysis.nearest import NodeIndex
from nabolag.analysis.parallel import over_ranges


def facility_sources(node_xy: np.ndarray, index: NodeIndex, geoms: np.ndarray, max_snap: float,
                     entrance_buffer: float) -> tuple[np.ndarray, int]:
    """Network nodes that reach each facility (metric geometries): a point's nearest node (within
    ``max_snap``); an area's or line's nodes within ``entrance_buffer`` of it, else its nearest node.
    Returns the nodes and how many facilities were too far from the network.

    >>> nodes = np.array([[0.0, 0], [10, 0], [20, 0], [900, 0]])
    >>> geoms = np.array([shapely.Point(9, 1), shapely.box(15, -5, 30, 5), shapely.Point(5000, 0)])
    >>> src, far = facility_sources(nodes, NodeIndex(nodes), geoms, 500, 25)
    >>> src.tolist(), far
    ([0, 1, 2], 1)
    """
    points = shapely.get_type_id(geoms) == 0
    out: list[np.ndarray] = []
    far = 0
    if points.any():
        idx, dist = snap(node_xy, shapely.get_coordinates(geoms[points]), index)
        out.append(idx[dist <= max_snap])
        far += int((dist > max_snap).sum())
    for g in geoms[~points]:
        x0, y0, x1, y1 = g.bounds
        box = np.flatnonzero((node_xy[:, 0] >= x0 - entrance_buffer) & (node_xy[:, 0] <= x1 + entrance_buffer)
                             & (node_xy[:, 1] >= y0 - entrance_buffer) & (node_xy[:, 1] <= y1 + entrance_buffer))
        inside = box[shapely.dwithin(g, shapely.points(node_xy[box]), entrance_buffer)]
        found = inside
        if found.size == 0:
            idx, dist = snap(node_xy, shapely.get_coordinates(shapely.point_on_surface(g))[:1], index)
            if dist[0] <= max_snap:
                found = idx
            else:
                far += 1
        out.append(found)
    return (np.unique(np.concatenate(out)) if out else np.empty(0, dtype=np.int64)), far


def run_kinds(graph: csr_matrix, people: Snapped | Callable[[], Snapped], weight: np.ndarray, zone: np.ndarray,
              n_zones: int, sources: dict[str, np.ndarray], cap: float, thresholds: tuple[int, ...],
              step: Callable[[str], None] | None = None) -> dict[str, tuple[np.ndarray, ZoneAccess]]:
    """Per kind: each person's distance and the zone summary (``step(kind)`` after each kind's network
    distances, the slow part).

    ``people`` is each person's node and snap distance, or a function that gives them
    (:class:`nabolag.analysis.access.SnapInBackground`): it is called only after every kind's network
    distances, so the snapping can run on other cores meanwhile (started in its search first).
    """
    if isinstance(people, SnapInBackground):
        people.wait_searching()
    node_dist = {}
    for kind, src in sources.items():
        node_dist[kind] = nearest_distance(graph, src, cap)
        if step is not None:
            step(kind)
    person_node, snap_m = people() if callable(people) else people
    return summarise(node_dist, person_node, snap_m, weight, zone, n_zones, cap, thresholds)


def summarise(node_dist: dict[str, np.ndarray], person_node: np.ndarray, snap_m: np.ndarray, weight: np.ndarray,
              zone: np.ndarray, n_zones: int, cap: float, thresholds: tuple[int, ...], parts: int | None = None
              ) -> dict[str, tuple[np.ndarray, ZoneAccess]]:
    """Per kind (its network distance per node): each person's distance and the zone summary, the people
    in ``parts`` on the cores (default: :func:`nabolag.analysis.parallel.ranges`), each part's zone sums
    added up."""
    dist = {kind: np.empty(len(person_node)) for kind in node_dist}

    def part(lo: int, hi: int) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        sums = {}
        for kind, nd in node_dist.items():
            d = person_distance(nd, person_node[lo:hi], snap_m[lo:hi], cap, out=dist[kind][lo:hi])
            sums[kind] = zone_sums(d, weight[lo:hi], zone[lo:hi], n_zones, thresholds, cap)
        return sums
    found = over_ranges(len(person_node), part, parts)
    return {kind: (dist[kind], zone_access(sum(p[kind][0] for p in found),  # type: ignore[arg-type]
                                           sum(p[kind][1] for p in found), thresholds))  # type: ignore[arg-type]
            for kind in node_dist}


def with_paths(net: Network, paths: list[np.ndarray]) -> Network:
    """A copy of ``net`` with each path (metric vertices) added: its vertices become nodes joined in order,
    and its two ends are joined to their nearest existing nodes by straight connectors.

    >>> net = Network(np.array([[0.0, 0], [100, 0], [0, 100]]), np.array([0, 0]), np.array([1, 2]),
    ...               np.array([100.0, 100]))
    >>> new = with_paths(net, [np.array([[100.0, 5], [5, 100]])])
    >>> new.n_nodes, len(new.u), sorted(new.length.round(1).tolist())[:3]
    (5, 5, [5.0, 5.0, 100.0])
    """
    if not paths:
        return net
    index = NodeIndex(net.xy)
    xy, u, v, length = [net.xy], [net.u], [net.v], [net.length]
    n = net.n_nodes
    for path in paths:
        k = len(path)
        ids = np.arange(n, n + k)
        ends, gap = snap(net.xy, path[[0, -1]], index)
        xy.append(path)
        u.append(np.concatenate([ids[:-1], [ends[0], ends[1]]]))
        v.append(np.concatenate([ids[1:], [ids[0], ids[-1]]]))
        length.append(np.concatenate([np.hypot(*(path[1:] - path[:-1]).T), gap]))
        n += k
    # the new edges come after the base edges: past bend_offsets, so they are drawn straight
    return Network(np.concatenate(xy), np.concatenate(u), np.concatenate(v), np.concatenate(length), net.crs,
                   net.bends, net.bend_offsets)

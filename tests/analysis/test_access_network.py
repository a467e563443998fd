"""The walking network keeps each edge's shape: hand-made lines checked by eye, and the real Helsinki extract
checked edge by edge against shapely's length of the stored line in the metric CRS (an independent
computation: GEOS, not the cumulative sums that give the stored lengths)."""

from pathlib import Path

import numpy as np
import pytest
import shapely
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components, dijkstra

from nabolag.analysis import access_network
from nabolag.analysis.access_network import (
    Network,
    edge_coordinates,
    edge_distance,
    graph_matrix,
    largest_component,
    split_lines,
)
from nabolag.analysis.access_run import with_paths
from nabolag.domain.problems import Report
from nabolag.ingest.network_lines import metric_arrays
from nabolag.ingest.osm import read_walkable_ways
from nabolag.store.access import pack_geometry, unpack_geometry

PBF = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "helsinki" / "helsinki_centre.osm.pbf"


def lines_of(net: Network, node_xy: np.ndarray | None = None) -> np.ndarray:
    xy, index = edge_coordinates(net, node_xy=node_xy)
    return shapely.linestrings(xy, indices=index)


def test_bends_run_from_u_to_v_and_measure_the_stored_length() -> None:
    # an L-shaped street with a bend at (0, 40), crossed at (30, 40) by a straight one; a zig-zag spur
    lines = [np.array([[0.0, 0], [0, 40], [30, 40], [60, 40]]),
             np.array([[30.0, 0], [30, 40], [30, 90]]),
             np.array([[60.0, 40], [70, 50], [80, 40], [90, 50]])]
    net = split_lines(lines)
    drawn = lines_of(net)
    assert net.has_geometry and len(drawn) == 5
    assert np.allclose(shapely.length(drawn), net.length)
    by_ends = {(tuple(net.xy[a]), tuple(net.xy[b])): shapely.get_coordinates(g).tolist()
               for a, b, g in zip(net.u, net.v, drawn, strict=True)}
    assert by_ends[((0.0, 0.0), (30.0, 40.0))] == [[0, 0], [0, 40], [30, 40]]
    assert by_ends[((60.0, 40.0), (90.0, 50.0))] == [[60, 40], [70, 50], [80, 40], [90, 50]]
    assert by_ends[((30.0, 0.0), (30.0, 40.0))] == [[30, 0], [30, 40]]  # straight: no bends


def test_the_largest_part_keeps_its_edges_shapes() -> None:
    lines = [np.array([[0.0, 0], [5, 5], [10, 0]]), np.array([[10.0, 0], [15, -5], [20, 0], [25, 5]]),
             np.array([[500.0, 500], [501, 502], [502, 500]])]  # an island with a bend of its own
    part, dropped = largest_component(split_lines(lines))
    assert dropped == 2 and len(part.u) == 2
    coords = sorted(shapely.get_coordinates(g).tolist() for g in lines_of(part))
    assert coords == [[[0, 0], [5, 5], [10, 0]], [[10, 0], [15, -5], [20, 0], [25, 5]]]
    assert np.allclose(shapely.length(lines_of(part)), part.length)


def test_a_network_without_shapes_and_a_scenarios_paths_are_straight() -> None:
    net = split_lines([np.array([[0.0, 0], [50, 50], [100, 0]]), np.array([[100.0, 0], [100, 100]])])
    old = Network(net.xy, net.u, net.v, net.length, net.crs)  # as stored before the shapes were kept
    assert not old.has_geometry
    assert shapely.get_num_coordinates(lines_of(old)).tolist() == [2, 2]
    copy = with_paths(net, [np.array([[0.0, 1], [100, 99]])])  # keeps the base edges' shapes
    drawn = lines_of(copy)
    assert len(drawn) == len(copy.u) == len(net.u) + 3  # the path, and a connector at each end
    assert shapely.get_coordinates(drawn[0]).tolist() == [[0, 0], [50, 50], [100, 0]]
    assert shapely.get_num_coordinates(drawn[len(net.u):]).tolist() == [2, 2, 2]
    assert np.allclose(shapely.length(drawn), copy.length)


def test_edge_distance_is_to_the_mid_point() -> None:
    # facility at node 0; edge 0–1 of 100 m: mid-point 50 m; edge 1–2 of 40 m reached through node 1
    d = edge_distance(np.array([0.0, 100.0, 140.0, np.inf]), np.array([0, 1, 3]), np.array([1, 2, 3]),
                      np.array([100.0, 40.0, 10.0]))
    assert d.tolist() == [50.0, 120.0, np.inf]


@pytest.fixture(scope="module")
def ways() -> tuple[list[np.ndarray], str]:
    return metric_arrays(read_walkable_ways(PBF, Report(str(PBF))).geometry)


@pytest.fixture(scope="module")
def helsinki(ways: tuple[list[np.ndarray], str]) -> Network:
    net, _dropped = largest_component(split_lines(ways[0]))
    net.crs = ways[1]
    return net


def test_helsinki_edges_are_as_long_as_their_stored_length(helsinki: Network,
                                                           ways: tuple[list[np.ndarray], str]) -> None:
    net = helsinki
    assert net.bends is not None and len(net.bends) > 1000  # the extract's streets do bend
    bends, offsets = unpack_geometry(pack_geometry(net) or b"")  # as the store keeps them (to the millimetre)
    stored = Network(net.xy, net.u, net.v, net.length, net.crs, bends, offsets)
    drawn = lines_of(stored)
    assert len(drawn) == len(net.u)
    # every edge: shapely's length of the stored line equals the stored length (nodes are merged within
    # 1 cm, bends kept to 1 mm), and the line runs from its u node to its v node
    assert np.allclose(shapely.length(drawn), net.length, rtol=0, atol=0.03)
    assert np.array_equal(shapely.get_coordinates(shapely.get_point(drawn, 0)), net.xy[net.u])
    assert np.array_equal(shapely.get_coordinates(shapely.get_point(drawn, -1)), net.xy[net.v])
    # the edges draw the ways: every way of the largest part (its first vertex is a node) lies on the
    # drawn network, and together they are exactly as long
    lines = np.array([shapely.LineString(a) for a in ways[0]])
    nodes = shapely.points(net.xy)
    first = shapely.get_point(lines, 0)
    in_part = shapely.distance(first, nodes[shapely.STRtree(nodes).nearest(first)]) < 0.01
    assert 0.9 * len(lines) < in_part.sum() < len(lines)
    xy = np.concatenate([a for a, keep in zip(ways[0], in_part, strict=True) if keep])
    step = [np.column_stack([a[:-1], a[1:]]) for a, keep in zip(ways[0], in_part, strict=True) if keep]
    middles = np.concatenate(step)
    probes = shapely.points(np.concatenate([xy, (middles[:, :2] + middles[:, 2:]) / 2]))  # vertices, mid-points
    _pairs, gap = shapely.STRtree(drawn).query_nearest(probes, return_distance=True, all_matches=False)
    assert len(gap) == len(probes) and gap.max() < 0.01
    assert shapely.length(lines[in_part]).sum() == pytest.approx(net.length.sum(), abs=0.5)


def test_the_stored_shapes_are_compact(helsinki: Network) -> None:
    blob = pack_geometry(helsinki) or b""
    bends, offsets = unpack_geometry(blob)
    assert np.array_equal(offsets, helsinki.bend_offsets)
    assert np.abs(bends - helsinki.bends).max() <= 0.0005 + 1e-9
    assert len(blob) < 4 * len(bends) + 2 * len(helsinki.u)  # well under the 16 bytes of a raw float pair


@pytest.mark.parametrize("scipys_sort", [True, False])
def test_graph_matrix_gives_csgraph_the_shortest_of_parallel_edges(scipys_sort: bool,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """The unsummed matrix against scipy's own (summed) one of the same edges without the longer twin; also
    built the way kept for a scipy without its private counting sort."""
    if not scipys_sort:
        monkeypatch.setattr(access_network, "_coo_tocsr", None)
    rng = np.random.default_rng(5)
    n = 300
    a, b = rng.integers(0, n, 1300), rng.integers(0, n, 1300)
    key = np.unique(np.minimum(a, b) * n + np.maximum(a, b))  # distinct edges u < v, no loops
    u, v = key // n, key % n
    u, v = u[u != v], v[u != v]
    length = rng.uniform(0, 100, len(u))
    length[:5] = 0.0  # zero lengths are still edges
    u, v, length = np.append(u, u[7]), np.append(v, v[7]), np.append(length, length[7] / 2)  # a shorter twin
    g = graph_matrix(n, u, v, length)
    assert g.nnz == 2 * len(u)  # nothing summed away
    keep = np.ones(len(u), dtype=bool)
    keep[7] = False
    want = csr_matrix((np.maximum(np.concatenate([length, length]), 1e-9)[np.concatenate([keep, keep])],
                       (np.concatenate([u[keep], v[keep]]), np.concatenate([v[keep], u[keep]]))), shape=(n, n))
    src = np.array([0, 17, 99])
    assert np.array_equal(dijkstra(g, directed=True, indices=src), dijkstra(want, directed=False, indices=src))
    assert connected_components(g)[0] == connected_components(want)[0]


@pytest.mark.parametrize("bad", [-1, 300])
def test_graph_matrix_refuses_a_node_outside_the_network(bad: int) -> None:
    with pytest.raises(ValueError, match="outside 0..299"):
        graph_matrix(300, np.array([0, bad]), np.array([1, 2]), np.array([1.0, 1.0]))

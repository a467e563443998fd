"""Snapping people to the network (pykdtree, in a worker thread, in a spatial order) and the run over kinds,
against brute force, against scipy's cKDTree and against the plain computation."""

import threading
import time

import numpy as np
import pytest
from scipy.spatial import cKDTree

from nabolag.analysis.access import (
    SORT_FROM,
    SnapInBackground,
    nearest_distance,
    person_distance,
    snap,
    spatial_order,
    zone_summary,
)
from nabolag.analysis.access_network import graph_matrix
from nabolag.analysis.access_run import run_kinds
from nabolag.analysis.nearest import NodeIndex


def _brute_force(nodes: np.ndarray, points: np.ndarray, bound: float) -> tuple[np.ndarray, np.ndarray]:
    """Nearest node by computing every point-node distance (in chunks), with the same bound rule."""
    idx, dist = np.empty(len(points), dtype=np.int64), np.empty(len(points))
    for a in range(0, len(points), 2000):
        d = np.hypot(points[a:a + 2000, None, 0] - nodes[None, :, 0], points[a:a + 2000, None, 1] - nodes[None, :, 1])
        idx[a:a + 2000] = d.argmin(axis=1)
        dist[a:a + 2000] = d.min(axis=1)
    far = dist > bound
    idx[far], dist[far] = 0, np.inf
    return idx, dist


@pytest.fixture(scope="module")
def grid() -> dict[str, np.ndarray]:
    rng = np.random.default_rng(11)
    nodes = rng.uniform(0, 5000, size=(1500, 2))
    points = np.concatenate([rng.uniform(-300, 5300, size=(SORT_FROM + 4000, 2)),
                             [[20_000.0, 20_000.0], [-9000.0, 0.0]]])  # two far from every node
    return {"nodes": nodes, "points": points}


def test_snap_matches_brute_force(grid: dict[str, np.ndarray]) -> None:
    nodes, points = grid["nodes"], grid["points"]
    idx, dist = snap(nodes, points, max_distance=400)
    want_idx, want_dist = _brute_force(nodes, points, 400)
    assert np.isinf(dist[-2:]).all() and (idx[-2:] == 0).all()
    assert np.array_equal(np.isinf(dist), np.isinf(want_dist))
    ok = np.isfinite(want_dist)
    assert np.allclose(dist[ok], want_dist[ok], rtol=0, atol=1e-9)
    # the same node, or one exactly as far (a tie)
    tie = idx != want_idx
    assert np.allclose(np.hypot(*(nodes[idx[tie]] - points[tie]).T), want_dist[tie])


def _background(points: np.ndarray, index: NodeIndex, max_distance: float = np.inf,
                threads: int | None = None) -> SnapInBackground:
    snapping = SnapInBackground(points, max_distance, threads)
    snapping.search(index)
    return snapping


def test_snap_in_background_gives_scipys_answer_later(grid: dict[str, np.ndarray]) -> None:
    """The other library: scipy's cKDTree, unsorted, one thread (random points: no ties)."""
    nodes, points = grid["nodes"], grid["points"]
    index = NodeIndex(nodes)
    done = _background(points, index, max_distance=400, threads=1)
    plain_dist, plain_idx = cKDTree(nodes).query(points, k=1, distance_upper_bound=400)
    plain_idx[plain_idx >= len(nodes)] = 0
    idx, dist = done()
    assert idx.dtype == np.int64 and np.array_equal(idx, plain_idx)
    assert np.array_equal(np.isinf(dist), np.isinf(plain_dist))
    assert np.allclose(dist, plain_dist, rtol=0, atol=1e-9)
    assert np.array_equal(_background(points, index, max_distance=400)()[0], idx)  # default threads
    small_idx, small_dist = _background(points[:10], index)()  # below SORT_FROM: no thread
    assert np.array_equal(small_idx, cKDTree(nodes).query(points[:10])[1]) and len(small_dist) == 10
    empty_idx, empty_dist = snap(nodes, np.empty((0, 2)), index)
    assert empty_idx.shape == (0,) and empty_dist.shape == (0,)


def test_snapping_orders_first_and_searches_the_tree_given_later(grid: dict[str, np.ndarray]) -> None:
    """The tree is given after the worker started (as the benchmark builds it while the worker orders); the
    caller can wait for the search to start; asking before search() is refused; an error in the worker
    (a tree of the wrong kind) reaches the caller; a small set is searched at once, by the caller."""
    nodes, points = grid["nodes"], grid["points"]
    snapping = SnapInBackground(points, max_distance=400, threads=1)
    with pytest.raises(RuntimeError, match="search"):
        snapping()
    snapping.wait_searching()  # before search(): returns at once rather than wait for a tree never given
    snapping.search(NodeIndex(nodes))
    snapping.wait_searching()
    assert np.array_equal(snapping()[0], snap(nodes, points, max_distance=400)[0])
    assert snapping()[0] is snapping()[0]  # put back in order once

    class Broken(NodeIndex):
        def search(self, *args: object, **kwargs: object) -> tuple[np.ndarray, np.ndarray]:
            raise MemoryError("no room")
    broken = SnapInBackground(points)
    broken.search(Broken(nodes))
    broken.wait_searching()
    with pytest.raises(MemoryError, match="no room"):
        broken()
    for worker in threading.enumerate():
        if worker.name == "nabolag-snap":
            worker.join(timeout=10)
    small = SnapInBackground(points[:5], max_distance=400)
    assert not [t for t in threading.enumerate() if t.name == "nabolag-snap"]  # no thread for five points
    small.search(NodeIndex(nodes))
    assert np.array_equal(small()[0], snap(nodes, points[:5], max_distance=400)[0])


def test_node_index_without_nodes_reaches_nothing() -> None:
    idx, dist = NodeIndex(np.empty((0, 2))).query(np.array([[1.0, 2.0], [3.0, 4.0]]), max_distance=500)
    assert idx.tolist() == [0, 0] and np.isinf(dist).all()


@pytest.mark.parametrize("bound", [np.inf, 500.0])
def test_a_point_without_finite_coordinates_reaches_nothing(bound: float) -> None:
    """Review fix: without a bound pykdtree gave such a point a huge finite distance (cKDTree refused it)."""
    nodes = np.array([[0.0, 0], [100, 0]])
    points = np.array([[np.nan, 0], [np.inf, 5], [90, 5], [0, -np.inf]])
    idx, dist = snap(nodes, points, NodeIndex(nodes), bound)
    assert idx.tolist() == [0, 0, 1, 0] and dist[2] == pytest.approx(np.hypot(10, 5))
    assert np.isinf(dist[[0, 1, 3]]).all()


def test_node_index_refuses_bad_shapes_and_nodes() -> None:
    with pytest.raises(ValueError, match="shape"):
        NodeIndex(np.zeros((4, 3)))
    with pytest.raises(ValueError, match="shape"):
        NodeIndex(np.zeros((2, 2))).query(np.zeros((5, 3)))
    with pytest.raises(ValueError, match="finite"):
        NodeIndex(np.array([[0.0, 0], [np.nan, 1]]))


def test_spatial_order_is_the_row_major_cell_order(grid: dict[str, np.ndarray]) -> None:
    pts = grid["points"]
    for cells in (2, 256, 300):  # 300 cells do not fit 16 bits
        lo, hi = pts.min(axis=0), pts.max(axis=0)
        cx = np.minimum(((pts[:, 0] - lo[0]) / ((hi[0] - lo[0]) / cells)).astype(int), cells - 1)
        cy = np.minimum(((pts[:, 1] - lo[1]) / ((hi[1] - lo[1]) / cells)).astype(int), cells - 1)
        want = sorted(range(len(pts)), key=lambda i: (cx[i], cy[i], i))
        assert spatial_order(pts, cells).tolist() == want


def test_run_kinds_waits_for_the_search_to_start_and_for_the_people_after_the_distances(grid: dict[str, np.ndarray]) -> None:
    rng = np.random.default_rng(3)
    nodes, points = grid["nodes"], grid["points"]
    pairs = cKDTree(nodes).query_pairs(260, output_type="ndarray")
    graph = graph_matrix(len(nodes), pairs[:, 0], pairs[:, 1], np.hypot(*(nodes[pairs[:, 0]] - nodes[pairs[:, 1]]).T))
    sources = {"a": rng.choice(len(nodes), 5, replace=False), "b": rng.choice(len(nodes), 40, replace=False)}
    weight = rng.integers(1, 4, len(points)).astype(float)
    zone = rng.integers(-1, 30, len(points))
    events: list[str] = []

    class SlowIndex(NodeIndex):  # the worker reaches its search late
        def search(self, *args: object, **kwargs: object) -> tuple[np.ndarray, np.ndarray]:
            time.sleep(0.2)
            events.append("worker searches")
            return super().search(*args, **kwargs)  # type: ignore[arg-type]

    class Recorded(SnapInBackground):
        def wait_searching(self) -> None:
            super().wait_searching()
            events.append("waited")

        def __call__(self) -> tuple[np.ndarray, np.ndarray]:
            events.append("people")
            return super().__call__()
    background = Recorded(points, 400)
    background.search(SlowIndex(nodes))
    got = run_kinds(graph, background, weight, zone, 30, sources, 1500.0, (300, 800), step=events.append)
    # the Dijkstras start only once the worker is in its search; the people are asked for after them
    assert events == ["worker searches", "waited", "a", "b", "people"]
    index = NodeIndex(nodes)
    person_node, snap_m = snap(nodes, points, index, 400)
    for kind, src in sources.items():  # the plain computation, one step after the other
        dist = person_distance(nearest_distance(graph, src, 1500.0), person_node, snap_m, 1500.0)
        want = zone_summary(dist, weight, zone, 30, (300, 800), 1500.0)
        assert np.array_equal(got[kind][0], dist)
        assert np.array_equal(got[kind][1].mean_m, want.mean_m, equal_nan=True)
        assert np.array_equal(got[kind][1].within[800], want.within[800], equal_nan=True)
    same = run_kinds(graph, (person_node, snap_m), weight, zone, 30, sources, 1500.0, (300, 800))
    assert np.array_equal(same["b"][0], got["b"][0])


@pytest.mark.parametrize(("n", "thresholds"), [(3000, (300, 500, 1000)), (400, tuple(range(10, 1310, 10)))])
def test_zone_summary_matches_a_loop_over_zones(n: int, thresholds: tuple[int, ...]) -> None:
    """Against the definition, zone by zone with plain Python sums; distances on the thresholds exactly,
    past the cap (inf) and people outside every zone (-1) included; 130 thresholds too (the distance band
    no longer fits a byte: review fix)."""
    rng = np.random.default_rng(5)
    zones, cap = 12, 1500.0
    dist = np.where(rng.random(n) < 0.3, rng.choice([300.0, 500.0, 1000.0, 0.0], n), rng.uniform(0, 1500, n))
    dist[rng.random(n) < 0.2] = np.inf
    dist[:4] = [300.0, 500.0, 1000.0, 1000.0000001]
    weight = rng.integers(1, 6, n).astype(float)
    zone = rng.integers(-1, zones - 1, n)  # the last zone stays empty
    got = zone_summary(dist, weight, zone, zones, thresholds, cap)
    for z in range(zones):
        rows = [(float(d), float(w)) for d, w, zz in zip(dist, weight, zone, strict=True) if zz == z]
        pop = sum(w for _d, w in rows)
        if not rows:
            assert got.population[z] == 0 and np.isnan(got.mean_m[z]) and np.isnan(got.reached[z])
            continue
        assert got.population[z] == pop
        assert got.mean_m[z] == pytest.approx(sum(min(d, cap) * w for d, w in rows) / pop, rel=1e-12)
        for t in thresholds:
            assert got.within[t][z] == pytest.approx(sum(w for d, w in rows if d <= t) / pop, rel=1e-12)
        assert got.reached[z] == pytest.approx(sum(w for d, w in rows if d <= cap) / pop, rel=1e-12)

"""Walking distances: a graph small enough to check by hand, and the Helsinki network against networkx."""

from pathlib import Path

import networkx as nx
import numpy as np
import pytest

from nabolag.analysis.access import nearest_distance, person_distance, zone_summary
from nabolag.analysis.access_network import Network, largest_component, split_lines
from nabolag.analysis.access_run import with_paths
from nabolag.domain.problems import Report
from nabolag.ingest.network_lines import metric_arrays
from nabolag.ingest.osm import read_walkable_ways


def test_hand_checked_grid() -> None:
    # Two streets crossing at (0, 0), a footpath from (0, 100) east to (60, 100) and down to (60, 0)
    # which meets the east-west street at its vertex (60, 0) = node; facility at (-100, 0).
    lines = [np.array([[-100.0, 0], [0, 0], [60, 0], [200, 0]]),
             np.array([[0.0, -50], [0, 0], [0, 100]]),
             np.array([[0.0, 100], [60, 100], [60, 0]])]
    net = split_lines(lines)
    assert net.n_nodes == 6  # (-100,0) (0,0) (60,0) (200,0) (0,-50) (0,100); (60,100) is a bend
    node = {tuple(xy): i for i, xy in enumerate(net.xy.tolist())}
    assert sorted(net.length.tolist()) == [50.0, 60.0, 100.0, 100.0, 140.0, 160.0]
    d = nearest_distance(net.graph(), np.array([node[(-100.0, 0.0)]]), cap=1000)
    assert d[node[(0.0, 0.0)]] == 100
    assert d[node[(60.0, 0.0)]] == 160
    assert d[node[(200.0, 0.0)]] == 300
    assert d[node[(0.0, 100.0)]] == 200
    # with a 250 m cap the far end is out of reach
    assert np.isinf(nearest_distance(net.graph(), np.array([node[(-100.0, 0.0)]]), cap=250)[node[(200.0, 0.0)]])
    # from a facility at (200, 0), (0, 100) is 300 m away both ways round; a new diagonal path from
    # (200, 1) to (0, 101) joins each end by a 1 m connector: 1 + √(200² + 100²) + 1 = 225.6 m
    far = np.array([node[(200.0, 0.0)]])
    before = nearest_distance(net.graph(), far, cap=1000)
    assert before[node[(0.0, 100.0)]] == 300
    shortcut = with_paths(net, [np.array([[200.0, 1], [0, 101]])])
    assert shortcut.n_nodes == net.n_nodes + 2 and net.n_nodes == 6  # the real network is untouched
    after = nearest_distance(shortcut.graph(), far, cap=1000)
    assert after[node[(0.0, 100.0)]] == pytest.approx(2 + np.hypot(200, 100))
    assert np.all(after[:net.n_nodes] <= before + 1e-9)


def test_people_and_zone_summary_by_hand() -> None:
    node_dist = np.array([0.0, 250.0, 600.0, np.inf])
    dist = person_distance(node_dist, np.array([0, 1, 2, 3, 1]), np.array([10.0, 30, 10, 5, 300]), cap=1000)
    assert dist.tolist() == [10.0, 280.0, 610.0, np.inf, 550.0]
    s = zone_summary(dist, np.array([1.0, 2, 1, 1, 1]), np.array([0, 0, 1, 1, -1]), 2, (300, 500), cap=1000)
    assert s.population.tolist() == [3.0, 2.0]
    assert s.mean_m.tolist() == [pytest.approx(190.0), pytest.approx(805.0)]
    assert s.within[300].tolist() == [1.0, 0.0] and s.reached.tolist() == [1.0, 0.5]


def test_split_keeps_length_and_drops_small_islands() -> None:
    lines = [np.array([[0.0, 0], [3, 4], [6, 8]]), np.array([[6.0, 8], [6, 20]]), np.array([[100.0, 100], [101, 100]])]
    net, dropped = largest_component(split_lines(lines))
    assert dropped == 2 and net.length.sum() == pytest.approx(22.0)


@pytest.fixture(scope="module")
def helsinki_network() -> Network:
    path = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "helsinki" / "helsinki_centre.osm.pbf"
    ways = read_walkable_ways(path, Report(str(path)))
    arrays, crs = metric_arrays(ways.geometry)
    net, _dropped = largest_component(split_lines(arrays))
    net.crs = crs
    return net


def test_helsinki_network_is_sound(helsinki_network: Network) -> None:
    net = helsinki_network
    assert net.crs == "EPSG:25835"
    assert 3000 < net.n_nodes < 6000
    assert np.all(net.length > 0) and 60_000 < net.length.sum() < 150_000
    # an edge is never shorter than the straight line between its nodes
    straight = np.hypot(*(net.xy[net.u] - net.xy[net.v]).T)
    assert np.all(net.length >= straight - 1e-6)


@pytest.mark.parametrize("n_sources,cap", [(1, 800.0), (12, 2000.0), (60, 400.0)])
def test_helsinki_distances_match_networkx(helsinki_network: Network, n_sources: int, cap: float) -> None:
    net = helsinki_network
    rng = np.random.default_rng(n_sources)
    sources = rng.choice(net.n_nodes, size=n_sources, replace=False)
    ours = nearest_distance(net.graph(), sources, cap)
    g = nx.Graph()
    for a, b, w in zip(net.u.tolist(), net.v.tolist(), net.length.tolist(), strict=True):
        if not g.has_edge(a, b) or g[a][b]["weight"] > w:
            g.add_edge(a, b, weight=w)
    theirs = nx.multi_source_dijkstra_path_length(g, set(sources.tolist()), cutoff=cap)
    expected = np.full(net.n_nodes, np.inf)
    expected[list(theirs)] = list(theirs.values())
    assert np.array_equal(np.isinf(ours), np.isinf(expected))
    assert np.allclose(ours[np.isfinite(ours)], expected[np.isfinite(expected)], rtol=1e-12, atol=1e-6)
    assert np.isfinite(ours).sum() > n_sources

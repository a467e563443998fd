"""Work in parts on threads (analysis.parallel): the parts cover the range once, errors reach the caller,
and the access summary and the snapping give in parts exactly what they give in one piece."""

import threading

import numpy as np
import pytest

from nabolag.analysis import parallel
from nabolag.analysis.access import SORT_FROM, person_distance, snap, zone_summary
from nabolag.analysis.access_run import summarise
from nabolag.analysis.nearest import NodeIndex
from nabolag.analysis.parallel import over_ranges, ranges


@pytest.mark.parametrize(("n", "parts"), [(0, 3), (1, 4), (7, 3), (1_000_003, 4)])
def test_ranges_cover_each_item_once(n: int, parts: int) -> None:
    spans = ranges(n, parts)
    covered = np.zeros(n, dtype=int)
    for lo, hi in spans:
        covered[lo:hi] += 1
    assert (covered == 1).all() and len(spans) <= max(1, min(parts, n))


def test_small_work_stays_in_one_part() -> None:
    assert ranges(parallel.MIN_PART - 1) == [(0, parallel.MIN_PART - 1)]


def test_parts_run_in_threads_and_an_error_reaches_the_caller() -> None:
    names: list[str] = []

    def work(lo: int, hi: int) -> int:
        names.append(threading.current_thread().name)
        if lo > 0:
            raise ValueError(f"part {lo}-{hi} failed")
        return hi - lo
    with pytest.raises(ValueError, match="part 5-10 failed"):
        over_ranges(10, work, parts=2)
    assert len(names) == 2 and names.count(threading.current_thread().name) == 1
    assert over_ranges(10, lambda lo, hi: hi - lo, parts=3) == [3, 3, 4]


def test_summary_in_parts_is_the_summary_in_one_piece() -> None:
    """Against zone_summary over all people at once (the plain computation): distances identical, counts
    identical (whole weights), means equal to rounding (the sums are added in another order)."""
    rng = np.random.default_rng(4)
    n, nodes, zones = 30_001, 900, 40
    node_dist = {"a": rng.uniform(0, 1400, nodes), "b": np.where(rng.random(nodes) < 0.2, np.inf, 300.0)}
    person_node, snap_m = rng.integers(0, nodes, n), rng.uniform(0, 80, n)
    weight, zone = rng.integers(1, 4, n).astype(float), rng.integers(-1, zones, n)
    got = summarise(node_dist, person_node, snap_m, weight, zone, zones, 1000.0, (300, 500), parts=3)
    for kind, nd in node_dist.items():
        dist = person_distance(nd, person_node, snap_m, 1000.0)
        want = zone_summary(dist, weight, zone, zones, (300, 500), 1000.0)
        assert np.array_equal(got[kind][0], dist)
        assert np.array_equal(got[kind][1].population, want.population)
        assert np.array_equal(got[kind][1].within[300], want.within[300], equal_nan=True)
        assert np.array_equal(got[kind][1].reached, want.reached, equal_nan=True)
        assert np.allclose(got[kind][1].mean_m, want.mean_m, rtol=1e-12, equal_nan=True)


def test_snapping_put_back_in_order_in_parts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Parts of 5,000 points (as on two cores, whatever this machine has): each point's node found by brute
    force."""
    monkeypatch.setattr(parallel, "MIN_PART", 5_000)
    monkeypatch.setattr(parallel, "default_threads", lambda: 2)
    rng = np.random.default_rng(9)
    nodes, points = rng.uniform(0, 3000, (300, 2)), rng.uniform(0, 3000, (SORT_FROM + 1000, 2))
    assert len(ranges(len(points))) == 2  # the spatial order, put back in two parts
    idx, dist = snap(nodes, points, NodeIndex(nodes), max_distance=500)
    near = np.hypot(points[:, None, 0] - nodes[None, :, 0], points[:, None, 1] - nodes[None, :, 1])
    assert np.array_equal(idx, near.argmin(axis=1))
    assert np.allclose(dist, near.min(axis=1), rtol=0, atol=1e-9)

"""Walking distance to the nearest facility along the network, and its summary per zone.

A person point walks straight to its nearest network node (the snap distance), then along the network
to the nearest node that reaches a facility of the kind. Distances past the cap are ``inf``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra
from scipy.spatial import cKDTree

SORT_FROM = 20_000
"""Point sets at least this large are queried in a spatial order (see :func:`spatial_order`)."""


def spatial_order(xy: np.ndarray, cells: int = 256) -> np.ndarray:
    """An order that visits the points cell by cell (row-major on a ``cells`` × ``cells`` grid over their
    extent), so consecutive KD-tree queries walk the same branches of the tree and stay in the CPU cache.

    >>> spatial_order(np.array([[10.0, 10], [0, 0], [10, 0], [0, 10]]), cells=2).tolist()
    [1, 3, 2, 0]
    """
    lo, hi = xy.min(axis=0), xy.max(axis=0)
    size = np.maximum((hi - lo) / cells, 1e-9)
    c = np.minimum(((xy - lo) / size).astype(np.int64), cells - 1)
    return np.argsort(c[:, 0] * cells + c[:, 1], kind="stable")


def snap(node_xy: np.ndarray, points_xy: np.ndarray, tree: cKDTree | None = None,
         max_distance: float = np.inf) -> tuple[np.ndarray, np.ndarray]:
    """Nearest network node of each point and the straight distance to it. A point farther than
    ``max_distance`` from every node gets distance ``inf`` and node 0 (callers leave it out by distance);
    the bound lets the KD-tree stop searching early.

    A large point set is queried in :func:`spatial_order` and put back in its order (measured on the
    benchmark's 500,000 random points and 200,000-node tree: a third less time; the 500 m bound another
    sixth; see ``bench/results/findings.md``).

    >>> snap(np.array([[0.0, 0], [100, 0]]), np.array([[90.0, 5], [-3, 4]]))[0].tolist()
    [1, 0]
    >>> snap(np.array([[0.0, 0], [100, 0]]), np.array([[90.0, 5], [900, 0]]), max_distance=500)[1].round(2).tolist()
    [11.18, inf]
    """
    tree = tree if tree is not None else cKDTree(node_xy, balanced_tree=False, compact_nodes=False)
    pts = np.ascontiguousarray(points_xy, dtype=np.float64)
    if len(pts) < SORT_FROM:
        dist, idx = tree.query(pts, k=1, workers=-1, distance_upper_bound=max_distance)
        out_idx, out_dist = idx.astype(np.int64), dist
    else:
        order = spatial_order(pts)
        dist, idx = tree.query(pts[order], k=1, workers=-1, distance_upper_bound=max_distance)
        out_idx, out_dist = np.empty(len(pts), dtype=np.int64), np.empty(len(pts))
        out_idx[order], out_dist[order] = idx, dist
    out_idx[out_idx >= tree.n] = 0
    return out_idx, out_dist


def snap_unique(node_xy: np.ndarray, points_xy: np.ndarray, tree: cKDTree | None = None,
                max_distance: float = np.inf) -> tuple[np.ndarray, np.ndarray]:
    """:func:`snap` for point sets that repeat coordinates (a population grid stores each cell once per
    group: total, women, men): each distinct point is snapped once.

    >>> snap_unique(np.array([[0.0, 0], [100, 0]]), np.array([[90.0, 5], [90, 5], [-3, 4]]))[0].tolist()
    [1, 1, 0]
    """
    pts = np.ascontiguousarray(points_xy, dtype=np.float64)
    if len(pts) == 0:
        return np.empty(0, dtype=np.int64), np.empty(0)
    uniq, inverse = np.unique(pts, axis=0, return_inverse=True)
    idx, dist = snap(node_xy, uniq, tree, max_distance)
    inverse = inverse.ravel()
    return idx[inverse], dist[inverse]


def nearest_distance(graph: csr_matrix, sources: np.ndarray, cap: float) -> np.ndarray:
    """Network distance from every node to the nearest of ``sources`` (``inf`` beyond ``cap`` metres).

    Examples
    --------
    A path 0 — 1 — 2 — 3 with edges of 100 m and one facility at node 3:

    >>> from nabolag.analysis.access_network import graph_matrix
    >>> g = graph_matrix(4, np.array([0, 1, 2]), np.array([1, 2, 3]), np.array([100.0, 100, 100]))
    >>> nearest_distance(g, np.array([3]), cap=250).tolist()
    [inf, 200.0, 100.0, 0.0]
    """
    sources = np.unique(np.asarray(sources, dtype=np.int64))
    if sources.size == 0:
        return np.full(graph.shape[0], np.inf)
    return dijkstra(graph, directed=False, indices=sources, min_only=True, limit=cap)  # type: ignore[no-any-return]


def person_distance(node_dist: np.ndarray, person_node: np.ndarray, snap_m: np.ndarray, cap: float) -> np.ndarray:
    """Each person's distance: the walk to its node plus the node's network distance (``inf`` past ``cap``).

    >>> person_distance(np.array([0.0, 150, np.inf]), np.array([1, 2, 0]), np.array([20.0, 5, 3]), 160).tolist()
    [inf, inf, 3.0]
    """
    d = node_dist[person_node] + snap_m
    d[d > cap] = np.inf
    return d


@dataclass
class ZoneAccess:
    """Per zone (index = zone position): people counted, mean distance with ``cap`` for those past it,
    share within each threshold, and the share who reach one within the cap."""

    population: np.ndarray
    mean_m: np.ndarray
    within: dict[int, np.ndarray]
    reached: np.ndarray


def zone_summary(dist: np.ndarray, weight: np.ndarray, zone: np.ndarray, n_zones: int,
                 thresholds: tuple[int, ...], cap: float) -> ZoneAccess:
    """Population-weighted mean distance and shares within each threshold, per zone.

    People with ``zone < 0`` (outside every zone) are left out. A zone without people gets ``nan``.
    The mean counts people beyond the cap at the cap, so it is a lower bound where ``reached < 1``.

    Examples
    --------
    >>> s = zone_summary(np.array([100.0, 400, np.inf, 250]), np.array([10.0, 10, 20, 5]), np.array([0, 0, 0, 1]),
    ...                  2, (300, 500), cap=1000)
    >>> s.population.tolist(), s.mean_m.round(1).tolist(), s.within[300].tolist(), s.reached.tolist()
    ([40.0, 5.0], [625.0, 250.0], [0.25, 1.0], [0.5, 1.0])
    """
    if (zone >= 0).all():
        z, w, d = zone, weight, dist
    else:
        inside = zone >= 0
        z, w, d = zone[inside], weight[inside], dist[inside]
    # one weighted histogram of (zone, distance band): band i = within thresholds[i] (and not the one
    # before), band k = beyond the last threshold but reached, band k + 1 = not reached
    k = len(thresholds)
    band = np.searchsorted(np.asarray(thresholds, dtype=float), d, side="left")
    band[~np.isfinite(d)] = k + 1
    hist = np.bincount(z * (k + 2) + band, weights=w, minlength=n_zones * (k + 2)).reshape(n_zones, k + 2)
    cum = np.cumsum(hist, axis=1)
    pop = cum[:, -1]
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.bincount(z, weights=w * np.minimum(d, cap), minlength=n_zones) / pop
        within = {t: cum[:, i] / pop for i, t in enumerate(thresholds)}
        reached = cum[:, k] / pop
    return ZoneAccess(pop, mean, within, reached)


def gini_sorted(values: np.ndarray, weights: np.ndarray | None = None) -> float:
    """Weighted Gini in O(n log n) (the pairwise form in :func:`nabolag.analysis.equity.gini` holds an
    n × n matrix: 1.5 GB for 14,000 zones). The same number: 0 = equal, towards 1 = concentrated.

    >>> round(gini_sorted(np.array([1.0, 2.0, 3.0, 4.0])), 4)
    0.25
    >>> round(gini_sorted(np.array([1.0, 4.0]), np.array([3.0, 1.0])), 4)
    0.3214
    """
    x = np.asarray(values, dtype=float)
    w = np.ones_like(x) if weights is None else np.asarray(weights, dtype=float)
    ok = np.isfinite(x) & np.isfinite(w) & (w > 0)
    x, w = x[ok], w[ok]
    if len(x) < 2 or np.sum(w * x) == 0:
        return float("nan")
    order = np.argsort(x, kind="stable")
    x, w = x[order], w[order]
    cw = np.cumsum(w)
    below_w = cw - w
    below_wx = np.cumsum(w * x) - w * x
    # sum over pairs i<j of w_i w_j (x_j - x_i), doubled for both orders
    pairs = np.sum(w * (x * below_w - below_wx))
    total_w = cw[-1]
    mean = np.sum(w * x) / total_w
    return float(2 * pairs / (2 * total_w ** 2 * mean))


def between_zones(values: np.ndarray, weights: np.ndarray, lower_is_better: bool) -> dict[str, float]:
    """Equity between zones: best, worst, worst/best ratio and the population-weighted Gini.

    >>> between_zones(np.array([200.0, 800, np.nan]), np.array([1.0, 1, 1]), True)
    {'best': 200.0, 'worst': 800.0, 'ratio': 4.0, 'gini': 0.3}
    """
    v = np.asarray(values, dtype=float)
    ok = np.isfinite(v) & (np.asarray(weights) > 0)
    if not ok.any():
        return {"best": float("nan"), "worst": float("nan"), "ratio": float("nan"), "gini": float("nan")}
    best = float(v[ok].min() if lower_is_better else v[ok].max())
    worst = float(v[ok].max() if lower_is_better else v[ok].min())
    ratio = worst / best if best != 0 else float("nan")
    return {"best": best, "worst": worst, "ratio": ratio, "gini": round(gini_sorted(v[ok], weights[ok]), 6)}

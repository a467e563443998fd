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


def snap(node_xy: np.ndarray, points_xy: np.ndarray, tree: cKDTree | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Nearest network node of each point and the straight distance to it.

    >>> snap(np.array([[0.0, 0], [100, 0]]), np.array([[90.0, 5], [-3, 4]]))[0].tolist()
    [1, 0]
    """
    tree = tree if tree is not None else cKDTree(node_xy, balanced_tree=False, compact_nodes=False)
    dist, idx = tree.query(np.asarray(points_xy, dtype=np.float64), k=1, workers=-1)
    return idx.astype(np.int64), dist


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
    inside = zone >= 0
    z, w, d = zone[inside], weight[inside], dist[inside]
    pop = np.bincount(z, weights=w, minlength=n_zones)
    with np.errstate(invalid="ignore", divide="ignore"):
        def share(mask: np.ndarray) -> np.ndarray:
            return np.bincount(z[mask], weights=w[mask], minlength=n_zones) / pop
        mean = np.bincount(z, weights=w * np.minimum(d, cap), minlength=n_zones) / pop
        within = {t: share(d <= t) for t in thresholds}
        reached = share(np.isfinite(d))
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

"""Walking distance to the nearest facility along the network, and its summary per zone.

A person point walks straight to its nearest network node (the snap distance), then along the network
to the nearest node that reaches a facility of the kind. Distances past the cap are ``inf``.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

from nabolag.analysis.equity import gini
from nabolag.analysis.nearest import NodeIndex, default_threads
from nabolag.analysis.parallel import over_ranges

SORT_FROM = 20_000
"""Point sets at least this large are queried in a spatial order (see :func:`spatial_order`)."""

Snapped = tuple[np.ndarray, np.ndarray]
"""Each point's nearest node and the straight distance to it (:func:`snap`)."""


def spatial_order(xy: np.ndarray, cells: int = 256) -> np.ndarray:
    """An order that visits the points cell by cell (row-major on a ``cells`` × ``cells`` grid over their
    extent), so consecutive KD-tree queries walk the same branches of the tree and stay in the CPU cache.

    Measured on 500,000 points (``bench/results/findings.md``): numpy works an (n, 2) array along its
    short axis slowly (``min(axis=0)`` alone 26 ms), so each coordinate is worked as its own column
    (1 ms each), worked in place (a new array costs its page faults), and with up to 256 × 256 cells the
    cell number fits 16 bits, which numpy sorts stably by radix: 5 ms in all instead of 42.

    >>> spatial_order(np.array([[10.0, 10], [0, 0], [10, 0], [0, 10]]), cells=2).tolist()
    [1, 3, 2, 0]
    """
    dtype = np.uint16 if cells <= 256 else np.int64
    key = None
    scaled = np.empty(len(xy))  # one buffer worked in place for both axes: 5 ms instead of 9
    for axis in (0, 1):
        col = xy[:, axis]
        lo, hi = col.min(initial=np.inf), col.max(initial=-np.inf)
        np.subtract(col, lo, out=scaled)
        scaled /= max((hi - lo) / cells, 1e-9)
        cell = scaled.astype(dtype)
        np.minimum(cell, cells - 1, out=cell)
        if key is None:
            key = cell
        else:
            key *= cells
            key += cell
    return np.argsort(key, kind="stable")


class SnapInBackground:
    """:func:`snap` of many points in a worker thread, while the caller builds the graph and computes network
    distances; call the object for the result (each point's node and snap distance, exactly as :func:`snap`).

    scipy's csgraph Dijkstra holds Python's lock for the whole call, the KD-tree search does not. So the
    worker puts the points in :func:`spatial_order` at once (while the caller builds the graph and the
    tree), then, given the tree (:meth:`search`), makes one search that holds no lock, on ``threads`` cores
    (default: all but one, the caller's). Before its first Dijkstra the caller waits until the worker is in
    that search (:meth:`wait_searching`): a worker that still needed the lock would wait out a whole
    Dijkstra (measured: the search started 25-50 ms late). Point sets under :data:`SORT_FROM` are searched
    by the caller, in :meth:`search`.

    >>> nodes = np.array([[0.0, 0], [100, 0]])
    >>> snapping = SnapInBackground(np.array([[90.0, 5], [900, 0]]), max_distance=500)
    >>> snapping.search(NodeIndex(nodes))
    >>> [a.round(2).tolist() for a in snapping()]
    [[1, 0], [11.18, inf]]
    """

    def __init__(self, points_xy: np.ndarray, max_distance: float = np.inf, threads: int | None = None) -> None:
        self._points = np.ascontiguousarray(points_xy, dtype=np.float64)
        self._max_distance = max_distance
        self._threads = threads or max(1, default_threads() - 1)
        self._index: NodeIndex | None = None
        self._given, self._searching, self._done = threading.Event(), threading.Event(), threading.Event()
        self._result: Snapped | None = None
        self._raw: tuple[np.ndarray, np.ndarray] | None = None
        self._error: BaseException | None = None
        self._order: np.ndarray | None = None
        self._spare: np.ndarray | None = None
        if len(self._points) >= SORT_FROM:
            # a daemon thread: a caller that fails before search() must not keep the process alive
            threading.Thread(target=self._work, name="nabolag-snap", daemon=True).start()

    def _work(self) -> None:
        try:
            self._order = spatial_order(self._points)
            ordered = np.take(self._points, self._order, axis=0)  # six times faster than pts[order] for (n, 2)
            if not self._given.wait(timeout=3600):
                raise TimeoutError("SnapInBackground: no tree was given within an hour")
            assert self._index is not None
            self._raw = self._index.search(ordered, self._max_distance, self._threads, self._searching.set)
            self._spare = ordered  # its memory takes the answer in the points' order (already paged in)
        except BaseException as exc:  # handed to the caller in __call__
            self._error = exc
        finally:
            self._searching.set()
            self._done.set()

    def search(self, index: NodeIndex) -> None:
        """Search ``index`` (the network's nodes): in the worker, or here for a small point set."""
        self._index = index
        if len(self._points) < SORT_FROM:
            self._result = index.query(self._points, self._max_distance)
            self._searching.set()
            self._done.set()
        self._given.set()

    def wait_searching(self) -> None:
        """Return once the worker holds no lock on Python (in its search, or finished)."""
        if self._given.is_set():
            self._searching.wait()

    def __call__(self) -> Snapped:
        if not self._given.is_set():
            raise RuntimeError("SnapInBackground: search(index) was not called")
        self._done.wait()
        if self._error is not None:
            raise self._error
        if self._result is None:
            assert self._index is not None and self._raw is not None and self._order is not None
            self._result = _unordered(self._index, *self._raw, self._order, self._spare)
            self._spare = None
            self._raw = None
        return self._result


def _unordered(index: NodeIndex, idx: np.ndarray, dist: np.ndarray, order: np.ndarray,
               spare: np.ndarray | None = None) -> Snapped:
    """A search's answer for the points in ``order`` (:meth:`NodeIndex.search`), put back in the points'
    own order as :meth:`NodeIndex.query` gives it, in parts on the cores (:mod:`~nabolag.analysis.parallel`).
    Done by the caller, after the Dijkstras: the worker thread would wait for Python's lock until then anyway."""
    index.past_bound_to_zero(idx)
    n = len(idx)
    if spare is not None and spare.dtype == np.float64 and spare.size == 2 * n and spare.flags.c_contiguous:
        # the searched points' memory, no longer needed: new arrays would be paged in first (2-3 ms measured)
        flat = spare.reshape(-1)
        out_dist, out_idx = flat[:n], flat[n:].view(np.int64)
    else:
        out_idx, out_dist = np.empty(n, dtype=np.int64), np.empty(n)

    def part(lo: int, hi: int) -> None:
        where = order[lo:hi]
        out_idx[where], out_dist[where] = idx[lo:hi], dist[lo:hi]
    over_ranges(len(idx), part)
    return out_idx, out_dist


def snap(node_xy: np.ndarray, points_xy: np.ndarray, index: NodeIndex | None = None,
         max_distance: float = np.inf) -> Snapped:
    """Nearest network node of each point and the straight distance to it. A point farther than
    ``max_distance`` from every node gets distance ``inf`` and node 0 (callers leave it out by distance);
    the bound lets the KD-tree stop searching early.

    A large point set is queried in :func:`spatial_order` on every core and put back in its order
    (measured on the benchmark's 500,000 random points and 200,000-node tree, one thread: 0.10 s against
    0.25–0.31 s in the points' own order; see ``bench/results/findings.md``).

    >>> snap(np.array([[0.0, 0], [100, 0]]), np.array([[90.0, 5], [-3, 4]]))[0].tolist()
    [1, 0]
    >>> snap(np.array([[0.0, 0], [100, 0]]), np.array([[90.0, 5], [900, 0]]), max_distance=500)[1].round(2).tolist()
    [11.18, inf]
    """
    index = index if index is not None else NodeIndex(node_xy)
    pts = np.ascontiguousarray(points_xy, dtype=np.float64)
    if len(pts) < SORT_FROM:
        return index.query(pts, max_distance)
    order = spatial_order(pts)
    ordered = np.take(pts, order, axis=0)
    return _unordered(index, *index.search(ordered, max_distance), order, ordered)


def snap_unique(node_xy: np.ndarray, points_xy: np.ndarray, index: NodeIndex | None = None,
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
    idx, dist = snap(node_xy, uniq, index, max_distance)
    inverse = inverse.ravel()
    return idx[inverse], dist[inverse]


def nearest_distance(graph: csr_matrix, sources: np.ndarray, cap: float) -> np.ndarray:
    """Network distance from every node to the nearest of ``sources`` (``inf`` beyond ``cap`` metres).

    ``graph`` is the symmetric matrix of :func:`nabolag.analysis.access_network.graph_matrix` (each edge
    in both directions), so it is searched as directed: the same distances as ``directed=False``, without
    scipy building and walking the transpose as well (a fifth to a third less time on the benchmark's grid).

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
    return dijkstra(graph, directed=True, indices=sources, min_only=True, limit=cap)  # type: ignore[no-any-return]


def person_distance(node_dist: np.ndarray, person_node: np.ndarray, snap_m: np.ndarray, cap: float,
                    out: np.ndarray | None = None) -> np.ndarray:
    """Each person's distance: the walk to its node plus the node's network distance (``inf`` past ``cap``),
    written to ``out`` if given (a float array as long as ``person_node``).

    >>> person_distance(np.array([0.0, 150, np.inf]), np.array([1, 2, 0]), np.array([20.0, 5, 3]), 160).tolist()
    [inf, inf, 3.0]
    """
    if out is None:
        d = np.take(node_dist, person_node)  # a new array: added to in place
    else:  # mode "clip": numpy copies the result through a buffer for the default mode "raise" (twice the time)
        d = np.take(node_dist, person_node, out=out, mode="clip")
    d += snap_m
    np.putmask(d, d > cap, np.inf)
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
    return zone_access(*zone_sums(dist, weight, zone, n_zones, thresholds, cap), thresholds)


def zone_sums(dist: np.ndarray, weight: np.ndarray, zone: np.ndarray, n_zones: int,
              thresholds: tuple[int, ...], cap: float) -> tuple[np.ndarray, np.ndarray]:
    """The sums behind :func:`zone_summary`, which add up over parts of the people: per zone, the weight
    in each distance band (``(n_zones, len(thresholds) + 2)``: band i within ``thresholds[i]`` and not
    the one before, then beyond the last but reached, then not reached) and the weighted walk (the cap for
    those past it)."""
    if (zone >= 0).all():
        z, w, d = zone, weight, dist
    else:
        inside = zone >= 0
        z, w, d = zone[inside], weight[inside], dist[inside]
    k = len(thresholds)
    # + 1 per threshold passed, in bytes (up to 125 thresholds): a fifth of searchsorted's time
    band = (~np.isfinite(d)).view(np.int8).astype(np.int8 if k + 1 <= np.iinfo(np.int8).max else np.int64)
    for t in thresholds:
        band += (~(d <= t)).view(np.int8)  # nan (as inf) passes them all
    key = np.multiply(z, k + 2, dtype=np.int64)
    key += band
    hist = np.bincount(key, weights=w, minlength=n_zones * (k + 2)).reshape(n_zones, k + 2)
    walked = np.minimum(d, cap)
    walked *= w
    return hist, np.bincount(z, weights=walked, minlength=n_zones)


def zone_access(hist: np.ndarray, walked: np.ndarray, thresholds: tuple[int, ...]) -> ZoneAccess:
    """:class:`ZoneAccess` from the sums of :func:`zone_sums` (added up over the parts, if in parts)."""
    k = len(thresholds)
    cum = np.cumsum(hist, axis=1)
    pop = cum[:, -1]
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = walked / pop
        within = {t: cum[:, i] / pop for i, t in enumerate(thresholds)}
        reached = cum[:, k] / pop
    return ZoneAccess(pop, mean, within, reached)


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
    return {"best": best, "worst": worst, "ratio": ratio, "gini": round(gini(v[ok], weights[ok]), 6)}

"""Nearest network node of many points: a KD-tree over the nodes (pykdtree).

pykdtree gives the same nearest node and distance as scipy's ``cKDTree`` in about half the time (measured
on the benchmark's 500,000 points and 200,000 nodes: 0.10 s against 0.18 s for the query, 6 ms against
16 ms for the tree; ``bench/results/findings.md``). Its query runs without Python's lock and spreads over
the cores with OpenMP; ``threads`` limits that for one call (threadpoolctl), so a query in a background
thread can leave the other cores to work that holds the lock (scipy's Dijkstra).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from functools import cache

import numpy as np
from pykdtree.kdtree import KDTree
from threadpoolctl import ThreadpoolController


@cache
def _openmp() -> ThreadpoolController:
    """The OpenMP runtimes loaded in this process (pykdtree's among them), looked up once (5 ms)."""
    return ThreadpoolController().select(user_api="openmp")


_openmp()  # now, not in the first background query (it would need Python's lock for 5 ms)


def default_threads() -> int:
    """The threads a query uses by default: OpenMP's own default (which honours ``OMP_NUM_THREADS``), or
    the cores this process may use where pykdtree has no OpenMP."""
    found = [lib.num_threads for lib in _openmp().lib_controllers]
    if found:
        return max(1, min(found))
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


SMALL = 20_000
"""Point sets smaller than this are searched on one thread (measured: 100 points took 4 ms on two threads
while another thread searched, a tenth of that on one)."""


def _points(xy: np.ndarray) -> np.ndarray:
    pts = np.ascontiguousarray(xy, dtype=np.float64)
    if pts.size and (pts.ndim != 2 or pts.shape[1] != 2):
        raise ValueError(f"expected (n, 2) coordinates, got the shape {pts.shape}")
    return pts.reshape(-1, 2)


class NodeIndex:
    """The nodes' coordinates (metres), indexed for nearest-node queries.

    >>> index = NodeIndex(np.array([[0.0, 0], [100, 0]]))
    >>> idx, dist = index.query(np.array([[90.0, 5], [-3, 4], [900, 0]]), max_distance=500)
    >>> idx.tolist(), dist.round(2).tolist()
    ([1, 0, 0], [11.18, 5.0, inf])
    """

    def __init__(self, xy: np.ndarray) -> None:
        self.xy = _points(xy)
        if not np.isfinite(self.xy).all():
            raise ValueError("network nodes must have finite coordinates")
        self.n = len(self.xy)
        self._tree = KDTree(self.xy) if self.n else None

    def query(self, points: np.ndarray, max_distance: float = np.inf,
              threads: int | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Each point's nearest node (int64) and the straight distance to it. A point farther than
        ``max_distance`` from every node gets distance ``inf`` and node 0 (callers leave it out by
        distance); the bound lets the search stop early. ``threads``: OpenMP threads for this call (default:
        every core for a large point set, one for a small one, where starting threads costs more than it
        gives). Ties between equally near nodes may go either way."""
        idx, dist = self.search(points, max_distance, threads)
        return self.node_ids(idx), dist

    def search(self, points: np.ndarray, max_distance: float = np.inf, threads: int | None = None,
               ready: Callable[[], object] | None = None) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`query` as the tree answers it: a point past the bound has node :attr:`n` (see
        :meth:`node_ids`), and the node numbers may be of a smaller type. One call that holds no lock on
        Python while it searches, for a worker thread; ``ready()`` is called just before the search
        (see :class:`nabolag.analysis.access.SnapInBackground`)."""
        pts = _points(points)
        if self._tree is None or len(pts) == 0:
            if ready is not None:
                ready()
            return np.full(len(pts), self.n, dtype=np.int64), np.full(len(pts), np.inf)
        bound = float(max_distance) if np.isfinite(max_distance) else None
        threads = threads or (1 if len(pts) < SMALL else None)
        with _openmp().limit(limits=threads) if threads else contextlib.nullcontext():
            if ready is not None:
                ready()
            dist, idx = self._tree.query(pts, k=1, distance_upper_bound=bound)
        if bound is None:  # without a bound, a point with a nan or inf coordinate gets node n and a huge distance
            dist[idx >= self.n] = np.inf
        return idx, dist

    def node_ids(self, idx: np.ndarray) -> np.ndarray:
        """:meth:`search`'s node numbers as int64, with node 0 for points past the bound."""
        return self.past_bound_to_zero(idx).astype(np.int64)

    def past_bound_to_zero(self, idx: np.ndarray) -> np.ndarray:
        """:meth:`search`'s node numbers with node 0 for points past the bound, in place (in the search's
        own, smaller type: 2 ms less than in int64 for 500,000 points) and only if there are any."""
        if len(idx) and idx.max() >= self.n:
            np.putmask(idx, idx >= self.n, 0)
        return idx

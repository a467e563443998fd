"""A walking network as arrays: lines split where they share a vertex, edges with metric lengths.

Nodes are the vertices where two lines meet (or a line meets itself) and the ends of every line;
an edge is the run of a line between two such nodes, with its length along the line. Two lines that
cross without a shared vertex (a bridge over a street) are not joined, as in OpenStreetMap.

An edge keeps its shape: the line's vertices between its two nodes (its *bends*), in order from ``u``
to ``v``, all edges' bends in one array with offsets (:attr:`Network.bends`, :attr:`Network.bend_offsets`).
A network without them (built before they were kept), and every edge after the last one they cover
(a scenario's new paths and connectors), is drawn straight from node to node.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components

try:  # the counting sort behind scipy's COO to CSR conversion, without the sum of duplicates after it
    from scipy.sparse._sparsetools import coo_tocsr as _coo_tocsr
except ImportError:  # pragma: no cover - scipy is pinned; kept working should it move
    _coo_tocsr = None


@dataclass
class Network:
    """Node coordinates ``xy`` (metres, in ``crs``) and undirected edges ``u``–``v`` of ``length`` metres.

    ``bends`` (``(k, 2)``, metres) are the edges' inner vertices: edge ``i``'s are
    ``bends[bend_offsets[i]:bend_offsets[i + 1]]``, from ``u`` to ``v``. ``None``, or an edge at or after
    ``len(bend_offsets) - 1``: a straight edge."""

    xy: np.ndarray
    u: np.ndarray
    v: np.ndarray
    length: np.ndarray
    crs: str = ""
    bends: np.ndarray | None = None
    bend_offsets: np.ndarray | None = None

    @property
    def n_nodes(self) -> int:
        return int(len(self.xy))

    @property
    def has_geometry(self) -> bool:
        """Whether the edges keep their shape (a network built before they were kept is drawn straight)."""
        return self.bends is not None and self.bend_offsets is not None

    def graph(self) -> csr_matrix:
        """The symmetric sparse adjacency matrix that :func:`scipy.sparse.csgraph.dijkstra` reads."""
        return graph_matrix(self.n_nodes, self.u, self.v, self.length)


def graph_matrix(n: int, u: np.ndarray, v: np.ndarray, length: np.ndarray) -> csr_matrix:
    """Symmetric CSR matrix of ``n`` nodes, for :mod:`scipy.sparse.csgraph` only: each edge in both
    directions, a zero length made a tiny one (csgraph reads an explicit zero as no edge).

    Parallel edges stay separate entries: a shortest path takes the shortest of them, as it would take
    the shorter of two routes, and components are the same. The matrix is not summed or sorted, which
    csgraph does not need and which was most of its cost (measured on the benchmark's 200,000 nodes and
    390,000 edges in a fresh process: 8-10 ms against 18-42 ms; ``bench/results/findings.md``). So it is
    not for arithmetic: ``toarray()`` would add parallel edges.

    >>> from scipy.sparse.csgraph import dijkstra
    >>> g = graph_matrix(3, np.array([0, 0, 1]), np.array([1, 1, 2]), np.array([5.0, 3.0, 2.0]))
    >>> dijkstra(g, directed=True, indices=0).tolist()
    [0.0, 3.0, 5.0]
    """
    m = len(length)
    if len(u) != m or len(v) != m:
        raise ValueError(f"edges: {len(u)} u, {len(v)} v and {m} lengths")
    if m and (min(u.min(), v.min()) < 0 or max(u.max(), v.max()) >= n):  # the C sort below does not check
        raise ValueError(f"edges: a node number outside 0..{n - 1}")
    index_type = np.int32 if max(n, 2 * m) < np.iinfo(np.int32).max else np.int64
    w = np.empty(2 * m)
    w[:m] = length
    w[m:] = length
    np.maximum(w, 1e-9, out=w)
    rows, cols = np.empty(2 * m, dtype=index_type), np.empty(2 * m, dtype=index_type)
    rows[:m], rows[m:], cols[:m], cols[m:] = u, v, v, u
    if _coo_tocsr is None:  # another scipy than the pinned one: the same rows by numpy's stable sort (slower)
        order = np.argsort(rows, kind="stable")
        indptr = np.zeros(n + 1, dtype=index_type)
        np.cumsum(np.bincount(rows, minlength=n), out=indptr[1:])
        return csr_matrix((w[order], cols[order], indptr), shape=(n, n))
    indptr, indices, data = np.empty(n + 1, dtype=index_type), np.empty(2 * m, dtype=index_type), np.empty(2 * m)
    _coo_tocsr(n, n, 2 * m, rows, cols, w, indptr, indices, data)  # a counting sort by row, in C
    return csr_matrix((data, indices, indptr), shape=(n, n))


def split_lines(lines: list[np.ndarray], precision: float = 0.01) -> Network:
    """Split lines (each an ``(k, 2)`` array of metric coordinates, ``k >= 2``) at shared vertices.

    Vertices closer than ``precision`` metres on a grid are the same vertex.

    Examples
    --------
    A cross of two streets sharing the vertex (0, 0), and a dead-end spur:

    >>> net = split_lines([np.array([[-10.0, 0], [0, 0], [10, 0]]), np.array([[0.0, -10], [0, 0], [0, 10], [0, 30]])])
    >>> net.n_nodes, len(net.u), sorted(net.length.tolist())
    (5, 4, [10.0, 10.0, 10.0, 30.0])
    """
    lines = [np.asarray(line, dtype=np.float64) for line in lines if len(line) >= 2]
    if not lines:
        return Network(np.empty((0, 2)), *(np.empty(0, dtype=np.int64),) * 2, np.empty(0), "", np.empty((0, 2)),
                       np.zeros(1, dtype=np.int64))
    sizes = np.array([len(line) for line in lines])
    xy = np.concatenate(lines)
    line_id = np.repeat(np.arange(len(lines)), sizes)
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    ends = starts + sizes - 1
    keys = np.round(xy / precision).astype(np.int64)
    _, key_id, counts = np.unique(keys, axis=0, return_inverse=True, return_counts=True)
    key_id = key_id.ravel()
    is_node = counts[key_id] >= 2
    is_node[starts] = True
    is_node[ends] = True
    step = np.zeros(len(xy))
    step[1:] = np.hypot(*(xy[1:] - xy[:-1]).T)
    step[starts] = 0.0
    cum = np.cumsum(step)
    pos = np.flatnonzero(is_node)
    same_line = line_id[pos[1:]] == line_id[pos[:-1]]
    a, b = pos[:-1][same_line], pos[1:][same_line]
    u_key, v_key, length = key_id[a], key_id[b], cum[b] - cum[a]
    keep = u_key != v_key
    u_key, v_key, length, a, b = u_key[keep], v_key[keep], length[keep], a[keep], b[keep]
    used, inverse = np.unique(np.concatenate([u_key, v_key]), return_inverse=True)
    first_vertex = np.zeros(counts.size, dtype=np.int64)
    first_vertex[key_id[::-1]] = np.arange(len(xy))[::-1]
    node_xy = xy[first_vertex[used]]
    m = len(u_key)
    offsets = _offsets(b - a - 1)
    bends = xy[_runs(a + 1, offsets)]
    return Network(node_xy, inverse[:m].astype(np.int64), inverse[m:].astype(np.int64), length, "", bends, offsets)


def _offsets(counts: np.ndarray) -> np.ndarray:
    return np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)


def _runs(starts: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    """The indices ``starts[i], starts[i] + 1, …`` (``offsets[i + 1] - offsets[i]`` of them) for every ``i``.

    >>> _runs(np.array([5, 0, 9]), np.array([0, 2, 2, 5])).tolist()
    [5, 6, 9, 10, 11]
    """
    counts = np.diff(offsets)
    return np.repeat(np.asarray(starts, dtype=np.int64) - offsets[:-1], counts) + np.arange(offsets[-1])


def _bend_index(net: Network, edges: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Positions in :attr:`Network.bends` of the bends of ``edges`` (in order) and their offsets per edge
    (a straight edge, or any edge of a network without shapes, has none)."""
    offsets = net.bend_offsets
    counts = np.zeros(len(edges), dtype=np.int64)
    starts = np.zeros(len(edges), dtype=np.int64)
    if offsets is not None and net.bends is not None:
        covered = edges < len(offsets) - 1
        starts[covered] = offsets[edges[covered]]
        counts[covered] = offsets[edges[covered] + 1] - starts[covered]
    out = _offsets(counts)
    return _runs(starts, out), out


def edge_bends(net: Network, edges: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The bends of ``edges`` (edge ids) and their offsets: :attr:`Network.bends` and
    :attr:`Network.bend_offsets` of a network made of these edges only.

    >>> net = split_lines([np.array([[0.0, 0], [1, 1], [2, 0], [3, 3], [4, 0]]), np.array([[2.0, 0], [2, -5]])])
    >>> bends, offsets = edge_bends(net, np.array([2, 1, 0]))  # the spur is straight
    >>> bends.tolist(), offsets.tolist()
    ([[3.0, 3.0], [1.0, 1.0]], [0, 0, 1, 2])
    """
    index, offsets = _bend_index(net, np.asarray(edges, dtype=np.int64))
    return (net.bends[index] if net.bends is not None else np.empty((0, 2))), offsets


def edge_coordinates(net: Network, edges: np.ndarray | None = None, node_xy: np.ndarray | None = None,
                     bends: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Every vertex of ``edges`` (default: all) from ``u`` through the bends to ``v``, and for each vertex
    the position of its edge in ``edges`` (as :func:`shapely.linestrings` takes them). ``node_xy`` and
    ``bends`` may give the network's nodes and bends in another CRS (e.g. longitude and latitude).

    >>> net = split_lines([np.array([[0.0, 0], [3, 4], [6, 0]])])
    >>> xy, index = edge_coordinates(net)
    >>> xy.tolist(), index.tolist()
    ([[0.0, 0.0], [3.0, 4.0], [6.0, 0.0]], [0, 0, 0])
    """
    edges = np.arange(len(net.u)) if edges is None else np.asarray(edges, dtype=np.int64)
    node_xy = net.xy if node_xy is None else node_xy
    bends = net.bends if bends is None else bends
    inner, offsets = _bend_index(net, edges)
    sizes = np.diff(offsets) + 2
    index = np.repeat(np.arange(len(edges)), sizes)
    last = np.cumsum(sizes) - 1
    first = last - sizes + 1
    out = np.empty((int(sizes.sum()), 2))
    middle = np.ones(len(out), dtype=bool)
    middle[first] = False
    middle[last] = False
    out[first] = node_xy[net.u[edges]]
    out[last] = node_xy[net.v[edges]]
    if len(inner):
        assert bends is not None
        out[middle] = bends[inner]
    return out, index


def largest_component(net: Network) -> tuple[Network, int]:
    """Keep the largest connected part; return it and how many nodes were dropped.

    >>> net = Network(np.array([[0.0, 0], [1, 0], [2, 0], [9, 9], [9, 8]]), np.array([0, 1, 3]),
    ...               np.array([1, 2, 4]), np.array([1.0, 1, 1]))
    >>> part, dropped = largest_component(net)
    >>> part.n_nodes, dropped, part.u.tolist(), part.v.tolist()
    (3, 2, [0, 1], [1, 2])
    """
    if net.n_nodes == 0:
        return net, 0
    _n, labels = connected_components(net.graph(), directed=False)
    biggest = np.bincount(labels).argmax()
    keep = labels == biggest
    new_id = np.cumsum(keep) - 1
    edge_keep = np.flatnonzero(keep[net.u])
    bends, offsets = edge_bends(net, edge_keep) if net.has_geometry else (None, None)
    out = Network(net.xy[keep], new_id[net.u[edge_keep]], new_id[net.v[edge_keep]], net.length[edge_keep], net.crs,
                  bends, offsets)
    return out, int((~keep).sum())


def edge_distance(node_m: np.ndarray, u: np.ndarray, v: np.ndarray, length: np.ndarray) -> np.ndarray:
    """Walking distance to each edge's mid-point: through the nearer of its two ends, then half its length
    (``inf`` when neither end is reached).

    >>> edge_distance(np.array([0.0, 100, np.inf]), np.array([0, 1]), np.array([1, 2]), np.array([100.0, 40]))
    array([ 50., 120.])
    """
    return np.minimum(node_m[u], node_m[v]) + np.asarray(length, dtype=float) / 2

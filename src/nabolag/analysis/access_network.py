"""A walking network as arrays: lines split where they share a vertex, edges with metric lengths.

Nodes are the vertices where two lines meet (or a line meets itself) and the ends of every line;
an edge is the run of a line between two such nodes, with its length along the line. Two lines that
cross without a shared vertex (a bridge over a street) are not joined, as in OpenStreetMap.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components


@dataclass
class Network:
    """Node coordinates ``xy`` (metres, in ``crs``) and undirected edges ``u``–``v`` of ``length`` metres."""

    xy: np.ndarray
    u: np.ndarray
    v: np.ndarray
    length: np.ndarray
    crs: str = ""

    @property
    def n_nodes(self) -> int:
        return int(len(self.xy))

    def graph(self) -> csr_matrix:
        """The symmetric sparse adjacency matrix that :func:`scipy.sparse.csgraph.dijkstra` reads."""
        return graph_matrix(self.n_nodes, self.u, self.v, self.length)


def graph_matrix(n: int, u: np.ndarray, v: np.ndarray, length: np.ndarray) -> csr_matrix:
    """Symmetric CSR matrix of ``n`` nodes; parallel edges keep the shortest. A zero length becomes a tiny one
    (csgraph reads an explicit zero as no edge).

    >>> g = graph_matrix(3, np.array([0, 0, 1]), np.array([1, 1, 2]), np.array([5.0, 3.0, 2.0]))
    >>> g.toarray().tolist()
    [[0.0, 3.0, 0.0], [3.0, 0.0, 2.0], [0.0, 2.0, 0.0]]
    """
    key = np.concatenate([u.astype(np.int64) * n + v, v.astype(np.int64) * n + u])
    w = np.maximum(np.concatenate([length, length]).astype(np.float64), 1e-9)
    order = np.argsort(key)
    key, w = key[order], w[order]
    start = np.ones(len(key), dtype=bool)
    start[1:] = key[1:] != key[:-1]
    first = np.flatnonzero(start)
    if len(first) < len(key):  # parallel edges: keep the shortest
        w = np.minimum.reduceat(w, first)
        key = key[first]
    rows, cols = np.divmod(key, n)
    indptr = np.concatenate([[0], np.cumsum(np.bincount(rows, minlength=n))])
    return csr_matrix((w, cols, indptr), shape=(n, n))


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
        return Network(np.empty((0, 2)), *(np.empty(0, dtype=np.int64),) * 2, np.empty(0))
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
    u_key, v_key, length = u_key[keep], v_key[keep], length[keep]
    used, inverse = np.unique(np.concatenate([u_key, v_key]), return_inverse=True)
    first_vertex = np.zeros(counts.size, dtype=np.int64)
    first_vertex[key_id[::-1]] = np.arange(len(xy))[::-1]
    node_xy = xy[first_vertex[used]]
    m = len(u_key)
    return Network(node_xy, inverse[:m].astype(np.int64), inverse[m:].astype(np.int64), length)


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
    edge_keep = keep[net.u]
    out = Network(net.xy[keep], new_id[net.u[edge_keep]], new_id[net.v[edge_keep]], net.length[edge_keep], net.crs)
    return out, int((~keep).sum())

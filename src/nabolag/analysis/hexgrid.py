"""A hexagon grid in a metric CRS (EPSG:25833 for Oslo) for heat maps of children's routes and places.

Pointy-top hexagons with circumradius ``size`` metres (the distance from centre to corner; the distance
between opposite edges is ``size·√3``), indexed by axial coordinates ``(q, r)`` (the "axial" system of
Red Blob Games' hexagon guide). Pure numpy; no new dependency: H3 would add a package whose cells are not
of equal size in metres and not aligned with the national grid, and we need only three operations:
point → cell, line → the cells it passes, cell → polygon.

Small-cell protection is :func:`protect`: a cell with fewer distinct contributors than the threshold is
dropped, so no single child's route or place can be read from a published layer.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping

import numpy as np
import numpy.typing as npt

SQRT3 = float(np.sqrt(3.0))


def point_cells(x: npt.ArrayLike, y: npt.ArrayLike, size: float) -> npt.NDArray[np.int64]:
    """Axial ``(q, r)`` of the cell each point ``(x, y)`` (metres) falls in; shape ``(n, 2)``.

    Fractional axial coordinates are rounded in cube coordinates (the component with the largest rounding
    error is recomputed from the other two), which is exact for hexagons.

    Examples
    --------
    >>> point_cells([0.0, 100.0, -80.0], [0.0, 0.0, 150.0], size=100.0).tolist()
    [[0, 0], [1, 0], [-1, 1]]
    """
    px, py = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    q = (SQRT3 / 3 * px - py / 3) / size
    r = (2 / 3 * py) / size
    s = -q - r
    rq, rr, rs = np.round(q), np.round(r), np.round(s)
    dq, dr, ds = np.abs(rq - q), np.abs(rr - r), np.abs(rs - s)
    fix_q = (dq > dr) & (dq > ds)
    fix_r = ~fix_q & (dr > ds)
    rq = np.where(fix_q, -rr - rs, rq)
    rr = np.where(fix_r, -rq - rs, rr)
    return np.column_stack([rq, rr]).astype(np.int64)


def cell_centres(cells: npt.ArrayLike, size: float) -> npt.NDArray[np.float64]:
    """Centres ``(x, y)`` in metres of axial cells; shape ``(n, 2)``.

    Examples
    --------
    >>> cell_centres([[1, 0], [0, 1]], size=100.0).round(1).tolist()
    [[173.2, 0.0], [86.6, 150.0]]
    """
    c = np.atleast_2d(np.asarray(cells, dtype=float))
    return np.column_stack([size * SQRT3 * (c[:, 0] + c[:, 1] / 2), size * 1.5 * c[:, 1]])


def cell_polygon(q: int, r: int, size: float) -> list[tuple[float, float]]:
    """The six corners (closed ring, seven points) of cell ``(q, r)`` in metres.

    Examples
    --------
    >>> ring = cell_polygon(0, 0, 100.0)
    >>> len(ring), ring[0] == ring[-1], [round(v, 1) for v in ring[0]]
    (7, True, [86.6, 50.0])
    """
    cx, cy = cell_centres([[q, r]], size)[0]
    angles = np.deg2rad(30 + 60 * np.arange(6))
    ring = [(float(cx + size * np.cos(a)), float(cy + size * np.sin(a))) for a in angles]
    return [*ring, ring[0]]


def line_cells(xy: npt.ArrayLike, size: float) -> set[tuple[int, int]]:
    """Every cell a polyline (vertices ``(x, y)`` in metres) passes through, found by sampling each segment
    at steps of ``size / 4`` (shorter than the narrowest part of a cell crossed near a corner is not
    guaranteed, but a cell the line only grazes at a corner is of no use for a heat map).

    Examples
    --------
    >>> sorted(line_cells([[0.0, 0.0], [400.0, 0.0]], size=100.0))
    [(0, 0), (1, 0), (2, 0)]
    """
    v = np.asarray(xy, dtype=float)
    if len(v) < 2:
        return {tuple(c) for c in point_cells(v[:, 0], v[:, 1], size).tolist()}  # type: ignore[misc]
    parts = []
    for a, b in zip(v[:-1], v[1:], strict=True):
        steps = max(1, int(np.ceil(np.hypot(*(b - a)) / (size / 4))))
        t = np.linspace(0.0, 1.0, steps + 1)
        parts.append(a + (b - a) * t[:, None])
    pts = np.vstack(parts)
    return {(int(q), int(r)) for q, r in point_cells(pts[:, 0], pts[:, 1], size)}


def protect(contributors: Mapping[tuple[int, int], Iterable[Hashable]], threshold: int
            ) -> dict[tuple[int, int], int]:
    """Distinct contributors per cell, keeping only cells with at least ``threshold`` of them.

    Examples
    --------
    >>> protect({(0, 0): ["a", "b", "a"], (1, 0): ["a", "b", "c"]}, threshold=3)
    {(1, 0): 3}
    """
    out = {}
    for cell, who in contributors.items():
        n = len(set(who))
        if n >= threshold:
            out[cell] = n
    return out

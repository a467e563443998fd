"""The hexagon grid: every point lands in the cell whose centre is nearest (checked by brute force over a
block of cells), and inside that cell's polygon (checked with shapely); lines and protection."""

from __future__ import annotations

import numpy as np
import shapely

from nabolag.analysis.hexgrid import cell_centres, cell_polygon, line_cells, point_cells, protect


def test_points_land_in_the_nearest_cell() -> None:
    rng = np.random.default_rng(7)
    x, y = rng.uniform(-2000, 2000, 3000), rng.uniform(-2000, 2000, 3000)
    cells = point_cells(x, y, 250.0)
    block = np.array([(q, r) for q in range(-15, 16) for r in range(-15, 16)])
    centres = cell_centres(block, 250.0)
    d = np.hypot(x[:, None] - centres[None, :, 0], y[:, None] - centres[None, :, 1])
    nearest = block[d.argmin(axis=1)]
    assert (cells == nearest).all()
    for i in range(0, 3000, 100):
        poly = shapely.Polygon(cell_polygon(int(cells[i, 0]), int(cells[i, 1]), 250.0))
        assert poly.buffer(1e-6).contains(shapely.Point(x[i], y[i]))
        assert abs(poly.area - 1.5 * np.sqrt(3) * 250.0**2) < 1e-6


def test_line_cells_follow_the_line_and_protect_counts_people() -> None:
    cells = line_cells([[0.0, 0.0], [1000.0, 1000.0]], 100.0)
    line = shapely.LineString([(0, 0), (1000, 1000)])
    for q, r in cells:
        assert shapely.Polygon(cell_polygon(q, r, 100.0)).intersects(line)
    assert len(cells) >= 1000 * np.sqrt(2) / (100 * np.sqrt(3))
    assert protect({(0, 0): ["a"] * 10, (1, 1): list("abcde")}, 5) == {(1, 1): 5}

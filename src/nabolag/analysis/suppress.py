"""Small-cell suppression for published figures."""

from __future__ import annotations

import numpy as np


def primary_suppression(n: np.ndarray, threshold: np.ndarray | int) -> np.ndarray:
    """Mask of cells to suppress: those with a known count ``n`` below ``threshold`` (and above 0
    units of nothing: ``n == 0`` is also suppressed, as a zero can reveal the rest of a total).

    Cells with unknown ``n`` (NaN) are not suppressed here; their source is responsible.

    Examples
    --------
    >>> primary_suppression(np.array([0, 3, 4, 5, np.nan]), 5).tolist()
    [True, True, True, False, False]
    """
    n = np.asarray(n, dtype=float)
    thr = np.broadcast_to(np.asarray(threshold, dtype=float), n.shape)
    return np.isfinite(n) & (n < thr)

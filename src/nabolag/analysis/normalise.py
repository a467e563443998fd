"""Normalisation of indicator values across zones, one function per method.

Every function takes the values of one indicator for all zones in one period (NaN = missing) and
returns normalised values oriented so that **higher means more problems**: pass
``higher_is_better=True`` for indicators where a high value is good (employment, trust).
Missing values stay NaN.
"""

from __future__ import annotations

import numpy as np

METHODS = ("decile-score", "zscore", "minmax", "rank", "distance-to-reference")


def _weights(x: np.ndarray, weights: np.ndarray | None) -> np.ndarray:
    return np.ones_like(x, dtype=float) if weights is None else np.asarray(weights, dtype=float)


def decile_score(x: np.ndarray, higher_is_better: bool = False, weights: np.ndarray | None = None) -> np.ndarray:
    """Scores 1-10 by decile, SSB style: 1 = fewest problems, 10 = most.

    A zone's score is ``ceil(10 · p)`` where ``p`` is the share of zones (or of the population, with
    ``weights``) at or below its value when sorted from fewest to most problems; tied values share
    the score of the whole tied group.

    Examples
    --------
    >>> decile_score(np.array([5.0, 1.0, 3.0, np.nan, 9.0, 7.0, 2.0, 4.0, 6.0, 8.0, 10.0])).tolist()
    [5.0, 1.0, 3.0, nan, 9.0, 7.0, 2.0, 4.0, 6.0, 8.0, 10.0]
    """
    x = np.asarray(x, dtype=float)
    v = -x if higher_is_better else x
    w = _weights(x, weights)
    out = np.full(x.shape, np.nan)
    ok = np.isfinite(v) & np.isfinite(w)
    if not ok.any():
        return out
    vals, wts = v[ok], w[ok]
    order = np.argsort(vals, kind="stable")
    sorted_vals = vals[order]
    cum = np.cumsum(wts[order])
    # share at or below: for ties, the cumulative weight at the end of the tied group
    at_or_below = cum[np.searchsorted(sorted_vals, sorted_vals, side="right") - 1]
    scores = np.empty(len(vals))
    scores[order] = np.clip(np.ceil(np.round(10 * at_or_below / cum[-1], 9)), 1, 10)
    out[ok] = scores
    return out


def zscore(x: np.ndarray, higher_is_better: bool = False, weights: np.ndarray | None = None) -> np.ndarray:
    """Standard scores ``(x - mean) / sd`` (population sd; weighted when ``weights`` are given).

    Examples
    --------
    >>> zscore(np.array([1.0, 2.0, 3.0])).round(4).tolist()
    [-1.2247, 0.0, 1.2247]
    """
    x = np.asarray(x, dtype=float)
    w = _weights(x, weights)
    ok = np.isfinite(x) & np.isfinite(w)
    if ok.sum() < 2:
        return np.full(x.shape, np.nan)
    mean = np.average(x[ok], weights=w[ok])
    sd = np.sqrt(np.average((x[ok] - mean) ** 2, weights=w[ok]))
    z = (x - mean) / sd if sd > 0 else np.where(ok, 0.0, np.nan)
    return -z if higher_is_better else z


def minmax(x: np.ndarray, higher_is_better: bool = False, weights: np.ndarray | None = None) -> np.ndarray:
    """Rescale to 0-1 between the lowest and highest zone (1 = most problems).

    Examples
    --------
    >>> minmax(np.array([2.0, 4.0, 6.0]), higher_is_better=True).tolist()
    [1.0, 0.5, 0.0]
    """
    x = np.asarray(x, dtype=float)
    lo, hi = np.nanmin(x), np.nanmax(x)
    if not np.isfinite(lo) or hi == lo:
        return np.where(np.isfinite(x), 0.0, np.nan)
    v = (x - lo) / (hi - lo)
    return 1 - v if higher_is_better else v


def rank(x: np.ndarray, higher_is_better: bool = False, weights: np.ndarray | None = None) -> np.ndarray:
    """Percentile rank in (0, 1]: the share of zones at or below, ties averaged (1 = most problems).

    Examples
    --------
    >>> rank(np.array([10.0, 30.0, 20.0, 20.0])).tolist()
    [0.25, 1.0, 0.625, 0.625]
    """
    x = np.asarray(x, dtype=float)
    v = -x if higher_is_better else x
    ok = np.isfinite(v)
    out = np.full(x.shape, np.nan)
    if not ok.any():
        return out
    vals = v[ok]
    order = np.argsort(vals, kind="stable")
    ranks = np.empty(len(vals))
    ranks[order] = np.arange(1, len(vals) + 1)
    for u in np.unique(vals):  # average ranks of ties
        tie = vals == u
        if tie.sum() > 1:
            ranks[tie] = ranks[tie].mean()
    out[ok] = ranks / len(vals)
    return out


def distance_to_reference(x: np.ndarray, reference: float, higher_is_better: bool = False) -> np.ndarray:
    """Ratio to a reference value (the city, or a target): 1 = as the reference, 2 = twice the problem.

    Examples
    --------
    >>> distance_to_reference(np.array([5.0, 10.0, 20.0]), 10.0).tolist()
    [0.5, 1.0, 2.0]
    >>> distance_to_reference(np.array([50.0, 100.0]), 80.0, higher_is_better=True).tolist()
    [1.6, 0.8]
    """
    x = np.asarray(x, dtype=float)
    if not np.isfinite(reference) or reference == 0:
        return np.full(x.shape, np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(x != 0, reference / x, np.nan) if higher_is_better else x / reference


def truncate(x: np.ndarray, lower_pct: float = 2.5, upper_pct: float = 97.5) -> np.ndarray:
    """Winsorise outliers: clip to the given percentiles of the non-missing values.

    Examples
    --------
    >>> truncate(np.array([1.0, 2.0, 3.0, 4.0, 100.0]), 0, 75).tolist()
    [1.0, 2.0, 3.0, 4.0, 4.0]
    """
    x = np.asarray(x, dtype=float)
    if not np.isfinite(x).any():
        return x
    lo, hi = np.nanpercentile(x, [lower_pct, upper_pct])
    return np.where(np.isfinite(x), np.clip(x, lo, hi), np.nan)

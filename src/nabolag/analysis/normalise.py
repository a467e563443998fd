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
    order = np.argsort(vals)  # ties share the group's score, so the sort need not be stable
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


def decile_score_columns(x: np.ndarray, higher_is_better: np.ndarray,
                         weights: np.ndarray | None = None) -> np.ndarray:
    """:func:`decile_score` of every column of a zones × components matrix at once.

    Each column is sorted once; the end of every tie group is found with a reversed running minimum,
    so tied values share the score of the whole group as in :func:`decile_score`.

    Examples
    --------
    >>> m = np.array([[1.0, 4.0], [2.0, np.nan], [2.0, 1.0], [4.0, 2.0]])
    >>> decile_score_columns(m, np.array([False, True])).tolist()
    [[3.0, 4.0], [8.0, nan], [8.0, 10.0], [10.0, 7.0]]
    """
    x = np.asarray(x, dtype=float)
    n = x.shape[0]
    v = np.where(np.asarray(higher_is_better, dtype=bool), -x, x)
    complete = weights is None and bool(np.isfinite(v).all())  # the common case: no gaps, no weights
    if not complete:
        w = _weights(x[:, 0] if x.ndim == 2 and x.shape[1] else x, weights)
        ok = np.isfinite(v) & np.isfinite(w)[:, None]
        v = np.where(ok, v, np.nan)  # NaN sorts last
    order = np.argsort(v, axis=0)
    s = np.take_along_axis(v, order, axis=0)
    end_of_tie = np.ones(s.shape, dtype=bool)
    np.not_equal(s[1:], s[:-1], out=end_of_tie[:-1])
    last = np.minimum.accumulate(np.where(end_of_tie, np.arange(n)[:, None], n)[::-1], axis=0)[::-1]
    if complete:
        share = (last + 1) / n
    else:
        cum = np.cumsum(np.take_along_axis(np.where(ok, w[:, None], 0.0), order, axis=0), axis=0)
        total = cum[-1] if n else np.zeros(x.shape[1])
        with np.errstate(invalid="ignore", divide="ignore"):
            share = np.take_along_axis(cum, last, axis=0) / total
    scores = np.clip(np.ceil(np.round(10 * share, 9)), 1, 10)
    out = np.empty(x.shape)
    np.put_along_axis(out, order, scores, axis=0)
    if not complete:
        out[~ok] = np.nan
    return out


def zscore_columns(x: np.ndarray, higher_is_better: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
    """:func:`zscore` of every column of a zones × components matrix at once.

    Examples
    --------
    >>> zscore_columns(np.array([[1.0, 1.0], [2.0, np.nan], [3.0, 3.0]]), np.array([False, True])).round(4).tolist()
    [[-1.2247, 1.0], [0.0, nan], [1.2247, -1.0]]
    """
    x = np.asarray(x, dtype=float)
    hib = np.asarray(higher_is_better, dtype=bool)
    if weights is None and x.shape[0] >= 2 and bool(np.isfinite(x).all()):  # no gaps, no weights
        mean, sd = x.mean(axis=0), x.std(axis=0)
        with np.errstate(invalid="ignore", divide="ignore"):
            z = np.where(sd > 0, (x - mean) / np.where(sd > 0, sd, 1.0), 0.0)
        return np.where(hib, -z, z)
    w = _weights(x[:, 0] if x.ndim == 2 and x.shape[1] else x, weights)
    ok = np.isfinite(x) & np.isfinite(w)[:, None]
    wk = np.where(ok, w[:, None], 0.0)
    xk = np.where(ok, x, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        wsum = wk.sum(axis=0)
        mean = (wk * xk).sum(axis=0) / wsum
        sd = np.sqrt((wk * (xk - mean) ** 2).sum(axis=0) / wsum)
        z = np.where(sd > 0, (x - mean) / sd, 0.0)
    z = np.where(ok & (ok.sum(axis=0) >= 2), z, np.nan)
    return np.where(hib, -z, z)


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

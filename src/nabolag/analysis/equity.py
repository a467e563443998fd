"""Indicator-by-indicator view (WHO Urban HEART equity matrix) and the gap monitor."""

from __future__ import annotations

import numpy as np

GREEN, YELLOW, RED, GREY = "green", "yellow", "red", "grey"


def equity_colour(value: np.ndarray, city: float, target: float | None, direction: str) -> np.ndarray:
    """Urban HEART colours per zone: green = at or better than both the city and the target,
    yellow = better than the city but short of the target, red = worse than the city;
    grey = no value, or an indicator without a good direction. Without a target, the city is the bar.

    Examples
    --------
    >>> equity_colour(np.array([5.0, 9.0, 12.0, np.nan]), 10.0, 6.0, "lower_is_better").tolist()
    ['green', 'yellow', 'red', 'grey']
    >>> equity_colour(np.array([80.0, 60.0]), 70.0, None, "higher_is_better").tolist()
    ['green', 'red']
    """
    v = np.asarray(value, dtype=float)
    out = np.full(v.shape, GREY, dtype=object)
    if direction not in ("lower_is_better", "higher_is_better") or not np.isfinite(city):
        return out
    sign = 1.0 if direction == "higher_is_better" else -1.0
    ok = np.isfinite(v)
    vs_city = sign * (v - city)
    vs_target = sign * (v - target) if target is not None else np.zeros_like(v)
    out[ok & (vs_city < 0)] = RED
    out[ok & (vs_city >= 0) & (vs_target < 0)] = YELLOW
    out[ok & (vs_city >= 0) & (vs_target >= 0)] = GREEN
    return out


def gini(values: np.ndarray, weights: np.ndarray | None = None) -> float:
    """Gini coefficient across zones (population-weighted with ``weights``): mean absolute difference
    between all pairs of people divided by twice the mean. 0 = equal, towards 1 = concentrated.
    Values or weights that are not finite, and zero weights, are left out; fewer than two values or a
    zero total give ``nan``.

    Computed on the sorted values in O(n log n): with ``x`` ascending, the sum over pairs
    ``Σ_i Σ_j w_i w_j |x_i − x_j|`` is twice ``Σ_j w_j (x_j · W_<j − (wx)_<j)``, where ``W_<j`` and
    ``(wx)_<j`` are the cumulative weight and weighted value of the values before ``j`` (the pairwise
    matrix would take 1.5 GB for 14,000 zones).

    Examples
    --------
    >>> round(gini(np.array([1.0, 2.0, 3.0, 4.0])), 4)
    0.25
    >>> round(gini(np.array([1.0, 4.0]), np.array([3.0, 1.0])), 4)
    0.3214
    """
    x = np.asarray(values, dtype=float)
    w = np.ones_like(x) if weights is None else np.asarray(weights, dtype=float)
    ok = np.isfinite(x) & np.isfinite(w) & (w > 0)
    x, w = x[ok], w[ok]
    if len(x) < 2 or np.sum(w * x) == 0:
        return float("nan")
    order = np.argsort(x)  # any order of equal values gives the same sum; numpy's default sort is the fastest
    x, w = x[order], w[order]  # (14,000 zones: 0.14 ms against 0.83 ms for the stable one)
    wx = w * x
    below_w = np.cumsum(w) - w
    below_wx = np.cumsum(wx) - wx
    pairs = np.sum(w * (x * below_w - below_wx))  # Σ over pairs i < j of w_i w_j (x_j − x_i)
    total_w = np.sum(w)
    mean = np.sum(wx) / total_w
    return float(2 * pairs / (2 * total_w ** 2 * mean))


def gap(values: np.ndarray, direction: str) -> dict[str, float | int]:
    """Best and worst zone, their ratio (worst / best) and difference (worst − best).

    Examples
    --------
    >>> gap(np.array([4.0, 10.0, np.nan, 2.0]), "lower_is_better")
    {'best': 2.0, 'worst': 10.0, 'ratio': 5.0, 'difference': 8.0, 'best_index': 3, 'worst_index': 1}
    """
    v = np.asarray(values, dtype=float)
    if not np.isfinite(v).any():
        return {"best": np.nan, "worst": np.nan, "ratio": np.nan, "difference": np.nan, "best_index": -1,
                "worst_index": -1}
    hib = direction == "higher_is_better"
    best_i = int(np.nanargmax(v) if hib else np.nanargmin(v))
    worst_i = int(np.nanargmin(v) if hib else np.nanargmax(v))
    best, worst = float(v[best_i]), float(v[worst_i])
    ratio = worst / best if best != 0 else float("nan")
    return {"best": best, "worst": worst, "ratio": ratio, "difference": worst - best, "best_index": best_i,
            "worst_index": worst_i}


def worst_decile_count(deciles: np.ndarray) -> np.ndarray:
    """How many components put each zone in the worst decile (score 10); zones × components in.

    Examples
    --------
    >>> worst_decile_count(np.array([[10, 10, 3], [10, np.nan, 9]])).tolist()
    [2, 1]
    """
    return np.sum(np.asarray(deciles) == 10, axis=1)

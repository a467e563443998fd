"""Composite indices from a zones × components matrix: normalise, aggregate, score, rank."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nabolag.analysis import normalise as norm


@dataclass(frozen=True)
class IndexResult:
    """Per zone: ``index``, ``score`` (1-10, 10 = most problems), ``rank`` (1 = most problems),
    ``contributions`` (zones × components; for arithmetic aggregation they sum to the index) and
    ``missing`` (zones × components, True where the component was missing)."""

    index: np.ndarray
    score: np.ndarray
    rank: np.ndarray
    contributions: np.ndarray
    normalised: np.ndarray
    missing: np.ndarray


def normalise_matrix(values: np.ndarray, higher_is_better: np.ndarray, method: str,
                     weights: np.ndarray | None = None, reference: np.ndarray | None = None,
                     truncation: tuple[float, float] | None = None) -> np.ndarray:
    """Normalise each column of ``values`` (zones × components) with ``method``."""
    if method not in norm.METHODS:
        raise ValueError(f"unknown normalisation {method!r}; choose one of {', '.join(norm.METHODS)}")
    if truncation is not None:
        values = np.column_stack([norm.truncate(values[:, j], *truncation) for j in range(values.shape[1])])
    hib_all = np.asarray(higher_is_better, dtype=bool)
    if method == "decile-score":
        return norm.decile_score_columns(values, hib_all, weights)
    if method == "zscore":
        return norm.zscore_columns(values, hib_all, weights)
    out = np.full(values.shape, np.nan)
    for j in range(values.shape[1]):
        col = values[:, j]
        hib = bool(hib_all[j])
        if method == "minmax":
            out[:, j] = norm.minmax(col, hib)
        elif method == "rank":
            out[:, j] = norm.rank(col, hib)
        else:
            ref = np.nan if reference is None else reference[j]
            out[:, j] = norm.distance_to_reference(col, ref, hib)
    return out


def aggregate(normalised: np.ndarray, component_weights: np.ndarray, method: str = "arithmetic",
              max_missing: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Weighted mean (arithmetic or geometric) over the available components of each zone.

    Weights are re-scaled over the components a zone has; a zone missing more than ``max_missing``
    components gets NaN (it is reported, not dropped). Returns (index, contributions).

    Examples
    --------
    >>> m = np.array([[1.0, 3.0], [2.0, np.nan]])
    >>> idx, contrib = aggregate(m, np.array([1.0, 1.0]), max_missing=1)
    >>> idx.tolist(), contrib.tolist()
    ([2.0, 2.0], [[0.5, 1.5], [2.0, 0.0]])
    """
    present = np.isfinite(normalised)
    total = float(np.sum(component_weights))
    if method == "arithmetic" and total > 0 and present.all():  # the common case, without the masking
        share = np.asarray(component_weights, dtype=float) / total
        contributions = normalised * share
        return contributions.sum(axis=1), contributions
    w = np.broadcast_to(np.asarray(component_weights, dtype=float), normalised.shape)
    wp = np.where(present, w, 0.0)
    wsum = wp.sum(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(wsum > 0, wp / wsum, 0.0)
    too_many = (~present).sum(axis=1) > max_missing
    if method == "arithmetic":
        contributions = np.where(present, share * normalised, 0.0)
        index = contributions.sum(axis=1)
    elif method == "geometric":
        if np.any(normalised[present] <= 0):
            raise ValueError("geometric aggregation needs positive normalised values "
                             "(use decile-score, minmax shifted, or distance-to-reference)")
        logs = np.where(present, share * np.log(np.where(present, normalised, 1.0)), 0.0)
        index = np.exp(logs.sum(axis=1))
        contributions = logs  # contributions on the log scale
    else:
        raise ValueError(f"unknown aggregation {method!r}; choose arithmetic or geometric")
    index = np.where(too_many | (wsum[:, 0] == 0), np.nan, index)
    contributions[np.isnan(index)] = np.nan
    return index, contributions


def rank_most_problems_first(index: np.ndarray) -> np.ndarray:
    """Rank 1 = the highest index (most problems); ties share the best rank; NaN stays NaN.

    Examples
    --------
    >>> rank_most_problems_first(np.array([2.0, 5.0, np.nan, 5.0])).tolist()
    [3.0, 1.0, nan, 1.0]
    """
    out = np.full(index.shape, np.nan)
    ok = np.isfinite(index)
    v = -index[ok]
    out[ok] = np.searchsorted(np.sort(v), v, side="left") + 1
    return out


def composite_index(values: np.ndarray, higher_is_better: np.ndarray, component_weights: np.ndarray, *,
                    normalisation: str = "decile-score", aggregation: str = "arithmetic",
                    population: np.ndarray | None = None, reference: np.ndarray | None = None,
                    truncation: tuple[float, float] | None = None, max_missing: int = 0) -> IndexResult:
    """The whole index for one period: normalise → aggregate → score 1-10 → rank.

    ``population`` (per zone) weights the normalisation (population-weighted deciles or z-scores)
    and the final 1-10 score, as SSB's index does when asked.

    Examples
    --------
    Two components, equal weights, four zones (by hand: ranks 1-4 are 25, 50, 75, 100 % at or below,
    so deciles 3, 5, 8, 10):

    >>> v = np.array([[1.0, 10.0], [2.0, 20.0], [3.0, 30.0], [4.0, 40.0]])
    >>> r = composite_index(v, np.array([False, False]), np.array([1.0, 1.0]))
    >>> r.index.tolist(), r.score.tolist(), r.rank.tolist()
    ([3.0, 5.0, 8.0, 10.0], [3.0, 5.0, 8.0, 10.0], [4.0, 3.0, 2.0, 1.0])
    """
    values = np.asarray(values, dtype=float)
    normalised = normalise_matrix(values, higher_is_better, normalisation, population, reference, truncation)
    index, contributions = aggregate(normalised, component_weights, aggregation, max_missing)
    score = norm.decile_score(index, False, population)
    return IndexResult(index=index, score=score, rank=rank_most_problems_first(index),
                       contributions=contributions, normalised=normalised, missing=~np.isfinite(values))

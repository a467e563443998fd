"""Uncertainty and sensitivity of a composite index (JRC/OECD composite-indicator practice).

The index is recomputed many times with randomly perturbed weights and a randomly chosen
normalisation; each zone's rank across the runs gives its rank interval, and the share of runs
in which it is "challenged" shows whether that label depends on method choices.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nabolag.analysis.composite import composite_index

ALTERNATIVES = ("decile-score", "zscore", "minmax", "rank")


@dataclass(frozen=True)
class Sensitivity:
    """Per zone: rank interval (5th-95th percentile and median over runs) and the share of runs
    in which the zone scores at least ``challenged_score``; ``runs`` is the number of runs."""

    rank_low: np.ndarray
    rank_median: np.ndarray
    rank_high: np.ndarray
    challenged_share: np.ndarray
    runs: int

    def status(self, robust: float = 0.9) -> np.ndarray:
        """``"challenged"``, ``"not_challenged"`` or ``"depends_on_method"`` per zone."""
        out = np.full(self.challenged_share.shape, "depends_on_method", dtype=object)
        out[self.challenged_share >= robust] = "challenged"
        out[self.challenged_share <= 1 - robust] = "not_challenged"
        out[np.isnan(self.challenged_share)] = ""
        return out


def rank_sensitivity(values: np.ndarray, higher_is_better: np.ndarray, weights: np.ndarray, *, runs: int = 200,
                     weight_spread: float = 0.5, normalisations: tuple[str, ...] = ALTERNATIVES,
                     challenged_score: int = 8, population: np.ndarray | None = None,
                     max_missing: int = 0, seed: int = 0) -> Sensitivity:
    """Recompute the index ``runs`` times: each weight multiplied by U(1 - spread, 1 + spread) and one
    normalisation drawn from ``normalisations``; aggregation stays arithmetic.

    Examples
    --------
    Zone 0 is worst on both components, so it ranks first in every run:

    >>> v = np.array([[9.0, 9.0], [1.0, 8.0], [8.0, 1.0], [2.0, 2.0], [3.0, 4.0]])
    >>> s = rank_sensitivity(v, np.array([False, False]), np.array([1.0, 1.0]), runs=50, challenged_score=9)
    >>> float(s.rank_low[0]), float(s.rank_high[0]), float(s.challenged_share[0])
    (1.0, 1.0, 1.0)
    """
    rng = np.random.default_rng(seed)
    ranks = np.full((runs, values.shape[0]), np.nan)
    challenged = np.full((runs, values.shape[0]), np.nan)
    for k in range(runs):
        w = weights * rng.uniform(1 - weight_spread, 1 + weight_spread, size=len(weights))
        method = normalisations[rng.integers(len(normalisations))]
        r = composite_index(values, higher_is_better, w, normalisation=method, population=population,
                            max_missing=max_missing)
        ranks[k] = r.rank
        challenged[k] = np.where(np.isnan(r.score), np.nan, r.score >= challenged_score)
    with np.errstate(invalid="ignore"), _quiet():
        low, med, high = np.nanpercentile(ranks, [5, 50, 95], axis=0)
        share = np.nanmean(challenged, axis=0)
    return Sensitivity(rank_low=np.floor(low), rank_median=med, rank_high=np.ceil(high), challenged_share=share,
                       runs=runs)


class _quiet:
    """Silence numpy's «All-NaN slice» warnings for zones without an index."""

    def __enter__(self) -> None:
        import warnings

        self._ctx = warnings.catch_warnings()
        self._ctx.__enter__()
        warnings.simplefilter("ignore", RuntimeWarning)

    def __exit__(self, *exc: object) -> None:
        self._ctx.__exit__(*exc)

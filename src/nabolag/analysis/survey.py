"""Survey estimates: raking weights (weightipy), Kish design effect and effective sample size,
weighted proportions with Wilson intervals on the effective n, weighted means, and change between rounds.

Weights are *expansion* weights: within a zone they sum to the zone's population, so zones combine into
areas and the city in proportion to their populations.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from scipy import stats

from nabolag.analysis.change import ALPHA, Difference, Estimate, mover_diff_ci, proportion_ci, proportion_diff_ci


def kish_deff(weights: np.ndarray) -> float:
    """Kish's design effect of unequal weights, ``n · Σw² / (Σw)²`` (1 for equal weights).

    Examples
    --------
    >>> kish_deff(np.array([1.0, 1.0, 1.0, 1.0]))
    1.0
    >>> round(kish_deff(np.array([1.0, 1.0, 2.0, 4.0])), 4)
    1.375
    """
    w = np.asarray(weights, dtype=float)
    return float(len(w) * np.sum(w**2) / np.sum(w) ** 2) if len(w) else math.nan


def effective_n(weights: np.ndarray) -> float:
    """Kish's effective sample size ``(Σw)² / Σw²`` = n / deff.

    Examples
    --------
    >>> round(effective_n(np.array([1.0, 1.0, 2.0, 4.0])), 4)
    2.9091
    """
    w = np.asarray(weights, dtype=float)
    return float(np.sum(w) ** 2 / np.sum(w**2)) if len(w) else 0.0


def rake(frame: pd.DataFrame, margins: Mapping[str, Mapping[str, float]]) -> np.ndarray:
    """Raking (iterative proportional fitting) weights that make the weighted totals of each column in
    ``margins`` equal its population totals, computed with weightipy's RIM algorithm.

    ``margins`` maps a column (``age_band``, ``gender``) to ``{category: population}``. Categories no
    respondent is in are left out and the others scaled up to the same total (the cells are collapsed),
    rows missing a raking column keep the mean weight, and the weights sum to the population (the mean
    of the margins' totals).

    Examples
    --------
    >>> df = pd.DataFrame({"age_band": ["15-44", "15-44", "45+", "45+", "45+"],
    ...                    "gender": ["female", "male", "female", "male", "female"]})
    >>> w = rake(df, {"age_band": {"15-44": 600, "45+": 400}, "gender": {"female": 500, "male": 500}})
    >>> round(float(w.sum()), 6)
    1000.0
    >>> [round(float(w[df.age_band == a].sum()), 3) for a in ("15-44", "45+")]
    [600.0, 400.0]
    """
    import weightipy

    n = len(frame)
    if n == 0:
        return np.zeros(0)
    total = float(np.mean([sum(m.values()) for m in margins.values()]))
    complete = np.ones(n, dtype=bool)
    for col in margins:
        complete &= frame[col].fillna("").astype(str).isin([str(k) for k in margins[col]]).to_numpy()
    weights = np.ones(n)  # rows missing a raking column keep the mean weight
    usable = frame.loc[complete, list(margins)].astype(str)
    targets = {}
    for col, margin in margins.items():
        present = {str(k): float(v) for k, v in margin.items() if str(k) in set(usable[col]) and v > 0}
        if len(present) > 1:
            targets[col] = {k: v / sum(present.values()) * 100 for k, v in present.items()}
    if targets and len(usable) > 1:
        scheme = weightipy.scheme_from_dict(targets)
        raked = weightipy.weight_dataframe(usable[list(targets)].reset_index(drop=True), scheme, weight_column="_w")
        weights[complete] = raked["_w"].to_numpy(dtype=float)  # mean 1 over the rows raked
    return weights * (total / weights.sum())


def weighted_proportion(yes: np.ndarray, weights: np.ndarray | None = None, alpha: float = ALPHA) -> dict[str, float]:
    """Weighted share of ``yes`` (booleans) with the Wilson interval on Kish's effective sample size.

    Examples
    --------
    Equal weights give the plain Wilson interval (81 of 263: 0.2553 to 0.3662, Newcombe 1998):

    >>> r = weighted_proportion(np.arange(263) < 81)
    >>> round(r["value"], 4), round(r["ci_low"], 4), round(r["ci_high"], 4), r["n"], r["deff"]
    (0.308, 0.2553, 0.3662, 263, 1.0)
    """
    y = np.asarray(yes, dtype=bool)
    w = np.ones(len(y)) if weights is None else np.asarray(weights, dtype=float)
    if len(y) == 0 or w.sum() <= 0:
        return {"value": math.nan, "ci_low": math.nan, "ci_high": math.nan, "n": len(y), "n_eff": 0.0,
                "deff": math.nan}
    p = float(np.sum(w * y) / np.sum(w))
    n_eff = effective_n(w)
    low, high = proportion_ci(p * n_eff, n_eff, alpha)
    return {"value": p, "ci_low": float(low), "ci_high": float(high), "n": len(y), "n_eff": n_eff,
            "deff": kish_deff(w)}


def weighted_mean(values: np.ndarray, weights: np.ndarray | None = None, alpha: float = ALPHA) -> dict[str, float]:
    """Weighted mean with a t interval: standard error = weighted standard deviation / √(effective n).

    Examples
    --------
    >>> r = weighted_mean(np.array([1.0, 2.0, 3.0, 4.0, 5.0]))
    >>> r["value"], round(r["ci_low"], 3), round(r["ci_high"], 3)
    (3.0, 1.037, 4.963)
    """
    x = np.asarray(values, dtype=float)
    w = np.ones(len(x)) if weights is None else np.asarray(weights, dtype=float)
    n_eff = effective_n(w)
    if len(x) < 2 or n_eff <= 1:
        mean = float(np.average(x, weights=w)) if len(x) else math.nan
        return {"value": mean, "ci_low": math.nan, "ci_high": math.nan, "n": len(x), "n_eff": n_eff,
                "deff": kish_deff(w)}
    mean = float(np.average(x, weights=w))
    var = float(np.sum(w * (x - mean) ** 2) / np.sum(w)) * n_eff / (n_eff - 1)
    half = float(stats.t.ppf(1 - alpha / 2, n_eff - 1)) * math.sqrt(var / n_eff)
    return {"value": mean, "ci_low": mean - half, "ci_high": mean + half, "n": len(x), "n_eff": n_eff,
            "deff": kish_deff(w)}


def summarise(frame: pd.DataFrame, value: str, kind: str, by: Sequence[str], weight: str | None = None,
              alpha: float = ALPHA) -> pd.DataFrame:
    """One row per group of ``by``: ``value`` (share of true, or mean), ``ci_low``, ``ci_high``, ``n``,
    ``n_eff``, ``deff``; rows where ``value`` is missing (not answered) are left out.

    Examples
    --------
    >>> df = pd.DataFrame({"zone": ["a", "a", "a", "b", "b"], "safe": [True, False, True, None, True]})
    >>> summarise(df, "safe", "proportion", ["zone"])[["zone", "n"]].values.tolist()
    [['a', 3], ['b', 1]]
    """
    return summarise_many(frame, {value: kind}, by, weight, alpha).drop(columns="measure")


def summarise_many(frame: pd.DataFrame, values: Mapping[str, str], by: Sequence[str], weight: str | None = None,
                   alpha: float = ALPHA) -> pd.DataFrame:
    """:func:`summarise` for many columns at once (``{column: kind}``), in one grouping: a long table with
    the column's name in ``measure``.

    Examples
    --------
    >>> df = pd.DataFrame({"zone": ["a", "a", "b"], "safe": [True, False, True], "days": [2.0, 4.0, None]})
    >>> out = summarise_many(df, {"safe": "proportion", "days": "mean"}, ["zone"])
    >>> out[["measure", "zone", "value"]].values.tolist()
    [['safe', 'a', 0.5], ['safe', 'b', 1.0], ['days', 'a', 3.0]]
    """
    cols = ["measure", *by, "value", "ci_low", "ci_high", "n", "n_eff", "deff"]
    w = frame[weight].to_numpy(dtype=float) if weight else np.ones(len(frame))
    data: dict[str, np.ndarray] = {}
    for name in values:
        x = pd.to_numeric(frame[name], errors="coerce").to_numpy(dtype=float)
        seen = ~np.isnan(x)
        wm, xm = np.where(seen, w, 0.0), np.where(seen, x, 0.0)
        data.update({f"{name}\0w": wm, f"{name}\0wx": wm * xm, f"{name}\0ww": wm * wm,
                     f"{name}\0wxx": wm * xm * xm, f"{name}\0n": seen.astype(float)})
    parts = pd.DataFrame(data, index=frame.index)
    for col in by:
        parts[col] = frame[col].to_numpy()
    sums = parts.groupby(list(by), sort=True, dropna=False).sum() if by else parts.sum().to_frame().T
    keys = sums.reset_index()[list(by)] if by else pd.DataFrame(index=range(1))
    out = []
    for name, kind in values.items():
        n = sums[f"{name}\0n"].to_numpy()
        keep = n > 0
        sw, ww = sums[f"{name}\0w"].to_numpy()[keep], sums[f"{name}\0ww"].to_numpy()[keep]
        n_eff = sw**2 / ww
        mean = sums[f"{name}\0wx"].to_numpy()[keep] / sw
        with np.errstate(invalid="ignore", divide="ignore"):
            if kind == "proportion":
                low, high = proportion_ci(mean * n_eff, n_eff, alpha)
            else:
                var = (sums[f"{name}\0wxx"].to_numpy()[keep] / sw - mean**2).clip(min=0) * n_eff / (n_eff - 1)
                half = stats.t.ppf(1 - alpha / 2, np.maximum(n_eff - 1, 1e-9)) * np.sqrt(var / n_eff)
                low, high = np.where(n_eff > 1, mean - half, np.nan), np.where(n_eff > 1, mean + half, np.nan)
        out.append(keys[keep].assign(measure=name, value=mean, ci_low=low, ci_high=high, n=n[keep].astype(int),
                                     n_eff=n_eff, deff=n[keep] / n_eff))
    return pd.concat(out, ignore_index=True)[cols] if out else pd.DataFrame(columns=cols)


def change(after: Mapping[str, float], before: Mapping[str, float], kind: str, alpha: float = ALPHA) -> Difference:
    """``after - before`` between two independent survey rounds (rows of :func:`summarise`).

    Proportions: Newcombe's hybrid score interval on the effective counts; means: MOVER from the two
    intervals.

    Examples
    --------
    With equal weights this is Newcombe's example 56/70 − 48/80 (0.0524 to 0.3339):

    >>> d = change({"value": 0.8, "n_eff": 70}, {"value": 0.6, "n_eff": 80}, "proportion")
    >>> round(d.value, 4), round(d.ci_low, 4), round(d.ci_high, 4), d.method
    (0.2, 0.0524, 0.3339, 'newcombe')
    """
    if kind == "proportion":
        n1, n0 = float(after["n_eff"]), float(before["n_eff"])
        d, low, high = proportion_diff_ci(float(after["value"]) * n1, n1, float(before["value"]) * n0, n0, alpha)
        return Difference(d, low, high, "newcombe")
    return mover_diff_ci(Estimate(float(after["value"]), float(after["ci_low"]), float(after["ci_high"])),
                         Estimate(float(before["value"]), float(before["ci_low"]), float(before["ci_high"])))

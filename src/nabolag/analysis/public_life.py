"""Use of a place from public-life counts (PLDP sessions): people per hour, shares by gender and age, day
and evening, before and after. The **session** is the unit of uncertainty: each session gives one value,
and intervals are Student-t intervals across sessions (``scipy.stats``), so two sessions give a wide
interval and ten a narrower one, whatever the number of people counted.

The input is a tidy frame, one row per count (an empty slot as a row with ``count`` 0): ``session``,
``date``, ``start`` (the session's start, ``HH:MM``), ``slot`` (``HH:MM``), ``slot_minutes``, ``phase``,
``movement``, ``age_band``, ``gender``, ``activity``, ``count``.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pandas as pd
from scipy import stats

from nabolag.domain.observation_session import AGE_BANDS, EVENING_FROM

Row = Callable[[pd.DataFrame], pd.Series]


def t_interval(values: np.ndarray, confidence: float = 0.95) -> tuple[float, float | None, float | None]:
    """Mean of ``values`` and its Student-t interval (None with fewer than two values or no spread).

    Examples
    --------
    >>> m, lo, hi = t_interval(np.array([10.0, 12.0, 14.0]))
    >>> m, round(lo, 2), round(hi, 2)
    (12.0, 7.03, 16.97)
    """
    v = np.asarray(values, dtype=float)
    v = v[~np.isnan(v)]
    if len(v) == 0:
        return math.nan, None, None
    mean = float(v.mean())
    if len(v) < 2 or float(v.std()) == 0.0:
        return mean, None, None
    low, high = stats.t.interval(confidence, df=len(v) - 1, loc=mean, scale=stats.sem(v))
    return mean, float(low), float(high)


def _hours(frame: pd.DataFrame) -> pd.Series:
    slots = frame.groupby("session")["slot"].nunique()
    minutes = frame.groupby("session")["slot_minutes"].first()
    return slots * minutes / 60.0


def per_hour(frame: pd.DataFrame, where: pd.Series | None = None) -> pd.Series:
    """People per hour in each session (people counted matching ``where`` / hours observed).

    Examples
    --------
    >>> f = pd.DataFrame({"session": ["a", "a", "b"], "slot": ["17:00", "17:10", "17:00"],
    ...                   "slot_minutes": [10, 10, 30], "count": [3, 0, 5], "gender": ["female", "", "male"]})
    >>> per_hour(f).tolist(), per_hour(f, f["gender"] == "female").tolist()
    ([9.0, 10.0], [9.0, 0.0])
    """
    counts = frame["count"] if where is None else frame["count"].where(where, 0)
    people = counts.groupby(frame["session"]).sum()
    return (people / _hours(frame)).astype(float)


def share(frame: pd.DataFrame, part: pd.Series, whole: pd.Series) -> pd.Series:
    """Per session, the per cent of people matching ``whole`` who also match ``part`` (NaN when none)."""
    p = frame["count"].where(part & whole, 0).groupby(frame["session"]).sum()
    w = frame["count"].where(whole, 0).groupby(frame["session"]).sum()
    return (100.0 * p / w.replace(0, np.nan)).astype(float)


def is_evening(frame: pd.DataFrame) -> pd.Series:
    """True for sessions that start at or after 18:00 (kveld)."""
    return frame["start"] >= EVENING_FROM.strftime("%H:%M")


def use_summary(frame: pd.DataFrame, confidence: float = 0.95) -> pd.DataFrame:
    """One row per measure and group: ``measure`` (``per_hour``, ``share_female``, ``share_age``,
    ``share_staying``), ``groups`` (``""``, ``gender=female``, ``age=15-24``, ``time=evening`` …),
    ``value``, ``ci_low``, ``ci_high``, ``sessions`` (the sessions behind the value)."""
    rows: list[dict[str, object]] = []

    def add(measure: str, groups: str, values: pd.Series) -> None:
        mean, low, high = t_interval(values.to_numpy(), confidence)
        if not math.isnan(mean):
            rows.append({"measure": measure, "groups": groups, "value": mean, "ci_low": low, "ci_high": high,
                         "sessions": int(values.notna().sum())})

    add("per_hour", "", per_hour(frame))
    for g in ("female", "male"):
        add("per_hour", f"gender={g}", per_hour(frame, frame["gender"] == g))
    for band in AGE_BANDS:
        add("per_hour", f"age={band}", per_hour(frame, frame["age_band"] == band))
    evening = is_evening(frame).groupby(frame["session"]).first()
    rates = per_hour(frame)
    add("per_hour", "time=evening", rates[evening])
    add("per_hour", "time=day", rates[~evening])
    gendered = frame["gender"].isin(["female", "male"])
    add("share_female", "", share(frame, frame["gender"] == "female", gendered))
    aged = frame["age_band"] != ""
    for band in AGE_BANDS:
        add("share_age", f"age={band}", share(frame, frame["age_band"] == band, aged))
    moved = frame["movement"].isin(["moving", "staying"])
    add("share_staying", "", share(frame, frame["movement"] == "staying", moved))
    return pd.DataFrame(rows, columns=["measure", "groups", "value", "ci_low", "ci_high", "sessions"])


def before_after(frame: pd.DataFrame, confidence: float = 0.95) -> dict[str, float | int | None]:
    """Change in people per hour from the ``before`` to the ``after`` sessions: the difference of means
    with Welch's t interval (``scipy.stats.ttest_ind(equal_var=False)``); None where a phase has fewer
    than two sessions."""
    rates = per_hour(frame)
    phase = frame.groupby("session")["phase"].first()
    b, a = rates[phase == "before"].to_numpy(), rates[phase == "after"].to_numpy()
    out: dict[str, float | int | None] = {"before": float(b.mean()) if len(b) else None,
                                          "after": float(a.mean()) if len(a) else None,
                                          "sessions_before": len(b), "sessions_after": len(a),
                                          "change": None, "ci_low": None, "ci_high": None, "p_value": None}
    if len(b) and len(a):
        out["change"] = float(a.mean() - b.mean())
    if len(b) >= 2 and len(a) >= 2:
        test = stats.ttest_ind(a, b, equal_var=False)
        ci = test.confidence_interval(confidence)
        out |= {"ci_low": float(ci.low), "ci_high": float(ci.high), "p_value": float(test.pvalue)}
    return out

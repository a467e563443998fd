"""Use indicators from sessions, checked against statsmodels (an independent implementation of the t
interval and of Welch's interval for a difference of means) and hand counts."""

from __future__ import annotations

import numpy as np
import pandas as pd
from statsmodels.stats.weightstats import CompareMeans, DescrStatsW

from nabolag.analysis.public_life import before_after, per_hour, t_interval, use_summary


def _frame() -> pd.DataFrame:
    rows = []
    plan = {"s1": ("17:00", "before", [4, 2]), "s2": ("19:00", "before", [6, 0]), "s3": ("12:00", "before", [1, 1]),
            "s4": ("17:00", "after", [9, 5]), "s5": ("19:00", "after", [12, 4]), "s6": ("12:00", "after", [3, 3])}
    for uid, (start, phase, (women, men)) in plan.items():
        for slot in ("a", "b", "c"):
            rows.append({"session": uid, "start": start, "slot": slot, "slot_minutes": 10, "phase": phase,
                         "movement": "staying", "age_band": "25-44", "gender": "female", "activity": "",
                         "count": women if slot == "a" else 0})
        rows.append({"session": uid, "start": start, "slot": "a", "slot_minutes": 10, "phase": phase,
                     "movement": "moving", "age_band": "65+", "gender": "male", "activity": "", "count": men})
    return pd.DataFrame(rows)


def test_rates_shares_and_intervals_match_statsmodels() -> None:
    f = _frame()
    rates = per_hour(f)
    assert rates["s1"] == (4 + 2) / 0.5 and rates["s2"] == 12.0
    table = use_summary(f).set_index(["measure", "groups"])
    expected = DescrStatsW(rates.to_numpy())
    low, high = expected.tconfint_mean(0.05)
    row = table.loc[("per_hour", "")]
    assert np.isclose(row["value"], rates.mean()) and np.isclose(row["ci_low"], low) and np.isclose(row["ci_high"], high)
    shares = np.array([4 / 6, 1.0, 0.5, 9 / 14, 12 / 16, 0.5]) * 100
    lo, hi = DescrStatsW(shares).tconfint_mean(0.05)
    got = table.loc[("share_female", "")]
    assert np.isclose(got["value"], shares.mean()) and np.isclose(got["ci_low"], lo) and got["sessions"] == 6
    evening = table.loc[("per_hour", "time=evening")]
    assert np.isclose(evening["value"], np.mean([12.0, 32.0])) and evening["sessions"] == 2
    assert t_interval(np.array([5.0]))[1:] == (None, None)


def test_before_after_matches_welch_in_statsmodels() -> None:
    f = _frame()
    result = before_after(f)
    rates = per_hour(f)
    after, before = rates[["s4", "s5", "s6"]].to_numpy(), rates[["s1", "s2", "s3"]].to_numpy()
    low, high = CompareMeans(DescrStatsW(after), DescrStatsW(before)).tconfint_diff(0.05, usevar="unequal")
    assert np.isclose(result["change"], after.mean() - before.mean())  # type: ignore[arg-type]
    assert np.isclose(result["ci_low"], low) and np.isclose(result["ci_high"], high)  # type: ignore[arg-type]
    assert result["sessions_before"] == 3

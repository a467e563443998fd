"""Survey weights and intervals checked against independent computations written out in the test:
raking by hand (iterative proportional fitting with numpy), Kish's deff = n·Σw²/(Σw)², and the Wilson
interval by its formula."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy.stats import norm

from nabolag.analysis.survey import change, effective_n, kish_deff, rake, summarise, weighted_proportion


def _ipf(cells: np.ndarray, rows: np.ndarray, cols: np.ndarray, rounds: int = 200) -> np.ndarray:
    """Cell weights by iterative proportional fitting of a 2-way table of respondent counts."""
    w = np.ones_like(cells, dtype=float)
    for _i in range(rounds):
        w *= (rows / (w * cells).sum(axis=1))[:, None]
        w *= (cols / (w * cells).sum(axis=0))[None, :]
    return w


def _wilson(p: float, n: float, z: float = norm.ppf(0.975)) -> tuple[float, float]:
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return centre - half, centre + half


SAMPLE = pd.DataFrame({
    "age_band": ["15-44"] * 5 + ["45+"] * 7,
    "gender": ["female", "female", "male", "male", "male", "female", "female", "female", "female", "male", "male", "female"],
    "safe": [True, False, True, True, False, True, True, False, True, True, False, True],
})
AGE = {"15-44": 5200.0, "45+": 4800.0}
GENDER = {"female": 5100.0, "male": 4900.0}


def test_raking_matches_iterative_proportional_fitting_by_hand() -> None:
    w = rake(SAMPLE, {"age_band": AGE, "gender": GENDER})
    cells = pd.crosstab(SAMPLE["age_band"], SAMPLE["gender"]).to_numpy(dtype=float)  # rows 15-44, 45+; cols f, m
    by_hand = _ipf(cells, np.array([AGE["15-44"], AGE["45+"]]), np.array([GENDER["female"], GENDER["male"]]))
    ages = {"15-44": 0, "45+": 1}
    genders = {"female": 0, "male": 1}
    expected = np.array([by_hand[ages[a], genders[g]] for a, g in zip(SAMPLE.age_band, SAMPLE.gender, strict=True)])
    np.testing.assert_allclose(w, expected, rtol=1e-4)
    assert abs(w.sum() - 10000) < 1e-6


def test_kish_deff_and_effective_n_by_formula() -> None:
    w = rake(SAMPLE, {"age_band": AGE, "gender": GENDER})
    n = len(w)
    assert math.isclose(kish_deff(w), n * np.sum(w**2) / np.sum(w) ** 2)
    assert math.isclose(effective_n(w), n / (n * np.sum(w**2) / np.sum(w) ** 2))
    assert kish_deff(w) > 1


def test_weighted_share_uses_wilson_on_the_effective_n() -> None:
    w = rake(SAMPLE, {"age_band": AGE, "gender": GENDER})
    r = weighted_proportion(SAMPLE["safe"].to_numpy(), w)
    p = float(np.sum(w * SAMPLE["safe"]) / np.sum(w))
    low, high = _wilson(p, np.sum(w) ** 2 / np.sum(w**2))
    assert math.isclose(r["value"], p) and math.isclose(r["ci_low"], low, rel_tol=1e-9)
    assert math.isclose(r["ci_high"], high, rel_tol=1e-9)
    plain = weighted_proportion(SAMPLE["safe"].to_numpy())  # equal weights: n_eff = n
    assert (plain["n_eff"], plain["deff"]) == (12.0, 1.0)
    assert np.allclose((plain["ci_low"], plain["ci_high"]), _wilson(8 / 12, 12))


def test_missing_background_keeps_the_mean_weight_and_absent_cells_collapse() -> None:
    frame = SAMPLE.assign(gender=["", *SAMPLE.gender[1:]])
    w = rake(frame, {"age_band": {**AGE, "67+": 900.0}, "gender": GENDER})
    assert math.isclose(w.sum(), (10900 + 10000) / 2)  # the mean of the margins' totals
    assert math.isclose(w[0], w[1:].mean())  # the row without gender keeps the mean weight
    assert w[SAMPLE.age_band == "15-44"][1:].sum() > 0


def test_summarise_groups_and_change_between_rounds() -> None:
    frame = SAMPLE.assign(zone=["a"] * 6 + ["b"] * 6, w=1.0)
    s = summarise(frame, "safe", "proportion", ["zone"], "w")
    assert s["n"].tolist() == [6, 6]
    assert np.allclose(s["value"], [4 / 6, 4 / 6])
    d = change({"value": 0.8, "n_eff": 70}, {"value": 0.6, "n_eff": 80}, "proportion")
    assert (round(d.ci_low, 4), round(d.ci_high, 4)) == (0.0524, 0.3339)  # Newcombe 1998, example 56/70 − 48/80

"""Equity colours, gaps, Gini and sensitivity — by hand and against independent computations."""

import numpy as np
import pytest

from nabolag.analysis.equity import equity_colour, gap, gini
from nabolag.analysis.sensitivity import rank_sensitivity


def test_colours_follow_urban_heart_by_hand() -> None:
    # lower is better, city 10, target 6: 6 → green (meets both), 8 → yellow, 10 → green? no: at city but
    # short of target → yellow; 10.1 → red
    got = equity_colour(np.array([6.0, 8.0, 10.0, 10.1]), 10.0, 6.0, "lower_is_better").tolist()
    assert got == ["green", "yellow", "yellow", "red"]
    assert equity_colour(np.array([1.0]), 1.0, None, "neutral").tolist() == ["grey"]


def test_gini_against_the_sorted_formula() -> None:
    """Unweighted Gini by the textbook formula on sorted values: G = Σ(2i − n − 1)·x_i / (n·Σx)."""
    x = np.random.default_rng(5).gamma(2.0, 3.0, 40)
    s = np.sort(x)
    n = len(s)
    expected = np.sum((2 * np.arange(1, n + 1) - n - 1) * s) / (n * s.sum())
    assert np.isclose(gini(x), expected)
    # integer weights are the same as repeating values
    w = np.array([1, 3, 2])
    v = np.array([2.0, 5.0, 9.0])
    assert np.isclose(gini(v, w), gini(np.repeat(v, w)))


def _gini_pairwise(x: np.ndarray, w: np.ndarray) -> float:
    """The definition, independently: Σ_i Σ_j w_i w_j |x_i − x_j| / (2 W² mean) over an n × n matrix."""
    ok = np.isfinite(x) & np.isfinite(w) & (w > 0)
    x, w = x[ok], w[ok]
    mean = np.sum(w * x) / np.sum(w)
    return float(np.sum(w[:, None] * w[None, :] * np.abs(x[:, None] - x[None, :])) / (2 * np.sum(w) ** 2 * mean))


def test_gini_matches_the_pairwise_definition_on_random_data() -> None:
    rng = np.random.default_rng(8)
    for n in (2, 3, 17, 50, 400):
        x, w = rng.gamma(2, 300, size=n), rng.integers(0, 500, size=n).astype(float)
        w[0] = 1.0  # at least two usable values
        w[-1] = 2.0
        if n > 3:
            x[rng.integers(1, n - 1)] = np.nan  # left out
            x[:3] = x[3]  # ties
            w[rng.integers(1, n - 1)] = np.inf  # left out
        assert gini(x, w) == pytest.approx(_gini_pairwise(x, w), rel=1e-12)
        assert gini(x) == pytest.approx(_gini_pairwise(x, np.ones(n)), rel=1e-12)
    assert np.isnan(gini(np.array([5.0]))) and np.isnan(gini(np.array([0.0, 0.0])))
    assert gini(np.array([3.0, 3.0, 3.0])) == 0.0


def test_gap_higher_is_better() -> None:
    g = gap(np.array([70.0, 50.0, 90.0]), "higher_is_better")
    assert (g["best"], g["worst"], g["difference"]) == (90.0, 50.0, -40.0)
    assert np.isclose(g["ratio"], 50 / 90)


def test_sensitivity_flags_method_dependent_zones() -> None:
    # Zone 1 is extreme on component A only; whether it is «challenged» depends on the weights.
    v = np.array([[10.0, 10.0], [10.5, 1.0], [1.0, 2.0], [2.0, 3.0], [3.0, 4.0], [4.0, 5.0], [5.0, 6.0],
                  [6.0, 7.0], [7.0, 8.0], [8.0, 9.0]])
    s = rank_sensitivity(v, np.array([False, False]), np.array([1.0, 1.0]), runs=300, weight_spread=0.9,
                         challenged_score=9, seed=1)
    status = s.status()
    assert status[0] == "challenged" and s.rank_low[0] == s.rank_high[0] == 1
    assert status[2] == "not_challenged"
    assert 0 < s.challenged_share[1] < 1 and s.rank_high[1] > s.rank_low[1]
    again = rank_sensitivity(v, np.array([False, False]), np.array([1.0, 1.0]), runs=300, weight_spread=0.9,
                             challenged_score=9, seed=1)
    assert np.array_equal(again.rank_high, s.rank_high)  # seeded: reproducible


def test_gini_and_gap_on_real_baerum_shares(shared) -> None:
    """SSB's immigrant shares per grunnkrets (Asker and Bærum): Gini of the non-Western share,
    weighted by each grunnkrets' counted population, against the sorted-cumulative (Lorenz) formula."""
    import json

    data = json.loads((shared / "baerum" / "immigrants.json").read_text())
    rows = [(v["non-western-share"], v["non-western-count"] / v["non-western-share"] * 100)
            for v in data.values() if isinstance(v["non-western-share"], float) and v["non-western-share"] > 0]
    share = np.array([r[0] for r in rows])
    pop = np.array([r[1] for r in rows])
    order = np.argsort(share)
    s, w = share[order], pop[order]
    cum_w = np.cumsum(w) / w.sum()
    cum_x = np.cumsum(s * w) / np.sum(s * w)
    lorenz = 1 - np.sum((cum_w - np.r_[0, cum_w[:-1]]) * (cum_x + np.r_[0, cum_x[:-1]]))
    assert np.isclose(gini(share, pop), lorenz)
    g = gap(share, "lower_is_better")
    assert g["worst"] == share.max() and g["best"] == share.min()

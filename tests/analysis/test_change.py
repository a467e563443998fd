"""Change analysis checked against independent computations: the Wilson and Newcombe formulas written out
by hand, published worked examples, a second library (scipy for Wilson, statsmodels for exact Poisson) and
real SSB immigrant counts for Asker and Bærum."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
from scipy import stats
from statsmodels.stats.proportion import confint_proportions_2indep
from statsmodels.stats.rates import confint_poisson

from nabolag.analysis.change import (
    Estimate,
    change_ci,
    difference_in_differences,
    infer_kind,
    mover_diff_ci,
    period_end,
    pooled_estimate,
    proportion_ci,
    proportion_diff_ci,
    rate_ci,
    rate_diff_ci,
    unit_scale,
    verdict,
)

Z = 1.959963984540054  # standard normal 97.5 % quantile


def wilson_by_hand(k: float, n: float, z: float = Z) -> tuple[float, float]:
    """Wilson (1927): (p + z²/2n ± z·sqrt(p(1-p)/n + z²/4n²)) / (1 + z²/n)."""
    p = k / n
    centre = p + z * z / (2 * n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return (centre - half) / (1 + z * z / n), (centre + half) / (1 + z * z / n)


# --- single proportions ----------------------------------------------------------------------------

@pytest.mark.parametrize(("k", "n"), [(81, 263), (0, 10), (10, 10), (1, 29), (15, 148), (3, 5), (1998, 27341)])
def test_wilson_equals_the_formula_by_hand(k: int, n: int) -> None:
    low, high = proportion_ci(k, n)
    lo_h, hi_h = wilson_by_hand(k, n)
    assert float(low) == pytest.approx(max(lo_h, 0.0), abs=1e-12)
    assert float(high) == pytest.approx(min(hi_h, 1.0), abs=1e-12)


def test_wilson_published_examples() -> None:
    """Newcombe (1998) Stat Med 17:857, Table I: 81/263 → 0.2553–0.3662; 15/148 → 0.0624–0.1605;
    0/20 → 0–0.1611; 1/29 → 0.0061–0.1718."""
    for (k, n), (lo, hi) in {(81, 263): (0.2553, 0.3662), (15, 148): (0.0624, 0.1605), (0, 20): (0.0, 0.1611),
                             (1, 29): (0.0061, 0.1718)}.items():
        low, high = proportion_ci(k, n)
        assert (round(float(low), 4), round(float(high), 4)) == (lo, hi)


def test_wilson_is_vectorised() -> None:
    k, n = np.array([5.0, 50.0, 0.0]), np.array([20.0, 400.0, 7.0])
    low, high = proportion_ci(k, n)
    for i in range(3):
        assert (low[i], high[i]) == pytest.approx(tuple(float(x) for x in proportion_ci(k[i], n[i])))


def _baerum_shares(shared: Path) -> list[tuple[str, int, int, float]]:
    """(grunnkrets, non-western count, residents, SSB's non-western share in %) for every unsuppressed cell.

    SSB gives counts and shares, not the residents; the residents are ``count / share``, found from both
    immigrant groups, which must agree (a check that the reading is right)."""
    data = json.loads((shared / "baerum" / "immigrants.json").read_text(encoding="utf-8"))
    out = []
    for code, row in data.items():
        w, nw, ws, nws = (row[c] for c in ("western-count", "non-western-count", "western-share",
                                           "non-western-share"))
        if "-" in (w, nw, ws, nws) or not ws or not nws:
            continue
        total_w, total_nw = w * 100 / ws, nw * 100 / nws
        assert total_w == pytest.approx(total_nw, abs=0.5), code
        out.append((code, int(nw), round(total_w), float(nws)))
    return out


def test_wilson_on_real_baerum_counts_against_scipy(shared: Path) -> None:
    """Non-western immigrants per grunnkrets (real SSB counts): statsmodels' Wilson interval via
    proportion_ci against scipy's binomtest(...).proportion_ci(method="wilson"), a second library."""
    cells = _baerum_shares(shared)
    assert len(cells) > 300
    k = np.array([c[1] for c in cells], dtype=float)
    n = np.array([c[2] for c in cells], dtype=float)
    np.testing.assert_allclose(k / n * 100, [c[3] for c in cells], atol=0.2)  # our share = SSB's share
    low, high = proportion_ci(k, n)
    for i, (_code, ki, ni, _share) in enumerate(cells):
        ref = stats.binomtest(ki, ni).proportion_ci(confidence_level=0.95, method="wilson")
        assert low[i] == pytest.approx(ref.low, abs=1e-9)
        assert high[i] == pytest.approx(ref.high, abs=1e-9)


def test_pooling_real_baerum_zones_into_areas(shared: Path) -> None:
    """An area's value is Σ numerators / Σ denominators over its zones: the delområder (first six digits of
    the grunnkrets code) of Bærum pooled from real counts, checked against the Wilson formula by hand."""
    cells = _baerum_shares(shared)
    groups: dict[str, list[tuple[int, int]]] = {}
    for code, k, n, _share in cells:
        groups.setdefault(code[:6], []).append((k, n))
    checked = 0
    for members in groups.values():
        if len(members) < 2:
            continue
        k = np.array([m[0] for m in members], dtype=float)
        n = np.array([m[1] for m in members], dtype=float)
        e = pooled_estimate(k, n, "proportion", 100)
        lo, hi = wilson_by_hand(k.sum(), n.sum())
        assert e.value == pytest.approx(k.sum() / n.sum() * 100)
        assert (e.ci_low, e.ci_high) == pytest.approx((lo * 100, hi * 100), abs=1e-9)
        p = k.sum() / n.sum()
        assert e.variance == pytest.approx(p * (1 - p) / n.sum() * 1e4)
        checked += 1
    assert checked > 20


def test_pooling_refuses_impossible_counts() -> None:
    with pytest.raises(ValueError, match="larger"):
        pooled_estimate(np.array([5.0]), np.array([4.0]), "proportion", 100)
    with pytest.raises(ValueError):
        pooled_estimate(np.array([1.0]), np.array([0.0]), "rate", 1000)
    with pytest.raises(ValueError, match="kind"):
        pooled_estimate(np.array([1.0]), np.array([5.0]), "value", 1)


# --- rates -------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("k", "e"), [(0, 1000), (1, 500), (10, 2000), (103, 7811), (443, 39059)])
def test_exact_poisson_against_statsmodels(k: int, e: int) -> None:
    rate, low, high = rate_ci(k, e, per=1000)
    ref_low, ref_high = confint_poisson(k, e, method="exact-c")
    assert float(rate) == pytest.approx(k / e * 1000)
    assert float(low) == pytest.approx(ref_low * 1000, abs=1e-9)
    assert float(high) == pytest.approx(ref_high * 1000, abs=1e-9)


def test_exact_poisson_published_limits() -> None:
    """Tables of exact Poisson limits (e.g. Ulm 1990): k = 10 → 4.7954–18.3904; k = 0 → 0–3.6889."""
    _r, low, high = rate_ci(np.array([10.0, 0.0]), np.array([1.0, 1.0]), per=1)
    assert low.round(4).tolist() == [4.7954, 0.0]
    assert high.round(4).tolist() == [18.3904, 3.6889]


# --- differences -------------------------------------------------------------------------------------

def test_newcombe_published_example_and_hand_mover() -> None:
    """Newcombe (1998) Stat Med 17:873, example (a): 56/70 − 48/80 → 0.0524 to 0.3339 (method 10); the same
    from two Wilson intervals by hand, combined with Newcombe's formula."""
    d, low, high = proportion_diff_ci(56, 70, 48, 80)
    assert (round(d, 4), round(low, 4), round(high, 4)) == (0.2, 0.0524, 0.3339)
    p1, p0 = 56 / 70, 48 / 80
    (l1, u1), (l0, u0) = wilson_by_hand(56, 70), wilson_by_hand(48, 80)
    assert low == pytest.approx(d - math.sqrt((p1 - l1) ** 2 + (u0 - p0) ** 2), abs=1e-10)
    assert high == pytest.approx(d + math.sqrt((u1 - p1) ** 2 + (p0 - l0) ** 2), abs=1e-10)


def test_mover_with_wilson_intervals_is_newcombe() -> None:
    """Our MOVER on stored intervals, fed statsmodels-independent hand Wilson limits, equals statsmodels'
    Newcombe interval on the counts."""
    for (k1, n1, k0, n0) in [(9, 10, 3, 10), (1998, 27341, 1700, 30616), (0, 25, 4, 30)]:
        (l1, u1), (l0, u0) = wilson_by_hand(k1, n1), wilson_by_hand(k0, n0)
        got = mover_diff_ci(Estimate(k1 / n1, max(l1, 0), min(u1, 1)), Estimate(k0 / n0, max(l0, 0), min(u0, 1)))
        ref = confint_proportions_2indep(k1, n1, k0, n0, method="newcomb", compare="diff")
        assert (got.ci_low, got.ci_high) == pytest.approx(tuple(float(x) for x in ref), abs=1e-10)


def test_rate_difference_is_mover_of_poisson_score_intervals() -> None:
    """statsmodels' MOVER for two rates equals the MOVER formula applied to single Poisson score intervals."""
    for (k1, e1, k0, e0) in [(30, 2000, 15, 2000), (103, 7811, 80, 8400), (2, 900, 0, 1000)]:
        d, low, high = rate_diff_ci(k1, e1, k0, e0, per=1000)
        l1, u1 = confint_poisson(k1, e1, method="score")
        l0, u0 = confint_poisson(k0, e0, method="score")
        r1, r0 = k1 / e1, k0 / e0
        assert d == pytest.approx((r1 - r0) * 1000)
        assert low == pytest.approx((r1 - r0 - math.hypot(r1 - l1, u0 - r0)) * 1000, abs=1e-9)
        assert high == pytest.approx((r1 - r0 + math.hypot(u1 - r1, r0 - l0)) * 1000, abs=1e-9)


def test_change_ci_picks_the_method_by_kind() -> None:
    a = pooled_estimate(np.array([30.0]), np.array([2000.0]), "rate", 1000)
    b = pooled_estimate(np.array([15.0]), np.array([2000.0]), "rate", 1000)
    assert change_ci(a, b, "rate", 1000).method == "mover-poisson"
    stored = change_ci(Estimate(62.0, 58.0, 66.0, method="stored"), Estimate(55.0, 50.0, 60.0), "value", 1)
    assert stored.method == "mover" and stored.ci_low > 0
    unknown = change_ci(Estimate(62.0), Estimate(55.0), "value", 1)
    assert unknown.value == 7.0 and math.isnan(unknown.ci_low) and unknown.method == "unknown"


# --- verdict and difference-in-differences ------------------------------------------------------------

@pytest.mark.parametrize(("diff", "low", "high", "direction", "expected"), [
    (-1.0, -1.5, -0.5, "lower_is_better", "improved"),
    (1.0, 0.5, 1.5, "lower_is_better", "worsened"),
    (1.0, 0.5, 1.5, "higher_is_better", "improved"),
    (-1.0, -1.5, -0.5, "higher_is_better", "worsened"),
    (0.3, -0.2, 0.8, "higher_is_better", "no_clear_change"),
    (0.0, 0.0, 0.8, "lower_is_better", "no_clear_change"),  # an interval touching 0 is not clear
    (1.0, 0.5, 1.5, "neutral", "increased"),
    (-1.0, -1.5, -0.5, "neutral", "decreased"),
    (1.0, float("nan"), float("nan"), "lower_is_better", "unknown"),
])
def test_verdict(diff: float, low: float, high: float, direction: str, expected: str) -> None:
    assert verdict(diff, low, high, direction) == expected


def test_difference_in_differences_by_hand() -> None:
    """A small table worked by hand: area 200/1000 → 150/1000, comparison 300/2000 → 290/2000 (percent).
    DiD = (15 − 20) − (14.5 − 15) = −4.5; variances p(1−p)/n·100²: 1.6, 1.275, 0.6375, 0.619875."""
    est = lambda k, n: pooled_estimate(np.array([k]), np.array([n]), "proportion", 100)  # noqa: E731
    r = difference_in_differences(est(200, 1000), est(150, 1000), est(300, 2000), est(290, 2000))
    se = math.sqrt(1.6 + 1.275 + 0.6375 + 0.619875)
    assert r.value == pytest.approx(-4.5)
    assert (r.ci_low, r.ci_high) == pytest.approx((-4.5 - Z * se, -4.5 + Z * se))
    assert verdict(r.value, r.ci_low, r.ci_high, "lower_is_better") == "improved"


@pytest.mark.parametrize("shift", [-3.0, 0.0, 2.5])
def test_city_wide_change_is_not_the_programme_effect(shift: float) -> None:
    """The same change everywhere leaves the difference-in-differences where it was."""
    v = 0.5
    base = difference_in_differences(Estimate(10, variance=v), Estimate(8, variance=v),
                                     Estimate(12, variance=v), Estimate(11, variance=v))
    shifted = difference_in_differences(Estimate(10, variance=v), Estimate(8 + shift, variance=v),
                                        Estimate(12, variance=v), Estimate(11 + shift, variance=v))
    assert shifted.value == pytest.approx(base.value) and shifted.ci_low == pytest.approx(base.ci_low)


def test_difference_in_differences_without_variance_is_unknown() -> None:
    r = difference_in_differences(Estimate(10), Estimate(8, variance=1), Estimate(12, variance=1),
                                  Estimate(11, variance=1))
    assert r.value == -1 and math.isnan(r.ci_low) and r.method == "unknown"


# --- units and periods ---------------------------------------------------------------------------------

def test_unit_scale_and_inference() -> None:
    assert unit_scale("Prosent") == ("proportion", 100.0)
    assert unit_scale("per 100 000") == ("rate", 100000.0)
    assert unit_scale("per 1000 innbyggere") == ("rate", 1000.0)
    nan = np.array([np.nan])
    assert infer_kind("", np.array([12.0, 5.0]), np.array([10.0, 20.0]), np.array([1200.0, 250.0])) == ("rate", 1000.0)
    assert infer_kind("kroner", nan, nan, np.array([300000.0])) == ("value", 1.0)


def test_period_end() -> None:
    assert period_end("2024-02") == "2024-02-29"
    assert period_end("2019-03-15") == "2019-03-15"
    assert period_end("2020-Q4") == "2020-12-31"

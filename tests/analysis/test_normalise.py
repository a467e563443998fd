"""Normalisation methods against independent computations (pandas, scipy, by hand)."""

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from nabolag.analysis import normalise as norm


def test_decile_score_equals_pandas_qcut_for_distinct_values() -> None:
    rng = np.random.default_rng(1)
    x = rng.permutation(np.arange(1, 51, dtype=float)) * 1.7
    expected = pd.qcut(x, 10, labels=False) + 1  # pandas' decile classes, 1-10
    assert norm.decile_score(x).tolist() == expected.astype(float).tolist()
    # higher is better: the order reverses (1 = fewest problems = highest value)
    assert norm.decile_score(x, higher_is_better=True).tolist() == (11 - expected).astype(float).tolist()


def test_decile_score_with_population_weights_by_hand() -> None:
    # Sorted 1,2,3 with weights 10, 80, 10: shares at or below 10 %, 90 %, 100 % → deciles 1, 9, 10.
    assert norm.decile_score(np.array([2.0, 1.0, 3.0]), weights=np.array([80, 10, 10])).tolist() == [9.0, 1.0, 10.0]


def test_decile_score_equals_scipy_percentileofscore() -> None:
    x = np.round(np.random.default_rng(3).normal(10, 3, 96), 1)  # 96 zones, with ties
    expected = [np.ceil(stats.percentileofscore(x, v, kind="weak") / 10) for v in x]
    assert norm.decile_score(x).tolist() == expected


def test_ties_share_a_score() -> None:
    s = norm.decile_score(np.array([1.0, 2.0, 2.0, 3.0]))
    assert s[1] == s[2]


def test_zscore_matches_scipy() -> None:
    x = np.array([3.0, 7.0, 1.0, np.nan, 12.0])
    ok = np.isfinite(x)
    assert np.allclose(norm.zscore(x)[ok], stats.zscore(x[ok]))
    assert np.isnan(norm.zscore(x)[3])


def test_rank_matches_scipy_rankdata() -> None:
    x = np.array([5.0, 1.0, 5.0, 3.0, 9.0])
    assert np.allclose(norm.rank(x), stats.rankdata(x) / len(x))


def test_minmax_and_distance_by_hand() -> None:
    assert norm.minmax(np.array([10.0, 15.0, 20.0])).tolist() == [0.0, 0.5, 1.0]
    assert norm.distance_to_reference(np.array([4.0, 8.0]), 8.0).tolist() == [0.5, 1.0]


def test_truncate_matches_numpy_percentiles() -> None:
    x = np.arange(1.0, 101.0)
    t = norm.truncate(x, 5, 95)
    assert t.min() == np.percentile(x, 5) and t.max() == np.percentile(x, 95)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.one_of(st.none(), st.integers(0, 6)), min_size=3, max_size=3), min_size=1, max_size=30),
       st.lists(st.booleans(), min_size=3, max_size=3), st.booleans())
def test_column_versions_equal_one_column_at_a_time(rows: list[list[int | None]], hib: list[bool],
                                                    weighted: bool) -> None:
    """The vectorised matrix versions give exactly what the one-column functions give, ties, gaps,
    population weights and orientation included."""
    m = np.array([[np.nan if v is None else float(v) for v in r] for r in rows])
    w = np.arange(1.0, len(rows) + 1) if weighted else None
    h = np.array(hib)
    deciles = norm.decile_score_columns(m, h, w)
    z = norm.zscore_columns(m, h, w)
    for j in range(3):
        np.testing.assert_array_equal(deciles[:, j], norm.decile_score(m[:, j], hib[j], w))
        np.testing.assert_allclose(z[:, j], norm.zscore(m[:, j], hib[j], w), rtol=1e-9, atol=1e-12)

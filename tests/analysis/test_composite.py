"""Composite index: aggregation, missing data, geometric mean, ranks — checked by hand and with scipy."""

import numpy as np
import pytest
from scipy import stats

from nabolag.analysis.composite import aggregate, composite_index, rank_most_problems_first


def test_arithmetic_contributions_sum_to_the_index() -> None:
    m = np.array([[2.0, 4.0, 6.0], [1.0, 1.0, 1.0]])
    index, contrib = aggregate(m, np.array([1.0, 2.0, 1.0]))
    assert index.tolist() == [(2 + 8 + 6) / 4, 1.0]  # weighted mean by hand
    assert np.allclose(contrib.sum(axis=1), index)


def test_missing_components_are_reported_not_dropped() -> None:
    m = np.array([[2.0, np.nan], [3.0, 5.0]])
    strict, _ = aggregate(m, np.array([1.0, 1.0]), max_missing=0)
    assert np.isnan(strict[0]) and strict[1] == 4.0
    lenient, _ = aggregate(m, np.array([1.0, 1.0]), max_missing=1)
    assert lenient[0] == 2.0  # weights re-scaled over what the zone has
    r = composite_index(np.array([[1.0, np.nan], [2.0, 3.0], [3.0, 4.0]]), np.array([False, False]),
                        np.array([1.0, 1.0]))
    assert r.missing[0].tolist() == [False, True] and np.isnan(r.index[0]) and np.isnan(r.rank[0])


def test_geometric_aggregation_matches_scipy_gmean() -> None:
    m = np.array([[2.0, 8.0], [3.0, 3.0]])
    index, _ = aggregate(m, np.array([1.0, 3.0]), method="geometric")
    assert np.allclose(index, stats.gmean(m, axis=1, weights=np.array([[1.0, 3.0]] * 2)))
    with pytest.raises(ValueError, match="positive"):
        aggregate(np.array([[-1.0, 2.0]]), np.array([1.0, 1.0]), method="geometric")


def test_rank_ties_share_the_best_rank() -> None:
    assert rank_most_problems_first(np.array([1.0, 3.0, 3.0, 2.0])).tolist() == [4.0, 1.0, 1.0, 3.0]


def test_whole_index_by_hand_with_a_good_indicator() -> None:
    # Component 2 is "higher is better": zone 0 has the most problems on both.
    v = np.array([[9.0, 10.0], [5.0, 50.0], [1.0, 90.0], [3.0, 70.0], [7.0, 30.0]])
    r = composite_index(v, np.array([False, True]), np.array([1.0, 1.0]), normalisation="rank")
    # ranks by hand: comp1 (9,5,1,3,7) → 1.0, .6, .2, .4, .8 ; comp2 reversed (10,50,90,70,30) → same
    assert np.allclose(r.index, [1.0, 0.6, 0.2, 0.4, 0.8])
    assert r.rank.tolist() == [1.0, 3.0, 5.0, 4.0, 2.0]

"""Primary small-cell suppression: the mask is checked against thresholds written out by hand."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from nabolag.analysis.suppress import primary_suppression


def test_below_the_threshold_is_suppressed_and_at_it_is_not() -> None:
    n = np.array([0, 1, 4, 5, 6, 100, np.nan])
    assert primary_suppression(n, 5).tolist() == [True, True, True, False, False, False, False]


def test_a_threshold_per_cell() -> None:
    # Indicator thresholds differ: trygghet 10, the default 5, an indicator with 0 (publish everything).
    n = np.array([8, 8, 8, np.nan])
    thresholds = np.array([10, 5, 0, 10])
    assert primary_suppression(n, thresholds).tolist() == [True, False, False, False]


@given(st.lists(st.one_of(st.integers(0, 1000), st.none()), max_size=50), st.integers(0, 20))
def test_same_as_a_plain_loop(counts: list[int | None], threshold: int) -> None:
    # Independent: the rule spelled out one cell at a time.
    expected = [c is not None and c < threshold for c in counts]
    n = np.array([np.nan if c is None else c for c in counts], dtype=float)
    assert primary_suppression(n, threshold).tolist() == expected

"""Numbers, status symbols and periods as they come in Norwegian statistics files."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from nabolag.domain.observations import SYMBOLS, Status, normalise_period
from nabolag.domain.problems import Report
from nabolag.ingest.values import (
    clean_numbers,
    parse_optional,
    parse_periods,
    parse_values,
)


def _rows(n: int) -> pd.Series:
    return pd.Series(range(2, n + 2))


@pytest.mark.parametrize("text,number", [
    ("12,5", 12.5), ("12.5", 12.5), ("1 234,5", 1234.5), ("1\u00a0234,5", 1234.5), ("1,234.5", 1234.5),
    ("-0,3", -0.3), ("7", 7.0), (" 42 ", 42.0), ("1e3", 1000.0),
    ("1.234,5", 1234.5), ("12.345.678,9", 12345678.9), ("1,234,567.5", 1234567.5), ("\u22123,5", -3.5),
    ("1\u202f234", 1234.0),
])
def test_norwegian_and_english_number_formats(text: str, number: float) -> None:
    # Expected values written by hand: decimal comma, space or no-break space as thousands separator.
    values, status = parse_values(pd.Series([text]), _rows(1), rep := Report("f.csv"), "value", required=True)
    assert rep.ok
    assert values[0] == pytest.approx(number) and status[0] == Status.OK


def test_status_symbols_become_missing_with_their_reason_never_zero() -> None:
    text = pd.Series([".", "..", "...", ":", "-", "0"])
    values, status = parse_values(text, _rows(6), rep := Report("f.csv"), "value", required=True)
    assert rep.ok
    assert [math.isnan(v) for v in values] == [True] * 5 + [False]
    assert values[5] == 0.0  # a real zero stays a zero
    # SSB's table of symbols: https://www.ssb.no/en/help/symbols-in-tables
    assert list(status) == ["not_applicable", "not_available", "not_yet_available", "confidential", "nil", "ok"]


def test_text_and_empty_values_are_reported_with_row_field_expected_found() -> None:
    text = pd.Series(["12", "tolv", "", "3,4,5", "inf", "1.234.5"])
    rep = Report("levekar.csv")
    parse_values(text, _rows(6), rep, "value", required=True)
    got = {(p.row, p.found) for p in rep.errors}
    assert got == {(3, "tolv"), (4, ""), (5, "3,4,5"), (6, "inf"), (7, "1.234.5")}
    assert all(p.field == "value" and ". .. ... : -" in (p.expected or "") for p in rep.errors)


def test_optional_columns_accept_empty_and_symbols_but_not_text() -> None:
    rep = Report("f.csv")
    out = parse_optional(pd.Series(["", "..", "4", "fire", "2,5"]), _rows(5), rep, "n", integer=True)
    assert np.isnan(out[0]) and np.isnan(out[1]) and out[2] == 4
    assert [(p.row, p.field, p.found) for p in rep.errors] == [(5, "n", "fire"), (6, "n", "2,5")]


def test_many_bad_rows_are_summarised() -> None:
    rep = Report("f.csv")
    parse_values(pd.Series(["x"] * 250), _rows(250), rep, "value", required=True)
    assert len(rep.errors) == 201 and "50 rader til" in rep.errors[-1].message


@pytest.mark.parametrize("text,period", [
    ("2019", "2019"), ("2020_2022", "2020/2022"), ("2020-2022", "2020/2022"), ("2020/2022", "2020/2022"),
    ("2021_2021", "2021"), ("2019-03", "2019-03"), ("2019-03-01", "2019-03-01"), ("2021K3", "2021-Q3"),
    ("2021Q1", "2021-Q1"), (" 2019 ", "2019"),
])
def test_periods_are_normalised(text: str, period: str) -> None:
    assert normalise_period(text) == period


@pytest.mark.parametrize("text", ["19", "2022_2020", "år 2019", "", "2019-13-01x", "2019-13", "2019-02-30"])
def test_bad_periods(text: str) -> None:
    rep = Report("f.csv")
    parse_periods(pd.Series([text]), _rows(1), rep, "period")
    [p] = rep.errors
    assert (p.row, p.field, p.found) == (2, "period", text)


@given(st.decimals(min_value=-10**9, max_value=10**9, places=3, allow_nan=False, allow_infinity=False))
def test_decimal_comma_round_trip(d: object) -> None:
    # Independent formatter: Python's own str() of a Decimal, with the point swapped for a comma.
    text = str(d).replace(".", ",")
    assert float(clean_numbers(pd.Series([text])).iat[0]) == pytest.approx(float(str(d)))


def test_symbol_table_matches_ssb() -> None:
    assert set(SYMBOLS) == {".", "..", "...", ":", "-"}

"""Vectorised parsing of numbers, status symbols and periods, reporting each bad cell."""

from __future__ import annotations

import numpy as np
import pandas as pd

from nabolag.domain.observations import SYMBOLS, Status, normalise_period
from nabolag.domain.problems import Report
from nabolag.i18n import _

MAX_PER_CHECK = 200
#: Status symbols, and nabolag's own status names as its CSV and Excel exports write them.
STATUS_TEXT: dict[str, Status] = {**SYMBOLS, **{s.value: s for s in Status if s is not Status.OK}}


def parse_symbols(pairs: dict[str, str]) -> dict[str, Status]:
    """``{"-": "confidential"}`` → ``{"-": Status.CONFIDENTIAL}``; an unknown status is an error."""
    from nabolag.errors import InputError

    out = {}
    for symbol, name in pairs.items():
        try:
            out[symbol] = Status(name)
        except ValueError:
            raise InputError(_("--symbol {symbol}={name}: ukjent status; gyldige: {valid}", symbol=symbol,
                               name=name, valid=", ".join(s.value for s in Status if s is not Status.OK))) from None
    return out


def report_rows(report: Report, mask: np.ndarray, rows: pd.Series, message: str, field: str,
                expected: str, found: pd.Series | None = None) -> None:
    """Add one error per flagged row (at most ``MAX_PER_CHECK``, then a summary)."""
    idx = np.flatnonzero(mask)
    for i in idx[:MAX_PER_CHECK]:
        report.error(message, row=int(rows.iat[i]), field=field, expected=expected,
                     found=None if found is None else str(found.iat[i]))
    if len(idx) > MAX_PER_CHECK:
        report.error(_("… og {n} rader til med samme feil", n=len(idx) - MAX_PER_CHECK), field=field)


def clean_numbers(text: pd.Series) -> pd.Series:
    """'1 234,5' → '1234.5'; '1,234.5' → '1234.5'; '1.234,5' → '1234.5'; '−3' → '-3'.

    With both a comma and a point, the one that comes last is the decimal mark.
    """
    s = (text.str.strip().str.replace("\u00a0", "", regex=False).str.replace("\u202f", "", regex=False)
         .str.replace(" ", "", regex=False).str.replace("\u2212", "-", regex=False))
    both = s.str.contains(",", regex=False) & s.str.contains(".", regex=False)
    comma_last = both & (s.str.rfind(",") > s.str.rfind("."))
    s = s.where(~comma_last, s.str.replace(".", "", regex=False))
    s = s.where(~(both & ~comma_last), s.str.replace(",", "", regex=False))
    return s.str.replace(",", ".", regex=False)


def to_float(text: pd.Series) -> np.ndarray:
    """Numbers from stripped text; NaN where there is none. Plain numbers take the fast path, only
    the rest (decimal commas, thousands separators) goes through :func:`clean_numbers`."""
    numbers = pd.to_numeric(text, errors="coerce").to_numpy(dtype=float, copy=True)
    again = np.isnan(numbers) & (text != "").to_numpy()
    if again.any():
        numbers[again] = pd.to_numeric(clean_numbers(text[again]), errors="coerce").to_numpy(dtype=float)
    return numbers


def parse_values(text: pd.Series, rows: pd.Series, report: Report, field: str,
                 required: bool, symbols: dict[str, Status] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Return (values, statuses). Symbols . .. ... : - become NaN with their status, never 0.

    ``symbols`` overrides what a symbol means in this file (e.g. ``{"-": Status.CONFIDENTIAL}`` for a
    source that marks suppressed cells with «-»).
    """
    text = text.fillna("").astype(str).str.strip()
    status = text.map({**STATUS_TEXT, **(symbols or {})}).fillna(Status.OK).astype(str).to_numpy()
    is_symbol = status != Status.OK
    empty = (text == "").to_numpy()
    numbers = to_float(text)
    bad = ~is_symbol & ~empty & ~np.isfinite(numbers)
    report_rows(report, bad, rows, _("ikke et tall"), field,
                _("et tall eller et statussymbol (. .. ... : -)"), text)
    if required:
        report_rows(report, empty, rows, _("tom verdi"), field,
                    _("et tall eller et statussymbol (. .. ... : -)"), text)
    numbers[is_symbol | empty] = np.nan
    return numbers, status


def parse_optional(text: pd.Series, rows: pd.Series, report: Report, field: str,
                   integer: bool = False) -> np.ndarray:
    """Optional numeric column: empty or a symbol is NaN; anything else must be a number."""
    text = text.fillna("").astype(str).str.strip()
    empty = (text == "") | text.isin(list(STATUS_TEXT))
    numbers = to_float(text)
    bad = (~empty).to_numpy() & ~np.isfinite(numbers)
    if integer:
        bad |= np.isfinite(numbers) & (numbers != np.round(numbers))
    report_rows(report, bad, rows, _("ikke et heltall") if integer else _("ikke et tall"), field,
                _("et heltall") if integer else _("et tall"), text)
    numbers[empty.to_numpy()] = np.nan
    return numbers


def parse_periods(text: pd.Series, rows: pd.Series, report: Report, field: str) -> np.ndarray:
    uniques = pd.unique(text.fillna("").astype(str))
    mapping = {u: normalise_period(u) for u in uniques}
    periods = text.fillna("").astype(str).map(mapping)
    bad = periods.isna().to_numpy()
    report_rows(report, bad, rows, _("ugyldig periode"), field,
                _("år (2019), årsintervall (2020_2022), dato eller kvartal"), text)
    return periods.fillna("").to_numpy(dtype=object)

"""The one tidy shape all data becomes, and the rules for periods, groups and status."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum


class Status(StrEnum):
    """Why a value is or is not there. Missing values are never zeros."""

    OK = "ok"
    NOT_APPLICABLE = "not_applicable"  # SSB "."
    NOT_AVAILABLE = "not_available"  # SSB ".."
    NOT_YET_AVAILABLE = "not_yet_available"  # SSB "..."
    CONFIDENTIAL = "confidential"  # SSB ":" (suppressed at source)
    NIL = "nil"  # SSB "-": reported as nil; kept as a symbol, not as 0
    SUPPRESSED = "suppressed"  # suppressed by nabolag (small cells)


#: SSB's and FHI's status symbols (https://www.ssb.no/en/help/symbols-in-tables).
SYMBOLS: dict[str, Status] = {
    ".": Status.NOT_APPLICABLE,
    "..": Status.NOT_AVAILABLE,
    "...": Status.NOT_YET_AVAILABLE,
    ":": Status.CONFIDENTIAL,
    "-": Status.NIL,
}

_YEAR = re.compile(r"^(\d{4})$")
_YEAR_RANGE = re.compile(r"^(\d{4})\s*[_/–-]\s*(\d{4})$")
_DATE = re.compile(r"^\d{4}-\d{2}(-\d{2})?$")
_QUARTER = re.compile(r"^(\d{4})\s*[-_ ]?[Kk]([1-4])$|^(\d{4})\s*[-_ ]?[Qq]([1-4])$")


def normalise_period(text: object) -> str | None:
    """Return an ISO period (``2019``, ``2020/2022``, ``2019-03``, ``2019-03-01``,
    ``2019-Q1``) or ``None`` if ``text`` is not one.

    >>> normalise_period("2020_2022"), normalise_period(2019.0), normalise_period("2021K3")
    ('2020/2022', '2019', '2021-Q3')
    """
    if text is None:
        return None
    if isinstance(text, float):
        if text != text or not text.is_integer():
            return None
        text = int(text)
    s = str(text).strip()
    if m := _YEAR.match(s):
        return m.group(1)
    if m := _YEAR_RANGE.match(s):
        a, b = m.group(1), m.group(2)
        return a if a == b else (f"{a}/{b}" if a < b else None)
    if _DATE.match(s):
        try:  # 2019-13 or 2019-02-30 is not a period
            dt.date.fromisoformat(s if len(s) == 10 else s + "-01")
        except ValueError:
            return None
        return s
    if m := _QUARTER.match(s):
        year, q = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        return f"{year}-Q{q}"
    return None


def period_start_year(period: str) -> int:
    """First year of a normalised period."""
    return int(period[:4])


def groups_key(groups: dict[str, str] | None) -> str:
    """Canonical text of a disaggregation: ``age=18-66;gender=female``; ``""`` for the total."""
    if not groups:
        return ""
    return ";".join(f"{k}={v}" for k, v in sorted(groups.items()) if v not in (None, "", "total"))


def parse_groups(key: str) -> dict[str, str]:
    return dict(part.split("=", 1) for part in key.split(";") if part) if key else {}


@dataclass(frozen=True)
class Observation:
    """``(indicator, zone or area, period, groups, value, numerator, denominator, n, ci, status, source)``."""

    indicator_code: str
    period: str
    value: float | None
    zone_code: str | None = None
    area_code: str | None = None
    groups: str = ""
    numerator: float | None = None
    denominator: float | None = None
    n: int | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    status: Status = Status.OK
    source: str = ""

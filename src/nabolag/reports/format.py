"""Figures as a report prints them: decimal comma in bokmål, no decimals for counts, intervals."""

from __future__ import annotations

import math

from babel.numbers import format_decimal

from nabolag.i18n import _, get_language
from nabolag.services.export import COUNT_UNITS  # counts: printed without decimals, as exported

LOCALES = {"nb": "nb_NO", "en": "en_GB"}


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and not math.isfinite(value))


def number(value: object, unit: str = "", digits: int = 1) -> str:
    """``12,3`` in bokmål and ``12.3`` in English; no decimals for a count unit; ``""`` when missing.

    >>> number(1234.56, "prosent")
    '1\\xa0234,6'
    >>> number(0.0304, "prosent")
    '0,030'
    """
    if _missing(value):
        return ""
    places = 0 if unit.strip().lower() in COUNT_UNITS else digits
    size = abs(float(value))  # type: ignore[arg-type]
    if places and 0 < size < 0.1:  # 0,030 %, not 0,0 %: a small figure keeps two significant digits
        places = max(places, 1 - math.floor(math.log10(size)))
    pattern = "#,##0" + ("." + "0" * places if places else "")
    return str(format_decimal(float(value), format=pattern,  # type: ignore[arg-type]
                              locale=LOCALES.get(get_language(), "nb_NO")))


def signed(value: object, unit: str = "", digits: int = 1) -> str:
    """A change: ``+1,2`` or ``−1,2`` (a real minus sign); ``""`` when missing."""
    text = number(value, unit, digits)
    if not text:
        return ""
    if text.startswith("-"):
        return "\u2212" + text[1:]
    return text if float(value) == 0 else "+" + text  # type: ignore[arg-type]


def interval(low: object, high: object, unit: str = "", digits: int = 1) -> str:
    """«4,1–5,4», or «−0,7 til −0,1» when a limit is negative (a dash beside a minus misleads)."""
    if _missing(low) or _missing(high):
        return ""
    a, b = number(low, unit, digits), number(high, unit, digits)
    if float(low) < 0 or float(high) < 0:  # type: ignore[arg-type]
        a, b = a.replace("-", "\u2212"), b.replace("-", "\u2212")
        return _("{low} til {high}", low=a, high=b)
    return f"{a}\u2013{b}"

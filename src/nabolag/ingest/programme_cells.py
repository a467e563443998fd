"""Reading one cell of a programme table (CSV, Excel or a GeoJSON property) and writing it back the same
way, so that an export imports again unchanged. Every bad cell becomes an error naming row and column.

Lists are separated by ``;`` (or new lines); a list item's parts by ``:``. Dates are ISO
(``2024-05-01``; Excel date cells are accepted); numbers may use a decimal comma.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from enum import StrEnum

from nabolag.domain.problems import Report
from nabolag.i18n import _

_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[ T]00:00:00(?:\.0+)?)?$")


class Cells:
    """The cells of one row; each getter returns a value or records an error and returns a default."""

    def __init__(self, values: dict[str, object], report: Report, row: int | None) -> None:
        self.values = values
        self.report = report
        self.row = row
        self.errors = 0

    def error(self, field: str, message: str, expected: str | None = None, found: object = None) -> None:
        self.errors += 1
        self.report.error(message, row=self.row, field=field, expected=expected,
                          found=None if found is None else str(found))

    def raw(self, name: str) -> object:
        v = self.values.get(name)
        return None if v is None or (isinstance(v, float) and math.isnan(v)) else v

    def text(self, name: str, required: bool = False) -> str:
        v = self.raw(name)
        text = "" if v is None else str(v).strip()
        if required and not text:
            self.error(name, _("mangler verdi"), expected=_("en verdi"))
        return text

    def date(self, name: str, required: bool = False) -> dt.date | None:
        text = self.text(name, required)
        if not text:
            return None
        m = _DATE.match(text)
        try:
            return dt.date.fromisoformat(m.group(1)) if m else _bad_date()
        except ValueError:
            self.error(name, _("ugyldig dato"), expected="YYYY-MM-DD", found=text)
            return None

    def number(self, name: str) -> float | None:
        v = self.raw(name)
        if isinstance(v, int | float):
            return float(v)
        text = self.text(name).replace("\u00a0", "").replace(" ", "").replace("\u2212", "-")
        if not text:
            return None
        try:
            value = float(text.replace(",", ".") if text.count(",") == 1 and "." not in text else text)
        except ValueError:
            value = math.nan
        if not math.isfinite(value):
            self.error(name, _("ikke et tall"), expected=_("et tall"), found=text)
            return None
        return value

    def integer(self, name: str, text: str | None = None) -> int | None:
        text = self.text(name) if text is None else text.strip()
        if not text:
            return None
        try:
            value = float(text)
            if value.is_integer() and value >= 0:
                return int(value)
        except ValueError:
            pass
        self.error(name, _("ikke et heltall"), expected=_("et heltall (0 eller mer)"), found=text)
        return None

    def items(self, name: str) -> tuple[str, ...]:
        v = self.raw(name)
        if isinstance(v, list):
            return tuple(str(x).strip() for x in v if str(x).strip())
        return split_items(self.text(name))

    def choice(self, name: str, cls: type[StrEnum], default: StrEnum | None = None) -> StrEnum | None:
        text = self.text(name, required=default is None)
        if not text:
            return default
        try:
            return cls(text)
        except ValueError:
            self.error(name, _("ukjent verdi"), expected=", ".join(str(x) for x in cls), found=text)
            return default


def _bad_date() -> dt.date:
    raise ValueError("not an ISO date")


def split_items(text: str) -> tuple[str, ...]:
    """``"a; b\\nc"`` → ``("a", "b", "c")``.

    >>> split_items("ammerud-vel; bydel-grorud")
    ('ammerud-vel', 'bydel-grorud')
    """
    return tuple(x.strip() for x in re.split(r"[;\n]", text) if x.strip())


def join_items(items: object) -> str:
    return "; ".join(str(x) for x in items)  # type: ignore[attr-defined]


def fmt_date(d: dt.date | None) -> str:
    return d.isoformat() if d else ""


def fmt_number(v: float | int | None) -> str:
    if v is None:
        return ""
    return str(int(v)) if float(v).is_integer() else repr(float(v))


def parse_date(c: Cells, name: str, text: str) -> dt.date | None:
    """A date inside a list item (an error names the column)."""
    text = text.strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        c.error(name, _("ugyldig dato"), expected="YYYY-MM-DD", found=text)
        return None

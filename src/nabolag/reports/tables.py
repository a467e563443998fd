"""Cells and footnotes of report tables, as the ``_macros.html`` table macro reads them.

A cell is a dict: ``value`` (a float or None), ``unit``, ``ci_low``/``ci_high``, ``signed`` (a change,
printed with its sign), ``digits``, ``suppressed`` (small-cell protection hid it: the mark ``:`` and a
footnote), ``note`` (the footnote's number), ``reason`` and ``text`` (words instead of a number).
"""

from __future__ import annotations

from nabolag.services.views_common import num


class Notes:
    """The footnotes of one table: the same text gets the same number."""

    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, text: str) -> int | None:
        if not text:
            return None
        if text not in self.items:
            self.items.append(text)
        return self.items.index(text) + 1


def cell(value: object, unit: str = "", low: object = None, high: object = None, *, signed: bool = False,
         digits: int = 1, suppressed: bool = False, reason: str = "", notes: Notes | None = None,
         note: str = "") -> dict[str, object]:
    """A number with its interval; when ``suppressed`` the value is dropped (it must not reach the page)
    and ``reason`` becomes a footnote."""
    hidden = bool(suppressed)
    number = None if hidden else num(value)
    text = reason if hidden else note
    ref = notes.add(text) if notes is not None and text else None
    return {"value": number, "unit": unit, "ci_low": None if hidden else num(low),
            "ci_high": None if hidden else num(high), "signed": signed, "digits": digits,
            "suppressed": hidden, "reason": reason if hidden else "", "note": ref, "text": None}


def text_cell(text: str, note: str = "", notes: Notes | None = None) -> dict[str, object]:
    """Words in a cell (a verdict, a period), with an optional footnote."""
    ref = notes.add(note) if notes is not None and note else None
    return {"value": None, "text": text, "note": ref, "suppressed": False}

"""Shared steps of the programme commands: options parsed the way the import files are, and output."""

from __future__ import annotations

import datetime as dt
import json
from enum import StrEnum

import typer
from rich.markup import escape
from rich.table import Table

from nabolag.cli.common import console
from nabolag.domain.problems import Report
from nabolag.errors import InputError
from nabolag.i18n import _
from nabolag.ingest.programme import READERS
from nabolag.ingest.programme_cells import Cells


def parse(kind: str, values: dict[str, object], area_code: str) -> object:
    """Read command-line options as one row of a programme table (same rules and messages as an import)."""
    report = Report(_("kommandolinjen"))
    obj = READERS[kind](Cells(values, report, None), area_code)  # type: ignore[operator]
    report.raise_if_errors()
    return obj


def choice(cls: type[StrEnum], text: str, name: str) -> StrEnum:
    try:
        return cls(text)
    except ValueError:
        raise InputError(_("{name}: ukjent verdi «{value}»; forventet {valid}", name=name, value=text,
                           valid=", ".join(str(x) for x in cls))) from None


def iso_date(text: str, name: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise InputError(_("{name}: ugyldig dato «{value}»; forventet YYYY-MM-DD", name=name, value=text)) from None


def joined(items: list[str] | None) -> str:
    return "; ".join(items or [])


def table(title: str, headers: list[str], rows: list[list[object]]) -> None:
    t = Table(title=title)
    for h in headers:
        t.add_column(h, overflow="fold")
    for r in rows:
        t.add_row(*[escape("" if v is None else str(v)) for v in r])
    console.print(t)


def print_json(data: object) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=1, default=str))


def done(message: str) -> None:
    console.print(escape(message), highlight=False)

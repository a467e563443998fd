"""Read CSV and Excel files as text columns (codes keep their leading zeros)."""

from __future__ import annotations

import codecs
import csv
import re
import zipfile
from pathlib import Path

import pandas as pd

from nabolag.domain.problems import Problem, Report
from nabolag.errors import InputError
from nabolag.i18n import _

EXCEL_SUFFIXES = {".xlsx", ".xlsm"}


def read_table(path: Path, report: Report, sheet: str | None = None) -> pd.DataFrame:
    """Read a CSV (delimiter sniffed: , ; tab |) or an Excel sheet with every cell as text.

    Row numbers in problems are the file's own line numbers (header = 1).
    """
    if path.suffix.lower() in EXCEL_SUFFIXES:
        df = _read_excel(path, sheet)
    else:
        df = _read_csv(path, report)
    df.columns = [str(c).strip() for c in df.columns]
    if df.empty:
        raise InputError(_("{file}: ingen datarader etter overskriften", file=str(path)),
                         [Problem(str(path), _("ingen datarader"), row=2, expected=_("minst én rad"))])
    report.rows = len(df)
    return df


def _check_header(names: list[object], path: Path) -> None:
    """Refuse a header that uses a name twice (pandas would silently rename the second «value.1»)."""
    clean = [str(n).strip() for n in names if str(n).strip() not in ("", "nan", "None")]
    dupes = sorted({c for c in clean if clean.count(c) > 1})
    if dupes:
        raise InputError(_("{file}: kolonnenavn brukt flere ganger: {cols}", file=str(path), cols=", ".join(dupes)),
                         [Problem(str(path), _("kolonnenavn brukt flere ganger"), row=1, field=", ".join(dupes),
                                  expected=_("én kolonne per navn"))])


def _sniff(sample: str) -> str:
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        return ","


def _encoding(path: Path) -> tuple[str, int | None, bool]:
    """Check the whole file (not only its head): ``("utf-8-sig", None, False)`` if it is UTF-8, else
    ``("latin-1", first line that is not, whether UTF-8 letters came before it)``."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    line, seen_utf8 = 1, False
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            try:
                decoder.decode(block)
            except UnicodeDecodeError as exc:
                before = block[:exc.start]
                return "latin-1", line + before.count(b"\n"), seen_utf8 or max(before, default=0) >= 0x80
            line += block.count(b"\n")
            seen_utf8 = seen_utf8 or max(block) >= 0x80
    return "utf-8-sig", None, False


def _read_csv(path: Path, report: Report) -> pd.DataFrame:
    encoding, bad_line, mixed = _encoding(path)
    if mixed:
        raise InputError(_("{file}: tegnkoding blandet; lagre filen som UTF-8", file=str(path)),
                         [Problem(str(path), _("tegnkoding blandet; lagre filen som UTF-8"), row=bad_line,
                                  expected="UTF-8")])
    if bad_line is not None:
        report.warning(_("filen er ikke UTF-8; lest som ISO-8859-1 (latin-1)"), row=bad_line)
    with path.open(encoding=encoding) as fh:
        head = fh.read(65536)
    if "\x00" in head:
        raise InputError(_("{file}: ser ut som en binærfil, ikke CSV", file=str(path)),
                         [Problem(str(path), _("binært innhold"), row=1, expected="CSV")])
    first_line = head.splitlines()[0] if head else ""
    sep = _sniff(head) if head.count("\n") else _sniff(first_line)
    _check_header(next(csv.reader([first_line], delimiter=sep), []), path)
    try:
        return pd.read_csv(path, sep=sep, dtype=str, keep_default_na=False, encoding=encoding,
                           skipinitialspace=False, engine="c")
    except UnicodeDecodeError as exc:
        raise InputError(_("{file}: tegnkoding blandet; lagre filen som UTF-8", file=str(path))) from exc
    except pd.errors.EmptyDataError as exc:
        raise InputError(_("{file}: ingen kolonner funnet", file=str(path)),
                         [Problem(str(path), _("tom eller uten overskrift"), row=1)]) from exc
    except pd.errors.ParserError as exc:
        row = _line_from(str(exc))
        quote = "inside string" in str(exc)
        raise InputError(
            _("{file}: kan ikke leses som CSV", file=str(path)),
            [Problem(str(path), _("anførselstegn som aldri lukkes (ødelagt eller avkuttet fil?)") if quote
                     else _("feil antall felt (ødelagt eller avkuttet fil?)"), row=row,
                     expected=_("et avsluttende anførselstegn") if quote
                     else _("samme antall felt som overskriften"), found=str(exc).strip())],
        ) from exc


def _line_from(message: str) -> int | None:
    """File line from pandas' parser message: "line 3" is a line, "row 2" counts from 0 (header = 0)."""
    m = re.search(r"line (\d+)", message)
    if m:
        return int(m.group(1))
    m = re.search(r"row (\d+)", message)
    return int(m.group(1)) + 1 if m else None


def _read_excel(path: Path, sheet: str | None) -> pd.DataFrame:
    try:
        header = pd.read_excel(path, sheet_name=sheet or 0, dtype=str, keep_default_na=False,
                               engine="openpyxl", header=None, nrows=1)
        _check_header(header.iloc[0].tolist() if len(header) else [], path)
        return pd.read_excel(path, sheet_name=sheet or 0, dtype=str, keep_default_na=False,
                             engine="openpyxl")
    except (zipfile.BadZipFile, KeyError, OSError) as exc:
        raise InputError(_("{file}: ikke en gyldig Excel-fil (.xlsx)", file=str(path)),
                         [Problem(str(path), _("ødelagt Excel-fil"), expected=".xlsx", found=str(exc))]) from exc
    except ValueError as exc:
        raise InputError(_("{file}: {error}", file=str(path), error=str(exc))) from exc

"""Read a table of code changes (``from_year,to_year,level,from_id,to_id,change_type``)."""

from __future__ import annotations

from pathlib import Path

from nabolag.domain.problems import Report
from nabolag.domain.zones import Transition
from nabolag.errors import InputError
from nabolag.i18n import _
from nabolag.ingest.tables import read_table

REQUIRED = ("from_year", "to_year", "level", "from_id", "to_id", "change_type")
CHANGE_TYPES = ("merge", "split", "renumbered", "rename")


def read_transitions(path: Path) -> tuple[list[Transition], Report]:
    report = Report(str(path))
    frame = read_table(path, report)
    missing = [c for c in REQUIRED if c not in frame.columns]
    if missing:
        raise InputError(_("{file}: mangler kolonnene {cols}; fant {found}", file=str(path),
                           cols=", ".join(missing), found=", ".join(frame.columns)))
    out = []
    for i, rec in enumerate(frame.to_dict("records")):
        row = i + 2
        years = []
        for f in ("from_year", "to_year"):
            text = str(rec[f]).strip()
            if not (text.isdigit() and len(text) == 4):
                report.error(_("ikke et årstall"), row=row, field=f, expected="YYYY", found=text)
            else:
                years.append(int(text))
        change = str(rec["change_type"]).strip()
        if change not in CHANGE_TYPES:
            report.error(_("ukjent endringstype"), row=row, field="change_type",
                         expected=", ".join(CHANGE_TYPES), found=change)
        a, b = str(rec["from_id"]).strip(), str(rec["to_id"]).strip()
        if not a or not b:
            report.error(_("tom kode"), row=row, field="from_id" if not a else "to_id", found="")
        if len(years) == 2 and change in CHANGE_TYPES and a and b:
            out.append(Transition(level=str(rec["level"]).strip(), from_code=a, to_code=b,
                                  from_year=years[0], to_year=years[1], change_type=change))
    report.raise_if_errors()
    return out, report

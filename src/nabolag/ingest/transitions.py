"""Read a table of code changes (``from_year,to_year,level,from_id,to_id,change_type``)."""

from __future__ import annotations

from pathlib import Path

from nabolag.domain.problems import Report
from nabolag.domain.zones import CODE_MAX_LENGTH, Transition
from nabolag.errors import InputError
from nabolag.i18n import _
from nabolag.ingest.tables import read_table

REQUIRED = ("from_year", "to_year", "level", "from_id", "to_id", "change_type")
CHANGE_TYPES = ("merge", "split", "renumbered", "rename")
LEVEL_MAX_LENGTH = 20  # code_transition.level VARCHAR(20)


def read_transitions(path: Path) -> tuple[list[Transition], Report]:
    report = Report(str(path))
    frame = read_table(path, report)
    missing = [c for c in REQUIRED if c not in frame.columns]
    if missing:
        raise InputError(_("{file}: mangler kolonnene {cols}; fant {found}", file=str(path),
                           cols=", ".join(missing), found=", ".join(frame.columns)))
    out = []
    seen: dict[tuple[str, str, str, int], int] = {}
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
        level = str(rec["level"]).strip()
        if not a or not b:
            report.error(_("tom kode"), row=row, field="from_id" if not a else "to_id", found="")
        long = [(f, v, n) for f, v, n in (("from_id", a, CODE_MAX_LENGTH), ("to_id", b, CODE_MAX_LENGTH),
                                          ("level", level, LEVEL_MAX_LENGTH)) if len(v) > n]
        for f, v, n in long:
            report.error(_("for lang verdi"), row=row, field=f, expected=_("høyst {n} tegn", n=n), found=v)
        if len(years) == 2 and change in CHANGE_TYPES and a and b and not long:
            key = (level, a, b, years[1])
            if key in seen:  # the store keeps one row per key; a second would break the import
                report.error(_("samme kodeendring som rad {other}", other=seen[key]), row=row,
                             field="from_id", found=f"{a}→{b} ({years[1]})")
                continue
            seen[key] = row
            out.append(Transition(level=level, from_code=a, to_code=b,
                                  from_year=years[0], to_year=years[1], change_type=change))
    report.raise_if_errors()
    return out, report

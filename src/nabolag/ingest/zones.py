"""Read zones from geodata (with geometry) or from CSV/Excel (code, name, level, parent)."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from nabolag.domain.problems import Report
from nabolag.domain.zones import CODE_MAX_LENGTH, NAME_MAX_LENGTH, Level, Zone
from nabolag.errors import InputError
from nabolag.i18n import _
from nabolag.ingest import geo
from nabolag.ingest.tables import read_table

CODE_GUESSES = ("code", "kode", "zone", "sone", "grunnkretsnummer", "delbydel_code", "bydel_code",
                "kommunenummer", "levekarssone", "regionnummer")
NAME_GUESSES = ("name", "navn", "grunnkretsnavn", "delbydel_name", "bydel_name", "kommunenavn", "regionnavn")
LEVEL_BY_LENGTH = {2: Level.FYLKE, 4: Level.KOMMUNE, 6: Level.BYDEL, 8: Level.GRUNNKRETS, 10: Level.DELBYDEL}


@dataclass(frozen=True)
class ZoneOptions:
    code_field: str | None = None
    name_field: str | None = None
    parent_field: str | None = None
    level: str | None = None
    level_field: str | None = None
    layer: str | None = None
    crs: str | None = None
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None


def read_zones(path: Path, opts: ZoneOptions) -> tuple[list[Zone], Report]:
    """Validate every feature/row and return the zones, or raise :class:`InputError` with all problems."""
    report = Report(str(path))
    if opts.valid_from and opts.valid_to and opts.valid_to < opts.valid_from:
        raise InputError(_("{file}: --valid-to ({to}) er før --valid-from ({start})", file=str(path),
                           to=opts.valid_to, start=opts.valid_from))
    if geo.is_geo_file(path):
        gdf = geo.read_layer(path, report, layer=opts.layer, crs=opts.crs)
        frame = pd.DataFrame(gdf.drop(columns=gdf.geometry.name))
        first_row = 1  # features are numbered from 1
    else:
        gdf = None
        frame = read_table(path, report)
        first_row = 2  # line 1 is the header
    code_f = _field(frame, opts.code_field, CODE_GUESSES, "--code-field", str(path), report)
    name_f = _field(frame, opts.name_field, NAME_GUESSES, "--name-field", str(path), report)
    for f, flag in ((opts.parent_field, "--parent-field"), (opts.level_field, "--level-field")):
        if f and f not in frame.columns:
            raise InputError(_("{file}: feltet «{field}» ({flag}) finnes ikke; felt i filen: {fields}",
                               file=str(path), field=f, flag=flag, fields=", ".join(map(str, frame.columns))))
    codes = frame[code_f].map(_text)
    names = frame[name_f].map(_text)
    parents = frame[opts.parent_field].map(_text) if opts.parent_field else pd.Series([""] * len(frame))
    geoms: list[bytes | None] = [None] * len(frame)
    source_crs = None
    if gdf is not None:
        repaired = geo.repair_geometries(gdf, report, labels=codes.tolist())
        source_crs = geo.crs_label(gdf)
        geoms = geo.to_wkb_4326(repaired)
        if source_crs != geo.STORE_CRS:
            report.info(_("reprojisert fra {crs} til {store}", crs=source_crs, store=geo.STORE_CRS))
    zones: list[Zone] = []
    seen: dict[str, int] = {}
    for i in range(len(frame)):
        row = i + first_row
        code, name = codes.iat[i], names.iat[i]
        if not code:
            report.error(_("tom sonekode"), row=row, field=code_f, expected=_("en kode"), found="")
            continue
        if code in seen:
            report.error(_("sonekoden finnes allerede i rad {other}", other=seen[code]), row=row,
                         field=code_f, found=code)
            continue
        seen[code] = row
        if not name:
            report.error(_("tomt navn"), row=row, field=name_f, expected=_("et navn"), found="")
            continue
        if not _fits(report, row, ((code_f, code, CODE_MAX_LENGTH), (name_f, name, NAME_MAX_LENGTH),
                                   (opts.parent_field, parents.iat[i], CODE_MAX_LENGTH))):
            continue
        level = _level(frame, i, code, opts, report, row)
        if level is None:
            continue
        zones.append(Zone(code=code, name=name, level=level, parent_code=parents.iat[i] or None,
                          geometry=geoms[i], source_crs=source_crs, valid_from=opts.valid_from,
                          valid_to=opts.valid_to))
    report.raise_if_errors()
    return zones, report


def _fits(report: Report, row: int, checks: tuple[tuple[str | None, str, int], ...]) -> bool:
    """Report each value longer than the store keeps (PostgreSQL would refuse it, SQLite keep it)."""
    ok = True
    for field, value, limit in checks:
        if field and len(value) > limit:
            report.error(_("for lang verdi"), row=row, field=field, expected=_("høyst {n} tegn", n=limit),
                         found=value)
            ok = False
    return ok


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _field(frame: pd.DataFrame, given: str | None, guesses: tuple[str, ...], flag: str, file: str,
           report: Report) -> str:
    cols = [str(c) for c in frame.columns]
    if given:
        if given not in cols:
            raise InputError(_("{file}: feltet «{field}» ({flag}) finnes ikke; felt i filen: {fields}",
                               file=file, field=given, flag=flag, fields=", ".join(cols)))
        return given
    lower = {c.lower(): c for c in cols}
    for g in guesses:
        if g in lower:
            report.info(_("bruker feltet «{field}» ({flag})", field=lower[g], flag=flag))
            return lower[g]
    raise InputError(_("{file}: fant ikke feltet; angi {flag}. Felt i filen: {fields}",
                       file=file, flag=flag, fields=", ".join(cols)))


def _level(frame: pd.DataFrame, i: int, code: str, opts: ZoneOptions, report: Report, row: int) -> Level | None:
    text = opts.level or (_text(frame[opts.level_field].iat[i]) if opts.level_field else "")
    if text:
        try:
            return Level.parse(text)
        except ValueError:
            report.error(_("ukjent nivå"), row=row, field=opts.level_field or "--level",
                         expected=", ".join(lv.value for lv in Level), found=text)
            return None
    guessed = LEVEL_BY_LENGTH.get(len(code)) if code.isdigit() else None
    if guessed is None:
        report.error(_("kan ikke se nivået av koden; angi --level"), row=row, found=code,
                     expected=", ".join(lv.value for lv in Level))
    return guessed

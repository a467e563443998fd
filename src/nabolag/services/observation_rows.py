"""Turn the standard text frame of any statistics reader into typed, resolved observation rows."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from nabolag.domain.codes import CodeResolver
from nabolag.domain.observations import Status
from nabolag.domain.problems import Report
from nabolag.errors import InputError
from nabolag.i18n import _
from nabolag.ingest.values import (
    parse_optional,
    parse_periods,
    parse_values,
    report_rows,
)

GROUPS_MAX = 300


@dataclass
class Lookups:
    """What validation needs from the store, read once before validating."""

    zone_ids: dict[str, int]
    area_ids: dict[str, int]
    indicator_ids: dict[str, int]
    indicator_units: dict[str, str]
    resolver: CodeResolver
    zone_code_lengths: set[int] = field(default_factory=set)


def prepare_rows(frame: pd.DataFrame, report: Report, lk: Lookups,
                 symbols: dict[str, Status] | None = None) -> pd.DataFrame:
    """Validate every row; return typed columns (ids, period, groups, numbers, status, row)."""
    _require_columns(frame, report)
    rows = frame["row"]
    place = "zone" if "zone" in frame.columns else "area"
    out = pd.DataFrame({"row": rows.to_numpy()})
    out["indicator_id"] = _lookup(frame["indicator"], lk.indicator_ids, rows, report, "indicator",
                                  _("ukjent indikator; definer den med «nabolag import indicators»"))
    if place == "zone":
        out["zone_id"] = _zones(frame["zone"], lk, rows, report)
        out["area_id"] = np.nan
    else:
        out["area_id"] = _lookup(frame["area"], lk.area_ids, rows, report, "area", _("ukjent område"))
        out["zone_id"] = np.nan
    out["period"] = parse_periods(frame["period"], rows, report, "period")
    value_text = frame["value"].fillna("").astype(str)
    if "status" in frame.columns:
        value_text = value_text.where(value_text.str.strip() != "", frame["status"].fillna("").astype(str))
    out["value"], out["status"] = parse_values(value_text, rows, report, "value", required=True,
                                                symbols=symbols)
    for col in ("numerator", "denominator", "ci_low", "ci_high"):
        out[col] = parse_optional(frame[col], rows, report, col) if col in frame.columns else np.nan
    out["n"] = parse_optional(frame["n"], rows, report, "n", integer=True) if "n" in frame.columns else np.nan
    out["groups"] = _groups(frame)
    too_long = out["groups"].str.len().to_numpy() > GROUPS_MAX  # the column's width in the database
    report_rows(report, too_long, rows, _("gruppenøkkelen er for lang"), "groups",
                _("høyst {n} tegn", n=GROUPS_MAX), out["groups"])
    out["source"] = frame["source"].fillna("").astype(str).str.slice(0, 300).to_numpy() \
        if "source" in frame.columns else ""
    _check_consistency(out, rows, report)
    if "unit" in frame.columns:
        _check_units(frame, lk, rows, report)
    _check_duplicates(out, rows, report, place)
    return out


def _require_columns(frame: pd.DataFrame, report: Report) -> None:
    missing = [t for t in ("indicator", "period", "value") if t not in frame.columns]
    places = [t for t in ("zone", "area") if t in frame.columns]
    if not places:
        missing.append("zone")
    if len(places) == 2:
        raise InputError(_("{file}: både zone og area er angitt; en rad gjelder én av dem", file=report.file))
    if missing:
        found = [c for c in frame.columns if c != "row"]
        raise InputError(_("{file}: mangler {targets}; angi med --map mål=kolonne eller --set mål=verdi. "
                           "Fant: {found}", file=report.file, targets=", ".join(missing), found=", ".join(found)))


def _lookup(codes: pd.Series, ids: dict[str, int], rows: pd.Series, report: Report, fld: str,
            message: str) -> np.ndarray:
    text = codes.fillna("").astype(str).str.strip()
    mapped = text.map(ids)
    report_rows(report, mapped.isna().to_numpy(), rows, message, fld, _("en kjent kode"), text)
    return mapped.to_numpy(dtype=float)


def _zones(codes: pd.Series, lk: Lookups, rows: pd.Series, report: Report) -> np.ndarray:
    text = codes.fillna("").astype(str).str.strip()
    mapping: dict[str, float] = {}
    for code in pd.unique(text):
        res = lk.resolver.resolve(code)
        if res.code is not None:
            mapping[code] = lk.zone_ids[res.code]
            if res.code != code:
                report.info(_("sonekode {old} overført til {new}: {steps}", old=code, new=res.code,
                              steps="; ".join(res.steps)), field="zone")
            continue
        mask = (text == code).to_numpy()
        hint = res.problem or _hint_leading_zero(code, lk)
        report_rows(report, mask, rows, _("ukjent sone") + (f" ({hint})" if hint else ""), "zone",
                    _("en kjent sonekode"), text)
    return text.map(mapping).to_numpy(dtype=float)


def _hint_leading_zero(code: str, lk: Lookups) -> str:
    for width in sorted(lk.zone_code_lengths):
        if code.isdigit() and len(code) < width and code.zfill(width) in lk.zone_ids:
            return _("mistet ledende null? {code} finnes", code=code.zfill(width))
    return ""


def _groups(frame: pd.DataFrame) -> np.ndarray:
    parts = []
    if "groups" in frame.columns:
        parts.append(frame["groups"].fillna("").astype(str))
    for col in sorted(c for c in frame.columns if str(c).startswith("group.")):
        values = frame[col].fillna("").astype(str).str.strip()
        parts.append(("" + col[6:] + "=" + values).where(~values.isin(["", "total", "Total", "I alt"]), ""))
    if not parts:
        return np.array([""] * len(frame), dtype=object)
    joined = parts[0]
    for p in parts[1:]:
        joined = joined + ";" + p
    uniques = pd.unique(joined)
    canonical = {u: ";".join(sorted(x for x in u.split(";") if x)) for u in uniques}
    return joined.map(canonical).to_numpy(dtype=object)


def _check_consistency(out: pd.DataFrame, rows: pd.Series, report: Report) -> None:
    v, lo, hi = out["value"].to_numpy(), out["ci_low"].to_numpy(), out["ci_high"].to_numpy()
    with np.errstate(invalid="ignore"):
        bad = (np.isfinite(lo) & np.isfinite(v) & (lo > v)) | (np.isfinite(hi) & np.isfinite(v) & (v > hi))
    if bad.any():
        report_rows(report, bad, rows, _("verdien ligger utenfor konfidensintervallet"), "ci_low",
                    "ci_low <= value <= ci_high", out["value"].astype(str))
    n = out["n"].to_numpy()
    negative = np.isfinite(n) & (n < 0)
    if negative.any():
        report_rows(report, negative, rows, _("negativt antall"), "n", ">= 0", out["n"].astype(str))


def _check_units(frame: pd.DataFrame, lk: Lookups, rows: pd.Series, report: Report) -> None:
    units = frame["unit"].fillna("").astype(str).str.strip()
    pairs = pd.DataFrame({"ind": frame["indicator"].astype(str).str.strip(), "unit": units})
    for ind, group in pairs.groupby("ind"):
        expected = lk.indicator_units.get(str(ind), "")
        found = sorted(set(group["unit"]))
        if expected:
            bad = (group["unit"].str.lower() != expected.lower()).to_numpy()
            report_rows(report, bad, rows.loc[group.index], _("annen enhet enn indikatoren har"), "unit",
                        expected, group["unit"])
        elif len(found) > 1:
            report.error(_("indikatoren {ind} har flere enheter i filen ({units}); velg én med --filter",
                           ind=ind, units=", ".join(found)), field="unit")


def _check_duplicates(out: pd.DataFrame, rows: pd.Series, report: Report, place: str) -> None:
    key = ["indicator_id", f"{place}_id", "period", "groups"]
    valid = out[key[:2]].notna().all(axis=1)
    dup = out[valid].duplicated(subset=key, keep=False)
    if not dup.any():
        return
    dups = out[valid][dup]
    first = dups.groupby(key, dropna=False)["row"].transform("min")
    later = (dups["row"] != first).to_numpy()
    report_rows(report, later, dups["row"], _("samme sone/område, indikator, periode og gruppe som en "
                                              "tidligere rad (etter kodeoverføring)"), "zone",
                _("én rad per nøkkel"), first.map(lambda r: _("rad {row}", row=r)))

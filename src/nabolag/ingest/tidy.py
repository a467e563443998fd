"""Tidy (long) and wide CSV/Excel statistics, with column mapping."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from nabolag.domain.problems import Report
from nabolag.errors import InputError
from nabolag.i18n import _
from nabolag.ingest.tables import read_table

TARGETS = ("zone", "area", "indicator", "period", "value", "numerator", "denominator", "n", "ci_low",
           "ci_high", "status", "source", "unit", "groups")
KEY_TARGETS = ("zone", "area", "period", "source", "groups")


@dataclass(frozen=True)
class TidyOptions:
    """How to read a statistics table.

    ``mapping`` maps a target (``zone``, ``indicator``, ``value``, ``group.age`` …) to a column.
    ``constants`` fixes a target for every row (``period=2019``, ``indicator=lavinntekt``).
    """

    mapping: dict[str, str] = field(default_factory=dict)
    constants: dict[str, str] = field(default_factory=dict)
    filters: dict[str, str] = field(default_factory=dict)
    symbols: dict[str, str] = field(default_factory=dict)  # what a status symbol means in this file
    wide: bool = False
    indicator_columns: tuple[str, ...] = ()
    sheet: str | None = None


def parse_pairs(pairs: list[str] | tuple[str, ...], what: str) -> dict[str, str]:
    """Parse ``["zone=Ident", "period=År"]`` into a dict; say which one is malformed."""
    out = {}
    for pair in pairs:
        if "=" not in pair:
            raise InputError(_("{what}: «{pair}» må ha formen mål=kolonne", what=what, pair=pair))
        key, value = pair.split("=", 1)
        out[key.strip()] = value.strip()
    return out


def check_targets(mapping: dict[str, str], what: str) -> None:
    for target in mapping:
        if target not in TARGETS and not target.startswith("group."):
            raise InputError(_("{what}: ukjent mål «{target}»; gyldige: {targets}, group.<navn>",
                               what=what, target=target, targets=", ".join(TARGETS)))


def read_tidy(path: Path, opts: TidyOptions) -> tuple[pd.DataFrame, Report]:
    """Read and reshape to the standard frame: ``row`` plus one text column per target."""
    report = Report(str(path))
    check_targets(opts.mapping, "--map")
    check_targets(opts.constants, "--set")
    frame = read_table(path, report, sheet=opts.sheet)
    frame.insert(0, "__row", range(2, len(frame) + 2))
    for col, wanted in opts.filters.items():
        _require(frame, col, "--filter", path)
        frame = frame[frame[col].str.strip() == wanted]
    if frame.empty:
        raise InputError(_("{file}: ingen rader igjen etter filter {filters}", file=str(path),
                           filters=opts.filters))
    mapping = _resolve_mapping(frame, opts.mapping)
    for target, col in mapping.items():
        _require(frame, col, f"--map {target}=", path)
    if opts.wide:
        frame, mapping = _melt(frame, mapping, opts, path)
    out = pd.DataFrame({"row": frame["__row"].to_numpy()})
    for target, col in mapping.items():
        out[target] = frame[col].to_numpy()
    for target, value in opts.constants.items():
        out[target] = value
    return out, report


def _require(frame: pd.DataFrame, col: str, flag: str, path: Path) -> None:
    if col not in frame.columns:
        cols = [c for c in frame.columns if c != "__row"]
        raise InputError(_("{file}: kolonnen «{col}» ({flag}) finnes ikke; kolonner i filen: {cols}",
                           file=str(path), col=col, flag=flag, cols=", ".join(cols)))


def _resolve_mapping(frame: pd.DataFrame, given: dict[str, str]) -> dict[str, str]:
    """Given mappings, plus columns named like a target (case-insensitive) that are not mapped,
    including ``group.<name>`` columns and nabolag's own ``groups`` key column."""
    mapping = dict(given)
    used = set(given.values())
    lower = {str(c).lower(): c for c in frame.columns if c != "__row"}
    for target in TARGETS:
        if target not in mapping and target in lower and lower[target] not in used:
            mapping[target] = lower[target]
    for low, col in lower.items():
        group = "group." + str(col)[6:].strip()
        if low.startswith("group.") and group not in mapping and col not in used:
            mapping[group] = col
    # nabolag's own export has both a zone and an area column; a blank one found by name is not a place.
    for place, other in (("zone", "area"), ("area", "zone")):
        if place not in given and place in mapping and other in mapping \
                and (frame[mapping[place]].astype(str).str.strip() == "").all():
            del mapping[place]
    return mapping


def _melt(frame: pd.DataFrame, mapping: dict[str, str], opts: TidyOptions,
          path: Path) -> tuple[pd.DataFrame, dict[str, str]]:
    keys = {t: c for t, c in mapping.items() if t in KEY_TARGETS or t.startswith("group.")}
    columns = list(opts.indicator_columns) or [c for c in frame.columns
                                               if c != "__row" and c not in keys.values()]
    for c in columns:
        _require(frame, c, "--indicators", path)
    if not columns:
        raise InputError(_("{file}: ingen indikatorkolonner igjen for --wide", file=str(path)))
    long = frame.melt(id_vars=["__row", *keys.values()], value_vars=columns,
                      var_name="__indicator", value_name="__value")
    keys.update({"indicator": "__indicator", "value": "__value"})
    return long, keys

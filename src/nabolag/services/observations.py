"""Import statistics (tidy/wide CSV and Excel, JSON-stat) into observations, in one transaction."""

from __future__ import annotations

import gc
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path

import numpy as np
import pandas as pd

from nabolag.domain.codes import CodeResolver
from nabolag.domain.observations import Status
from nabolag.domain.problems import Report
from nabolag.errors import InputError
from nabolag.i18n import _
from nabolag.ingest.jsonstat import read_jsonstat
from nabolag.ingest.tidy import TidyOptions, read_tidy
from nabolag.ingest.values import parse_symbols, report_rows
from nabolag.services.context import Context
from nabolag.services.observation_rows import Lookups, prepare_rows
from nabolag.store import imports as imports_repo
from nabolag.store import indicators as ind_repo
from nabolag.store import observations as repo
from nabolag.store import zones as zone_repo


def detect_format(path: Path) -> str:
    if path.suffix.lower() == ".json":
        with path.open("rb") as fh:
            head = fh.read(4096)
        if b'"class"' in head or b'"dataset"' in head or b'"dimension"' in head:
            return "jsonstat"
        raise InputError(_("{file}: JSON som ikke er JSON-stat 2.0; bruk CSV, Excel eller JSON-stat",
                           file=str(path)))
    return "table"


def load_lookups(ctx: Context) -> Lookups:
    with ctx.store.read() as conn:
        zones = zone_repo.zone_ids(conn)
        indicators = ind_repo.list_indicators(conn)
        return Lookups(zone_ids=zones, area_ids=zone_repo.area_ids(conn),
                       indicator_ids={i.code: int(i.id) for i in indicators if i.id is not None},
                       indicator_units={i.code: i.unit for i in indicators},
                       resolver=CodeResolver(zones, zone_repo.list_transitions(conn)),
                       zone_code_lengths={len(c) for c in zones})


def import_observations(ctx: Context, path: str | Path, opts: TidyOptions | None = None, *,
                        replace: bool = False, source: str = "") -> Report:
    """Read, validate every row, then write everything in one transaction (or nothing)."""
    ctx.require_write()
    p, digest = ctx.input_file(path)
    opts = opts or TidyOptions()
    ctx.progress(_("Leser {file}", file=p.name), 0.05)
    if detect_format(p) == "jsonstat":
        frame, report = read_jsonstat(p, opts.mapping, opts.constants)
    else:
        frame, report = read_tidy(p, opts)
    return load_frame(ctx, frame, report, file_name=p.name, sha256=digest, options=asdict(opts),
                      replace=replace, source=source, symbols=parse_symbols(opts.symbols))


def load_frame(ctx: Context, frame: pd.DataFrame, report: Report | None = None, *, file_name: str = "api",
               sha256: str = "", options: dict[str, object] | None = None, replace: bool = False,
               source: str = "", symbols: dict[str, Status] | None = None) -> Report:
    """Validate a standard frame (``row`` + text columns ``indicator``, ``zone`` or ``area``, ``period``,
    ``value`` …) and write it in one transaction. Used by every reader and by the Python API."""
    ctx.require_write()
    report = report or Report(file_name, rows=len(frame))
    if "row" not in frame.columns:
        frame = frame.assign(row=range(1, len(frame) + 1))
    frame = _as_text(frame)
    ctx.progress(_("Kontrollerer {n} rader", n=len(frame)), 0.25)
    rows = prepare_rows(frame, report, load_lookups(ctx), symbols)
    report.raise_if_errors()
    if source:
        rows["source"] = np.where(rows["source"] == "", source, rows["source"])
    ctx.progress(_("Lagrer"), 0.5)
    with ctx.store.transaction() as conn:
        replaced = reject_or_replace_existing(conn, rows, report, replace)
        import_id = imports_repo.start_import(
            conn, kind="observations", file_name=file_name, sha256=sha256, source=source, actor=ctx.actor,
            options={**(options or {}), "replace": replace})
        rows["import_id"] = import_id
        with gc_paused():  # a million new tuples would trigger many needless collections
            repo.insert_observations(conn, to_records(rows))
        imports_repo.finish_import(conn, import_id, rows=len(rows), warnings=len(report.warnings))
        imports_repo.record_audit(conn, actor=ctx.actor, action="import", object_type="observations",
                                  object_key=file_name, details={"rows": len(rows), "replaced": replaced})
    report.info(_("{n} observasjoner lagret ({m} erstattet)", n=len(rows), m=replaced))
    ctx.progress(_("Ferdig"), 1.0)
    return report


def _as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Numbers given through the Python API become text, missing ones empty, like a file's cells."""
    numeric = [c for c in frame.columns if c != "row" and not pd.api.types.is_string_dtype(frame[c])]
    if not numeric:
        return frame
    frame = frame.copy()
    for c in numeric:
        frame[c] = frame[c].map(lambda v: "" if pd.isna(v) else repr(float(v))
                                if isinstance(v, float) else str(v))
    return frame


def reject_or_replace_existing(conn: object, rows: pd.DataFrame, report: Report, replace: bool) -> int:
    place = "zone_id" if rows["zone_id"].notna().any() else "area_id"
    stored = repo.existing_keys(conn, rows["indicator_id"].astype(int).unique().tolist(),  # type: ignore[arg-type]
                                place="zone" if place == "zone_id" else "area")
    if stored.empty:
        return 0
    stored = stored.astype({"place_id": float, "indicator_id": float})
    merged = rows[["row", "indicator_id", place, "period", "groups"]].merge(
        stored, left_on=["indicator_id", place, "period", "groups"],
        right_on=["indicator_id", "place_id", "period", "groups"], how="inner")
    if merged.empty:
        return 0
    if not replace:
        report_rows(report, np.ones(len(merged), dtype=bool), merged["row"],
                    _("finnes allerede i databasen; bruk --replace for å erstatte"), "period",
                    _("ny nøkkel"), merged["period"])
        report.raise_if_errors()
    repo.delete_observations(conn, merged["id"].astype(int).tolist())  # type: ignore[arg-type]
    return len(merged)


def _column(values: np.ndarray, integer: bool = False) -> list[object]:
    """Python values for the driver: NaN becomes None, ids and counts become ints."""
    if values.dtype.kind != "f":
        return values.tolist()  # type: ignore[no-any-return]
    missing = np.isnan(values)
    out = (np.where(missing, 0, values).astype(np.int64) if integer else values).astype(object)
    out[missing] = None
    return out.tolist()  # type: ignore[no-any-return]


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building and writing many rows (no cycles are made)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def to_records(rows: pd.DataFrame) -> list[tuple[object, ...]]:
    """Rows as tuples in the order of :data:`nabolag.store.observations.COLUMNS`, NaN as None."""
    cols = [_column(rows[c].to_numpy(), integer=c in ("indicator_id", "zone_id", "area_id", "n"))
            for c in repo.COLUMNS]
    return list(zip(*cols, strict=True))


def query(ctx: Context, **filters: object) -> pd.DataFrame:
    """Observations with codes (see :func:`nabolag.store.observations.query_observations`)."""
    with ctx.store.read() as conn:
        return repo.query_observations(conn, **filters)  # type: ignore[arg-type]


def summary(ctx: Context) -> dict[str, object]:
    with ctx.store.read() as conn:
        return {"observations": repo.count_observations(conn), "zones": zone_repo.count_zones(conn),
                "imports": [{k: v for k, v in r.items() if k != "options"} | {"options": json.loads(str(r["options"]))}
                            for r in imports_repo.list_imports(conn)]}

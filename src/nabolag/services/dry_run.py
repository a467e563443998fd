"""Validate a staged upload with the real readers and validators, writing nothing; then confirm it.

:func:`validate` runs the same reading and row checks as the import use cases (``zones.import_zones``,
``observations.import_observations``, ``indicators.import_indicators``) and reads the store to say what
would be added, changed or replaced, but opens no write transaction. :func:`confirm` runs the real
use case, so the import is audited with the context's actor, and removes the staged file afterwards.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from pathlib import Path

import numpy as np

from nabolag.domain.problems import Problem, Report
from nabolag.errors import InputError
from nabolag.i18n import _
from nabolag.ingest.indicators import read_indicators
from nabolag.ingest.jsonstat import read_jsonstat
from nabolag.ingest.tidy import TidyOptions, read_tidy
from nabolag.ingest.values import parse_symbols, report_rows
from nabolag.ingest.zones import ZoneOptions, read_zones
from nabolag.services import indicators, observations, zones
from nabolag.services.context import Context
from nabolag.services.observation_rows import prepare_rows
from nabolag.services.staging import Staged, discard, save
from nabolag.store import observations as obs_repo
from nabolag.store import zones as zone_repo


def zone_options(o: dict[str, object]) -> ZoneOptions:
    return ZoneOptions(**{k: o.get(k) for k in ("code_field", "name_field", "parent_field", "level", "layer",
                                                "crs")})  # type: ignore[arg-type]


def tidy_options(o: dict[str, object]) -> TidyOptions:
    columns = tuple(c.strip() for c in str(o.get("indicators") or "").split(",") if c.strip())
    return TidyOptions(mapping=dict(o.get("map") or {}), constants=dict(o.get("set") or {}),  # type: ignore[call-overload]
                       filters=dict(o.get("filter") or {}), symbols=dict(o.get("symbol") or {}),  # type: ignore[call-overload]
                       wide=bool(o.get("wide")), indicator_columns=columns,
                       sheet=str(o["sheet"]) if o.get("sheet") else None)


def validate(ctx: Context, root: Path, staged: Staged) -> dict[str, object]:
    """Check the staged file; store and return the report (``ok``, ``problems``, ``summary``)."""
    ctx.require_write()
    path = staged.path(root)
    try:
        summary, report = CHECKS[staged.kind](ctx, path, staged.options)
    except InputError as exc:
        result = _result(staged, path, None, exc.problems, message=exc.message)
    except Exception as exc:  # an unreadable upload must give a report, not a server error
        result = _result(staged, path, None, [Problem(str(path), _("filen kunne ikke leses"), field="file",
                                                      found=f"{type(exc).__name__}: {exc}")],
                         message=_("{file}: filen kunne ikke leses", file=staged.file_name))
    else:
        result = _result(staged, path, summary, report.problems, rows=report.rows)
    staged.report = result
    save(root, staged)
    return result


def confirm(ctx: Context, root: Path, staged: Staged) -> dict[str, object]:
    """Run the real import; on success the staged file is removed, on bad input it is kept."""
    path, o = staged.path(root), staged.options
    source = str(o.get("source") or "")
    try:
        if staged.kind == "zones":
            report = zones.import_zones(ctx, path, zone_options(o), source=source)
        elif staged.kind == "observations":
            report = observations.import_observations(ctx, path, tidy_options(o), replace=bool(o.get("replace")),
                                                      source=source)
        else:
            report = indicators.import_indicators(ctx, path, source=source)
    except InputError as exc:
        result = _result(staged, path, None, exc.problems, message=exc.message)
        staged.report = result
        save(root, staged)
        return result
    discard(root, staged)
    return _result(staged, path, (staged.report or {}).get("summary"), report.problems, rows=report.rows,  # type: ignore[arg-type]
                   confirmed=True)


def _result(staged: Staged, path: Path, summary: dict[str, object] | None, problems: list[Problem], *,
            rows: int = 0, message: str = "", confirmed: bool = False) -> dict[str, object]:
    """The report as plain data, naming the file as uploaded (never the staging path)."""
    full, name = str(path), staged.file_name
    shown = [replace(p, file=name, message=p.message.replace(full, name),
                     found=p.found.replace(full, name) if p.found else p.found) for p in problems]
    if message and not shown:
        shown = [Problem(name, message.replace(full, name))]
    errors = [p for p in shown if p.severity == "error"]
    return {"token": staged.token, "kind": staged.kind, "file": name, "size": staged.size,
            "ok": not errors and not message, "confirmed": confirmed, "rows": rows,
            "message": message.replace(full, name), "errors": len(errors),
            "warnings": sum(p.severity == "warning" for p in shown),
            "problems": [p.as_dict() for p in shown], "summary": summary or {}}


def _check_zones(ctx: Context, path: Path, o: dict[str, object]) -> tuple[dict[str, object], Report]:
    items, report = read_zones(path, zone_options(o))
    with ctx.store.read() as conn:
        known = zone_repo.zone_ids(conn)
    new = sum(z.code not in known for z in items)
    return {"zones": len(items), "new": new, "updated": len(items) - new,
            "with_geometry": sum(z.geometry is not None for z in items),
            "levels": dict(Counter(str(z.level) for z in items))}, report


def _check_observations(ctx: Context, path: Path, o: dict[str, object]) -> tuple[dict[str, object], Report]:
    opts = tidy_options(o)
    if observations.detect_format(path) == "jsonstat":
        frame, report = read_jsonstat(path, opts.mapping, opts.constants)
    else:
        frame, report = read_tidy(path, opts)
    if "row" not in frame.columns:
        frame = frame.assign(row=range(1, len(frame) + 1))
    frame = observations._as_text(frame)  # exactly as observations.load_frame prepares it
    lookups = observations.load_lookups(ctx)
    rows = prepare_rows(frame, report, lookups, parse_symbols(opts.symbols))
    report.raise_if_errors()
    replaced = _existing(ctx, rows, report, bool(o.get("replace")))
    codes = {v: k for k, v in lookups.indicator_ids.items()}
    place = "zone_id" if rows["zone_id"].notna().any() else "area_id"
    return {"observations": len(rows), "replaced": replaced,
            "indicators": sorted(codes[int(i)] for i in rows["indicator_id"].unique()),
            "periods": sorted(str(p) for p in rows["period"].unique()),
            "zones" if place == "zone_id" else "areas": int(rows[place].nunique())}, report


def _existing(ctx: Context, rows: object, report: Report, replace_existing: bool) -> int:
    """How many rows match stored keys; without ``replace`` each is an error, as in the real import.

    Mirrors ``observations.reject_or_replace_existing`` but only reads.
    """
    place = "zone_id" if rows["zone_id"].notna().any() else "area_id"  # type: ignore[index]
    with ctx.store.read() as conn:
        stored = obs_repo.existing_keys(conn, rows["indicator_id"].astype(int).unique().tolist(),  # type: ignore[index]
                                        place="zone" if place == "zone_id" else "area")
    if stored.empty:
        return 0
    stored = stored.astype({"place_id": float, "indicator_id": float})
    merged = rows[["row", "indicator_id", place, "period", "groups"]].merge(  # type: ignore[index]
        stored, left_on=["indicator_id", place, "period", "groups"],
        right_on=["indicator_id", "place_id", "period", "groups"], how="inner")
    if not merged.empty and not replace_existing:
        report_rows(report, np.ones(len(merged), dtype=bool), merged["row"],
                    _("finnes allerede i databasen; kryss av for «erstatt» for å erstatte"), "period",
                    _("ny nøkkel"), merged["period"])
        report.raise_if_errors()
    return len(merged)


def _check_indicators(ctx: Context, path: Path, _o: dict[str, object]) -> tuple[dict[str, object], Report]:
    items, report = read_indicators(path)
    report.raise_if_errors()
    known = {i.code for i in indicators.list_indicators(ctx)}
    new = sum(i.code not in known for i in items)
    return {"indicators": len(items), "new": new, "updated": len(items) - new,
            "codes": [i.code for i in items][:200]}, report


CHECKS = {"zones": _check_zones, "observations": _check_observations, "indicators": _check_indicators}

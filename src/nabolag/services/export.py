"""Export observations as CSV, Excel, JSON-stat 2.0 or GeoJSON, with small-cell suppression."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import shapely

from nabolag.analysis.suppress import primary_suppression
from nabolag.domain.observations import Status
from nabolag.errors import InputError
from nabolag.i18n import _
from nabolag.services.context import Context
from nabolag.store import imports as imports_repo
from nabolag.store import indicators as ind_repo
from nabolag.store import observations as obs_repo
from nabolag.store import zones as zone_repo

FORMATS = ("csv", "xlsx", "jsonstat", "geojson")
SYNTHETIC_NOTE = "syntetiske demodata – ikke virkelige tall / synthetic demo data – not real figures"


def published(ctx: Context, frame: pd.DataFrame) -> pd.DataFrame:
    """Apply primary small-cell suppression (indicator threshold or the default) and mark synthetic rows."""
    with ctx.store.read() as conn:
        inds = {i.code: i for i in ind_repo.list_indicators(conn)}
    out = frame.copy()
    default = ctx.settings.suppression_threshold
    thresholds = out["indicator"].map(  # 0 is a real threshold (no suppression), not "use the default"
        lambda c: default if inds[c].suppression_threshold is None else inds[c].suppression_threshold
    ).to_numpy(dtype=float)
    mask = primary_suppression(out["n"].to_numpy(dtype=float), thresholds)
    for col in ("value", "numerator", "denominator", "n", "ci_low", "ci_high"):
        out[col] = out[col].astype(float).mask(mask)
    out["status"] = np.where(mask, Status.SUPPRESSED.value, out["status"])
    synthetic = out["indicator"].map(lambda c: inds[c].synthetic)
    out["note"] = np.where(synthetic, SYNTHETIC_NOTE, "")
    return out


def export_observations(ctx: Context, output: str | Path, fmt: str, **filters: object) -> int:
    """Write the filtered observations to ``output``; returns the number of rows."""
    if fmt not in FORMATS:
        raise InputError(_("Ukjent format {fmt}; velg {formats}", fmt=fmt, formats=", ".join(FORMATS)))
    with ctx.store.read() as conn:
        frame = obs_repo.query_observations(conn, **filters)  # type: ignore[arg-type]
    if frame.empty:
        raise InputError(_("Ingen observasjoner passer filteret {filters}", filters=filters))
    frame = published(ctx, frame)
    out = Path(output)
    tmp = out.with_name(out.name + ".part")
    {"csv": _csv, "xlsx": _xlsx, "jsonstat": _jsonstat, "geojson": _geojson}[fmt](ctx, frame, tmp)
    tmp.replace(out)  # readers never see a half-written file
    with ctx.store.transaction() as conn:
        imports_repo.record_audit(conn, actor=ctx.actor, action="export", object_type="observations",
                                  object_key=out.name, details={"format": fmt, "rows": len(frame)})
    return len(frame)


def _counts_as_integers(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.assign(n=frame["n"].astype("Int64"))  # a count: «12», not «12.0»


def _csv(_ctx: Context, frame: pd.DataFrame, path: Path) -> None:
    _counts_as_integers(frame).to_csv(path, index=False, encoding="utf-8")


def _xlsx(_ctx: Context, frame: pd.DataFrame, path: Path) -> None:
    with pd.ExcelWriter(path, engine="openpyxl") as xl:
        _counts_as_integers(frame).to_excel(xl, sheet_name="observasjoner", index=False)
        notes = sorted(set(frame["note"]) - {""})
        about = pd.DataFrame({"om dataene": [_("Eksportert fra nabolag"), *notes]})
        about.to_excel(xl, sheet_name="om", index=False)


def jsonstat_dataset(frame: pd.DataFrame) -> dict[str, object]:
    """A JSON-stat 2.0 dataset with dimensions indicator × zone/area × period × groups.

    ``value`` is a sparse object: combinations that were never observed are absent, so that a reader
    does not take them for cells that are "not available".
    """
    has_zone, has_area = frame["zone"].notna(), frame["area"].notna()
    if has_zone.any() and has_area.any():
        raise InputError(_("JSON-stat: eksporter soner og områder hver for seg (filtrer med --zone eller --level)"))
    place_dim = "zone" if has_zone.any() else "area"
    frame = frame.assign(place=frame[place_dim])
    dims = ["indicator", "place", "period", "groups"]
    cats = {d: sorted(frame[d].astype(str).unique()) for d in dims}
    sizes = [len(cats[d]) for d in dims]
    pos = {d: {c: i for i, c in enumerate(cats[d])} for d in dims}
    values: dict[str, object] = {}  # sparse: only the cells that are observations
    status: dict[str, str] = {}
    symbols = {Status.NOT_APPLICABLE: ".", Status.NOT_AVAILABLE: "..", Status.NOT_YET_AVAILABLE: "...",
               Status.CONFIDENTIAL: ":", Status.NIL: "-", Status.SUPPRESSED: ":"}
    idx = np.ravel_multi_index([frame[d].astype(str).map(pos[d]).to_numpy() for d in dims], sizes)
    for i, v, s in zip(idx.tolist(), frame["value"].tolist(), frame["status"].tolist(), strict=True):
        values[str(i)] = None if pd.isna(v) else v
        if s != Status.OK:
            status[str(i)] = symbols.get(Status(s), "..")
    notes = sorted(set(frame["note"]) - {""}) if "note" in frame else []
    dataset: dict[str, object] = {
        "version": "2.0", "class": "dataset", "label": "nabolag", "source": "nabolag",
        "id": ["indicator", place_dim, "period", "groups"], "size": sizes,
        "role": {"metric": ["indicator"], "time": ["period"], **({"geo": ["zone"]} if place_dim == "zone" else {})},
        "dimension": {(place_dim if d == "place" else d): {"category": {"index": {c: i for i, c in enumerate(cats[d])}}}
                      for d in dims},
        "value": values, "status": status,
    }
    if notes:
        dataset["note"] = notes
    return dataset


def _jsonstat(_ctx: Context, frame: pd.DataFrame, path: Path) -> None:
    path.write_text(json.dumps(jsonstat_dataset(frame), ensure_ascii=False), encoding="utf-8")


def _geojson(ctx: Context, frame: pd.DataFrame, path: Path) -> None:
    zoned = frame[frame["zone"].notna()]
    with ctx.store.read() as conn:
        zones = {z.code: z for z in zone_repo.list_zones(conn, with_geometry=True) if z.code in set(zoned["zone"])}
    features = []
    for code, rows in zoned.groupby("zone", sort=True):
        z = zones[str(code)]
        props: dict[str, object] = {"code": z.code, "name": z.name, "level": str(z.level)}
        for r in rows.itertuples():
            key = f"{r.indicator}:{r.period}" + (f":{r.groups}" if r.groups else "")
            props[key] = None if r.value != r.value else r.value
        notes = sorted(set(rows["note"]) - {""})
        if notes:
            props["note"] = notes[0]
        geometry = shapely.geometry.mapping(shapely.from_wkb(z.geometry)) if z.geometry else None
        features.append({"type": "Feature", "properties": props, "geometry": geometry})
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False),
                    encoding="utf-8")

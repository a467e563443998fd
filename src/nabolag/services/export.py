"""Export observations as CSV, Excel, JSON-stat 2.0 or GeoJSON, with small-cell suppression."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import shapely

from nabolag.analysis.suppress import SOURCE, TOTAL_LABEL, round_to_base, small_cell_protection
from nabolag.domain.indicators import Indicator
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


#: Counts published with a figure (n, numerator, denominator, and the value of a count indicator) are
#: rounded to this base (:func:`~nabolag.analysis.suppress.round_to_base`); a ``rounding_base`` in the
#: settings, when there is one, takes precedence. 1 turns rounding off.
ROUNDING_BASE = 5
#: Units whose values are counts of people or things; their values are rounded like ``n``.
COUNT_UNITS = frozenset({"personer", "antall", "husholdninger", "persons", "count", "households"})
_HIDDEN_AT_SOURCE = (Status.CONFIDENTIAL.value, Status.SUPPRESSED.value)
_COUNTS = ("numerator", "denominator", "n")
_AREA = "area:"  # zones and areas share one place dimension; an area code may look like a zone's


def published(ctx: Context, frame: pd.DataFrame) -> pd.DataFrame:
    """The figures of ``frame`` as they may be published: small-cell protection, rounding, notes.

    Primary and secondary suppression (:func:`~nabolag.analysis.suppress.small_cell_protection`) are
    worked out over the whole table the figures belong to: every stored zone, area and group of the
    indicators and periods in ``frame``, with the zone hierarchy (parent codes) and the programme
    areas' zones as equations. So a page that shows one zone hides exactly what the full export
    hides, and the pages together cannot be combined to undo it. Suppressed cells lose their value,
    counts and interval; cells the source hid (``confidential``) keep their status; both get a reason
    code in ``suppression_reason``. Published counts are rounded (:data:`ROUNDING_BASE`). Synthetic
    rows get :data:`SYNTHETIC_NOTE` in ``note``.
    """
    out = frame.copy()
    if out.empty:
        return out.assign(note="", suppression_reason="")
    with ctx.store.read() as conn:
        inds = {i.code: i for i in ind_repo.list_indicators(conn)}
        edges = [(z.parent_code, z.code) for z in zone_repo.list_zones(conn) if z.parent_code]
        edges += [(_AREA + a.code, c) for a in zone_repo.list_areas(conn) for c in a.zone_codes]
        stored = obs_repo.query_observations(conn, indicators=sorted(set(out["indicator"])),
                                             periods=sorted(set(out["period"])))
    table = _table(out, stored)
    default = ctx.settings.suppression_threshold
    threshold = {c: default if i.suppression_threshold is None else i.suppression_threshold  # 0 is a real
                 for c, i in inds.items()}  # threshold (nothing to protect), not "use the default"
    thresholds = table["indicator"].map(threshold).to_numpy(dtype=float)
    at_source = table["status"].isin(_HIDDEN_AT_SOURCE).to_numpy()
    missing = table["value"].isna().to_numpy() & ~at_source & (table["status"] != Status.NIL.value).to_numpy()
    protection = small_cell_protection(table, thresholds, edges, hidden_at_source=at_source, missing=missing)
    found = dict(zip(table["key"], zip(protection["suppressed"], protection["reason"], strict=True), strict=True))
    result = [found[k] for k in _keys(out)]
    mask = np.array([m for m, _r in result], dtype=bool)
    for col in ("value", *_COUNTS, "ci_low", "ci_high"):
        out[col] = out[col].astype(float).mask(mask)
    out["status"] = np.where(mask & ~out["status"].isin(_HIDDEN_AT_SOURCE), Status.SUPPRESSED.value, out["status"])
    protected = out["indicator"].map(threshold).to_numpy(dtype=float) > 0
    _round_counts(out, protected, inds, rounding_base(ctx))
    synthetic = out["indicator"].map(lambda c: inds[c].synthetic)
    out["note"] = np.where(synthetic, SYNTHETIC_NOTE, "")
    out["suppression_reason"] = [r for _m, r in result]
    return out


def rounding_base(ctx: Context) -> int:
    """The settings' ``rounding_base`` if they have one, else :data:`ROUNDING_BASE`."""
    return int(getattr(ctx.settings, "rounding_base", ROUNDING_BASE))


def _places(frame: pd.DataFrame) -> pd.Series:
    zone = frame["zone"].astype(object).where(frame["zone"].notna(), None)
    return pd.Series(np.where(zone.notna(), zone.astype(str), _AREA + frame["area"].astype(str)),
                     index=frame.index)


def _keys(frame: pd.DataFrame) -> list[str]:
    """One text key per cell: indicator, place, period, groups."""
    parts = (frame["indicator"].astype(str), _places(frame), frame["period"].astype(str),
             frame["groups"].fillna("").astype(str))
    return ["\x1f".join(k) for k in zip(*parts, strict=True)]


def _table(frame: pd.DataFrame, stored: pd.DataFrame) -> pd.DataFrame:
    """``frame``'s rows plus the stored rows of the same indicators and periods, in a fixed order."""
    cols = ["indicator", "zone", "area", "period", "groups", "value", "n", "status"]
    both = pd.concat([frame[cols], stored[cols]], ignore_index=True)
    both["key"] = _keys(both)
    both = both.drop_duplicates("key", keep="first")  # frame's own figures win
    both["place"] = _places(both)
    return both.sort_values(["indicator", "place", "period", "groups"], kind="stable").reset_index(drop=True)


def _round_counts(out: pd.DataFrame, protected: np.ndarray, inds: dict[str, Indicator], base: int) -> None:
    """Round the counts of indicators under protection (threshold above 0), and the values of those
    whose unit is a count."""
    counted = protected & out["indicator"].map(lambda c: inds[c].unit.strip().lower() in COUNT_UNITS).to_numpy(
        dtype=bool)
    for cols, rows in ((_COUNTS, protected), (("value", "ci_low", "ci_high"), counted)):
        for col in cols:
            values = out[col].to_numpy(dtype=float)
            out[col] = np.where(rows, round_to_base(values, base), values)


def describe_reason(code: str) -> str:
    """A reason code of :mod:`nabolag.analysis.suppress` in the user's language (``""`` stays ``""``)."""
    if not code:
        return ""
    if m := re.fullmatch(r"primary: n<(.+)", code):
        return _("prikket: færre enn {threshold} i grunnlaget", threshold=m[1])
    if m := re.fullmatch(r"secondary: complement of (.+) in (.+)", code):
        return _("prikket fordi {cell} ellers kunne regnes ut fra summen {total}", cell=_label(m[1]),
                 total=_label(m[2]))
    if m := re.fullmatch(r"secondary: part of hidden total (.+)", code):
        return _("prikket fordi den skjulte summen {total} ellers kunne regnes ut", total=_label(m[1]))
    if code == SOURCE:
        return _("skjult av kilden")
    return code


def _label(text: str) -> str:
    if text == TOTAL_LABEL:
        return _("totalen")
    return _("området {code}", code=text[len(_AREA):]) if text.startswith(_AREA) else text


def suppression_notes(frame: pd.DataFrame, base: int = ROUNDING_BASE) -> list[str]:
    """What a reader of an export needs to know about the protection of its figures."""
    notes = []
    if "suppression_reason" in frame and (frame["suppression_reason"] != "").any():
        notes.append(_("Prikking: tall med færre enn terskelen (vanligvis 5) i grunnlaget er skjult (primær), og "
                       "flere tall er skjult der de ellers kunne regnes ut fra en sum av soner eller grupper "
                       "(sekundær). Kolonnen suppression_reason sier hvorfor hvert tall er skjult."))
    if base > 1:
        notes.append(_("Antall (n, teller, nevner og verdier i personer eller antall) er avrundet til nærmeste "
                       "{base}.", base=base))
    return notes


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


def _xlsx(ctx: Context, frame: pd.DataFrame, path: Path) -> None:
    with pd.ExcelWriter(path, engine="openpyxl") as xl:
        _counts_as_integers(frame).to_excel(xl, sheet_name="observasjoner", index=False)
        notes = sorted(set(frame["note"]) - {""})
        about = pd.DataFrame({"om dataene": [_("Eksportert fra nabolag"), *notes,
                                             *suppression_notes(frame, rounding_base(ctx))]})
        about.to_excel(xl, sheet_name="om", index=False)


def jsonstat_dataset(frame: pd.DataFrame, notes: list[str] | None = None) -> dict[str, object]:
    """A JSON-stat 2.0 dataset with dimensions indicator × zone/area × period × groups.

    ``value`` is a sparse object: combinations that were never observed are absent, so that a reader
    does not take them for cells that are "not available". Suppressed cells have status ``:``; their
    reason codes are in ``extension.suppression_reason`` (cell index → code) and ``notes`` are added
    to the dataset's ``note``.
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
    reasons = frame["suppression_reason"] if "suppression_reason" in frame else pd.Series("", index=frame.index)
    why: dict[str, str] = {}
    for i, v, s, r in zip(idx.tolist(), frame["value"].tolist(), frame["status"].tolist(), reasons.tolist(),
                          strict=True):
        values[str(i)] = None if pd.isna(v) else v
        if s != Status.OK:
            status[str(i)] = symbols.get(Status(s), "..")
        if r:
            why[str(i)] = r
    notes = (sorted(set(frame["note"]) - {""}) if "note" in frame else []) + list(notes or [])
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
    if why:
        dataset["extension"] = {"suppression_reason": why}
    return dataset


def _jsonstat(ctx: Context, frame: pd.DataFrame, path: Path) -> None:
    dataset = jsonstat_dataset(frame, suppression_notes(frame, rounding_base(ctx)))
    path.write_text(json.dumps(dataset, ensure_ascii=False), encoding="utf-8")


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
            if getattr(r, "suppression_reason", ""):
                props[f"{key}:suppression_reason"] = r.suppression_reason
        notes = sorted(set(rows["note"]) - {""})
        if notes:
            props["note"] = notes[0]
        geometry = shapely.geometry.mapping(shapely.from_wkb(z.geometry)) if z.geometry else None
        features.append({"type": "Feature", "properties": props, "geometry": geometry})
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False),
                    encoding="utf-8")

"""Read models of the walking-access pages: ``/access`` (map, kinds, zone table, equity) and the
"Tilgang" section of the zone and area pages. Figures are the stored observations (method ``network``)
as published (small cells suppressed, counts rounded), so a visitor sees what an export would show.

**The city's figure.** The back end stores the mean and the shares per zone and area, and the equity
figures (worst/best, Gini) for each area and for the one ``kommune`` zone. The city's mean and shares
are the population-weighted average over every zone of the computed level with a stored figure (the
zone means are themselves population-weighted, so this is the city's own mean up to the rounding of the
stored values); a ``kommune`` zone with its own stored figure is used as it is.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from nabolag.analysis.access import between_zones
from nabolag.domain.access import FACILITY_KINDS, kind_label
from nabolag.errors import InputError
from nabolag.i18n import _
from nabolag.services import access, access_facilities, indicators, observations, zones
from nabolag.services.access_layer import legend
from nabolag.services.context import Context
from nabolag.services.export import describe_reason, published
from nabolag.services.views_common import num, text

MEASURE = re.compile(r"^access_([a-z0-9_]+?)_(mean_m|within_\d+m|mean_m_ratio|mean_m_gini)$")
WITHIN = re.compile(r"^access_([a-z0-9_]+)_within_(\d+)m$")
DOCS = "docs/access.md"


def _kind_order(kinds: set[str]) -> list[str]:
    builtin = [k for k in FACILITY_KINDS if k in kinds]
    return builtin + sorted(kinds - set(builtin))


def _parse(frame: pd.DataFrame) -> pd.DataFrame:
    parsed = frame["indicator"].astype(str).str.extract(MEASURE.pattern)
    out = frame.assign(kind=parsed[0].to_numpy(),
                       measure=parsed[1].replace({"mean_m_ratio": "ratio", "mean_m_gini": "gini"}).to_numpy())
    return out[out["kind"].notna()]


def stored_figures(ctx: Context) -> pd.DataFrame:
    """Every stored access figure for everyone (group ``""``), published, with ``kind`` and ``measure``
    (``mean_m``, ``within_300m`` …, ``ratio``, ``gini``) columns, latest period per kind only."""
    codes = [i.code for i in indicators.list_indicators(ctx) if MEASURE.match(i.code)]
    if not codes:
        return pd.DataFrame(columns=["indicator", "zone", "level", "area", "period", "value", "n", "kind", "measure"])
    frame = _parse(observations.query(ctx, indicators=codes, groups=""))
    if frame.empty:
        return frame
    frame = frame[frame["period"] == frame.groupby("kind")["period"].transform("max")]
    return _parse(published(ctx, frame.drop(columns=["kind", "measure"])))


def _thresholds(frame: pd.DataFrame) -> list[int]:
    found = {int(m[2]) for m in (WITHIN.match(str(c)) for c in frame["indicator"].unique()) if m}
    return sorted(found)


def _cell(r: dict[str, object] | None) -> dict[str, object]:
    if r is None:
        return {"value": None, "n": None, "suppressed": False, "reason": ""}
    code = text(r.get("suppression_reason"))
    return {"value": num(r["value"]), "n": num(r["n"]), "suppressed": bool(code),
            "reason": describe_reason(code) if code else ""}


def _city(rows: pd.DataFrame, measure: str, level: str | None, city_code: str | None) -> dict[str, object]:
    """The city's figure: the kommune zone's own stored one, else the population-weighted average of the
    zones at ``level`` (raw stored values of every zone, weighted by their residents)."""
    own = rows[(rows["zone"] == city_code) & (rows["measure"] == measure)] if city_code else rows.iloc[0:0]
    if not own.empty:
        return {**_cell(own.iloc[0].to_dict()), "method": "stored"}
    part = rows[(rows["measure"] == measure) & (rows["level"] == level) & rows["zone"].notna()]
    part = part[np.isfinite(part["raw_value"].astype(float)) & (part["raw_n"].astype(float) > 0)]
    if part.empty:
        return {"value": None, "n": None, "suppressed": False, "reason": "", "method": "none"}
    w = part["raw_n"].astype(float).to_numpy()
    value = float(np.average(part["raw_value"].astype(float), weights=w))
    return {"value": round(value, 1), "n": None, "suppressed": False, "reason": "", "method": "weighted"}


def _with_raw(ctx: Context) -> pd.DataFrame:
    """Published figures plus the stored (unrounded) value and n, for the city's weighted average."""
    shown = stored_figures(ctx)
    if shown.empty:
        return shown.assign(raw_value=[], raw_n=[])
    raw = observations.query(ctx, indicators=sorted(shown["indicator"].unique()), groups="")
    keys = ["indicator", "zone", "area", "period"]
    raw = raw[keys + ["value", "n"]].rename(columns={"value": "raw_value", "n": "raw_n"})
    return shown.merge(raw, on=keys, how="left")


def _level(frame: pd.DataFrame) -> str | None:
    levels = frame.loc[frame["zone"].notna() & (frame["level"] != "kommune"), "level"].dropna()
    return str(levels.mode().iloc[0]) if not levels.empty else None


def _kommune(ctx: Context) -> str | None:
    found = zones.list_zones(ctx, level="kommune")
    return found[0].code if len(found) == 1 else None


def status(ctx: Context) -> dict[str, object]:
    """What is loaded: the newest network, people and facilities (for the status box and the empty state)."""
    nets = access.list_networks(ctx)
    net = nets[-1] if nets else None
    people = access.people_summary(ctx)
    total = sum(float(p["people"] or 0) for p in people if p["groups"] == "")  # type: ignore[arg-type]
    counts: dict[str, int] = {}
    for r in access_facilities.facility_counts(ctx):
        counts[str(r["kind"])] = counts.get(str(r["kind"]), 0) + int(r["count"])  # type: ignore[call-overload]
    return {"network": None if net is None else {
                "id": net.id, "name": net.name, "extract_date": net.extract_date, "nodes": net.nodes,
                "km": round(net.length_m / 1000, 1), "source": net.source, "crs": net.crs},
            "people": None if ctx.is_public else round(total), "people_loaded": bool(people),
            "facilities": [{"kind": k, "label": kind_label(k), "count": counts[k]} for k in _kind_order(set(counts))],
            "docs": DOCS}


def access_page(ctx: Context, kind: str | None = None) -> dict[str, object]:
    """The /access page: the kind shown, the map layers, the legend, the zone table and the equity."""
    info = status(ctx)
    frame = _with_raw(ctx) if info["network"] else pd.DataFrame()
    kinds = _kind_order(set(frame["kind"])) if not frame.empty else []
    if not kinds:
        kinds = [str(f["kind"]) for f in info["facilities"]]  # type: ignore[union-attr]
    if kind is not None and kind not in kinds:
        raise InputError(_("Ukjent type «{kind}» i kind; gyldige: {valid}", kind=kind[:40],
                           valid=", ".join(kinds) or _("ingen (ingen tall beregnet)")))
    kind = kind or (kinds[0] if kinds else None)
    base = {"status": info, "kinds": [{"kind": k, "label": kind_label(k), "selected": k == kind} for k in kinds],
            "kind": kind, "kind_label": kind_label(kind) if kind else "", "empty": info["network"] is None,
            "computed": not frame.empty, "synthetic": False}
    if info["network"] is None or kind is None:
        return {**base, "zones": [], "thresholds": [], "equity": None, "map": None, "classes": [], "period": None}
    rows = frame[frame["kind"] == kind] if not frame.empty else frame
    thresholds = _thresholds(rows) if not rows.empty else []
    level = _level(rows) if not rows.empty else None
    city_code = _kommune(ctx)
    names = {z.code: z.name for z in zones.list_zones(ctx)}
    table = []
    if not rows.empty:
        zone_rows = rows[rows["zone"].notna() & (rows["level"] == level)]
        for code, g in zone_rows.groupby("zone", sort=True):
            by = {str(r["measure"]): r for r in g.to_dict("records")}
            table.append({"code": code, "name": names.get(str(code), str(code)),
                          "mean_m": _cell(by.get("mean_m")),
                          **{f"within_{t}m": _cell(by.get(f"within_{t}m")) for t in thresholds},
                          "population": num(by["mean_m"]["n"]) if "mean_m" in by and not
                          text(by["mean_m"].get("suppression_reason")) else None})
    city = {m: _city(rows, m, level, city_code) for m in ["mean_m", *[f"within_{t}m" for t in thresholds]]} \
        if not rows.empty else {}
    return {**base, "period": str(rows["period"].iloc[0]) if not rows.empty else None, "level": level,
            "thresholds": thresholds, "zones": table, "city": city,
            "equity": _equity(rows, level, city_code) if not rows.empty else None,
            "classes": legend(2000.0), "cap_m": 2000.0,
            "map": {"layer": f"/geo/access/{kind}.geojson", "edges": f"/geo/access/{kind}.geojson?layer=edges",
                    "people": f"/geo/access/{kind}.geojson?layer=people",
                    "facilities": f"/geo/access/{kind}/facilities.geojson",
                    "zones": f"/geo/{level}.geojson" if level else None,
                    "bbox": None}}


def _equity(rows: pd.DataFrame, level: str | None, city_code: str | None) -> dict[str, object]:
    """Worst/best and Gini between zones: the kommune's stored figures, else worked out from the zone
    means with the back end's own function (:func:`nabolag.analysis.access.between_zones`)."""
    means = rows[(rows["measure"] == "mean_m") & (rows["level"] == level) & rows["zone"].notna()]
    means = means[np.isfinite(means["raw_value"].astype(float))]
    worked = between_zones(means["raw_value"].to_numpy(dtype=float), means["raw_n"].to_numpy(dtype=float), True) \
        if len(means) else {"best": None, "worst": None, "ratio": None, "gini": None}
    best = means.loc[means["raw_value"].astype(float).idxmin()] if len(means) else None
    worst = means.loc[means["raw_value"].astype(float).idxmax()] if len(means) else None
    stored = rows[(rows["zone"] == city_code) & rows["measure"].isin(["ratio", "gini"])] if city_code \
        else rows.iloc[0:0]
    from_store = {str(r["measure"]): num(r["value"]) for r in stored.to_dict("records")}
    return {"ratio": from_store.get("ratio", num(worked["ratio"]) and round(float(worked["ratio"]), 3)),
            "gini": from_store.get("gini", num(worked["gini"]) and round(float(worked["gini"]), 4)),
            "method": "stored" if from_store else "worked out",
            "best": None if best is None else {"code": best["zone"], "value": num(best["raw_value"])},
            "worst": None if worst is None else {"code": worst["zone"], "value": num(worst["raw_value"])},
            "zones": int(len(means))}


def place_access(ctx: Context, *, zone: str | None = None, area: str | None = None) -> dict[str, object] | None:
    """The "Tilgang" section of a zone or area page: per kind, the place's mean distance and shares
    against the city's (``None`` when nothing has been computed)."""
    frame = _with_raw(ctx)
    if frame.empty:
        return None
    own = frame[frame["zone"] == zone] if zone else frame[frame["area"] == area]
    if own.empty:
        return {"kinds": [], "thresholds": [], "period": None, "link": "/access"}
    city_code = _kommune(ctx)
    out = []
    thresholds = _thresholds(frame)
    for kind in _kind_order(set(own["kind"])):
        rows = frame[frame["kind"] == kind]
        level = _level(rows)
        mine = {str(r["measure"]): r for r in own[own["kind"] == kind].to_dict("records")}
        measures = ["mean_m", *[f"within_{t}m" for t in thresholds]]
        item = {"kind": kind, "label": kind_label(kind), "period": str(rows["period"].iloc[0]),
                "place": {m: _cell(mine.get(m)) for m in measures},
                "city": {m: _city(rows, m, level, city_code) for m in measures},
                "link": f"/access?kind={kind}"}
        if area:
            item["equity"] = {m: _cell(mine.get(m)) for m in ("ratio", "gini")}
        out.append(item)
    return {"kinds": out, "thresholds": thresholds, "period": out[0]["period"] if out else None,
            "city_name": _city_name(ctx, city_code), "link": "/access"}


def _city_name(ctx: Context, code: str | None) -> str:
    if code:
        return zones.get_zone(ctx, code).name
    return _("hele byen")

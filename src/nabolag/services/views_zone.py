"""The zone page: every indicator over time for a zone against its bydel and the city, published figures only.

Uncertainty: an interval stored with the figure is shown as it is (``stored``); otherwise, for a
proportion or a rate with counts, a 95 % interval is worked out from the *published* (rounded) counts
(Wilson for a proportion, exact Poisson for a rate), so the band reveals nothing the counts do not.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from nabolag.analysis.change import infer_kind, period_end, proportion_ci, rate_ci
from nabolag.charts import indicator_chart
from nabolag.domain.indicators import Indicator
from nabolag.domain.zones import Zone
from nabolag.errors import NotFoundError
from nabolag.i18n import _
from nabolag.services import observations, zones
from nabolag.services.baseline import show_baseline
from nabolag.services.context import Context
from nabolag.services.export import describe_reason, published
from nabolag.services.views_access import place_access
from nabolag.services.views_common import (
    ci_method_label,
    indicator_facts,
    indicators_by_code,
    level_label,
    num,
    status_text,
    synthetic_note,
    text,
)
from nabolag.services.views_programme import area_targets

HIDDEN = ("suppressed", "confidential")
PLACES = ("zone", "parent", "city")


def place_ref(z: Zone | None) -> dict[str, object] | None:
    if z is None:
        return None
    return {"code": z.code, "name": z.name, "level": str(z.level), "level_label": level_label(str(z.level))}


def city_of(zone: Zone, by_code: dict[str, Zone]) -> Zone | None:
    """The municipality (level ``kommune``) above ``zone``, following parent codes; None for the city itself."""
    seen = {zone.code}
    current = by_code.get(zone.parent_code or "")
    while current is not None and current.code not in seen:
        if str(current.level) == "kommune":
            return current
        seen.add(current.code)
        current = by_code.get(current.parent_code or "")
    return None


def with_intervals(frame: pd.DataFrame, kinds: dict[str, tuple[str, float]]) -> pd.DataFrame:
    """Add ``ci_method`` and fill missing intervals of published proportions and rates from their counts."""
    out = frame.copy()
    low = out["ci_low"].to_numpy(dtype=float, copy=True)
    high = out["ci_high"].to_numpy(dtype=float, copy=True)
    value = out["value"].astype(float).to_numpy()
    stored = np.isfinite(low) & np.isfinite(high) & np.isfinite(value)
    method = np.where(stored, "stored", "").astype(object)
    num_, den = out["numerator"].astype(float).to_numpy(), out["denominator"].astype(float).to_numpy()
    usable = ~stored & np.isfinite(value) & np.isfinite(num_) & np.isfinite(den) & (den > 0) & (num_ >= 0)
    kind = out["indicator"].map(lambda c: kinds[c][0]).to_numpy()
    scale = out["indicator"].map(lambda c: kinds[c][1]).to_numpy(dtype=float)
    for name, label in (("proportion", "wilson"), ("rate", "poisson-exact")):
        rows = usable & (kind == name)
        if not rows.any():
            continue
        k, n = num_[rows], den[rows]
        if name == "proportion":
            lo, hi = proportion_ci(np.minimum(k, n), n)  # rounding may lift a count above its base
            lo, hi = lo * scale[rows], hi * scale[rows]
        else:
            _rate, lo, hi = rate_ci(k, n, per=scale[rows])
        low[rows], high[rows], method[rows] = lo, hi, label
    out["ci_low"], out["ci_high"], out["ci_method"] = low, high, method
    return out


def _cell(r: dict[str, object]) -> dict[str, object]:
    status = str(r["status"])
    reason_code = text(r.get("suppression_reason"))
    hidden = status in HIDDEN or bool(reason_code)
    return {"value": num(r["value"]), "ci_low": num(r["ci_low"]), "ci_high": num(r["ci_high"]),
            "ci_method": text(r["ci_method"]), "ci_method_label": ci_method_label(text(r["ci_method"])),
            "numerator": num(r["numerator"]), "denominator": num(r["denominator"]), "n": num(r["n"]),
            "status": status, "status_label": status_text(status) if status != "ok" else "",
            "suppressed": hidden, "reason_code": reason_code,
            "reason": describe_reason(reason_code) if reason_code else (status_text(status) if hidden else ""),
            "source": text(r["source"])}


def _sort_periods(periods: set[str]) -> list[str]:
    return sorted(periods, key=lambda p: (period_end(p), p))


def _areas(ctx: Context, zone_code: str) -> tuple[list[dict[str, object]], dict[str, list[dict[str, object]]],
                                                   dict[str, list[dict[str, object]]]]:
    """The areas the zone belongs to; and per indicator, for each area it is a member of, the newest
    baseline (nullpunkt) value and the targets the area's goals set (both for the whole area)."""
    areas, baselines, targets = [], {}, {}
    for a in zones.list_areas(ctx):
        role = "member" if zone_code in a.zone_codes else "comparison" if zone_code in a.comparison_codes else ""
        if not role:
            continue
        areas.append({"code": a.code, "name": a.name, "role": role,
                      "role_label": _("med i området") if role == "member" else _("sammenligningssone")})
        if role != "member":
            continue
        for code, items in area_targets(ctx, a.code).items():
            targets.setdefault(code, []).extend({"area": a.code, "area_name": a.name, **t} for t in items)
        try:
            view = show_baseline(ctx, a.code)
        except NotFoundError:
            continue
        for r in view.frame.to_dict("records"):
            baselines.setdefault(str(r["indicator"]), []).append({
                "area": a.code, "area_name": a.name, "label": view.label, "period": text(r["period"]),
                "value": num(r["value"]), "ci_low": num(r["ci_low"]), "ci_high": num(r["ci_high"]),
                "suppressed": bool(r["suppressed"]), "reason": text(r["suppressed"])})
    return areas, baselines, targets


def _indicator(ctx: Context, ind: Indicator, rows: pd.DataFrame, places: dict[str, str], kind: str,
               baselines: list[dict[str, object]], targets: list[dict[str, object]],
               names: dict[str, str]) -> dict[str, object]:
    """One indicator's series (zone, and parent and city unless a count), groups, baselines and targets, with
    its Vega-Lite chart (``chart``, see :mod:`nabolag.charts`; the page embeds it, the reports render it)."""
    compared = kind != "count"  # a zone's count against the city's says nothing
    totals = rows[rows["groups"] == ""]
    cells: dict[tuple[str, str], dict[str, object]] = {}
    for r in totals.to_dict("records"):
        role = next(k for k, v in places.items() if v == r["zone"])
        cells[(role, str(r["period"]))] = _cell(r)
    own = totals[totals["zone"] == places["zone"]]
    series = [{"period": p, **{role: cells.get((role, p)) for role in places if role == "zone" or compared}}
              for p in _sort_periods(set(own["period"].astype(str)))]
    grouped = rows[(rows["groups"] != "") & (rows["zone"] == places["zone"])]
    groups = [{"period": str(r["period"]), "groups": str(r["groups"]), **_cell(r)}
              for r in grouped.sort_values(["period", "groups"]).to_dict("records")]
    sources = sorted({str(s) for s in rows["source"] if s})
    methods = sorted({str(m) for m in rows["ci_method"] if m})
    item = {**indicator_facts(ctx, ind), "value_kind": kind, "compared": compared,
            "place_names": {role: names[role] for role in places if role == "zone" or compared},
            "series": series, "groups": groups, "baselines": baselines, "targets": targets, "sources": sources,
            "interval_methods": [ci_method_label(m) for m in methods]}
    item["chart"] = indicator_chart(item) if series else None
    return item


def _map(zone: Zone, by_code: dict[str, Zone]) -> dict[str, object]:
    """The zone among its siblings (same parent, same level), so the small map shows where it lies."""
    level = str(zone.level)
    codes = sorted(c for c, z in by_code.items() if zone.parent_code and z.parent_code == zone.parent_code
                   and str(z.level) == level) or [zone.code]
    return {"level": level, "codes": codes, "highlight": [zone.code],
            "url": f"/geo/{level}.geojson?codes={','.join(codes)}"}


def zone_page(ctx: Context, code: str) -> dict[str, object]:
    """The zone, its parent and city, its areas, and every indicator it has figures for, over time."""
    zone = zones.get_zone(ctx, code)
    by_code = {z.code: z for z in zones.list_zones(ctx)}
    parent = by_code.get(zone.parent_code or "")
    city = city_of(zone, by_code)
    places = {"zone": zone.code}
    if parent is not None and (city is None or parent.code != city.code):
        places["parent"] = parent.code
    if city is not None:
        places["city"] = city.code
    raw = observations.query(ctx, zones=list(places.values()))
    raw = raw[raw["zone"].notna()]
    inds = indicators_by_code(ctx)
    names = {role: by_code[c].name for role, c in places.items()}
    areas, baselines, targets = _areas(ctx, zone.code)
    items: list[dict[str, object]] = []
    if not raw.empty and (raw["zone"] == zone.code).any():
        kinds = {c: infer_kind(inds[c].unit, *(g[k].to_numpy(dtype=float) for k in ("numerator", "denominator",
                                                                                      "value")))
                 for c, g in raw.groupby("indicator")}
        shown = with_intervals(published(ctx, raw), kinds)
        for c, rows in shown.groupby("indicator", sort=True):
            if (rows["zone"] == zone.code).any():
                items.append(_indicator(ctx, inds[str(c)], rows, places, kinds[str(c)][0],
                                        baselines.get(str(c), []), targets.get(str(c), []), names))
    synthetic = any(bool(i["synthetic"]) for i in items)
    return {"zone": {**(place_ref(zone) or {}), "source_crs": zone.source_crs, "parent": place_ref(parent),
                     "city": place_ref(city)},
            "places": {role: place_ref(by_code[c]) for role, c in places.items()},
            "areas": areas,
            "map": _map(zone, by_code),
            "indicators": items, "observations": _flat(items), "synthetic": synthetic,
            "access": place_access(ctx, zone=zone.code),
            "note": synthetic_note(synthetic)}


def _flat(items: list[dict[str, object]]) -> list[dict[str, object]]:
    """The zone's own figures as one tidy list (indicator, period, groups, value …), for API users."""
    rows = []
    for ind in items:
        head = {"indicator": ind["code"], "name": ind["name"], "unit": ind["unit"], "synthetic": ind["synthetic"]}
        for s in ind["series"]:  # type: ignore[attr-defined]
            rows.append({**head, "period": s["period"], "groups": "", **s["zone"]})
        for g in ind["groups"]:  # type: ignore[attr-defined]
            rows.append({**head, **g})
    return rows

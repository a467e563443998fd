"""Equity matrix (indicator by indicator against the city and targets) and the gap monitor."""

from __future__ import annotations

import numpy as np
import pandas as pd

from nabolag.analysis.equity import equity_colour, gap, gini
from nabolag.errors import InputError
from nabolag.i18n import _
from nabolag.services import indicators as indicator_service
from nabolag.services import observations, zones
from nabolag.services.context import Context
from nabolag.services.export import published


def _city_values(ctx: Context, codes: list[str], period: str, frame: pd.DataFrame,
                 population: pd.Series | None) -> dict[str, float]:
    city = observations.query(ctx, indicators=codes, level="kommune", periods=[period], groups="")
    out = city.groupby("indicator")["value"].first().to_dict() if not city.empty else {}
    for code in codes:  # no city figure: population-weighted mean of the zones (or plain mean)
        if code not in out or pd.isna(out[code]):
            col = frame[frame["indicator"] == code].set_index("zone")["value"].astype(float)
            w = population.reindex(col.index).fillna(0) if population is not None else pd.Series(1.0, col.index)
            ok = col.notna() & (w > 0)
            out[code] = float(np.average(col[ok], weights=w[ok])) if ok.any() else float("nan")
    return out


def equity_matrix(ctx: Context, period: str, level: str = "delbydel", indicators: list[str] | None = None,
                  targets: dict[str, float] | None = None, area: str | None = None) -> dict[str, object]:
    """Zones × indicators with value, city value, target and colour; for an area, its zones and its
    comparison zones. Values are published figures (small cells suppressed)."""
    inds = {i.code: i for i in indicator_service.list_indicators(ctx)}
    codes = indicators or [c for c, i in inds.items() if str(i.direction) != "neutral"]
    unknown = [c for c in codes if c not in inds]
    if unknown:
        raise InputError(_("Ukjente indikatorer: {codes}", codes=", ".join(unknown)))
    frame = observations.query(ctx, indicators=codes, level=level, periods=[period], groups="")
    if frame.empty:
        raise InputError(_("Ingen data for {period} på nivået {level}", period=period, level=level))
    frame = published(ctx, frame)
    pop = observations.query(ctx, indicators=["befolkning"], level=level, groups="")
    population = pop.sort_values("period").groupby("zone")["value"].last() if not pop.empty else None
    city = _city_values(ctx, codes, period, frame, population)
    members: dict[str, str] = {}
    if area:
        a = zones.get_area(ctx, area)
        members = {**{c: "member" for c in a.zone_codes}, **{c: "comparison" for c in a.comparison_codes}}
    names = {z.code: z.name for z in zones.list_zones(ctx, level=level)}
    rows = []
    for code in codes:
        col = frame[frame["indicator"] == code]
        if members:
            col = col[col["zone"].isin(list(members))]
        colours = equity_colour(col["value"].to_numpy(dtype=float), city[code], (targets or {}).get(code),
                                str(inds[code].direction))
        for r, colour in zip(col.itertuples(), colours, strict=True):
            rows.append({"zone": r.zone, "name": names.get(r.zone, r.zone), "role": members.get(r.zone, ""),
                         "indicator": code, "value": None if pd.isna(r.value) else float(r.value),
                         "status": r.status, "city": city[code], "target": (targets or {}).get(code),
                         "colour": colour})
    return {"period": period, "level": level, "area": area, "indicators": codes, "rows": rows,
            "rule": _("Grønn: som byen eller bedre og nådd målet; gul: bedre enn byen, men ikke nådd målet; "
                      "rød: dårligere enn byen. Uten mål er byens verdi målet."),
            "synthetic": any(inds[c].synthetic for c in codes)}


def gap_monitor(ctx: Context, indicator: str, level: str = "delbydel") -> pd.DataFrame:
    """Per period: best and worst zone, ratio, difference and population-weighted Gini across zones."""
    ind = indicator_service.get_indicator(ctx, indicator)
    frame = observations.query(ctx, indicators=[indicator], level=level, groups="")
    if frame.empty:
        raise InputError(_("Ingen data for {indicator} på nivået {level}", indicator=indicator, level=level))
    frame = published(ctx, frame)
    pop = observations.query(ctx, indicators=["befolkning"], level=level, groups="")
    population = pop.sort_values("period").groupby("zone")["value"].last() if not pop.empty else None
    rows = []
    for period, part in frame.groupby("period", sort=True):
        v = part["value"].to_numpy(dtype=float)
        g = gap(v, str(ind.direction))
        w = population.reindex(part["zone"]).to_numpy(dtype=float) if population is not None else None
        rows.append({"period": period, "zones": int(np.isfinite(v).sum()),
                     "best_zone": part["zone"].iloc[g["best_index"]] if g["best_index"] >= 0 else None,
                     "best": g["best"],
                     "worst_zone": part["zone"].iloc[g["worst_index"]] if g["worst_index"] >= 0 else None,
                     "worst": g["worst"], "ratio": g["ratio"], "difference": g["difference"],
                     "gini": gini(v, w), "gini_unweighted": gini(v)})
    return pd.DataFrame(rows)

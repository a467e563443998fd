"""Read model of the city overview: one measure (an indicator or a composite index) for one period at
one level, in quantile classes, with a ranking, the city's value and, indicator by indicator, the
equity matrix. Published (small-cell protected) figures only: the page is public.

Classes are quantiles (:func:`nabolag.services.maps.quantile_breaks`): five classes with about as many zones each, so a
skewed indicator still spreads over the whole colour ramp, and each colour reads as "the fifth of
zones with the highest values" and so on. The legend gives each class's lowest and highest value.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from nabolag.domain.observations import Status
from nabolag.domain.zones import Level
from nabolag.errors import InputError, NotFoundError
from nabolag.i18n import _, get_language
from nabolag.ingest.index_spec import parse_spec
from nabolag.services import indicators as indicator_service
from nabolag.services import maps, observations, zones
from nabolag.services.context import Context
from nabolag.services.equity import equity_matrix
from nabolag.services.export import describe_reason, published
from nabolag.store import indices as index_repo
from nabolag.store import observations as observation_repo

CLASSES, HIDDEN = maps.CLASSES, maps.HIDDEN


@dataclass(frozen=True)
class Measure:
    kind: str  # "indicator" or "index"
    code: str
    name: str
    unit: str
    worse: str  # "high" (more is worse), "low", or "" (no direction)
    description: str = ""
    challenged_score: int | None = None


def measures(ctx: Context, level: str) -> dict[str, list[Measure]]:
    """Every measure the overview can show at ``level``: indices with a stored run, and indicators."""
    lang = get_language()
    specs = {}
    with ctx.store.read() as conn:
        for name, runs in index_repo.newest_runs(conn, level).items():
            version = max(runs.values())[1]  # the newest run's version describes the spec
            text = index_repo.spec_text(conn, name, version)
            specs[name] = parse_spec(text, name) if text else None
    index = []
    for name, s in sorted(specs.items()):
        title = ((s.title_en if lang == "en" and s.title_en else s.title_nb) if s else "") or name
        index.append(Measure("index", name, title, _("indeks"), "high", s.description if s else "",
                             s.challenged_score if s else None))
    directions = {"higher_is_better": "low", "lower_is_better": "high"}
    with ctx.store.read() as conn:
        present = observation_repo.indicators_at_level(conn, level)
    inds = [Measure("indicator", i.code, i.name(lang), i.unit, directions.get(str(i.direction), ""), i.definition)
            for i in indicator_service.list_indicators(ctx) if i.code in present]
    return {"index": index, "indicator": inds}


def kind_label(kind: str) -> str:
    return _("indeks") if kind == "index" else _("indikator")


def find_measure(found: list[Measure], kind: str, code: str | None, level: str) -> Measure:
    """The measure ``code`` among ``found``; without a code the first one with a direction."""
    if code is None and found:
        return ([m for m in found if m.worse] or found)[0]
    for m in found:
        if m.code == code:
            return m
    raise NotFoundError(_("Ukjent {kind} «{code}» på nivået {level}; finnes: {codes}", kind=kind_label(kind),
                          code=(code or "")[:60], level=level, codes=", ".join(m.code for m in found) or "–"))


def measure_values(ctx: Context, level: str, measure: Measure, period: str | None) -> dict[str, object]:
    """Values of ``measure`` for every zone of ``level`` in ``period`` (``None``: the latest), with
    status, class and legend. A period the measure lacks falls back to the latest, with a notice."""
    if measure.kind == "index":
        periods, frame, city = _index_values(ctx, level, measure, period)
    else:
        periods, frame, city = _indicator_values(ctx, level, measure, period)
    if not periods:
        raise NotFoundError(_("Ingen tall for {measure} på nivået {level}", measure=measure.code, level=level))
    chosen = str(frame.attrs["period"])
    notice = "" if period is None or period == chosen else _(
        "{measure} har ingen tall for {period}; viser {latest}.", measure=measure.name, period=period[:20],
        latest=chosen)
    level_zones = zones.list_zones(ctx, level=level)
    frame = frame.drop_duplicates("code").set_index("code").reindex([z.code for z in level_zones])
    frame["status"] = frame["status"].fillna("missing")
    frame["reason"] = frame["reason"].fillna("")
    values = frame["value"].to_numpy(dtype=float)
    breaks = maps.quantile_breaks(values)
    frame["class"] = maps.classify(values, breaks)
    return {"measure": measure, "level": level, "period": chosen, "periods": periods, "notice": notice,
            "frame": frame, "city": city, "zones": level_zones, "breaks": [round(float(b), 10) for b in breaks],
            "legend": maps.legend(values, frame["class"].to_numpy(), breaks, measure.worse)}


def _indicator_values(ctx: Context, level: str, measure: Measure,
                      period: str | None) -> tuple[list[str], pd.DataFrame, float | None]:
    rows = observations.query(ctx, indicators=[measure.code], level=level, groups="")
    periods = sorted(rows["period"].unique().tolist()) if not rows.empty else []
    if not periods:
        return [], pd.DataFrame(), None
    chosen = period if period in periods else periods[-1]
    pub = published(ctx, rows[rows["period"] == chosen])
    frame = pd.DataFrame({"code": pub["zone"], "value": pub["value"].astype(float), "status": pub["status"],
                          "reason": pub["suppression_reason"]})
    frame.attrs["period"] = chosen
    city_rows = observations.query(ctx, indicators=[measure.code], level=Level.KOMMUNE.value, periods=[chosen],
                                   groups="")
    city = None
    if len(city_rows) == 1:
        value = float(published(ctx, city_rows)["value"].iloc[0])
        city = value if np.isfinite(value) else None
    return periods, frame, city


def _index_values(ctx: Context, level: str, measure: Measure,
                  period: str | None) -> tuple[list[str], pd.DataFrame, float | None]:
    with ctx.store.read() as conn:
        newest = {p: run for p, (run, _v) in index_repo.newest_runs(conn, level).get(measure.code, {}).items()}
        periods = sorted(newest)
        if not periods:
            return [], pd.DataFrame(), None
        chosen = period if period in periods else periods[-1]
        values = index_repo.run_values(conn, newest[chosen])
    frame = pd.DataFrame(values, columns=["code", "value", "score", "rank"])
    frame["value"] = frame["value"].astype(float)
    frame["status"] = np.where(frame["value"].notna(), Status.OK.value, Status.NOT_AVAILABLE.value)
    frame["reason"] = ""
    frame.attrs["period"] = chosen
    return periods, frame, None


def ranking(data: dict[str, object], names: dict[str, str]) -> list[dict[str, object]]:
    """Zones from most to fewest challenges (a measure without direction: highest first); zones
    without a published value last, unranked. Tied values share a rank. ``names``: code → name."""
    frame: pd.DataFrame = data["frame"]  # type: ignore[assignment]
    m: Measure = data["measure"]  # type: ignore[assignment]
    tones = {e["class"]: e["tone"] for e in data["legend"]}  # type: ignore[attr-defined]
    rank = frame["value"].rank(method="min", ascending=m.worse == "low")
    order = sorted(frame.index, key=lambda c: (pd.isna(rank[c]), 0 if pd.isna(rank[c]) else rank[c], names[c]))
    parents = {z.code: z.parent_code for z in data["zones"]}  # type: ignore[attr-defined]
    out = []
    for code in order:
        row = frame.loc[code]
        status, cls = str(row["status"]), int(row["class"])
        item: dict[str, object] = {
            "rank": None if pd.isna(rank[code]) else int(rank[code]), "code": code, "name": names[code],
            "parent": parents[code], "parent_name": names.get(parents[code] or "", ""),
            "value": None if pd.isna(row["value"]) else float(row["value"]), "class": cls if cls >= 0 else None,
            "tone": tones.get(cls, "qs" if status in HIDDEN else "qn"), "status": status,
            "suppressed": status in HIDDEN, "reason": describe_reason(str(row["reason"]))}
        if m.kind == "index":
            score = None if pd.isna(row["score"]) else int(row["score"])
            item["score"] = score
            item["challenged"] = bool(score is not None and m.challenged_score and score >= m.challenged_score)
        out.append(item)
    return out


# --- the page ------------------------------------------------------------------------------------

VIEWS = ("index", "indicator")
MAPPED_LEVELS = tuple(v.value for v in Level if v.value not in ("kommune", "fylke", "land"))


def equity_labels() -> dict[str, str]:
    return {"green": _("som byen eller bedre"), "yellow": _("bedre enn byen, men ikke nådd målet"),
            "red": _("dårligere enn byen"), "grey": _("ikke sammenlignet")}


def level_label(level: str) -> str:
    labels = {"grid": _("rute"), "grunnkrets": _("grunnkrets"), "delbydel": _("delbydel"),
              "levekarssone": _("levekårssone"), "bydel": _("bydel")}
    return labels.get(level, level)


def page(ctx: Context, level: str | None = None, view: str | None = None, measure: str | None = None,
         period: str | None = None) -> dict[str, object]:
    """The whole overview for the chosen level, view, measure and period (defaults: delbydel, the
    index view when an index is computed, the first measure with a direction, the latest period)."""
    counts = {lvl: n for lvl, n in observations.summary(ctx)["zones"].items()  # type: ignore[attr-defined]
              if lvl in MAPPED_LEVELS}
    if level is None:
        level = "delbydel" if "delbydel" in counts else max(counts, key=counts.get, default="delbydel")  # type: ignore[arg-type]
    if level not in counts:
        raise NotFoundError(_("Ukjent nivå «{level}» for kartet; finnes: {levels}", level=level[:40],
                              levels=", ".join(sorted(counts)) or "–"))
    found = measures(ctx, level)
    if view is None:
        view = "index" if found["index"] and measure is None else "indicator"
    if view not in VIEWS:
        raise NotFoundError(_("Ukjent visning «{view}»; bruk index eller indicator", view=view[:40]))
    m = find_measure(found[view], view, measure, level)
    data = measure_values(ctx, level, m, period)
    every = zones.list_zones(ctx)
    names = {z.code: z.name for z in every}
    cities = [z for z in every if z.level == Level.KOMMUNE]
    rows = ranking(data, names)
    chosen = str(data["period"])
    query = f"{'index' if m.kind == 'index' else 'indicator'}={m.code}&period={chosen}"
    return {
        "level": level, "level_label": level_label(level), "view": view, "period": chosen,
        "levels": [{"code": lvl, "label": level_label(lvl), "zones": n} for lvl, n in sorted(counts.items())],
        "measure": {"kind": m.kind, "code": m.code, "name": m.name, "unit": m.unit, "worse": m.worse,
                    "description": m.description, "challenged_score": m.challenged_score},
        "measures": {k: [{"code": x.code, "name": x.name} for x in v] for k, v in found.items()},
        "periods": data["periods"], "notice": data["notice"],
        "classes": {"method": "quantile", "count": CLASSES, "breaks": data["breaks"], "legend": data["legend"],
                    "suppressed": sum(1 for r in rows if r["suppressed"]),
                    "missing": sum(1 for r in rows if r["value"] is None and not r["suppressed"])},
        "city": None if data["city"] is None or len(cities) != 1 else {"code": cities[0].code, "name": cities[0].name,
                                                                       "value": data["city"]},
        "ranking": rows,
        "equity": equity_table(ctx, chosen, level, names) if view == "indicator" else None,
        "map": {"level": level, "geojson": f"/geo/{level}.geojson?{query}", "bbox": maps.layer(ctx, level, 8).bbox},
        "areas": [{"code": a.code, "name": a.name} for a in zones.list_areas(ctx)],
        "synthetic": any(i.synthetic for i in indicator_service.list_indicators(ctx)),
    }


def equity_table(ctx: Context, period: str, level: str, names: dict[str, str]) -> dict[str, object] | None:
    """The equity matrix (:func:`nabolag.services.equity.equity_matrix`) as zones × indicators."""
    try:
        matrix = equity_matrix(ctx, period, level)
    except (NotFoundError, InputError):
        return None
    lang = get_language()
    inds = {i.code: i for i in indicator_service.list_indicators(ctx)}
    with_rows = {r["indicator"] for r in matrix["rows"]}  # type: ignore[attr-defined]
    codes = [c for c in matrix["indicators"] if c in with_rows]  # type: ignore[attr-defined]
    cells: dict[str, dict[str, dict[str, object]]] = {}
    city: dict[str, float | None] = {}
    for r in matrix["rows"]:  # type: ignore[attr-defined]
        cells.setdefault(r["zone"], {})[r["indicator"]] = {
            "value": r["value"], "colour": r["colour"], "suppressed": r["status"] in HIDDEN}
        city[r["indicator"]] = None if r["city"] != r["city"] else r["city"]
    return {"period": period, "rule": matrix["rule"],
            "labels": equity_labels(),
            "indicators": [{"code": c, "name": inds[c].name(lang), "unit": inds[c].unit, "city": city.get(c)}
                           for c in codes],
            "zones": [{"code": z, "name": names.get(z, z), "cells": [cells[z].get(c) for c in codes]}
                      for z in sorted(cells, key=lambda z: names.get(z, z))]}

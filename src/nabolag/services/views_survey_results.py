"""Read model of a survey's results page (``/surveys/{code}/results`` and its ``.json`` twin).

Every figure shown is a **published** one: the survey's stored observations (``survey_results.store_results``)
passed through :func:`nabolag.services.export.published` (primary and secondary small-cell protection over
the whole table, counts rounded). What the stored observations do not hold comes from the weights:

- per place (the city, each programme area, the zones): responses ``n`` (suppressed below the threshold,
  else rounded like every published count), Kish's design effect ``deff = n·Σw²/(Σw)²`` from the raking
  weights (:func:`survey_results.weighted`) and the effective n shown as *published n / deff*, so the two
  together never give back the exact count;
- the change between two rounds (:func:`survey_results.compare_rounds`), shown only where both rounds'
  published values are shown, with the published values and counts beside it.

The radar data are :func:`survey_results.radar` (published values of an area against the city), each with
its Vega-Lite spec (``chart``, :func:`nabolag.charts.radar_chart`).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from nabolag.analysis.suppress import round_to_base
from nabolag.charts import radar_chart
from nabolag.domain.indicators import Direction
from nabolag.domain.survey import Questionnaire, text_in
from nabolag.i18n import _, get_language
from nabolag.services import indicators as indicator_service
from nabolag.services import observations, survey_results
from nabolag.services import survey as survey_service
from nabolag.services import zones as zone_service
from nabolag.services.context import Context
from nabolag.services.export import published, rounding_base
from nabolag.services.survey_base import Survey
from nabolag.services.survey_web import may_edit

KOMMUNE = "kommune"


def _num(v: object, digits: int = 3) -> float | None:
    try:
        x = float(v)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if math.isnan(x) else round(x, digits)


def kish(weights: np.ndarray) -> tuple[float, float]:
    """Kish's design effect ``n·Σw²/(Σw)²`` and effective n ``(Σw)²/Σw²`` of ``weights``."""
    w = np.asarray(weights, dtype=float)
    if len(w) == 0 or w.sum() <= 0:
        return math.nan, 0.0
    return float(len(w) * (w**2).sum() / w.sum() ** 2), float(w.sum() ** 2 / (w**2).sum())


def rounds(ctx: Context, survey: Survey, q: Questionnaire) -> list[dict[str, str]]:
    """Other rounds of the same questionnaire (with a period), oldest first: what a change can be against."""
    found = []
    for s in survey_service.list_surveys(ctx):
        if s.code == survey.code or not s.period or s.status == "draft":
            continue
        if survey_service.get_questionnaire(ctx, s.code).code == q.code:
            found.append({"code": s.code, "title": s.title, "period": s.period})
    return sorted(found, key=lambda r: (r["period"], r["code"]))


def default_round(survey: Survey, others: list[dict[str, str]]) -> str | None:
    """The latest round before this one; else the earliest after it."""
    before = [r for r in others if r["period"] < survey.period]
    if before:
        return before[-1]["code"]
    return others[0]["code"] if others else None


def _names(ctx: Context) -> tuple[dict[str, str], dict[str, str], dict[str, Any]]:
    zones = zone_service.list_zones(ctx)
    areas = zone_service.list_areas(ctx)
    return ({z.code: z.name for z in zones}, {z.code: str(z.level) for z in zones}, {a.code: a for a in areas})


def _published_frame(ctx: Context, codes: list[str], period: str) -> pd.DataFrame:
    stored = observations.query(ctx, indicators=codes, periods=[period], groups="")
    return published(ctx, stored) if not stored.empty else stored


def _cell(pub: pd.DataFrame, indicator: str, place: str, is_area: bool) -> dict[str, Any] | None:
    if pub.empty:
        return None
    col = "area" if is_area else "zone"
    hit = pub[(pub["indicator"] == indicator) & (pub[col] == place)]
    if hit.empty:
        return None
    r = hit.iloc[0]
    return {"value": _num(r["value"]), "ci_low": _num(r["ci_low"]), "ci_high": _num(r["ci_high"]),
            "n": None if _num(r["n"]) is None else int(r["n"]), "status": str(r.get("status") or ""),
            "suppressed": _num(r["value"]) is None}


def place_summary(ctx: Context, code: str, places: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Responses, design effect and effective n per place from the raking weights (see the module text)."""
    frame, _q, row = survey_results.response_frame(ctx, code)
    frame = frame[frame["zone"].notna()]
    zones = sorted(frame["zone"].unique())
    frame = survey_results.weighted(frame, survey_results.population_margins(ctx, zones, str(row["period"])))
    threshold, base = int(ctx.settings.suppression_threshold), rounding_base(ctx)
    out = []
    for p in places:
        part = frame if p["level"] == KOMMUNE else frame[frame["zone"].isin(p["zones"])]
        n = len(part)
        if n == 0:
            continue
        shown = n >= threshold
        n_pub = int(round_to_base(np.array([float(n)]), base)[0]) if threshold > 0 else n
        deff, _n_eff = kish(part["weight"].to_numpy())
        out.append({"code": p["code"], "name": p["name"], "level": p["level"],
                    "n": n_pub if shown else None, "deff": _num(deff) if shown else None,
                    "n_eff": round(n_pub / deff) if shown and deff == deff and deff > 0 else None,
                    "suppressed": not shown})
    return out


def _verdict(low: float | None, high: float | None, direction: str) -> str:
    if low is None or high is None:
        return "unknown"
    if low > 0 or high < 0:
        up = low > 0
        if direction == Direction.LOWER_IS_BETTER.value:
            up = not up
        return "better" if up else "worse"
    return "uncertain"


def verdict_label(verdict: str) -> str:
    return {"better": _("bedre"), "worse": _("dårligere"), "uncertain": _("ingen sikker endring"),
            "unknown": _("vises ikke (for få svar)")}[verdict]


def change_view(ctx: Context, survey: Survey, other: str, labels: dict[str, str], places: list[dict[str, Any]],
                directions: dict[str, str]) -> dict[str, Any]:
    """Change per indicator and place between ``other`` and this round (the earlier period is *before*)."""
    other_s = survey_service.get_survey(ctx, other)
    before, after = (other_s, survey) if other_s.period <= survey.period else (survey, other_s)
    table = survey_results.compare_rounds(ctx, before.code, after.code)
    codes = sorted(labels)
    pub_before = _published_frame(ctx, codes, before.period)
    pub_after = _published_frame(ctx, codes, after.period)
    rows = []
    wanted = {p["code"]: p for p in places}
    for r in table.itertuples(index=False) if not table.empty else []:
        if r.indicator not in labels or r.place not in wanted:
            continue
        is_area = r.level == "area"
        b, a = _cell(pub_before, r.indicator, r.place, is_area), _cell(pub_after, r.indicator, r.place, is_area)
        shown = bool(a and b and not a["suppressed"] and not b["suppressed"])
        low, high = (_num(r.ci_low), _num(r.ci_high)) if shown else (None, None)
        verdict = _verdict(low, high, directions.get(r.indicator, "")) if shown else "unknown"
        rows.append({"indicator": r.indicator, "label": labels[r.indicator], "place": r.place,
                     "place_name": wanted[r.place]["name"], "level": r.level,
                     "before": b["value"] if shown and b else None, "after": a["value"] if shown and a else None,
                     "n_before": b["n"] if shown and b else None, "n_after": a["n"] if shown and a else None,
                     "change": _num(r.change) if shown else None, "ci_low": low, "ci_high": high,
                     "method": r.method if shown else "", "verdict": verdict, "verdict_label": verdict_label(verdict)})
    order = {p["code"]: i for i, p in enumerate(places)}
    rows.sort(key=lambda x: (order[x["place"]], list(labels).index(x["indicator"])))
    return {"before": {"code": before.code, "period": before.period},
            "after": {"code": after.code, "period": after.period}, "rows": rows}


def results_page(ctx: Context, survey: Survey, area: str | None = None, place: str | None = None,
                 other: str | None = None) -> dict[str, Any]:
    """Everything the results page shows; ``area`` picks the area of the zone summary, ``place`` the place
    of the indicator table, ``other`` the round to compare with (default: the latest earlier round)."""
    q = survey_service.get_questionnaire(ctx, survey.code)
    lang = get_language()
    ms = survey_results.measures(q)
    labels = {m.indicator: text_in(q.by_id[m.question].text, lang, q.default_language) for m in ms}
    kinds = {m.indicator: m.kind for m in ms}
    pub = _published_frame(ctx, list(labels), survey.period) if survey.period else pd.DataFrame()
    names, levels, all_areas = _names(ctx)
    catalogue = {i.code: i for i in indicator_service.list_indicators(ctx) if i.code in labels}
    directions = {c: str(getattr(i.direction, "value", i.direction)) for c, i in catalogue.items()}

    zone_places = sorted(set(pub["zone"].dropna()) if not pub.empty else set())
    area_codes = sorted(set(pub["area"].dropna()) if not pub.empty else set())
    city = next((z for z in zone_places if levels.get(z) == KOMMUNE), None)
    areas = [{"code": a, "name": all_areas[a].name, "level": "area", "zones": list(all_areas[a].zone_codes)}
             for a in area_codes if a in all_areas]
    chosen_area = area if area in {a["code"] for a in areas} else (survey.area if survey.area in area_codes else
                                                                  (areas[0]["code"] if areas else None))
    top = ([{"code": city, "name": names.get(city, city), "level": KOMMUNE, "zones": []}] if city else []) + areas
    area_zones = set(all_areas[chosen_area].zone_codes) if chosen_area else set()
    zone_rows = [{"code": z, "name": names.get(z, z), "level": levels.get(z, ""), "zones": [z],
                  "member": z in area_zones} for z in zone_places if z != city]
    zone_rows.sort(key=lambda z: (not z["member"], z["name"]))
    every = top + zone_rows
    chosen_place = place if place in {p["code"] for p in every} else (chosen_area or city or
                                                                      (every[0]["code"] if every else None))
    is_area = chosen_place in {a["code"] for a in areas}

    indicators = []
    for ind, label in labels.items():
        cell = _cell(pub, ind, chosen_place, is_area) if chosen_place else None
        indicators.append({"indicator": ind, "label": label, "kind": kinds[ind],
                           "unit": "%" if kinds[ind] == "proportion" else _("snitt"),
                           **(cell or {"value": None, "ci_low": None, "ci_high": None, "n": None, "status": "",
                                       "suppressed": False}), "stored": cell is not None})

    radars = []
    for a in areas if city else []:
        data = survey_results.radar(ctx, survey.code, a["code"], city)
        for v in data["values"]:
            v["label"] = labels.get(f"{q.code}_{v['theme']}"[:60], v["label"])
            v["place_name"] = a["name"] if v["place"] == "area" else names.get(city, city)
        item = {**data, "area": a["code"], "area_name": a["name"], "city": city, "city_name": names.get(city, city)}
        item["chart"] = radar_chart(item) if item["themes"] else None  # the page embeds it, reports render it
        radars.append(item)

    others = rounds(ctx, survey, q)
    chosen_other = other if other in {r["code"] for r in others} else default_round(survey, others)
    shown_places = top + [z for z in zone_rows if z["code"] == chosen_place]
    change = (change_view(ctx, survey, chosen_other, labels, shown_places, directions)
              if chosen_other and not pub.empty else None)
    with_zone = place_summary(ctx, survey.code, top + zone_rows)  # the chosen area's zones first
    return {
        "survey": survey.as_dict(), "questionnaire": q.code, "stored": not pub.empty,
        "threshold": int(ctx.settings.suppression_threshold), "rounding_base": rounding_base(ctx),
        "area": chosen_area, "place": chosen_place, "other": chosen_other,
        "areas": [{"code": a["code"], "name": a["name"]} for a in areas],
        "places": [{"code": p["code"], "name": p["name"], "level": p["level"]} for p in every],
        "summary": with_zone, "indicators": indicators, "radars": radars, "rounds": others, "change": change,
        "may_store": may_edit(ctx, survey) and bool(survey.period),
        "links": {"admin": f"/surveys/{survey.code}", "json": f"/surveys/{survey.code}/results.json",
                  "store": f"/surveys/{survey.code}/results/store"},
    }

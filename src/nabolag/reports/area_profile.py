"""The living-conditions profile of an area report: the index, each indicator against the comparison
zones and the city (table and chart), and the equity matrix zone by zone. Published figures only."""

from __future__ import annotations

from nabolag.charts import to_svg
from nabolag.errors import InputError
from nabolag.i18n import _, get_language
from nabolag.reports import content as c
from nabolag.reports.area_data import AreaData
from nabolag.reports.area_index import index_blocks
from nabolag.reports.charts import interval_chart
from nabolag.reports.tables import Notes, cell
from nabolag.services import observations
from nabolag.services.context import Context
from nabolag.services.equity import equity_matrix
from nabolag.services.export import describe_reason, published
from nabolag.services.views_common import direction_label, num

#: Equity colour → a mark that carries the meaning without colour.
EQUITY_MARKS = {"green": "●", "yellow": "◐", "red": "○", "grey": ""}


def city_values(ctx: Context, d: AreaData, pairs: set[tuple[str, str]]) -> dict[tuple[str, str], dict[str, object]]:
    """Published city (kommune) figures for (indicator, period) pairs: value, interval, hidden reason."""
    if d.city is None or not pairs:
        return {}
    rows = observations.query(ctx, zones=[d.city.code], indicators=sorted({i for i, _p in pairs}),
                              periods=sorted({p for _i, p in pairs}), groups="")
    if rows.empty:
        return {}
    shown = published(ctx, rows)
    return {(str(r["indicator"]), str(r["period"])): {"value": r["value"], "ci_low": r["ci_low"],
                                                      "ci_high": r["ci_high"], "reason": r["suppression_reason"]}
            for r in shown.to_dict("records")}


def _level_rows(d: AreaData) -> list[dict[str, object]]:
    """Per indicator: the period and the area's and comparison zones' published value with interval."""
    out = []
    if d.follow_up and d.change is not None:
        for r in d.change.frame.to_dict("records"):
            out.append({"indicator": r["indicator"], "unit": r["unit"], "period": r["latest_period"],
                        "value": r["latest_value"], "low": r["latest_ci_low"], "high": r["latest_ci_high"],
                        "c_value": r["comparison_latest_value"], "c_low": r["comparison_latest_ci_low"],
                        "c_high": r["comparison_latest_ci_high"], "suppressed": r["suppressed"],
                        "comparison_hidden": "comparison_latest" in str(r["suppressed_parts"]).split(",")})
        return out
    for r in d.baseline.frame.to_dict("records"):
        out.append({"indicator": r["indicator"], "unit": r["unit"], "period": r["period"], "value": r["value"],
                    "low": r["ci_low"], "high": r["ci_high"], "c_value": r["comparison_value"],
                    "c_low": r["comparison_ci_low"], "c_high": r["comparison_ci_high"], "suppressed": r["suppressed"],
                    "comparison_hidden": "comparison" in str(r["suppressed_parts"]).split(",")})
    return out


def level_blocks(ctx: Context, d: AreaData) -> list[dict[str, object] | None]:
    lang, notes = get_language(), Notes()
    rows = _level_rows(d)
    city = city_values(ctx, d, {(str(r["indicator"]), str(r["period"])) for r in rows if r["period"]})
    city_name = d.city.name if d.city else _("byen")
    comparison = _("Sammenligningssonene")
    table_rows, chart_rows = [], []
    for r in rows:
        code, unit = str(r["indicator"]), str(r["unit"])
        name = d.indicator_name(code, lang)
        hidden = str(r["suppressed"] or "")
        area_hidden = bool(hidden) and num(r["value"]) is None
        comp_hidden = bool(r["comparison_hidden"]) and num(r["c_value"]) is None
        cv = city.get((code, str(r["period"])), {})
        city_hidden = bool(cv.get("reason"))
        table_rows.append({
            "_key": code, "name": name, "period": r["period"] or "",
            "direction": direction_label(str(d.indicators[code].direction)) if code in d.indicators else "",
            "area": cell(r["value"], unit, r["low"], r["high"], suppressed=area_hidden, reason=hidden,
                         notes=notes),
            "comparison": cell(r["c_value"], unit, r["c_low"], r["c_high"], suppressed=comp_hidden,
                               reason=hidden, notes=notes),
            "city": cell(cv.get("value"), unit, cv.get("ci_low"), cv.get("ci_high"), suppressed=city_hidden,
                         reason=describe_reason(str(cv.get("reason") or "")), notes=notes)})
        for series, v, lo, hi, hide in ((d.area.name, r["value"], r["low"], r["high"], area_hidden),
                                        (comparison, r["c_value"], r["c_low"], r["c_high"], comp_hidden),
                                        (city_name, cv.get("value"), cv.get("ci_low"), cv.get("ci_high"),
                                         city_hidden)):
            if not hide and num(v) is not None:
                chart_rows.append({"indicator": name, "unit": unit, "series": series, "value": num(v),
                                   "lo": num(lo), "hi": num(hi)})
    when = _("siste tall") if d.follow_up else _("nullpunktet «{label}»", label=d.baseline.label)
    table = {"id": "tab-nivaa", "caption": _("Indikatorene i {area}, sammenligningssonene og {city} ({when})",
                                              area=d.area.name, city=city_name, when=when),
             "columns": [{"key": "name", "label": _("Indikator")}, {"key": "period", "label": _("Periode")},
                         {"key": "direction", "label": _("Retning")},
                         {"key": "area", "label": d.area.name, "num": True},
                         {"key": "comparison", "label": comparison, "num": True},
                         {"key": "city", "label": city_name, "num": True}],
             "rows": table_rows, "notes": notes.items,
             "source": _("indikatorenes kilder (se metodevedlegget); 95 % konfidensintervall i parentes")}
    spec = interval_chart(chart_rows, [d.area.name, comparison, city_name], value_title=_("Verdi"),
                          description=_("Indikatorene i {area} mot sammenligningssonene og {city}",
                                        area=d.area.name, city=city_name))
    figure = c.figure(to_svg(spec, 640) if spec else None,
                      _("Hver indikator i {area}, i sammenligningssonene og i {city}, med 95 % konfidensintervall "
                        "(streken). Én rute per måleenhet.", area=d.area.name, city=city_name),
                      _("indikatorenes kilder (se metodevedlegget)"), "fig-nivaa")
    return [c.table(table), figure]


def equity_blocks(ctx: Context, d: AreaData) -> list[dict[str, object] | None]:
    """The equity matrix (indicator × zone, coloured against the city and the target), in two tables."""
    codes = [str(x) for x in d.baseline.frame.get("indicator", []) if str(x) in d.indicators
             and str(d.indicators[str(x)].direction) != "neutral"]
    period = (d.latest_period if d.follow_up else d.baseline_period) or d.baseline_period
    if not codes:
        return []
    targets = {k: float(v[0]["value"]) for k, v in d.targets.items() if v and v[0].get("value") is not None}  # type: ignore[arg-type]
    try:
        em = equity_matrix(ctx, period, d.level, indicators=codes, targets=targets, area=d.area.code)
    except InputError as exc:  # no data at the level or period: say so instead of failing the report
        return [c.notice(_("Likhetsmatrisen kan ikke lages for {period}: {detail}", period=period,
                           detail=exc.message))]
    cells = {(str(r["indicator"]), str(r["zone"])): r for r in em["rows"]}  # type: ignore[attr-defined]
    lang = get_language()
    blocks: list[dict[str, object] | None] = [c.text(str(em["rule"]) + " " + _(
        "Tegnet i cellen sier det samme som fargen: ● som byen eller bedre (og nådd målet), ◐ bedre enn byen men "
        "ikke nådd målet, ○ dårligere enn byen."))]
    for part, zone_codes, caption in (
            ("omrade", d.area.zone_codes, _("Likhetsmatrise {period}: sonene i {area}", period=period,
                                            area=d.area.name)),
            ("sammenligning", d.area.comparison_codes, _("Likhetsmatrise {period}: sammenligningssonene",
                                                        period=period))):
        if not zone_codes:
            continue
        notes, rows = Notes(), []
        for code in codes:
            unit = d.indicators[code].unit
            row: dict[str, object] = {"_key": code, "name": d.indicator_name(code, lang)}
            city_value = next((r["city"] for (i, _z), r in cells.items() if i == code), None)
            row["city"] = cell(city_value, unit)
            for z in zone_codes:
                r = cells.get((code, z))
                hidden = r is not None and str(r["status"]) in ("suppressed", "confidential")
                colour = str(r["colour"]) if r else "grey"
                x = cell(None if r is None else r["value"], unit, suppressed=hidden,
                         reason=_("prikket (små tall)") if hidden else "", notes=notes)
                x.update({"class": colour, "mark": EQUITY_MARKS.get(colour, "")})
                row[z] = x
            rows.append(row)
        cols = [{"key": "name", "label": _("Indikator")}] + [{"key": z, "label": d.name(z), "num": True}
                                                             for z in zone_codes]
        cols.append({"key": "city", "label": d.city.name if d.city else _("Byen"), "num": True})
        blocks.append(c.table({"id": f"tab-likhet-{part}", "caption": caption, "columns": cols, "rows": rows,
                               "notes": notes.items, "class": "equity",
                               "source": _("indikatorenes kilder; mål fra programmets mål der de finnes")}))
    return blocks


def profile_section(ctx: Context, d: AreaData) -> dict[str, object]:
    return c.section("levekar", _("Levekår: området mot byen og sammenligningssonene"), [], [
        c.section("levekar-indeks", _("Levekårsindeks"), index_blocks(ctx, d)),
        c.section("levekar-indikatorer", _("Indikator for indikator"), level_blocks(ctx, d)),
        c.section("levekar-likhet", _("Likhetsmatrise"), equity_blocks(ctx, d)),
    ])

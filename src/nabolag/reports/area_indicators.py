"""Every indicator of an area report with its baseline value and interval, target and source (and, in a
follow-up, the latest value and the verdict). Indicators in the frozen baseline come from it; the
programme's own indicators (counts, observations, surveys) from the area's first and latest published
observation, with an interval worked out from the published counts where there are counts."""

from __future__ import annotations

from typing import Any

import pandas as pd

from nabolag.analysis.change import infer_kind
from nabolag.i18n import _, get_language
from nabolag.reports import content as c
from nabolag.reports.area_data import AreaData
from nabolag.reports.format import number
from nabolag.reports.tables import Notes, cell, text_cell
from nabolag.services import observations
from nabolag.services.context import Context
from nabolag.services.export import describe_reason, published
from nabolag.services.views_common import method_label
from nabolag.services.views_zone import with_intervals


def programme_codes(d: AreaData) -> list[str]:
    """The indicators the logic model links to goals and measures, in the model's order."""
    found: list[str] = []
    for g in d.logic.get("goals") or []:  # type: ignore[attr-defined]
        for n in g["indicators"]:
            found.append(str(n["code"]))
        for m in g["measures"]:
            found += [str(n["code"]) for n in m["indicators"]]
    return list(dict.fromkeys(found))


def own_series(ctx: Context, d: AreaData, codes: list[str]) -> dict[str, pd.DataFrame]:
    """The area's own published observations (whole population) per indicator, oldest first, with intervals."""
    key = ("own_series", tuple(codes))
    if key not in d.cache:
        d.cache[key] = _own_series(ctx, d, codes)
    return d.cache[key]  # type: ignore[return-value]


def _own_series(ctx: Context, d: AreaData, codes: list[str]) -> dict[str, pd.DataFrame]:
    if not codes:
        return {}
    rows = observations.query(ctx, areas=[d.area.code], indicators=codes, groups="")
    if rows.empty:
        return {}
    kinds = {str(code): infer_kind(d.indicators[str(code)].unit, *(g[k].to_numpy(dtype=float)
                                                                  for k in ("numerator", "denominator", "value")))
             for code, g in rows.groupby("indicator")}
    shown = with_intervals(published(ctx, rows), kinds)
    return {str(code): g.sort_values("period") for code, g in shown.groupby("indicator")}


def _target(d: AreaData, code: str, unit: str) -> str:
    items = d.targets.get(code) or []
    return "; ".join(number(t["value"], unit) + (f" ({t['period']})" if t.get("period") else "") for t in items)


def _methods(d: AreaData) -> dict[str, str]:
    found: dict[str, str] = {}
    for g in d.logic.get("goals") or []:  # type: ignore[attr-defined]
        for n in [*g["indicators"], *(x for m in g["measures"] for x in m["indicators"])]:
            if n.get("method_label"):
                found.setdefault(str(n["code"]), str(n["method_label"]))
    return found


def _own_point(r: Any, unit: str, notes: Notes) -> dict[str, object]:
    reason = str(r["suppression_reason"] or "")
    return cell(r["value"], unit, r["ci_low"], r["ci_high"], suppressed=bool(reason) or r["status"] in
                ("suppressed", "confidential"), reason=describe_reason(reason) or _("skjult av kilden"), notes=notes)


def indicator_rows(ctx: Context, d: AreaData) -> tuple[list[dict[str, object]], Notes]:
    lang, notes = get_language(), Notes()
    frozen = {str(r["indicator"]): r for r in d.baseline.frame.to_dict("records")}
    changed = {str(r["indicator"]): r for r in d.change.frame.to_dict("records")} if d.change is not None else {}
    codes = list(dict.fromkeys([*frozen, *programme_codes(d)]))
    own = own_series(ctx, d, [x for x in codes if x not in frozen and x in d.indicators])
    methods = _methods(d)
    rows = []
    for code in codes:
        ind = d.indicators.get(code)
        if ind is None:
            continue
        unit = ind.unit
        row: dict[str, object] = {"_key": code, "name": ind.name(lang), "unit": unit,
                                  "method": methods.get(code) or method_label(str(ind.method)),
                                  "target": _target(d, code, unit), "source": ind.source or "–"}
        if code in frozen:
            r = frozen[code]
            hidden = str(r["suppressed"] or "")
            row["period"] = str(r["period"])
            row["baseline"] = cell(r["value"], unit, r["ci_low"], r["ci_high"], reason=hidden, notes=notes,
                                   suppressed=bool(hidden) and pd.isna(r["value"]), note=str(r["note"] or ""))
        elif code in own:
            first = own[code].iloc[0]
            row["period"] = str(first["period"])
            row["baseline"] = _own_point(first, unit, notes)
        else:
            row["period"] = ""
            row["baseline"] = text_cell("–", _("ingen tall for hele området"), notes)
        if d.follow_up:
            _latest(row, code, unit, changed.get(code), own.get(code), notes)
        rows.append(row)
    return rows, notes


def _latest(row: dict[str, object], code: str, unit: str, ch: dict[str, Any] | None, series: pd.DataFrame | None,
            notes: Notes) -> None:
    if ch is not None:
        hidden = str(ch["suppressed"] or "")
        row["latest_period"] = str(ch["latest_period"] or "")
        row["latest"] = cell(ch["latest_value"], unit, ch["latest_ci_low"], ch["latest_ci_high"],
                             suppressed=bool(hidden) and pd.isna(ch["latest_value"]), reason=hidden, notes=notes)
        row["verdict"] = text_cell(str(ch["verdict_text"] or "–"), str(ch["note"] or ""), notes)
    elif series is not None and len(series) > 1:
        last = series.iloc[-1]
        row["latest_period"] = str(last["period"])
        row["latest"] = _own_point(last, unit, notes)
        row["verdict"] = text_cell("–", _("ingen vurdering: tallene har ikke usikkerhet som kan sammenlignes"),
                                   notes)
    else:
        row["latest_period"] = ""
        row["latest"] = text_cell("–", _("ingen nyere tall enn nullpunktet"), notes)
        row["verdict"] = text_cell("–")


def indicators_section(ctx: Context, d: AreaData) -> dict[str, object]:
    rows, notes = indicator_rows(ctx, d)
    cols = [{"key": "name", "label": _("Indikator")}, {"key": "unit", "label": _("Enhet")},
            {"key": "period", "label": _("Periode")}, {"key": "baseline", "label": _("Nullpunkt"), "num": True}]
    if d.follow_up:
        cols += [{"key": "latest_period", "label": _("Siste periode")},
                 {"key": "latest", "label": _("Siste"), "num": True},
                 {"key": "verdict", "label": _("Vurdering")}]
    cols += [{"key": "target", "label": _("Målverdi"), "num": True}, {"key": "method", "label": _("Metode")},
             {"key": "source", "label": _("Kilde")}]
    caption = (_("Indikatorene: nullpunkt, siste verdi, mål og kilde") if d.follow_up
               else _("Indikatorene: nullpunkt med usikkerhet, mål og kilde"))
    intro = _("Tabellen har alle indikatorene i nullpunktet «{label}» og alle indikatorene programmet har knyttet "
              "til mål og tiltak. 95 % konfidensintervall står i parentes der tallene har usikkerhet; «:» betyr at "
              "tallet er prikket fordi det bygger på for få personer.", label=d.baseline.label)
    return c.section("indikatorer", _("Indikatorer, nullpunkt og mål"), [
        c.text(intro),
        c.table({"id": "tab-indikatorer", "caption": caption, "columns": cols, "rows": rows, "notes": notes.items,
                 "class": "indicators"})], wide=d.follow_up)

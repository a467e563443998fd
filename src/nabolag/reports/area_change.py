"""The follow-up chapters of an area report: change since the baseline with intervals and verdicts,
difference-in-differences against the comparison zones (all from :func:`nabolag.services.baseline.compare`),
and what could not be measured, and why."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pandas as pd

from nabolag.charts import to_svg
from nabolag.i18n import _, get_language
from nabolag.reports import content as c
from nabolag.reports.area_data import AreaData
from nabolag.reports.area_indicators import own_series, programme_codes
from nabolag.reports.charts import interval_chart
from nabolag.reports.tables import Notes, cell, text_cell
from nabolag.services.context import Context


def _missing(v: object) -> bool:
    return v is None or bool(pd.isna(v))  # type: ignore[arg-type]


def _row(r: dict[str, Any], name: str, notes: Notes) -> dict[str, object]:
    unit, hidden = str(r["unit"]), str(r["suppressed"] or "")

    def v(prefix: str, signed: bool = False) -> dict[str, object]:
        value = r[prefix] if prefix in ("change", "did", "comparison_change") else r[f"{prefix}_value"]
        lo = r.get(f"{prefix}_ci_low")
        hi = r.get(f"{prefix}_ci_high")
        return cell(value, unit, lo, hi, signed=signed, suppressed=bool(hidden) and _missing(value), reason=hidden,
                    notes=notes)

    return {"_key": r["indicator"], "name": name,
            "periods": f"{r['baseline_period'] or ''} → {r['latest_period'] or '–'}",
            "baseline": v("baseline"), "latest": v("latest"), "change": v("change", True),
            "verdict": text_cell(str(r["verdict_text"] or "–"), str(r["note"] or ""), notes),
            "comparison_change": v("comparison_change", True), "did": v("did", True),
            "did_verdict": text_cell(str(r["did_verdict_text"] or "–"))}


def change_section(d: AreaData) -> dict[str, object]:
    assert d.change is not None
    lang, notes = get_language(), Notes()
    frame = d.change.frame
    rows = [_row(r, d.indicator_name(str(r["indicator"]), lang), notes) for r in frame.to_dict("records")]
    blocks: list[dict[str, object] | None] = []
    if not d.has_later_data:
        blocks.append(c.notice(_("Det finnes ennå ingen tall nyere enn nullpunktet «{label}» ({period}), så endring "
                                 "kan ikke måles. Rapporten viser nullpunktet; lag den igjen når nye tall er lastet "
                                 "inn.", label=d.baseline.label, period=d.baseline_period)))
    counts = Counter(str(v) for v in frame.get("verdict", []) if v)
    if counts:
        from nabolag.services.baseline import verdict_text

        blocks.append(c.text(_("Siden nullpunktet: {parts}.", parts=", ".join(
            f"{n} {verdict_text(k)}" for k, n in counts.most_common()))))
    blocks.append(c.text(_("Endringen er siste verdi minus nullpunktet, med 95 % konfidensintervall. «Forskjell» er "
                           "områdets endring minus endringen i sammenligningssonene (forskjell-i-forskjeller): et "
                           "tall under null betyr at indikatoren falt mer i området enn i sammenligningssonene.")))
    table = {"id": "tab-endring", "caption": _("Endring siden nullpunktet «{label}» i {area}", label=d.baseline.label,
                                                area=d.area.name),
             "columns": [{"key": "name", "label": _("Indikator")}, {"key": "periods", "label": _("Perioder")},
                         {"key": "baseline", "label": _("Nullpunkt"), "num": True},
                         {"key": "latest", "label": _("Siste"), "num": True},
                         {"key": "change", "label": _("Endring"), "num": True},
                         {"key": "verdict", "label": _("Vurdering")},
                         {"key": "comparison_change", "label": _("Endring i sammenligningssonene"), "num": True},
                         {"key": "did", "label": _("Forskjell"), "num": True},
                         {"key": "did_verdict", "label": _("Vurdering mot sammenligning")}],
             "rows": rows, "notes": notes.items, "source": d.change.method_text()}
    blocks.append(c.table(table))
    blocks.append(_chart(d, frame, lang))
    return c.section("endring", _("Endring siden nullpunktet"), blocks, wide=True)


def _chart(d: AreaData, frame: pd.DataFrame, lang: str) -> dict[str, object] | None:
    own, did = _("Endring i {area}", area=d.area.name), _("Forskjell mot sammenligningssonene")
    rows = []
    for r in frame.to_dict("records"):
        name = d.indicator_name(str(r["indicator"]), lang)
        for series, key in ((own, "change"), (did, "did")):
            if not _missing(r[key]):
                unit = _("prosentpoeng") if str(r["unit"]).strip().lower() in ("prosent", "%") else r["unit"]
                rows.append({"indicator": name, "unit": unit, "series": series, "value": float(r[key]),
                             "lo": None if _missing(r[f"{key}_ci_low"]) else float(r[f"{key}_ci_low"]),
                             "hi": None if _missing(r[f"{key}_ci_high"]) else float(r[f"{key}_ci_high"])})
    spec = interval_chart(rows, [own, did], zero=True, value_title=_("Endring"),
                          description=_("Endring siden nullpunktet i {area}, og forskjellen mot "
                                        "sammenligningssonene", area=d.area.name))
    if spec is None:
        return None
    return c.figure(to_svg(spec, 640), _("Endring siden nullpunktet «{label}» med 95 % konfidensintervall (streken), "
                                         "og forskjellen mot sammenligningssonene. En strek som krysser null er "
                                         "ingen klar endring.", label=d.baseline.label),
                    _("indikatorenes kilder; beregning i nabolag (se metodevedlegget)"), "fig-endring")


def not_measured(ctx: Context, d: AreaData) -> list[dict[str, object]]:
    """Every indicator that lacks a figure in this report, with the reason."""
    lang, found = get_language(), []
    frame = d.change.frame if d.change is not None else d.baseline.frame
    for r in frame.to_dict("records"):
        name = d.indicator_name(str(r["indicator"]), lang)
        if r.get("suppressed"):
            found.append({"name": name, "what": _("prikket"), "why": str(r["suppressed"])})
        if r.get("note"):
            found.append({"name": name, "what": _("mangler tall"), "why": str(r["note"])})
    in_baseline = set(frame.get("indicator", []))
    rest = [x for x in programme_codes(d) if x not in in_baseline and x in d.indicators]
    series = own_series(ctx, d, rest)
    for code in rest:
        name = d.indicator_name(code, lang)
        s = series.get(code)
        if s is None:
            found.append({"name": name, "what": _("ingen tall"), "why": _("ingen tall for hele området er lagret "
                                                                          "(bare for grupper, eller ingen)")})
        elif len(s) < 2 and d.follow_up:
            found.append({"name": name, "what": _("ingen endring"), "why": _("bare én periode ({period})",
                                                                            period=s["period"].iloc[0])})
        elif (s["suppression_reason"].astype(str) != "").any():
            periods = ", ".join(s.loc[s["suppression_reason"].astype(str) != "", "period"].astype(str))
            found.append({"name": name, "what": _("prikket"), "why": _("for få i grunnlaget i {periods}",
                                                                      periods=periods)})
    for f in d.logic.get("flags") or []:  # type: ignore[attr-defined]
        if f["code"] in ("indicator_without_data", "indicator_by_group_only", "indicator_without_method"):
            found.append({"name": d.indicator_name(str(f.get("indicator", "")), lang), "what": _("logikkmodellen"),
                          "why": str(f["message"])})
    return found


def not_measured_section(ctx: Context, d: AreaData) -> dict[str, object]:
    rows = [{"_key": str(i), **r} for i, r in enumerate(not_measured(ctx, d))]
    if not rows:
        return c.section("ikke-malt", _("Hva som ikke kunne måles, og hvorfor"),
                         [c.text(_("Alle indikatorene har tall for nullpunktet og siste periode."))])
    return c.section("ikke-malt", _("Hva som ikke kunne måles, og hvorfor"), [
        c.text(_("Noen tall mangler: de er prikket fordi de bygger på for få personer, dataene for en periode "
                 "mangler, eller indikatoren har ingen tall ennå.")),
        c.table({"id": "tab-ikke-malt", "caption": _("Indikatorer uten tall, og grunnen"),
                 "columns": [{"key": "name", "label": _("Indikator")}, {"key": "what", "label": _("Hva")},
                             {"key": "why", "label": _("Hvorfor")}],
                 "rows": rows})])

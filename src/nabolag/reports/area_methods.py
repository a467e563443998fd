"""The methods appendix of an area report: sources and periods, small-cell protection, survey weighting,
the index specification and how baseline and change are worked out."""

from __future__ import annotations

from typing import Any

from nabolag.i18n import _, get_language
from nabolag.reports import content as c
from nabolag.reports.area_data import AreaData
from nabolag.reports.area_index import load_runs, method_text
from nabolag.reports.area_indicators import own_series, programme_codes
from nabolag.reports.tables import cell
from nabolag.services.baseline import ChangeTable
from nabolag.services.context import Context
from nabolag.services.export import SYNTHETIC_NOTE
from nabolag.services.views_common import direction_label, kind_label, method_label, rule_sentences


def sources_table(ctx: Context, d: AreaData) -> dict[str, object]:
    lang = get_language()
    frozen = {str(r["indicator"]): str(r["period"]) for r in d.baseline.frame.to_dict("records")}
    latest = ({str(r["indicator"]): str(r["latest_period"] or "") for r in d.change.frame.to_dict("records")}
              if d.change is not None else {})
    codes = list(dict.fromkeys([*frozen, *programme_codes(d)]))
    own = own_series(ctx, d, [x for x in codes if x not in frozen and x in d.indicators])
    for code, series in own.items():
        periods = series["period"].astype(str)
        frozen[code] = periods.iloc[0]
        if d.follow_up and len(periods) > 1:
            latest[code] = periods.iloc[-1]
    rows = []
    for code in codes:
        ind = d.indicators.get(code)
        if ind is None:
            continue
        rows.append({"_key": code, "name": ind.name(lang), "definition": ind.definition or "–",
                     "source": ind.source or "–", "method": method_label(str(ind.method)),
                     "kind": kind_label(str(ind.kind)), "periods": " → ".join(p for p in (frozen.get(code, ""),
                                                                                        latest.get(code, "")) if p),
                     "synthetic": _("ja") if ind.synthetic else _("nei")})
    return {"id": "tab-kilder", "caption": _("Indikatorenes definisjon, kilde og perioder"),
            "columns": [{"key": "name", "label": _("Indikator")}, {"key": "definition", "label": _("Definisjon")},
                        {"key": "source", "label": _("Kilde")}, {"key": "method", "label": _("Metode")},
                        {"key": "kind", "label": _("Type")}, {"key": "periods", "label": _("Perioder")},
                        {"key": "synthetic", "label": _("Syntetisk")}],
            "rows": rows}


def suppression_text(ctx: Context, d: AreaData) -> str:
    text = _("Små tall er prikket (vist som «:» med en fotnote): et tall som bygger på færre enn {threshold} personer "
             "eller hendelser vises ikke (primær prikking), og heller ikke tall som ellers kunne regnes ut fra en sum "
             "av soner eller grupper (sekundær prikking). Områdets verdi er prikket når en av medlemssonenes tall er "
             "prikket, for da kunne summen avsløre den.", threshold=int(ctx.settings.suppression_threshold))
    rules = rule_sentences(ctx, d.indicators.values())
    return f"{text} {rules}" if rules else text


def weighting_blocks(page: dict[str, Any] | None, d: AreaData) -> list[dict[str, object] | None]:
    if page is None:
        return [c.text(_("Rapporten har ingen resultater fra innbyggerundersøkelser, så ingen vekting er brukt."))]
    rows = [{"_key": s["code"], "name": s["name"], "n": cell(None if s["suppressed"] else s["n"], "antall"),
             "deff": cell(s["deff"], digits=2), "n_eff": cell(None if s["suppressed"] else s["n_eff"], "antall")}
            for s in page["summary"] if s["level"] in ("kommune", "area") or s["code"] in d.area.zone_codes]
    return [c.text(_("Svarene i innbyggerundersøkelsen er vektet (raking) slik at de i hver sone ligner befolkningen "
                     "etter alder og kjønn (SSBs befolkningstall). Vektingen gjør usikkerheten større; designeffekten "
                     "sier hvor mye, og effektivt antall svar er antall svar delt på designeffekten. Intervallene er "
                     "regnet med de effektive antallene.")),
            c.table({"id": "tab-vekting", "caption": _("Vekting: svar, designeffekt og effektivt antall"),
                     "columns": [{"key": "name", "label": _("Sted")}, {"key": "n", "label": _("Svar"), "num": True},
                                 {"key": "deff", "label": _("Designeffekt"), "num": True},
                                 {"key": "n_eff", "label": _("Effektivt antall"), "num": True}],
                     "rows": rows})]


def index_blocks(ctx: Context, d: AreaData) -> list[dict[str, object] | None]:
    runs = load_runs(ctx, d, d.latest_period if d.follow_up else d.baseline_period)
    if not runs:
        return [c.text(_("Ingen levekårsindeks er beregnet."))]
    lang, blocks = get_language(), []
    for run in runs:
        blocks.append(c.text(method_text(run, d.level)))
        rows = [{"_key": comp.indicator, "name": d.indicator_name(comp.indicator, lang),
                 "weight": cell(comp.weight, digits=2),
                 "direction": direction_label(comp.direction or str(d.indicators[comp.indicator].direction)
                                              if comp.indicator in d.indicators else comp.direction or "")}
                for comp in run.spec.components]
        blocks.append(c.table({"id": f"tab-spes-{run.spec.name}", "caption": _("Komponentene i «{index}»",
                                                                                index=run.title()),
                               "columns": [{"key": "name", "label": _("Indikator")},
                                           {"key": "weight", "label": _("Vekt"), "num": True},
                                           {"key": "direction", "label": _("Retning")}],
                               "rows": rows}))
    return blocks


def methods_section(ctx: Context, d: AreaData, page: dict[str, Any] | None) -> dict[str, object]:
    change_text = (d.change or ChangeTable(area=d.area, label=d.baseline.label, frozen_at=d.baseline.frozen_at,
                                           frame=d.baseline.frame)).method_text()
    children = [
        c.section("metode-prikking", _("Prikking av små tall"), [c.text(suppression_text(ctx, d))]),
        c.section("metode-vekting", _("Vekting av undersøkelsen"), weighting_blocks(page, d)),
        c.section("metode-indeks", _("Indeksens spesifikasjon"), index_blocks(ctx, d)),
        c.section("metode-endring", _("Nullpunkt, endring og sammenligning"), [
            c.text(change_text),
            c.text(_("Likhetsmatrisen: grønn er som byen eller bedre og nådd målet, gul er bedre enn byen men ikke "
                     "nådd målet, rød er dårligere enn byen; uten mål er byens verdi målet."))]),
    ]
    children.append(c.section("metode-kilder", _("Kilder og perioder"), [c.table(sources_table(ctx, d))], wide=True))
    if d.synthetic:
        children.insert(-1, c.section("metode-syntetisk", _("Syntetiske data"), [c.text(_(
            "Levekårstallene og programdataene i denne rapporten er syntetiske demodata ({note}). Soner og befolkning "
            "er ekte.", note=SYNTHETIC_NOTE))]))
    return c.section("metode", _("Metodevedlegg"), [], children)

"""``nabolag index``: the composite living-conditions index."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from nabolag.cli.common import console, service_context
from nabolag.i18n import _


def index(tctx: typer.Context,
          spec: str = typer.Option("oslo-levekar", help="Innebygd (ssb-levekar, oslo-levekar) eller en YAML-fil"),
          period: str = typer.Option(..., help="Periode, f.eks. 2024"),
          level: str = typer.Option("delbydel", help="Sonenivå"),
          output: Path = typer.Option(None, "--output", "-o", help="Skriv til .csv, .xlsx, .geojson eller .gpkg"),
          top: int = typer.Option(15, help="Vis så mange soner med flest utfordringer"),
          sensitivity: int = typer.Option(0, help="Antall kjøringer med andre vekter og normaliseringer "
                                                  "(f.eks. 200); viser rangintervall")) -> None:
    """Beregn en sammensatt levekårsindeks og vis metoden. / Compute a composite index and show the method."""
    from nabolag.services.index import compute_index, write_index

    with service_context(tctx) as ctx:
        table = compute_index(ctx, spec, period, level, sensitivity_runs=sensitivity)
        if output:
            write_index(ctx, table, output)
    console.print(table.method_text(), highlight=False)
    shown = table.frame.sort_values(["rank", "code"]).head(top)
    t = Table(_("Rang"), _("Kode"), _("Navn"), _("Indeks"), _("Poeng 1–10"), _("Utfordret"),
              title=_("Soner med flest utfordringer"))
    labels = robustness_labels()
    if sensitivity:
        t.add_column(_("Rangintervall"))
        t.add_column(_("Robusthet"))
    for r in shown.itertuples():
        cells = ["" if r.rank != r.rank else f"{r.rank:.0f}", r.code, r.name,
                 "" if r.value != r.value else f"{r.value:.3f}", "" if r.score != r.score else f"{r.score:.0f}",
                 _("ja") if r.challenged else ""]
        if sensitivity:
            cells += [f"{r.rank_low:.0f}–{r.rank_high:.0f}" if r.rank_low == r.rank_low else "",
                      labels.get(r.robustness, "")]
        t.add_row(*cells)
    console.print(t)
    for code, lacks in table.missing.items():
        console.print(_("{code}: ingen indeks, mangler {indicators}", code=code, indicators=", ".join(lacks)))
    if output:
        console.print(_("Skrevet til {file}", file=str(output)))


def robustness_labels() -> dict[str, str]:
    return {"challenged": _("utfordret uansett metode"), "not_challenged": _("ikke utfordret uansett metode"),
            "depends_on_method": _("avhenger av metodevalg")}


def select(tctx: typer.Context,
           spec: str = typer.Option("oslo-levekar", help="Indeksspesifikasjon"),
           period: str = typer.Option(..., help="Periode"),
           level: str = typer.Option("delbydel", help="Sonenivå"),
           rule: str = typer.Option("worst-decile", help="index (poeng over terskel) eller worst-decile"),
           min_indicators: int = typer.Option(3, help="Med worst-decile: minst så mange indikatorer")) -> None:
    """Plukk ut soner med levekårsutfordringer etter en regel som skrives ut. / Select zones by a rule."""
    from nabolag.services.index import compute_index, select_zones

    with service_context(tctx) as ctx:
        table = compute_index(ctx, spec, period, level, save=False)
        flagged, text = select_zones(table, rule, min_indicators)
    console.print(text, highlight=False)
    t = Table(_("Kode"), _("Navn"), _("Indeks"), _("Poeng 1–10"), _("Dårligste desil"),
              title=_("{n} soner", n=len(flagged)))
    for r in flagged.itertuples():
        t.add_row(r.code, r.name, f"{r.value:.3f}", f"{r.score:.0f}", str(r.worst_decile_count))
    console.print(t)


COLOUR_STYLE = {"green": "green", "yellow": "yellow", "red": "red", "grey": "dim"}


def matrix(tctx: typer.Context,
           period: str = typer.Option(..., help="Periode"),
           area: str = typer.Option(None, help="Programområde: dets soner og sammenligningssoner"),
           level: str = typer.Option("delbydel", help="Sonenivå"),
           indicator: list[str] = typer.Option([], "--indicator", help="Indikator (kan gjentas; standard: alle)"),
           target: list[str] = typer.Option([], "--target", help="indikator=målverdi (kan gjentas)")) -> None:
    """Likhetsmatrise (WHO Urban HEART): hver sone mot byen og målet. / Equity matrix."""
    from nabolag.ingest.tidy import parse_pairs
    from nabolag.services.equity import equity_matrix

    with service_context(tctx, show_progress=False) as ctx:
        targets = {k: float(v) for k, v in parse_pairs(target, "--target").items()}
        data = equity_matrix(ctx, period, level, indicator or None, targets, area)
    rows = data["rows"]
    codes = data["indicators"]
    zones_seen = list(dict.fromkeys((r["zone"], r["name"], r["role"]) for r in rows))
    cell = {(r["zone"], r["indicator"]): r for r in rows}
    t = Table(_("Sone"), *codes, title=_("Likhetsmatrise {period}", period=period))
    for zone, name, role in zones_seen:
        label = name + (f" ({_('sammenligning')})" if role == "comparison" else "")
        values = []
        for c in codes:
            r = cell.get((zone, c))
            if r is None:
                values.append("")
                continue
            text = _("prikket") if r["value"] is None else f"{r['value']:.1f}"
            values.append(f"[{COLOUR_STYLE[r['colour']]}]{text}[/]")
        t.add_row(label, *values)
    city = {r["indicator"]: r["city"] for r in rows}
    t.add_row(_("Byen"), *[f"{city.get(c, float('nan')):.1f}" for c in codes])
    console.print(t)
    console.print(data["rule"], highlight=False)
    if data["synthetic"]:
        console.print(_("* syntetiske demodata – ikke virkelige tall"))


def gaps(tctx: typer.Context, indicator: str = typer.Option(..., help="Indikator"),
         level: str = typer.Option("delbydel", help="Sonenivå")) -> None:
    """Gapet mellom beste og dårligste sone og Gini over tid. / The gap monitor."""
    from nabolag.services.equity import gap_monitor

    with service_context(tctx, show_progress=False) as ctx:
        frame = gap_monitor(ctx, indicator, level)
    t = Table(_("Periode"), _("Beste"), _("Dårligste"), _("Forhold"), _("Differanse"), _("Gini (befolkningsvektet)"))
    for r in frame.itertuples():
        t.add_row(r.period, f"{r.best:.2f} ({r.best_zone})", f"{r.worst:.2f} ({r.worst_zone})", f"{r.ratio:.2f}",
                  f"{r.difference:.2f}", f"{r.gini:.3f}")
    console.print(t)

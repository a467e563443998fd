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
          top: int = typer.Option(15, help="Vis så mange soner med flest utfordringer")) -> None:
    """Beregn en sammensatt levekårsindeks og vis metoden. / Compute a composite index and show the method."""
    from nabolag.services.index import compute_index, write_index

    with service_context(tctx) as ctx:
        table = compute_index(ctx, spec, period, level)
        if output:
            write_index(ctx, table, output)
    console.print(table.method_text(), highlight=False)
    shown = table.frame.sort_values(["rank", "code"]).head(top)
    t = Table(_("Rang"), _("Kode"), _("Navn"), _("Indeks"), _("Poeng 1–10"), _("Utfordret"),
              title=_("Soner med flest utfordringer"))
    for r in shown.itertuples():
        t.add_row("" if r.rank != r.rank else f"{r.rank:.0f}", r.code, r.name,
                  "" if r.value != r.value else f"{r.value:.3f}", "" if r.score != r.score else f"{r.score:.0f}",
                  _("ja") if r.challenged else "")
    console.print(t)
    for code, lacks in table.missing.items():
        console.print(_("{code}: ingen indeks, mangler {indicators}", code=code, indicators=", ".join(lacks)))
    if output:
        console.print(_("Skrevet til {file}", file=str(output)))

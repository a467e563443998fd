"""``nabolag report zones``: one-page zone profiles for every zone of the city, one level or a list of codes.

The command function is registered under ``nabolag report`` by :mod:`nabolag.cli.report`.
"""

from __future__ import annotations

from pathlib import Path

import typer

from nabolag.cli.common import console, service_context, state
from nabolag.errors import InputError
from nabolag.i18n import _


def zones(tctx: typer.Context,
          all_zones: bool = typer.Option(False, "--all", help="Alle soner under kommunen"),
          level: str = typer.Option(None, "--level", help="Bare soner på dette nivået, f.eks. delbydel"),
          codes: str = typer.Option(None, "--codes", help="Bare disse sonene (kommaseparerte koder)"),
          lang: str = typer.Option(None, "--lang", help="Språk: nb (standard) eller en"),
          fmt: str = typer.Option("pdf", "--format", help="pdf eller html"),
          output: Path = typer.Option(..., "--output", help="Mappe for profilene (lages om den mangler)"),
          workers: int = typer.Option(2, "--workers", help="Antall prosesser")) -> None:
    """Soneprofiler: én side per sone, med oversikt (index.html). / Zone profiles, one page per zone."""
    from nabolag.reports.zone_profile_batch import INDEX_FILE, write_profiles

    chosen = [c.strip() for c in codes.split(",") if c.strip()] if codes else None
    with service_context(tctx) as ctx:
        if sum(bool(x) for x in (all_zones, level, chosen)) != 1:
            raise InputError(_("Angi én av --all, --level NIVÅ eller --codes KODE,KODE"))
        language = lang or str(state(tctx).get("lang") or ctx.settings.language)
        paths = write_profiles(ctx, output, codes=chosen, level=level or None, lang=language, fmt=fmt.lower(),
                               workers=workers)
    console.print(_("{n} soneprofiler skrevet til {dir}; oversikt: {index}", n=len(paths), dir=output,
                    index=output / INDEX_FILE), markup=False, highlight=False)

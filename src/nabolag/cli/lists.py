"""``nabolag zones|indicators|areas list`` and ``nabolag observations export``."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.table import Table

from nabolag.cli.common import console, service_context
from nabolag.i18n import _, get_language
from nabolag.services import export, indicators, zones

zones_app = typer.Typer(help="Soner / zones", no_args_is_help=True)
indicators_app = typer.Typer(help="Indikatorer / indicators", no_args_is_help=True)
areas_app = typer.Typer(help="Programområder / programme areas", no_args_is_help=True)
observations_app = typer.Typer(help="Observasjoner / observations", no_args_is_help=True)


@zones_app.command("list", epilog="Eksempel: nabolag zones list --level bydel")
def list_zones(tctx: typer.Context, level: str = typer.Option(None, help="Bare dette nivået"),
               parent: str = typer.Option(None, help="Bare soner under denne koden"),
               as_json: bool = typer.Option(False, "--json", help="Skriv JSON")) -> None:
    """List soner. / List zones."""
    with service_context(tctx, show_progress=False) as ctx:
        items = zones.list_zones(ctx, level=level, parent=parent)
    rows = [{"code": z.code, "name": z.name, "level": str(z.level), "parent": z.parent_code} for z in items]
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=1))
        return
    table = Table(_("Kode"), _("Navn"), _("Nivå"), _("Overordnet"), title=_("{n} soner", n=len(rows)))
    for r in rows:
        table.add_row(r["code"], r["name"], r["level"], r["parent"] or "")
    console.print(table)


@indicators_app.command("list", epilog="Eksempel: nabolag indicators list --json")
def list_indicators(tctx: typer.Context, as_json: bool = typer.Option(False, "--json", help="Skriv JSON")) -> None:
    """List indikatorer. / List indicators."""
    with service_context(tctx, show_progress=False) as ctx:
        items = indicators.list_indicators(ctx)
    lang = get_language()
    if as_json:
        typer.echo(json.dumps([{"code": i.code, "name_nb": i.name_nb, "name_en": i.name_en, "unit": i.unit,
                                "direction": str(i.direction), "kind": str(i.kind), "source": i.source,
                                "synthetic": i.synthetic} for i in items], ensure_ascii=False, indent=1))
        return
    table = Table(_("Kode"), _("Navn"), _("Enhet"), _("Retning"), _("Kilde"), title=_("{n} indikatorer", n=len(items)))
    for i in items:
        table.add_row(i.code, i.name(lang), i.unit, str(i.direction), i.source + (" *" if i.synthetic else ""))
    console.print(table)
    if any(i.synthetic for i in items):
        console.print(_("* syntetiske demodata – ikke virkelige tall"))


@areas_app.command("list", epilog="Eksempel: nabolag areas list")
def list_areas(tctx: typer.Context) -> None:
    """List programområder. / List programme areas."""
    with service_context(tctx, show_progress=False) as ctx:
        items = zones.list_areas(ctx)
    table = Table(_("Kode"), _("Navn"), _("Status"), _("Soner"), _("Sammenligning"))
    for a in items:
        table.add_row(a.code, a.name, str(a.status), ", ".join(a.zone_codes), ", ".join(a.comparison_codes))
    console.print(table)


@observations_app.command("export", epilog="Eksempel: nabolag observations export --format csv "
                                           "--output levekar.csv --indicator lavinntekt --level delbydel")
def export_observations(
    tctx: typer.Context,
    fmt: str = typer.Option(..., "--format", help="csv, xlsx, jsonstat eller geojson"),
    output: Path = typer.Option(..., "--output", "-o", help="Filen som skrives / file to write"),
    indicator: list[str] = typer.Option([], "--indicator", help="Indikatorkode (kan gjentas)"),
    zone: list[str] = typer.Option([], "--zone", help="Sonekode (kan gjentas)"),
    level: str = typer.Option(None, help="Bare soner på dette nivået"),
    period: list[str] = typer.Option([], "--period", help="Periode (kan gjentas)"),
) -> None:
    """Eksporter observasjoner med prikking av små tall. / Export observations with small-cell suppression."""
    with service_context(tctx, show_progress=False) as ctx:
        n = export.export_observations(ctx, output, fmt, indicators=indicator or None, zones=zone or None,
                                       level=level, periods=period or None)
    console.print(_("{n} rader skrevet til {file}", n=n, file=str(output)))

"""``nabolag import …``: zones, indicators, observations, transitions, population."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import typer

from nabolag.cli.common import console, print_report, service_context
from nabolag.i18n import _
from nabolag.ingest.tidy import TidyOptions, parse_pairs
from nabolag.ingest.zones import ZoneOptions
from nabolag.services import indicators, observations, population, zones

app = typer.Typer(help="Importer soner, indikatorer og statistikk. / Import zones, indicators and statistics.",
                  no_args_is_help=True)


@app.command("zones", epilog="Eksempel: nabolag import zones delbydeler.geojson --code-field delbydel_code "
                             "--name-field delbydel_name --parent-field bydel_code --level delbydel")
def import_zones(
    tctx: typer.Context,
    file: Path = typer.Argument(..., help="GeoJSON, GeoPackage, Shapefile, GML, CSV eller Excel"),
    code_field: str = typer.Option(None, help="Felt med sonekoden / field with the zone code"),
    name_field: str = typer.Option(None, help="Felt med navnet / field with the name"),
    parent_field: str = typer.Option(None, help="Felt med overordnet sone / field with the parent code"),
    level: str = typer.Option(None, help="grunnkrets, delbydel, levekarssone, bydel, kommune, fylke"),
    level_field: str = typer.Option(None, help="Felt med nivået per rad / field with the level per row"),
    layer: str = typer.Option(None, help="Lag i filen / layer in the file"),
    crs: str = typer.Option(None, help="Koordinatsystem hvis filen mangler det, f.eks. EPSG:25833"),
    valid_from: dt.datetime = typer.Option(None, formats=["%Y-%m-%d"], help="Gyldig fra (YYYY-MM-DD)"),
    valid_to: dt.datetime = typer.Option(None, formats=["%Y-%m-%d"], help="Gyldig til (YYYY-MM-DD)"),
    source: str = typer.Option("", help="Kilde / source"),
) -> None:
    """Importer soner med eller uten geometri. / Import zones with or without geometry."""
    opts = ZoneOptions(code_field=code_field, name_field=name_field, parent_field=parent_field, level=level,
                       level_field=level_field, layer=layer, crs=crs,
                       valid_from=valid_from.date() if valid_from else None,
                       valid_to=valid_to.date() if valid_to else None)
    with service_context(tctx) as ctx:
        report = zones.import_zones(ctx, file, opts, source=source)
    print_report(report)


@app.command("indicators", epilog="Eksempel: nabolag import indicators indikatorer.yaml")
def import_indicators(tctx: typer.Context, file: Path = typer.Argument(..., help="YAML, CSV eller Excel"),
                      source: str = typer.Option("", help="Kilde / source")) -> None:
    """Importer indikatordefinisjoner. / Import indicator definitions."""
    with service_context(tctx) as ctx:
        report = indicators.import_indicators(ctx, file, source=source)
    print_report(report)


@app.command("observations", epilog="Eksempel: nabolag import observations levekar.csv --map zone=Ident "
                                    "--map period=År --map indicator=Indikator --map value=Variabel")
def import_observations(
    tctx: typer.Context,
    file: Path = typer.Argument(..., help="CSV, Excel (.xlsx) eller JSON-stat 2.0 (.json)"),
    map_: list[str] = typer.Option([], "--map", help="mål=kolonne, f.eks. zone=Ident, group.age=Alder"),
    set_: list[str] = typer.Option([], "--set", help="mål=verdi for alle rader, f.eks. period=2019"),
    filter_: list[str] = typer.Option([], "--filter", help="kolonne=verdi: bare rader som har denne verdien"),
    symbol: list[str] = typer.Option([], "--symbol", help="symbol=status, f.eks. «-=confidential» når kilden "
                                                        "prikker med «-» (standard: SSBs betydning)"),
    wide: bool = typer.Option(False, "--wide", help="Én kolonne per indikator / one column per indicator"),
    indicator_columns: str = typer.Option("", "--indicators", help="Indikatorkolonner med --wide (komma)"),
    sheet: str = typer.Option(None, help="Regneark i Excel-filen / sheet"),
    replace: bool = typer.Option(False, "--replace", help="Erstatt verdier som finnes / replace existing"),
    source: str = typer.Option("", help="Kilde / source"),
) -> None:
    """Importer statistikk (lang eller bred tabell, JSON-stat). / Import statistics."""
    with service_context(tctx) as ctx:
        opts = TidyOptions(mapping=parse_pairs(map_, "--map"), constants=parse_pairs(set_, "--set"),
                           filters=parse_pairs(filter_, "--filter"), symbols=parse_pairs(symbol, "--symbol"),
                           wide=wide, sheet=sheet,
                           indicator_columns=tuple(c.strip() for c in indicator_columns.split(",") if c.strip()))
        report = observations.import_observations(ctx, file, opts, replace=replace, source=source)
    print_report(report)


@app.command("transitions", epilog="Eksempel: nabolag import transitions region_transitions.csv")
def import_transitions(tctx: typer.Context, file: Path = typer.Argument(..., help="CSV: from_year,to_year,"
                                                                         "level,from_id,to_id,change_type"),
                       source: str = typer.Option("", help="Kilde / source")) -> None:
    """Importer kodeendringer fra kommunereformer. / Import code changes from municipal reforms."""
    with service_context(tctx) as ctx:
        report = zones.import_transitions(ctx, file, source=source)
    print_report(report)


@app.command("population", epilog="Eksempel: nabolag import population befolkning_1km_2019.gml --level delbydel")
def import_population(
    tctx: typer.Context,
    file: Path = typer.Argument(..., help="SSB-rutenett: GML, GeoPackage eller CSV med ssbid250m/ssbid1000m"),
    level: str = typer.Option(..., help="Sonenivå å fordele på / zone level to aggregate to"),
    period: str = typer.Option(None, help="År hvis filen ikke sier det / year if the file lacks it"),
    layer: str = typer.Option(None, help="Lag i filen / layer"),
    id_field: str = typer.Option(None, help="Kolonne med rute-id i CSV / cell id column"),
    replace: bool = typer.Option(False, "--replace", help="Erstatt verdier som finnes / replace existing"),
) -> None:
    """Fordel befolkning fra SSBs rutenett på soner etter areal. / Aggregate the SSB grid to zones."""
    with service_context(tctx) as ctx:
        report = population.import_population(ctx, file, level=level, period=period, layer=layer,
                                              id_field=id_field, replace=replace)
    print_report(report)
    console.print(_("Befolkning importert for nivået {level}", level=level))

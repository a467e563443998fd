"""``nabolag access``: walking network, people, facilities, computation and scenarios (issue 8)."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from nabolag.cli.common import console, print_report, service_context
from nabolag.domain.access import DEFAULT_MAX_DISTANCE_M
from nabolag.errors import InputError
from nabolag.i18n import _

app = typer.Typer(help="Gangavstand til parker, møteplasser og aktivitetsarenaer. / Walking access.",
                  no_args_is_help=True)
scenario_app = typer.Typer(help="Scenarioer: planlagte steder og nye stier. / Scenarios.", no_args_is_help=True)
app.add_typer(scenario_app, name="scenario")


def _list(text: str | None) -> list[str] | None:
    return [k.strip() for k in text.split(",") if k.strip()] if text else None


def _thresholds(text: str) -> tuple[int, ...]:
    try:
        return tuple(int(t) for t in text.split(",") if t.strip())
    except ValueError as exc:
        raise InputError(_("--within må være heltall i meter, f.eks. 300,500,1000")) from exc


@app.command(epilog="Eksempel: nabolag access build --osm oslo.osm.pbf --date 2026-11-30")
def build(tctx: typer.Context, osm: Path = typer.Option(None, "--osm", help="OpenStreetMap-uttrekk (.osm.pbf)"),
          lines: Path = typer.Option(None, "--lines", help="Linjer (GeoJSON/GeoPackage)"),
          date: str = typer.Option(None, "--date", help="Uttrekkets dato (ÅÅÅÅ-MM-DD)"),
          name: str = typer.Option("", "--name", help="Navn på nettet"),
          layer: str = typer.Option(None, "--layer", help="Lag i filen"),
          crs: str = typer.Option(None, "--crs", help="Koordinatsystem når filen mangler det")) -> None:
    """Bygg gangnettet. / Build the walking network."""
    with service_context(tctx) as ctx:
        if (osm is None) == (lines is None):
            raise InputError(_("Angi enten --osm eller --lines"))
        from nabolag.services.access import build_network

        info, report = build_network(ctx, osm or lines, name=name, extract_date=date, layer=layer, crs=crs)
    print_report(report)


@app.command(epilog="Eksempel: nabolag access people --grid befolkning_250m.gpkg")
def people(tctx: typer.Context, file: Path = typer.Argument(None, help="Rutenett eller punkter"),
           grid: bool = typer.Option(False, "--grid", help="Filen er et befolkningsrutenett (SSB/HSY)"),
           weight: str = typer.Option(None, "--weight", help="Kolonne med antall personer per punkt"),
           group: list[str] = typer.Option([], "--group", help="KOLONNE=GRUPPE, f.eks. alder_0_17=age=0-17"),
           zones: str = typer.Option(None, "--zones", help="Sonesentre på dette nivået, vektet med befolkning"),
           period: str = typer.Option(None, "--period", help="Befolkningens periode (med --zones)"),
           layer: str = typer.Option(None, "--layer", help="Lag i filen"),
           crs: str = typer.Option(None, "--crs", help="Koordinatsystem når filen mangler det")) -> None:
    """Last inn hvor folk bor. / Load where people live."""
    from nabolag.services import access as service

    with service_context(tctx) as ctx:
        if zones:
            report = service.people_from_zones(ctx, zones, period)
        elif file is None:
            raise InputError(_("Angi en fil eller --zones NIVÅ"))
        else:
            bad = [g for g in group if "=" not in g]
            if bad:
                raise InputError(_("--group må være KOLONNE=GRUPPE; fikk {value}", value=", ".join(bad)))
            groups = dict(g.split("=", 1) for g in group)
            report = service.import_people(ctx, file, weight_field=weight, groups=groups, layer=layer, crs=crs,
                                           grid=grid)
    print_report(report)


@app.command(epilog="Eksempel: nabolag access facilities oslo.osm.pbf --kinds park,playground")
def facilities(tctx: typer.Context, file: Path = typer.Argument(None, help="OSM-uttrekk, GeoJSON/GeoPackage eller CSV"),
               kinds: str = typer.Option(None, "--kinds", help="Typer fra OSM (standard: alle kjente)"),
               kind: str = typer.Option(None, "--kind", help="Samme type for alle steder i filen"),
               kind_field: str = typer.Option("kind", "--kind-field", help="Kolonnen med type"),
               area: str = typer.Option(None, "--area", help="Bruk kartfestede tiltak i dette området"),
               measures: str = typer.Option(None, "--measures", help="Bare disse tiltakene (med --area)")) -> None:
    """Last inn steder folk går til. / Load facilities."""
    from nabolag.services import access_facilities as service

    with service_context(tctx) as ctx:
        if area:
            if not kind:
                raise InputError(_("--area krever --kind"))
            report = service.facilities_from_measures(ctx, area, kind, _list(measures))
        elif file is None:
            raise InputError(_("Angi en fil eller --area"))
        else:
            report = service.import_facilities(ctx, file, kinds=_list(kinds), kind=kind, kind_field=kind_field)
    print_report(report)


@app.command(epilog="Eksempel: nabolag access compute --level grunnkrets --kinds park,playground --max-distance 2000")
def compute(tctx: typer.Context, level: str = typer.Option("grunnkrets", "--level", help="Sonenivå"),
            kinds: str = typer.Option(None, "--kinds", help="Typer (standard: alle kjente)"),
            max_distance: float = typer.Option(DEFAULT_MAX_DISTANCE_M, "--max-distance",
                                               help="Lengste gangavstand (m)"),
            within: str = typer.Option("300,500,1000", "--within", help="Andel innen disse avstandene (m)"),
            period: str = typer.Option(None, "--period", help="Periode (standard: uttrekkets år)"),
            scenario: str = typer.Option(None, "--scenario", help="Regn ut et scenario: før og etter")) -> None:
    """Regn ut gangavstander per sone og område. / Compute walking access."""
    with service_context(tctx) as ctx:
        if scenario:
            from nabolag.services.access_scenario import compute_scenario

            rows = compute_scenario(ctx, scenario, level=level, kinds=_list(kinds), max_distance=max_distance,
                                    thresholds=_thresholds(within))
            _show_changes(rows)
            return
        from nabolag.services.access_compute import compute as run

        out = run(ctx, level=level, kinds=_list(kinds), max_distance=max_distance, thresholds=_thresholds(within),
                  period=period)
    table = Table(_("Type"), _("Beste sone (m)"), _("Verste sone (m)"), _("Verste/beste"), "Gini")
    for kind, e in out["equity"].items():  # type: ignore[union-attr]
        table.add_row(kind, f"{e['best']:.0f}", f"{e['worst']:.0f}", f"{e['ratio']:.2f}", f"{e['gini']:.3f}")
    console.print(table)
    console.print(_("{n} observasjoner lagret for {period} ({zones} soner, {people:.0f} personer)",
                    n=out["observations"], period=out["period"], zones=out["zones"], people=out["people"]))


def _show_changes(rows: list[dict[str, object]]) -> None:
    table = Table(_("Sted"), _("Type"), _("Mål"), _("Før"), _("Etter"))
    for r in rows:
        if r["groups"] == "" and r["value_before"] != r["value_after"]:
            table.add_row(str(r["zone"] or r["area"]), str(r["kind"]), str(r["measure"]), f"{r['value_before']}",
                          f"{r['value_after']}")
    console.print(table if table.row_count else _("Ingen endring i noen sone"))


@scenario_app.command("add", epilog="Eksempel: nabolag access scenario add ny-sti "
                                     "--path 'LINESTRING (10.9 59.9, 10.91 59.9)'")
def scenario_add(tctx: typer.Context, code: str = typer.Argument(..., help="Scenariokode"),
                 name: str = typer.Option("", "--name", help="Navn"),
                 facility: str = typer.Option(None, "--facility", help="Planlagt sted (WKT, EPSG:4326)"),
                 kind: str = typer.Option(None, "--kind", help="Stedets type"),
                 path: str = typer.Option(None, "--path", help="Ny sti (WKT LINESTRING, EPSG:4326)")) -> None:
    """Lag et scenario eller legg til i det. / Create or extend a scenario."""
    from nabolag.services import access_scenario as service

    with service_context(tctx, show_progress=False) as ctx:
        if code not in {str(s["code"]) for s in service.list_scenarios(ctx)}:
            service.create_scenario(ctx, code, name)
        if facility:
            if not kind:
                raise InputError(_("--facility krever --kind"))
            service.add_facility(ctx, code, kind, facility, name)
        if path:
            service.add_path(ctx, code, path, name)
    console.print(_("Scenario {code} lagret", code=code))


@scenario_app.command("list")
def scenario_list(tctx: typer.Context) -> None:
    """Vis scenarioene. / List scenarios."""
    from nabolag.services.access_scenario import list_scenarios

    with service_context(tctx, show_progress=False) as ctx:
        rows = list_scenarios(ctx)
    table = Table(_("Kode"), _("Navn"), _("Stier"), _("Steder"))
    for r in rows:
        table.add_row(str(r["code"]), str(r["name"]), str(r["paths"]), str(r["facilities"]))
    console.print(table)


@scenario_app.command("remove")
def scenario_remove(tctx: typer.Context, code: str = typer.Argument(..., help="Scenariokode")) -> None:
    """Slett et scenario. / Remove a scenario."""
    from nabolag.services.access_scenario import remove_scenario

    with service_context(tctx, show_progress=False) as ctx:
        remove_scenario(ctx, code)
    console.print(_("Scenario {code} slettet", code=code))


@app.command(epilog="Eksempel: nabolag --database sqlite:///helsinki.sqlite access demo --data ../shared/data/helsinki")
def demo(tctx: typer.Context, data: Path = typer.Option(..., "--data", help="Mappen med helsinki_centre.osm.pbf "
                                                         "og population_grid_2020.gpkg")) -> None:
    """Prøv gangavstand på Helsinki-dataene (ruter, ikke ekte soner). / Try walking access on the Helsinki data."""
    from nabolag.services.access_demo import build_helsinki_demo

    with service_context(tctx) as ctx:
        out = build_helsinki_demo(ctx, data)
    console.print(_("Gangnett med {nodes} noder; {n} observasjoner for {period}. Start «nabolag serve» og åpne "
                    "/access.", nodes=out["nodes"], n=out["observations"], period=out["period"]))

"""``nabolag goals|measures|programme …`` and ``nabolag logic-model AREA``: the area programme."""

from __future__ import annotations

from pathlib import Path

import typer

from nabolag.cli.common import print_report, service_context
from nabolag.cli.programme_common import choice, done, iso_date, joined, parse, print_json, table
from nabolag.domain.programme import measure_kind_label, measure_status_label
from nabolag.i18n import _

goals_app = typer.Typer(help="Mål for et område. / Goals of a programme area.", no_args_is_help=True)
measures_app = typer.Typer(help="Tiltak for et område. / Measures of a programme area.", no_args_is_help=True)
programme_app = typer.Typer(help="Hele områdeprogrammet: import, eksport, fremdrift. / The whole programme.",
                            no_args_is_help=True)
AREA = typer.Argument(..., help="Områdets kode eller navn")


@goals_app.command("list", epilog="Eksempel: nabolag goals list groruddalen")
def goals_list(tctx: typer.Context, area: str = AREA,
               as_json: bool = typer.Option(False, "--json", help="Skriv JSON")) -> None:
    """List målene i et område. / List an area's goals."""
    from nabolag.services.programme import list_goals

    with service_context(tctx, show_progress=False) as ctx:
        goals = list_goals(ctx, area)
    if as_json:
        from nabolag.ingest.programme import goal_to

        print_json([goal_to(g) for g in goals])
        return
    table(_("{n} mål", n=len(goals)), [_("Kode"), _("Mål"), _("Dimensjon"), _("Tema"), _("Indikatorer")],
          [[g.code, g.title, g.dimension, ", ".join(g.themes), ", ".join(x.indicator for x in g.indicators)]
           for g in goals])


@goals_app.command("add", epilog="Eksempel: nabolag goals add groruddalen trygghet --title 'Tryggere ute' "
                                 "--dimension samspill --theme trygghet --group gender:female "
                                 "--indicator trygghet_kveld:survey:70@2026")
def goals_add(tctx: typer.Context, area: str = AREA, code: str = typer.Argument(..., help="Målets kode"),
              title: str = typer.Option(..., help="Målet i klartekst"),
              dimension: str = typer.Option(..., help="Dimensjon (se nabolag vocabulary list)"),
              theme: list[str] = typer.Option(None, "--theme", help="Tema (flere tillatt)"),
              group: list[str] = typer.Option(None, "--group", help="Målgruppe: age:13-19, gender:female, "
                                                                    "group:nyankomne (flere tillatt)"),
              indicator: list[str] = typer.Option(None, "--indicator", help="indikator:metode:målverdi@år "
                                                                            "(flere tillatt)"),
              start: str = typer.Option("", help="Fra dato (YYYY-MM-DD)"),
              end: str = typer.Option("", help="Til dato (YYYY-MM-DD)"),
              description: str = typer.Option("", help="Beskrivelse")) -> None:
    """Legg til eller erstatt et mål. / Add or replace a goal."""
    from nabolag.services.programme import save_goal

    values = {"code": code, "title": title, "dimension": dimension, "themes": joined(theme),
              "target_groups": joined(group), "indicators": joined(indicator), "start": start, "end": end,
              "description": description}
    with service_context(tctx, show_progress=False) as ctx:
        goal = save_goal(ctx, parse("goals", values, area))  # type: ignore[arg-type]
    done(_("Målet {code} er lagret i {area}", code=goal.code, area=goal.area_code))


@goals_app.command("remove", epilog="Eksempel: nabolag goals remove groruddalen trygghet")
def goals_remove(tctx: typer.Context, area: str = AREA, code: str = typer.Argument(..., help="Målets kode")) -> None:
    """Fjern et mål. / Remove a goal."""
    from nabolag.services.programme import remove_goal

    with service_context(tctx, show_progress=False) as ctx:
        remove_goal(ctx, area, code)
    done(_("Målet {code} er fjernet", code=code))


@measures_app.command("list", epilog="Eksempel: nabolag measures list groruddalen --json")
def measures_list(tctx: typer.Context, area: str = AREA,
                  as_json: bool = typer.Option(False, "--json", help="Skriv JSON")) -> None:
    """List tiltakene i et område med fremdrift. / List an area's measures with progress."""
    from nabolag.domain.progress import measure_progress
    from nabolag.ingest.programme import measure_to
    from nabolag.services.programme import list_measures

    with service_context(tctx, show_progress=False) as ctx:
        items = list_measures(ctx, area)
    if as_json:
        print_json([{**measure_to(m), "progress": measure_progress(m)} for m in items])
        return
    rows = []
    for m in items:
        p = measure_progress(m)
        rows.append([m.code, m.title, measure_kind_label(m.kind), measure_status_label(m.status),
                     "" if p is None else f"{100 * p:.0f} %", ", ".join(m.goals)])
    table(_("{n} tiltak", n=len(items)), [_("Kode"), _("Tiltak"), _("Type"), _("Status"), _("Fremdrift"), _("Mål")],
          rows)


@measures_app.command("add", epilog="Eksempel: nabolag measures add groruddalen benker --title 'Benker langs "
                                    "turveien' --kind physical --location 'POINT (10.88 59.94)' --goal aktivitet "
                                    "--indicator trygghet_dag:survey --milestone '2026-05-01 | | Benker montert'")
def measures_add(tctx: typer.Context, area: str = AREA, code: str = typer.Argument(..., help="Tiltakets kode"),
                 title: str = typer.Option(..., help="Tiltaket i klartekst"),
                 kind: str = typer.Option(..., help="physical, social eller service"),
                 status: str = typer.Option("idea", help="idea, planned, under_way, done eller stopped"),
                 location: str = typer.Option("", help="Sted som WKT i lengde/bredde, f.eks. 'POINT (10.88 59.94)'"),
                 responsible: str = typer.Option("", help="Ansvarlig aktør (kode)"),
                 partner: list[str] = typer.Option(None, "--partner", help="Partner (aktørkode, flere tillatt)"),
                 goal: list[str] = typer.Option(None, "--goal", help="Mål tiltaket tjener (flere tillatt)"),
                 indicator: list[str] = typer.Option(None, "--indicator", help="indikator:metode[:mål] "
                                                                               "(flere tillatt)"),
                 milestone: list[str] = typer.Option(None, "--milestone", help="'frist | nådd | tittel' "
                                                                               "(flere tillatt)"),
                 budget: str = typer.Option("", help="Budsjett (kr)"), spent: str = typer.Option("", help="Brukt (kr)"),
                 start: str = typer.Option("", help="Start (YYYY-MM-DD)"),
                 end: str = typer.Option("", help="Slutt (YYYY-MM-DD)"),
                 description: str = typer.Option("", help="Beskrivelse")) -> None:
    """Legg til eller erstatt et tiltak. / Add or replace a measure."""
    from nabolag.services.programme import save_measure

    values = {"code": code, "title": title, "kind": kind, "status": status, "geometry": location,
              "responsible": responsible, "partners": joined(partner), "goals": joined(goal),
              "indicators": joined(indicator), "milestones": "\n".join(milestone or []), "budget": budget,
              "spent": spent, "start": start, "end": end, "description": description}
    with service_context(tctx, show_progress=False) as ctx:
        m = save_measure(ctx, parse("measures", values, area))  # type: ignore[arg-type]
    done(_("Tiltaket {code} er lagret i {area}", code=m.code, area=m.area_code))


@measures_app.command("status", epilog="Eksempel: nabolag measures status groruddalen turveier done")
def measures_status(tctx: typer.Context, area: str = AREA, code: str = typer.Argument(..., help="Tiltakets kode"),
                    status: str = typer.Argument(..., help="idea, planned, under_way, done eller stopped")) -> None:
    """Sett status for et tiltak. / Set a measure's status."""
    from nabolag.domain.programme import MeasureStatus
    from nabolag.services.programme import update_measure

    with service_context(tctx, show_progress=False) as ctx:
        update_measure(ctx, area, code, status=choice(MeasureStatus, status, "status"))
    done(_("Tiltaket {code} har status {status}", code=code, status=measure_status_label(status)))


@measures_app.command("milestone", epilog="Eksempel: nabolag measures milestone groruddalen turveier "
                                          "--title 'Benker montert' --due 2026-05-01")
def measures_milestone(tctx: typer.Context, area: str = AREA, code: str = typer.Argument(..., help="Tiltakets kode"),
                       title: str = typer.Option(..., help="Milepælen"), due: str = typer.Option(..., help="Frist"),
                       reached: str = typer.Option("", "--done", help="Dato milepælen ble nådd")) -> None:
    """Legg til eller oppdater en milepæl (samme tittel = samme milepæl). / Add or update a milestone."""
    from nabolag.domain.programme import Milestone
    from nabolag.services.programme import get_measure, update_measure

    with service_context(tctx, show_progress=False) as ctx:
        new = Milestone(title, iso_date(due, "--due"), iso_date(reached, "--done") if reached else None)  # type: ignore[arg-type]
        old = get_measure(ctx, area, code).milestones
        stones = tuple(new if s.title == title else s for s in old) if any(s.title == title for s in old) \
            else (*old, new)
        update_measure(ctx, area, code, milestones=stones)
    done(_("Milepælen «{title}» er lagret for {code}", title=title, code=code))


@measures_app.command("remove", epilog="Eksempel: nabolag measures remove groruddalen benker")
def measures_remove(tctx: typer.Context, area: str = AREA,
                    code: str = typer.Argument(..., help="Tiltakets kode")) -> None:
    """Fjern et tiltak. / Remove a measure."""
    from nabolag.services.programme import remove_measure

    with service_context(tctx, show_progress=False) as ctx:
        remove_measure(ctx, area, code)
    done(_("Tiltaket {code} er fjernet", code=code))


def _import(tctx: typer.Context, area: str, path: Path, kind: str | None, dry_run: bool) -> None:
    from nabolag.services.programme_io import import_programme

    with service_context(tctx) as ctx:
        report = import_programme(ctx, area, path, kind, dry_run=dry_run)
    print_report(report)


def _export(tctx: typer.Context, area: str, output: Path, kind: str | None) -> None:
    from nabolag.services.programme_io import export_programme

    with service_context(tctx, show_progress=False) as ctx:
        export_programme(ctx, area, output, kind)
    done(_("Skrevet til {file}", file=str(output)))


@measures_app.command("import", epilog="Eksempel: nabolag measures import groruddalen tiltak.geojson")
def measures_import(tctx: typer.Context, area: str = AREA, path: Path = typer.Argument(..., help="Fil"),
                    dry_run: bool = typer.Option(False, "--dry-run", help="Bare kontroller filen")) -> None:
    """Importer tiltak fra GeoJSON, CSV eller Excel. / Import measures."""
    _import(tctx, area, path, "measures", dry_run)


@measures_app.command("export", epilog="Eksempel: nabolag measures export groruddalen -o tiltak.geojson")
def measures_export(tctx: typer.Context, area: str = AREA,
                    output: Path = typer.Option(..., "--output", "-o", help=".geojson, .csv eller .xlsx")) -> None:
    """Eksporter tiltakene. / Export the measures."""
    _export(tctx, area, output, "measures")


@programme_app.command("import", epilog="Eksempel: nabolag programme import groruddalen program.xlsx")
def programme_import(tctx: typer.Context, area: str = AREA, path: Path = typer.Argument(..., help="Fil"),
                     kind: str = typer.Option(None, help="actors, goals, measures, events eller inputs (CSV)"),
                     dry_run: bool = typer.Option(False, "--dry-run", help="Bare kontroller filen")) -> None:
    """Importer programmet (Excel med et ark per tabell, eller én CSV). / Import the programme."""
    _import(tctx, area, path, kind, dry_run)


@programme_app.command("export", epilog="Eksempel: nabolag programme export groruddalen -o program.xlsx")
def programme_export(tctx: typer.Context, area: str = AREA,
                     output: Path = typer.Option(..., "--output", "-o", help=".xlsx, .csv eller .geojson"),
                     kind: str = typer.Option(None, help="Bare én tabell (kreves for CSV)")) -> None:
    """Eksporter programmet. / Export the programme."""
    _export(tctx, area, output, kind)


@programme_app.command("progress", epilog="Eksempel: nabolag programme progress groruddalen")
def programme_progress(tctx: typer.Context, area: str = AREA,
                       as_json: bool = typer.Option(False, "--json", help="Skriv JSON")) -> None:
    """Fremdrift fra tiltak til mål og område. / Progress rolled up from measures to goals and area."""
    from nabolag.services.programme import progress

    with service_context(tctx, show_progress=False) as ctx:
        report = progress(ctx, area)
    if as_json:
        print_json(report.as_dict())
        return
    rows = [[code, p.as_dict()["percent"], p.measures, p.unknown, f"{p.budget:.0f}", f"{p.spent:.0f}"]
            for code, p in [(_("(hele området)"), report.total), *report.goals.items()]]
    table(_("Fremdrift i {area}", area=report.area.name), [_("Mål"), _("Prosent"), _("Tiltak"), _("Ukjent"),
                                                             _("Budsjett"), _("Brukt")], rows)


def logic_model(tctx: typer.Context, area: str = AREA,
                baseline: str = typer.Option(None, "--baseline", help="Nullpunktets navn (standard: det nyeste)"),
                as_json: bool = typer.Option(False, "--json", help="Skriv JSON"),
                output: Path = typer.Option(None, "--output", "-o", help="Skriv Markdown til fil")) -> None:
    """Logikkmodellen: mål → tiltak → indikatorer → metode → nullpunkt / mål / siste, med merknader. /
    The logic model with flags."""
    from nabolag.services.logic_model import logic_model as build
    from nabolag.services.logic_model_text import render_markdown

    with service_context(tctx, show_progress=False) as ctx:
        model = build(ctx, area, baseline)
    if as_json:
        print_json(model)
        return
    text = render_markdown(model)
    if output:
        output.write_text(text, encoding="utf-8")
        done(_("Skrevet til {file}", file=str(output)))
    else:
        typer.echo(text)

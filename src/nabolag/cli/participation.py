"""``nabolag actors|events|inputs …``: actors and associations, and the participation log (medvirkning)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import typer

from nabolag.cli.common import service_context
from nabolag.cli.programme import _export, _import
from nabolag.cli.programme_common import choice, done, iso_date, joined, parse, print_json, table
from nabolag.domain.participation import InputStatus, event_kind_label, input_status_label
from nabolag.i18n import _

actors_app = typer.Typer(help="Aktører og foreninger. / Actors and associations.", no_args_is_help=True)
events_app = typer.Typer(help="Arrangementer i medvirkningsloggen. / Participation events.", no_args_is_help=True)
inputs_app = typer.Typer(help="Innspill og kommunens svar. / Inputs and the municipality's answers.",
                         no_args_is_help=True)
AREA = typer.Argument(..., help="Områdets kode eller navn")
AS_JSON = typer.Option(False, "--json", help="Skriv JSON")


@actors_app.command("list", epilog="Eksempel: nabolag actors list --area groruddalen")
def actors_list(tctx: typer.Context, area: str = typer.Option(None, help="Bare aktører i dette området (og de som "
                                                                          "gjelder hele kommunen)"),
                as_json: bool = AS_JSON) -> None:
    """List aktører. / List actors."""
    from nabolag.ingest.programme import actor_to
    from nabolag.services.actors import list_actors

    with service_context(tctx, show_progress=False) as ctx:
        items = list_actors(ctx, area)
    if as_json:
        print_json([actor_to(a) for a in items])
        return
    table(_("{n} aktører", n=len(items)), [_("Kode"), _("Navn"), _("Type"), _("Område"), _("Stiftet")],
          [[a.code, a.name, str(a.kind), a.area_code or "", a.founded or ""] for a in items])


@actors_app.command("add", epilog="Eksempel: nabolag actors add ammerud-vel --name 'Ammerud vel' --kind "
                                  "local_association --area groruddalen --founded 2019-09-10 --year 2024:95:16 "
                                  "--board p04:chair:resident:2019-09-10")
def actors_add(tctx: typer.Context, code: str = typer.Argument(..., help="Aktørens kode"),
               name: str = typer.Option(..., help="Navn"),
               kind: str = typer.Option(..., help="municipal_department, nav, school, housing_company, private, "
                                                  "voluntary_organisation eller local_association"),
               area: str = typer.Option("", help="Området aktøren hører til (tom: hele kommunen)"),
               founded: str = typer.Option("", help="Stiftet (YYYY-MM-DD)"),
               dissolved: str = typer.Option("", help="Nedlagt (YYYY-MM-DD)"),
               year: list[str] = typer.Option(None, "--year", help="år:medlemmer:frivillige (flere tillatt)"),
               board: list[str] = typer.Option(None, "--board", help="pseudonym:verv:resident|other:fra:til "
                                                                     "(flere tillatt; aldri navn)"),
               description: str = typer.Option("", help="Beskrivelse")) -> None:
    """Legg til eller erstatt en aktør. / Add or replace an actor."""
    from nabolag.services.actors import save_actor

    values = {"code": code, "name": name, "kind": kind, "area": area, "founded": founded, "dissolved": dissolved,
              "years": joined(year), "board": joined(board), "description": description}
    with service_context(tctx, show_progress=False) as ctx:
        a = save_actor(ctx, parse("actors", values, area))  # type: ignore[arg-type]
    done(_("Aktøren {code} er lagret", code=a.code))


@actors_app.command("remove", epilog="Eksempel: nabolag actors remove ammerud-vel")
def actors_remove(tctx: typer.Context, code: str = typer.Argument(..., help="Aktørens kode")) -> None:
    """Fjern en aktør som ikke er nevnt i tiltak eller arrangementer. / Remove an unused actor."""
    from nabolag.services.actors import remove_actor

    with service_context(tctx, show_progress=False) as ctx:
        remove_actor(ctx, code)
    done(_("Aktøren {code} er fjernet", code=code))


@events_app.command("list", epilog="Eksempel: nabolag events list groruddalen")
def events_list(tctx: typer.Context, area: str = AREA, as_json: bool = AS_JSON) -> None:
    """List arrangementene i et område. / List an area's events."""
    from nabolag.ingest.programme import event_to
    from nabolag.services.participation import list_events

    with service_context(tctx, show_progress=False) as ctx:
        items = list_events(ctx, area)
    if as_json:
        print_json([event_to(e) for e in items])
        return
    table(_("{n} arrangementer", n=len(items)), [_("Dato"), _("Kode"), _("Type"), _("Tittel"), _("Sted"), _("Oppmøte")],
          [[e.date, e.code, event_kind_label(e.kind), e.title, e.place, e.total] for e in items])


@events_app.command("add", epilog="Eksempel: nabolag events add groruddalen fm-2026 --kind folkemote --title "
                                  "'Årlig folkemøte' --date 2026-03-17 --place 'Ammerud skole' "
                                  "--attendance all=90 --attendance age:13-19=15")
def events_add(tctx: typer.Context, area: str = AREA, code: str = typer.Argument(..., help="Arrangementets kode"),
               kind: str = typer.Option(..., help="folkemote, arbeidsmote, befaring, trygghetsvandring, "
                                                  "naermiljogruppe, workshop, barnetrakk eller kontortid"),
               title: str = typer.Option(..., help="Tittel"), date: str = typer.Option(..., help="Dato (YYYY-MM-DD)"),
               place: str = typer.Option("", help="Sted"), organiser: str = typer.Option("", help="Arrangør (aktør)"),
               attendance: list[str] = typer.Option(None, "--attendance", help="gruppe=antall, f.eks. all=40 "
                                                                               "(flere tillatt)"),
               description: str = typer.Option("", help="Beskrivelse")) -> None:
    """Legg til eller erstatt et arrangement. / Add or replace an event."""
    from nabolag.services.participation import save_event

    values = {"code": code, "kind": kind, "title": title, "date": date, "place": place, "organiser": organiser,
              "attendance": joined(attendance), "description": description}
    with service_context(tctx, show_progress=False) as ctx:
        e = save_event(ctx, parse("events", values, area))  # type: ignore[arg-type]
    done(_("Arrangementet {code} er lagret i {area}", code=e.code, area=e.area_code))


@events_app.command("remove", epilog="Eksempel: nabolag events remove groruddalen fm-2026")
def events_remove(tctx: typer.Context, area: str = AREA, code: str = typer.Argument(..., help="Kode")) -> None:
    """Fjern et arrangement (innspillene blir stående). / Remove an event (its inputs stay)."""
    from nabolag.services.participation import remove_event

    with service_context(tctx, show_progress=False) as ctx:
        remove_event(ctx, area, code)
    done(_("Arrangementet {code} er fjernet", code=code))


@events_app.command("import", epilog="Eksempel: nabolag events import groruddalen arrangementer.csv")
def events_import(tctx: typer.Context, area: str = AREA, path: Path = typer.Argument(..., help="CSV eller Excel"),
                  dry_run: bool = typer.Option(False, "--dry-run", help="Bare kontroller filen")) -> None:
    """Importer arrangementer. / Import events."""
    _import(tctx, area, path, "events", dry_run)


@events_app.command("export", epilog="Eksempel: nabolag events export groruddalen -o arrangementer.csv")
def events_export(tctx: typer.Context, area: str = AREA,
                  output: Path = typer.Option(..., "--output", "-o", help=".csv eller .xlsx")) -> None:
    """Eksporter arrangementene. / Export the events."""
    _export(tctx, area, output, "events")


@inputs_app.command("list", epilog="Eksempel: nabolag inputs list groruddalen --json")
def inputs_list(tctx: typer.Context, area: str = AREA, as_json: bool = AS_JSON) -> None:
    """List innspillene i et område. / List an area's inputs."""
    from nabolag.ingest.programme import input_to
    from nabolag.services.participation import list_inputs

    with service_context(tctx, show_progress=False) as ctx:
        items = list_inputs(ctx, area)
    if as_json:
        print_json([input_to(i) for i in items])
        return
    table(_("{n} innspill", n=len(items)), [_("Mottatt"), _("Kode"), _("Innspill"), _("Status"), _("Svar")],
          [[i.received, i.code, i.text, input_status_label(i.status), i.answer] for i in items])


@inputs_app.command("add", epilog="Eksempel: nabolag inputs add groruddalen --text 'Mer lys ved skolen' "
                                  "--received 2026-03-17 --event fm-2026 --theme trygghet")
def inputs_add(tctx: typer.Context, area: str = AREA, text: str = typer.Option(..., help="Innspillet (uten navn)"),
               received: str = typer.Option(..., help="Mottatt (YYYY-MM-DD)"),
               code: str = typer.Option("", help="Kode (standard: neste innspill-N)"),
               event: str = typer.Option("", help="Arrangementet det kom fra"),
               theme: str = typer.Option("", help="Tema"), measure: str = typer.Option("", help="Tiltaket det gjelder"),
               status: str = typer.Option("received", help="received, considered, adopted, rejected eller done"),
               ) -> None:
    """Registrer et innspill. / Record an input."""
    from nabolag.services.participation import save_input

    values = {"code": code, "text": text, "received": received, "event": event, "theme": theme,
              "measure": measure, "status": status}
    with service_context(tctx, show_progress=False) as ctx:
        i = save_input(ctx, parse("inputs", values, area))  # type: ignore[arg-type]
    done(_("Innspillet {code} er lagret i {area}", code=i.code, area=i.area_code))


@inputs_app.command("answer", epilog="Eksempel: nabolag inputs answer groruddalen innspill-17 --status adopted "
                                     "--answer 'Tatt med i planen for 2027'")
def inputs_answer(tctx: typer.Context, area: str = AREA, code: str = typer.Argument(..., help="Innspillets kode"),
                  answer: str = typer.Option(..., help="Kommunens svar"),
                  status: str = typer.Option(..., help="considered, adopted, rejected eller done"),
                  date: str = typer.Option("", help="Svardato (standard: i dag)")) -> None:
    """Gi kommunens svar på et innspill. / Answer an input."""
    from nabolag.services.participation import answer_input

    answered = iso_date(date, "--date") if date else dt.date.today()
    with service_context(tctx, show_progress=False) as ctx:
        answer_input(ctx, area, code, answer, choice(InputStatus, status, "--status"), answered)  # type: ignore[arg-type]
    done(_("Innspillet {code} er besvart", code=code))


@inputs_app.command("remove", epilog="Eksempel: nabolag inputs remove groruddalen innspill-17")
def inputs_remove(tctx: typer.Context, area: str = AREA, code: str = typer.Argument(..., help="Kode")) -> None:
    """Fjern et innspill. / Remove an input."""
    from nabolag.services.participation import remove_input

    with service_context(tctx, show_progress=False) as ctx:
        remove_input(ctx, area, code)
    done(_("Innspillet {code} er fjernet", code=code))


@inputs_app.command("public", epilog="Eksempel: nabolag inputs public groruddalen --json")
def inputs_public(tctx: typer.Context, area: str = AREA, as_json: bool = AS_JSON) -> None:
    """«Dere sa, vi gjorde»: innspill og svar slik de publiseres. / «You said, we did», as published."""
    from nabolag.services.participation import you_said_we_did

    with service_context(tctx, show_progress=False) as ctx:
        page = you_said_we_did(ctx, area)
    if as_json:
        print_json(page.as_dict())
        return
    table(_("Dere sa, vi gjorde: {area}", area=page.area_name), [_("Mottatt"), _("Dere sa"), _("Status"),
                                                                 _("Vi svarte")],
          [[x["received"], x["text"], x["status_label"], x["answer"] or ""] for x in page.items])

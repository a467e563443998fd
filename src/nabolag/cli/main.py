"""Entry point: ``nabolag [--database URL] [--lang nb|en] COMMAND``."""

from __future__ import annotations

import typer

from nabolag.cli import access as access_cli
from nabolag.cli import analysis, imports, lists
from nabolag.cli import baseline as baseline_cli
from nabolag.cli import mapping as mapping_cli
from nabolag.cli import participation as participation_cli
from nabolag.cli import programme as programme_cli
from nabolag.cli import report as report_cli
from nabolag.cli import survey as survey_cli
from nabolag.cli import users as users_cli
from nabolag.cli import vocabulary as vocabulary_cli
from nabolag.cli.common import console, service_context, state
from nabolag.i18n import _

app = typer.Typer(
    help="nabolag: planlegg, koordiner og mål sosial bærekraft i nabolag. / "
         "Plan, coordinate and measure social sustainability in neighbourhoods.",
    no_args_is_help=True, pretty_exceptions_enable=False,
)
app.add_typer(imports.app, name="import")
app.add_typer(lists.zones_app, name="zones")
app.add_typer(lists.indicators_app, name="indicators")
app.add_typer(lists.areas_app, name="areas")
app.add_typer(lists.observations_app, name="observations")
app.command("index", epilog="Eksempel: nabolag index --spec ssb-levekar --period 2024 --output indeks.gpkg")(
    analysis.index)
app.command("select", epilog="Eksempel: nabolag select --period 2024 --rule worst-decile --min-indicators 3")(
    analysis.select)
app.command("matrix", epilog="Eksempel: nabolag matrix --area groruddalen --period 2024 --target lavinntekt=8")(
    analysis.matrix)
app.command("gaps", epilog="Eksempel: nabolag gaps --indicator sosialhjelp")(analysis.gaps)
app.add_typer(baseline_cli.app, name="baseline")
app.add_typer(users_cli.app, name="users")
app.command("change", epilog="Eksempel: nabolag change groruddalen --period 2024 --output endring.xlsx")(
    baseline_cli.change)
app.add_typer(vocabulary_cli.vocabulary_app, name="vocabulary")
app.add_typer(programme_cli.goals_app, name="goals")
app.add_typer(programme_cli.measures_app, name="measures")
app.add_typer(programme_cli.programme_app, name="programme")
app.command("logic-model", epilog="Eksempel: nabolag logic-model groruddalen --output logikkmodell.md")(
    programme_cli.logic_model)
app.add_typer(participation_cli.actors_app, name="actors")
app.add_typer(participation_cli.events_app, name="events")
app.add_typer(participation_cli.inputs_app, name="inputs")
app.add_typer(survey_cli.app, name="survey")
app.add_typer(access_cli.app, name="access")
app.add_typer(mapping_cli.app, name="mapping")
app.add_typer(mapping_cli.sessions_app, name="sessions")
app.add_typer(report_cli.app, name="report")


@app.callback()
def main(tctx: typer.Context,
         database: str = typer.Option(None, "--database", envvar="NABOLAG_DATABASE_URL",
                                      help="sqlite:///fil.sqlite eller postgresql://bruker@vert/db"),
         lang: str = typer.Option(None, "--lang", help="nb (standard) eller en")) -> None:
    state(tctx).update(database=database, lang=lang)


@app.command(epilog="Eksempel: nabolag --database sqlite:///nabolag.sqlite init")
def init(tctx: typer.Context) -> None:
    """Opprett eller oppgrader databasen. / Create or upgrade the database."""
    with service_context(tctx, show_progress=False) as ctx:
        console.print(f"OK: {ctx.store.url}")


@app.command(epilog="Eksempel: nabolag demo --port 8000")
def demo(tctx: typer.Context,
         serve: bool = typer.Option(True, "--serve/--no-serve", help="Start nettsiden etterpå"),
         host: str = typer.Option("127.0.0.1", help="Adresse"), port: int = typer.Option(8000, help="Port"),
         rebuild: bool = typer.Option(False, "--rebuild", help="Bygg databasen på nytt"),
         accounts: bool = typer.Option(True, "--accounts/--no-accounts",
                                       help="Lag demobrukere (én per rolle) og skriv passordene"),
         reports: bool = typer.Option(True, "--reports/--no-reports",
                                      help="Lag og lagre Groruddalens demorapporter (PDF)")) -> None:
    """Bygg Oslo-demoen (ekte soner og befolkning, syntetiske levekårsdata). / Build the Oslo demo."""
    from nabolag.demo import build_demo
    from nabolag.demo_accounts import add_demo_accounts

    with service_context(tctx) as ctx:
        summary = build_demo(ctx, rebuild=rebuild)
        made = add_demo_accounts(ctx) if accounts else []
        if reports:
            from nabolag.demo_reports import add_demo_reports

            stored = add_demo_reports(ctx)
            summary += " " + _("{n} demorapporter lagret.", n=len(stored))
    console.print(summary)
    for account in made:
        areas = f" ({', '.join(account.areas)})" if account.areas else ""
        secret = account.password or _("finnes fra før; passordet er uendret")
        console.print(_("Demobruker {user} – rolle {role}{areas}: {password}", user=account.username,
                        role=account.role, areas=areas, password=secret), markup=False, highlight=False)
    if serve:
        _serve(tctx, host, port)


@app.command(epilog="Eksempel: nabolag serve --port 8000")
def serve(tctx: typer.Context, host: str = typer.Option("127.0.0.1", help="Adresse"),
          port: int = typer.Option(8000, help="Port")) -> None:
    """Start nettsiden. / Start the web server."""
    _serve(tctx, host, port)


def _serve(tctx: typer.Context, host: str, port: int) -> None:
    import uvicorn

    from nabolag.settings import load_settings
    from nabolag.web.app import create_app

    opts = state(tctx)
    settings = load_settings(opts.get("database"), opts.get("lang"))  # type: ignore[arg-type]
    with service_context(tctx, show_progress=False):
        pass  # creates or upgrades the database, and reports a bad URL clearly
    console.print(f"nabolag: http://{host}:{port}/  (Ctrl+C stopper / stops)")
    uvicorn.run(create_app(settings), host=host, port=port, log_level="warning")


def run() -> None:
    app()

"""``nabolag users add|list|remove|password|areas|disable|enable``: accounts for the web app."""

from __future__ import annotations

import json
import sys

import typer
from rich.table import Table

from nabolag.cli.common import console, handle_errors, service_context
from nabolag.errors import InputError, NotFoundError
from nabolag.i18n import _
from nabolag.services import users

app = typer.Typer(help="Brukere av nettsiden / web app users", no_args_is_help=True)

PASSWORD_STDIN = typer.Option(False, "--password-stdin",
                              help="Les passordet fra første linje på standard inn (for skript)")


def read_password(from_stdin: bool, username: str) -> str:
    """One line from stdin, or asked twice with hidden input at a terminal."""
    if from_stdin:
        line = sys.stdin.readline()
        return line[:-1] if line.endswith("\n") else line
    if not sys.stdin.isatty():
        raise InputError(_("Passord mangler (felt: passord): bruk --password-stdin når standard inn ikke er en "
                           "terminal"))
    password: str = typer.prompt(_("Passord for {name}", name=username), hide_input=True,
                                 confirmation_prompt=_("Gjenta passordet"))
    return password


@app.command("add", epilog="Eksempel: nabolag users add kari --role coordinator --area groruddalen")
def add(tctx: typer.Context, username: str = typer.Argument(..., help="Brukernavn"),
        role: str = typer.Option(..., "--role", help="admin, analyst, coordinator eller viewer"),
        area: list[str] = typer.Option([], "--area", help="Område koordinatoren kan endre (kan gjentas)"),
        name: str = typer.Option("", "--name", help="Fullt navn som vises"),
        password_stdin: bool = PASSWORD_STDIN) -> None:
    """Legg til en bruker. / Add a user."""
    with handle_errors():
        users.check_username(username)
        users.check_role(role)
    with service_context(tctx, show_progress=False) as ctx:
        if users.get_user(ctx, username, include_disabled=True) is not None:
            raise InputError(_("Brukeren «{name}» finnes allerede (felt: brukernavn)", name=username))
        password = read_password(password_stdin, username)
        user = users.add_user(ctx, username, role, password, display_name=name, areas=area)
    console.print(_("La til {name} ({role})", name=user.username, role=user.role)
                  + (f": {', '.join(user.areas)}" if user.areas else ""))


@app.command("list", epilog="Eksempel: nabolag users list --json")
def list_(tctx: typer.Context, as_json: bool = typer.Option(False, "--json", help="Skriv JSON")) -> None:
    """List brukerne (uten passord). / List users (no passwords)."""
    with service_context(tctx, show_progress=False) as ctx:
        items = users.list_users(ctx)
    if as_json:
        typer.echo(json.dumps([u.as_dict() for u in items], ensure_ascii=False, indent=1))
        return
    table = Table(_("Brukernavn"), _("Navn"), _("Rolle"), _("Områder"), _("Status"), _("Opprettet"),
                  _("Av"), title=_("{n} brukere", n=len(items)))
    for u in items:
        table.add_row(u.username, u.display_name, u.role, ", ".join(u.areas),
                      _("sperret") if u.disabled else _("aktiv"), u.created_at.strftime("%Y-%m-%d %H:%M"),
                      u.created_by)
    console.print(table)


@app.command("remove", epilog="Eksempel: nabolag users remove kari")
def remove(tctx: typer.Context, username: str = typer.Argument(..., help="Brukernavn")) -> None:
    """Slett en bruker (historikken blir i revisjonsloggen). / Remove a user."""
    with service_context(tctx, show_progress=False) as ctx:
        users.remove_user(ctx, username)
    console.print(_("Slettet {name}", name=username))


@app.command("password", epilog="Eksempel: nabolag users password kari --password-stdin < passord.txt")
def password(tctx: typer.Context, username: str = typer.Argument(..., help="Brukernavn"),
             password_stdin: bool = PASSWORD_STDIN) -> None:
    """Sett nytt passord (brukerens innlogginger avsluttes). / Set a new password."""
    with service_context(tctx, show_progress=False) as ctx:
        if users.get_user(ctx, username, include_disabled=True) is None:
            raise NotFoundError(_("Ingen bruker heter «{name}»", name=username))
        new = read_password(password_stdin, username)
        users.set_password(ctx, username, new)
    console.print(_("Nytt passord for {name}", name=username))


@app.command("areas", epilog="Eksempel: nabolag users areas kari --add groruddalen --remove sondre-nordstrand")
def areas(tctx: typer.Context, username: str = typer.Argument(..., help="Brukernavn"),
          add: list[str] = typer.Option([], "--add", help="Gi tilgang til området (kan gjentas)"),
          remove: list[str] = typer.Option([], "--remove", help="Ta bort tilgang til området (kan gjentas)")) -> None:
    """Endre hvilke områder en koordinator kan endre. / Change a coordinator's areas."""
    with service_context(tctx, show_progress=False) as ctx:
        user = users.change_areas(ctx, username, add=add, remove=remove)
    console.print(f"{user.username}: {', '.join(user.areas) or '–'}")


@app.command("disable", epilog="Eksempel: nabolag users disable kari")
def disable(tctx: typer.Context, username: str = typer.Argument(..., help="Brukernavn")) -> None:
    """Sperr en bruker (kan ikke logge inn). / Disable a user."""
    with service_context(tctx, show_progress=False) as ctx:
        users.set_disabled(ctx, username, True)
    console.print(_("Sperret {name}", name=username))


@app.command("enable", epilog="Eksempel: nabolag users enable kari")
def enable(tctx: typer.Context, username: str = typer.Argument(..., help="Brukernavn")) -> None:
    """Åpne en sperret bruker igjen. / Enable a user again."""
    with service_context(tctx, show_progress=False) as ctx:
        users.set_disabled(ctx, username, False)
    console.print(_("Åpnet {name}", name=username))

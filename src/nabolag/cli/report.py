"""``nabolag report AREA --kind baseline|follow-up --format html|pdf --output FILE`` and
``nabolag report zones …`` (zone profiles, :mod:`nabolag.cli.report_zones`).

``report`` is a group whose first word is either a subcommand (``zones``, ``area``) or an area code: an
unknown first word is taken as an area, so ``nabolag report groruddalen …`` is ``nabolag report area
groruddalen …``. (An area whose code is ``zones`` is reached with ``nabolag report area zones``.)
"""

from __future__ import annotations

from pathlib import Path

import click
import typer
from typer.core import TyperGroup

from nabolag.cli.common import console, service_context, state
from nabolag.cli.report_zones import zones
from nabolag.errors import InputError
from nabolag.i18n import LANGUAGES, _, get_language
from nabolag.reports import files

FORMATS = ("html", "pdf")


class AreaOrCommand(TyperGroup):
    """A group that sends an unknown first word to the ``area`` command (as its area argument)."""

    def resolve_command(self, ctx: click.Context, args: list[str]) -> tuple[str | None, click.Command | None,
                                                                          list[str]]:
        if args and not args[0].startswith("-") and args[0] not in self.commands:
            args = ["area", *args]
        return super().resolve_command(ctx, args)


app = typer.Typer(cls=AreaOrCommand, no_args_is_help=True,
                  help="Rapporter: nullpunkt og oppfølging for et område, soneprofiler. / Reports.",
                  epilog="Eksempel: nabolag report groruddalen --kind baseline --format pdf --output nullpunkt.pdf")
app.command("zones", epilog="Eksempel: nabolag report zones --all --output profiler/")(zones)


def _format(fmt: str | None, output: Path) -> str:
    chosen = (fmt or output.suffix.lstrip(".")).lower()
    if chosen not in FORMATS:
        raise InputError(_("Ukjent format «{fmt}»; bruk --format html eller pdf (eller en fil som slutter på .html "
                           "eller .pdf)", fmt=fmt or output.suffix))
    return chosen


def _check_output(output: Path) -> Path:
    parent = output.parent if str(output.parent) else Path(".")
    if not parent.is_dir():
        raise InputError(_("Mappen {dir} finnes ikke; lag den først eller velg en annen --output", dir=parent))
    if output.is_dir():
        raise InputError(_("--output {path} er en mappe; oppgi et filnavn, f.eks. {path}/rapport.pdf", path=output))
    return parent


@app.command("area", epilog="Eksempel: nabolag report area groruddalen --kind follow-up --format html "
                            "--output oppfolging.html")
def area(tctx: typer.Context,
         area_code: str = typer.Argument(..., metavar="AREA", help="Områdets kode eller navn, f.eks. groruddalen"),
         kind: str = typer.Option("baseline", "--kind", help="baseline (nullpunktsanalyse) eller follow-up "
                                                              "(oppfølging)"),
         baseline: str = typer.Option(None, "--baseline", help="Nullpunktets navn (standard: det nyeste)"),
         period: str = typer.Option(None, "--period", help="Oppfølging: siste periode som skal med (år, dato, "
                                                            "kvartal); standard: siste som finnes"),
         lang: str = typer.Option(None, "--lang", help="nb (standard) eller en"),
         fmt: str = typer.Option(None, "--format", help="html eller pdf (standard: fra filnavnet)"),
         output: Path = typer.Option(..., "--output", help="Filen som skal skrives, f.eks. nullpunkt.pdf")) -> None:
    """Nullpunktsanalyse eller oppfølgingsrapport for et område. / Baseline or follow-up report for an area."""
    from nabolag.reports.store import KINDS, generate

    if lang is not None:
        state(tctx)["lang"] = lang
    with service_context(tctx) as ctx:
        if lang is not None and lang not in LANGUAGES:
            raise InputError(_("Ukjent språk «{lang}» i --lang; bruk {langs}", lang=lang, langs=", ".join(LANGUAGES)))
        if kind not in KINDS:
            raise InputError(_("Ukjent rapporttype «{kind}» i --kind; bruk {kinds}", kind=kind,
                               kinds=", ".join(KINDS)))
        chosen = _format(fmt, output)
        _check_output(output)
        data = generate(ctx, area_code, kind, lang or get_language(), chosen, baseline, period).content
        files.write_atomic(output, data)  # readers never see half a file
    console.print(_("Rapporten er skrevet til {path} ({size} kB)", path=output, size=max(1, len(data) // 1024)),
                  markup=False, highlight=False)

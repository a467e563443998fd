"""``nabolag vocabulary list|set|remove|defaults``: dimensions and themes with their SDG targets."""

from __future__ import annotations

import typer

from nabolag.cli.common import service_context
from nabolag.cli.programme_common import done, print_json, table
from nabolag.domain.vocabulary import Term
from nabolag.i18n import _, get_language

vocabulary_app = typer.Typer(help="Dimensjoner og tema med bærekraftsmål. / Dimensions and themes with SDG targets.",
                             no_args_is_help=True)


@vocabulary_app.command("list", epilog="Eksempel: nabolag vocabulary list --kind theme")
def vocabulary_list(tctx: typer.Context, kind: str = typer.Option(None, help="dimension eller theme"),
                    as_json: bool = typer.Option(False, "--json", help="Skriv JSON")) -> None:
    """List dimensjoner og tema. / List dimensions and themes."""
    from nabolag.services.vocabulary import list_terms

    with service_context(tctx, show_progress=False) as ctx:
        terms = list_terms(ctx, kind)
    if as_json:
        print_json([{**t.__dict__, "kind": str(t.kind), "sdg_targets": list(t.sdg_targets)} for t in terms])
        return
    lang = get_language()
    table(_("{n} ord", n=len(terms)), [_("Type"), _("Kode"), _("Navn"), _("Bærekraftsdelmål")],
          [[str(t.kind), t.code, t.name(lang), ", ".join(t.sdg_targets)] for t in terms])


@vocabulary_app.command("set", epilog="Eksempel: nabolag vocabulary set theme trygghet --name Trygghet --sdg 11.7 "
                                      "--sdg 16.1")
def vocabulary_set(tctx: typer.Context, kind: str = typer.Argument(..., help="dimension eller theme"),
                   code: str = typer.Argument(..., help="Kode"), name: str = typer.Option(..., help="Navn (bokmål)"),
                   name_en: str = typer.Option("", "--name-en", help="Navn (engelsk)"),
                   description: str = typer.Option("", help="Beskrivelse"),
                   sdg: list[str] = typer.Option(None, "--sdg", help="Bærekraftsdelmål, f.eks. 11.7 (flere tillatt)"),
                   order: int = typer.Option(0, help="Rekkefølge")) -> None:
    """Legg til eller endre en dimensjon eller et tema (admin). / Add or change a term (admin)."""
    from nabolag.services.vocabulary import save_term

    with service_context(tctx, show_progress=False) as ctx:
        new = save_term(ctx, Term(kind, code, name, name_en, description, tuple(sdg or ()), order))  # type: ignore[arg-type]
    done(_("{code} lagt til", code=code) if new else _("{code} endret", code=code))


@vocabulary_app.command("remove", epilog="Eksempel: nabolag vocabulary remove theme tjenester")
def vocabulary_remove(tctx: typer.Context, kind: str = typer.Argument(..., help="dimension eller theme"),
                      code: str = typer.Argument(..., help="Kode")) -> None:
    """Fjern et ord som ikke er i bruk (admin). / Remove an unused term (admin)."""
    from nabolag.services.vocabulary import remove_term

    with service_context(tctx, show_progress=False) as ctx:
        remove_term(ctx, kind, code)
    done(_("{code} fjernet", code=code))


@vocabulary_app.command("defaults", epilog="Eksempel: nabolag vocabulary defaults")
def vocabulary_defaults(tctx: typer.Context) -> None:
    """Sett standardordene tilbake (admin). / Restore the default terms (admin)."""
    from nabolag.services.vocabulary import restore_defaults

    with service_context(tctx, show_progress=False) as ctx:
        n = restore_defaults(ctx)
    done(_("{n} ord satt tilbake til standard", n=n))

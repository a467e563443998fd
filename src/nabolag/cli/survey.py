"""``nabolag survey …``: resident surveys (questionnaires, rounds, paper import, results)."""

from __future__ import annotations

from pathlib import Path

import typer

from nabolag.cli.common import console, service_context
from nabolag.cli.programme_common import done, print_json, table
from nabolag.i18n import _

app = typer.Typer(help="Innbyggerundersøkelser. / Resident surveys.", no_args_is_help=True)
CODE = typer.Argument(..., help="Undersøkelsens kode")


@app.command("templates", epilog="Eksempel: nabolag survey templates")
def templates(as_json: bool = typer.Option(False, "--json", help="Skriv JSON")) -> None:
    """List de innebygde spørreskjemaene. / List the built-in questionnaires."""
    from nabolag.services.survey_templates import list_templates

    found = list_templates()
    if as_json:
        print_json([t.as_dict() for t in found])
        return
    table(_("{n} maler", n=len(found)), [_("Mal"), _("Tittel"), _("Målgruppe"), _("Språk"), _("Spørsmål")],
          [[t.name, t.title, t.audience, ", ".join(t.languages), str(t.questions)] for t in found])


@app.command("create", epilog="Eksempel: nabolag survey create groruddalen-2025 --template innbyggerundersokelse "
                              "--area groruddalen --period 2025")
def create(tctx: typer.Context, code: str = CODE,
           template: str = typer.Option("", help="Innebygd mal (se nabolag survey templates)"),
           file: Path = typer.Option(None, "--file", help="Spørreskjema i YAML eller JSON"),
           area: str = typer.Option(None, help="Områdets kode"),
           period: str = typer.Option("", help="Runde, f.eks. 2025"),
           mode: str = typer.Option("open", help="open (åpen lenke) eller invitation (invitasjonskoder)")) -> None:
    """Lag en undersøkelse fra en mal eller en fil. / Create a survey from a template or a file."""
    from nabolag.ingest.survey import read_questionnaire
    from nabolag.services.survey import create_survey
    from nabolag.services.survey_templates import load_template

    with service_context(tctx, show_progress=False) as ctx:
        q = read_questionnaire(file) if file else load_template(template or "innbyggerundersokelse")
        s = create_survey(ctx, q, code=code, area=area, mode=mode, period=period)
    done(_("Undersøkelsen {code} er laget (utkast, versjon {v})", code=s.code, v=s.version))


@app.command("version", epilog="Eksempel: nabolag survey version groruddalen-2025 skjema-v2.yaml")
def version(tctx: typer.Context, code: str = CODE, file: Path = typer.Argument(..., help="YAML eller JSON")) -> None:
    """Lagre en ny versjon av spørreskjemaet. / Store a new questionnaire version."""
    from nabolag.ingest.survey import read_questionnaire
    from nabolag.services.survey import add_version

    with service_context(tctx, show_progress=False) as ctx:
        s = add_version(ctx, code, read_questionnaire(file), file=file.name)
    done(_("Undersøkelsen {code} har nå versjon {v}", code=s.code, v=s.version))


@app.command("open", epilog="Eksempel: nabolag survey open groruddalen-2025")
def open_(tctx: typer.Context, code: str = CODE) -> None:
    """Åpne for svar. / Open for responses."""
    from nabolag.services.survey import open_survey

    with service_context(tctx, show_progress=False) as ctx:
        open_survey(ctx, code)
    done(_("Undersøkelsen {code} er åpen", code=code))


@app.command("close", epilog="Eksempel: nabolag survey close groruddalen-2025")
def close(tctx: typer.Context, code: str = CODE) -> None:
    """Steng for svar. / Close for responses."""
    from nabolag.services.survey import close_survey

    with service_context(tctx, show_progress=False) as ctx:
        close_survey(ctx, code)
    done(_("Undersøkelsen {code} er stengt", code=code))


@app.command("list", epilog="Eksempel: nabolag survey list")
def list_(tctx: typer.Context, as_json: bool = typer.Option(False, "--json", help="Skriv JSON")) -> None:
    """List undersøkelsene. / List the surveys."""
    from nabolag.services.survey import list_surveys

    with service_context(tctx, show_progress=False) as ctx:
        found = list_surveys(ctx)
    if as_json:
        print_json([s.as_dict() for s in found])
        return
    table(_("{n} undersøkelser", n=len(found)), [_("Kode"), _("Tittel"), _("Status"), _("Periode"), _("Versjon")],
          [[s.code, s.title, s.status, s.period, str(s.version)] for s in found])


@app.command("counts", epilog="Eksempel: nabolag survey counts innbyggere-2024")
def counts_(tctx: typer.Context, code: str = CODE) -> None:
    """Svar per sone. / Responses per zone."""
    from nabolag.services.survey_submit import counts

    with service_context(tctx, show_progress=False) as ctx:
        c = counts(ctx, code)
    table(_("{n} svar", n=c.total), [_("Sone"), _("Svar")], [[z or "–", str(n)] for z, n in c.by_zone.items()])


@app.command("import", epilog="Eksempel: nabolag survey import innbyggere-2024 papirsvar.csv")
def import_(tctx: typer.Context, code: str = CODE, file: Path = typer.Argument(..., help="CSV")) -> None:
    """Importer svar samlet inn på papir. / Import responses collected on paper."""
    from nabolag.services.survey_import import import_paper_csv

    with service_context(tctx, show_progress=False) as ctx:
        n = import_paper_csv(ctx, code, file)
    done(_("{n} papirsvar er lagret i {code}", n=n, code=code))


@app.command("results", epilog="Eksempel: nabolag survey results innbyggere-2024")
def results(tctx: typer.Context, code: str = CODE) -> None:
    """Beregn vektede resultater og lagre dem som observasjoner. / Compute and store weighted results."""
    from nabolag.services.survey_results import store_results

    with service_context(tctx, show_progress=False) as ctx:
        n = store_results(ctx, code)
    console.print(_("{n} observasjoner lagret fra {code}", n=n, code=code))


@app.command("export", epilog="Eksempel: nabolag survey export innbyggere-2024 --output innbyggere-2024.xlsx")
def export(tctx: typer.Context, code: str = CODE,
           output: Path = typer.Option(..., "--output", "-o", help="FIL.csv (og FIL-kodebok.csv) eller FIL.xlsx"),
           with_text: bool = typer.Option(False, "--with-text", help="Ta med fritekstsvar, slik de ble skrevet"),
           with_points: bool = typer.Option(False, "--with-points",
                                            help="Ta med kartpunkter, avrundet til 2 desimaler (ca. 1 km)")) -> None:
    """Anonymisert eksport av svarene med kodebok, for forskere. / Anonymised responses with a codebook."""
    from nabolag.services.survey_export import export_responses

    with service_context(tctx, show_progress=False) as ctx:
        result = export_responses(ctx, code, output, include_text=with_text, include_points=with_points)
    done(_("{n} svar fra {code} er skrevet til {files}", n=result.rows, code=code,
           files=", ".join(str(f) for f in result.files)))
    if result.zones_coarsened or result.zones_dropped:
        console.print(_("Små soner: {moved} svar har fått overordnet sone, {dropped} svar står uten sone",
                        moved=result.zones_coarsened, dropped=result.zones_dropped))


@app.command("translate", epilog="Eksempel: nabolag survey translate innbyggere-2024 --language so "
                                 "--template so.yaml, fyll inn, og så nabolag survey translate innbyggere-2024 "
                                 "--language so --file so.yaml")
def translate_(tctx: typer.Context, code: str = CODE,
               language: str = typer.Option(..., "--language", help="Språkkode, f.eks. so, ar, pl, ur, ti"),
               template: Path = typer.Option(None, "--template", help="Skriv en mal å oversette til (YAML)"),
               file: Path = typer.Option(None, "--file", help="Les en utfylt mal og lagre språket"),
               source: str = typer.Option("", help="Språket malen viser teksten på (standard: skjemaets første)")
               ) -> None:
    """Oversett et spørreskjema: skriv en mal, les den inn igjen. / Translate: write a template, read it back."""
    from nabolag.errors import InputError
    from nabolag.ingest.survey_translation import read_translation, template_text
    from nabolag.services.survey import get_survey, translate, translation_template
    from nabolag.services.survey_export_files import atomic_write

    with service_context(tctx, show_progress=False) as ctx:
        if (template is None) == (file is None):
            raise InputError(_("Bruk enten --template UT.yaml eller --file INN.yaml"))
        if template is not None:
            src = source or get_survey(ctx, code).languages[0]
            text = template_text(code, language, src, translation_template(ctx, code, src, language))
            if not template.parent.is_dir():
                raise InputError(_("{file}: mappen {folder} finnes ikke", file=template.name,
                                   folder=str(template.parent)))
            atomic_write([template], lambda paths: paths[0].write_text(text, encoding="utf-8"))
            done(_("Malen er skrevet til {file}; fyll inn «text» og les den inn med --file", file=str(template)))
            return
        s = translate(ctx, code, language, read_translation(file, language, code))
    done(_("Undersøkelsen {code} har nå språket {lang} (versjon {v})", code=code, lang=language, v=s.version))

"""``nabolag mapping …`` (children's map campaigns) and ``nabolag sessions …`` (public-life observation)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import typer

from nabolag.cli.common import service_context
from nabolag.cli.programme_common import done, print_json, table
from nabolag.i18n import _

app = typer.Typer(help="Barnetråkk-kartlegginger. / Children's map campaigns.", no_args_is_help=True)
sessions_app = typer.Typer(help="Bylivsobservasjon (PLDP). / Public-life observation sessions.", no_args_is_help=True)
CODE = typer.Argument(..., help="Kartleggingens kode")


@app.command("campaigns", epilog="Eksempel: nabolag mapping campaigns --json")
def campaigns(tctx: typer.Context, as_json: bool = typer.Option(False, "--json", help="Skriv JSON")) -> None:
    """List kartleggingene med koder. / List campaigns with their codes."""
    from nabolag.services.mapping import list_campaigns

    with service_context(tctx, show_progress=False) as ctx:
        found = list_campaigns(ctx)
    if as_json:
        print_json([c.as_dict(with_codes=True) for c in found])
        return
    table(_("{n} kartlegginger", n=len(found)), [_("Kode"), _("Skole"), _("Trinn"), _("Status"), _("Barnekode"),
                                                  _("Lærerkode")],
          [[c.code, c.school, c.grade_group, str(c.status), c.access_code, c.teacher_code] for c in found])


@app.command("create", epilog="Eksempel: nabolag mapping create ammerud-2025 --school \"Ammerud skole\" "
                              "--grades 5-7 --area groruddalen --opens 2025-04-01 --closes 2025-05-15")
def create(tctx: typer.Context, code: str = CODE, school: str = typer.Option(..., help="Skolens navn"),
           grades: str = typer.Option("5-7", help="Klassetrinn: 1-4, 5-7 eller 8-10"),
           title: str = typer.Option("", help="Tittel (standard: skolens navn)"),
           area: str = typer.Option(None, help="Områdets kode"),
           opens: str = typer.Option(None, help="Første dag (ÅÅÅÅ-MM-DD)"),
           closes: str = typer.Option(None, help="Siste dag (ÅÅÅÅ-MM-DD)")) -> None:
    """Lag en kartlegging (utkast) med barnekode og lærerkode. / Create a campaign with its codes."""
    from nabolag.domain.mapping import MapCampaign
    from nabolag.errors import InputError
    from nabolag.services.mapping import create_campaign

    with service_context(tctx, show_progress=False) as ctx:
        try:
            first, last = (dt.date.fromisoformat(d) if d else None for d in (opens, closes))
        except ValueError as exc:
            raise InputError(_("Datoer skrives ÅÅÅÅ-MM-DD")) from exc
        c = create_campaign(ctx, MapCampaign(code=code, title=title or school, school=school, grade_group=grades,
                                             area_code=area, opens=first, closes=last))
    done(_("Kartleggingen {code} er laget: barnekode {access}, lærerkode {teacher}", code=c.code,
           access=c.access_code, teacher=c.teacher_code))


@app.command("open", epilog="Eksempel: nabolag mapping open ammerud-2025")
def open_(tctx: typer.Context, code: str = CODE) -> None:
    """Åpne for bidrag. / Open for contributions."""
    from nabolag.services.mapping import open_campaign

    with service_context(tctx, show_progress=False) as ctx:
        open_campaign(ctx, code)
    done(_("Kartleggingen {code} er åpen", code=code))


@app.command("close", epilog="Eksempel: nabolag mapping close ammerud-2025")
def close(tctx: typer.Context, code: str = CODE) -> None:
    """Steng for bidrag. / Close for contributions."""
    from nabolag.services.mapping import close_campaign

    with service_context(tctx, show_progress=False) as ctx:
        close_campaign(ctx, code)
    done(_("Kartleggingen {code} er stengt", code=code))


@app.command("export", epilog="Eksempel: nabolag mapping export ammerud-2025 --output barnetrakk.gpkg")
def export(tctx: typer.Context, codes: list[str] = typer.Argument(..., help="Kartlegginger"),
           output: Path = typer.Option(..., help=".gpkg eller .geojson"),
           with_comments: bool = typer.Option(False, "--with-comments", help="Ta med barnas kommentarer")) -> None:
    """Eksporter bidragene Barnetråkk-aktig. / Export contributions Barnetråkk style."""
    from nabolag.services.mapping_barnetrakk import export_contributions

    with service_context(tctx, show_progress=False) as ctx:
        result = export_contributions(ctx, codes, output, include_comments=with_comments)
    done(_("Skrev {file}: {counts}", file=result.file, counts=json.dumps(result.features)))


@app.command("import", epilog="Eksempel: nabolag mapping import ammerud-2025 barnetrakk.gpkg")
def import_(tctx: typer.Context, code: str = CODE, file: Path = typer.Argument(..., help=".gpkg eller .geojson")
            ) -> None:
    """Les bidrag fra en Barnetråkk-aktig fil. / Import contributions from a Barnetråkk-style file."""
    from nabolag.services.mapping_barnetrakk import import_contributions

    with service_context(tctx, show_progress=False) as ctx:
        result = import_contributions(ctx, code, file)
    done(_("Leste {file}: {counts}", file=result.file, counts=json.dumps(result.features)))


@app.command("aggregate", epilog="Eksempel: nabolag mapping aggregate ammerud-2025 --period 2025 "
                                 "--heatmap unsafe --output utrygt.geojson")
def aggregate(tctx: typer.Context, codes: list[str] = typer.Argument(..., help="Kartlegginger"),
              period: str = typer.Option(..., help="Periode for indikatorene, f.eks. 2025"),
              heatmap: str = typer.Option(None, help="Kartlag: route, walk_bike, good, avoid, traffic, activity, "
                                                     "unsafe"),
              output: Path = typer.Option(None, help="GeoJSON-fil for kartlaget"),
              size: float = typer.Option(250.0, help="Sekskantenes radius i meter")) -> None:
    """Lagre indikatorer per sone og område, og skriv et varmekart. / Store indicators, write a heat map."""
    from nabolag.services.mapping_aggregate import heatmap as make_heatmap
    from nabolag.services.mapping_indicators import store_map_indicators

    with service_context(tctx, show_progress=False) as ctx:
        n = store_map_indicators(ctx, codes, period)
        if heatmap:
            layer = make_heatmap(ctx, codes, heatmap, size)
            if output:
                output.write_text(json.dumps(layer, ensure_ascii=False), encoding="utf-8")
    done(_("{n} observasjoner lagret", n=n))


@sessions_app.command("list", epilog="Eksempel: nabolag sessions list --site ammerudgymmen")
def list_(tctx: typer.Context, site: str = typer.Option(None, help="Observasjonsstedets kode"),
          area: str = typer.Option(None, help="Områdets kode"),
          as_json: bool = typer.Option(False, "--json", help="Skriv JSON")) -> None:
    """List observasjonsøkter. / List observation sessions."""
    from nabolag.services.observation_sessions import list_sessions

    with service_context(tctx, show_progress=False) as ctx:
        found = list_sessions(ctx, site=site, area=area)
    if as_json:
        print_json([s.as_dict() for s in found])
        return
    table(_("{n} økter", n=len(found)), [_("Økt"), _("Sted"), _("Dato"), _("Start"), _("Fase"), _("Personer")],
          [[s.uid, s.site, s.date.isoformat(), s.start, s.phase, str(s.total)] for s in found])


@sessions_app.command("import", epilog="Eksempel: nabolag sessions import okter.csv")
def import_sessions(tctx: typer.Context, file: Path = typer.Argument(..., help="CSV, én rad per telling")) -> None:
    """Les økter og tellinger fra CSV. / Import sessions and counts from CSV."""
    from nabolag.services.observation_session_import import import_sessions_csv

    with service_context(tctx, show_progress=False) as ctx:
        r = import_sessions_csv(ctx, file)
    done(_("{file}: {n} økter ({new} nye), {slots} tidsluker, {people} personer", file=r.file, n=r.sessions,
           new=r.new_sessions, slots=r.slots, people=r.people))


@sessions_app.command("use", epilog="Eksempel: nabolag sessions use ammerudgymmen --store")
def use(tctx: typer.Context, site: str = typer.Argument(..., help="Observasjonsstedets kode"),
        store: bool = typer.Option(False, "--store", help="Lagre som observasjoner og knytt til tiltaket"),
        as_json: bool = typer.Option(False, "--json", help="Skriv JSON")) -> None:
    """Bruk av stedet: personer i timen, andeler, før og etter. / Use of the place."""
    from nabolag.services.public_life import compare_before_after, store_use_indicators, use_indicators

    with service_context(tctx, show_progress=False) as ctx:
        found = use_indicators(ctx, site)
        change = compare_before_after(ctx, site)
        n = store_use_indicators(ctx, site) if store else 0
    if as_json:
        print_json({"indicators": json.loads(found.to_json(orient="records")), "before_after": change})
        return
    table(site, [_("Mål"), _("Gruppe"), _("År"), _("Fase"), _("Verdi"), _("Fra"), _("Til"), _("Økter")],
          [[r.measure, r.groups, r.period, r.phase, f"{r.value:.1f}", _fmt(r.ci_low), _fmt(r.ci_high), str(r.sessions)]
           for r in found.itertuples()])
    if store:
        done(_("{n} observasjoner lagret", n=n))


def _fmt(v: object) -> str:
    return "" if v is None or v != v else f"{float(v):.1f}"  # type: ignore[arg-type]

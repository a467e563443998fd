"""``nabolag baseline create|show AREA`` and ``nabolag change AREA``: nullpunkt and change since it."""

from __future__ import annotations

import json
import math
from pathlib import Path

import typer
from rich.markup import escape
from rich.table import Table

from nabolag.cli.common import console, service_context
from nabolag.i18n import _

app = typer.Typer(help="Nullpunkt (baseline) for et område. / Baselines for a programme area.",
                  epilog="Eksempel: nabolag baseline create groruddalen --period 2018", no_args_is_help=True)


def _fmt(v: object, digits: int = 2) -> str:
    if v is None or (isinstance(v, float) and not math.isfinite(v)):
        return ""
    return f"{float(v):.{digits}f}"  # type: ignore[arg-type]


def _with_ci(value: object, low: object, high: object) -> str:
    text = _fmt(value)
    if text and _fmt(low):
        text += f" [{_fmt(low)}, {_fmt(high)}]"
    return text


def _table(title: str, *headers: str) -> Table:
    t = Table(title=title)
    for h in headers:
        t.add_column(h, overflow="fold")  # wrap, never cut a code or a number short
    return t


def _records(frame: object) -> list[dict[str, object]]:
    import pandas as pd

    assert isinstance(frame, pd.DataFrame)
    return json.loads(frame.to_json(orient="records", force_ascii=False))  # type: ignore[no-any-return]


@app.command("create", epilog="Eksempel: nabolag baseline create groruddalen --period 2018 --label nullpunkt-2018")
def create(tctx: typer.Context, area: str = typer.Argument(..., help="Områdets kode"),
           period: str = typer.Option(None, "--period", help="Siste periode som skal med (år, dato eller kvartal); "
                                                             "standard: siste som finnes"),
           label: str = typer.Option(None, "--label", help="Navn på nullpunktet")) -> None:
    """Frys et nullpunkt: hver indikators verdi med usikkerhet. / Freeze a baseline for an area."""
    from nabolag.services.baseline import create_baseline

    with service_context(tctx) as ctx:
        view = create_baseline(ctx, area, period=period, label=label)
    console.print(_("Nullpunkt «{label}» for {area} frosset: {n} indikatorer", label=view.label, area=view.area.name,
                    n=len(view.frame)), highlight=False)
    for code, reason in view.skipped.items():
        console.print(escape(_("{code}: ikke med ({reason})", code=code, reason=reason)), highlight=False)


@app.command("show", epilog="Eksempel: nabolag baseline show groruddalen --json")
def show(tctx: typer.Context, area: str = typer.Argument(..., help="Områdets kode"),
         label: str = typer.Option(None, "--label", help="Navn på nullpunktet (standard: det nyeste)"),
         as_json: bool = typer.Option(False, "--json", help="Skriv JSON")) -> None:
    """Vis et frosset nullpunkt. / Show a frozen baseline."""
    from nabolag.services.baseline import show_baseline

    with service_context(tctx, show_progress=False) as ctx:
        view = show_baseline(ctx, area, label)
    if as_json:
        console.print_json(json.dumps({"area": view.area.code, "label": view.label, "as_of": view.as_of,
                                       "frozen_at": view.frozen_at.isoformat(), "actor": view.actor,
                                       "member_zones": list(view.member_zones),
                                       "comparison_zones": list(view.comparison_zones),
                                       "values": _records(view.frame)}, ensure_ascii=False))
        return
    t = _table(_("Nullpunkt «{label}» for {area}, frosset {date}", label=view.label, area=view.area.name,
                 date=view.frozen_at.date().isoformat()),
               _("Indikator"), _("Periode"), _("Verdi [95 % KI]"), _("Sammenligning [95 % KI]"), _("Metode"))
    notes = []
    for r in view.frame.to_dict("records"):
        t.add_row(escape(str(r["indicator"])), str(r["period"]), _with_ci(r["value"], r["ci_low"], r["ci_high"]),
                  _with_ci(r["comparison_value"], r["comparison_ci_low"], r["comparison_ci_high"]), str(r["method"]))
        notes += [f"{r['indicator']}: {x}" for x in (r["suppressed"], r["note"]) if x]
    console.print(t)
    for line in notes:
        console.print(escape(line), highlight=False)


def change(tctx: typer.Context, area: str = typer.Argument(..., help="Områdets kode"),
           period: str = typer.Option(None, "--period", help="Siste periode som skal med (standard: siste som finnes)"),
           label: str = typer.Option(None, "--label", help="Nullpunktet det sammenlignes med (standard: det nyeste)"),
           output: Path = typer.Option(None, "--output", "-o", help="Skriv til .csv eller .xlsx")) -> None:
    """Endring siden nullpunktet, med usikkerhet, vurdering og forskjell-i-forskjeller mot
    sammenligningssonene. / Change since the baseline, with intervals, verdicts and difference-in-differences."""
    from nabolag.services.baseline import compare, write_change

    with service_context(tctx) as ctx:
        table = compare(ctx, area, latest_period=period, label=label)
        if output:
            write_change(ctx, table, output)
    console.print(table.method_text(), highlight=False)
    t = _table(_("Endring i {area} siden nullpunktet «{label}»", area=table.area.name, label=table.label),
               _("Indikator"), _("Nullpunkt"), _("Siste"), _("Endring [95 % KI]"), _("Vurdering"),
               _("Mot sammenligning [95 % KI]"), _("Vurdering"))
    notes = []
    for r in table.frame.to_dict("records"):
        t.add_row(escape(str(r["indicator"])), f"{r['baseline_period']}: {_fmt(r['baseline_value'])}",
                  f"{r['latest_period'] or ''}: {_fmt(r['latest_value'])}",
                  _with_ci(r["change"], r["change_ci_low"], r["change_ci_high"]), str(r["verdict_text"]),
                  _with_ci(r["did"], r["did_ci_low"], r["did_ci_high"]), str(r["did_verdict_text"]))
        notes += [f"{r['indicator']}: {x}" for x in (r["suppressed"], r["note"]) if x]
    console.print(t)
    for line in notes:
        console.print(escape(line), highlight=False)
    if output:
        console.print(_("Skrevet til {file}", file=str(output)))

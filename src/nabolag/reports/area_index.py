"""The living-conditions index in an area report: the stored index runs (the same the city overview
shows) for the area's zones and comparison zones, a map of the scores, and the index specification."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import shapely

from nabolag.analysis.change import period_end
from nabolag.domain.index_spec import IndexSpec
from nabolag.i18n import _, get_language
from nabolag.ingest.index_spec import parse_spec
from nabolag.reports import content as c
from nabolag.reports.area_data import AreaData
from nabolag.reports.svgmap import zones_svg
from nabolag.reports.tables import cell
from nabolag.services import zones
from nabolag.services.context import Context
from nabolag.services.index import IndexTable
from nabolag.store import indices as index_repo

#: Score classes of the map (1–10, 10 = most challenges), light to dark.
SCORE_COLOURS = ("#fff5eb", "#fdd0a2", "#fd8d3c", "#d94801", "#7f2704")


@dataclass
class IndexRun:
    spec: IndexSpec
    version: int
    period: str
    values: pd.DataFrame  # code, value, score, rank

    def title(self) -> str:
        s = self.spec
        return (s.title_en if get_language() == "en" and s.title_en else s.title_nb) or s.name


def _pick(periods: list[str], wanted: str | None) -> str:
    """The latest period ending by ``wanted`` (the earliest if none does); the latest without ``wanted``."""
    ordered = sorted(periods, key=lambda p: (period_end(p), p))
    if not wanted:
        return ordered[-1]
    before = [p for p in ordered if period_end(p) <= period_end(wanted)]
    return before[-1] if before else ordered[0]


def load_runs(ctx: Context, d: AreaData, period: str | None) -> list[IndexRun]:
    """One run per stored index specification at the report's level, for the period nearest ``period``
    (read once per report and period: the index chapter and the methods appendix share them)."""
    key = ("index-runs", period)
    if key not in d.cache:
        d.cache[key] = _load_runs(ctx, d.level, period)
    return d.cache[key]  # type: ignore[return-value]


def _load_runs(ctx: Context, level: str, period: str | None) -> list[IndexRun]:
    found = []
    with ctx.store.read() as conn:
        runs = index_repo.newest_runs(conn, level)
        for name in sorted(runs):
            chosen = _pick(list(runs[name]), period)
            run_id, version = runs[name][chosen]
            text = index_repo.spec_text(conn, name, version)
            if not text:
                continue
            values = pd.DataFrame(index_repo.run_values(conn, run_id), columns=["code", "value", "score", "rank"])
            found.append(IndexRun(parse_spec(text, name), version, chosen, values))
    return found


def method_text(run: IndexRun, level: str) -> str:
    return IndexTable(spec=run.spec, version=run.version, level=level, period=run.period,
                      frame=pd.DataFrame()).method_text()


def _table(d: AreaData, run: IndexRun, before: IndexRun | None, n: int) -> dict[str, object]:
    by_code = run.values.set_index("code")
    prior = before.values.set_index("code") if before is not None else None
    rows = []
    for code in (*d.area.zone_codes, *d.area.comparison_codes):
        if code not in by_code.index:
            continue
        r = by_code.loc[code]
        challenged = r["score"] == r["score"] and r["score"] >= run.spec.challenged_score
        row = {"_key": code, "name": d.name(code),
               "role": _("i området") if code in d.area.zone_codes else _("sammenligning"),
               "value": cell(r["value"], digits=2), "score": cell(r["score"], digits=0),
               "rank": cell(r["rank"], digits=0), "challenged": _("ja") if challenged else _("nei")}
        if prior is not None:
            p = prior.loc[code] if code in prior.index else None
            row["score_before"] = cell(None if p is None else p["score"], digits=0)
        rows.append(row)
    cols = [{"key": "name", "label": _("Sone")}, {"key": "role", "label": _("Rolle")},
            {"key": "value", "label": _("Indeks"), "num": True}]
    if prior is not None and before is not None:
        cols.append({"key": "score_before", "label": _("Poeng {period}", period=before.period), "num": True})
    cols += [{"key": "score", "label": _("Poeng {period}", period=run.period), "num": True},
             {"key": "rank", "label": _("Rang av {n}", n=n), "num": True},
             {"key": "challenged", "label": _("Utfordret")}]
    return {"id": f"tab-indeks-{run.spec.name}", "caption": _("{index}, {period}: sonene i området og "
                                                                "sammenligningssonene", index=run.title(),
                                                                period=run.period),
            "columns": cols, "rows": rows, "source": _("nabolag, indeks «{name}» versjon {version}",
                                                       name=run.spec.name, version=run.version)}


def _map(ctx: Context, d: AreaData, run: IndexRun) -> dict[str, object] | None:
    scores = dict(zip(run.values["code"], run.values["score"], strict=True))
    feats = []
    for z in zones.list_zones(ctx, level=d.level, with_geometry=True):
        if not z.geometry:
            continue
        s = scores.get(z.code)
        fill = SCORE_COLOURS[min(4, (int(s) - 1) // 2)] if s is not None and s == s else "#ffffff"
        role = "member" if z.code in d.area.zone_codes else "context"
        feats.append({"code": z.code, "name": z.name, "geometry": shapely.from_wkb(z.geometry), "role": role,
                      "fill": fill})
    classes = [(colour, _("poeng {low}–{high}", low=2 * i + 1, high=2 * i + 2))
               for i, colour in enumerate(SCORE_COLOURS)]
    svg = zones_svg(feats, 640, 540, _("Kart: {index} {period} etter poeng", index=run.title(), period=run.period),
                    classes=classes)
    return c.figure(svg, _("{index} {period}: poeng 1–10 etter desil (10 = flest utfordringer). Sonene i {area} har "
                           "blå kant.", index=run.title(), period=run.period, area=d.area.name),
                    _("nabolag, indeks «{name}» versjon {version}", name=run.spec.name, version=run.version),
                    f"fig-indeks-{run.spec.name}")


def index_blocks(ctx: Context, d: AreaData) -> list[dict[str, object] | None]:
    """Tables (and for the first index a map) of the stored indices; a notice when none is computed."""
    period = d.latest_period if d.follow_up else d.baseline_period
    runs = load_runs(ctx, d, period)
    if not runs:
        return [c.notice(_("Ingen levekårsindeks er beregnet på nivået {level}; beregn en med «nabolag index».",
                           level=d.level))]
    n = sum(1 for z in d.by_code.values() if str(z.level) == d.level)
    earlier = {r.spec.name: r for r in load_runs(ctx, d, d.baseline_period)} if d.follow_up else {}
    blocks: list[dict[str, object] | None] = [c.text(_(
        "Indeksen slår sammen flere levekårsindikatorer til ett tall per sone. Sonene får poeng 1–10 etter desil "
        "i byen (10 = flest utfordringer); rang 1 er sonen med flest utfordringer."))]
    for i, run in enumerate(runs):
        before = earlier.get(run.spec.name)
        blocks.append(c.table(_table(d, run, before if before and before.period != run.period else None, n)))
        if i == 0:
            blocks.append(_map(ctx, d, run))
    return blocks

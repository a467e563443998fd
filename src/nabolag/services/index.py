"""Composite living-conditions index: compute from a spec, store the result with the spec version."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from nabolag.analysis import normalise as norm
from nabolag.analysis.composite import composite_index
from nabolag.analysis.equity import worst_decile_count
from nabolag.analysis.sensitivity import rank_sensitivity
from nabolag.domain.index_spec import IndexSpec
from nabolag.domain.zones import Zone
from nabolag.errors import InputError
from nabolag.i18n import _
from nabolag.ingest.index_spec import load_spec
from nabolag.services import indicators as indicator_service
from nabolag.services import observations, zones
from nabolag.services.context import Context
from nabolag.store import imports as imports_repo
from nabolag.store import indices as repo
from nabolag.store import observations as obs_repo

OUTPUT_SUFFIXES = (".csv", ".xlsx", ".geojson", ".gpkg")


@dataclass
class IndexTable:
    """The result: one row per zone (``code, name, value, score, rank, challenged, missing`` and one
    ``bidrag:<indicator>`` column per component) plus how it was made."""

    spec: IndexSpec
    version: int
    level: str
    period: str
    frame: pd.DataFrame
    missing: dict[str, list[str]] = field(default_factory=dict)
    run_id: int | None = None

    def method_text(self) -> str:
        s = self.spec
        parts = ", ".join(_("{ind} (vekt {w})", ind=c.indicator, w=f"{c.weight:g}") for c in s.components)
        text = _("Indeks «{name}» versjon {version}, {level} {period}: normalisering {norm}, {agg} aggregering, "
                 "{weighting}; komponenter: {parts}. Poeng 1–10 etter desil (10 = flest utfordringer); "
                 "soner med poeng {challenged} eller mer er markert som utfordret.",
                 name=s.name, version=self.version, level=self.level, period=self.period, norm=s.normalisation,
                 agg=s.aggregation, parts=parts, challenged=s.challenged_score,
                 weighting=_("befolkningsvektet") if s.population_weighting else _("uvektet"))
        if s.truncation:
            text += " " + _("Ekstremverdier avkortet til persentil {lo}–{hi}.", lo=s.truncation[0], hi=s.truncation[1])
        if self.missing:
            text += " " + _("{n} soner mangler data og har ingen indeks.", n=len(self.missing))
        return text


def component_matrix(ctx: Context, spec: IndexSpec, period: str, level: str,
                     level_zones: list[Zone] | None = None) -> tuple[pd.DataFrame, list[str]]:
    """Zones of ``level`` (rows) × component indicators (columns) for ``period``; NaN where missing.

    One period of every component is read as plain arrays (through a covering index) and placed by
    position: no DataFrame pivot, which took most of the time for 14,000 zones × 40 indicators.
    """
    codes = [c.indicator for c in spec.components]
    ids = {i.code: i.id for i in indicator_service.list_indicators(ctx)}
    unknown = [c for c in codes if c not in ids]
    if unknown:
        raise InputError(_("Indeksen {name} bruker ukjente indikatorer: {codes}", name=spec.name,
                           codes=", ".join(unknown)))
    level_zones = zones.list_zones(ctx, level=level) if level_zones is None else level_zones
    if not level_zones:
        raise InputError(_("Ingen soner på nivået «{level}»", level=level))
    with ctx.store.read() as conn:
        zone_ids, indicator_ids, vals = obs_repo.period_values(conn, [ids[c] for c in codes], period)
    zone_id_arr = np.array([z.id for z in level_zones], dtype=np.int64)
    row_of = np.full(max(int(zone_id_arr.max()), int(zone_ids.max(initial=0))) + 1, -1, dtype=np.int64)
    row_of[zone_id_arr] = np.arange(len(level_zones))
    col_of = np.full(max(int(ids[c]) for c in codes) + 1, -1, dtype=np.int64)
    col_of[[ids[c] for c in codes]] = np.arange(len(codes))
    rows = row_of[zone_ids]
    cols = col_of[np.minimum(indicator_ids, len(col_of) - 1)]
    keep = (rows >= 0) & (cols >= 0)
    matrix = np.full((len(level_zones), len(codes)), np.nan)
    matrix[rows[keep], cols[keep]] = vals[keep]
    all_zones = [z.code for z in level_zones]
    return pd.DataFrame(matrix, index=pd.Index(all_zones, name="zone"), columns=codes), all_zones


def _population(ctx: Context, level: str, period: str, zone_codes: list[str]) -> np.ndarray:
    pop = observations.query(ctx, indicators=["befolkning"], level=level, groups="")
    if pop.empty:
        raise InputError(_("Befolkningsvekting krever indikatoren «befolkning» på nivået {level}", level=level))
    pop = pop[pop["period"] <= period] if (pop["period"] <= period).any() else pop
    latest = pop.sort_values("period").groupby("zone")["value"].last()
    return latest.reindex(zone_codes).to_numpy(dtype=float)


def _reference(ctx: Context, spec: IndexSpec, period: str, values: pd.DataFrame) -> np.ndarray:
    """The city value per component (zones at level kommune), else the mean over zones."""
    city = observations.query(ctx, indicators=[c.indicator for c in spec.components], level="kommune",
                              periods=[period], groups="")
    ref = city.groupby("indicator")["value"].first() if not city.empty else pd.Series(dtype=float)
    return np.array([ref.get(c.indicator, np.nanmean(values[c.indicator])) for c in spec.components], dtype=float)


def compute_index(ctx: Context, spec: str | IndexSpec, period: str, level: str = "delbydel",
                  save: bool = True, sensitivity_runs: int = 0) -> IndexTable:
    """Compute the index for every zone of ``level`` in ``period``; store it with the spec's version.

    With ``sensitivity_runs`` > 0 the index is recomputed that many times with perturbed weights and
    other normalisations; the frame gains ``rank_low``, ``rank_high``, ``challenged_share`` and
    ``robustness`` (challenged / not_challenged / depends_on_method)."""
    spec = load_spec(spec) if isinstance(spec, str) else spec
    level = spec.level or level
    level_zones = zones.list_zones(ctx, level=level)
    values, codes = component_matrix(ctx, spec, period, level, level_zones)
    directions = {i.code: str(i.direction) for i in indicator_service.list_indicators(ctx)}
    higher_is_better = np.array([(c.direction or directions[c.indicator]) == "higher_is_better"
                                 for c in spec.components])
    weights = np.array([c.weight for c in spec.components])
    population = _population(ctx, level, period, codes) if spec.population_weighting else None
    reference = _reference(ctx, spec, period, values) if spec.normalisation == "distance-to-reference" else None
    if values.isna().all().all():
        raise InputError(_("Ingen data for indeksen {name} på nivået {level} i {period}", name=spec.name,
                           level=level, period=period))
    try:
        result = composite_index(values.to_numpy(), higher_is_better, weights, normalisation=spec.normalisation,
                                 aggregation=spec.aggregation, population=population, reference=reference,
                                 truncation=spec.truncation, max_missing=spec.max_missing)
    except ValueError as exc:
        raise InputError(f"{spec.name}: {exc}") from exc
    names = {z.code: z.name for z in level_zones}
    comp = [c.indicator for c in spec.components]
    missing = {code: [comp[j] for j in np.flatnonzero(result.missing[i])]
               for i, code in enumerate(codes) if result.missing[i].any()}
    frame = pd.DataFrame({"code": codes, "name": [names[c] for c in codes], "value": result.index.round(4),
                          "score": result.score, "rank": result.rank,
                          "challenged": result.score >= spec.challenged_score,
                          "missing": [", ".join(missing.get(c, [])) for c in codes]})
    frame = pd.concat([frame, pd.DataFrame(result.contributions.round(4), columns=[f"bidrag:{c}" for c in comp])],
                      axis=1)
    deciles = norm.decile_score_columns(values.to_numpy(), higher_is_better, population)
    frame = pd.concat([frame, pd.DataFrame(deciles, columns=[f"desil:{c}" for c in comp])], axis=1)
    if sensitivity_runs:
        sens = rank_sensitivity(values.to_numpy(), higher_is_better, weights, runs=sensitivity_runs,
                                challenged_score=spec.challenged_score, population=population,
                                max_missing=spec.max_missing)
        frame["rank_low"], frame["rank_high"] = sens.rank_low, sens.rank_high
        frame["challenged_share"], frame["robustness"] = sens.challenged_share.round(3), sens.status()
    table = IndexTable(spec=spec, version=0, level=level, period=period, frame=frame, missing=missing)
    if save:
        _save(ctx, table, {z.code: z.id for z in level_zones})
    return table


def _save(ctx: Context, table: IndexTable, zone_ids: dict[str, int | None]) -> None:
    ctx.require_write()
    frame = table.frame
    comp = [c for c in frame.columns if c.startswith("bidrag:")]  # stored with each zone
    contributions = frame[comp].to_numpy(dtype=float)
    names = [c[7:] for c in comp]
    rows = [{"zone_id": zone_ids[code], "value": _num(v), "score": _num(s), "rank": _num(r),
             "contributions": json.dumps({n: _num(x) for n, x in zip(names, contrib, strict=True)})}
            for code, v, s, r, contrib in zip(frame["code"].tolist(), frame["value"].tolist(), frame["score"].tolist(),
                                              frame["rank"].tolist(), contributions.tolist(), strict=True)]
    with ctx.store.transaction() as conn:
        spec_id, table.version = repo.save_spec_version(conn, table.spec.name, table.spec.source_text, ctx.actor)
        table.run_id = repo.save_run(conn, spec_id, table.level, table.period, ctx.actor, table.missing, rows)
        imports_repo.record_audit(conn, actor=ctx.actor, action="compute", object_type="index",
                                  object_key=f"{table.spec.name}:{table.period}",
                                  details={"version": table.version, "run": table.run_id})


def _num(v: object) -> float | None:
    return None if v is None or v != v else float(v)  # type: ignore[arg-type]  # v != v: NaN


def write_index(ctx: Context, table: IndexTable, output: str | Path) -> Path:
    """CSV, Excel, GeoJSON or GeoPackage (opens in QGIS with the index as attributes)."""
    out = Path(output)
    if out.suffix.lower() not in OUTPUT_SUFFIXES:
        raise InputError(_("Ukjent filtype {suffix}; bruk {valid}", suffix=out.suffix,
                           valid=", ".join(OUTPUT_SUFFIXES)))
    frame = table.frame.assign(spec=table.spec.name, version=table.version, period=table.period)
    tmp = out.with_name(out.name + ".part" + out.suffix)
    if out.suffix.lower() == ".csv":
        frame.to_csv(tmp, index=False)
    elif out.suffix.lower() == ".xlsx":
        with pd.ExcelWriter(tmp, engine="openpyxl") as xl:
            frame.to_excel(xl, sheet_name="indeks", index=False)
            pd.DataFrame({"metode": [table.method_text()]}).to_excel(xl, sheet_name="metode", index=False)
    else:
        geoms = {z.code: z.geometry for z in zones.list_zones(ctx, level=table.level, with_geometry=True)}
        geometry = shapely.from_wkb([geoms.get(c) for c in frame["code"]])
        gdf = gpd.GeoDataFrame(frame.rename(columns=lambda c: c.replace(":", "_")), geometry=geometry,
                               crs="EPSG:4326")
        driver = "GPKG" if out.suffix.lower() == ".gpkg" else "GeoJSON"
        gdf.to_file(tmp, driver=driver, layer="indeks" if driver == "GPKG" else None, engine="pyogrio")
    tmp.replace(out)
    return out


def select_zones(table: IndexTable, rule: str = "index", min_indicators: int = 3) -> tuple[pd.DataFrame, str]:
    """Flag zones by the index (score at or above the spec's threshold) or by a rule: in the worst
    decile on at least ``min_indicators`` indicators. Returns the flagged zones and the rule in words."""
    frame = table.frame.copy()
    deciles = frame[[c for c in frame.columns if c.startswith("desil:")]].to_numpy()
    frame["worst_decile_count"] = worst_decile_count(deciles)
    if rule == "index":
        flagged = frame[frame["challenged"]]
        text = _("Soner med indekspoeng {n} eller mer (indeks «{spec}», {period}).", n=table.spec.challenged_score,
                 spec=table.spec.name, period=table.period)
    elif rule == "worst-decile":
        flagged = frame[frame["worst_decile_count"] >= min_indicators]
        text = _("Soner i dårligste desil (poeng 10) på minst {k} av {m} indikatorer ({period}).", k=min_indicators,
                 m=deciles.shape[1], period=table.period)
    else:
        raise InputError(_("Ukjent regel «{rule}»; bruk index eller worst-decile", rule=rule))
    return flagged.sort_values(["rank", "code"]), text

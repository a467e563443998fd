"""Population from the SSB grid, aggregated to zones by area-weighted overlay."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

from nabolag.analysis.overlay import area_weighted_sum
from nabolag.domain.indicators import Direction, Indicator, Kind, Method
from nabolag.domain.observations import normalise_period
from nabolag.domain.problems import Report
from nabolag.domain.zones import Zone
from nabolag.errors import InputError
from nabolag.i18n import _
from nabolag.ingest.population import GRID_CRS, read_population_grid
from nabolag.services.context import Context
from nabolag.services.observations import reject_or_replace_existing, to_records
from nabolag.store import imports as imports_repo
from nabolag.store import indicators as ind_repo
from nabolag.store import observations as obs_repo
from nabolag.store import zones as zone_repo

POPULATION = Indicator(
    code="befolkning", name_nb="Befolkning", name_en="Population", unit="personer",
    definition="Bosatte personer i sonen, fordelt fra SSBs rutenett etter areal.",
    direction=Direction.NEUTRAL, kind=Kind.CONTEXT, source="SSB, befolkning på rutenett",
    method=Method.REGISTER, disaggregations=("gender",))
GROUPS = {"total": "", "female": "gender=female", "male": "gender=male"}


def import_population(ctx: Context, path: str | Path, *, level: str, period: str | None = None,
                      layer: str | None = None, id_field: str | None = None, replace: bool = False,
                      source: str = "SSB, befolkning på rutenett (CC BY 4.0)") -> Report:
    """Aggregate grid cells to every zone of ``level`` and store them as ``befolkning`` observations."""
    ctx.require_write()
    p, digest = ctx.input_file(path)
    ctx.progress(_("Leser rutenett"), 0.05)
    cells, report = read_population_grid(p, layer=layer, id_field=id_field)
    year = _period(period, report) if period else _year(cells, report)
    zones = [z for z in zone_repo_list(ctx, level) if z.geometry is not None]
    if not zones:
        raise InputError(_("Ingen soner med geometri på nivået «{level}»; importer soner først", level=level))
    target = gpd.GeoDataFrame({"code": [z.code for z in zones]},
                              geometry=shapely.from_wkb([z.geometry for z in zones]), crs="EPSG:4326")
    ctx.progress(_("Fordeler {n} ruter på {m} soner", n=len(cells), m=len(zones)), 0.3)
    columns = [c for c in ("total", "female", "male") if c in cells.columns]
    sums, outside = area_weighted_sum(cells, columns, target.to_crs(GRID_CRS), "code")
    report.info(_("{inside:.0f} personer fordelt på soner; {outside:.0f} i ruter utenfor sonene",
                  inside=sums["total"].sum(), outside=outside["total"]))
    with ctx.store.read() as conn:
        ids = zone_repo.zone_ids(conn)
        ind_id = ind_repo.indicator_ids(conn).get("befolkning")
    frames = [pd.DataFrame({"zone_id": [ids[c] for c in sums.index], "value": sums[col].round(1).to_numpy(),
                            "groups": GROUPS[col]}) for col in columns]
    rows = pd.concat(frames, ignore_index=True)
    rows = rows.assign(indicator_id=ind_id or 0, area_id=float("nan"), period=year, numerator=float("nan"),
                       denominator=float("nan"), n=float("nan"), ci_low=float("nan"), ci_high=float("nan"),
                       status="ok", source=source, row=range(1, len(rows) + 1))
    rows["zone_id"] = rows["zone_id"].astype(float)
    rows["indicator_id"] = rows["indicator_id"].astype(float)
    with ctx.store.transaction() as conn:
        if ind_id is None:  # defined in the same transaction, so a failed import leaves nothing behind
            ind_repo.upsert_indicators(conn, [POPULATION], None)
            rows["indicator_id"] = float(ind_repo.indicator_ids(conn)["befolkning"])
        replaced = reject_or_replace_existing(conn, rows, report, replace)
        import_id = imports_repo.start_import(conn, kind="population", file_name=p.name, sha256=digest,
                                              source=source, actor=ctx.actor,
                                              options={"level": level, "period": year, "layer": layer})
        rows["import_id"] = import_id
        obs_repo.insert_observations(conn, to_records(rows))
        imports_repo.finish_import(conn, import_id, rows=len(rows), warnings=len(report.warnings))
        imports_repo.record_audit(conn, actor=ctx.actor, action="import", object_type="population",
                                  object_key=p.name, details={"zones": len(sums), "replaced": replaced,
                                                                     "defined_indicator": ind_id is None})
    ctx.progress(_("Ferdig"), 1.0)
    return report


def zone_repo_list(ctx: Context, level: str) -> list[Zone]:
    with ctx.store.read() as conn:
        return zone_repo.list_zones(conn, level=level, with_geometry=True)


def _period(text: str, report: Report) -> str:
    found = normalise_period(text)
    if found is None:
        raise InputError(_("{file}: --period «{period}» er ikke en periode; forventet et år som 2019",
                           file=report.file, period=text))
    return found


def _year(cells: gpd.GeoDataFrame, report: Report) -> str:
    if "year" in cells.columns:
        years = sorted(set(cells["year"]))
        if len(years) == 1 and years[0].isdigit():
            return years[0]
    raise InputError(_("{file}: fant ikke ett statistikkår i filen; angi --period", file=report.file))


"""Walking accessibility, part 1: build the walking network and load the people who walk it.

Facilities are in :mod:`nabolag.services.access_facilities`, the computation in
:mod:`nabolag.services.access_compute`, scenarios in :mod:`nabolag.services.access_scenario`.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import Transformer

from nabolag.analysis.access_network import largest_component, split_lines
from nabolag.domain.access import NetworkInfo
from nabolag.domain.problems import Report
from nabolag.errors import InputError, NotFoundError
from nabolag.i18n import _
from nabolag.ingest import geo
from nabolag.ingest.network_lines import metric_arrays, read_lines
from nabolag.ingest.osm import extract_info, is_osm_file, read_walkable_ways
from nabolag.ingest.population import read_population_grid
from nabolag.services.context import Context
from nabolag.store import access as repo
from nabolag.store import imports as imports_repo
from nabolag.store import observations as obs_repo
from nabolag.store import zones as zone_repo

OSM_SOURCE = "© OpenStreetMap contributors (ODbL)"


def build_network(ctx: Context, path: str | Path, *, name: str = "", extract_date: str | None = None,
                  layer: str | None = None, crs: str | None = None, source: str = "") -> tuple[NetworkInfo, Report]:
    """Read walkable ways from an OSM extract (``.osm.pbf``) or lines (GeoJSON/GeoPackage) and store the
    network (largest connected part) with the extract's date. The real network is never changed later:
    a new build adds a new network, and computations use the newest."""
    ctx.require_write()
    p, digest = ctx.input_file(path)
    report = Report(str(p))
    ctx.progress(_("Leser {file}", file=p.name), 0.05)
    if is_osm_file(p):
        info = extract_info(p, report)
        lines = read_walkable_ways(p, report)
        source = source or OSM_SOURCE
        extract_date = extract_date or info.get("timestamp", "")[:10]
    else:
        lines = read_lines(p, report, layer=layer, crs=crs)
    date = _check_date(extract_date or "", p)
    if not date:
        report.warning(_("filen oppgir ikke når uttrekket ble laget; angi det med --date"))
    ctx.progress(_("Deler {n} linjer i kryss", n=len(lines)), 0.4)
    arrays, metric = metric_arrays(lines.geometry)
    net, dropped = largest_component(split_lines(arrays))
    net.crs = metric
    if net.n_nodes < 2:
        raise InputError(_("{file}: gangnettet har ingen sammenhengende veier", file=str(p)))
    if dropped:
        report.warning(_("{n} noder utenfor den største sammenhengende delen av nettet er utelatt", n=dropped))
    to_lonlat = Transformer.from_crs(metric, "EPSG:4326", always_xy=True)
    lonlat = np.column_stack(to_lonlat.transform(net.xy[:, 0], net.xy[:, 1]))
    ctx.progress(_("Lagrer nettet"), 0.8)
    with ctx.store.transaction() as conn:
        import_id = imports_repo.start_import(conn, kind="access_network", file_name=p.name, sha256=digest,
                                              source=source, actor=ctx.actor, options={"crs": metric, "date": date})
        nid = repo.save_network(conn, net, lonlat, name=name or p.stem, source=source, file_name=p.name,
                                sha256=digest, extract_date=date, actor=ctx.actor, dropped=dropped)
        imports_repo.finish_import(conn, import_id, rows=len(net.u), warnings=len(report.warnings))
        imports_repo.record_audit(conn, actor=ctx.actor, action="build", object_type="access_network",
                                  object_key=str(nid), details={"nodes": net.n_nodes, "edges": len(net.u)})
    report.info(_("{nodes} noder, {edges} strekninger, {km:.1f} km gangnett ({crs})", nodes=net.n_nodes,
                  edges=len(net.u), km=float(net.length.sum()) / 1000, crs=metric))
    ctx.progress(_("Ferdig"), 1.0)
    return get_network(ctx, nid), report


def _check_date(text: str, p: Path) -> str:
    if not text:
        return ""
    try:
        return dt.date.fromisoformat(text[:10]).isoformat()
    except ValueError as exc:
        raise InputError(_("{file}: --date «{date}» er ikke en dato; forventet ÅÅÅÅ-MM-DD", file=str(p),
                           date=text)) from exc


def get_network(ctx: Context, network_id: int | None = None) -> NetworkInfo:
    with ctx.store.read() as conn:
        found = repo.load_network(conn, network_id)
    if found is None:
        raise NotFoundError(_("Ingen gangnett er bygd; kjør «nabolag access build --osm FIL» først"))
    return found[0]


def list_networks(ctx: Context) -> list[NetworkInfo]:
    with ctx.store.read() as conn:
        return repo.list_networks(conn)


def _points(geoms: gpd.GeoSeries) -> tuple[np.ndarray, np.ndarray]:
    pts = shapely.point_on_surface(geoms.to_crs("EPSG:4326").values)
    return shapely.get_x(pts), shapely.get_y(pts)


def import_people(ctx: Context, path: str | Path, *, weight_field: str | None = None,
                  groups: dict[str, str] | None = None, layer: str | None = None, crs: str | None = None,
                  grid: bool = False, source: str = "") -> Report:
    """Replace the people with points from a file: an SSB population grid (``grid=True``: cell centres,
    ``total`` and ``gender=female``/``male``), or points/polygons with a weight column (``weight_field``,
    else 1 each) and ``groups`` (column → group, e.g. ``{"age_0_17": "age=0-17"}``)."""
    ctx.require_write()
    p, digest = ctx.input_file(path)
    report = Report(str(p))
    frames: list[pd.DataFrame] = []
    if grid:
        cells, report = read_population_grid(p, layer=layer)
        lon, lat = _points(cells.geometry)
        for col, group in (("total", ""), ("female", "gender=female"), ("male", "gender=male")):
            if col in cells.columns:
                frames.append(pd.DataFrame({"lon": lon, "lat": lat, "groups": group, "weight": cells[col]}))
    else:
        gdf = geo.read_layer(p, report, layer=layer, crs=crs)
        gdf = gdf[~gdf.geometry.isna()]
        lon, lat = _points(gdf.geometry)
        wanted = {"": weight_field, **{g: c for c, g in (groups or {}).items()}}
        for group, col in wanted.items():
            if col is not None and col not in gdf.columns:
                raise InputError(_("{file}: fant ikke kolonnen «{col}»; kolonner: {cols}", file=str(p), col=col,
                                   cols=", ".join(map(str, gdf.columns))))
            values = pd.to_numeric(gdf[col], errors="coerce") if col else pd.Series(1.0, index=gdf.index)
            if values.isna().any() or (values < 0).any():
                row = int(np.flatnonzero(values.isna().to_numpy() | (values < 0).to_numpy())[0]) + 1
                report.error(_("antallet må være et tall ≥ 0"), row=row, field=col, found=str(gdf[col].iloc[row - 1]))
            frames.append(pd.DataFrame({"lon": lon, "lat": lat, "groups": group, "weight": values.to_numpy()}))
        report.raise_if_errors()
    return _save_people(ctx, pd.concat(frames, ignore_index=True), report, p.name, digest,
                        source or ("SSB/HSY rutenett" if grid else p.name))


def people_from_zones(ctx: Context, level: str, period: str | None = None) -> Report:
    """Replace the people with one point inside each zone of ``level``, weighted by its ``befolkning``."""
    ctx.require_write()
    report = Report(f"zones:{level}")
    with ctx.store.read() as conn:
        zones = [z for z in zone_repo.list_zones(conn, level=level, with_geometry=True) if z.geometry]
        pop = obs_repo.query_observations(conn, indicators=["befolkning"], level=level, groups="")
    if not zones or pop.empty:
        raise InputError(_("Trenger soner med geometri og befolkning på nivået «{level}»", level=level))
    pop = pop[pop["period"] == (period or pop["period"].max())].set_index("zone")["value"]
    geoms = gpd.GeoSeries(shapely.from_wkb([z.geometry for z in zones]), crs="EPSG:4326")
    lon, lat = _points(geoms)
    weight = pop.reindex([z.code for z in zones]).fillna(0).to_numpy(dtype=float)
    frame = pd.DataFrame({"lon": lon, "lat": lat, "groups": "", "weight": weight})
    return _save_people(ctx, frame, report, f"zones:{level}", "", _("sonesentre ({level})", level=level))


def _save_people(ctx: Context, frame: pd.DataFrame, report: Report, file_name: str, digest: str,
                 source: str) -> Report:
    frame = frame[frame["weight"] > 0]
    if frame.empty:
        raise InputError(_("{file}: ingen personer (alle antall er 0)", file=file_name))
    with ctx.store.transaction() as conn:
        import_id = imports_repo.start_import(conn, kind="access_people", file_name=file_name, sha256=digest,
                                              source=source, actor=ctx.actor, options={})
        n = repo.replace_people(conn, frame["lon"].to_numpy(), frame["lat"].to_numpy(), frame["groups"].tolist(),
                                frame["weight"].to_numpy(), source, import_id)
        imports_repo.finish_import(conn, import_id, rows=n, warnings=len(report.warnings))
        imports_repo.record_audit(conn, actor=ctx.actor, action="import", object_type="access_people",
                                  object_key=file_name, details={"points": n})
    total = frame.loc[frame["groups"] == "", "weight"].sum()
    report.info(_("{n} punkter, {people:.0f} personer", n=n, people=total))
    return report


def people_summary(ctx: Context) -> list[dict[str, object]]:
    with ctx.store.read() as conn:
        return repo.people_summary(conn)

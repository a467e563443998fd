"""Walking accessibility, part 2: facilities (parks, playgrounds, meeting places …), each with a kind.

From an OSM extract (tags in :data:`nabolag.domain.access.FACILITY_KINDS`), from a file (GeoJSON,
GeoPackage, or CSV with ``lon``/``lat``) with a ``kind`` column or one ``--kind``, and from the
programme's own located measures. Each load replaces the earlier facilities of the same source and kinds.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

from nabolag.domain.access import FACILITY_KINDS, check_kind
from nabolag.domain.problems import Report
from nabolag.errors import InputError
from nabolag.i18n import _
from nabolag.ingest import geo
from nabolag.ingest.osm import is_osm_file, read_facilities
from nabolag.ingest.tables import read_table
from nabolag.services.context import Context
from nabolag.services.programme import list_measures
from nabolag.store import access as repo
from nabolag.store import imports as imports_repo


def _kinds(kinds: list[str] | None) -> list[str]:
    try:
        return [check_kind(k) for k in kinds] if kinds else list(FACILITY_KINDS)
    except ValueError as exc:
        raise InputError(str(exc)) from exc


def import_facilities(ctx: Context, path: str | Path, *, kinds: list[str] | None = None, kind: str | None = None,
                      kind_field: str = "kind", name_field: str = "name", layer: str | None = None,
                      crs: str | None = None) -> Report:
    """Load facilities from an OSM extract (``kinds`` picks the built-in kinds) or from a list."""
    ctx.require_write()
    p, digest = ctx.input_file(path)
    report = Report(str(p))
    if is_osm_file(p):
        found = read_facilities(p, _kinds(kinds), report)
        source, wanted = "osm", _kinds(kinds)
    else:
        found = _read_list(p, report, kind, kind_field, name_field, layer, crs)
        source, wanted = "file", sorted(set(found["kind"]))
    rows = [{"kind": r.kind, "name": str(r.name)[:200], "source": source, "ref": str(r.ref)[:100],
             "geometry": shapely.to_wkb(r.geometry)} for r in found.itertuples()]
    return _replace(ctx, rows, source, wanted, report, p.name, digest)


def _read_list(p: Path, report: Report, kind: str | None, kind_field: str, name_field: str,
               layer: str | None, crs: str | None) -> gpd.GeoDataFrame:
    if geo.is_geo_file(p):
        gdf = geo.read_layer(p, report, layer=layer, crs=crs).to_crs("EPSG:4326")
        first = 1
    else:
        frame = read_table(p, report)
        cols = {c.lower(): c for c in frame.columns}
        if "lon" not in cols or "lat" not in cols:
            raise InputError(_("{file}: en liste over steder trenger kolonnene lon og lat (EPSG:4326); fant {cols}",
                               file=str(p), cols=", ".join(map(str, frame.columns))))
        lon = pd.to_numeric(frame[cols["lon"]], errors="coerce")
        lat = pd.to_numeric(frame[cols["lat"]], errors="coerce")
        for i in frame.index[lon.isna() | lat.isna() | (lon.abs() > 180) | (lat.abs() > 90)]:
            report.error(_("ugyldig koordinat"), row=int(i) + 2, field="lon/lat", expected=_("grader (EPSG:4326)"),
                         found=f"{frame[cols['lon']][i]}, {frame[cols['lat']][i]}")
        report.raise_if_errors()
        gdf = gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(lon, lat), crs="EPSG:4326")
        first = 2
    if kind is None and kind_field not in gdf.columns:
        raise InputError(_("{file}: fant ikke kolonnen «{field}» med type; angi --kind for alle",
                           file=str(p), field=kind_field))
    kinds = pd.Series(kind, index=gdf.index) if kind else gdf[kind_field].fillna("").astype(str)
    checked = []
    for i, k in zip(range(len(gdf)), kinds, strict=True):
        try:
            checked.append(check_kind(k))
        except ValueError as exc:
            report.error(str(exc), row=i + first, field=kind_field, found=k)
            checked.append("")
    report.raise_if_errors()
    names = gdf[name_field].fillna("").astype(str) if name_field in gdf.columns else ""
    return gpd.GeoDataFrame({"kind": checked, "name": names, "ref": [f"{p.name}:{i + first}" for i in range(len(gdf))]},
                            geometry=gdf.geometry.values, crs="EPSG:4326")


def facilities_from_measures(ctx: Context, area_code: str, kind: str, measures: list[str] | None = None) -> Report:
    """The area's located measures (all, or the codes in ``measures``) become facilities of ``kind``."""
    ctx.require_write()
    kind = _kinds([kind])[0]
    report = Report(f"measures:{area_code}")
    found = [m for m in list_measures(ctx, area_code) if m.geometry and (not measures or m.code in measures)]
    missing = sorted(set(measures or []) - {m.code for m in found})
    if missing:
        raise InputError(_("Tiltak uten kartfesting eller som ikke finnes i «{area}»: {codes}", area=area_code,
                           codes=", ".join(missing)))
    if not found:
        raise InputError(_("Området «{area}» har ingen kartfestede tiltak", area=area_code))
    rows = [{"kind": kind, "name": m.title[:200], "source": "measure", "ref": f"{area_code}/{m.code}",
             "geometry": m.geometry} for m in found]
    return _replace(ctx, rows, "measure", [kind], report, f"measures:{area_code}", "")


def _replace(ctx: Context, rows: list[dict[str, object]], source: str, kinds: list[str], report: Report,
             file_name: str, digest: str) -> Report:
    with ctx.store.transaction() as conn:
        removed = repo.delete_facilities(conn, source, kinds)
        import_id = imports_repo.start_import(conn, kind="access_facilities", file_name=file_name, sha256=digest,
                                              source=source, actor=ctx.actor, options={"kinds": kinds})
        repo.insert_facilities(conn, [{**r, "import_id": import_id} for r in rows])
        imports_repo.finish_import(conn, import_id, rows=len(rows), warnings=len(report.warnings))
        imports_repo.record_audit(conn, actor=ctx.actor, action="import", object_type="access_facilities",
                                  object_key=file_name, details={"added": len(rows), "replaced": removed})
    report.info(_("{n} steder lagret ({m} erstattet)", n=len(rows), m=removed))
    return report


def facility_counts(ctx: Context) -> list[dict[str, object]]:
    with ctx.store.read() as conn:
        return repo.facility_counts(conn)

"""Read vector files (GeoJSON, GeoPackage, Shapefile, GML) with pyogrio; check CRS and geometry."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import geopandas as gpd
import numpy as np
import pyogrio
import shapely
from pyproj import CRS
from pyproj.exceptions import CRSError

from nabolag.domain.problems import Problem, Report
from nabolag.errors import InputError
from nabolag.i18n import _

GEO_SUFFIXES = {".geojson", ".json", ".gpkg", ".shp", ".gml", ".zip", ".fgb"}
STORE_CRS = "EPSG:4326"


def is_geo_file(path: Path) -> bool:
    return path.suffix.lower() in GEO_SUFFIXES


def read_layer(path: Path, report: Report, layer: str | None = None, crs: str | None = None,
               want_field: str | None = None) -> gpd.GeoDataFrame:
    """Read one layer; with several layers, ``layer`` (or the one holding ``want_field``) picks it."""
    name = str(path)
    try:
        layers = [str(row[0]) for row in pyogrio.list_layers(path)]
    except Exception as exc:  # pyogrio raises several GDAL-derived errors
        raise InputError(_("{file}: kan ikke leses som geodata", file=name),
                         [Problem(name, _("ukjent eller ødelagt geodatafil"), found=str(exc).strip())]) from exc
    if layer is None and len(layers) > 1:
        layer = _guess_layer(path, layers, want_field)
        if layer is None:
            raise InputError(_("{file}: filen har flere lag ({layers}); velg ett med --layer",
                               file=name, layers=", ".join(layers)))
        report.info(_("bruker laget «{layer}»", layer=layer))
    if layer is not None and layer not in layers:
        raise InputError(_("{file}: laget «{layer}» finnes ikke; lag i filen: {layers}",
                           file=name, layer=layer, layers=", ".join(layers)))
    try:
        gdf = gpd.read_file(path, layer=layer, engine="pyogrio")
    except Exception as exc:
        raise InputError(_("{file}: kan ikke leses som geodata", file=name),
                         [Problem(name, _("ødelagt geodatafil"), found=str(exc).strip())]) from exc
    if gdf.empty:
        raise InputError(_("{file}: ingen objekter i filen", file=name))
    report.rows = len(gdf)
    return _check_crs(gdf, name, crs, report)


def _guess_layer(path: Path, layers: list[str], want_field: str | None) -> str | None:
    if not want_field:
        return None
    for lyr in layers:
        fields = pyogrio.read_info(path, layer=lyr)["fields"]
        if want_field in list(fields):
            return lyr
    return None


def _check_crs(gdf: gpd.GeoDataFrame, name: str, crs: str | None, report: Report) -> gpd.GeoDataFrame:
    if crs:
        try:
            given = CRS.from_user_input(crs)
        except CRSError as exc:
            raise InputError(_("{file}: ukjent koordinatsystem «{crs}»", file=name, crs=crs)) from exc
        if gdf.crs is not None and not CRS(gdf.crs).equals(given):
            report.warning(_("filen oppgir {file_crs}; bruker {crs} som angitt",
                             file_crs=CRS(gdf.crs).to_string(), crs=given.to_string()))
        gdf = gdf.set_crs(given, allow_override=True)
    if gdf.crs is None:
        raise InputError(
            _("{file}: filen oppgir ikke koordinatsystem; angi det med --crs (f.eks. EPSG:25833)", file=name),
            [Problem(name, _("mangler koordinatsystem"), expected="CRS", found=_("ingen"))])
    bounds = gdf.total_bounds
    if not np.all(np.isfinite(bounds)):
        return gdf
    crs_obj = CRS(gdf.crs)
    looks_degrees = bool(np.all(np.abs(bounds[[0, 2]]) <= 180) and np.all(np.abs(bounds[[1, 3]]) <= 90))
    if crs_obj.is_geographic and not looks_degrees:
        fb = gdf.geometry.bounds.to_numpy()
        outside = (np.abs(fb[:, [0, 2]]) > 180).any(axis=1) | (np.abs(fb[:, [1, 3]]) > 90).any(axis=1)
        first = int(np.flatnonzero(outside)[0])
        x, y = fb[first, 0], fb[first, 1]
        raise InputError(
            _("{file}: koordinatene ({x:.0f}, {y:.0f}) er ikke grader, men filen oppgir {crs}; "
              "angi riktig koordinatsystem med --crs", file=name, x=x, y=y, crs=crs_obj.to_string()),
            [Problem(name, _("feil koordinatsystem"), row=first + 1, field="geometry",
                     expected=_("lengde/bredde i grader"), found=f"{x:.0f}, {y:.0f}")])
    if crs_obj.is_projected and looks_degrees and (bounds[2] - bounds[0]) < 360:
        raise InputError(
            _("{file}: koordinatene ({x:.4f}, {y:.4f}) ser ut som grader, men filen oppgir {crs}; "
              "angi riktig koordinatsystem med --crs", file=name, x=bounds[0], y=bounds[1],
              crs=crs_obj.to_string()),
            [Problem(name, _("feil koordinatsystem"), expected=_("meter"), found=f"{bounds[0]:.4f}, {bounds[1]:.4f}")])
    return gdf


def crs_label(gdf: gpd.GeoDataFrame) -> str:
    crs = CRS(gdf.crs)
    epsg = crs.to_epsg()
    return f"EPSG:{epsg}" if epsg else crs.to_string()


def repair_geometries(gdf: gpd.GeoDataFrame, report: Report, polygons_only: bool = True,
                      labels: Sequence[str] | None = None) -> gpd.GeoSeries:
    """Repair invalid polygons with ``shapely.make_valid`` and say which; reject other geometry types.

    ``labels`` (e.g. zone codes) name the features in the messages beside their numbers.
    """
    geoms = gdf.geometry.values
    out = np.array(geoms, dtype=object)
    present = ~shapely.is_missing(geoms)
    for i in np.flatnonzero(~present):
        report.warning(_("objektet har ingen geometri; lagres uten"), row=int(i) + 1, field="geometry")
    types = shapely.get_type_id(geoms)
    if polygons_only:
        bad = present & ~np.isin(types, [3, 6])
        for i in np.flatnonzero(bad):
            report.error(_("feil geometritype"), row=int(i) + 1, field="geometry",
                         expected="Polygon/MultiPolygon", found=geoms[i].geom_type)
    invalid = present & ~shapely.is_valid(geoms)
    for i in np.flatnonzero(invalid):
        reason = shapely.is_valid_reason(geoms[i])
        fixed = shapely.make_valid(geoms[i], method="structure", keep_collapsed=False)
        if polygons_only and fixed.geom_type not in ("Polygon", "MultiPolygon"):
            fixed = _polygonal_part(fixed)
        if fixed is None or fixed.is_empty:
            report.error(_("ugyldig geometri som ikke kan repareres"), row=int(i) + 1, field="geometry",
                         found=reason)
            continue
        out[i] = fixed
        if labels is not None and labels[i]:
            text = _("ugyldig geometri i «{label}» reparert med make_valid ({reason})", label=labels[i],
                     reason=reason)
        else:
            text = _("ugyldig geometri reparert med make_valid ({reason})", reason=reason)
        report.warning(text, row=int(i) + 1, field="geometry")
    return gpd.GeoSeries(out, crs=gdf.crs, index=gdf.index)


def _polygonal_part(geom: shapely.Geometry) -> shapely.Geometry | None:
    parts = [g for g in shapely.get_parts(geom) if g.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if parts else None


def to_wkb_4326(geoms: gpd.GeoSeries) -> list[bytes | None]:
    projected = geoms.to_crs(STORE_CRS)
    wkb = shapely.to_wkb(projected.values, output_dimension=2)
    return [None if g is None else bytes(g) for g in wkb]

"""Read an OpenStreetMap PBF extract with pyogrio's OSM driver (GDAL): walkable ways and facilities.

GDAL puts ways in the ``lines`` layer (``highway`` as a column, other tags in ``other_tags`` as
``"key"=>"value"`` pairs), nodes with tags in ``points`` and areas in ``multipolygons``.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import shapely

from nabolag.domain.access import FACILITY_KINDS, is_walkable
from nabolag.domain.problems import Problem, Report
from nabolag.errors import InputError
from nabolag.i18n import _
from nabolag.ingest.osm_header import read_pbf_header

OSM_SUFFIXES = (".pbf", ".osm")


def is_osm_file(path: Path) -> bool:
    return path.name.lower().endswith(OSM_SUFFIXES)


def _tag(other: pd.Series, key: str) -> pd.Series:
    return other.fillna("").str.extract(rf'"{key}"=>"([^"]*)"', expand=False).fillna("")


def _read(path: Path, layer: str, where: str) -> gpd.GeoDataFrame:
    try:
        with warnings.catch_warnings():  # GDAL warns about areas cut open at the extract's edge
            warnings.simplefilter("ignore", RuntimeWarning)
            return pyogrio.read_dataframe(path, layer=layer, where=where, on_invalid="ignore")
    except Exception as exc:  # pyogrio raises several GDAL-derived errors
        raise InputError(_("{file}: kan ikke leses som OpenStreetMap-fil (PBF)", file=str(path)),
                         [Problem(str(path), _("ukjent eller ødelagt OSM-fil"), found=str(exc).strip())]) from exc


def extract_info(path: Path, report: Report) -> dict[str, str]:
    """The header's program, source and date (``timestamp``) when the file carries them."""
    try:
        info = read_pbf_header(path) if path.name.lower().endswith(".pbf") else {}
    except (ValueError, IndexError, KeyError, OSError) as exc:
        raise InputError(_("{file}: er ikke en OpenStreetMap PBF-fil ({reason})", file=str(path),
                           reason=str(exc))) from exc
    return info


def read_walkable_ways(path: Path, report: Report) -> gpd.GeoDataFrame:
    """Walkable ways (EPSG:4326 lines) with ``osm_id``, ``highway`` and ``name``."""
    ways = _read(path, "lines", "highway IS NOT NULL")
    if ways.empty:
        raise InputError(_("{file}: fant ingen veier (highway) i filen", file=str(path)))
    other = ways["other_tags"] if "other_tags" in ways.columns else pd.Series("", index=ways.index)
    tags = pd.DataFrame({k: _tag(other, k) for k in ("foot", "access", "area")})
    keep = [is_walkable(h, {k: v for k, v in t.items() if v})
            for h, t in zip(ways["highway"], tags.to_dict("records"), strict=True)]
    walkable = ways.loc[keep, ["osm_id", "highway", "name", "geometry"]]
    walkable = walkable[~walkable.geometry.isna()]
    report.info(_("{n} av {m} veier kan gås", n=len(walkable), m=len(ways)))
    if walkable.empty:
        raise InputError(_("{file}: ingen gangbare veier (fortau, sti, gate …) i filen; fant bare: {kinds}",
                           file=str(path), kinds=", ".join(sorted(set(ways["highway"].astype(str)))[:10])))
    return gpd.GeoDataFrame(walkable, geometry="geometry", crs="EPSG:4326")


def read_facilities(path: Path, kinds: list[str], report: Report) -> gpd.GeoDataFrame:
    """Features of the built-in ``kinds`` (see :data:`FACILITY_KINDS`): ``kind``, ``name``, ``ref``
    (``node/ID`` or ``way/ID``) and a point or polygon geometry (EPSG:4326)."""
    unknown = [k for k in kinds if k not in FACILITY_KINDS]
    if unknown:
        raise InputError(_("Ukjent type fra OpenStreetMap: {kinds}; kjente typer: {known}",
                           kinds=", ".join(unknown), known=", ".join(FACILITY_KINDS)))
    points = _read(path, "points", "other_tags LIKE '%amenity%' OR other_tags LIKE '%leisure%'")
    areas = _read(path, "multipolygons", "amenity IS NOT NULL OR leisure IS NOT NULL")
    frames = []
    for frame, ref in ((points, "node/"), (areas, "way/")):
        if frame.empty:
            continue
        other = frame["other_tags"] if "other_tags" in frame.columns else pd.Series("", index=frame.index)
        values = {key: (frame[key].fillna("") if key in frame.columns else _tag(other, key))
                  for key in ("amenity", "leisure")}
        ids = frame["osm_way_id"].fillna(frame["osm_id"]) if "osm_way_id" in frame.columns else frame["osm_id"]
        prefix = (frame["osm_way_id"].notna().map({True: "way/", False: "relation/"})
                  if "osm_way_id" in frame.columns else ref)
        for kind in kinds:
            hit = pd.Series(False, index=frame.index)
            for key, value in FACILITY_KINDS[kind]:
                hit |= values[key] == value
            if hit.any():
                frames.append(pd.DataFrame({"kind": kind, "name": frame.loc[hit, "name"].fillna(""),
                                            "ref": (prefix[hit] if isinstance(prefix, pd.Series) else prefix)
                                            + ids[hit].astype(str), "geometry": frame.loc[hit, "geometry"]}))
    if not frames:
        return gpd.GeoDataFrame({"kind": [], "name": [], "ref": []}, geometry=[], crs="EPSG:4326")
    out = gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), geometry="geometry", crs="EPSG:4326")
    out = out[~out.geometry.isna() & ~shapely.is_empty(out.geometry.values)]
    out["geometry"] = shapely.make_valid(out.geometry.values)
    for kind, n in out["kind"].value_counts().sort_index().items():
        report.info(_("{n} × {kind} fra OpenStreetMap", n=int(n), kind=kind))
    return out.reset_index(drop=True)

"""Walkable lines from a GeoJSON/GeoPackage file, and lines to metric coordinate arrays for the network."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

from nabolag.domain.access import is_walkable
from nabolag.domain.problems import Report
from nabolag.errors import InputError
from nabolag.i18n import _
from nabolag.ingest import geo

NORWAY_BOUNDS = (4.0, 57.5, 31.5, 71.5)


def choose_metric_crs(lon: float, lat: float) -> str:
    """EPSG:25833 (the Norwegian national grid) in Norway, otherwise the UTM zone of the point
    (ETRS89 in Europe, WGS 84 elsewhere).

    >>> choose_metric_crs(10.75, 59.91), choose_metric_crs(24.94, 60.17), choose_metric_crs(-74.0, 40.7)
    ('EPSG:25833', 'EPSG:25835', 'EPSG:32618')
    """
    x0, y0, x1, y1 = NORWAY_BOUNDS
    if x0 <= lon <= x1 and y0 <= lat <= y1 and not (lon > 20 and lat < 68):  # east of 20°E below 68°N is not Norway
        return "EPSG:25833"
    zone = int((lon + 180) // 6) + 1
    if 28 <= zone <= 38 and 34 <= lat <= 72:
        return f"EPSG:{25800 + zone}"
    return f"EPSG:{(32600 if lat >= 0 else 32700) + zone}"


def read_lines(path: Path, report: Report, layer: str | None = None, crs: str | None = None) -> gpd.GeoDataFrame:
    """Lines from a vector file (EPSG:4326). With a ``highway`` column, only walkable ways are kept."""
    gdf = geo.read_layer(path, report, layer=layer, crs=crs)
    gdf = gdf[~gdf.geometry.isna()].explode(index_parts=False)
    lines = gdf[gdf.geometry.geom_type == "LineString"]
    if lines.empty:
        raise InputError(_("{file}: ingen linjer i filen (fant {types}); et gangnett må være linjer",
                           file=str(path), types=", ".join(sorted(set(gdf.geom_type.astype(str)))) or "-"))
    if "highway" in lines.columns:
        cols = [c for c in ("foot", "access", "area") if c in lines.columns]
        keep = [is_walkable(str(row["highway"]), {c: str(row[c]) for c in cols if row[c]})
                for row in lines[["highway", *cols]].fillna("").to_dict("records")]
        lines = lines[keep]
        if lines.empty:
            raise InputError(_("{file}: ingen gangbare veier i filen (kolonnen highway)", file=str(path)))
    report.info(_("{n} linjer", n=len(lines)))
    return lines.to_crs("EPSG:4326")


def metric_arrays(lines: gpd.GeoSeries, crs: str | None = None) -> tuple[list[np.ndarray], str]:
    """Each line's coordinates in a metric CRS (chosen from the lines' centre unless given)."""
    if crs is None:
        x0, y0, x1, y1 = lines.to_crs("EPSG:4326").total_bounds
        crs = choose_metric_crs((x0 + x1) / 2, (y0 + y1) / 2)
    projected = lines.to_crs(crs).values
    coords, index = shapely.get_coordinates(projected, return_index=True)
    bounds = np.flatnonzero(np.diff(index)) + 1
    return np.split(coords, bounds), crs

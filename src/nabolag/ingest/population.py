"""SSB population grid (``BefolkningPåRuter``): GML/GeoPackage cells, or CSV with ``ssbid250m``/``ssbid1000m``.

An SSB cell id is ``2e13 + X·1e7 + Y`` of the cell's lower-left corner in EPSG:25833.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from nabolag.domain.problems import Report
from nabolag.errors import InputError
from nabolag.i18n import _
from nabolag.ingest import geo
from nabolag.ingest.tables import read_table
from nabolag.ingest.values import parse_optional

GRID_CRS = "EPSG:25833"
POP_FIELDS = {"total": ("poptot", "pop_tot", "befolkning", "population", "pop"),
              "female": ("popfem", "pop_fem", "kvinner"), "male": ("popmal", "pop_mal", "menn")}
YEAR_FIELDS = ("statistikkår", "statistikkar", "year", "år", "aar")


def cell_polygons(ids: np.ndarray, size: int) -> np.ndarray:
    """Square cells from SSB ids: ``x = (id - 2e13) // 1e7``, ``y = id % 1e7`` (lower-left, EPSG:25833)."""
    ids = ids.astype(np.int64)
    x = (ids - 20_000_000_000_000) // 10_000_000
    y = ids % 10_000_000
    return shapely.box(x, y, x + size, y + size)


def read_population_grid(path: Path, layer: str | None = None, id_field: str | None = None,
                         cell_size: int | None = None) -> tuple[gpd.GeoDataFrame, Report]:
    """Cells in EPSG:25833 with columns ``total`` (and ``female``/``male`` when given) and ``year``."""
    report = Report(str(path))
    if geo.is_geo_file(path):
        gdf = geo.read_layer(path, report, layer=layer, want_field="popTot")
        frame = pd.DataFrame(gdf.drop(columns=gdf.geometry.name))
        geometry = gdf.geometry.to_crs(GRID_CRS).values
        first = 1
    else:
        frame = read_table(path, report)
        first = 2
        id_col = id_field or _find(frame, ("ssbid250m", "ssbid1000m", "ssbid", "rute_id"))
        if id_col is None:
            raise InputError(_("{file}: fant ikke kolonnen med rute-id (ssbid250m/ssbid1000m); angi --id-field",
                               file=str(path)))
        ids = pd.to_numeric(frame[id_col], errors="coerce")
        bad = ids.isna() | (ids < 2e13)
        rows = pd.Series(range(first, len(frame) + first))
        from nabolag.ingest.values import report_rows
        report_rows(report, bad.to_numpy(), rows, _("ugyldig rute-id"), id_col, "2e13 + X·1e7 + Y",
                    frame[id_col])
        report.raise_if_errors()
        size = cell_size or (1000 if "1000" in id_col else 250)
        geometry = cell_polygons(ids.to_numpy(), size)
    rows = pd.Series(range(first, len(frame) + first))
    out = {}
    for key, names in POP_FIELDS.items():
        col = _find(frame, names)
        if col is None:
            if key == "total":
                raise InputError(_("{file}: fant ikke befolkningskolonnen (popTot); kolonner: {cols}",
                                   file=str(path), cols=", ".join(map(str, frame.columns))))
            continue
        values = parse_optional(frame[col].astype(str), rows, report, col)
        neg = np.isfinite(values) & (values < 0)
        from nabolag.ingest.values import report_rows
        report_rows(report, neg, rows, _("negativt folketall"), col, ">= 0", frame[col].astype(str))
        out[key] = np.nan_to_num(values, nan=0.0)
    year_col = _find(frame, YEAR_FIELDS)
    if year_col is not None:
        out["year"] = frame[year_col].astype(str).str.slice(0, 4).to_numpy()
    report.raise_if_errors()
    cells = gpd.GeoDataFrame(out, geometry=geometry, crs=GRID_CRS)
    return cells, report


def _find(frame: pd.DataFrame, names: tuple[str, ...]) -> str | None:
    lower = {str(c).lower(): str(c) for c in frame.columns}
    for n in names:
        if n in lower:
            return lower[n]
    return None

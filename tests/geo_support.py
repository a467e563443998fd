"""Shared helpers for the zone, geodata, transition and population tests.

Importable from any test module because pytest puts ``tests/`` on ``sys.path`` (rootdir conftest).
"""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select

from nabolag.services import Context
from nabolag.store.tables import metadata

#: The real delbydel file's options (field names from ../shared/data/README.md).
DELBYDEL_FIELDS = {"code_field": "delbydel_code", "name_field": "delbydel_name", "parent_field": "bydel_code",
                   "level": "delbydel"}

#: The five delbydeler whose polygons are invalid as published (found with shapely.is_valid on the
#: file read by geopandas; see test_geo.test_real_invalid_polygons_are_the_five_we_expect).
INVALID_DELBYDELER = {"0301010109": "Bispevika", "0301050501": "Bygdøy", "0301060603": "Ullern",
                      "0301141401": "Ljan", "0301141403": "Bekkelaget"}


def dump(ctx: Context) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every nabolag table, in primary-key order: compare before and after a failed import."""
    out: dict[str, list[tuple[object, ...]]] = {}
    with ctx.store.read() as conn:
        for table in metadata.sorted_tables:
            stmt = select(table).order_by(*table.primary_key.columns)
            out[table.name] = [tuple(r) for r in conn.execute(stmt).all()]
    return out


def feature(props: dict[str, object], geometry: dict[str, object] | None) -> dict[str, object]:
    return {"type": "Feature", "properties": props, "geometry": geometry}


def square(x: float, y: float, size: float) -> dict[str, object]:
    return {"type": "Polygon", "coordinates": [[[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]]}


def write_geojson(path: Path, features: list[dict[str, object]], crs: str | None = None) -> Path:
    """Write a FeatureCollection; ``crs`` adds the (GeoJSON 2008) ``crs`` member GDAL reads."""
    doc: dict[str, object] = {"type": "FeatureCollection", "features": features}
    if crs:
        doc["crs"] = {"type": "name", "properties": {"name": crs}}
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path

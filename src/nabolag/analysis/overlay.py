"""Area-weighted overlay of counts from one set of polygons onto another."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely


def area_weighted_sum(source: gpd.GeoDataFrame, columns: list[str], target: gpd.GeoDataFrame,
                      key: str) -> tuple[pd.DataFrame, pd.Series]:
    """Share each source polygon's counts among target polygons in proportion to overlapping area.

    Both frames must be in the same projected CRS. Returns the per-target sums (indexed by ``key``)
    and the part of each column that fell outside every target (conservation check:
    ``sums.sum() + outside == source[columns].sum()`` when targets do not overlap).

    Examples
    --------
    >>> import geopandas as gpd, shapely
    >>> cells = gpd.GeoDataFrame({"pop": [100.0]}, geometry=[shapely.box(0, 0, 10, 10)], crs=25833)
    >>> zones = gpd.GeoDataFrame({"code": ["a", "b"]},
    ...     geometry=[shapely.box(0, 0, 5, 10), shapely.box(5, 0, 20, 10)], crs=25833)
    >>> sums, outside = area_weighted_sum(cells, ["pop"], zones, "code")
    >>> sums["pop"].to_dict(), float(outside["pop"])
    ({'a': 50.0, 'b': 50.0}, 0.0)
    """
    src_geoms = source.geometry.values
    tgt_geoms = target.geometry.values
    tree = shapely.STRtree(tgt_geoms)
    src_idx, tgt_idx = tree.query(src_geoms, predicate="intersects")
    inter = shapely.area(shapely.intersection(src_geoms[src_idx], tgt_geoms[tgt_idx]))
    src_area = shapely.area(src_geoms)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(src_area[src_idx] > 0, inter / src_area[src_idx], 0.0)
    result = {}
    outside = {}
    keys = target[key].to_numpy()
    for col in columns:
        values = source[col].to_numpy(dtype=float)
        weighted = values[src_idx] * share
        sums = np.bincount(tgt_idx, weights=weighted, minlength=len(target))
        result[col] = sums
        outside[col] = float(values.sum() - sums.sum())
    return pd.DataFrame(result, index=pd.Index(keys, name=key)), pd.Series(outside)

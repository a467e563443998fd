"""A small walking-access database from the real Helsinki data (``../shared/data/helsinki``): the OSM
extract of central Helsinki and HSY's 2020 population grid, so the access pages can be tried and tested.

There is no Oslo OSM extract in the repository, so the Oslo demo has no network (the pages say so).
The zones here are **not** real districts: a 3 × 3 grid of boxes over the extract (``hel-a1`` … ``hel-c3``,
level ``grunnkrets``) under one ``kommune`` zone ``hel`` (so the city figure and the equity between zones
are stored), and one programme area ``hel-nord`` (the northern row of boxes).
"""

from __future__ import annotations

from pathlib import Path

import shapely

from nabolag.domain.zones import Area, Zone
from nabolag.errors import InputError
from nabolag.i18n import _
from nabolag.services import access, access_compute, access_facilities
from nabolag.services.context import Context
from nabolag.services.zones import define_zones, save_area

PBF = "helsinki_centre.osm.pbf"
GRID = "population_grid_2020.gpkg"
#: The extract's walkable network (its largest connected part) lies within lon 24.935–24.954, lat 60.164–60.179.
WEST, SOUTH, EAST, NORTH = 24.935, 60.164, 24.954, 60.179
PERIOD = "2020"
KINDS = ("park", "playground", "community_centre", "library", "sports", "school")


def demo_zones() -> list[Zone]:
    """Nine boxes (3 × 3) over the extract and the ``kommune`` zone around them."""
    xs = [WEST + (EAST - WEST) * i / 3 for i in range(4)]
    ys = [SOUTH + (NORTH - SOUTH) * j / 3 for j in range(4)]
    out = [Zone(code="hel", name="Helsinki sentrum (utsnitt)", level="kommune",  # type: ignore[arg-type]
                geometry=shapely.to_wkb(shapely.box(WEST, SOUTH, EAST, NORTH)))]
    for i in range(3):
        for j in range(3):
            row = "abc"[2 - j]  # a = north
            out.append(Zone(code=f"hel-{row}{i + 1}", name=f"Rute {row.upper()}{i + 1}", level="grunnkrets",  # type: ignore[arg-type]
                            parent_code="hel",
                            geometry=shapely.to_wkb(shapely.box(xs[i], ys[j], xs[i + 1], ys[j + 1]))))
    return out


def build_helsinki_demo(ctx: Context, data_dir: str | Path, *, max_distance: float = 2000.0) -> dict[str, object]:
    """Zones, network, people (the 2020 grid), facilities of every built-in kind, and the computed
    indicators for period 2020 (the extract carries no date, so the grid's year is used)."""
    ctx.require_write()
    folder = Path(data_dir)
    missing = [n for n in (PBF, GRID) if not (folder / n).is_file()]
    if missing:
        raise InputError(_("{folder}: fant ikke {files}; forventet Helsinki-dataene fra ../shared/data/helsinki",
                           folder=str(folder), files=", ".join(missing)))
    define_zones(ctx, demo_zones())
    save_area(ctx, Area(code="hel-nord", name="Helsinki nord (demo)", zone_codes=("hel-a1", "hel-a2", "hel-a3"),
                        comparison_codes=("hel-c1", "hel-c2", "hel-c3"),
                        description="Demoområde over tre ruter i OSM-utsnittet av Helsinki sentrum."))
    info, _report = access.build_network(ctx, folder / PBF, extract_date=None, name="helsinki-sentrum")
    access.import_people(ctx, folder / GRID, grid=True, source="HSY befolkningsrutenett 2020 (CC BY 4.0)")
    access_facilities.import_facilities(ctx, folder / PBF, kinds=list(KINDS))
    result = access_compute.compute(ctx, level="grunnkrets", max_distance=max_distance, period=PERIOD)
    return {"network": info.id, "nodes": info.nodes, **result}

"""Everything one computation needs, as arrays: network (plus a scenario's paths), people in zones, sources."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import shapely
from pyproj import Transformer

from nabolag.analysis.access import snap, snap_unique
from nabolag.analysis.access_network import Network
from nabolag.analysis.access_run import facility_sources, with_paths
from nabolag.analysis.nearest import NodeIndex
from nabolag.domain.access import ENTRANCE_BUFFER_M, MAX_SNAP_M, NetworkInfo
from nabolag.errors import InputError, NotFoundError
from nabolag.i18n import _
from nabolag.services.context import Context
from nabolag.store import access as repo
from nabolag.store import zones as zone_repo


@dataclass
class Inputs:
    info: NetworkInfo
    net: Network
    zone_codes: list[str]
    zone_of: np.ndarray
    """Per person row: its zone's position in ``zone_codes``, or -1 (outside every zone or off the network)."""
    groups: list[str]
    group_of: np.ndarray
    weight: np.ndarray
    person_xy: np.ndarray
    facilities: list[dict[str, object]] = field(default_factory=list)
    paths: list[np.ndarray] = field(default_factory=list)
    off_network: int = 0


def lonlat_to_metric(lon: np.ndarray, lat: np.ndarray, crs: str) -> np.ndarray:
    """Longitudes and latitudes (WGS84) as ``(n, 2)`` metres in the network's ``crs``."""
    if not len(lon):
        return np.empty((0, 2))
    return np.column_stack(Transformer.from_crs("EPSG:4326", crs, always_xy=True).transform(lon, lat))


def to_metric(geoms: np.ndarray, crs: str) -> np.ndarray:
    return shapely.transform(geoms, lambda xy: lonlat_to_metric(xy[:, 0], xy[:, 1], crs))


def facility_nodes(net: Network, index: NodeIndex, rows: list[dict[str, object]]) -> tuple[np.ndarray, int]:
    """The network nodes that reach the facilities ``rows`` (stored, WGS84), and how many lie too far from
    the network (:func:`nabolag.analysis.access_run.facility_sources`)."""
    if not rows:
        return np.empty(0, dtype=np.int64), 0
    geoms = to_metric(shapely.from_wkb([bytes(r["geometry"]) for r in rows]), net.crs)  # type: ignore[arg-type]
    return facility_sources(net.xy, index, np.asarray(geoms, dtype=object), MAX_SNAP_M, ENTRANCE_BUFFER_M)


def zone_index(zone_wkb: list[bytes], lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Position of the zone each point lies in (the first, where zones overlap), or -1.

    >>> sq = [shapely.to_wkb(shapely.box(0, 0, 1, 1)), shapely.to_wkb(shapely.box(1, 0, 2, 1))]
    >>> zone_index(sq, np.array([0.5, 1.5, 3.0]), np.array([0.5, 0.5, 0.5])).tolist()
    [0, 1, -1]
    """
    tree = shapely.STRtree(shapely.make_valid(shapely.from_wkb(zone_wkb)))
    pts, zones = tree.query(shapely.points(lon, lat), predicate="intersects")
    out = np.full(len(lon), -1, dtype=np.int64)
    order = np.lexsort((zones, pts))
    first = np.ones(len(order), dtype=bool)
    first[1:] = pts[order][1:] != pts[order][:-1]
    out[pts[order][first]] = zones[order][first]
    return out


def load_inputs(ctx: Context, level: str, kinds: list[str] | None, scenario_id: int | None) -> Inputs:
    with ctx.store.read() as conn:
        found = repo.load_network(conn)
        people = repo.load_people(conn)
        zones = [z for z in zone_repo.list_zones(conn, level=level, with_geometry=True) if z.geometry]
        facilities = repo.list_facilities(conn, kinds, scenario_id=scenario_id)
        paths = repo.scenario_paths(conn, scenario_id) if scenario_id is not None else []
    if found is None:
        raise NotFoundError(_("Ingen gangnett er bygd; kjør «nabolag access build --osm FIL» først"))
    if not len(people["weight"]):
        raise NotFoundError(_("Ingen befolkning er lastet; kjør «nabolag access people …» først"))
    if not zones:
        raise InputError(_("Ingen soner med geometri på nivået «{level}»; importer soner først", level=level))
    info, net, _lonlat = found
    zone_of = zone_index([z.geometry for z in zones], people["lon"], people["lat"])  # type: ignore[misc]
    xy = lonlat_to_metric(people["lon"], people["lat"], net.crs)
    group_names = sorted(set(people["groups"].tolist()))
    group_of = np.searchsorted(np.array(group_names, dtype=object), people["groups"])
    metric_paths = [shapely.get_coordinates(g) for g in to_metric(shapely.from_wkb(paths), net.crs)] if paths else []
    return Inputs(info, net, [z.code for z in zones], zone_of, group_names, group_of, people["weight"], xy,
                  facilities, metric_paths)


@dataclass
class Prepared:
    graph: object
    person_node: np.ndarray
    snap_m: np.ndarray
    sources: dict[str, np.ndarray]
    far: dict[str, int]


def prepare(inputs: Inputs, kinds: list[str], with_scenario: bool) -> Prepared:
    """Snap people and facilities to the network (a copy with the scenario's paths when ``with_scenario``)."""
    net = with_paths(inputs.net, inputs.paths) if with_scenario else inputs.net
    index = NodeIndex(net.xy)
    # a grid with groups stores each cell once per group: snap each distinct point once
    # (people farther than MAX_SNAP_M get inf and are left out by `usable`)
    person_node, snap_m = (snap_unique if len(inputs.groups) > 1 else snap)(net.xy, inputs.person_xy, index,
                                                                             MAX_SNAP_M)
    sources, far = {}, {}
    for kind in kinds:
        rows = [f for f in inputs.facilities if f["kind"] == kind and (with_scenario or f["scenario_id"] is None)]
        sources[kind], far[kind] = facility_nodes(net, index, rows)
    return Prepared(net.graph(), person_node, snap_m, sources, far)


def usable(inputs: Inputs, prepared: Prepared) -> np.ndarray:
    """Zone position per person row, with people farther than :data:`MAX_SNAP_M` from the network left out."""
    return np.where(prepared.snap_m <= MAX_SNAP_M, inputs.zone_of, -1)

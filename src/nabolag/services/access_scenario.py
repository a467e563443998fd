"""Walking accessibility, part 4: scenarios (a planned facility or a new path) and their effect per zone.

A scenario's facilities and paths are stored apart from the real ones. Computing a scenario adds its
paths to a copy of the network's arrays and its facilities to the real ones, and stores, per zone and
area, the value before and after, both computed in the same run.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import shapely

from nabolag.analysis.access import ZoneAccess
from nabolag.analysis.access_run import facility_sources
from nabolag.analysis.nearest import NodeIndex
from nabolag.domain.access import (
    DEFAULT_MAX_DISTANCE_M,
    DEFAULT_THRESHOLDS_M,
    ENTRANCE_BUFFER_M,
    MAX_SNAP_M,
    check_kind,
)
from nabolag.domain.problems import Problem
from nabolag.errors import ConflictError, InputError, NotFoundError
from nabolag.i18n import _
from nabolag.services.access_compute import run, summary_rows
from nabolag.services.access_facilities import _kinds
from nabolag.services.access_inputs import load_inputs, to_metric
from nabolag.services.context import Context
from nabolag.store import access as repo
from nabolag.store import imports as imports_repo
from nabolag.store import zones as zone_repo

CODE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,59}$")


def _sid(conn: object, code: str) -> int:
    sid = repo.scenario_id(conn, code)  # type: ignore[arg-type]
    if sid is None:
        raise NotFoundError(_("Scenarioet «{code}» finnes ikke", code=code))
    return sid


def create_scenario(ctx: Context, code: str, name: str = "", description: str = "") -> None:
    ctx.require_write()
    if not CODE.match(code):
        raise InputError(_("Scenariokoden «{code}» må være små bokstaver, tall, - og _", code=code))
    with ctx.store.transaction() as conn:
        if repo.scenario_id(conn, code) is not None:
            raise ConflictError(_("Scenarioet «{code}» finnes allerede", code=code))
        repo.create_scenario(conn, code, name or code, description, ctx.actor)
        imports_repo.record_audit(conn, actor=ctx.actor, action="create", object_type="access_scenario",
                                  object_key=code)


def _bad(message: str, field: str) -> InputError:
    return InputError(message, [Problem(_("scenario"), message, field=field)])


def _geometry(wkb_or_wkt: bytes | str, want: tuple[str, ...], field: str = "geometry") -> bytes:
    """WKB, WKT or a GeoJSON geometry (text starting with ``{``) of one of the ``want`` types in EPSG:4326."""
    try:
        if isinstance(wkb_or_wkt, bytes):
            g = shapely.from_wkb(wkb_or_wkt)
        elif wkb_or_wkt.lstrip().startswith("{"):
            g = shapely.from_geojson(wkb_or_wkt)
        else:
            g = shapely.from_wkt(wkb_or_wkt)
    except (shapely.errors.GEOSException, ValueError, TypeError) as exc:
        if want == ("LineString",) and "elements" in str(exc):
            raise _bad(_("en sti trenger minst to forskjellige punkter"), field) from exc
        raise _bad(_("geometrien kan ikke leses ({reason})", reason=str(exc).strip()[:200]), field) from exc
    if g is None or g.is_empty or g.geom_type not in want:
        raise _bad(_("geometrien må være {types}", types=" / ".join(want)), field)
    x0, y0, x1, y1 = g.bounds
    if x0 < -180 or x1 > 180 or y0 < -90 or y1 > 90:
        raise _bad(_("koordinatene må være lengde- og breddegrad (EPSG:4326)"), field)
    if g.geom_type == "LineString" and len({tuple(c) for c in shapely.get_coordinates(g)}) < 2:
        raise _bad(_("en sti trenger minst to forskjellige punkter"), field)
    return shapely.to_wkb(g)


def _check_extent(conn: object, wkb: bytes, field: str = "geometry") -> None:
    """A planned facility must be reachable from the network as the computation reaches it (a point
    within 500 m of a node, an area with a node within 25 m or its inside point within 500 m); a path's
    two ends within 500 m of a node (they are joined there) and its vertices within the network's
    extent plus 500 m. Without a network there is nothing to check against."""
    found = repo.load_network(conn)  # type: ignore[arg-type]
    if found is None:
        return
    _info, net, _lonlat = found
    g = to_metric(np.array([shapely.from_wkb(wkb)], dtype=object), net.crs)
    index = NodeIndex(net.xy)
    if shapely.get_type_id(g[0]) == 1:  # LineString
        xy = shapely.get_coordinates(g[0])
        lo, hi = net.xy.min(axis=0) - MAX_SNAP_M, net.xy.max(axis=0) + MAX_SNAP_M
        gap = index.query(xy[[0, -1]])[1]
        if (gap > MAX_SNAP_M).any() or (xy < lo).any() or (xy > hi).any():
            raise _bad(_("stien ligger utenfor gangnettet: begge ender må ligge innen {m:.0f} m fra nettet",
                         m=MAX_SNAP_M), field)
        return
    if facility_sources(net.xy, index, g, MAX_SNAP_M, ENTRANCE_BUFFER_M)[1]:
        raise _bad(_("stedet ligger utenfor gangnettet: det må ligge innen {m:.0f} m fra nettet", m=MAX_SNAP_M),
                   field)


def create_planned(ctx: Context, code: str, name: str = "", description: str = "", *,
                   facilities: Sequence[tuple[str, bytes | str, str]] = (),
                   paths: Sequence[tuple[bytes | str, str]] = ()) -> None:
    """A new scenario with its planned facilities ``(kind, geometry, name)`` and paths ``(geometry, name)``,
    all checked first and written in one transaction (bad input: :class:`InputError` naming the field,
    nothing written)."""
    ctx.require_write()
    if not CODE.match(code):
        raise _bad(_("Scenariokoden «{code}» må være små bokstaver, tall, - og _", code=code[:60]), "code")
    if not facilities and not paths:
        raise _bad(_("et scenario trenger et planlagt sted eller en ny sti"), "geometry")
    rows = []
    for kind, geometry, label in facilities:
        try:
            kind = check_kind(kind)
        except ValueError as exc:
            raise _bad(str(exc), "kind") from exc
        rows.append((kind, _geometry(geometry, ("Point", "Polygon", "MultiPolygon")), label))
    lines = [(_geometry(g, ("LineString",)), label) for g, label in paths]
    with ctx.store.transaction() as conn:
        for _k, wkb, _n in rows:
            _check_extent(conn, wkb)
        for wkb, _n in lines:
            _check_extent(conn, wkb)
        if repo.scenario_id(conn, code) is not None:
            raise ConflictError(_("Scenarioet «{code}» finnes allerede", code=code))
        sid = repo.create_scenario(conn, code, name[:200] or code, description, ctx.actor)
        repo.insert_facilities(conn, [{"kind": k, "name": n[:200], "source": "scenario", "ref": code, "geometry": w,
                                       "scenario_id": sid} for k, w, n in rows])
        for wkb, label in lines:
            repo.add_path(conn, sid, label[:200], wkb)
        imports_repo.record_audit(conn, actor=ctx.actor, action="create", object_type="access_scenario",
                                  object_key=code, details={"facilities": len(rows), "paths": len(lines)})


def add_facility(ctx: Context, code: str, kind: str, geometry: bytes | str, name: str = "") -> None:
    """A planned facility (point or polygon, EPSG:4326, WKB or WKT) in the scenario."""
    ctx.require_write()
    try:
        kind = check_kind(kind)
    except ValueError as exc:
        raise InputError(str(exc)) from exc
    wkb = _geometry(geometry, ("Point", "Polygon", "MultiPolygon"))
    with ctx.store.transaction() as conn:
        sid = _sid(conn, code)
        _check_extent(conn, wkb)
        repo.insert_facilities(conn, [{"kind": kind, "name": name[:200], "source": "scenario", "ref": code,
                                       "geometry": wkb, "scenario_id": sid}])
        imports_repo.record_audit(conn, actor=ctx.actor, action="add_facility", object_type="access_scenario",
                                  object_key=code, details={"kind": kind})


def add_path(ctx: Context, code: str, geometry: bytes | str, name: str = "") -> None:
    """A new path (LineString, EPSG:4326) in the scenario; its ends join the nearest network nodes."""
    ctx.require_write()
    wkb = _geometry(geometry, ("LineString",))
    with ctx.store.transaction() as conn:
        sid = _sid(conn, code)
        _check_extent(conn, wkb)
        repo.add_path(conn, sid, name[:200], wkb)
        imports_repo.record_audit(conn, actor=ctx.actor, action="add_path", object_type="access_scenario",
                                  object_key=code)


def list_scenarios(ctx: Context) -> list[dict[str, object]]:
    with ctx.store.read() as conn:
        return repo.list_scenarios(conn)


def remove_scenario(ctx: Context, code: str) -> None:
    ctx.require_write()
    with ctx.store.transaction() as conn:
        repo.delete_scenario(conn, _sid(conn, code))
        imports_repo.record_audit(conn, actor=ctx.actor, action="remove", object_type="access_scenario",
                                  object_key=code)


def compute_scenario(ctx: Context, code: str, *, level: str, kinds: list[str] | None = None,
                     max_distance: float = DEFAULT_MAX_DISTANCE_M,
                     thresholds: tuple[int, ...] = DEFAULT_THRESHOLDS_M) -> list[dict[str, object]]:
    """Before and after per zone and area (``measure`` = ``mean_m`` or ``within_{t}m``); stored and returned."""
    ctx.require_write()
    kinds, thresholds = _kinds(kinds), tuple(sorted({int(t) for t in thresholds}))
    with ctx.store.read() as conn:
        sid = _sid(conn, code)
        zone_ids, areas = zone_repo.zone_ids(conn), zone_repo.list_areas(conn)
    inputs = load_inputs(ctx, level, kinds, sid)
    before, zone_of, base = run(ctx, inputs, kinds, max_distance, thresholds, with_scenario=False)
    after, _z, _q = run(ctx, inputs, kinds, max_distance, thresholds, with_scenario=True, base=base)
    n = len(inputs.zone_codes)
    rows: list[dict[str, object]] = []
    position = {c: i for i, c in enumerate(inputs.zone_codes)}
    for kind in kinds:
        pairs = [_values(kind, s, thresholds) for s in (before[kind][1], after[kind][1])]
        for (pos, measure), (value, pop) in pairs[0].items():
            group, zone = divmod(pos, n)
            rows.append({"zone_id": zone_ids[inputs.zone_codes[zone]], "area_id": None, "kind": kind,
                         "groups": inputs.groups[group], "measure": measure, "value_before": value,
                         "value_after": pairs[1].get((pos, measure), (None, 0))[0], "population": pop})
        for a in areas:
            members = np.array([position[c] for c in a.zone_codes if c in position], dtype=np.int64)
            b, c = (_area(s[kind][0], inputs, zone_of, members, thresholds, max_distance, kind)
                    for s in (before, after))
            rows += [{"zone_id": None, "area_id": a.id, "kind": kind, "groups": inputs.groups[g], "measure": m,
                      "value_before": v, "value_after": c.get((g, m), (None, 0))[0], "population": p}
                     for (g, m), (v, p) in b.items()]
    with ctx.store.transaction() as conn:
        repo.replace_scenario_results(conn, sid, rows)
        imports_repo.record_audit(conn, actor=ctx.actor, action="compute", object_type="access_scenario",
                                  object_key=code, details={"kinds": kinds, "rows": len(rows)})
    codes = {v: k for k, v in zone_ids.items()}
    area_codes = {a.id: a.code for a in areas}
    return [{**r, "zone": codes.get(r["zone_id"]), "area": area_codes.get(r["area_id"])} for r in rows]  # type: ignore[arg-type]


def _values(kind: str, s: ZoneAccess, thresholds: tuple[int, ...]) -> dict[tuple[int, str], tuple[float, float]]:
    prefix = f"access_{kind}_"
    return {(pos, code.removeprefix(prefix)): (value, pop)
            for pos, code, value, pop in summary_rows(kind, s, thresholds)}


def _area(dist: np.ndarray, inputs: object, zone_of: np.ndarray, members: np.ndarray, thresholds: tuple[int, ...],
          cap: float, kind: str) -> dict[tuple[int, str], tuple[float, float]]:
    from nabolag.analysis.access import zone_summary

    inside = np.isin(zone_of, members) & (zone_of >= 0)
    group_of = np.where(inside, inputs.group_of, -1)  # type: ignore[attr-defined]
    s = zone_summary(dist, inputs.weight, group_of, len(inputs.groups), thresholds, cap)  # type: ignore[attr-defined]
    return _values(kind, s, thresholds)


def scenario_results(ctx: Context, code: str) -> list[dict[str, object]]:
    """The stored before/after rows of the scenario's last computation."""
    with ctx.store.read() as conn:
        return repo.scenario_results(conn, _sid(conn, code))

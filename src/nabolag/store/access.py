"""Walking accessibility: read and write networks, people, facilities and scenarios."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import numpy as np
from sqlalchemy import Connection, delete, func, insert, select

from nabolag.analysis.access_network import Network
from nabolag.domain.access import NetworkInfo
from nabolag.store.access_tables import (
    access_facility,
    access_network,
    access_person,
    access_scenario,
    access_scenario_path,
    access_scenario_result,
)

ARRAYS = ("xy", "u", "v", "length", "lonlat")
BEND_MM = 1000.0
"""Bends are kept to the millimetre: int32 steps from one bend to the next (a step of up to 2,147 km)."""


def _now() -> datetime:
    return datetime.now(UTC)


def pack(net: Network, lonlat: np.ndarray) -> bytes:
    buf = io.BytesIO()
    np.savez(buf, xy=net.xy, u=net.u.astype(np.int32), v=net.v.astype(np.int32), length=net.length,
             lonlat=lonlat)
    return buf.getvalue()


def unpack(blob: bytes, crs: str) -> tuple[Network, np.ndarray]:
    with np.load(io.BytesIO(blob)) as z:
        net = Network(z["xy"], z["u"].astype(np.int64), z["v"].astype(np.int64), z["length"], crs)
        return net, z["lonlat"]


def pack_geometry(net: Network) -> bytes | None:
    """The edges' bends, compactly: the first bend, then each bend's step from the one before in whole
    millimetres (int32), and the number of bends per edge (uint16, or uint32 when an edge has more), in a
    compressed ``.npz``. ``None`` for a network without shapes."""
    if net.bends is None or net.bend_offsets is None:
        return None
    mm = np.round(net.bends * BEND_MM).astype(np.int64)
    origin = mm[0] if len(mm) else np.zeros(2, dtype=np.int64)
    steps = np.diff(mm, axis=0, prepend=origin[None, :])
    if len(steps) and np.abs(steps).max() >= 2**31:
        raise ValueError("pack_geometry: two bends are more than 2,147 km apart; is the network in metres?")
    counts = np.diff(net.bend_offsets)
    buf = io.BytesIO()
    np.savez_compressed(buf, origin=origin, steps=steps.astype(np.int32),
                        counts=counts.astype(np.uint16 if counts.max(initial=0) < 2**16 else np.uint32))
    return buf.getvalue()


def unpack_geometry(blob: bytes) -> tuple[np.ndarray, np.ndarray]:
    """``bends`` (metres) and ``bend_offsets`` from :func:`pack_geometry`."""
    with np.load(io.BytesIO(blob)) as z:
        mm = z["origin"][None, :] + np.cumsum(z["steps"].astype(np.int64), axis=0)
        offsets = np.concatenate([[0], np.cumsum(z["counts"].astype(np.int64))])
    return mm / BEND_MM, offsets


def _info(r: dict[str, object]) -> NetworkInfo:
    built = r["built_at"]
    return NetworkInfo(id=int(r["id"]), name=str(r["name"]), source=str(r["source"]),  # type: ignore[arg-type]
                       file_name=str(r["file_name"]), extract_date=str(r["extract_date"]), crs=str(r["crs"]),
                       nodes=int(r["nodes"]), edges=int(r["edges"]), length_m=float(r["length_m"]),  # type: ignore[arg-type]
                       built_at=built.isoformat() if isinstance(built, datetime) else str(built),
                       dropped_nodes=int(r["dropped_nodes"]))  # type: ignore[arg-type]


def save_network(conn: Connection, net: Network, lonlat: np.ndarray, *, name: str, source: str, file_name: str,
                 sha256: str, extract_date: str, actor: str, dropped: int) -> int:
    return int(conn.execute(insert(access_network).values(
        name=name, source=source, file_name=file_name, sha256=sha256, extract_date=extract_date, crs=net.crs,
        nodes=net.n_nodes, edges=len(net.u), length_m=float(net.length.sum()), dropped_nodes=dropped,
        built_at=_now(), actor=actor, arrays=pack(net, lonlat), geometry=pack_geometry(net))).inserted_primary_key[0])


def list_networks(conn: Connection) -> list[NetworkInfo]:
    cols = [c for c in access_network.c if c.name not in ("arrays", "geometry")]
    return [_info(dict(r)) for r in conn.execute(select(*cols).order_by(access_network.c.id)).mappings()]


def network_stamp(conn: Connection) -> tuple[int, str] | None:
    """The newest network's id and build time (what a kept drawing of it is keyed by), without its arrays."""
    r = conn.execute(select(access_network.c.id, access_network.c.built_at)
                     .order_by(access_network.c.id.desc()).limit(1)).first()
    if r is None:
        return None
    return int(r[0]), r[1].isoformat() if isinstance(r[1], datetime) else str(r[1])


def load_network(conn: Connection, network_id: int | None = None, *, geometry: bool = False
                 ) -> tuple[NetworkInfo, Network, np.ndarray] | None:
    """The network ``network_id``, or the newest one; None when there is none. With ``geometry`` the
    network carries its edges' shapes too (when it was stored with them)."""
    cols = [c for c in access_network.c if geometry or c.name != "geometry"]
    q = select(*cols)
    q = q.where(access_network.c.id == network_id) if network_id else q.order_by(access_network.c.id.desc())
    r = conn.execute(q.limit(1)).mappings().first()
    if r is None:
        return None
    net, lonlat = unpack(bytes(r["arrays"]), str(r["crs"]))
    if geometry and r["geometry"] is not None:
        net.bends, net.bend_offsets = unpack_geometry(bytes(r["geometry"]))
    return _info(dict(r)), net, lonlat


def delete_network(conn: Connection, network_id: int) -> int:
    return conn.execute(delete(access_network).where(access_network.c.id == network_id)).rowcount


# --- people ------------------------------------------------------------------

def replace_people(conn: Connection, lon: np.ndarray, lat: np.ndarray, groups: list[str], weight: np.ndarray,
                   source: str, import_id: int) -> int:
    conn.execute(delete(access_person))
    rows = [{"lon": float(a), "lat": float(b), "groups": g, "weight": float(w), "source": source,
             "import_id": import_id} for a, b, g, w in zip(lon, lat, groups, weight, strict=True)]
    if rows:
        conn.execute(insert(access_person), rows)
    return len(rows)


def load_people(conn: Connection) -> dict[str, np.ndarray]:
    """``lon``, ``lat``, ``weight`` arrays and ``groups`` (object array), in id order."""
    rows = conn.execute(select(access_person.c.lon, access_person.c.lat, access_person.c.groups,
                               access_person.c.weight).order_by(access_person.c.id)).all()
    cols = list(zip(*rows, strict=True)) if rows else [(), (), (), ()]
    return {"lon": np.array(cols[0], dtype=float), "lat": np.array(cols[1], dtype=float),
            "groups": np.array(cols[2], dtype=object), "weight": np.array(cols[3], dtype=float)}


def people_summary(conn: Connection) -> list[dict[str, object]]:
    q = (select(access_person.c.groups, access_person.c.source, func.count().label("points"),
                func.sum(access_person.c.weight).label("people"))
         .group_by(access_person.c.groups, access_person.c.source).order_by(access_person.c.groups))
    return [dict(r) for r in conn.execute(q).mappings()]


# --- facilities ----------------------------------------------------------------

def insert_facilities(conn: Connection, rows: list[dict[str, object]]) -> int:
    if rows:
        conn.execute(insert(access_facility), rows)
    return len(rows)


def delete_facilities(conn: Connection, source: str, kinds: list[str] | None = None) -> int:
    q = delete(access_facility).where(access_facility.c.source == source, access_facility.c.scenario_id.is_(None))
    if kinds:
        q = q.where(access_facility.c.kind.in_(kinds))
    return conn.execute(q).rowcount


def list_facilities(conn: Connection, kinds: list[str] | None = None,
                    scenario_id: int | None = None) -> list[dict[str, object]]:
    """The real facilities, plus a scenario's planned ones when ``scenario_id`` is given."""
    where = access_facility.c.scenario_id.is_(None)
    if scenario_id is not None:
        where = where | (access_facility.c.scenario_id == scenario_id)
    q = select(access_facility).where(where).order_by(access_facility.c.id)
    if kinds:
        q = q.where(access_facility.c.kind.in_(kinds))
    return [dict(r) for r in conn.execute(q).mappings()]


def facility_counts(conn: Connection) -> list[dict[str, object]]:
    q = (select(access_facility.c.kind, access_facility.c.source, func.count().label("count"))
         .where(access_facility.c.scenario_id.is_(None))
         .group_by(access_facility.c.kind, access_facility.c.source).order_by(access_facility.c.kind))
    return [dict(r) for r in conn.execute(q).mappings()]


# --- scenarios -------------------------------------------------------------------

def create_scenario(conn: Connection, code: str, name: str, description: str, actor: str) -> int:
    return int(conn.execute(insert(access_scenario).values(code=code, name=name, description=description,
                                                           created_at=_now(), actor=actor)).inserted_primary_key[0])


def scenario_id(conn: Connection, code: str) -> int | None:
    return conn.execute(select(access_scenario.c.id).where(access_scenario.c.code == code)).scalar()


def add_path(conn: Connection, sid: int, name: str, geometry: bytes) -> None:
    conn.execute(insert(access_scenario_path).values(scenario_id=sid, name=name, geometry=geometry))


def scenario_paths(conn: Connection, sid: int) -> list[bytes]:
    q = select(access_scenario_path.c.geometry).where(access_scenario_path.c.scenario_id == sid)
    return [bytes(g) for g in conn.execute(q.order_by(access_scenario_path.c.id)).scalars()]


def list_scenarios(conn: Connection) -> list[dict[str, object]]:
    paths = (select(func.count()).where(access_scenario_path.c.scenario_id == access_scenario.c.id)
             .scalar_subquery().label("paths"))
    facilities = (select(func.count()).where(access_facility.c.scenario_id == access_scenario.c.id)
                  .scalar_subquery().label("facilities"))
    q = select(access_scenario.c.code, access_scenario.c.name, access_scenario.c.description,
               access_scenario.c.created_at, access_scenario.c.actor, paths, facilities)
    return [dict(r) for r in conn.execute(q.order_by(access_scenario.c.code)).mappings()]


def delete_scenario(conn: Connection, sid: int) -> None:
    for t in (access_scenario_result, access_scenario_path, access_facility):  # also where FKs are not enforced
        conn.execute(delete(t).where(t.c.scenario_id == sid))
    conn.execute(delete(access_scenario).where(access_scenario.c.id == sid))


def replace_scenario_results(conn: Connection, sid: int, rows: list[dict[str, object]]) -> None:
    conn.execute(delete(access_scenario_result).where(access_scenario_result.c.scenario_id == sid))
    now = _now()
    if rows:
        conn.execute(insert(access_scenario_result), [{**r, "scenario_id": sid, "computed_at": now} for r in rows])


def scenario_results(conn: Connection, sid: int) -> list[dict[str, object]]:
    q = select(access_scenario_result).where(access_scenario_result.c.scenario_id == sid)
    return [dict(r) for r in conn.execute(q.order_by(access_scenario_result.c.id)).mappings()]

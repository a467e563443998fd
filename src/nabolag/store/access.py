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
        built_at=_now(), actor=actor, arrays=pack(net, lonlat))).inserted_primary_key[0])


def list_networks(conn: Connection) -> list[NetworkInfo]:
    cols = [c for c in access_network.c if c.name != "arrays"]
    return [_info(dict(r)) for r in conn.execute(select(*cols).order_by(access_network.c.id)).mappings()]


def load_network(conn: Connection, network_id: int | None = None) -> tuple[NetworkInfo, Network, np.ndarray] | None:
    """The network ``network_id``, or the newest one; None when there is none."""
    q = select(access_network)
    q = q.where(access_network.c.id == network_id) if network_id else q.order_by(access_network.c.id.desc())
    r = conn.execute(q.limit(1)).mappings().first()
    if r is None:
        return None
    net, lonlat = unpack(bytes(r["arrays"]), str(r["crs"]))
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

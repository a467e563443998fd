"""Zones, programme areas and code transitions."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import Connection, delete, func, insert, select, update

from nabolag.domain.zones import Area, AreaRole, AreaStatus, Level, Transition, Zone
from nabolag.store.tables import area, area_zone, code_transition, zone


def _to_zone(row: object) -> Zone:
    r = row._mapping  # type: ignore[attr-defined]
    return Zone(code=r["code"], name=r["name"], level=Level(r["level"]), parent_code=r["parent_code"],
                geometry=r.get("geometry"), source_crs=r["source_crs"], valid_from=r["valid_from"],
                valid_to=r["valid_to"], id=r["id"])


def zone_ids(conn: Connection) -> dict[str, int]:
    """Map every zone code to its id."""
    return {code: zid for code, zid in conn.execute(select(zone.c.code, zone.c.id))}


def upsert_zones(conn: Connection, zones: Sequence[Zone], import_id: int | None) -> tuple[int, int]:
    """Insert new zones and update existing ones (by code). Returns (inserted, updated)."""
    existing = zone_ids(conn)
    new_rows, changed = [], []
    for z in zones:
        row = {"code": z.code, "name": z.name, "level": str(z.level), "parent_code": z.parent_code,
               "geometry": z.geometry, "source_crs": z.source_crs, "valid_from": z.valid_from,
               "valid_to": z.valid_to, "import_id": import_id}
        (changed if z.code in existing else new_rows).append(row)
    if new_rows:
        conn.execute(insert(zone), new_rows)
    for row in changed:
        conn.execute(update(zone).where(zone.c.code == row["code"]).values(**row))
    return len(new_rows), len(changed)


def list_zones(conn: Connection, level: str | None = None, parent: str | None = None,
               with_geometry: bool = False) -> list[Zone]:
    cols = [c for c in zone.c if with_geometry or c.name != "geometry"]
    stmt = select(*cols).order_by(zone.c.code)
    if level:
        stmt = stmt.where(zone.c.level == level)
    if parent:
        stmt = stmt.where(zone.c.parent_code == parent)
    return [_to_zone(r) for r in conn.execute(stmt).all()]


def get_zone(conn: Connection, code: str) -> Zone | None:
    row = conn.execute(select(zone).where(zone.c.code == code)).first()
    return _to_zone(row) if row else None


def count_zones(conn: Connection) -> dict[str, int]:
    return {lvl: n for lvl, n in conn.execute(select(zone.c.level, func.count()).group_by(zone.c.level))}


# --- areas -----------------------------------------------------------------

def save_area(conn: Connection, a: Area) -> int:
    """Create or replace an area and its zone memberships."""
    values = {"code": a.code, "name": a.name, "description": a.description, "start_date": a.start_date,
              "end_date": a.end_date, "status": str(a.status), "synthetic": a.synthetic}
    found = conn.execute(select(area.c.id).where(area.c.code == a.code)).scalar()
    if found is None:
        area_id = int(conn.execute(insert(area).values(**values)).inserted_primary_key[0])  # type: ignore[index]
    else:
        area_id = int(found)
        conn.execute(update(area).where(area.c.id == area_id).values(**values))
        conn.execute(delete(area_zone).where(area_zone.c.area_id == area_id))
    ids = zone_ids(conn)
    links = [{"area_id": area_id, "zone_id": ids[c], "role": str(AreaRole.MEMBER)} for c in a.zone_codes]
    links += [{"area_id": area_id, "zone_id": ids[c], "role": str(AreaRole.COMPARISON)}
              for c in a.comparison_codes]
    if links:
        conn.execute(insert(area_zone), links)
    return area_id


def _area_from(conn: Connection, row: object) -> Area:
    r = row._mapping  # type: ignore[attr-defined]
    links = conn.execute(
        select(zone.c.code, area_zone.c.role).join(zone, zone.c.id == area_zone.c.zone_id)
        .where(area_zone.c.area_id == r["id"]).order_by(zone.c.code)
    ).all()
    return Area(code=r["code"], name=r["name"], description=r["description"], start_date=r["start_date"],
                end_date=r["end_date"], status=AreaStatus(r["status"]), synthetic=bool(r["synthetic"]),
                zone_codes=tuple(c for c, role in links if role == AreaRole.MEMBER),
                comparison_codes=tuple(c for c, role in links if role == AreaRole.COMPARISON), id=r["id"])


def list_areas(conn: Connection) -> list[Area]:
    return [_area_from(conn, r) for r in conn.execute(select(area).order_by(area.c.code)).all()]


def get_area(conn: Connection, code: str) -> Area | None:
    row = conn.execute(select(area).where(area.c.code == code)).first()
    return _area_from(conn, row) if row else None


def area_ids(conn: Connection) -> dict[str, int]:
    return {c: i for c, i in conn.execute(select(area.c.code, area.c.id))}


# --- transitions -----------------------------------------------------------

def add_transitions(conn: Connection, items: Iterable[Transition], import_id: int | None) -> int:
    existing = set(conn.execute(select(code_transition.c.level, code_transition.c.from_code,
                                       code_transition.c.to_code, code_transition.c.to_year)).all())
    rows = [{"level": t.level, "from_code": t.from_code, "to_code": t.to_code, "from_year": t.from_year,
             "to_year": t.to_year, "change_type": t.change_type, "import_id": import_id}
            for t in items if (t.level, t.from_code, t.to_code, t.to_year) not in existing]
    if rows:
        conn.execute(insert(code_transition), rows)
    return len(rows)


def list_transitions(conn: Connection) -> list[Transition]:
    rows = conn.execute(select(code_transition).order_by(code_transition.c.to_year,
                                                         code_transition.c.from_code)).mappings()
    return [Transition(level=r["level"], from_code=r["from_code"], to_code=r["to_code"],
                       from_year=r["from_year"], to_year=r["to_year"], change_type=r["change_type"])
            for r in rows]

"""Observations: bulk insert, key look-ups and queries."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Select, and_, delete, func, select, tuple_

from nabolag.store.tables import area, indicator, observation, zone

COLUMNS = ("indicator_id", "zone_id", "area_id", "period", "groups", "value", "numerator", "denominator",
           "n", "ci_low", "ci_high", "status", "source", "import_id")
_CHUNK = 50_000


def insert_observations(conn: Connection, rows: Sequence[dict[str, object]] | Sequence[tuple[object, ...]]) -> int:
    """Insert rows (dicts with :data:`COLUMNS`, or tuples in that order) in chunks inside the caller's
    transaction.

    The rows go straight to the driver's ``executemany``: building SQLAlchemy parameters row by row
    took most of the time of a large import.
    """
    if conn.dialect.name == "postgresql":
        return _copy_observations(conn, rows)
    sql = (f"INSERT INTO {observation.name} ({', '.join(COLUMNS)}) "
           f"VALUES ({', '.join(['?'] * len(COLUMNS))})")
    for start in range(0, len(rows), _CHUNK):
        chunk = rows[start:start + _CHUNK]
        params = chunk if chunk and isinstance(chunk[0], tuple) else [_as_tuple(r) for r in chunk]
        conn.exec_driver_sql(sql, params)  # type: ignore[arg-type]
    return len(rows)


def _as_tuple(row: dict[str, object] | tuple[object, ...]) -> tuple[object, ...]:
    return tuple(row[c] for c in COLUMNS) if isinstance(row, dict) else tuple(row)


def _copy_observations(conn: Connection, rows: Sequence[dict[str, object]] | Sequence[tuple[object, ...]]) -> int:
    """PostgreSQL: COPY in the caller's transaction (many times faster than INSERT for big imports)."""
    dbapi = conn.connection.driver_connection
    with dbapi.cursor() as cur, cur.copy(  # type: ignore[union-attr]
            f"COPY {observation.name} ({', '.join(COLUMNS)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row if isinstance(row, tuple) else _as_tuple(row))
    return len(rows)


def fetch_tuples(conn: Connection, stmt: Select) -> tuple[list[str], list[tuple[object, ...]]]:
    """Run ``stmt`` on the driver's own cursor and return (column names, plain tuples).

    For the large reads here (hundreds of thousands of rows) SQLAlchemy's Row objects cost several
    times what the query itself does; the columns read this way need no type processing.
    """
    compiled = stmt.compile(dialect=conn.dialect, compile_kwargs={"render_postcompile": True})
    params: object = compiled.params
    if compiled.positiontup is not None:
        params = tuple(compiled.params[k] for k in compiled.positiontup)
    cur = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cur.execute(str(compiled), params)
        return [d[0] for d in cur.description], cur.fetchall()
    finally:
        cur.close()


def period_values(conn: Connection, indicator_ids: Sequence[int], period: str,
                  groups: str = "") -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(zone_id, indicator_id, value)`` arrays of every zone observation of these indicators in one
    period, read through the covering index ``ix_observation_period_values`` (missing value = NaN)."""
    stmt = select(observation.c.zone_id, observation.c.indicator_id, observation.c.value).where(
        observation.c.period == period, observation.c.groups == groups, observation.c.zone_id.is_not(None),
        observation.c.indicator_id.in_(sorted(set(indicator_ids))))
    _cols, rows = fetch_tuples(conn, stmt)
    if not rows:
        empty = np.empty(0)
        return empty.astype(np.int64), empty.astype(np.int64), empty
    arr = np.array(rows, dtype=float)
    return arr[:, 0].astype(np.int64), arr[:, 1].astype(np.int64), arr[:, 2]


def existing_keys(conn: Connection, indicator_ids: Iterable[int], place: str = "zone") -> pd.DataFrame:
    """Keys ``(id, indicator_id, place_id, period, groups)`` already stored for these indicators."""
    place_col = observation.c.zone_id if place == "zone" else observation.c.area_id
    ids = sorted(set(indicator_ids))
    frames = []
    for start in range(0, len(ids), 500):
        stmt = select(observation.c.id, observation.c.indicator_id, place_col.label("place_id"),
                      observation.c.period, observation.c.groups).where(
            and_(observation.c.indicator_id.in_(ids[start:start + 500]), place_col.is_not(None)))
        cols, rows = fetch_tuples(conn, stmt)
        frames.append(pd.DataFrame(rows, columns=cols))
    if not frames:
        return pd.DataFrame(columns=["id", "indicator_id", "place_id", "period", "groups"])
    return pd.concat(frames, ignore_index=True)


def delete_observations(conn: Connection, ids: Sequence[int]) -> int:
    for start in range(0, len(ids), 10_000):
        conn.execute(delete(observation).where(observation.c.id.in_(list(ids[start:start + 10_000]))))
    return len(ids)


def count_observations(conn: Connection) -> int:
    return int(conn.execute(select(func.count()).select_from(observation)).scalar_one())


def query_observations(conn: Connection, *, indicators: Sequence[str] | None = None,
                       zones: Sequence[str] | None = None, level: str | None = None,
                       periods: Sequence[str] | None = None, areas: Sequence[str] | None = None,
                       groups: str | None = None) -> pd.DataFrame:
    """Observations joined with their indicator, zone and area codes, as a DataFrame."""
    stmt = (
        select(indicator.c.code.label("indicator"), zone.c.code.label("zone"), zone.c.level.label("level"),
               area.c.code.label("area"), observation.c.period, observation.c.groups, observation.c.value,
               observation.c.numerator, observation.c.denominator, observation.c.n, observation.c.ci_low,
               observation.c.ci_high, observation.c.status, observation.c.source)
        .select_from(observation)
        .join(indicator, indicator.c.id == observation.c.indicator_id)
        .outerjoin(zone, zone.c.id == observation.c.zone_id)
        .outerjoin(area, area.c.id == observation.c.area_id)
    )
    if indicators:
        stmt = stmt.where(indicator.c.code.in_(list(indicators)))
    if zones:
        stmt = stmt.where(zone.c.code.in_(list(zones)))
    if level:
        stmt = stmt.where(zone.c.level == level)
    if periods:
        stmt = stmt.where(observation.c.period.in_(list(periods)))
    if areas:
        stmt = stmt.where(area.c.code.in_(list(areas)))
    if groups is not None:
        stmt = stmt.where(observation.c.groups == groups)
    stmt = stmt.order_by(indicator.c.code, zone.c.code, area.c.code, observation.c.period, observation.c.groups)
    cols, rows = fetch_tuples(conn, stmt)
    return pd.DataFrame(rows, columns=cols)


def periods_for(conn: Connection, indicator_code: str) -> list[str]:
    stmt = (select(observation.c.period).distinct()
            .join(indicator, indicator.c.id == observation.c.indicator_id)
            .where(indicator.c.code == indicator_code).order_by(observation.c.period))
    return [p for (p,) in conn.execute(stmt)]


def keys_present(conn: Connection, keys: Sequence[tuple[int, int, str, str]]) -> int:
    """How many of ``(indicator_id, zone_id, period, groups)`` keys are stored (for tests and checks)."""
    if not keys:
        return 0
    stmt = select(func.count()).select_from(observation).where(
        tuple_(observation.c.indicator_id, observation.c.zone_id, observation.c.period,
               observation.c.groups).in_(list(keys)))
    return int(conn.execute(stmt).scalar_one())


def indicators_at_level(conn: Connection, level: str) -> set[str]:
    """Codes of the indicators with at least one whole-population figure (no groups) for a zone of
    ``level``. One EXISTS per indicator, answered from the start of the observation key index."""
    found = (select(observation.c.id).join(zone, zone.c.id == observation.c.zone_id)
             .where(observation.c.indicator_id == indicator.c.id, zone.c.level == level, observation.c.groups == "")
             .exists())
    return set(conn.execute(select(indicator.c.code).where(found)).scalars())

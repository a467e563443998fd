"""Baselines (nullpunkt): frozen copies of an area's indicator values. Nothing here is ever updated."""

from __future__ import annotations

import json
from collections.abc import Sequence

from sqlalchemy import Connection, insert, select

from nabolag.store.imports import now
from nabolag.store.tables import baseline, baseline_value, indicator

VALUE_COLUMNS = tuple(c.name for c in baseline_value.c if c.name != "baseline_id")


def baseline_exists(conn: Connection, area_id: int, label: str) -> bool:
    found = conn.execute(select(baseline.c.id).where(baseline.c.area_id == area_id, baseline.c.label == label))
    return found.first() is not None


def save_baseline(conn: Connection, *, area_id: int, label: str, as_of: str | None, actor: str,
                  confidence: float, member_zones: Sequence[str], comparison_zones: Sequence[str],
                  values: Sequence[dict[str, object]]) -> int:
    """Store a baseline and its values (dicts with ``indicator_id`` and :data:`VALUE_COLUMNS`)."""
    res = conn.execute(insert(baseline).values(
        area_id=area_id, label=label, as_of=as_of, frozen_at=now(), actor=actor, confidence=confidence,
        member_zones=json.dumps(list(member_zones)), comparison_zones=json.dumps(list(comparison_zones))))
    baseline_id = int(res.inserted_primary_key[0])  # type: ignore[index]
    if values:
        conn.execute(insert(baseline_value), [{**{c: v.get(c) for c in VALUE_COLUMNS}, "baseline_id": baseline_id}
                                              for v in values])
    return baseline_id


def _decode(row: dict[str, object]) -> dict[str, object]:
    return {**row, "member_zones": tuple(json.loads(str(row["member_zones"]))),
            "comparison_zones": tuple(json.loads(str(row["comparison_zones"])))}


def list_baselines(conn: Connection, area_id: int) -> list[dict[str, object]]:
    """The area's baselines, oldest first."""
    stmt = select(baseline).where(baseline.c.area_id == area_id).order_by(baseline.c.frozen_at, baseline.c.id)
    return [_decode(dict(r)) for r in conn.execute(stmt).mappings()]


def get_baseline(conn: Connection, area_id: int, label: str | None = None) -> dict[str, object] | None:
    """The baseline with ``label``, or the area's newest one."""
    stmt = select(baseline).where(baseline.c.area_id == area_id)
    stmt = stmt.where(baseline.c.label == label) if label is not None else stmt.order_by(
        baseline.c.frozen_at.desc(), baseline.c.id.desc()).limit(1)
    row = conn.execute(stmt).mappings().first()
    return _decode(dict(row)) if row else None


def baseline_values(conn: Connection, baseline_id: int) -> list[dict[str, object]]:
    """The frozen values with their indicator's code, by indicator code."""
    stmt = (select(indicator.c.code.label("indicator"), *[baseline_value.c[c] for c in VALUE_COLUMNS])
            .join(indicator, indicator.c.id == baseline_value.c.indicator_id)
            .where(baseline_value.c.baseline_id == baseline_id).order_by(indicator.c.code))
    return [dict(r) for r in conn.execute(stmt).mappings()]

"""Index specs (versioned by content), runs and per-zone values."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence

from sqlalchemy import Connection, func, insert, select

from nabolag.store.imports import now
from nabolag.store.tables import index_run, index_spec, index_value, zone


def save_spec_version(conn: Connection, name: str, text: str, actor: str) -> tuple[int, int]:
    """Return (spec id, version); a new version is stored only when the text changed."""
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    found = conn.execute(select(index_spec.c.id, index_spec.c.version)
                         .where(index_spec.c.name == name, index_spec.c.sha256 == digest)).first()
    if found:
        return int(found[0]), int(found[1])
    latest = conn.execute(select(func.max(index_spec.c.version)).where(index_spec.c.name == name)).scalar() or 0
    version = int(latest) + 1
    res = conn.execute(insert(index_spec).values(name=name, version=version, sha256=digest, text=text,
                                                 created_at=now(), actor=actor))
    return int(res.inserted_primary_key[0]), version  # type: ignore[index]


def save_run(conn: Connection, spec_id: int, level: str, period: str, actor: str,
             missing: dict[str, list[str]], rows: Sequence[dict[str, object]]) -> int:
    res = conn.execute(insert(index_run).values(spec_id=spec_id, level=level, period=period, computed_at=now(),
                                                actor=actor, missing=json.dumps(missing, ensure_ascii=False)))
    run_id = int(res.inserted_primary_key[0])  # type: ignore[index]
    if rows:
        conn.execute(insert(index_value), [{**r, "run_id": run_id} for r in rows])
    return run_id


def list_runs(conn: Connection) -> list[dict[str, object]]:
    stmt = (select(index_run.c.id, index_spec.c.name, index_spec.c.version, index_run.c.level, index_run.c.period,
                   index_run.c.computed_at, index_run.c.actor)
            .join(index_spec, index_spec.c.id == index_run.c.spec_id).order_by(index_run.c.id))
    return [dict(r) for r in conn.execute(stmt).mappings()]


def newest_runs(conn: Connection, level: str) -> dict[str, dict[str, tuple[int, int]]]:
    """Per index name at ``level``: period → (run id, spec version) of the newest run of that period."""
    out: dict[str, dict[str, tuple[int, int]]] = {}
    for r in list_runs(conn):  # in id order: a later run of a period replaces an earlier one
        if r["level"] == level:
            out.setdefault(str(r["name"]), {})[str(r["period"])] = (int(r["id"]), int(r["version"]))  # type: ignore[call-overload]
    return out


def run_values(conn: Connection, run_id: int) -> list[dict[str, object]]:
    stmt = (select(zone.c.code, index_value.c.value, index_value.c.score, index_value.c.rank,
                   index_value.c.contributions).join(zone, zone.c.id == index_value.c.zone_id)
            .where(index_value.c.run_id == run_id).order_by(zone.c.code))
    return [dict(r) for r in conn.execute(stmt).mappings()]


def spec_text(conn: Connection, name: str, version: int) -> str | None:
    return conn.execute(select(index_spec.c.text).where(index_spec.c.name == name,
                                                        index_spec.c.version == version)).scalar()

"""Provenance of every import, and the audit log."""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import Connection, insert, select, update

from nabolag.store.tables import audit, import_batch


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def start_import(conn: Connection, *, kind: str, file_name: str, sha256: str, source: str,
                 actor: str, options: dict[str, object]) -> int:
    result = conn.execute(
        insert(import_batch).values(
            kind=kind, file_name=file_name, sha256=sha256, source=source, actor=actor,
            options=json.dumps(options, ensure_ascii=False, default=str), started_at=now(),
        )
    )
    return int(result.inserted_primary_key[0])  # type: ignore[index]


def finish_import(conn: Connection, import_id: int, *, rows: int, warnings: int) -> None:
    conn.execute(
        update(import_batch).where(import_batch.c.id == import_id)
        .values(rows=rows, warnings=warnings, finished_at=now())
    )


def list_imports(conn: Connection) -> list[dict[str, object]]:
    rows = conn.execute(select(import_batch).order_by(import_batch.c.id)).mappings()
    return [dict(r) for r in rows]


def record_audit(conn: Connection, *, actor: str, action: str, object_type: str,
                 object_key: str = "", details: dict[str, object] | None = None) -> None:
    conn.execute(
        insert(audit).values(
            at=now(), actor=actor, action=action, object_type=object_type, object_key=object_key,
            details=json.dumps(details or {}, ensure_ascii=False, default=str),
        )
    )


def list_audit(conn: Connection, limit: int = 100) -> list[dict[str, object]]:
    rows = conn.execute(select(audit).order_by(audit.c.id.desc()).limit(limit)).mappings()
    return [dict(r) for r in rows]

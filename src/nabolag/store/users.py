"""User accounts, the areas a coordinator may edit, and app secrets (SQL only; rules live in services/users.py)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Connection, delete, insert, select, update

from nabolag.store.tables import app_secret, app_user, area, user_area

PUBLIC_COLUMNS = (app_user.c.id, app_user.c.username, app_user.c.display_name, app_user.c.role,
                  app_user.c.disabled, app_user.c.created_at, app_user.c.created_by,
                  app_user.c.password_changed_at)


def insert_user(conn: Connection, *, username: str, display_name: str, role: str, password_hash: str,
                created_at: dt.datetime, created_by: str) -> int:
    result = conn.execute(insert(app_user).values(
        username=username, display_name=display_name, role=role, password_hash=password_hash,
        created_at=created_at, created_by=created_by, password_changed_at=created_at, disabled=False,
    ))
    return int(result.inserted_primary_key[0])  # type: ignore[index]


def get_user(conn: Connection, username: str) -> dict[str, object] | None:
    """The user row without its password hash, or ``None``."""
    row = conn.execute(select(*PUBLIC_COLUMNS).where(app_user.c.username == username)).mappings().first()
    return dict(row) if row else None


def get_password_hash(conn: Connection, username: str) -> tuple[int, str, bool] | None:
    """``(id, password_hash, disabled)`` for ``username``, or ``None``."""
    row = conn.execute(select(app_user.c.id, app_user.c.password_hash, app_user.c.disabled)
                       .where(app_user.c.username == username)).first()
    return (int(row[0]), str(row[1]), bool(row[2])) if row else None


def list_users(conn: Connection) -> list[dict[str, object]]:
    rows = conn.execute(select(*PUBLIC_COLUMNS).order_by(app_user.c.username)).mappings()
    return [dict(r) for r in rows]


def delete_user(conn: Connection, user_id: int) -> None:
    conn.execute(delete(user_area).where(user_area.c.user_id == user_id))
    conn.execute(delete(app_user).where(app_user.c.id == user_id))


def update_user(conn: Connection, user_id: int, **values: object) -> None:
    conn.execute(update(app_user).where(app_user.c.id == user_id).values(**values))


def area_ids(conn: Connection, codes: list[str]) -> dict[str, int]:
    """Ids of the areas with these codes (missing codes are absent from the result)."""
    if not codes:
        return {}
    rows = conn.execute(select(area.c.code, area.c.id).where(area.c.code.in_(codes)))
    return {str(code): int(i) for code, i in rows}


def grant_areas(conn: Connection, user_id: int, ids: list[int], *, at: dt.datetime, by: str) -> None:
    have = set(conn.execute(select(user_area.c.area_id).where(user_area.c.user_id == user_id)).scalars())
    rows = [{"user_id": user_id, "area_id": i, "granted_at": at, "granted_by": by} for i in ids if i not in have]
    if rows:
        conn.execute(insert(user_area), rows)


def revoke_areas(conn: Connection, user_id: int, ids: list[int]) -> None:
    if ids:
        conn.execute(delete(user_area).where(user_area.c.user_id == user_id, user_area.c.area_id.in_(ids)))


def areas_of(conn: Connection, user_ids: list[int]) -> dict[int, list[str]]:
    """Area codes per user id, sorted."""
    if not user_ids:
        return {}
    rows = conn.execute(select(user_area.c.user_id, area.c.code).join(area, area.c.id == user_area.c.area_id)
                        .where(user_area.c.user_id.in_(user_ids)).order_by(area.c.code))
    out: dict[int, list[str]] = {i: [] for i in user_ids}
    for user_id, code in rows:
        out[int(user_id)].append(str(code))
    return out


def get_secret(conn: Connection, name: str) -> str | None:
    return conn.execute(select(app_secret.c.value).where(app_secret.c.name == name)).scalar()


def put_secret_if_missing(conn: Connection, name: str, value: str, at: dt.datetime) -> str:
    """Store ``value`` under ``name`` unless one is there already; return the stored value."""
    existing = get_secret(conn, name)
    if existing is not None:
        return existing
    conn.execute(insert(app_secret).values(name=name, value=value, created_at=at))
    return value

"""User accounts: add, list, remove, passwords, coordinator areas, sign-in.

Passwords are hashed with argon2id (argon2-cffi's ``PasswordHasher`` with its defaults) and never
leave this module. Every change needs the ``admin`` role (the CLI runs as admin), except a user
changing their own password, and is written to the audit log with who and when.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection

from nabolag.domain.problems import Problem
from nabolag.errors import InputError, NotFoundError
from nabolag.i18n import _
from nabolag.services.context import ROLES, Context
from nabolag.store import users as store
from nabolag.store.imports import record_audit

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 1024
USERNAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,99}$")


@dataclass(frozen=True)
class User:
    """An account as the rest of the app sees it (never with its password hash)."""

    username: str
    display_name: str
    role: str
    areas: tuple[str, ...]
    disabled: bool
    created_at: dt.datetime
    created_by: str
    password_changed_at: dt.datetime

    def as_dict(self) -> dict[str, object]:
        d = asdict(self)
        d["areas"] = list(self.areas)
        d["created_at"] = self.created_at.isoformat()
        d["password_changed_at"] = self.password_changed_at.isoformat()
        return d


@cache
def _hasher() -> PasswordHasher:
    return PasswordHasher()


@cache
def _dummy_hash() -> str:
    """A hash of a random secret, verified for unknown users so they take as long as known ones."""
    return _hasher().hash(secrets.token_urlsafe(24))


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _problem(field: str, message: str, *, expected: str | None = None, found: str | None = None) -> InputError:
    return InputError(message, [Problem("user", message, field=field, expected=expected, found=found)])


def check_username(username: str) -> str:
    username = (username or "").strip()
    if not USERNAME.match(username):
        raise _problem("username", _("Ugyldig brukernavn «{name}» (felt: brukernavn)", name=username),
                       expected=_("1–100 tegn: bokstaver a–z, sifre og . _ @ -, som begynner med bokstav eller siffer"))
    return username


def check_role(role: str) -> str:
    if role not in ROLES:
        raise _problem("role", _("Ukjent rolle «{role}» (felt: rolle)", role=role), expected=", ".join(ROLES))
    return role


def check_password(password: str | None, username: str = "") -> str:
    """Refuse an empty, short, over-long or username-equal password (the message names the field)."""
    password = password or ""
    if not password.strip():
        raise _problem("password", _("Passordet er tomt (felt: passord)"))
    if len(password) < MIN_PASSWORD_LENGTH:
        raise _problem("password", _("Passordet er for kort (felt: passord): minst {n} tegn", n=MIN_PASSWORD_LENGTH),
                       expected=str(MIN_PASSWORD_LENGTH), found=str(len(password)))
    if len(password) > MAX_PASSWORD_LENGTH:
        raise _problem("password", _("Passordet er for langt (felt: passord): høyst {n} tegn", n=MAX_PASSWORD_LENGTH))
    if username and password.strip().lower() == username.lower():
        raise _problem("password", _("Passordet kan ikke være det samme som brukernavnet (felt: passord)"))
    return password


def _area_ids(conn: Connection, codes: Iterable[str]) -> dict[str, int]:
    wanted = sorted({c.strip() for c in codes if c and c.strip()})
    found = store.area_ids(conn, wanted)
    missing = [c for c in wanted if c not in found]
    if missing:
        raise _problem("area", _("Ukjent område (felt: område): {codes}", codes=", ".join(missing)),
                       found=", ".join(missing))
    return found


def _to_user(row: dict[str, object], areas: list[str]) -> User:
    return User(username=str(row["username"]), display_name=str(row["display_name"] or ""), role=str(row["role"]),
                areas=tuple(areas), disabled=bool(row["disabled"]), created_at=_aware(row["created_at"]),
                created_by=str(row["created_by"] or ""), password_changed_at=_aware(row["password_changed_at"]))


def _id(row: dict[str, object]) -> int:
    value = row["id"]
    assert isinstance(value, int)
    return value


def _aware(value: object) -> dt.datetime:
    """SQLite gives naive datetimes back; they were stored in UTC."""
    assert isinstance(value, dt.datetime)
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def add_user(ctx: Context, username: str, role: str, password: str, *, display_name: str = "",
             areas: Iterable[str] = ()) -> User:
    """Create an account; ``areas`` (area codes) only for a coordinator."""
    ctx.require_admin()
    username, role = check_username(username), check_role(role)
    check_password(password, username)
    areas = [a for a in areas if a and a.strip()]
    if areas and role != "coordinator":
        raise _problem("area", _("Bare en koordinator har egne områder (felt: område); rollen er «{role}»", role=role))
    at = _now()
    with ctx.store.transaction() as conn:
        if store.get_user(conn, username) is not None:
            raise _problem("username", _("Brukeren «{name}» finnes allerede (felt: brukernavn)", name=username),
                           found=username)
        ids = _area_ids(conn, areas)
        user_id = store.insert_user(conn, username=username, display_name=display_name.strip(), role=role,
                                    password_hash=hash_password(password), created_at=at, created_by=ctx.actor)
        store.grant_areas(conn, user_id, list(ids.values()), at=at, by=ctx.actor)
        record_audit(conn, actor=ctx.actor, action="user.add", object_type="user", object_key=username,
                     details={"role": role, "display_name": display_name.strip(), "areas": sorted(ids)})
    return get_user(ctx, username, include_disabled=True)  # type: ignore[return-value]


def get_user(ctx: Context, username: str, *, include_disabled: bool = False) -> User | None:
    """The account ``username`` with its areas, or ``None`` (also for a disabled one unless asked)."""
    with ctx.store.read() as conn:
        row = store.get_user(conn, username)
        if row is None or (row["disabled"] and not include_disabled):
            return None
        user_id = _id(row)
        return _to_user(row, store.areas_of(conn, [user_id])[user_id])


def list_users(ctx: Context) -> list[User]:
    ctx.require_admin()
    with ctx.store.read() as conn:
        rows = store.list_users(conn)
        areas = store.areas_of(conn, [_id(r) for r in rows])
    return [_to_user(r, areas[_id(r)]) for r in rows]


def _existing(conn: Connection, username: str) -> dict[str, object]:
    row = store.get_user(conn, username)
    if row is None:
        raise NotFoundError(_("Ingen bruker heter «{name}»", name=username))
    return row


def remove_user(ctx: Context, username: str) -> None:
    """Delete the account (its history stays in the audit log)."""
    ctx.require_admin()
    with ctx.store.transaction() as conn:
        row = _existing(conn, username)
        store.delete_user(conn, _id(row))
        record_audit(conn, actor=ctx.actor, action="user.remove", object_type="user", object_key=username,
                     details={"role": row["role"]})


def set_disabled(ctx: Context, username: str, disabled: bool) -> None:
    """Disable an account (it can no longer sign in; sessions end at the next request) or enable it again."""
    ctx.require_admin()
    with ctx.store.transaction() as conn:
        row = _existing(conn, username)
        store.update_user(conn, _id(row), disabled=disabled)
        record_audit(conn, actor=ctx.actor, action="user.disable" if disabled else "user.enable",
                     object_type="user", object_key=username)


def set_password(ctx: Context, username: str, password: str, *, current_password: str | None = None) -> None:
    """Change a password: an admin for anyone; a user for themselves with ``current_password``.

    ``current_password`` is checked whenever it is given (the web form always gives it). Sessions
    signed in before the change end at their next request.
    """
    own = ctx.actor == username and ctx.role in ROLES
    if not own:
        ctx.require_admin()
    check_password(password, username)
    with ctx.store.transaction() as conn:
        row = _existing(conn, username)
        if current_password is not None or ctx.role != "admin":
            stored = store.get_password_hash(conn, username)
            if stored is None or not verify_password(stored[1], current_password or ""):
                raise _problem("current_password", _("Feil nåværende passord (felt: nåværende passord)"))
        store.update_user(conn, _id(row), password_hash=hash_password(password), password_changed_at=_now())
        record_audit(conn, actor=ctx.actor, action="user.password", object_type="user", object_key=username)


def change_areas(ctx: Context, username: str, *, add: Iterable[str] = (), remove: Iterable[str] = ()) -> User:
    """Give a coordinator more areas, or take some away."""
    ctx.require_admin()
    add, remove = list(add), list(remove)
    at = _now()
    with ctx.store.transaction() as conn:
        row = _existing(conn, username)
        if add and row["role"] != "coordinator":
            raise _problem("area", _("Bare en koordinator har egne områder (felt: område); rollen er «{role}»",
                                     role=row["role"]))
        add_ids, remove_ids = _area_ids(conn, add), _area_ids(conn, remove)
        user_id = _id(row)
        store.grant_areas(conn, user_id, list(add_ids.values()), at=at, by=ctx.actor)
        store.revoke_areas(conn, user_id, list(remove_ids.values()))
        record_audit(conn, actor=ctx.actor, action="user.areas", object_type="user", object_key=username,
                     details={"added": sorted(add_ids), "removed": sorted(remove_ids)})
    return get_user(ctx, username, include_disabled=True)  # type: ignore[return-value]


def coordinator_areas(ctx: Context, username: str) -> tuple[str, ...]:
    """Codes of the areas ``username`` may edit as coordinator (empty for other roles)."""
    user = get_user(ctx, username)
    return user.areas if user is not None and user.role == "coordinator" else ()


def authenticate(ctx: Context, username: str, password: str) -> User | None:
    """The user if ``password`` is right and the account is enabled, else ``None``.

    An unknown or disabled user costs one argon2 verification too (against a dummy hash), so the
    answer time does not tell which usernames exist.
    """
    username = (username or "").strip()
    if len(password or "") > MAX_PASSWORD_LENGTH:
        return None
    with ctx.store.read() as conn:
        stored = store.get_password_hash(conn, username) if USERNAME.match(username) else None
    if stored is None or stored[2]:
        verify_password(_dummy_hash(), password or "")
        return None
    user_id, password_hash, _disabled = stored
    if not verify_password(password_hash, password or ""):
        return None
    if _hasher().check_needs_rehash(password_hash):
        with ctx.store.transaction() as conn:
            store.update_user(conn, user_id, password_hash=hash_password(password))
    return get_user(ctx, username)


def session_secret(ctx: Context) -> str:
    """The key that signs session cookies: made once, kept in the database so sessions survive restarts."""
    with ctx.store.read() as conn:
        value = store.get_secret(conn, "session")
    if value is not None:
        return value
    with ctx.store.transaction() as conn:
        return store.put_secret_if_missing(conn, "session", secrets.token_urlsafe(48), _now())

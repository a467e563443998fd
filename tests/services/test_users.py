"""Accounts: argon2 hashing, add/list/remove, passwords, coordinator areas, sign-in, audit entries."""

from __future__ import annotations

import statistics
import time
from dataclasses import replace

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from nabolag.domain.zones import Area
from nabolag.errors import InputError, NotFoundError, PermissionDenied
from nabolag.services import Context, users, zones
from nabolag.store.imports import list_audit
from nabolag.store.tables import app_user, user_area

PASSWORD = "korrekt-hest-batteri"


@pytest.fixture
def areas(ctx: Context) -> Context:
    for code in ("groruddalen", "sondre-nordstrand"):
        zones.save_area(ctx, Area(code=code, name=code.title()))
    return ctx


def _field(exc: pytest.ExceptionInfo[InputError]) -> str | None:
    return exc.value.problems[0].field if exc.value.problems else None


def test_hash_is_argon2id_and_verifies_only_the_right_password() -> None:
    hashed = users.hash_password(PASSWORD)
    assert hashed != PASSWORD and PASSWORD not in hashed
    assert hashed.startswith("$argon2id$")
    assert users.verify_password(hashed, PASSWORD)
    assert not users.verify_password(hashed, PASSWORD + "x")
    assert not users.verify_password("not a hash", PASSWORD)
    assert users.hash_password(PASSWORD) != hashed  # a fresh salt every time
    assert PasswordHasher().verify(hashed, PASSWORD)  # argon2-cffi itself agrees


def test_add_stores_a_hash_and_lists_without_it(areas: Context) -> None:
    user = users.add_user(areas, "kari", "coordinator", PASSWORD, display_name="Kari Nordmann",
                          areas=["groruddalen"])
    assert (user.username, user.role, user.areas, user.created_by) == ("kari", "coordinator", ("groruddalen",), "test")
    with areas.store.read() as conn:
        stored = conn.execute(select(app_user.c.password_hash).where(app_user.c.username == "kari")).scalar_one()
        grants = conn.execute(select(user_area)).mappings().all()
    assert stored != PASSWORD and PasswordHasher().verify(stored, PASSWORD)
    assert len(grants) == 1 and grants[0]["granted_by"] == "test"
    listed = users.list_users(areas)
    assert [u.username for u in listed] == ["kari"]
    assert "password_hash" not in listed[0].as_dict() and PASSWORD not in str(listed[0].as_dict())


@pytest.mark.parametrize(("args", "field"), [
    (("per", "boss", PASSWORD), "role"),
    (("per", "analyst", ""), "password"),
    (("per", "analyst", "   "), "password"),
    (("per", "analyst", "kort-9tgn"), "password"),
    (("per-olsen-1", "analyst", "PER-OLSEN-1"), "password"),
    (("", "analyst", PASSWORD), "username"),
    (("per olsen", "analyst", PASSWORD), "username"),
])
def test_bad_input_names_the_field(ctx: Context, args: tuple[str, str, str], field: str) -> None:
    with pytest.raises(InputError) as exc:
        users.add_user(ctx, *args)
    assert _field(exc) == field
    assert users.list_users(ctx) == []


def test_duplicate_unknown_area_and_areas_for_other_roles(areas: Context) -> None:
    users.add_user(areas, "kari", "analyst", PASSWORD)
    with pytest.raises(InputError, match="finnes allerede") as exc:
        users.add_user(areas, "kari", "viewer", PASSWORD)
    assert _field(exc) == "username"
    with pytest.raises(InputError, match="nowhere") as exc:
        users.add_user(areas, "ola", "coordinator", PASSWORD, areas=["groruddalen", "nowhere"])
    assert _field(exc) == "area"
    with pytest.raises(InputError, match="koordinator") as exc:
        users.add_user(areas, "ola", "analyst", PASSWORD, areas=["groruddalen"])
    assert [u.username for u in users.list_users(areas)] == ["kari"]  # nothing half-written


def test_only_an_admin_manages_users(ctx: Context) -> None:
    users.add_user(ctx, "kari", "analyst", PASSWORD)
    for role in ("analyst", "coordinator", "viewer", "public"):
        other = replace(ctx, actor="someone", role=role)
        with pytest.raises(PermissionDenied):
            users.add_user(other, "ola", "viewer", PASSWORD)
        with pytest.raises(PermissionDenied):
            users.remove_user(other, "kari")
        with pytest.raises(PermissionDenied):
            users.list_users(other)
        with pytest.raises(PermissionDenied):
            users.set_password(other, "kari", "nytt-langt-passord")


def test_authenticate(ctx: Context) -> None:
    users.add_user(ctx, "kari", "viewer", PASSWORD)
    user = users.authenticate(ctx, "kari", PASSWORD)
    assert user is not None and user.username == "kari" and user.role == "viewer"
    assert users.authenticate(ctx, "kari", PASSWORD.upper()) is None
    assert users.authenticate(ctx, "kari", "") is None
    assert users.authenticate(ctx, "nobody", PASSWORD) is None
    assert users.authenticate(ctx, "kari'; --", PASSWORD) is None
    users.set_disabled(ctx, "kari", True)
    assert users.authenticate(ctx, "kari", PASSWORD) is None
    assert users.get_user(ctx, "kari") is None and users.get_user(ctx, "kari", include_disabled=True)
    users.set_disabled(ctx, "kari", False)
    assert users.authenticate(ctx, "kari", PASSWORD) is not None


def test_unknown_user_costs_as_much_as_a_wrong_password(ctx: Context) -> None:
    """An argon2 verification takes tens of milliseconds; a lookup alone would take well under one."""
    users.add_user(ctx, "kari", "viewer", PASSWORD)
    users.authenticate(ctx, "nobody", "x" * 12)  # makes the dummy hash once

    def median(name: str) -> float:
        times = []
        for _ in range(3):
            start = time.perf_counter()
            assert users.authenticate(ctx, name, "feil-passord-her") is None
            times.append(time.perf_counter() - start)
        return statistics.median(times)

    known, unknown = median("kari"), median("nobody")
    assert unknown > 0.3 * known and known > 0.005


def test_set_password_own_and_by_admin(ctx: Context) -> None:
    users.add_user(ctx, "kari", "analyst", PASSWORD)
    before = users.get_user(ctx, "kari").password_changed_at  # type: ignore[union-attr]
    kari = replace(ctx, actor="kari", role="analyst")
    with pytest.raises(InputError) as exc:
        users.set_password(kari, "kari", "nytt-langt-passord", current_password="feil")
    assert _field(exc) == "current_password"
    with pytest.raises(InputError) as exc:
        users.set_password(kari, "kari", "kort", current_password=PASSWORD)
    assert _field(exc) == "password"
    users.set_password(kari, "kari", "nytt-langt-passord", current_password=PASSWORD)
    assert users.authenticate(ctx, "kari", PASSWORD) is None
    assert users.authenticate(ctx, "kari", "nytt-langt-passord") is not None
    assert users.get_user(ctx, "kari").password_changed_at > before  # type: ignore[union-attr]
    users.set_password(ctx, "kari", "admin-satte-dette")  # an admin needs no current password
    assert users.authenticate(ctx, "kari", "admin-satte-dette") is not None
    with pytest.raises(NotFoundError):
        users.set_password(ctx, "nobody", "admin-satte-dette")


def test_coordinator_areas_and_require_area(areas: Context) -> None:
    users.add_user(areas, "kari", "coordinator", PASSWORD, areas=["groruddalen"])
    assert users.coordinator_areas(areas, "kari") == ("groruddalen",)
    kari = replace(areas, actor="kari", role="coordinator", areas=users.coordinator_areas(areas, "kari"))
    kari.require_area("groruddalen")
    kari.require_write()
    with pytest.raises(PermissionDenied, match="sondre-nordstrand"):
        kari.require_area("sondre-nordstrand")
    for role in ("admin", "analyst"):
        replace(areas, role=role).require_area("sondre-nordstrand")
    for role in ("viewer", "public"):
        with pytest.raises(PermissionDenied):
            replace(areas, role=role, areas=("groruddalen",)).require_area("groruddalen")
    user = users.change_areas(areas, "kari", add=["sondre-nordstrand"], remove=["groruddalen"])
    assert user.areas == ("sondre-nordstrand",)
    with pytest.raises(InputError) as exc:
        users.change_areas(areas, "kari", add=["nowhere"])
    assert _field(exc) == "area"


def test_context_open_keeps_its_old_signature(db_url: str) -> None:
    with Context.open(db_url, actor="x", role="viewer") as c:
        assert c.areas == () and not c.is_public
        with pytest.raises(PermissionDenied):
            c.require_write()
    with Context.open(db_url, role="public") as c:
        assert c.is_public


def test_every_change_is_audited_with_who(areas: Context) -> None:
    users.add_user(areas, "kari", "coordinator", PASSWORD, areas=["groruddalen"])
    users.change_areas(areas, "kari", add=["sondre-nordstrand"])
    users.set_password(areas, "kari", "nytt-langt-passord")
    users.set_disabled(areas, "kari", True)
    users.remove_user(areas, "kari")
    with areas.store.read() as conn:
        entries = [e for e in reversed(list_audit(conn)) if e["object_type"] == "user"]
    assert [e["action"] for e in entries] == ["user.add", "user.areas", "user.password", "user.disable",
                                              "user.remove"]
    assert all(e["actor"] == "test" and e["object_key"] == "kari" and e["at"] is not None for e in entries)
    assert all(PASSWORD not in str(e["details"]) and "argon2" not in str(e["details"]) for e in entries)
    assert users.list_users(areas) == []
    with pytest.raises(NotFoundError):
        users.remove_user(areas, "kari")


def test_session_secret_is_made_once_and_kept(ctx: Context) -> None:
    first = users.session_secret(ctx)
    assert len(first) >= 40 and users.session_secret(ctx) == first

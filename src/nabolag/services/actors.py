"""Actors and associations: save, list, remove. An actor tied to an area is edited like the area (a
coordinator for its own areas); an actor of the whole municipality only by an admin or analyst.
Saving an association refreshes the area's derived indicators (see :mod:`programme_indicators`)."""

from __future__ import annotations

from dataclasses import replace

from nabolag.domain.actors import Actor, ActorKind, check_actor
from nabolag.errors import ConflictError, InputError, NotFoundError, PermissionDenied
from nabolag.i18n import _
from nabolag.services import programme_indicators
from nabolag.services.context import ROLES_FOR_ALL_AREAS, Context
from nabolag.services.programme_base import area_id, audit, fail, readable_area, writable_area
from nabolag.store import programme_actors as repo


def actor_where(code: str) -> str:
    return _("aktøren {code}", code=code[:60])


def _may_change(ctx: Context, area_code: str | None) -> int | None:
    """Check the right to change an actor of ``area_code`` (None: the whole municipality); its area id."""
    ctx.require_write()
    if area_code is None:
        if ctx.role not in ROLES_FOR_ALL_AREAS:
            raise PermissionDenied(_("Rollen «{role}» kan bare endre aktører i egne områder", role=ctx.role))
        return None
    return area_id(writable_area(ctx, area_code))


def save_actor(ctx: Context, a: Actor, *, row: int | None = None) -> Actor:
    """Create or replace an actor (by code) with its yearly counts and board roles."""
    try:
        a = replace(a, kind=ActorKind(a.kind))
    except ValueError:
        raise InputError(_("Ukjent aktørtype «{kind}»; forventet {valid}", kind=a.kind,
                           valid=", ".join(k.value for k in ActorKind))) from None
    if a.area_code is not None:
        a = replace(a, area_code=readable_area(ctx, a.area_code).code)
    new_area = _may_change(ctx, a.area_code)
    with ctx.store.read() as conn:
        old_area = repo.actor_areas(conn).get(a.code)
    if old_area and old_area != a.area_code:
        _may_change(ctx, old_area)  # moving an actor out of an area needs the right to that area too
    fail(actor_where(a.code), check_actor(a), row)
    touched = [readable_area(ctx, code) for code in sorted({old_area, a.area_code} - {None})]  # type: ignore[type-var]
    with ctx.store.transaction() as conn:
        _id, new = repo.save_actor(conn, a, new_area)
        audit(conn, ctx, "create" if new else "update", "actor", a.code, {"area": a.area_code})
        for area in touched:
            programme_indicators.refresh(conn, area)
    return get_actor(ctx, a.code)


def list_actors(ctx: Context, area_code: str | None = None, include_shared: bool = True) -> list[Actor]:
    """All actors, or those of one area (and, by default, those of the whole municipality)."""
    aid = area_id(readable_area(ctx, area_code)) if area_code else None
    with ctx.store.read() as conn:
        return repo.list_actors(conn, aid, include_shared)


def get_actor(ctx: Context, code: str) -> Actor:
    found = [a for a in list_actors(ctx) if a.code == code]
    if not found:
        raise NotFoundError(_("Ukjent aktør: {code}", code=code))
    return found[0]


def remove_actor(ctx: Context, code: str) -> None:
    """Remove an actor that no measure or event names."""
    a = get_actor(ctx, code)
    _may_change(ctx, a.area_code)
    area = readable_area(ctx, a.area_code) if a.area_code else None
    with ctx.store.transaction() as conn:
        uses = repo.actor_uses(conn, int(a.id or 0))
        if uses:
            raise ConflictError(_("Aktøren {code} er nevnt i {n} tiltak eller arrangementer og kan ikke fjernes",
                                  code=code, n=uses))
        repo.delete_actor(conn, int(a.id or 0))
        audit(conn, ctx, "delete", "actor", code)
        if area is not None:
            programme_indicators.refresh(conn, area)

"""Shared steps of the programme use cases: find the area and check the right to change it, turn
problems into one clear error, and record the audit entry."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection

from nabolag.domain.problems import Problem
from nabolag.domain.zones import Area
from nabolag.errors import InputError, NotFoundError
from nabolag.i18n import _
from nabolag.services import zones
from nabolag.services.context import Context
from nabolag.store import imports as imports_repo


def readable_area(ctx: Context, code: str) -> Area:
    """An area by code or name (any reader)."""
    return zones.get_area(ctx, code)


def writable_area(ctx: Context, code: str) -> Area:
    """An area the actor may change: a writing role, and for a coordinator one of its own areas."""
    ctx.require_write()
    area = zones.get_area(ctx, code)
    ctx.require_area(area.code)
    return area


def area_id(area: Area) -> int:
    if area.id is None:  # pragma: no cover - areas read from the store always have an id
        raise NotFoundError(_("Ukjent område: {code}", code=area.code))
    return int(area.id)


def fail(where: str, problems: Sequence[tuple[str, str]], row: int | None = None) -> None:
    """Raise one :class:`InputError` naming ``where`` and every problem; do nothing if there are none."""
    if problems:
        raise InputError(_("{what}: {n} feil; ingenting er lagret", what=where, n=len(problems)),
                         [Problem(where, message, row=row, field=name) for name, message in problems])


def unknown(problems: list[tuple[str, str]], name: str, kind: str, codes: Sequence[str],
            known: object) -> None:
    """Add a problem for every code in ``codes`` that is not in ``known``."""
    missing = [c for c in codes if c and c not in known]  # type: ignore[operator]
    if missing:
        problems.append((name, _("ukjent {kind}: {codes}", kind=kind, codes=", ".join(sorted(set(missing))))))


def audit(conn: Connection, ctx: Context, action: str, object_type: str, key: str,
          details: dict[str, object] | None = None) -> None:
    imports_repo.record_audit(conn, actor=ctx.actor, action=action, object_type=object_type,
                              object_key=key[:200], details={"role": ctx.role, **(details or {})})

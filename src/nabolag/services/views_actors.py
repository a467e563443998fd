"""Read models of the actor pages (issue 5): the actor register filtered by area and kind, one actor with
its yearly members and volunteers and its board, and the indicators derived from the register.

Board members are named only by a pseudonym the coordinator keeps (``person_ref``); it is never
published, so a visitor who is not signed in sees roles and counts only.
"""

from __future__ import annotations

import datetime as dt

from nabolag.domain.actors import ASSOCIATION_KINDS, Actor, ActorKind, BoardRole, BoardRoleKind
from nabolag.errors import InputError
from nabolag.i18n import _
from nabolag.services import actors, zones
from nabolag.services.context import ROLES_FOR_ALL_AREAS, ROLES_THAT_WRITE, Context
from nabolag.services.views_common import synthetic_note
from nabolag.services.views_participation import derived_figures

#: The derived indicators the actor register gives (see services.programme_indicators).
REGISTER_INDICATORS = ("nye_foreninger", "frivillige", "styreverv_andel")


def actor_kind_label(kind: str) -> str:
    return {
        "municipal_department": _("kommunal virksomhet"),
        "nav": _("NAV"),
        "school": _("skole"),
        "housing_company": _("boligselskap"),
        "private": _("privat aktør"),
        "voluntary_organisation": _("frivillig organisasjon"),
        "local_association": _("lokal forening"),
    }.get(kind, kind)


def board_role_label(role: str) -> str:
    return {
        "chair": _("leder"),
        "deputy_chair": _("nestleder"),
        "treasurer": _("kasserer"),
        "secretary": _("sekretær"),
        "member": _("styremedlem"),
        "deputy": _("varamedlem"),
    }.get(role, role)


def may_edit_actor(ctx: Context, area_code: str | None) -> bool:
    """What :func:`nabolag.services.actors.save_actor` allows: admin and analyst every actor, a coordinator
    the actors of its own areas."""
    if ctx.role in ROLES_FOR_ALL_AREAS:
        return True
    return ctx.role == "coordinator" and area_code is not None and area_code in ctx.areas


def may_add_actor(ctx: Context) -> bool:
    return ctx.role in ROLES_FOR_ALL_AREAS or (ctx.role in ROLES_THAT_WRITE and bool(ctx.areas))


def _latest(a: Actor) -> dict[str, object]:
    known = sorted(a.years, key=lambda y: y.year)
    last = known[-1] if known else None
    return {
        "year": last.year if last else None,
        "members": last.members if last else None,
        "volunteers": last.volunteers if last else None,
    }


def _current(a: Actor) -> list[BoardRole]:
    today = dt.date.today()
    return [r for r in a.board if (r.start is None or r.start <= today) and (r.end is None or r.end >= today)]


def _row(ctx: Context, a: Actor, area_names: dict[str, str]) -> dict[str, object]:
    current = _current(a)
    return {
        "code": a.code,
        "name": a.name,
        "kind": str(a.kind),
        "kind_label": actor_kind_label(str(a.kind)),
        "association": a.kind in ASSOCIATION_KINDS,
        "area": a.area_code,
        "area_name": area_names.get(a.area_code or "", _("hele kommunen")),
        "founded": a.founded.isoformat() if a.founded else None,
        "dissolved": a.dissolved.isoformat() if a.dissolved else None,
        "latest": _latest(a),
        "board_roles": len(current),
        "synthetic": a.synthetic,
        "can_edit": may_edit_actor(ctx, a.area_code),
    }


def _choices(ctx: Context) -> dict[str, object]:
    areas = zones.list_areas(ctx)
    editable = [a for a in areas if ctx.role in ROLES_FOR_ALL_AREAS or a.code in ctx.areas]
    return {
        "kinds": [{"code": str(k), "label": actor_kind_label(str(k))} for k in ActorKind],
        "areas": [{"code": a.code, "label": a.name} for a in areas],
        "edit_areas": [{"code": a.code, "label": a.name} for a in editable],
        "whole_municipality": ctx.role in ROLES_FOR_ALL_AREAS,
        "board_roles": [{"code": str(r), "label": board_role_label(str(r))} for r in BoardRoleKind],
    }


def actor_list(ctx: Context, area: str | None = None, kind: str | None = None) -> dict[str, object]:
    """The actor register, optionally of one area (with the actors of the whole municipality) and kind."""
    area_code = zones.get_area(ctx, area).code if area else None
    if kind and kind not in {str(k) for k in ActorKind}:
        raise InputError(
            _(
                "Ukjent aktørtype «{kind}» i parameteret kind; bruk {valid}",
                kind=kind[:60],
                valid=", ".join(str(k) for k in ActorKind),
            )
        )
    area_names = {a.code: a.name for a in zones.list_areas(ctx)}
    found = actors.list_actors(ctx, area_code)
    rows = [
        _row(ctx, a, area_names)
        for a in sorted(found, key=lambda x: (str(x.kind), x.name.casefold()))
        if not kind or str(a.kind) == kind
    ]
    counts = {str(k): sum(1 for r in rows if r["kind"] == str(k)) for k in ActorKind}
    return {
        "filter": {"area": area_code, "kind": kind or None},
        "actors": rows,
        "counts": {"actors": len(rows), "by_kind": counts, "associations": sum(1 for r in rows if r["association"])},
        "derived": derived_figures(ctx, area_code, REGISTER_INDICATORS) if area_code else None,
        "synthetic": any(r["synthetic"] for r in rows),
        "note": synthetic_note(any(r["synthetic"] for r in rows)),
        "can_add": may_add_actor(ctx),
        "choices": _choices(ctx),
    }


def actor_page(ctx: Context, code: str) -> dict[str, object]:
    """One actor: facts, members and volunteers per year, the board (roles and counts; pseudonyms only for
    signed-in users), and the derived indicators of its area."""
    a = actors.get_actor(ctx, code)
    area_names = {x.code: x.name for x in zones.list_areas(ctx)}
    show_refs = not ctx.is_public
    board = [
        {
            "role": str(r.role),
            "role_label": board_role_label(str(r.role)),
            "resident": r.resident,
            "start": r.start.isoformat() if r.start else None,
            "end": r.end.isoformat() if r.end else None,
            **({"person_ref": r.person_ref} if show_refs else {}),
        }
        for r in sorted(a.board, key=lambda r: (r.end is not None, list(BoardRoleKind).index(r.role)))
    ]
    current = _current(a)
    by_role = [
        {"role": str(k), "label": board_role_label(str(k)), "count": sum(1 for r in current if r.role == k)}
        for k in BoardRoleKind
    ]
    return {
        **_row(ctx, a, area_names),
        "description": a.description,
        "years": [
            {"year": y.year, "members": y.members, "volunteers": y.volunteers}
            for y in sorted(a.years, key=lambda y: y.year)
        ],
        "board": board,
        "board_summary": {
            "current_roles": len(current),
            "current_people": len({r.person_ref for r in current}),
            "current_residents": len({r.person_ref for r in current if r.resident}),
            "by_role": [b for b in by_role if b["count"]],
            "all_roles": len(a.board),
        },
        "pseudonyms_shown": show_refs,
        "derived": derived_figures(ctx, a.area_code, REGISTER_INDICATORS) if a.area_code else None,
        "note": synthetic_note(a.synthetic),
        "choices": _choices(ctx),
    }

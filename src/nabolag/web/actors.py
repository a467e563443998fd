"""Actor pages (issue 5): the register of actors and associations (filterable by area and kind), one
actor, and the add / edit / remove forms. Reading is open (board members appear only as roles and
counts to visitors); changing needs a signed-in admin or analyst, or a coordinator for the actors of its
own areas, as :mod:`nabolag.services.actors` allows.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response

from nabolag.domain.actors import Actor
from nabolag.errors import ConflictError, InputError, PermissionDenied
from nabolag.i18n import _
from nabolag.ingest.programme import actor_from, actor_to
from nabolag.services import actors
from nabolag.services import views_actors as views
from nabolag.services.context import ROLES_FOR_ALL_AREAS, Context
from nabolag.services.programme_base import writable_area
from nabolag.web.deps import context, require_signed_in
from nabolag.web.participation_common import TEXT, failed, form_state, item_code, parsed, read_form, render, saved

router = APIRouter(tags=["actors"])
signed_in = [Depends(require_signed_in)]
REFUSED = (InputError, ConflictError)
AreaFilter = Query(None, max_length=200, pattern=TEXT, description="Bare aktører i dette området (og hele kommunen)")
KindFilter = Query(None, max_length=60, pattern=TEXT, description="Aktørtype, f.eks. local_association")
FORM_BODY = {"required": True, "content": {"application/x-www-form-urlencoded": {"schema": {"type": "object"}}}}


def _require_edit(ctx: Context, *area_codes: str | None) -> None:
    """The right to change actors of these areas (None: the whole municipality), before a form is read."""
    ctx.require_write()
    for code in area_codes:
        if code:
            writable_area(ctx, code)
        elif ctx.role not in ROLES_FOR_ALL_AREAS:
            raise PermissionDenied(_("Rollen «{role}» kan bare endre aktører i egne områder", role=ctx.role))


def _actor_json(a: Actor) -> dict[str, object]:
    return {
        "code": a.code,
        "name": a.name,
        "kind": str(a.kind),
        "area": a.area_code,
        "founded": a.founded.isoformat() if a.founded else None,
        "dissolved": a.dissolved.isoformat() if a.dissolved else None,
        "years": len(a.years),
        "board_roles": len(a.board),
    }


def _form_page(
    request: Request,
    ctx: Context,
    values: dict[str, str],
    code: str | None,
    error: Exception | None = None,
    status: int = 200,
) -> Response:
    data = views.actor_list(ctx)
    data.update(actor=code, form=form_state(f"actor-{code or 'new'}", values, error))
    return render(request, "actor_form.html", data, status)


@router.get("/actors.json")
def actor_list_json(
    request: Request, area: str | None = AreaFilter, kind: str | None = KindFilter, ctx: Context = Depends(context)
) -> Response:
    """Actors and associations, with counts and (for one area) the indicators derived from the register."""
    return render(request, "actors.html", views.actor_list(ctx, area, kind))


@router.get("/actors", response_class=HTMLResponse)
def actor_list(
    request: Request, area: str | None = AreaFilter, kind: str | None = KindFilter, ctx: Context = Depends(context)
) -> Response:
    return render(request, "actors.html", views.actor_list(ctx, area or None, kind or None))


@router.get("/actors/new", response_class=HTMLResponse, dependencies=signed_in)
def new_actor_page(request: Request, area: str | None = AreaFilter, ctx: Context = Depends(context)) -> Response:
    """The form for a new actor (admin, analyst, or a coordinator for its own areas)."""
    _require_edit(ctx, area or (ctx.areas[0] if ctx.areas else None))
    return _form_page(request, ctx, {"area": area or ""}, None)


@router.post("/actors", dependencies=signed_in, openapi_extra={"requestBody": FORM_BODY}, status_code=201)
async def add_actor(request: Request, ctx: Context = Depends(context)) -> Response:
    """Add an actor: code, name, kind, area (empty: the whole municipality), founded, dissolved,
    description, years (``year:members:volunteers`` per line), board (``pseudonym:role:resident|other:from:to``)."""
    values = await read_form(request)
    _require_edit(ctx, values.get("area", "").strip() or None)
    if values.get("code", "").strip() in {a.code for a in actors.list_actors(ctx)}:
        error = ConflictError(_("Det finnes alt en aktør med koden {code}", code=values["code"].strip()))
        return failed(request, error, lambda s: _form_page(request, ctx, values, None, error, s))
    try:
        a = actors.save_actor(ctx, parsed(values, lambda c: actor_from(c, "")))
    except REFUSED as exc:
        return failed(request, exc, lambda s, exc=exc: _form_page(request, ctx, values, None, exc, s))
    return saved(request, f"/actors/{a.code}", _actor_json(a), lambda: _form_page(request, ctx, {}, None))


@router.get("/actors/{code}.json")
def actor_json(request: Request, code: str = item_code(), ctx: Context = Depends(context)) -> Response:
    """One actor: facts, yearly members and volunteers, board roles (pseudonyms only for signed-in users)."""
    return render(request, "actor.html", views.actor_page(ctx, code))


@router.get("/actors/{code}", response_class=HTMLResponse)
def actor_page(request: Request, code: str = item_code(), ctx: Context = Depends(context)) -> Response:
    return render(request, "actor.html", views.actor_page(ctx, code))


@router.get("/actors/{code}/edit", response_class=HTMLResponse, dependencies=signed_in)
def edit_actor_page(request: Request, code: str = item_code(), ctx: Context = Depends(context)) -> Response:
    a = actors.get_actor(ctx, code)
    _require_edit(ctx, a.area_code)
    return _form_page(
        request,
        ctx,
        actor_to(a)
        | {"years": actor_to(a)["years"].replace("; ", "\n"), "board": actor_to(a)["board"].replace("; ", "\n")},
        code,
    )


@router.post("/actors/{code}", dependencies=signed_in, openapi_extra={"requestBody": FORM_BODY})
async def save_actor(request: Request, code: str = item_code(), ctx: Context = Depends(context)) -> Response:
    """Change an actor (its code stays); moving it to another area needs the right to both."""
    values = {**await read_form(request), "code": code}
    old = actors.get_actor(ctx, code)
    _require_edit(ctx, old.area_code, values.get("area", "").strip() or None)
    try:
        a = actors.save_actor(ctx, parsed(values, lambda c: actor_from(c, "")))
    except REFUSED as exc:
        return failed(request, exc, lambda s, exc=exc: _form_page(request, ctx, values, code, exc, s))
    return saved(request, f"/actors/{a.code}", _actor_json(a), lambda: _form_page(request, ctx, {}, code), status=200)


@router.post("/actors/{code}/remove", dependencies=signed_in)
def remove_actor(request: Request, code: str = item_code(), ctx: Context = Depends(context)) -> Response:
    """Remove an actor that no measure or event names (else 409)."""
    a = actors.get_actor(ctx, code)
    _require_edit(ctx, a.area_code)
    try:
        actors.remove_actor(ctx, code)
    except ConflictError as exc:
        return failed(
            request,
            exc,
            lambda s, exc=exc: render(request, "actor.html", {**views.actor_page(ctx, code), "error": str(exc)}, s),
        )
    return saved(request, "/actors", {"removed": code}, lambda: _form_page(request, ctx, {}, None), status=200)

"""The vocabulary page (issue 5): dimensions and themes with their UN SDG targets. Everyone reads it; an
admin adds, changes and removes terms and restores the defaults (:mod:`nabolag.services.vocabulary`
checks the role and writes the audit entry). Others get no edit controls, and 403 on a POST.
"""

from __future__ import annotations

import re

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import HTMLResponse, Response

from nabolag.domain.vocabulary import Term
from nabolag.errors import ConflictError, InputError, NotFoundError
from nabolag.i18n import _
from nabolag.services import views_vocabulary as views
from nabolag.services import vocabulary
from nabolag.services.context import Context
from nabolag.web.deps import context, require_signed_in
from nabolag.web.participation_common import TEXT, failed, form_state, item_code, parsed, read_form, render, saved

router = APIRouter(tags=["vocabulary"])
signed_in = [Depends(require_signed_in)]
REFUSED = (InputError, ConflictError)
Kind = Path(max_length=20, pattern=TEXT, description="dimension eller theme")
FORM_BODY = {"required": True, "content": {"application/x-www-form-urlencoded": {"schema": {"type": "object"}}}}


def _page(
    request: Request,
    ctx: Context,
    form: dict[str, object] | None = None,
    status: int = 200,
    message: str = "",
    template: str = "vocabulary.html",
) -> Response:
    data = views.vocabulary_page(ctx)
    data.update(form=form or {}, message=message)
    return render(request, template, data, status)


def _term(values: dict[str, str]) -> Term:
    def read(c):  # type: ignore[no-untyped-def]
        order = c.integer("sort_order")
        return Term(
            kind=c.text("kind", True),
            code=c.text("code", True),
            name_nb=c.text("name_nb", True),  # type: ignore[arg-type]
            name_en=c.text("name_en"),
            description=c.text("description"),
            sdg_targets=tuple(t for t in re.split(r"[\s,;]+", c.text("sdg_targets")) if t),
            sort_order=order or 0,
        )

    return parsed(values, read)  # type: ignore[no-any-return]


def _stored(ctx: Context, kind: str, code: str) -> Term:
    found = [t for t in vocabulary.list_terms(ctx) if str(t.kind) == kind and t.code == code]
    if not found:
        raise NotFoundError(_("Ukjent {kind}: {code}", kind=kind, code=code))
    return found[0]


def _values(t: Term) -> dict[str, str]:
    return {
        "kind": str(t.kind),
        "code": t.code,
        "name_nb": t.name_nb,
        "name_en": t.name_en,
        "description": t.description,
        "sdg_targets": ", ".join(t.sdg_targets),
        "sort_order": str(t.sort_order),
    }


def _term_json(t: Term) -> dict[str, object]:
    return {**_values(t), "sdg_targets": list(t.sdg_targets), "sort_order": t.sort_order}


@router.get("/vocabulary.json")
def vocabulary_json(request: Request, ctx: Context = Depends(context)) -> Response:
    """Dimensions and themes with their SDG targets, and how they differ from the defaults."""
    return _page(request, ctx)


@router.get("/vocabulary", response_class=HTMLResponse)
def vocabulary_page(request: Request, ctx: Context = Depends(context)) -> Response:
    return _page(request, ctx)


@router.post("/vocabulary", dependencies=signed_in, openapi_extra={"requestBody": FORM_BODY}, status_code=201)
async def add_term(request: Request, ctx: Context = Depends(context)) -> Response:
    """Add a term (admin): kind, code, name_nb, name_en, description, sdg_targets (e.g. ``3.4, 11.7``)."""
    ctx.require_admin()
    values = await read_form(request)
    known = {(str(t.kind), t.code) for t in vocabulary.list_terms(ctx)}
    try:
        term = _term(values)
        if (str(term.kind), term.code) in known:
            raise ConflictError(_("«{code}» finnes alt; endre den i stedet", code=term.code))
        vocabulary.save_term(ctx, term)
    except REFUSED as exc:
        return failed(request, exc, lambda s, exc=exc: _page(request, ctx, form_state("term-new", values, exc), s))
    return saved(
        request,
        f"/vocabulary#term-{term.kind}-{term.code}",
        _term_json(term),
        lambda: _page(request, ctx, message=_("«{name}» er lagt til.", name=term.name_nb)),
    )


@router.post("/vocabulary/defaults", dependencies=signed_in)
def restore_defaults(request: Request, ctx: Context = Depends(context)) -> Response:
    """Put back every default term that is missing or changed (admin). Added terms stay."""
    changed = vocabulary.restore_defaults(ctx)
    return saved(
        request,
        "/vocabulary",
        {"restored": changed},
        lambda: _page(request, ctx, message=_("{n} standardbegreper er satt tilbake.", n=changed)),
        status=200,
    )


@router.get("/vocabulary/{kind}/{code}/edit", response_class=HTMLResponse, dependencies=signed_in)
def edit_term_page(
    request: Request, kind: str = Kind, code: str = item_code(), ctx: Context = Depends(context)
) -> Response:
    ctx.require_admin()
    t = _stored(ctx, kind, code)
    data = views.vocabulary_page(ctx)
    data.update(
        term={"kind": kind, "code": code, "name": t.name_nb}, form=form_state(f"term-{kind}-{code}", _values(t))
    )
    return render(request, "vocabulary_term.html", data)


@router.post("/vocabulary/{kind}/{code}", dependencies=signed_in, openapi_extra={"requestBody": FORM_BODY})
async def save_term(
    request: Request, kind: str = Kind, code: str = item_code(), ctx: Context = Depends(context)
) -> Response:
    """Change a term (admin); its kind and code stay."""
    ctx.require_admin()
    _stored(ctx, kind, code)
    values = {**await read_form(request), "kind": kind, "code": code}
    try:
        term = _term(values)
        vocabulary.save_term(ctx, term)
    except REFUSED as exc:

        def again(status: int, exc: Exception = exc) -> Response:
            data = views.vocabulary_page(ctx)
            data.update(
                term={"kind": kind, "code": code, "name": code}, form=form_state(f"term-{kind}-{code}", values, exc)
            )
            return render(request, "vocabulary_term.html", data, status)

        return failed(request, exc, again)
    return saved(
        request,
        f"/vocabulary#term-{kind}-{code}",
        _term_json(term),
        lambda: _page(request, ctx, message=_("«{name}» er lagret.", name=term.name_nb)),
        status=200,
    )


@router.post("/vocabulary/{kind}/{code}/remove", dependencies=signed_in)
def remove_term(
    request: Request, kind: str = Kind, code: str = item_code(), ctx: Context = Depends(context)
) -> Response:
    """Remove a term that no goal or input uses (admin; else 409)."""
    ctx.require_admin()
    try:
        vocabulary.remove_term(ctx, kind, code)
    except REFUSED as exc:
        return failed(
            request, exc, lambda s, exc=exc: _page(request, ctx, form_state(f"remove-{kind}-{code}", {}, exc), s)
        )
    return saved(
        request,
        "/vocabulary",
        {"removed": f"{kind}:{code}"},
        lambda: _page(request, ctx, message=_("«{code}» er fjernet.", code=code)),
        status=200,
    )

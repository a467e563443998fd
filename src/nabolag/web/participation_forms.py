"""Edit forms of the participation log, part one: add, edit and remove an event. The input forms are in
:mod:`participation_inputs`, which shares :func:`log_page` and :func:`require_edit` from here. Every route
needs a signed-in user; the services decide who may change the area (admin and analyst everywhere, a
coordinator its own areas) and write the audit entry. The app checks the CSRF token of every POST (field
``csrf_token`` or header ``X-CSRF-Token``).
"""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from nabolag.domain.participation import Event
from nabolag.domain.problems import Report
from nabolag.errors import ConflictError, InputError, NotFoundError
from nabolag.i18n import _
from nabolag.ingest.programme import event_from
from nabolag.ingest.programme_cells import Cells
from nabolag.services import participation
from nabolag.services import views_participation as views
from nabolag.services.context import Context
from nabolag.services.programme_base import writable_area
from nabolag.web.deps import context, require_signed_in
from nabolag.web.pages import TEMPLATES
from nabolag.web.participation_common import (
    area_code,
    failed,
    form_state,
    is_htmx,
    item_code,
    parsed,
    read_form,
    render,
    saved,
)

router = APIRouter(dependencies=[Depends(require_signed_in)], tags=["participation"])
REFUSED = (InputError, ConflictError)
FORM_BODY = {"required": True, "content": {"application/x-www-form-urlencoded": {"schema": {"type": "object"}}}}


def log_page(
    request: Request,
    ctx: Context,
    code: str,
    status: int = 200,
    form: dict[str, object] | None = None,
    message: str = "",
) -> Response:
    """The participation page (or, for htmx, its log fragment) with a form's state and a message."""
    data = views.participation_page(ctx, code)
    data.update(form=form or {}, message=message)
    if is_htmx(request):
        return TEMPLATES.TemplateResponse(request, "_participation_log.html", {"data": data}, status_code=status)
    return render(request, "participation.html", data, status)


def require_edit(ctx: Context, code: str) -> str:
    """The area's code, if the user may change it: checked before a form is read or shown (else 403)."""
    return writable_area(ctx, code).code


# ---- events ------------------------------------------------------------------------------------------


def _event_values(values: dict[str, str]) -> tuple[dict[str, str], Report]:
    """Form fields → the import's event cells: attendance from the total, the group fields and the list."""
    report = Report(_("skjemaet"))
    cells = Cells(dict(values), report, None)
    pairs = []
    total = cells.integer("att_all")
    if total is not None:
        pairs.append(f"all={total}")
    for i, group in enumerate(views.FORM_GROUPS):
        n = cells.integer(f"att_{i}")
        if n is not None:
            pairs.append(f"{group}={n}")
    other = values.get("attendance_other", "").strip()
    return {**values, "attendance": "; ".join([*pairs, other] if other else pairs)}, report


def _new_code(ctx: Context, area: str, kind: str, date: dt.date | None) -> str:
    base = f"{kind or 'arrangement'}-{date.isoformat() if date else dt.date.today().isoformat()}"
    taken = {e.code for e in participation.list_events(ctx, area)}
    n, code = 1, base
    while code in taken:
        n += 1
        code = f"{base}-{n}"
    return code


def _read_event(ctx: Context, area: str, values: dict[str, str], code: str | None) -> Event:
    cells, report = _event_values(values)
    if code is not None:
        cells["code"] = code
    elif not cells.get("code", "").strip():
        date = None
        try:
            date = dt.date.fromisoformat(cells.get("date", "").strip())
        except ValueError:
            pass
        cells["code"] = _new_code(ctx, area, cells.get("kind", ""), date)
    return parsed(cells, lambda c: event_from(c, area), report)  # type: ignore[no-any-return]


def event_values(e: Event) -> dict[str, str]:
    """An event as the form's fields (for the edit page)."""
    counts = dict(e.attendance)
    values = {
        "code": e.code,
        "kind": str(e.kind),
        "title": e.title,
        "date": e.date.isoformat(),
        "place": e.place,
        "organiser": e.organiser or "",
        "description": e.description,
        "att_all": "" if counts.get("all") is None else str(counts["all"]),
    }
    for i, group in enumerate(views.FORM_GROUPS):
        values[f"att_{i}"] = str(counts[group]) if group in counts else ""
    values["attendance_other"] = "\n".join(
        f"{g}={n}" for g, n in e.attendance if g != "all" and g not in views.FORM_GROUPS
    )
    return values


def _event_json(e: Event) -> dict[str, object]:
    return {
        "area": e.area_code,
        "code": e.code,
        "kind": str(e.kind),
        "title": e.title,
        "date": e.date.isoformat(),
        "place": e.place,
        "organiser": e.organiser,
        "attendance": dict(e.attendance),
        "description": e.description,
    }


@router.post("/areas/{code}/participation/events", openapi_extra={"requestBody": FORM_BODY}, status_code=201)
async def add_event(request: Request, code: str = area_code(), ctx: Context = Depends(context)) -> Response:
    """Add an event (kind, title, date, place, organiser, attendance by group). An empty code gets one
    made of the kind and the date."""
    values = await read_form(request)
    area = require_edit(ctx, code)
    try:
        e = participation.save_event(ctx, _read_event(ctx, area, values, None))
    except REFUSED as exc:
        return failed(
            request, exc, lambda s, exc=exc: log_page(request, ctx, area, s, form_state("event-new", values, exc))
        )
    return saved(
        request,
        f"/areas/{area}/participation#event-{e.code}",
        _event_json(e),
        lambda: log_page(request, ctx, area, message=_("Arrangementet «{title}» er lagret.", title=e.title)),
    )


def _stored_event(ctx: Context, area: str, code: str) -> Event:
    found = [e for e in participation.list_events(ctx, area) if e.code == code]
    if not found:
        raise NotFoundError(_("Ukjent arrangement i {area}: {code}", area=area, code=code))
    return found[0]


def _edit_page(
    request: Request,
    ctx: Context,
    area: str,
    event: str,
    values: dict[str, str],
    error: Exception | None = None,
    status: int = 200,
) -> Response:
    data = views.participation_page(ctx, area)
    data.update(event=event, form=form_state(f"event-{event}", values, error))
    return render(request, "participation_event.html", data, status)


@router.get("/areas/{code}/participation/events/{event}/edit", response_class=HTMLResponse)
def edit_event_page(
    request: Request, code: str = area_code(), event: str = item_code(), ctx: Context = Depends(context)
) -> Response:
    """The form to change an event (for those who may change the area)."""
    area = require_edit(ctx, code)
    return _edit_page(request, ctx, area, event, event_values(_stored_event(ctx, area, event)))


@router.post("/areas/{code}/participation/events/{event}", openapi_extra={"requestBody": FORM_BODY})
async def save_event(
    request: Request, code: str = area_code(), event: str = item_code(), ctx: Context = Depends(context)
) -> Response:
    """Change an event; its code stays."""
    values = await read_form(request)
    area = require_edit(ctx, code)
    _stored_event(ctx, area, event)
    try:
        e = participation.save_event(ctx, _read_event(ctx, area, values, event))
    except REFUSED as exc:
        return failed(request, exc, lambda s, exc=exc: _edit_page(request, ctx, area, event, values, exc, s))
    return saved(
        request,
        f"/areas/{area}/participation#event-{e.code}",
        _event_json(e),
        lambda: log_page(request, ctx, area, message=_("Arrangementet «{title}» er lagret.", title=e.title)),
        status=200,
    )


@router.post("/areas/{code}/participation/events/{event}/remove")
def remove_event(
    request: Request, code: str = area_code(), event: str = item_code(), ctx: Context = Depends(context)
) -> Response:
    """Remove an event; its inputs stay, without the link to it."""
    area = require_edit(ctx, code)
    participation.remove_event(ctx, area, event)
    return saved(
        request,
        f"/areas/{area}/participation#events",
        {"removed": event},
        lambda: log_page(request, ctx, area, message=_("Arrangementet {code} er fjernet.", code=event)),
        status=200,
    )

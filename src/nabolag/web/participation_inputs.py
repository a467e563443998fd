"""Edit forms of the participation log, part two: add an input, answer it or change its status, remove it.
Like the event forms (:mod:`participation_forms`): a signed-in user, the right to change the area (checked
before the form is read), the services' checks and audit entry, and CSRF on every POST."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from nabolag.domain.participation import Input, InputStatus
from nabolag.i18n import _
from nabolag.ingest.programme import input_from
from nabolag.ingest.programme_cells import Cells
from nabolag.services import participation
from nabolag.services.context import Context
from nabolag.web.deps import context, require_signed_in
from nabolag.web.participation_common import area_code, failed, form_state, item_code, parsed, read_form, saved
from nabolag.web.participation_forms import FORM_BODY, REFUSED, log_page, require_edit

router = APIRouter(dependencies=[Depends(require_signed_in)], tags=["participation"])


def _input_json(i: Input) -> dict[str, object]:
    return {
        "area": i.area_code,
        "code": i.code,
        "text": i.text,
        "received": i.received.isoformat(),
        "event": i.event,
        "theme": i.theme,
        "measure": i.measure,
        "status": str(i.status),
        "answer": i.answer,
        "answered": i.answered.isoformat() if i.answered else None,
    }


@router.post("/areas/{code}/participation/inputs", openapi_extra={"requestBody": FORM_BODY}, status_code=201)
async def add_input(request: Request, code: str = area_code(), ctx: Context = Depends(context)) -> Response:
    """Add an input (text, date received, and the event, theme and measure it belongs to). It gets the
    next code ``innspill-N`` and the status «received»."""
    values = await read_form(request)
    area = require_edit(ctx, code)
    cells = {**values, "code": "", "status": str(InputStatus.RECEIVED), "answer": "", "answered": ""}
    try:
        i = participation.save_input(ctx, parsed(cells, lambda c: input_from(c, area)))
    except REFUSED as exc:
        return failed(
            request, exc, lambda s, exc=exc: log_page(request, ctx, area, s, form_state("input-new", values, exc))
        )
    return saved(
        request,
        f"/areas/{area}/participation#input-{i.code}",
        _input_json(i),
        lambda: log_page(request, ctx, area, message=_("Innspillet {code} er lagret.", code=i.code)),
    )


def _read_answer(values: dict[str, str], current: Input) -> Input:
    def read(c: Cells) -> Input:
        status = c.choice("status", InputStatus)
        answer = c.text("answer")
        answered = c.date("answered")
        if answer and answered is None and not c.text("answered"):
            answered = dt.date.today()
        return replace(current, status=status or current.status, answer=answer, answered=answered)

    return parsed(values, read)  # type: ignore[no-any-return]


@router.post("/areas/{code}/participation/inputs/{item}/answer", openapi_extra={"requestBody": FORM_BODY})
async def answer_input(
    request: Request, code: str = area_code(), item: str = item_code(), ctx: Context = Depends(context)
) -> Response:
    """Give the municipality's answer to an input and set its status (fields ``status``, ``answer``,
    ``answered``; an answer without a date is dated today). The answer is published on «Dere sa, vi gjorde»."""
    values = await read_form(request)
    area = require_edit(ctx, code)
    current = participation.get_input(ctx, area, item)
    try:
        i = participation.save_input(ctx, _read_answer(values, current))
    except REFUSED as exc:
        return failed(
            request, exc, lambda s, exc=exc: log_page(request, ctx, area, s, form_state(f"answer-{item}", values, exc))
        )
    return saved(
        request,
        f"/areas/{area}/participation#input-{i.code}",
        _input_json(i),
        lambda: log_page(
            request,
            ctx,
            area,
            form={"id": f"answer-{item}", "saved": True},
            message=_("Svaret på {code} er lagret.", code=i.code),
        ),
        status=200,
    )


@router.post("/areas/{code}/participation/inputs/{item}/remove")
def remove_input(
    request: Request, code: str = area_code(), item: str = item_code(), ctx: Context = Depends(context)
) -> Response:
    """Remove an input."""
    area = require_edit(ctx, code)
    participation.remove_input(ctx, area, item)
    return saved(
        request,
        f"/areas/{area}/participation#inputs",
        {"removed": item},
        lambda: log_page(request, ctx, area, message=_("Innspillet {code} er fjernet.", code=item)),
        status=200,
    )

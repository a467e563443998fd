"""What the participation, actor and vocabulary routes share: answer HTML or JSON from one dict, read a
form, turn an :class:`~nabolag.errors.InputError` into messages beside the fields, and tell htmx
requests from plain form posts.

A form post answers in one of three ways:

- ``Accept: application/json`` (a script): the saved object as JSON, or the error as JSON (422);
- htmx (``HX-Request: true``): the page's fragment re-rendered, with the errors beside the fields (422);
- a plain form: 303 to the page on success, or the whole page with the errors beside the fields (422).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import Path, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from nabolag.domain.problems import Report
from nabolag.errors import ConflictError, InputError
from nabolag.i18n import _
from nabolag.ingest.programme_cells import Cells
from nabolag.web.pages import TEMPLATES

TEXT = r"^[^\x00-\x1f\x7f]*$"


def area_code() -> Any:
    """A path parameter: an area's code or name. A new one per use: FastAPI keeps the parameter's name in it."""
    return Path(max_length=200, pattern=TEXT, description="Områdets kode eller navn, f.eks. groruddalen")


def item_code() -> Any:
    """A path parameter: the code of an event, input, actor or term (a new one per use, as above)."""
    return Path(max_length=60, pattern=TEXT, description="Koden, f.eks. fm-2024, innspill-3 eller ammerud-vel")


MAX_FIELDS = 40


def wants_json(request: Request) -> bool:
    from nabolag.web.app import wants_json as app_wants_json  # app.py imports the routers

    return app_wants_json(request)


def is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


def render(request: Request, template: str, data: dict[str, object], status: int = 200) -> Response:
    """The page, or its JSON twin for a client that asks for JSON. ``form`` (edit state) stays off the twin."""
    if wants_json(request):
        return JSONResponse({k: v for k, v in data.items() if k != "form"}, status_code=status)
    return TEMPLATES.TemplateResponse(request, template, {"data": data}, status_code=status)


async def read_form(request: Request) -> dict[str, str]:
    """The text fields of a posted form (files and the CSRF token left out)."""
    form = await request.form(max_files=0, max_fields=MAX_FIELDS)
    return {k: v for k, v in form.items() if isinstance(v, str) and k != "csrf_token"}


def form_state(form_id: str, values: dict[str, str], error: Exception | None = None) -> dict[str, object]:
    """What a template needs to show a form again: its id, the values sent, and the errors by field."""
    state: dict[str, object] = {"id": form_id, "values": values, "errors": {}, "problems": [], "message": ""}
    if isinstance(error, InputError):
        by_field: dict[str, list[str]] = {}
        for p in error.problems:
            text = p.message + (_("; forventet {expected}", expected=p.expected) if p.expected else "")
            by_field.setdefault(p.field or "", []).append(text)
        state.update(
            errors=by_field,
            message=error.message,
            problems=[{"field": p.field or "", "message": p.message} for p in error.problems],
        )
    elif error is not None:
        state.update(message=str(error))
    return state


def error_json(error: Exception, status: int) -> JSONResponse:
    if isinstance(error, InputError):
        return JSONResponse(
            {"error": error.message, "problems": [p.as_dict() for p in error.problems]}, status_code=status
        )
    return JSONResponse({"error": str(error)}, status_code=status)


def parsed(values: dict[str, str], reader: Callable[[Cells], Any], extra: Report | None = None) -> Any:
    """Read a form with the import's cell readers (``ingest/programme``): the object, or one InputError
    naming every bad field (with ``extra``'s problems too)."""
    report = extra or Report(_("skjemaet"))
    result = reader(Cells(dict(values), report, None))
    if report.errors:
        raise InputError(_("Skjemaet har {n} feil; ingenting er lagret", n=len(report.errors)), report.errors)
    return result


def saved(
    request: Request, location: str, obj: dict[str, object], refresh: Callable[[], Response], status: int = 201
) -> Response:
    """The answer to a successful save: JSON, the htmx fragment, or a redirect (303)."""
    if wants_json(request):
        return JSONResponse(obj, status_code=status, headers={"Location": location.split("#")[0]})
    if is_htmx(request):
        return refresh()
    return RedirectResponse(location, status_code=303)


def failed(request: Request, error: Exception, again: Callable[[int], Response]) -> Response:
    """The answer to a refused save: 422 for bad input, 409 for a conflict; nothing was saved."""
    status = 409 if isinstance(error, ConflictError) else 422
    if wants_json(request):
        return error_json(error, status)
    return again(status)

"""An area's reports on the web: stored reports for everyone; making one now for signed-in staff.

- ``GET /areas/{code}/reports.json``: the stored reports (anyone).
- ``GET /areas/{code}/reports/{id}``: a stored report's file, byte for byte (anyone).
- ``GET /areas/{code}/report.html`` / ``report.pdf`` (``kind``, ``language``, ``baseline``): the report made
  now, as a web page or a PDF download (signed in; a visitor is sent to the login page, an API call
  gets 401). Making a report costs seconds of CPU, so visitors never trigger it, and one report is made
  at a time.
- ``POST /areas/{code}/reports`` (form or JSON; CSRF token required): make the report and keep it (a role
  that writes, with the right to the area); 303 back to the area page, or 201 with the report as JSON.
"""

from __future__ import annotations

import threading
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from nabolag.errors import InputError
from nabolag.i18n import _, get_language
from nabolag.reports import store
from nabolag.services import zones
from nabolag.services.context import Context
from nabolag.web.deps import context, require_signed_in
from nabolag.web.pages import TEXT, AreaCode

router = APIRouter(tags=["reports"])

#: A report page stands alone: its own inline styles and data: images, no scripts, no requests.
REPORT_CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; "
              "frame-ancestors 'none'; base-uri 'none'; form-action 'none'")
#: One report is made at a time; a request that comes while one is being made gets 503 at once (waiting
#: would hold a worker thread: enough waiting requests would stall every other route).
_making = threading.BoundedSemaphore(1)

Kind = Query("baseline", max_length=20, pattern=TEXT, description="baseline (nullpunkt) eller follow-up")
Language = Query(None, max_length=5, pattern=TEXT, description="Rapportens språk: nb eller en (standard: sidens)")
BaselineLabel = Query(None, max_length=100, pattern=TEXT, description="Nullpunktets navn (standard: det nyeste)")
ReportId = Path(ge=1, le=2**31 - 1, description="Den lagrede rapportens nummer")


def _headers(r: store.StoredReport | None, file_name: str, fmt: str, inline: bool = False) -> dict[str, str]:
    headers = {"Content-Disposition": f'{"inline" if inline else "attachment"}; filename="{file_name}"',
               "X-Content-Type-Options": "nosniff"}
    if fmt == "html":
        headers["Content-Security-Policy"] = REPORT_CSP
    if r is not None:
        headers["ETag"] = f'"{r.sha256}"'
    return headers


@router.get("/areas/{code}/reports.json")
def reports_json(code: Annotated[str, AreaCode], ctx: Context = Depends(context)) -> dict[str, object]:
    """The area's stored reports, newest first (links, type, language, size, SHA-256, synthetic or not)."""
    staff = not ctx.is_public
    return {"area": code, "reports": [r.as_dict(staff) for r in store.list_reports(ctx, code)]}


@router.get("/areas/{code}/reports/{report_id}", response_class=Response,
            responses={200: {"content": {"application/pdf": {}, "text/html": {}}}})
def stored_report(code: Annotated[str, AreaCode], report_id: Annotated[int, ReportId],
                  ctx: Context = Depends(context)) -> Response:
    """A stored report's file, exactly as it was made."""
    r = store.get_report(ctx, code, report_id)
    return Response(r.content, media_type=r.media_type, headers=_headers(r, r.file_name, r.format))


def _file_name(code: str, kind: str, lang: str, fmt: str) -> str:
    """``groruddalen-baseline-nb.pdf``: ASCII letters, digits, ``-`` and ``_`` only (safe in a header)."""
    return f"{store.safe_name(f'{code}-{kind}-{lang}')[:120]}.{fmt}"


def _busy() -> Response:
    return JSONResponse({"error": _("En annen rapport lages nå; prøv igjen om litt.")}, status_code=503,
                        headers={"Retry-After": "30"})


@router.get("/areas/{code}/report.html", response_class=Response, dependencies=[Depends(require_signed_in)],
            responses={200: {"content": {"text/html": {}}}})
async def report_page(code: Annotated[str, AreaCode], kind: str = Kind, language: str | None = Language,
                      baseline: str | None = BaselineLabel, ctx: Context = Depends(context)) -> Response:
    """The area's report made now, as a web page (signed-in staff)."""
    return await _made_now(ctx, code, kind, language or get_language(), "html", baseline)


@router.get("/areas/{code}/report.pdf", response_class=Response, dependencies=[Depends(require_signed_in)],
            responses={200: {"content": {"application/pdf": {}}}})
async def report_pdf(code: Annotated[str, AreaCode], kind: str = Kind, language: str | None = Language,
                     baseline: str | None = BaselineLabel, ctx: Context = Depends(context)) -> Response:
    """The area's report made now, as a PDF download (signed-in staff)."""
    return await _made_now(ctx, code, kind, language or get_language(), "pdf", baseline)


async def _made_now(ctx: Context, code: str, kind: str, lang: str, fmt: str, baseline: str | None) -> Response:
    """The report made now (one at a time: 503 at once while another is being made); HTML shown in the page,
    PDF as a download."""
    store.check_request(kind, lang, fmt)
    if not _making.acquire(blocking=False):
        return _busy()
    try:
        made = await run_in_threadpool(store.generate, ctx, code, kind, lang, fmt, baseline)
    finally:
        _making.release()
    return Response(made.content, media_type=store.MEDIA_TYPES[fmt],
                    headers=_headers(None, _file_name(code, kind, lang, fmt), fmt, inline=fmt == "html"))


async def _fields(request: Request) -> dict[str, str]:
    if request.headers.get("content-type", "").startswith("application/json"):
        try:
            data = await request.json()
        except ValueError:
            raise InputError(_("Ugyldig JSON i forespørselen")) from None
        if not isinstance(data, dict):
            raise InputError(_("JSON-kroppen må være et objekt"))
    else:
        data = dict(await request.form())
    out = {k: str(data.get(k) or "").strip()[:100] for k in ("kind", "language", "baseline")}
    if any(ch in v for v in out.values() for ch in "\x00\r\n"):
        raise InputError(_("Ugyldige tegn i skjemaet"))
    return out


@router.post("/areas/{code}/reports", dependencies=[Depends(require_signed_in)], status_code=201)
async def save_report(request: Request, code: Annotated[str, AreaCode],
                      ctx: Context = Depends(context)) -> Response:
    """Make the area's report (PDF) and keep it; a role that writes, with the right to the area."""
    from nabolag.web.app import wants_json  # app.py imports this module

    f = await _fields(request)
    kind, lang = f["kind"] or "baseline", f["language"] or get_language()
    store.check_request(kind, lang, "pdf")
    ctx.require_write()
    area = zones.get_area(ctx, code)
    ctx.require_area(area.code)
    if not _making.acquire(blocking=False):
        return _busy()
    try:
        saved = await run_in_threadpool(store.generate_and_save, ctx, area.code, kind, lang, "pdf",
                                        f["baseline"] or None)
    finally:
        _making.release()
    if wants_json(request):
        return JSONResponse(saved.as_dict(staff=True), status_code=201,
                            headers={"Location": f"/areas/{area.code}/reports/{saved.id}"})
    return RedirectResponse(f"/areas/{area.code}#reports", status_code=303)

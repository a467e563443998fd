"""Observation pages (PLDP counts, issue 7), for signed-in users.

- ``GET /observe`` (+ ``.json``): the sites with their measure and sessions, and the CSV import form
  (:mod:`nabolag.web.observe_import`).
- ``GET /observe/{site}`` (+ ``.json``): the observer's phone form. The session is made on the phone (a
  random id) and every finished slot is queued in ``localStorage`` and sent when there is a connection.
- ``POST /observe/{site}/slots.json``: one slot ``{"session": {uid, date, start, slot_minutes, observer,
  weather, temperature_c, note}, "start": "HH:MM", "counts": [{movement, count, age_band, gender, activity,
  group_size}]}``: :func:`observation_sessions.upload_slot` with the session's header, so a slot that
  arrives first creates its session, and a slot sent again replaces itself (never counted twice). The
  session's CSRF token goes in ``X-CSRF-Token`` (the app-wide check).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from nabolag.domain.observation_session import ObservationSession, parse_time
from nabolag.errors import ConflictError, InputError
from nabolag.i18n import _
from nabolag.services import observation_sessions
from nabolag.services.context import Context
from nabolag.services.views_observation import form_page, sites_page
from nabolag.web import observe_import
from nabolag.web.deps import context, require_signed_in
from nabolag.web.mapping_staff import render

router = APIRouter(dependencies=[Depends(require_signed_in)], tags=["observation"])
router.include_router(observe_import.router)
SITE = r"^[a-z0-9][a-z0-9_-]{0,59}$"
MAX_SLOT_BYTES = 128 * 1024
JSON_BODY = {"content": {"application/json": {"schema": {"type": "object"}}}}


def site_code() -> Any:
    return Path(max_length=60, pattern=SITE, description="Observasjonsstedets kode")


@router.get("/observe.json")
def sites_json(request: Request, ctx: Context = Depends(context)) -> Response:
    """Every observation site with its measure and sessions (slots, people counted, people per hour)."""
    return render(request, "observe_sites.html", sites_page(ctx))


@router.get("/observe", response_class=HTMLResponse)
def sites(request: Request, ctx: Context = Depends(context)) -> Response:
    return render(request, "observe_sites.html", sites_page(ctx))


@router.get("/observe/{site}.json")
def form_json(request: Request, site: str = site_code(), ctx: Context = Depends(context)) -> Response:
    """The phone form's choices and the site's sessions."""
    return render(request, "observe.html", form_page(ctx, site, ctx.actor))


@router.get("/observe/{site}", response_class=HTMLResponse)
def form(request: Request, site: str = site_code(), ctx: Context = Depends(context)) -> Response:
    return render(request, "observe.html", form_page(ctx, site, ctx.actor))


def _session(site: str, data: object) -> ObservationSession:
    if not isinstance(data, dict):
        raise InputError(_("Forventet økten som et objekt"), [])
    try:
        day = dt.date.fromisoformat(str(data.get("date", "")))
    except ValueError:
        raise InputError(_("Økten kan ikke lagres: {reason}", reason=_("forventet en dato (ÅÅÅÅ-MM-DD)")),
                         []) from None
    start = parse_time(data.get("start"))
    if start is None:
        raise InputError(_("Økten kan ikke lagres: {reason}", reason=_("forventet klokkeslett TT:MM")), [])
    temp = data.get("temperature_c")
    try:
        temperature = None if temp in (None, "") else float(temp)
        minutes = int(data.get("slot_minutes") or 10)
    except (TypeError, ValueError):
        raise InputError(_("Økten kan ikke lagres: {reason}", reason=_("forventet tall")), []) from None
    return ObservationSession(uid=str(data.get("uid", ""))[:120], site=site, date=day, start=start,
                              slot_minutes=minutes, observer=str(data.get("observer") or "")[:200],
                              weather=str(data.get("weather") or "")[:20], temperature_c=temperature,
                              note=str(data.get("note") or "")[:3000])


@router.post("/observe/{site}/slots.json", status_code=201, openapi_extra={"requestBody": JSON_BODY})
async def upload_slot(request: Request, site: str = site_code(), ctx: Context = Depends(context)) -> Response:
    """Store one slot (replacing the same slot sent before); creates the session on its first slot.
    201 ``{session, start, rows, total}``; 422 naming the field (``slot``, ``counts[i].<field>``, ``uid`` …)."""
    body = await request.body()
    if len(body) > MAX_SLOT_BYTES:
        return JSONResponse({"error": _("Luken er for stor: høyst {kb} KB", kb=MAX_SLOT_BYTES // 1024)},
                            status_code=413)
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        return JSONResponse({"error": _("Kan ikke lese JSON: {reason}", reason=str(exc)[:200])}, status_code=400)
    if not isinstance(data, dict) or not isinstance(data.get("counts"), list):
        return JSONResponse({"error": _("Forventet et objekt med session, start og counts")}, status_code=400)
    session = _session(site, data.get("session"))
    try:
        receipt = observation_sessions.upload_slot(ctx, session.uid, str(data.get("start", ""))[:8], data["counts"],
                                                   session=session)
    except ConflictError as exc:
        return JSONResponse({"error": str(exc)}, status_code=409)
    return JSONResponse({"session": receipt.session, "start": receipt.start, "rows": receipt.rows,
                         "total": receipt.total}, status_code=201)

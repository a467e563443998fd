"""Public-life observation (PLDP, issue 7): sites, sessions and idempotent slot uploads.

A phone may lose its connection in the middle of a session, so the web queues its writes and sends them
later, perhaps twice: :func:`start_session` takes the session's id from the client and gives the stored
session back when the id is already known; :func:`upload_slot` replaces a slot's counts (a slot is its
session and start time), so a slot sent again is stored once. Every write needs a writing role and the
right to the site's area, runs in one transaction and is audited (``observation_session``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import shapely

from nabolag.domain.observation_session import (
    ObservationSession,
    ObservationSite,
    SlotCount,
    phase_for,
    session_problems,
    site_problems,
    slot_problems,
)
from nabolag.errors import ConflictError
from nabolag.i18n import _
from nabolag.services.context import Context
from nabolag.services.observation_session_base import (
    SessionView,
    count_from,
    require_reader,
    require_site_rights,
    session_audit,
    session_row,
    site_row,
    time_of,
    to_view,
)
from nabolag.services.programme_base import fail
from nabolag.store import observation_session as repo
from nabolag.store import zones as zone_repo


def save_site(ctx: Context, site: ObservationSite) -> ObservationSite:
    """Create or change a site (by code). A measure is named by its code in the site's area."""
    where = _("observasjonsstedet {code}", code=site.code[:60])
    problems = site_problems(site)
    if site.geometry is not None:
        try:
            geom = shapely.from_wkb(site.geometry)
            if geom.geom_type not in ("Point", "Polygon", "MultiPolygon") or not geom.is_valid:
                problems.append(("geometry", _("forventet et gyldig punkt eller område")))
        except (shapely.errors.GEOSException, TypeError):
            problems.append(("geometry", _("geometrien kan ikke leses")))
    require_site_rights(ctx, site.area_code)
    fail(where, problems)
    with ctx.store.transaction() as conn:
        area_id = measure_id = None
        if site.area_code:
            found = zone_repo.get_area(conn, site.area_code)
            if found is None:
                fail(where, [("area", _("ukjent område: {code}", code=site.area_code[:60]))])
            area_id = found.id if found else None
            if site.measure and area_id is not None:
                m = repo.measure_id(conn, int(area_id), site.measure)
                if m is None:
                    fail(where, [("measure", _("ukjent tiltak i området: {code}", code=site.measure[:60]))])
                measure_id = m[0] if m else None
        old = repo.get_site(conn, site.code)
        if old is not None:
            require_site_rights(ctx, old["area"])
        repo.save_site(conn, site.code, {"name": site.name, "area_id": area_id, "measure_id": measure_id,
                                         "geometry": site.geometry, "reference_date": site.reference_date,
                                         "synthetic": site.synthetic})
        session_audit(conn, ctx, "save_site", site.code, {"measure": site.measure, "area": site.area_code})
    return site


def _to_site(r: dict[str, Any]) -> ObservationSite:
    return ObservationSite(code=r["code"], name=r["name"], area_code=r["area"], measure=r["measure"],
                           geometry=r["geometry"], reference_date=r["reference_date"] or r["measure_start"],
                           synthetic=bool(r["synthetic"]))


def list_sites(ctx: Context) -> list[ObservationSite]:
    """Every site; ``reference_date`` is the site's own or else its measure's start."""
    require_reader(ctx)
    with ctx.store.read() as conn:
        return [_to_site(r) for r in repo.list_sites(conn)]


def get_site(ctx: Context, code: str) -> ObservationSite:
    require_reader(ctx)
    with ctx.store.read() as conn:
        return _to_site(site_row(conn, code))


@dataclass(frozen=True)
class SessionReceipt:
    session: SessionView
    duplicate: bool = False


def session_values(s: ObservationSession, site: dict[str, Any]) -> dict[str, Any]:
    phase = s.phase or phase_for(s.date, site["reference_date"] or site["measure_start"])
    return {"site_id": site["id"], "date": s.date, "start": s.start.strftime("%H:%M"), "slot_minutes": s.slot_minutes,
            "observer": s.observer, "weather": s.weather, "temperature_c": s.temperature_c, "phase": phase,
            "note": s.note, "synthetic": s.synthetic}


def start_session(ctx: Context, session: ObservationSession, source: str = "web") -> SessionReceipt:
    """Create a session with the client's id, or give back the stored one if the id is known (a retry).

    The phase (``before``/``after``) is computed from the site's reference date or its measure's start when
    not given. Raises :class:`InputError`, :class:`NotFoundError` (site), :class:`ConflictError` (the id is
    used at another site), :class:`PermissionDenied`."""
    where = _("observasjonsøkten {uid}", uid=session.uid[:100])
    fail(where, session_problems(session))
    with ctx.store.transaction() as conn:
        site = site_row(conn, session.site)
        require_site_rights(ctx, site["area"])
        done = repo.get_session(conn, session.uid)
        if done is not None:
            if done["site"] != session.site:
                raise ConflictError(_("Økt-id-en {uid} er brukt på et annet sted", uid=session.uid))
            return SessionReceipt(to_view(done, repo.session_counts(conn, [done["id"]])), duplicate=True)
        repo.insert_session(conn, {"uid": session.uid, "source": source, "actor": ctx.actor,
                                   **session_values(session, site)})
        session_audit(conn, ctx, "create", session.uid, {"site": session.site, "date": session.date})
        row = session_row(conn, session.uid)
        return SessionReceipt(to_view(row, []))


def update_session(ctx: Context, session: ObservationSession) -> SessionView:
    """Change a stored session's date, start, slot length, observer, weather, phase or note (not its site)."""
    fail(_("observasjonsøkten {uid}", uid=session.uid[:100]), session_problems(session))
    with ctx.store.transaction() as conn:
        row = session_row(conn, session.uid)
        require_site_rights(ctx, row["area"])
        site = site_row(conn, row["site"])
        values = session_values(session, site)
        values.pop("site_id")
        repo.update_session(conn, int(row["id"]), **values)
        session_audit(conn, ctx, "update", session.uid)
        return to_view(session_row(conn, session.uid), repo.session_counts(conn, [row["id"]]))


def delete_session(ctx: Context, uid: str) -> None:
    with ctx.store.transaction() as conn:
        row = session_row(conn, uid)
        require_site_rights(ctx, row["area"])
        repo.delete_session(conn, int(row["id"]))
        session_audit(conn, ctx, "delete", uid, {"site": row["site"], "date": row["date"]})


def get_session(ctx: Context, uid: str) -> SessionView:
    require_reader(ctx)
    with ctx.store.read() as conn:
        row = session_row(conn, uid)
        return to_view(row, repo.session_counts(conn, [row["id"]]))


def list_sessions(ctx: Context, site: str | None = None, area: str | None = None) -> list[SessionView]:
    """Sessions with their slots, by date and start; for one site or one area's sites."""
    require_reader(ctx)
    with ctx.store.read() as conn:
        rows = repo.list_sessions(conn, site=site, area_code=area)
        counts = repo.session_counts(conn, [r["id"] for r in rows])
    by_session: dict[int, list[dict[str, Any]]] = {}
    for c in counts:
        by_session.setdefault(int(c["session_id"]), []).append(c)
    return [to_view(r, by_session.get(int(r["id"]), [])) for r in rows]


@dataclass(frozen=True)
class SlotReceipt:
    session: str
    start: str
    rows: int
    total: int


def upload_slot(ctx: Context, uid: str, start: dt.time | str, counts: Sequence[SlotCount | Mapping[str, Any]],
                session: ObservationSession | None = None) -> SlotReceipt:
    """Store one slot's counts, replacing what was stored for the same session and start.

    ``counts`` are :class:`SlotCount` rows or their JSON; an empty list records a slot with nobody there.
    ``session`` (optional) creates the session first if its id is not known yet, so a queue that sends
    a slot before its session is not lost. Raises :class:`InputError` naming ``slot`` or
    ``counts[i].<field>``, :class:`NotFoundError` for an unknown session, :class:`PermissionDenied`."""
    where = _("tidsluken {start} i økten {uid}", start=str(start)[:8], uid=str(uid)[:100])
    when = time_of(start)
    if when is None:
        fail(where, [("slot", _("forventet klokkeslett TT:MM"))])
    parsed: list[SlotCount] = []
    problems: list[tuple[str, str]] = []
    for i, item in enumerate(counts, start=1):
        c, bad = count_from(item)
        problems += [(f"counts[{i}].{name}", msg) for name, msg in bad]
        if c is not None:
            parsed.append(c)
    fail(where, problems)
    if session is not None and session.uid == uid:
        start_session(ctx, session)
    with ctx.store.transaction() as conn:
        row = session_row(conn, uid)
        require_site_rights(ctx, row["area"])
        header = ObservationSession(uid=uid, site=row["site"], date=row["date"], start=time_of(row["start"]),
                                    slot_minutes=int(row["slot_minutes"]))  # type: ignore[arg-type]
        fail(where, slot_problems(header, when, parsed))  # type: ignore[arg-type]
        text = when.strftime("%H:%M")  # type: ignore[union-attr]
        repo.replace_slot(conn, int(row["id"]), text, [
            {"movement": str(c.movement), "age_band": c.age_band, "gender": c.gender, "activity": c.activity,
             "group_size": c.group_size, "count": c.count} for c in parsed])
        session_audit(conn, ctx, "slot", f"{uid}@{text}", {"rows": len(parsed), "total": sum(c.count for c in parsed)})
    return SlotReceipt(session=uid, start=text, rows=len(parsed), total=sum(c.count for c in parsed))

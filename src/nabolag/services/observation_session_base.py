"""Shared steps of the observation-session use cases: rights, the views the services return, audit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from nabolag.domain.observation_session import Movement, SlotCount, parse_time
from nabolag.errors import NotFoundError, PermissionDenied
from nabolag.i18n import _
from nabolag.services.context import ROLES_FOR_ALL_AREAS, Context
from nabolag.services.programme_base import audit
from nabolag.store import observation_session as repo


def require_site_rights(ctx: Context, area_code: str | None) -> None:
    """Change a site or its sessions: a writing role; the site's area for a coordinator; a site without an
    area: admin or analyst."""
    ctx.require_write()
    if area_code:
        ctx.require_area(area_code)
    elif ctx.role not in ROLES_FOR_ALL_AREAS:
        raise PermissionDenied(_("Bare administrator eller analytiker kan endre et observasjonssted uten område "
                                 "(rollen er «{role}»)", role=ctx.role))


def require_reader(ctx: Context) -> None:
    """Single sessions are for signed-in users; the public sees published use indicators only."""
    if ctx.is_public:
        raise PermissionDenied(_("Observasjonsøkter er bare for innloggede brukere"))


def site_row(conn: Any, code: str) -> dict[str, Any]:
    row = repo.get_site(conn, code)
    if row is None:
        raise NotFoundError(_("Ukjent observasjonssted: {code}", code=str(code)[:60]))
    return row


def session_row(conn: Any, uid: str) -> dict[str, Any]:
    row = repo.get_session(conn, uid)
    if row is None:
        raise NotFoundError(_("Ukjent observasjonsøkt: {uid}", uid=str(uid)[:100]))
    return row


def session_audit(conn: Any, ctx: Context, action: str, key: str, details: dict[str, object] | None = None) -> None:
    audit(conn, ctx, action, "observation_session", key, details)


@dataclass(frozen=True)
class SessionView:
    """A stored session with its slots: ``slots`` maps ``HH:MM`` to its count rows (an empty tuple: a slot
    observed with nobody there)."""

    uid: str
    site: str
    area: str | None
    date: dt.date
    start: str
    slot_minutes: int
    observer: str
    weather: str
    temperature_c: float | None
    phase: str
    note: str
    source: str
    synthetic: bool
    slots: dict[str, tuple[SlotCount, ...]] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(c.count for rows in self.slots.values() for c in rows)

    def as_dict(self) -> dict[str, object]:
        return {"uid": self.uid, "site": self.site, "area": self.area, "date": self.date.isoformat(),
                "start": self.start, "slot_minutes": self.slot_minutes, "observer": self.observer,
                "weather": self.weather, "temperature_c": self.temperature_c, "phase": self.phase,
                "note": self.note, "source": self.source, "synthetic": self.synthetic, "total": self.total,
                "slots": {s: [c.__dict__ | {"movement": str(c.movement)} for c in rows]
                          for s, rows in self.slots.items()}}


def to_view(row: dict[str, Any], counts: list[dict[str, Any]]) -> SessionView:
    slots: dict[str, list[SlotCount]] = {}
    for c in counts:
        rows = slots.setdefault(c["start"], [])
        if c["count"] is not None:
            rows.append(SlotCount(movement=Movement(c["movement"]), count=int(c["count"]), age_band=c["age_band"],
                                  gender=c["gender"], activity=c["activity"], group_size=c["group_size"]))
    return SessionView(uid=row["uid"], site=row["site"], area=row["area"], date=row["date"], start=row["start"],
                       slot_minutes=int(row["slot_minutes"]), observer=row["observer"], weather=row["weather"],
                       temperature_c=row["temperature_c"], phase=row["phase"], note=row["note"],
                       source=row["source"], synthetic=bool(row["synthetic"]),
                       slots={k: tuple(v) for k, v in sorted(slots.items())})


def count_from(data: SlotCount | Mapping[str, Any]) -> tuple[SlotCount | None, list[tuple[str, str]]]:
    """A count row from a :class:`SlotCount` or its JSON (``movement``, ``count``, ``age_band``, ``gender``,
    ``activity``, ``group_size``); numbers may come as text."""
    if isinstance(data, SlotCount):
        return data, []
    if not isinstance(data, Mapping):
        return None, [("counts", _("forventet et objekt med movement og count"))]
    try:
        movement = Movement(data.get("movement"))
    except ValueError:
        return None, [("movement", _("forventet moving eller staying"))]
    raw = data.get("count")
    count = int(raw) if isinstance(raw, str) and raw.strip().isdigit() else raw
    return SlotCount(movement=movement, count=count,  # type: ignore[arg-type]
                     age_band=str(data.get("age_band") or ""), gender=str(data.get("gender") or ""),
                     activity=str(data.get("activity") or ""), group_size=str(data.get("group_size") or "")), []


def time_of(value: dt.time | str) -> dt.time | None:
    return value if isinstance(value, dt.time) else parse_time(value)

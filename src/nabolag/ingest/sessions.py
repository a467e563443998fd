"""Observation sessions and their counts from a CSV file (one row per count; PLDP, issue 7).

Columns (header names as here; ``,`` or ``;`` between cells; UTF-8, a byte-order mark is fine)::

    session,site,date,start,slot_minutes,observer,weather,phase,slot,movement,age_band,gender,activity,group_size,count
    okt-1,ammerudgymmen,2020-05-12,17:00,10,Kari,sunny,,17:00,staying,15-24,female,physical_activity,2,3

``session`` is the session's id (the same on every row of a session, whose header cells must agree);
``slot`` the slot's start; ``count`` people with these characteristics in the slot. A row with ``movement``
and ``count`` empty records a slot with nobody there. Required: session, site, date, start, slot. Every bad
cell is named by row (the header is row 1) and column.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field

from nabolag.domain.observation_session import (
    Movement,
    ObservationSession,
    SlotCount,
    count_problems,
    parse_time,
    session_problems,
    slot_problems,
)
from nabolag.domain.problems import Problem
from nabolag.i18n import _

COLUMNS = ("session", "site", "date", "start", "slot_minutes", "observer", "weather", "phase", "slot", "movement",
           "age_band", "gender", "activity", "group_size", "count")
REQUIRED = ("session", "site", "date", "start", "slot")
HEADER = ("session", "site", "date", "start", "slot_minutes", "observer", "weather", "phase")


@dataclass
class ParsedSessions:
    sessions: dict[str, ObservationSession] = field(default_factory=dict)
    slots: dict[str, dict[dt.time, list[SlotCount]]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    rows: int = 0
    first_row: dict[str, int] = field(default_factory=dict)
    """The row where each session first appears (for problems found later, e.g. an unknown site)."""


def read_sessions_text(text: str, file: str) -> ParsedSessions:
    """Parse the CSV ``text`` (named ``file`` in problems); the result's ``problems`` list every bad cell."""
    out = ParsedSessions()
    text = text.lstrip("\ufeff")
    first = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text), delimiter=";" if first.count(";") > first.count(",") else ",")
    header = [h.strip().lower() for h in next(reader, [])]
    unknown = [h for h in header if h not in COLUMNS]
    missing = [c for c in REQUIRED if c not in header]
    if unknown or missing or len(set(header)) != len(header):
        for h in unknown:
            out.problems.append(Problem(file, _("ukjent kolonne; forventet {cols}", cols=", ".join(COLUMNS)),
                                        row=1, field=h))
        for c in missing:
            out.problems.append(Problem(file, _("kolonnen mangler"), row=1, field=c))
        if len(set(header)) != len(header):
            out.problems.append(Problem(file, _("en kolonne står to ganger"), row=1))
        return out
    headers: dict[str, tuple[str, ...]] = {}
    seen: set[tuple[str, dt.time, tuple[str, ...]]] = set()
    for n, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        out.rows += 1
        if len(cells) > len(header):
            out.problems.append(Problem(file, _("raden har {n} celler, men overskriften har {m} kolonner",
                                                n=len(cells), m=len(header)), row=n))
            continue
        row = {h: (cells[i].strip() if i < len(cells) else "") for i, h in enumerate(header)}
        _row(out, file, n, row, headers, seen)
    return out


def _row(out: ParsedSessions, file: str, n: int, row: dict[str, str], headers: dict[str, tuple[str, ...]],
         seen: set[tuple[str, dt.time, tuple[str, ...]]]) -> None:
    bad: list[tuple[str, str]] = [(c, _("mangler")) for c in REQUIRED if not row.get(c)]
    uid = row.get("session", "")
    key = tuple(row.get(c, "") for c in HEADER)
    if uid in headers and headers[uid] != key and uid:
        diff = [c for c, a, b in zip(HEADER, headers[uid], key, strict=True) if a != b]
        bad += [(c, _("er ulik det som står for økten {uid} lenger opp", uid=uid)) for c in diff]
    try:
        day = dt.date.fromisoformat(row["date"]) if row.get("date") else None
    except ValueError:
        bad.append(("date", _("forventet en dato ÅÅÅÅ-MM-DD")))
        day = None
    start, slot = parse_time(row.get("start")), parse_time(row.get("slot"))
    bad += [(c, _("forventet klokkeslett TT:MM"))
            for c, v in (("start", start), ("slot", slot)) if row.get(c) and v is None]
    minutes = row.get("slot_minutes") or "10"
    if not minutes.isdigit():
        bad.append(("slot_minutes", _("forventet et helt antall minutter")))
    count = None
    if row.get("movement") or row.get("count"):
        count = _count(bad, row)
    if day is None or start is None or slot is None:
        out.problems += [Problem(file, m, row=n, field=c) for c, m in bad]
        return
    session = ObservationSession(uid=uid, site=row["site"], date=day, start=start, slot_minutes=int(minutes),
                                 observer=row.get("observer", ""), weather=row.get("weather", ""),
                                 phase=row.get("phase", ""))
    if uid not in headers:
        headers[uid] = key
        out.first_row[uid] = n
        bad += [("session" if c == "uid" else c, m) for c, m in session_problems(session)]
    bad += [("slot" if c == "slot" else c.split(".")[-1], m) for c, m in slot_problems(session, slot, [])]
    if count is not None:
        if (uid, slot, count.key()) in seen:
            bad.append(("count", _("samme økt, tidsluke og kjennetegn står på en tidligere rad")))
        seen.add((uid, slot, count.key()))
    if bad:
        out.problems += [Problem(file, m, row=n, field=c) for c, m in bad]
        return
    out.sessions.setdefault(uid, session)
    rows = out.slots.setdefault(uid, {}).setdefault(slot, [])
    if count is not None:
        rows.append(count)


def _count(bad: list[tuple[str, str]], row: dict[str, str]) -> SlotCount | None:
    try:
        movement = Movement(row.get("movement", ""))
    except ValueError:
        bad.append(("movement", _("forventet moving eller staying")))
        return None
    raw = row.get("count", "")
    if not raw.isdigit():
        bad.append(("count", _("forventet et helt tall 0–{max}", max=10_000)))
        return None
    c = SlotCount(movement=movement, count=int(raw), age_band=row.get("age_band", ""), gender=row.get("gender", ""),
                  activity=row.get("activity", ""), group_size=row.get("group_size", ""))
    found = count_problems(c)
    bad += found
    return None if found else c

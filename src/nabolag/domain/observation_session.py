"""Public-life observation sessions after Gehl's Public Life Data Protocol (PLDP). Plain data and checks.

An :class:`ObservationSite` is a place whose use is counted (usually a measure, such as an outdoor gym);
an :class:`ObservationSession` is one observer's visit on one date, in time slots of e.g. 10 minutes;
each slot holds :class:`SlotCount` rows: how many people, moving or staying, by perceived age band,
perceived gender, activity and group size. A slot is identified by its session and its start time, so a
phone that lost its connection can send it again: the new copy replaces the old one.

PLDP's components and our codes (docs/mapping.md has the table): *perceived gender* (female, male,
unknown), *perceived age* (the programme's bands ``0-4 5-14 15-24 25-44 45-64 65+``; PLDP's
25-64 band split in two), *moving mode* (walking, running, cycling, mobility aid, pushing a stroller,
other wheels), *posture* and *activity engagement* for people staying (one list: standing, sitting on
public seating, sitting on commercial/café seating, sitting informally, lying, physical activity
(PLDP «recreation active»), children playing, commercial activity, cultural activity, waiting for
transport (PLDP «waiting for transfer»), other) and *size of groups*.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from enum import StrEnum

from nabolag.domain.vocabulary import check_code
from nabolag.i18n import _


class Movement(StrEnum):
    MOVING = "moving"
    STAYING = "staying"


class Phase(StrEnum):
    """A session before or after the measure it follows (``""``: neither: not linked to a date)."""

    BEFORE = "before"
    AFTER = "after"


AGE_BANDS = ("0-4", "5-14", "15-24", "25-44", "45-64", "65+")
GENDERS = ("female", "male", "unknown")
MOVING_ACTIVITIES = ("walking", "running", "cycling", "mobility_aid", "stroller", "other_wheels", "other")
STAYING_ACTIVITIES = ("standing", "sitting_public", "sitting_commercial", "sitting_informal", "lying",
                      "physical_activity", "playing", "commercial", "cultural", "waiting_transport", "other")
GROUP_SIZES = ("1", "2", "3-5", "6+")
WEATHER = ("sunny", "cloudy", "rain", "snow", "fog", "windy", "cold")
"""PLDP's «climate» codes, with Norway's snow; rain for PLDP's rainy and thunder."""
SLOT_MINUTES = (5, 10, 15, 20, 30, 60)
MAX_COUNT = 10_000
UID_PATTERN = re.compile(r"^[A-Za-z0-9_-]{8,100}$")
"""A session id the client makes (a UUID or ``secrets.token_urlsafe()``)."""
_TIME = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
EVENING_FROM = dt.time(18, 0)
"""Slots starting at or after 18:00 are «evening» (kveld) in the use indicators."""


def parse_time(text: object) -> dt.time | None:
    """``HH:MM`` (24 h) as a time, or None.

    >>> parse_time("18:30"), parse_time("7:5"), parse_time("24:00")
    (datetime.time(18, 30), None, None)
    """
    m = _TIME.match(str(text).strip()) if text is not None else None
    return dt.time(int(m.group(1)), int(m.group(2))) if m else None


@dataclass(frozen=True)
class ObservationSite:
    """A place whose use is counted. ``geometry`` is WKB in EPSG:4326 (a point or a polygon).

    ``measure`` is the measure's code in ``area_code``; ``reference_date`` (optional) is the date
    sessions are before or after; without it the measure's start date is used."""

    code: str
    name: str
    area_code: str | None = None
    measure: str | None = None
    geometry: bytes | None = None
    reference_date: dt.date | None = None
    synthetic: bool = False


@dataclass(frozen=True)
class SlotCount:
    """People counted in one slot with the same characteristics. Empty strings: not recorded."""

    movement: Movement
    count: int
    age_band: str = ""
    gender: str = ""
    activity: str = ""
    group_size: str = ""

    def key(self) -> tuple[str, str, str, str, str]:
        return (str(self.movement), self.age_band, self.gender, self.activity, self.group_size)


@dataclass(frozen=True)
class ObservationSession:
    """One observer's visit to a site. ``uid`` is made by the client (so a phone can create it offline);
    ``phase`` is ``before``/``after`` the measure (computed from the site's reference date when not given)."""

    uid: str
    site: str
    date: dt.date
    start: dt.time
    slot_minutes: int = 10
    observer: str = ""
    weather: str = ""
    temperature_c: float | None = None
    phase: str = ""
    note: str = ""
    synthetic: bool = False
    slots: dict[dt.time, tuple[SlotCount, ...]] = field(default_factory=dict, compare=False)


Problems = list[tuple[str, str]]


def site_problems(s: ObservationSite) -> Problems:
    problems: Problems = []
    if (bad := check_code(s.code)) is not None:
        problems.append(("code", bad))
    if not s.name.strip() or len(s.name) > 200:
        problems.append(("name", _("må ha 1–{n} tegn", n=200)))
    if s.measure and not s.area_code:
        problems.append(("measure", _("et tiltak hører til et område; oppgi området også")))
    return problems


def session_problems(s: ObservationSession) -> Problems:
    problems: Problems = []
    if not UID_PATTERN.match(s.uid):
        problems.append(("uid", _("forventet 8–100 tegn: A–Z, a–z, 0–9, _ eller -")))
    if s.slot_minutes not in SLOT_MINUTES:
        problems.append(("slot_minutes", _("forventet en av {values}", values=", ".join(map(str, SLOT_MINUTES)))))
    if s.weather and s.weather not in WEATHER:
        problems.append(("weather", _("forventet en av {values}", values=", ".join(WEATHER))))
    if s.phase and s.phase not in (Phase.BEFORE, Phase.AFTER):
        problems.append(("phase", _("forventet before eller after")))
    if len(s.observer) > 100:
        problems.append(("observer", _("høyst {n} tegn", n=100)))
    if len(s.note) > 2000:
        problems.append(("note", _("høyst {n} tegn", n=2000)))
    if s.temperature_c is not None and not -50 <= s.temperature_c <= 50:
        problems.append(("temperature_c", _("forventet −50 til 50 °C")))
    return problems


def count_problems(c: SlotCount) -> Problems:
    """``(field, message)`` for one count row."""
    problems: Problems = []
    if isinstance(c.count, bool) or not isinstance(c.count, int) or not 0 <= c.count <= MAX_COUNT:
        problems.append(("count", _("forventet et helt tall 0–{max}", max=MAX_COUNT)))
    if c.age_band and c.age_band not in AGE_BANDS:
        problems.append(("age_band", _("forventet en av {values}", values=", ".join(AGE_BANDS))))
    if c.gender and c.gender not in GENDERS:
        problems.append(("gender", _("forventet en av {values}", values=", ".join(GENDERS))))
    allowed = MOVING_ACTIVITIES if c.movement == Movement.MOVING else STAYING_ACTIVITIES
    if c.activity and c.activity not in allowed:
        problems.append(("activity", _("for {movement} forventet en av {values}", movement=str(c.movement),
                                       values=", ".join(allowed))))
    if c.group_size and c.group_size not in GROUP_SIZES:
        problems.append(("group_size", _("forventet en av {values}", values=", ".join(GROUP_SIZES))))
    return problems


def slot_problems(session: ObservationSession, start: dt.time, counts: list[SlotCount]) -> Problems:
    """Problems of one slot's upload: its start must be on the session's slot grid, at or after the
    session's start; each count row valid; no two rows with the same characteristics."""
    problems: Problems = []
    offset = (start.hour * 60 + start.minute) - (session.start.hour * 60 + session.start.minute)
    if offset < 0 or offset % session.slot_minutes:
        problems.append(("slot", _("tidsluken må starte {start} eller et helt antall luker ({m} min) senere",
                                   start=session.start.strftime("%H:%M"), m=session.slot_minutes)))
    seen: set[tuple[str, ...]] = set()
    for i, c in enumerate(counts, start=1):
        problems += [(f"counts[{i}].{name}", msg) for name, msg in count_problems(c)]
        if c.key() in seen:
            problems.append((f"counts[{i}]", _("samme kjennetegn står to ganger i luken")))
        seen.add(c.key())
    return problems


def phase_for(day: dt.date, reference: dt.date | None) -> str:
    """``before`` if ``day`` is before ``reference``, ``after`` on or after it; ``""`` without one.

    >>> phase_for(dt.date(2020, 5, 1), dt.date(2021, 6, 1)), phase_for(dt.date(2021, 6, 1), dt.date(2021, 6, 1))
    ('before', 'after')
    """
    if reference is None:
        return ""
    return Phase.BEFORE.value if day < reference else Phase.AFTER.value

"""Children's map participation (Barnetråkk style): campaigns and contributions. Plain data and checks; no IO.

A :class:`MapCampaign` is one school's grade group mapping during a period; children open it with its
**access code** (no names, no accounts). A :class:`MapContribution` is one route (a line, with transport
mode and purpose) or one place (a point, with a category) with an optional short comment, grade and
gender. Geometry is WKB in EPSG:4326. Parsing a contribution from the JSON a phone sends is in
:mod:`nabolag.domain.mapping_parse`; the geometry checks in :mod:`nabolag.domain.mapping_geometry`.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from dataclasses import dataclass
from enum import StrEnum

from nabolag.domain.vocabulary import check_code
from nabolag.i18n import _


class CampaignStatus(StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"


class ContributionKind(StrEnum):
    ROUTE = "route"
    PLACE = "place"


class TransportMode(StrEnum):
    """How a route is travelled (Barnetråkk's «transportmiddel»)."""

    WALK = "walk"
    BIKE = "bike"
    BUS = "bus"
    TRAM = "tram"
    METRO = "metro"
    TRAIN = "train"
    CAR = "car"
    OTHER = "other"


class RoutePurpose(StrEnum):
    SCHOOL = "school"
    LEISURE = "leisure"
    OTHER = "other"


class PlaceCategory(StrEnum):
    """What a marked place is; the national object type in brackets.

    ``good`` (PositivOpplevelse), ``avoid`` — a place the child avoids or feels unsafe (NegativOpplevelse),
    ``traffic`` — a traffic danger (NegativOpplevelse, kind traffic), ``activity`` (Aktivitet)."""

    GOOD = "good"
    AVOID = "avoid"
    TRAFFIC = "traffic"
    ACTIVITY = "activity"


GENDERS = ("female", "male", "other")
LANGUAGES = ("nb", "nn", "en")
GRADE_GROUPS = ("1-4", "5-7", "8-10")
"""The usual grade groups (barnetrinn, mellomtrinn, ungdomstrinn); any ``N-M`` within 1–13 is taken."""
COMMENT_MAX_LENGTH = 300
NAME_MAX_LENGTH = 200
ACCESS_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
"""Access codes avoid letters and digits that look alike (I, O, 0, 1)."""
ACCESS_LENGTH = 8
_GRADE_GROUP = re.compile(r"^(\d{1,2})-(\d{1,2})$")


def new_access_code() -> str:
    """A fresh access code ``XXXX-XXXX`` (8 of 32 characters: 40 bits; children type it)."""
    raw = "".join(secrets.choice(ACCESS_ALPHABET) for _i in range(ACCESS_LENGTH))
    return f"{raw[:4]}-{raw[4:]}"


def normalise_access_code(text: object) -> str:
    """An access code as typed (``k7qz m3wx``, ``K7QZ-M3WX``) in its stored form ``K7QZ-M3WX``.

    >>> normalise_access_code(" k7qz m3wx ")
    'K7QZ-M3WX'
    """
    raw = re.sub(r"[\s-]", "", str(text)).upper()[:40]
    return f"{raw[:4]}-{raw[4:]}" if len(raw) == ACCESS_LENGTH else raw


def parse_grade_group(text: str) -> tuple[int, int] | None:
    """``(first, last)`` grade of a grade group such as ``5-7``, or None if it is not one (grades 1–13).

    >>> parse_grade_group("5-7"), parse_grade_group("7-5"), parse_grade_group("alle")
    ((5, 7), None, None)
    """
    m = _GRADE_GROUP.match(text.strip())
    if not m:
        return None
    low, high = int(m.group(1)), int(m.group(2))
    return (low, high) if 1 <= low <= high <= 13 else None


@dataclass(frozen=True)
class MapCampaign:
    """One school's grade group mapping routes and places in a period.

    ``access_code`` is what children type to open the map (stored as is, so teachers can see it again;
    see docs/mapping.md); ``teacher_code`` lets a teacher see the class's contributions without an account.
    ``bounds`` (WKB polygon, optional) limits where contributions may be; they must always lie inside the
    municipality. ``school_point`` (WKB point) and ``school_zone`` (zone code) are optional."""

    code: str
    title: str
    school: str
    grade_group: str
    opens: dt.date | None = None
    closes: dt.date | None = None
    area_code: str | None = None
    status: CampaignStatus = CampaignStatus.DRAFT
    languages: tuple[str, ...] = ("nb", "nn", "en")
    school_zone: str | None = None
    school_point: bytes | None = None
    bounds: bytes | None = None
    access_code: str = ""
    teacher_code: str = ""
    synthetic: bool = False
    created_at: dt.datetime | None = None

    def accepts_on(self, day: dt.date) -> bool:
        """Open for contributions on ``day``: status open and ``day`` within the period (if set)."""
        return (self.status == CampaignStatus.OPEN and (self.opens is None or day >= self.opens)
                and (self.closes is None or day <= self.closes))

    def as_dict(self, with_codes: bool = False) -> dict[str, object]:
        out: dict[str, object] = {
            "code": self.code, "title": self.title, "school": self.school, "grade_group": self.grade_group,
            "opens": _iso(self.opens), "closes": _iso(self.closes), "area": self.area_code,
            "status": str(self.status), "languages": list(self.languages), "school_zone": self.school_zone,
            "synthetic": self.synthetic}
        if with_codes:
            out |= {"access_code": self.access_code, "teacher_code": self.teacher_code}
        return out


def _iso(d: dt.date | None) -> str | None:
    return d.isoformat() if d else None


@dataclass(frozen=True)
class MapContribution:
    """One route or place drawn by a child. ``geometry`` is WKB in EPSG:4326 (LineString or Point).

    ``participant`` is an optional random id the child's device makes for one sitting (never a name): it
    lets the aggregation count distinct contributors; without it each contribution counts as one."""

    kind: ContributionKind
    geometry: bytes
    mode: TransportMode | None = None
    purpose: RoutePurpose | None = None
    category: PlaceCategory | None = None
    comment: str = ""
    grade: int | None = None
    gender: str | None = None
    language: str = "nb"
    participant: str | None = None


Problems = list[tuple[str, str]]


def campaign_problems(c: MapCampaign) -> Problems:
    """``(field, message)`` for everything wrong with a campaign's own fields (not its area or zone)."""
    problems: Problems = []
    bad = check_code(c.code)
    if bad:
        problems.append(("code", bad))
    for name, value in (("title", c.title), ("school", c.school)):
        if not value.strip() or len(value) > NAME_MAX_LENGTH:
            problems.append((name, _("må ha 1–{n} tegn", n=NAME_MAX_LENGTH)))
    if parse_grade_group(c.grade_group) is None:
        problems.append(("grade_group", _("forventet et klassetrinn som 1-4, 5-7 eller 8-10")))
    if c.opens and c.closes and c.closes < c.opens:
        problems.append(("closes", _("sluttdatoen er før startdatoen")))
    if not c.languages or any(lang not in LANGUAGES for lang in c.languages):
        problems.append(("languages", _("forventet en eller flere av {langs}", langs=", ".join(LANGUAGES))))
    return problems

"""Zones (statistical areas) and programme areas."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

#: Longest code and name the store keeps (``zone.code`` VARCHAR(40), ``zone.name`` VARCHAR(200)).
CODE_MAX_LENGTH = 40
NAME_MAX_LENGTH = 200


class Level(StrEnum):
    """Levels of statistical areas, smallest first."""

    GRID = "grid"
    GRUNNKRETS = "grunnkrets"
    DELBYDEL = "delbydel"
    LEVEKARSSONE = "levekarssone"
    BYDEL = "bydel"
    KOMMUNE = "kommune"
    FYLKE = "fylke"
    LAND = "land"

    @classmethod
    def parse(cls, text: str) -> Level:
        key = text.strip().lower().replace("å", "a").replace("levekårssone", "levekarssone")
        aliases = {"municipality": "kommune", "county": "fylke", "district": "bydel",
                   "sub-district": "delbydel", "basic-unit": "grunnkrets", "country": "land"}
        return cls(aliases.get(key, key))


class AreaStatus(StrEnum):
    PLANNED = "planned"
    ACTIVE = "active"
    ENDED = "ended"


class AreaRole(StrEnum):
    MEMBER = "member"
    COMPARISON = "comparison"


@dataclass(frozen=True)
class Zone:
    """A statistical area. ``geometry`` is WKB in EPSG:4326 (``source_crs`` records the original)."""

    code: str
    name: str
    level: Level
    parent_code: str | None = None
    geometry: bytes | None = None
    source_crs: str | None = None
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    id: int | None = None


@dataclass(frozen=True)
class Area:
    """A programme area (områdesatsing): a set of zones with dates, status and comparison zones."""

    code: str
    name: str
    zone_codes: tuple[str, ...] = ()
    comparison_codes: tuple[str, ...] = ()
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    status: AreaStatus = AreaStatus.PLANNED
    description: str = ""
    synthetic: bool = False
    id: int | None = None
    extra: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Transition:
    """A code change: ``from_code`` at ``level`` became ``to_code`` in ``to_year``."""

    level: str
    from_code: str
    to_code: str
    from_year: int
    to_year: int
    change_type: str  # merge, split, renumbered

"""Actors and associations: municipal departments, NAV, schools, housing companies, private actors,
voluntary organisations and local associations, with founding and dissolution, yearly members and
volunteers, and board roles.

Board roles name a person only by a pseudonymous reference (``person_ref``, e.g. ``p17``) that the
coordinator keeps; it lets one person on two boards count once, and is never published.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from nabolag.domain.programme import TEXT_MAX_LENGTH, TITLE_MAX_LENGTH, Problems
from nabolag.domain.vocabulary import check_code
from nabolag.i18n import _


class ActorKind(StrEnum):
    MUNICIPAL = "municipal_department"
    NAV = "nav"
    SCHOOL = "school"
    HOUSING = "housing_company"
    PRIVATE = "private"
    VOLUNTARY = "voluntary_organisation"
    ASSOCIATION = "local_association"


#: Kinds whose founding counts as «a new local association» and whose board roles count.
ASSOCIATION_KINDS = (ActorKind.ASSOCIATION, ActorKind.VOLUNTARY)


class BoardRoleKind(StrEnum):
    CHAIR = "chair"
    DEPUTY_CHAIR = "deputy_chair"
    TREASURER = "treasurer"
    SECRETARY = "secretary"
    MEMBER = "member"
    DEPUTY = "deputy"


@dataclass(frozen=True)
class BoardRole:
    person_ref: str
    role: BoardRoleKind
    resident: bool = True
    start: dt.date | None = None
    end: dt.date | None = None

    def held_in(self, year: int) -> bool:
        """The role was held at some time during ``year``."""
        return (self.start is None or self.start.year <= year) and (self.end is None or self.end.year >= year)


@dataclass(frozen=True)
class ActorYear:
    """Members and volunteers of an actor in a year (None: not known)."""

    year: int
    members: int | None = None
    volunteers: int | None = None


@dataclass(frozen=True)
class Actor:
    """An actor. ``area_code`` ties a local actor (an association, a school) to a programme area; actors
    that serve the whole municipality have none."""

    code: str
    name: str
    kind: ActorKind
    area_code: str | None = None
    founded: dt.date | None = None
    dissolved: dt.date | None = None
    description: str = ""
    years: tuple[ActorYear, ...] = ()
    board: tuple[BoardRole, ...] = ()
    synthetic: bool = False
    id: int | None = None

    def active_in(self, year: int) -> bool:
        return (self.founded is None or self.founded.year <= year) and \
            (self.dissolved is None or self.dissolved.year >= year)


def check_actor(a: Actor) -> Problems:
    """What is wrong with an actor by itself."""
    problems: Problems = []
    bad = check_code(a.code)
    if bad:
        problems.append(("code", bad))
    if not a.name.strip() or len(a.name) > TITLE_MAX_LENGTH:
        problems.append(("name", _("må ha {low}–{n} tegn", low=1, n=TITLE_MAX_LENGTH)))
    if len(a.description) > TEXT_MAX_LENGTH:
        problems.append(("description", _("må ha {low}–{n} tegn", low=0, n=TEXT_MAX_LENGTH)))
    if a.founded and a.dissolved and a.dissolved < a.founded:
        problems.append(("dissolved", _("nedlagt {end} er før stiftet {start}", end=a.dissolved, start=a.founded)))
    years = [y.year for y in a.years]
    if len(set(years)) != len(years):
        problems.append(("years", _("samme år er oppgitt flere ganger")))
    for y in a.years:
        if any(v is not None and v < 0 for v in (y.members, y.volunteers)):
            problems.append(("years", _("{year}: antall kan ikke være negativt", year=y.year)))
    for r in a.board:
        if not r.person_ref.strip() or len(r.person_ref) > 60:
            problems.append(("board", _("personreferansen må ha 1–60 tegn (et pseudonym, ikke et navn)")))
        if r.start and r.end and r.end < r.start:
            problems.append(("board", _("vervet for {ref} slutter før det begynner", ref=r.person_ref[:60])))
    return problems

"""The participation log (medvirkning): events with attendance by group, and the inputs (innspill) they
gave, with status and the municipality's answer. No personal data: an input has no submitter.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum

from nabolag.domain.programme import TEXT_MAX_LENGTH, TITLE_MAX_LENGTH, Problems, check_group
from nabolag.domain.vocabulary import check_code
from nabolag.i18n import _


class EventKind(StrEnum):
    FOLKEMOTE = "folkemote"
    ARBEIDSMOTE = "arbeidsmote"
    BEFARING = "befaring"
    TRYGGHETSVANDRING = "trygghetsvandring"
    NAERMILJOGRUPPE = "naermiljogruppe"
    WORKSHOP = "workshop"
    BARNETRAKK = "barnetrakk"
    KONTORTID = "kontortid"


class InputStatus(StrEnum):
    RECEIVED = "received"
    CONSIDERED = "considered"
    ADOPTED = "adopted"
    REJECTED = "rejected"
    DONE = "done"


def event_kind_label(kind: str) -> str:
    return {
        "folkemote": _("folkemøte"), "arbeidsmote": _("arbeidsmøte"), "befaring": _("befaring"),
        "trygghetsvandring": _("trygghetsvandring"), "naermiljogruppe": _("møte i nærmiljøgruppe"),
        "workshop": _("verksted"), "barnetrakk": _("Barnetråkk-økt"), "kontortid": _("åpen kontortid"),
    }.get(kind, kind)


def input_status_label(status: str) -> str:
    return {"received": _("mottatt"), "considered": _("vurdert"), "adopted": _("tatt med"),
            "rejected": _("ikke tatt med"), "done": _("gjennomført")}.get(status, status)


@dataclass(frozen=True)
class Event:
    """A participation event. ``attendance`` maps groups (``all``, ``age:13-19``, ``gender:female``,
    ``group:nyankomne`` …) to head counts; ``all`` is the total."""

    area_code: str
    code: str
    kind: EventKind
    title: str
    date: dt.date
    place: str = ""
    organiser: str | None = None
    attendance: tuple[tuple[str, int], ...] = ()
    description: str = ""
    synthetic: bool = False
    id: int | None = None

    @property
    def total(self) -> int | None:
        return dict(self.attendance).get("all")


@dataclass(frozen=True)
class Input:
    """An input (innspill): what was said, its theme, the measure it concerns, its status and the answer."""

    area_code: str
    code: str
    text: str
    received: dt.date
    event: str | None = None
    theme: str | None = None
    measure: str | None = None
    status: InputStatus = InputStatus.RECEIVED
    answer: str = ""
    answered: dt.date | None = None
    synthetic: bool = False
    id: int | None = None

    def answered_within(self, days: int) -> bool:
        return self.answered is not None and (self.answered - self.received).days <= days


_PERSONAL = (
    re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+"),  # e-mail address
    re.compile(r"(?<!\d)\d{6}\s?\d{5}(?!\d)"),  # national identity number (fødselsnummer)
    # Norwegian phone number: 8 digits, alone or grouped 3-2-3 or 2-2-2-2
    re.compile(r"(?<![\d-])(?:\+47\s?)?(?:\d{8}|\d{3} \d{2} \d{3}|\d{2} \d{2} \d{2} \d{2})(?![\d-])"),
)


def looks_personal(text: str) -> bool:
    """Whether ``text`` holds an e-mail address, a phone number or a national identity number.

    >>> looks_personal("Ring meg på 912 34 567"), looks_personal("Mer lys i tunnelen ved Ammerud i 2024")
    (True, False)
    """
    return any(p.search(text) for p in _PERSONAL)


def check_event(e: Event) -> Problems:
    problems: Problems = []
    bad = check_code(e.code)
    if bad:
        problems.append(("code", bad))
    if not e.title.strip() or len(e.title) > TITLE_MAX_LENGTH:
        problems.append(("title", _("må ha {low}–{n} tegn", low=1, n=TITLE_MAX_LENGTH)))
    if len(e.place) > TITLE_MAX_LENGTH or len(e.description) > TEXT_MAX_LENGTH:
        problems.append(("place", _("for lang tekst")))
    groups = [g for g, _n in e.attendance]
    if len(set(groups)) != len(groups):
        problems.append(("attendance", _("samme gruppe er oppgitt flere ganger")))
    for g, n in e.attendance:
        bad = check_group(g)
        if bad:
            problems.append(("attendance", bad))
        if n < 0:
            problems.append(("attendance", _("antall for {group} kan ikke være negativt", group=g)))
    total = e.total
    if total is not None and any(n > total for g, n in e.attendance):
        problems.append(("attendance", _("en gruppe har flere deltakere enn totalen ({total})", total=total)))
    return problems


def check_input(i: Input) -> Problems:
    problems: Problems = []
    bad = check_code(i.code)
    if bad:
        problems.append(("code", bad))
    if not i.text.strip() or len(i.text) > TEXT_MAX_LENGTH:
        problems.append(("text", _("må ha {low}–{n} tegn", low=1, n=TEXT_MAX_LENGTH)))
    if len(i.answer) > TEXT_MAX_LENGTH:
        problems.append(("answer", _("må ha {low}–{n} tegn", low=0, n=TEXT_MAX_LENGTH)))
    if bool(i.answer.strip()) != (i.answered is not None):
        problems.append(("answered", _("svar og svardato hører sammen: oppgi begge eller ingen")))
    if i.answered and i.answered < i.received:
        problems.append(("answered", _("svardato {answered} er før innspillet kom inn {received}",
                                       answered=i.answered, received=i.received)))
    for name, text in (("text", i.text), ("answer", i.answer)):
        if looks_personal(text):
            problems.append((name, _("teksten ser ut til å inneholde personopplysninger (e-post, telefonnummer "
                                     "eller fødselsnummer); innspill publiseres og skal ikke ha det")))
    if i.status in (InputStatus.ADOPTED, InputStatus.REJECTED, InputStatus.DONE) and not i.answer.strip():
        problems.append(("answer", _("status «{status}» krever kommunens svar", status=input_status_label(i.status))))
    return problems

"""The area programme: goals (mål), measures (tiltak) with milestones, and the indicators each is expected
to move, with the method of measurement. Pure checks and the progress roll-up; no IO.

The chain the documents ask for: goal → measures → indicators → method → baseline / target / latest.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from nabolag.domain.indicators import Method
from nabolag.domain.vocabulary import check_code
from nabolag.i18n import _

TITLE_MAX_LENGTH = 200
TEXT_MAX_LENGTH = 10_000
METHODS = tuple(str(m) for m in Method)


class MeasureKind(StrEnum):
    PHYSICAL = "physical"
    SOCIAL = "social"
    SERVICE = "service"


class MeasureStatus(StrEnum):
    IDEA = "idea"
    PLANNED = "planned"
    UNDER_WAY = "under_way"
    DONE = "done"
    STOPPED = "stopped"


def measure_kind_label(kind: str) -> str:
    return {"physical": _("fysisk"), "social": _("sosialt"), "service": _("tjeneste")}.get(kind, kind)


def measure_status_label(status: str) -> str:
    return {"idea": _("idé"), "planned": _("planlagt"), "under_way": _("i gang"), "done": _("gjennomført"),
            "stopped": _("stanset")}.get(status, status)


_AGE = re.compile(r"^(\d{1,3})-(\d{1,3})$|^(\d{1,3})\+$")
GENDERS = ("female", "male", "other")
_GROUP = re.compile(r"^[a-z0-9_]{1,40}$")


def check_group(text: str) -> str | None:
    """Why ``text`` is not a target or attendance group, or None. Groups are ``age:13-19``, ``age:67+``,
    ``gender:female|male|other``, ``group:<code>`` (a resident group such as ``group:nyankomne``) or
    ``all``.

    >>> [check_group(g) is None for g in ("age:13-19", "age:67+", "gender:female", "group:nyankomne", "x")]
    [True, True, True, True, False]
    """
    kind, _sep, value = text.partition(":")
    if text == "all":
        return None
    if kind == "age":
        m = _AGE.match(value)
        if m and (m.group(3) is not None or int(m.group(1)) <= int(m.group(2))):
            return None
    elif kind == "gender" and value in GENDERS:
        return None
    elif kind == "group" and _GROUP.match(value):
        return None
    return _("ukjent gruppe «{group}»; forventet all, age:13-19, age:67+, gender:female|male|other eller "
             "group:kode", group=text[:60])


def group_label(text: str) -> str:
    """A group in words, in the user's language."""
    kind, _sep, value = text.partition(":")
    if text == "all":
        return _("alle")
    if kind == "age":
        return _("alder {band}", band=value.replace("-", "–"))
    if kind == "gender":
        return {"female": _("kvinner og jenter"), "male": _("menn og gutter")}.get(value, _("annet kjønn"))
    return value.replace("_", " ")


@dataclass(frozen=True)
class IndicatorLink:
    """An indicator a goal or measure is expected to move, and how it is measured.

    On a goal it may carry the target (``target_value`` by ``target_period``). On a measure, ``goal``
    narrows the link to one of the goals the measure serves (empty: all of them). An empty ``method``
    is allowed but flagged in the logic model.
    """

    indicator: str
    method: str = ""
    goal: str = ""
    target_value: float | None = None
    target_period: str = ""
    note: str = ""


@dataclass(frozen=True)
class Goal:
    """A goal (mål) of an area programme."""

    area_code: str
    code: str
    title: str
    dimension: str
    themes: tuple[str, ...] = ()
    target_groups: tuple[str, ...] = ()
    start: dt.date | None = None
    end: dt.date | None = None
    description: str = ""
    indicators: tuple[IndicatorLink, ...] = ()
    synthetic: bool = False
    id: int | None = None


@dataclass(frozen=True)
class Milestone:
    title: str
    due: dt.date
    done: dt.date | None = None


@dataclass(frozen=True)
class Measure:
    """A measure (tiltak). ``geometry`` is WKB in EPSG:4326 (a point, line or polygon), or None."""

    area_code: str
    code: str
    title: str
    kind: MeasureKind
    status: MeasureStatus = MeasureStatus.IDEA
    description: str = ""
    geometry: bytes | None = None
    responsible: str | None = None
    partners: tuple[str, ...] = ()
    budget: float | None = None
    spent: float | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    milestones: tuple[Milestone, ...] = ()
    goals: tuple[str, ...] = ()
    indicators: tuple[IndicatorLink, ...] = ()
    synthetic: bool = False
    id: int | None = None
    extra: dict[str, object] = field(default_factory=dict, compare=False)


Problems = list[tuple[str, str]]
"""``(field, message)`` pairs: what is wrong and where."""


def _text(problems: Problems, name: str, value: str, limit: int, required: bool = True) -> None:
    if (required and not value.strip()) or len(value) > limit:
        problems.append((name, _("må ha {low}–{n} tegn", low=1 if required else 0, n=limit)))


def _period(problems: Problems, start: dt.date | None, end: dt.date | None) -> None:
    if start and end and end < start:
        problems.append(("end", _("sluttdato {end} er før startdato {start}", end=end, start=start)))


def _links(problems: Problems, links: Iterable[IndicatorLink], goals: tuple[str, ...] | None = None) -> None:
    seen = Counter((link.indicator, link.goal) for link in links)
    for (code, goal), n in seen.items():
        if n > 1:
            problems.append(("indicators", _("indikatoren {code} er oppgitt {n} ganger", code=code, n=n)))
        if goals is not None and goal and goal not in goals:
            problems.append(("indicators", _("indikatoren {code} er knyttet til målet {goal}, som tiltaket ikke "
                                             "tjener", code=code, goal=goal)))
    for link in links:
        if link.method and link.method not in METHODS:
            problems.append(("indicators", _("ukjent metode «{method}» for {code}; forventet {valid}",
                                             method=link.method, code=link.indicator, valid=", ".join(METHODS))))
        if link.target_value is not None and not math.isfinite(link.target_value):
            problems.append(("indicators", _("målverdien for {code} må være et tall", code=link.indicator)))


def check_goal(goal: Goal) -> Problems:
    """What is wrong with a goal by itself (references to the database are checked by the service)."""
    problems: Problems = []
    bad = check_code(goal.code)
    if bad:
        problems.append(("code", bad))
    _text(problems, "title", goal.title, TITLE_MAX_LENGTH)
    _text(problems, "description", goal.description, TEXT_MAX_LENGTH, required=False)
    if not goal.dimension:
        problems.append(("dimension", _("målet må ha en dimensjon")))
    for g in goal.target_groups:
        bad = check_group(g)
        if bad:
            problems.append(("target_groups", bad))
    _period(problems, goal.start, goal.end)
    _links(problems, goal.indicators)
    return problems


def check_measure(m: Measure) -> Problems:
    """What is wrong with a measure by itself: texts, dates, money, milestones, links."""
    problems: Problems = []
    bad = check_code(m.code)
    if bad:
        problems.append(("code", bad))
    _text(problems, "title", m.title, TITLE_MAX_LENGTH)
    _text(problems, "description", m.description, TEXT_MAX_LENGTH, required=False)
    _period(problems, m.start, m.end)
    for name, amount in (("budget", m.budget), ("spent", m.spent)):
        if amount is not None and (not math.isfinite(amount) or amount < 0):
            problems.append((name, _("beløpet må være et tall som ikke er negativt")))
    for ms in m.milestones:
        _text(problems, "milestones", ms.title, TITLE_MAX_LENGTH)
        if m.end and ms.due > m.end:
            problems.append(("milestones", _("milepælen «{title}» ({due}) er etter tiltakets sluttdato {end}",
                                             title=ms.title[:60], due=ms.due, end=m.end)))
        if m.start and ms.due < m.start:
            problems.append(("milestones", _("milepælen «{title}» ({due}) er før tiltakets startdato {start}",
                                             title=ms.title[:60], due=ms.due, start=m.start)))
    if m.status == MeasureStatus.DONE and any(ms.done is None for ms in m.milestones):
        problems.append(("status", _("tiltaket er ferdig, men har milepæler som ikke er nådd")))
    if m.responsible and m.responsible in m.partners:
        problems.append(("partners", _("{actor} er både ansvarlig og partner", actor=m.responsible)))
    _links(problems, m.indicators, m.goals)
    return problems

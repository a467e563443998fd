"""Resident surveys (innbyggerundersøkelse): a questionnaire as data. No IO.

A questionnaire has a code, a version, its languages (the first is the default), sections and
questions. Every text is a mapping ``language → text``. Question types:

========== ==================================================== ==========================
type       answer                                               options
========== ==================================================== ==========================
scale      whole number 1–7 (Place Standard)                     ``low``, ``high`` labels
likert     whole number 1–``points`` (5, or 3/4 for children)    ``low``, ``high`` labels
yesno      ``yes`` or ``no``
single     one choice code                                       ``choices``
multiple   a list of distinct choice codes                       ``choices``, ``max_choices``
number     a number in ``min``–``max``                           ``integer``
text       free text up to ``max_length`` characters (≤ 5,000)
point      ``{"lon": …, "lat": …}`` in WGS 84                    ``bounds``
========== ==================================================== ==========================

A question may carry ``background: age_band | gender | resident_group``: the optional questions used to
weight and break down the results (a single choice; age bands like ``15-24`` or ``67+``, genders
``female``, ``male``, ``other``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

QUESTION_TYPES = ("scale", "likert", "yesno", "single", "multiple", "number", "text", "point")
CHOICE_TYPES = ("single", "multiple")
AUDIENCES = ("adults", "youth", "children")
BACKGROUND_KINDS = ("age_band", "gender", "resident_group")
SCALE_POINTS = 7
LIKERT_POINTS = (3, 4, 5)
TEXT_MAX_LENGTH = 5000
"""The longest free-text answer any question may allow (characters)."""
TEXT_DEFAULT_LENGTH = 2000
RTL_LANGUAGES = frozenset({"ar", "fa", "prs", "ps", "ur", "he", "yi", "ckb", "sd", "ug", "dv"})
"""Languages written right to left (Arabic, Persian, Dari, Pashto, Urdu, Hebrew, Yiddish, Sorani …)."""
LANGUAGE_PATTERN = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")
ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,59}$")
"""Survey, section, question and choice codes: lower case a–z, digits and ``_``, starting with a letter
(choice codes may also start with a digit and hold ``-`` and ``+``: ``15-24``, ``67+``)."""
CHOICE_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_+-]{0,39}$")

Texts = Mapping[str, str]


def direction(language: str) -> str:
    """``rtl`` for a language written right to left, else ``ltr``.

    >>> direction("ar"), direction("nb"), direction("ur"), direction("ti")
    ('rtl', 'ltr', 'rtl', 'ltr')
    """
    return "rtl" if language.split("-")[0] in RTL_LANGUAGES else "ltr"


def text_in(texts: Texts, language: str, fallback: str = "nb") -> str:
    """The text in ``language``, else in ``fallback``, else any; ``""`` if there is none."""
    return texts.get(language) or texts.get(fallback) or next(iter(texts.values()), "")


@dataclass(frozen=True)
class Choice:
    code: str
    text: dict[str, str]


@dataclass(frozen=True)
class Question:
    id: str
    type: str
    text: dict[str, str]
    required: bool = False
    help: dict[str, str] = field(default_factory=dict)
    choices: tuple[Choice, ...] = ()
    points: int = 0
    """Scale steps: 7 for ``scale``, 3–5 for ``likert``; 0 for other types."""
    low: dict[str, str] = field(default_factory=dict)
    high: dict[str, str] = field(default_factory=dict)
    min: float | None = None
    max: float | None = None
    integer: bool = False
    max_length: int = 0
    max_choices: int = 0
    bounds: tuple[float, float, float, float] | None = None
    """``(west, south, east, north)`` for a point, in degrees."""
    background: str = ""
    theme: str = ""
    """What the question measures, for grouping results (e.g. a Place Standard theme)."""

    @property
    def choice_codes(self) -> tuple[str, ...]:
        return tuple(c.code for c in self.choices)


@dataclass(frozen=True)
class Section:
    id: str
    title: dict[str, str]
    questions: tuple[Question, ...]
    intro: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Questionnaire:
    code: str
    version: int
    title: dict[str, str]
    languages: tuple[str, ...]
    sections: tuple[Section, ...]
    description: dict[str, str] = field(default_factory=dict)
    audience: str = "adults"
    variant_of: str = ""
    """The code of the adults' questionnaire a children's or youth version belongs to."""

    def questions(self) -> Iterator[Question]:
        for section in self.sections:
            yield from section.questions

    @property
    def by_id(self) -> dict[str, Question]:
        return {q.id: q for q in self.questions()}

    def background_question(self, kind: str) -> Question | None:
        return next((q for q in self.questions() if q.background == kind), None)

    @property
    def default_language(self) -> str:
        return self.languages[0]


def text_fields(q: Questionnaire) -> Iterator[tuple[str, dict[str, str]]]:
    """Every translatable text with its key: ``title``, ``description``, ``<section>.title``,
    ``<section>.intro``, ``<question>.text|help|low|high``, ``<question>.choice.<code>``."""
    yield "title", q.title
    if q.description:
        yield "description", q.description
    for s in q.sections:
        yield f"{s.id}.title", s.title
        if s.intro:
            yield f"{s.id}.intro", s.intro
        for question in s.questions:
            yield f"{question.id}.text", question.text
            for name in ("help", "low", "high"):
                texts = getattr(question, name)
                if texts:
                    yield f"{question.id}.{name}", texts
            for c in question.choices:
                yield f"{question.id}.choice.{c.code}", c.text

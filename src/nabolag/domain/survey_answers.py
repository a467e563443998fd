"""Check a response against its questionnaire, and a new version against the one before. No IO.

Answers arrive as a mapping ``question id → value`` (from a JSON body or a form: numbers may come as
text). :func:`check_answers` returns the answers in their stored form, or the problems, each naming
the question.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from nabolag.domain.problems import Problem
from nabolag.domain.survey import TEXT_MAX_LENGTH, Question, Questionnaire
from nabolag.i18n import _

YES = ("yes", "ja", "true", "1")
NO = ("no", "nei", "false", "0")
MAX_ANSWERS = 500
"""More answers than this in one response is not a form but an attack; refused before any other check."""


def is_empty(value: object) -> bool:
    return value is None or value == "" or value == [] or value == {}


def check_answers(q: Questionnaire, answers: Mapping[str, Any], where: str = "svar"
                  ) -> tuple[dict[str, Any], list[Problem]]:
    """The answers in stored form (empty ones left out) and the problems, each naming its question.

    >>> from nabolag.domain.survey import Question, Questionnaire, Section
    >>> q = Questionnaire("s", 1, {"nb": "S"}, ("nb",), (Section("a", {"nb": "A"}, (
    ...     Question("trygg", "scale", {"nb": "Trygg?"}, required=True, points=7),)),))
    >>> check_answers(q, {"trygg": "6"})
    ({'trygg': 6}, [])
    >>> [p.field for p in check_answers(q, {"trygg": 9, "x": 1})[1]]
    ['x', 'trygg']
    """
    if not isinstance(answers, Mapping):
        return {}, [Problem(where, _("forventet svar som en mapping fra spørsmål til svar"))]
    if len(answers) > MAX_ANSWERS:
        return {}, [Problem(where, _("for mange svar ({n})", n=len(answers)))]
    known = q.by_id
    problems = [Problem(where, _("ukjent spørsmål"), field=str(k)[:60]) for k in answers if k not in known]
    out: dict[str, Any] = {}
    for question in q.questions():
        value = answers.get(question.id)
        if is_empty(value):
            if question.required:
                problems.append(Problem(where, _("må besvares"), field=question.id))
            continue
        stored, message = check_value(question, value)
        if message:
            problems.append(Problem(where, message, field=question.id, found=_show(value)))
        else:
            out[question.id] = stored
    return out, problems


def _show(value: object) -> str:
    text = repr(value) if not isinstance(value, str) else value
    return text[:60]


def _whole(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().lstrip("-").isdigit() and len(value) < 12:
        return int(value)
    return None


def _number(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value) if math.isfinite(value) else None
    if isinstance(value, str) and len(value) < 40:
        try:
            x = float(value.strip().replace(",", ".").replace("\u2212", "-"))
        except ValueError:
            return None
        return x if math.isfinite(x) else None
    return None


def check_value(question: Question, value: Any) -> tuple[Any, str]:
    """``(stored value, "")`` or ``(None, why not)`` for one non-empty answer."""
    kind = question.type
    if kind in ("scale", "likert"):
        n = _whole(value)
        if n is None or not 1 <= n <= question.points:
            return None, _("forventet et helt tall fra 1 til {points}", points=question.points)
        return n, ""
    if kind == "yesno":
        text = str(value).strip().lower() if isinstance(value, str | bool) else ""
        if text in YES:
            return "yes", ""
        if text in NO:
            return "no", ""
        return None, _("forventet yes eller no")
    if kind == "single":
        if isinstance(value, str) and value in question.choice_codes:
            return value, ""
        return None, _("forventet ett av svaralternativene {codes}", codes=", ".join(question.choice_codes))
    if kind == "multiple":
        return _multiple(question, value)
    if kind == "number":
        return _in_range(question, value)
    if kind == "text":
        return _text(question, value)
    return _point(question, value)


def _multiple(question: Question, value: Any) -> tuple[Any, str]:
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list | tuple) or not all(isinstance(v, str) for v in items):
        return None, _("forventet en liste med svarkoder")
    bad = [v for v in items if v not in question.choice_codes]
    if bad:
        return None, _("ukjente svarkoder {codes}; forventet {known}", codes=", ".join(v[:40] for v in bad[:5]),
                       known=", ".join(question.choice_codes))
    if len(set(items)) != len(items):
        return None, _("samme svarkode står to ganger")
    if question.max_choices and len(items) > question.max_choices:
        return None, _("høyst {n} valg", n=question.max_choices)
    order = {c: i for i, c in enumerate(question.choice_codes)}
    return sorted(items, key=order.__getitem__), ""


def _in_range(question: Question, value: Any) -> tuple[Any, str]:
    x = _number(value)
    lo, hi = question.min, question.max
    if x is None or (lo is not None and x < lo) or (hi is not None and x > hi):
        return None, _("forventet et tall fra {lo:g} til {hi:g}", lo=lo if lo is not None else -math.inf,
                       hi=hi if hi is not None else math.inf)
    if question.integer:
        if not x.is_integer():
            return None, _("forventet et helt tall")
        return int(x), ""
    return x, ""


def _text(question: Question, value: Any) -> tuple[Any, str]:
    if not isinstance(value, str):
        return None, _("forventet tekst")
    limit = min(question.max_length or TEXT_MAX_LENGTH, TEXT_MAX_LENGTH)
    if len(value) > limit:
        return None, _("teksten er {n} tegn; høyst {limit} er tillatt", n=len(value), limit=limit)
    if "\x00" in value:
        return None, _("teksten inneholder et nulltegn")
    return value, ""


def _point(question: Question, value: Any) -> tuple[Any, str]:
    lon = lat = None
    if isinstance(value, Mapping):
        lon, lat = _number(value.get("lon")), _number(value.get("lat"))
    elif isinstance(value, list | tuple) and len(value) == 2:
        lon, lat = _number(value[0]), _number(value[1])
    if lon is None or lat is None or not (-180 <= lon <= 180 and -90 <= lat <= 90):
        return None, _("forventet et punkt med lon og lat i grader (WGS 84)")
    if question.bounds:
        west, south, east, north = question.bounds
        if not (west <= lon <= east and south <= lat <= north):
            return None, _("punktet ligger utenfor kartutsnittet for spørsmålet")
    return {"lon": round(lon, 6), "lat": round(lat, 6)}, ""


def version_problems(old: Questionnaire, new: Questionnaire, file: str) -> list[Problem]:
    """Why ``new`` cannot follow ``old``: it may add questions, choices and languages, and widen ranges,
    but never remove or recode what earlier responses used."""
    out: list[Problem] = []

    def bad(field: str, message: str) -> None:
        out.append(Problem(file, message, field=field))

    if new.code != old.code:
        bad("code", _("en ny versjon må ha samme kode ({code})", code=old.code))
    if new.version <= old.version:
        bad("version", _("den nye versjonen må være høyere enn {v}", v=old.version))
    current = new.by_id
    for q in old.questions():
        n = current.get(q.id)
        if n is None:
            bad(q.id, _("spørsmålet «{id}» fra versjon {v} er fjernet; tidligere svar bruker det", id=q.id,
                        v=old.version))
            continue
        if n.type != q.type or n.points != q.points:
            bad(q.id, _("spørsmålet «{id}» har endret type eller skala ({old} → {new}); tidligere svar bruker den",
                        id=q.id, old=f"{q.type}/{q.points}", new=f"{n.type}/{n.points}"))
        missing = [c for c in q.choice_codes if c not in n.choice_codes]
        if missing:
            bad(q.id, _("spørsmålet «{id}» mangler svarkodene {codes}; tidligere svar bruker dem", id=q.id,
                        codes=", ".join(missing)))
        narrower = ((q.min is not None and (n.min is None or n.min > q.min))
                    or (q.max is not None and (n.max is None or n.max < q.max))
                    or n.max_length < q.max_length or (q.integer is False and n.integer))
        if narrower and q.type in ("number", "text"):
            bad(q.id, _("spørsmålet «{id}» tar imot mindre enn før; tidligere svar kan falle utenfor", id=q.id))
        if n.background != q.background:
            bad(q.id, _("spørsmålet «{id}» har endret bakgrunnsrolle", id=q.id))
    return out

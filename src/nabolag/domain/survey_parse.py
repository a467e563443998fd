"""Read a questionnaire from plain data (parsed YAML or JSON) with every problem named, and back.

Problems name the file, and as ``field`` the place: ``sections[trygghet].questions[trygg_kveld].choices``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from nabolag.domain.problems import Problem
from nabolag.domain.survey import (
    AUDIENCES,
    BACKGROUND_KINDS,
    CHOICE_PATTERN,
    CHOICE_TYPES,
    ID_PATTERN,
    LANGUAGE_PATTERN,
    LIKERT_POINTS,
    QUESTION_TYPES,
    SCALE_POINTS,
    TEXT_DEFAULT_LENGTH,
    TEXT_MAX_LENGTH,
    Choice,
    Question,
    Questionnaire,
    Section,
)
from nabolag.errors import InputError
from nabolag.i18n import _

_QUESTION_KEYS = {"id", "type", "text", "required", "help", "choices", "points", "low", "high", "min", "max",
                  "integer", "max_length", "max_choices", "bounds", "background", "theme"}
_TOP_KEYS = {"code", "version", "title", "description", "languages", "sections", "audience", "variant_of"}


class _Reader:
    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []
        self.languages: tuple[str, ...] = ()

    def bad(self, where: str, message: str, found: object = None) -> None:
        self.problems.append(Problem(self.file, message, field=where,
                                     found=None if found is None else str(found)[:80]))

    def texts(self, value: object, where: str, required: bool = True) -> dict[str, str]:
        if value is None or value == {}:
            if required:
                self.bad(where, _("mangler tekst"))
            return {}
        if isinstance(value, str):
            value = {self.languages[0] if self.languages else "nb": value}
        if not isinstance(value, Mapping):
            self.bad(where, _("forventet tekster per språk, f.eks. nb: …, en: …"), value)
            return {}
        out = {str(k): str(v).strip() for k, v in value.items() if v is not None}
        for lang in self.languages:
            if not out.get(lang):
                self.bad(where, _("mangler tekst på språket «{lang}»", lang=lang))
        for lang in out:
            if lang not in self.languages:
                self.bad(where, _("tekst på språket «{lang}», som ikke står i languages", lang=lang))
        return out

    def ident(self, value: object, where: str, pattern: Any = ID_PATTERN) -> str:
        text = "" if value is None else str(value)
        if not pattern.match(text):
            self.bad(where, _("ugyldig kode: små bokstaver a–z, sifre og _, og begynn med en bokstav"), value)
        return text

    def number(self, value: object, where: str) -> float | None:
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.bad(where, _("forventet et tall"), value)
            return None
        return float(value)

    def whole(self, value: object, where: str, default: int) -> int:
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int):
            self.bad(where, _("forventet et helt tall"), value)
            return default
        return int(value)


def parse_questionnaire(data: object, file: str = "spørreskjema") -> Questionnaire:
    """A :class:`Questionnaire` from plain data, or an :class:`InputError` naming every problem."""
    r = _Reader(file)
    if not isinstance(data, Mapping):
        raise InputError(_("{file}: forventet et spørreskjema (en mapping med code, version, sections)", file=file))
    for key in sorted(set(map(str, data)) - _TOP_KEYS):
        r.bad(key, _("ukjent felt"))
    langs = data.get("languages") or ["nb"]
    if not isinstance(langs, list) or not all(isinstance(x, str) and LANGUAGE_PATTERN.match(x) for x in langs):
        r.bad("languages", _("forventet en liste med språkkoder som nb, nn, en, ar"), langs)
        langs = ["nb"]
    if len(set(langs)) != len(langs):
        r.bad("languages", _("samme språk står to ganger"), langs)
    r.languages = tuple(dict.fromkeys(langs))
    code = r.ident(data.get("code"), "code")
    version = r.whole(data.get("version"), "version", 1)
    if version < 1:
        r.bad("version", _("versjonen må være 1 eller høyere"), version)
    audience = str(data.get("audience") or "adults")
    if audience not in AUDIENCES:
        r.bad("audience", _("forventet adults, youth eller children"), audience)
    variant_of = str(data.get("variant_of") or "")
    if variant_of:
        r.ident(variant_of, "variant_of")
    sections = _sections(r, data.get("sections"))
    q = Questionnaire(code=code, version=version, title=r.texts(data.get("title"), "title"),
                      languages=r.languages, sections=sections,
                      description=r.texts(data.get("description"), "description", required=False),
                      audience=audience, variant_of=variant_of)
    _whole_checks(r, q)
    if r.problems:
        raise InputError(_("{file}: {n} feil i spørreskjemaet", file=file, n=len(r.problems)), r.problems)
    return q


def _sections(r: _Reader, raw: object) -> tuple[Section, ...]:
    if not isinstance(raw, list) or not raw:
        r.bad("sections", _("forventet en liste med minst én del"))
        return ()
    out = []
    for i, s in enumerate(raw, 1):
        where = f"sections[{i}]"
        if not isinstance(s, Mapping):
            r.bad(where, _("forventet en del med id, title og questions"))
            continue
        sid = r.ident(s.get("id"), where + ".id")
        where = f"sections[{sid or i}]"
        questions = s.get("questions")
        if not isinstance(questions, list) or not questions:
            r.bad(where + ".questions", _("forventet en liste med minst ett spørsmål"))
            questions = []
        out.append(Section(id=sid, title=r.texts(s.get("title"), where + ".title"),
                           intro=r.texts(s.get("intro"), where + ".intro", required=False),
                           questions=tuple(_question(r, x, f"{where}.questions[{j}]")
                                           for j, x in enumerate(questions, 1))))
    return tuple(out)


def _question(r: _Reader, raw: object, where: str) -> Question:
    if not isinstance(raw, Mapping):
        r.bad(where, _("forventet et spørsmål med id, type og text"))
        return Question(id="", type="text", text={})
    qid = r.ident(raw.get("id"), where + ".id")
    where = where.rsplit("[", 1)[0] + f"[{qid}]" if qid else where
    for key in sorted(set(map(str, raw)) - _QUESTION_KEYS):
        r.bad(f"{where}.{key}", _("ukjent felt"))
    qtype = str(raw.get("type") or "")
    if qtype not in QUESTION_TYPES:
        r.bad(where + ".type", _("ukjent spørsmålstype; forventet {types}", types=", ".join(QUESTION_TYPES)), qtype)
    choices = _choices(r, raw.get("choices"), where, qtype in CHOICE_TYPES)
    points = r.whole(raw.get("points"), where + ".points", SCALE_POINTS if qtype == "scale" else 5)
    if qtype == "scale" and points != SCALE_POINTS:
        r.bad(where + ".points", _("en skala har alltid 7 trinn"), points)
    if qtype == "likert" and points not in LIKERT_POINTS:
        r.bad(where + ".points", _("en likert-skala har 3, 4 eller 5 trinn"), points)
    max_length = r.whole(raw.get("max_length"), where + ".max_length", TEXT_DEFAULT_LENGTH)
    if not 1 <= max_length <= TEXT_MAX_LENGTH:
        r.bad(where + ".max_length", _("må være 1–{limit} tegn", limit=TEXT_MAX_LENGTH), max_length)
    lo, hi = r.number(raw.get("min"), where + ".min"), r.number(raw.get("max"), where + ".max")
    if qtype == "number" and (lo is None or hi is None or lo > hi):
        r.bad(where + ".min", _("et talls-spørsmål trenger min og max, med min ≤ max"))
    background = str(raw.get("background") or "")
    if background and (background not in BACKGROUND_KINDS or qtype != "single"):
        r.bad(where + ".background", _("bakgrunn er age_band, gender eller resident_group, på et single-spørsmål"),
              background)
    return Question(
        id=qid, type=qtype, text=r.texts(raw.get("text"), where + ".text"), required=bool(raw.get("required")),
        help=r.texts(raw.get("help"), where + ".help", required=False), choices=choices,
        points=points if qtype in ("scale", "likert") else 0,
        low=r.texts(raw.get("low"), where + ".low", required=False),
        high=r.texts(raw.get("high"), where + ".high", required=False),
        min=lo, max=hi, integer=bool(raw.get("integer")),
        max_length=max_length if qtype == "text" else 0,
        max_choices=r.whole(raw.get("max_choices"), where + ".max_choices", 0),
        bounds=_bounds(r, raw.get("bounds"), where), background=background, theme=str(raw.get("theme") or ""))


def _choices(r: _Reader, raw: object, where: str, wanted: bool) -> tuple[Choice, ...]:
    if not wanted:
        if raw:
            r.bad(where + ".choices", _("bare single og multiple har svaralternativer"))
        return ()
    if not isinstance(raw, list) or len(raw) < 2:
        r.bad(where + ".choices", _("forventet minst to svaralternativer"))
        return ()
    out = []
    for i, c in enumerate(raw, 1):
        if not isinstance(c, Mapping):
            r.bad(f"{where}.choices[{i}]", _("forventet code og text"))
            continue
        code = r.ident(c.get("code"), f"{where}.choices[{i}].code", CHOICE_PATTERN)
        out.append(Choice(code=code, text=r.texts(c.get("text"), f"{where}.choices[{code or i}].text")))
    codes = [c.code for c in out]
    if len(set(codes)) != len(codes):
        r.bad(where + ".choices", _("samme svarkode står to ganger"), ", ".join(codes))
    return tuple(out)


def _bounds(r: _Reader, raw: object, where: str) -> tuple[float, float, float, float] | None:
    if raw is None:
        return None
    if (not isinstance(raw, list) or len(raw) != 4
            or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in raw)
            or not (-180 <= raw[0] < raw[2] <= 180 and -90 <= raw[1] < raw[3] <= 90)):
        r.bad(where + ".bounds", _("forventet [vest, sør, øst, nord] i grader"), raw)
        return None
    return (float(raw[0]), float(raw[1]), float(raw[2]), float(raw[3]))


def _whole_checks(r: _Reader, q: Questionnaire) -> None:
    seen: dict[str, int] = {}
    for question in q.questions():
        seen[question.id] = seen.get(question.id, 0) + 1
    for qid, n in seen.items():
        if n > 1 and qid:
            r.bad(f"questions[{qid}]", _("spørsmålet står {n} ganger; id må være unik", n=n))
    sections = [s.id for s in q.sections]
    if len(set(sections)) != len(sections):
        r.bad("sections", _("samme del-id står to ganger"), ", ".join(sections))
    kinds = [x.background for x in q.questions() if x.background]
    for kind in set(kinds):
        if kinds.count(kind) > 1:
            r.bad(f"background[{kind}]", _("bare ett spørsmål kan være bakgrunn «{kind}»", kind=kind))


def questionnaire_to_dict(q: Questionnaire) -> dict[str, Any]:
    """Plain data that :func:`parse_questionnaire` reads back to the same questionnaire."""
    out: dict[str, Any] = {"code": q.code, "version": q.version, "title": dict(q.title),
                           "languages": list(q.languages), "audience": q.audience}
    if q.variant_of:
        out["variant_of"] = q.variant_of
    if q.description:
        out["description"] = dict(q.description)
    out["sections"] = [_section_dict(s) for s in q.sections]
    return out


def _section_dict(s: Section) -> dict[str, Any]:
    out: dict[str, Any] = {"id": s.id, "title": dict(s.title)}
    if s.intro:
        out["intro"] = dict(s.intro)
    out["questions"] = [_question_dict(x) for x in s.questions]
    return out


def _question_dict(x: Question) -> dict[str, Any]:
    out: dict[str, Any] = {"id": x.id, "type": x.type, "text": dict(x.text)}
    optional: dict[str, Any] = {
        "required": x.required, "help": dict(x.help), "low": dict(x.low), "high": dict(x.high),
        "integer": x.integer, "max_choices": x.max_choices,
        "bounds": list(x.bounds) if x.bounds else None, "background": x.background, "theme": x.theme,
        "points": x.points if x.type == "likert" else None,
        "max_length": x.max_length if x.type == "text" else None,
        "choices": [{"code": c.code, "text": dict(c.text)} for c in x.choices]}
    out.update({k: v for k, v in optional.items() if v not in (None, False, 0, {}, [], "")})
    out.update({k: v for k, v in (("min", x.min), ("max", x.max)) if v is not None})  # 0 is a real bound
    return out

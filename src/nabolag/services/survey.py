"""Resident surveys (issue 6): create a survey from a questionnaire, add versions and translations, open
and close it, list it. Submitting is in :mod:`nabolag.services.survey_submit`.

Every change needs a writing role and the right to the survey's area (see
:func:`~nabolag.services.survey_base.require_survey_rights`), runs in one transaction and is recorded in
the audit log (object type ``survey``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import replace

from nabolag.domain.problems import Problem
from nabolag.domain.survey import LANGUAGE_PATTERN, Questionnaire, text_fields
from nabolag.domain.survey_answers import version_problems
from nabolag.domain.survey_parse import parse_questionnaire, questionnaire_to_dict
from nabolag.domain.vocabulary import check_code
from nabolag.errors import ConflictError, InputError
from nabolag.i18n import _
from nabolag.services.context import Context
from nabolag.services.programme_base import fail
from nabolag.services.survey_base import (
    MODES,
    Survey,
    definition_text,
    require_survey_rights,
    survey_audit,
    survey_row,
    to_survey,
    version_questionnaire,
)
from nabolag.store import survey as repo
from nabolag.store import zones as zone_repo


def create_survey(ctx: Context, questionnaire: Questionnaire, *, code: str | None = None, area: str | None = None,
                  mode: str = "open", period: str = "", synthetic: bool = False) -> Survey:
    """A new survey in status ``draft`` with ``questionnaire`` as version 1 (whatever version it carries).

    ``code`` defaults to the questionnaire's code; ``area`` (code) ties it to a programme area; ``mode`` is
    ``open`` (an open link) or ``invitation`` (one response per invitation code); ``period`` is the round,
    e.g. ``2024``, used when results become observations.
    """
    code = code or questionnaire.code
    where = _("undersøkelsen {code}", code=code[:60])
    problems = [("code", m) for m in [check_code(code)] if m]
    if mode not in MODES:
        problems.append(("mode", _("forventet open eller invitation")))
    if len(period) > 24:
        problems.append(("period", _("høyst 24 tegn")))
    require_survey_rights(ctx, area)
    fail(where, problems)
    questionnaire = replace(questionnaire, version=1)
    text, digest = definition_text(questionnaire)
    with ctx.store.transaction() as conn:
        if repo.get_survey(conn, code) is not None:
            raise ConflictError(_("Undersøkelsen {code} finnes allerede", code=code))
        area_id = None
        if area:
            found = zone_repo.get_area(conn, area)
            if found is None:
                fail(where, [("area", _("ukjent område: {code}", code=area[:60]))])
            area_id = found.id if found else None
        sid = repo.insert_survey(conn, {
            "code": code, "title": questionnaire.title.get("nb") or questionnaire.title[questionnaire.languages[0]],
            "area_id": area_id, "mode": mode, "period": period, "languages": json.dumps(list(questionnaire.languages)),
            "current_version": 1, "synthetic": synthetic})
        repo.add_version(conn, sid, 1, text, digest, ctx.actor)
        survey_audit(conn, ctx, "create", code, {"questionnaire": questionnaire.code, "mode": mode, "area": area})
    return get_survey(ctx, code)


def get_survey(ctx: Context, code: str) -> Survey:
    with ctx.store.read() as conn:
        return to_survey(survey_row(conn, code))


def list_surveys(ctx: Context, status: str | None = None) -> list[Survey]:
    """Every survey (for the role ``public`` only open ones)."""
    with ctx.store.read() as conn:
        found = [to_survey(r) for r in repo.list_surveys(conn)]
    if ctx.is_public:
        status = "open"
    return [s for s in found if status is None or s.status == status]


def get_questionnaire(ctx: Context, code: str, version: int | None = None) -> Questionnaire:
    """The questionnaire of a survey: its current version, or ``version``."""
    with ctx.store.read() as conn:
        row = survey_row(conn, code)
        if ctx.is_public and row["status"] != "open":
            raise InputError(_("Undersøkelsen {code} er ikke åpen", code=code))
        return version_questionnaire(conn, int(row["id"]), version or int(row["current_version"]))


def add_version(ctx: Context, code: str, questionnaire: Questionnaire, file: str = "spørreskjema") -> Survey:
    """Store ``questionnaire`` as the survey's next version. It may add questions, choices and languages,
    but never remove or recode what the earlier versions used (an :class:`InputError` names each)."""
    with ctx.store.transaction() as conn:
        row = survey_row(conn, code)
        require_survey_rights(ctx, row["area"])
        versions = repo.list_versions(conn, int(row["id"]))
        new = replace(questionnaire, version=int(row["current_version"]) + 1)
        problems: list[Problem] = []
        for v in versions:  # every earlier version, not only the last: a question dropped in v2 may be in v1's answers
            old = version_questionnaire(conn, int(row["id"]), int(v["version"]))
            problems += [p for p in version_problems(old, new, file) if p.field != "version"]
        if problems:
            unique = list({p.describe(): p for p in problems}.values())
            raise InputError(_("{file}: versjonen kan ikke lagres; {n} feil", file=file, n=len(unique)), unique)
        _store_version(conn, ctx, row, new, "version")
    return get_survey(ctx, code)


def _store_version(conn: object, ctx: Context, row: dict[str, object], q: Questionnaire, action: str) -> None:
    text, digest = definition_text(q)
    sid = int(row["id"])  # type: ignore[call-overload]
    repo.add_version(conn, sid, q.version, text, digest, ctx.actor)  # type: ignore[arg-type]
    repo.update_survey(conn, sid, current_version=q.version, languages=json.dumps(list(q.languages)))  # type: ignore[arg-type]
    survey_audit(conn, ctx, action, str(row["code"]), {"version": q.version, "languages": list(q.languages)})  # type: ignore[arg-type]


def translation_template(ctx: Context, code: str, source: str = "nb", language: str = "") -> dict[str, dict[str, str]]:
    """Every text of the current version by key (see :func:`nabolag.domain.survey.text_fields`), with its
    text in ``source`` and in ``language`` (empty where not yet translated): what a translator fills in."""
    q = get_questionnaire(ctx, code)
    return {key: {"source": texts.get(source, ""), "text": texts.get(language, "")} for key, texts in text_fields(q)}


def translate(ctx: Context, code: str, language: str, texts: Mapping[str, str]) -> Survey:
    """Add (or replace) ``language``'s texts: one for every key of :func:`translation_template`. Stored as a
    new version with the same questions, so responses keep pointing to the version they answered."""
    where = _("oversettelsen til «{lang}»", lang=language[:20])
    if not LANGUAGE_PATTERN.match(language):
        fail(where, [("language", _("forventet en språkkode som nn, en, ar, so, pl, ur, ti"))])
    q = get_questionnaire(ctx, code)
    data = questionnaire_to_dict(q)
    keys = dict(text_fields(q))
    problems = [(k, _("mangler tekst")) for k in keys if not str(texts.get(k) or "").strip()]
    problems += [(str(k)[:80], _("ukjent tekstnøkkel")) for k in texts if k not in keys]
    fail(where, problems)
    data["languages"] = list(dict.fromkeys([*q.languages, language]))
    _put_texts(data, language, {k: str(v).strip() for k, v in texts.items()})
    new = parse_questionnaire(data, file=where)
    with ctx.store.transaction() as conn:
        row = survey_row(conn, code)
        require_survey_rights(ctx, row["area"])
        _store_version(conn, ctx, row, replace(new, version=int(row["current_version"]) + 1), "translate")
    return get_survey(ctx, code)


def _put_texts(data: dict[str, object], lang: str, texts: dict[str, str]) -> None:
    def put(node: dict[str, object], name: str, key: str) -> None:
        if key in texts:
            node[name] = {**node.get(name, {}), lang: texts[key]}  # type: ignore[dict-item]

    put(data, "title", "title")
    put(data, "description", "description")
    for s in data["sections"]:  # type: ignore[attr-defined]
        put(s, "title", f"{s['id']}.title")
        put(s, "intro", f"{s['id']}.intro")
        for q in s["questions"]:
            for name in ("text", "help", "low", "high"):
                put(q, name, f"{q['id']}.{name}")
            for c in q.get("choices", []):
                put(c, "text", f"{q['id']}.choice.{c['code']}")


def set_status(ctx: Context, code: str, status: str) -> Survey:
    """Open (also reopen) or close a survey. A draft may be opened or closed; nothing goes back to draft."""
    from nabolag.store.survey import now

    if status not in ("open", "closed"):
        fail(_("undersøkelsen {code}", code=code), [("status", _("forventet open eller closed"))])
    with ctx.store.transaction() as conn:
        row = survey_row(conn, code)
        require_survey_rights(ctx, row["area"])
        if row["status"] != status:
            stamp = {"opened_at": now()} if status == "open" else {"closed_at": now()}
            repo.update_survey(conn, int(row["id"]), status=status, **stamp)
            survey_audit(conn, ctx, status, code, {"was": row["status"]})
    return get_survey(ctx, code)


def open_survey(ctx: Context, code: str) -> Survey:
    return set_status(ctx, code, "open")


def close_survey(ctx: Context, code: str) -> Survey:
    return set_status(ctx, code, "closed")

"""Pages of the public form: one section per page, then a last page for the home zone and the invitation
code; the final submit; and the answers when the survey is unknown (404), a draft (404) or closed (410).

A POST with ``action=next`` checks the shown section (422 with the messages beside its questions, nothing
stored); ``back`` goes back without checks; ``submit`` calls :func:`survey_submit.submit` with the token
made when the form opened, so a retried or double-clicked submit stores one response. A filled honeypot
answers like a successful submit and stores nothing. Plain posts get whole pages (303 to the thank-you
page after a submit); htmx posts get the form fragment (``HX-Redirect`` after a submit).
"""

from __future__ import annotations

import time
from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse, Response

from nabolag.domain.problems import Problem
from nabolag.domain.survey import Questionnaire
from nabolag.errors import ConflictError, InputError, NotFoundError
from nabolag.i18n import _, set_language
from nabolag.services import survey as survey_service
from nabolag.services import survey_submit, survey_web, views_survey
from nabolag.services.context import Context
from nabolag.services.survey_base import Survey
from nabolag.web.survey_form import HONEYPOT as HONEYPOT_FIELD
from nabolag.web.survey_form import FormState, answers, hidden_fields
from nabolag.web.survey_guard import run_submit, writer

FINAL_FIELDS = ("home_zone", "invitation_code", "token", "language", "survey")


class _Questionnaires:
    """The questionnaire used to *read* a final submit's fields, kept for :data:`TTL` seconds per survey so
    the hot path makes one transaction only. Question types never change between versions, so a kept one
    reads the fields right; if the submit is refused while a newer version exists, the fields are read
    again with it. The service always checks the answers against the current version."""

    TTL = 5.0

    def __init__(self) -> None:
        self._kept: dict[tuple[str, str], tuple[float, Questionnaire]] = {}

    def get(self, ctx: Context, code: str) -> Questionnaire | None:
        found = self._kept.get((ctx.store.url, code))
        return found[1] if found and time.monotonic() - found[0] < self.TTL else None

    def fresh(self, ctx: Context, code: str) -> Questionnaire:
        q = survey_service.get_questionnaire(ctx, code[:60])
        if len(self._kept) > 1000:
            self._kept.clear()
        self._kept[(ctx.store.url, code)] = (time.monotonic(), q)
        return q

    def is_current(self, ctx: Context, code: str, q: Questionnaire) -> bool:
        try:
            return survey_service.get_survey(ctx, code).version == q.version
        except NotFoundError:
            return True

    def forget(self, ctx: Context, code: str) -> None:
        self._kept.pop((ctx.store.url, code), None)


QUESTIONNAIRES = _Questionnaires()


def templates():  # type: ignore[no-untyped-def]
    from nabolag.web.pages import TEMPLATES  # pages builds the shared Jinja environment

    return TEMPLATES


def is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


def open_survey(ctx: Context, code: str) -> Survey | str:
    """The survey if it is open; else ``"unknown"`` (also a draft: it is not public yet) or ``"closed"``."""
    try:
        s = survey_service.get_survey(ctx, code[:60])
    except NotFoundError:
        return "unknown"
    return s if s.status == "open" else ("closed" if s.status == "closed" else "unknown")


def closed_page(request: Request, why: str, code: str, as_json: bool = False) -> Response:
    status = 410 if why == "closed" else 404
    message = (_("Undersøkelsen er avsluttet og tar ikke imot flere svar. Takk til alle som svarte!")
               if status == 410 else _("Vi finner ingen åpen undersøkelse med koden «{code}».", code=code[:60]))
    if as_json or request.url.path.endswith(".json"):
        return JSONResponse({"error": message}, status_code=status)
    return refused(request, status, message)


def refused(request: Request, status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    """A short page (or JSON for a client that asks for it) saying why the form was not taken."""
    if "json" in request.headers.get("accept", "") and "text/html" not in request.headers.get("accept", ""):
        return JSONResponse({"error": message}, status_code=status, headers=headers)
    return templates().TemplateResponse(request, "survey_closed.html", {"data": {"message": message,
                                        "status": status}}, status_code=status, headers=headers)


def _errors(problems: list[Problem]) -> tuple[dict[str, list[str]], list[dict[str, str]]]:
    by_field: dict[str, list[str]] = {}
    summary = []
    for p in problems:
        name = p.field or "survey"
        by_field.setdefault(name, []).append(p.message)
        anchor = {"home_zone": "home_zone", "invitation_code": "kode"}.get(name, f"q-{name}")
        summary.append({"field": name, "message": p.message, "href": "#" + anchor})
    return by_field, summary


def render_step(request: Request, ctx: Context, survey: Survey, q: Questionnaire, state: FormState, step: int,
                problems: list[Problem] | None = None, status: int = 200) -> Response:
    steps = len(q.sections) + 1
    step = max(0, min(step, steps - 1))
    data = views_survey.public_form(ctx, survey, q, state.lang)
    section = data["questionnaire"]["sections"][step] if step < len(q.sections) else None
    errors, summary = _errors(problems or [])
    data["form"] = {
        "token": state.token, "lang": state.lang, "step": step, "steps": steps, "number": step + 1,
        "section": section, "final": section is None, "hidden": hidden_fields(state, q, section and section["id"]),
        "state": state, "errors": errors, "problems": summary, "honeypot": HONEYPOT_FIELD,
        "home_zone": state.home_zone, "home_lon": state.home_lon, "home_lat": state.home_lat,
        "kode": state.invitation, "action": f"/s/{survey.code}",
    }
    name = "_survey_step.html" if is_htmx(request) else "survey_form.html"
    return templates().TemplateResponse(request, name, {"data": data}, status_code=status)


def _step_of(q: Questionnaire, problems: list[Problem]) -> int:
    """The first page holding a problem: a question's section, else the last page."""
    where = {x.id: i for i, s in enumerate(q.sections) for x in s.questions}
    found = [where[p.field] for p in problems if p.field in where]
    return min(found) if found else len(q.sections)


def _home_zone(ctx: Context, survey: Survey, state: FormState) -> tuple[str | None, list[Problem]]:
    if state.home_zone:
        return state.home_zone, []
    if not (state.home_lon or state.home_lat):
        return None, []
    point = survey_web.parse_point(state.home_lon, state.home_lat)
    hit = survey_web.zone_at(ctx, survey, *point) if point else None
    if hit is None:
        return None, [Problem(_("svaret"), _("punktet ligger ikke i noen av sonene; velg fra listen"),
                              field="home_zone")]
    return hit, []


def _closed_or_unknown(ctx: Context, code: str, state: FormState) -> tuple[str, Any]:
    why = open_survey(ctx, code)
    if isinstance(why, Survey):  # opened meanwhile
        return "closed", "unknown"
    if why == "closed" and state.action == "submit" and state.token:
        try:  # a retry of a response stored before the survey closed still gets its thank-you page
            survey_submit.submit(ctx, code, {}, state.token, state.lang)
        except (InputError, ConflictError, NotFoundError):
            return "closed", why
        return "done", None
    return "closed", why


def _work(ctx: Context, code: str, state: FormState) -> tuple[str, Any]:
    """The blocking part of a POST, run in a worker thread: ``(what, detail)``. The final submit reads the
    questionnaire (one query, parsed once per version) and writes in one transaction; the survey itself is
    read only when a page is shown again or a zone's point is needed."""
    q = QUESTIONNAIRES.get(ctx, code) if state.action == "submit" else None
    if q is None or state.lang not in q.languages:
        try:
            q = QUESTIONNAIRES.fresh(ctx, code)
        except (NotFoundError, InputError):  # unknown, or not open (the public may not read it)
            return _closed_or_unknown(ctx, code, state)
    found: list[Survey] = []

    def survey() -> Survey:
        if not found:
            found.append(survey_service.get_survey(ctx, code))
        return found[0]

    state.lang = views_survey.pick_language(q, state.lang)
    state.token = state.token if survey_submit.TOKEN_PATTERN.match(state.token) else survey_submit.new_token()
    given = answers(state, q, lambda z: survey_web.zone_point(ctx, survey(), z))
    if state.action == "back":
        return "step", (survey(), q, state.step - 1, [], 200)
    if state.action != "submit" and state.step < len(q.sections):
        problems = survey_web.section_problems(q, given, q.sections[state.step].id)
        return "step", (survey(), q, state.step + (0 if problems else 1), problems, 422 if problems else 200)
    if state.honeypot:
        return "done", None  # a bot filled the hidden field: answer as if stored, store nothing
    zone, problems = (state.home_zone, []) if state.home_zone else _home_zone(ctx, survey(), state)
    if problems:
        return "step", (survey(), q, len(q.sections), problems, 422)
    try:
        with writer(ctx.store.dialect):
            survey_submit.submit(ctx, code, given, state.token, state.lang, home_zone=zone,
                                 invitation_code=state.invitation or None)
    except InputError as exc:
        if any(p.field == "survey" for p in exc.problems):
            return _closed_or_unknown(ctx, code, state)
        if not QUESTIONNAIRES.is_current(ctx, code, q):  # read the fields with a stale version: once more
            QUESTIONNAIRES.forget(ctx, code)
            return _work(ctx, code, state)
        return "step", (survey(), q, _step_of(q, exc.problems), exc.problems, 422)
    except ConflictError as exc:
        problem = Problem(_("svaret"), str(exc), field="token")
        return "step", (survey(), q, len(q.sections), [problem], 409)
    except NotFoundError:
        return "closed", "unknown"
    return "done", None


async def submit_form(request: Request, ctx: Context, code: str, state: FormState) -> Response:
    set_language("nb" if state.lang in ("nb", "nn", "") else "en")
    what, detail = await run_submit(ctx.store.dialect, _work, ctx, code, state)
    set_language("nb" if state.lang in ("nb", "nn") else "en")
    if what == "closed":
        return closed_page(request, detail, code)
    if what == "done":
        target = f"/s/{code}/takk?lang={state.lang}"
        if is_htmx(request):
            return Response(status_code=200, headers={"HX-Redirect": target})
        return Response(status_code=303, headers={"Location": target})
    survey, q, step, problems, status = detail
    return render_step(request, ctx, survey, q, state, step, problems, status)

"""Read models of the survey pages: the questionnaire in one language as plain dicts (the public form and
its JSON twin), and the admin list and survey pages."""

from __future__ import annotations

from typing import Any

from nabolag.domain.survey import Question, Questionnaire, direction, text_in
from nabolag.i18n import _, get_language
from nabolag.services import survey as survey_service
from nabolag.services import survey_submit, survey_templates, survey_web
from nabolag.services import zones as zone_service
from nabolag.services.context import ROLES_FOR_ALL_AREAS, Context
from nabolag.services.survey_base import Survey

LANGUAGE_NAMES = {
    "nb": "Norsk (bokmål)", "nn": "Norsk (nynorsk)", "en": "English", "ar": "العربية", "so": "Soomaali",
    "pl": "Polski", "ur": "اردو", "ti": "ትግርኛ", "fa": "فارسی", "se": "Davvisámegiella", "uk": "Українська",
    "tr": "Türkçe", "ru": "Русский", "de": "Deutsch", "es": "Español", "fr": "Français", "prs": "دری",
    "ps": "پښتو", "ku": "Kurdî", "ckb": "کوردی", "lt": "Lietuvių", "vi": "Tiếng Việt", "th": "ไทย",
}


def language_name(code: str) -> str:
    return LANGUAGE_NAMES.get(code, code)


def question_view(x: Question, lang: str, fallback: str) -> dict[str, Any]:
    def t(texts: dict[str, str]) -> str:
        return text_in(texts, lang, fallback) if texts else ""

    return {
        "id": x.id, "type": x.type, "text": t(x.text), "help": t(x.help), "required": x.required,
        "choices": [{"code": c.code, "text": t(c.text)} for c in x.choices], "points": x.points,
        "low": t(x.low), "high": t(x.high), "min": x.min, "max": x.max, "integer": x.integer,
        "max_length": x.max_length or (2000 if x.type == "text" else 0), "max_choices": x.max_choices,
        "bounds": list(x.bounds) if x.bounds else None, "background": x.background, "theme": x.theme,
    }


def questionnaire_view(q: Questionnaire, lang: str) -> dict[str, Any]:
    """Every text in ``lang`` (falling back to the questionnaire's first language), with ``dir``."""
    fallback = q.default_language
    return {
        "code": q.code, "version": q.version, "audience": q.audience, "language": lang, "dir": direction(lang),
        "languages": [{"code": c, "name": language_name(c), "dir": direction(c)} for c in q.languages],
        "title": text_in(q.title, lang, fallback), "description": text_in(q.description, lang, fallback)
        if q.description else "",
        "sections": [{"id": s.id, "title": text_in(s.title, lang, fallback),
                      "intro": text_in(s.intro, lang, fallback) if s.intro else "",
                      "questions": [question_view(x, lang, fallback) for x in s.questions]} for s in q.sections],
    }


def pick_language(q: Questionnaire, asked: str | None) -> str:
    """``asked`` if the questionnaire has it, else the questionnaire's first language."""
    return asked if asked and asked in q.languages else q.default_language


def public_form(ctx: Context, survey: Survey, q: Questionnaire, lang: str) -> dict[str, Any]:
    """The public form's data: the survey, the questionnaire in ``lang`` and the home zones to choose from."""
    home = survey_web.home_zones(ctx, survey)
    codes = ",".join(home.codes) if len(home.codes) <= 2000 else ""
    return {
        "survey": {"code": survey.code, "mode": survey.mode, "status": survey.status, "period": survey.period},
        "questionnaire": questionnaire_view(q, lang),
        "home_zones": {"level": home.level, "zones": home.choices(), "bbox": home.bbox(),
                       "geojson": f"/geo/{home.level}.geojson?zoom=12" + (f"&codes={codes}" if codes else "")},
        "postcode": False,
    }


# --- admin -----------------------------------------------------------------------------------------------

def visible_surveys(ctx: Context) -> list[Survey]:
    found = survey_service.list_surveys(ctx)
    if ctx.role in ROLES_FOR_ALL_AREAS:
        return found
    return [s for s in found if s.area and s.area in ctx.areas]


def list_page(ctx: Context) -> dict[str, Any]:
    areas = zone_service.list_areas(ctx)
    if ctx.role not in ROLES_FOR_ALL_AREAS:
        areas = [a for a in areas if a.code in ctx.areas]
    return {
        "surveys": [{**s.as_dict(), "links": links(s.code)} for s in visible_surveys(ctx)],
        "templates": [t.as_dict() for t in survey_templates.list_templates(get_language())],
        "areas": [{"code": a.code, "name": a.name} for a in areas],
        "may_create": ctx.role in ("admin", "analyst", "coordinator"),
        "may_create_citywide": ctx.role in ROLES_FOR_ALL_AREAS,
    }


def links(code: str) -> dict[str, str]:
    base = f"/surveys/{code}"
    return {"admin": base, "public": f"/s/{code}", "preview": f"{base}/preview", "translate": f"{base}/translate",
            "counts": f"{base}/counts", "json": f"{base}.json"}


def counts_view(ctx: Context, survey: Survey) -> dict[str, Any]:
    c = survey_submit.counts(ctx, survey.code)
    names = {z: n for z, n in zip(*_zone_names(ctx, survey), strict=True)}
    zones = [{"code": code, "name": names.get(code, code) if code else "", "count": n}
             for code, n in c.by_zone.items()]
    zones.sort(key=lambda z: (z["code"] == "", -(z["count"] or 0), z["name"]))
    return {"survey": survey.code, "total": c.total, "zones": zones, "invitations": c.invitations,
            "invitations_used": c.invitations_used}


def _zone_names(ctx: Context, survey: Survey) -> tuple[tuple[str, ...], tuple[str, ...]]:
    home = survey_web.home_zones(ctx, survey)
    return home.codes, home.names


def survey_page(ctx: Context, survey: Survey) -> dict[str, Any]:
    q = survey_service.get_questionnaire(ctx, survey.code)
    view = questionnaire_view(q, pick_language(q, get_language()))
    return {
        "survey": survey.as_dict(),
        "questionnaire": {"code": q.code, "version": q.version, "title": view["title"], "audience": q.audience,
                          "languages": view["languages"],
                          "sections": [{"id": s["id"], "title": s["title"], "questions": len(s["questions"])}
                                       for s in view["sections"]]},
        "counts": counts_view(ctx, survey),
        "may_edit": survey_web.may_edit(ctx, survey),
        "links": links(survey.code),
        "extra_links": extra_links(survey.code),
        "files": files_view(ctx, survey, q),
    }


def extra_links(code: str) -> list[dict[str, str]]:
    """Links beside the survey's own (public form, preview, translate): its results page."""
    return [{"href": f"/surveys/{code}/results", "label": _("Resultater"), "rel": "results"}]


def files_view(ctx: Context, survey: Survey, q: Questionnaire) -> dict[str, Any]:
    """The export and paper-import forms: who sees them (the services check again) and where they post.
    Export: everyone who may read the admin page (admin, analyst, the area's coordinator); paper import:
    those who may change the survey."""
    base = f"/surveys/{survey.code}"
    return {"may_export": True, "may_import": survey_web.may_edit(ctx, survey),
            "export": f"{base}/export", "import": f"{base}/import",
            "columns": ["zone", "language", *[x.id for x in q.questions()]]}

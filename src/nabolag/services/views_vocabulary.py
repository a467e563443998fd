"""Read model of the vocabulary page (issue 5): the dimensions and themes of social sustainability with
the UN SDG targets each serves, and whether a term differs from the shipped defaults. Everyone reads it;
only an admin changes it (:mod:`nabolag.services.vocabulary`)."""

from __future__ import annotations

from nabolag.domain.vocabulary import DEFAULT_TERMS, Term, TermKind
from nabolag.i18n import _, get_language
from nabolag.services import vocabulary
from nabolag.services.context import Context


def kind_label(kind: str) -> str:
    return {"dimension": _("Dimensjoner"), "theme": _("Tema")}.get(kind, kind)


def _term(t: Term, lang: str) -> dict[str, object]:
    default = next((d for d in DEFAULT_TERMS if d.kind == t.kind and d.code == t.code), None)
    origin = "added" if default is None else "default" if default == t else "changed"
    return {
        "kind": str(t.kind),
        "code": t.code,
        "name": t.name(lang),
        "name_nb": t.name_nb,
        "name_en": t.name_en,
        "description": t.description,
        "sort_order": t.sort_order,
        "sdg_targets": [{"target": s, "goal": int(s.split(".")[0])} for s in t.sdg_targets],
        "origin": origin,
    }


def vocabulary_page(ctx: Context) -> dict[str, object]:
    """Dimensions and themes with their SDG targets; which defaults are missing; whether the user may edit."""
    lang = get_language()
    terms = vocabulary.list_terms(ctx)
    stored = {(str(t.kind), t.code) for t in terms}
    groups = [
        {
            "kind": str(k),
            "label": kind_label(str(k)),
            "terms": [_term(t, lang) for t in sorted(terms, key=lambda t: (t.sort_order, t.code)) if t.kind == k],
        }
        for k in TermKind
    ]
    missing = [
        {"kind": str(d.kind), "code": d.code, "name": d.name(lang)}
        for d in DEFAULT_TERMS
        if (str(d.kind), d.code) not in stored
    ]
    changed = sum(1 for g in groups for t in g["terms"] if t["origin"] != "default")  # type: ignore[attr-defined]
    return {
        "groups": groups,
        "missing_defaults": missing,
        "differs_from_defaults": bool(missing) or changed > 0,
        "can_edit": ctx.role == "admin",
        "choices": {"kinds": [{"code": str(k), "label": kind_label(str(k))} for k in TermKind]},
    }

"""Zone profile (issue 9, item 3): one A4 page per zone, as HTML and PDF from one template.

The page: the zone's name, level, parent, population and programme areas; the zone on a map of the zones
around it; its living-conditions index values (value, score 1–10 by decile, rank); a table of every
indicator's latest published figure for the zone (with its 95 % interval), its parent and the city, with a
spine chart (:mod:`nabolag.reports.zone_profile_charts`); walking access where computed; sources.
Published figures only: a small cell shows the suppression mark and a footnote.

Every zone of a level in one run: :func:`nabolag.reports.zone_profile_batch.write_profiles`.
"""

from __future__ import annotations

import datetime as dt
import re

from nabolag.i18n import _
from nabolag.reports.format import number
from nabolag.reports.render import html_to_pdf, render_html
from nabolag.reports.tables import Notes, cell
from nabolag.reports.zone_profile_charts import legend_svg
from nabolag.reports.zone_profile_data import Shared, profile_data
from nabolag.services.context import Context
from nabolag.services.views_common import rule_sentences

__all__ = ["Shared", "profile_context", "zone_profile_html", "zone_profile_pdf"]

#: Rows above these make the table's type smaller (compact, then dense), so a profile stays on one page.
COMPACT_ROWS, DENSE_ROWS = 18, 27
#: A name's closing words in brackets ("… (andel ja)") become a footnote shared by the rows that have them.
TRAILING_NOTE = re.compile(r"^(?P<name>.*\S)\s*\((?P<note>[^()]+)\)$")


def _name(name: str, notes: Notes) -> dict[str, object]:
    m = TRAILING_NOTE.match(name)
    if m is None or len(name) < 40:
        return {"short_name": name, "name_note": None}
    return {"short_name": m["name"], "name_note": notes.add(m["note"][:1].upper() + m["note"][1:] + ".")}


def _cells(row: dict[str, object], notes: Notes) -> dict[str, object]:
    out = {}
    for role in ("zone", "parent", "city"):
        c = row.get(role)
        if not c:
            out[role] = None
            continue
        with_ci = role == "zone"
        out[role] = cell(c["value"], str(row["unit"]), c["ci_low"] if with_ci else None,  # type: ignore[index]
                         c["ci_high"] if with_ci else None, suppressed=bool(c["suppressed"]),  # type: ignore[index]
                         reason=str(c["reason"] or _("prikket")), notes=notes)  # type: ignore[index]
    return out


def _density(rows: int) -> str:
    return "dense" if rows > DENSE_ROWS else "compact" if rows > COMPACT_ROWS else ""


def _facts(p: dict[str, object]) -> list[tuple[str, str]]:
    zone: dict = p["zone"]  # type: ignore[assignment]
    facts = [(_("Nivå"), str(zone["level_label"])), (_("Kode"), str(zone["code"]))]
    if zone.get("parent"):
        facts.append((_("Del av"), f"{zone['parent']['name']} ({zone['parent']['level_label']})"))
    pop: dict | None = p["population"]  # type: ignore[assignment]
    if pop and not pop["suppressed"] and pop["value"] is not None:
        facts.append((_("Befolkning"), _("{n} personer ({period})", n=number(pop["value"], "personer"),
                                         period=pop["period"])))
    if p["areas"]:
        facts.append((_("Områdesatsing"), "; ".join(f"{a['name']} ({a['role_label']})" for a in p["areas"])))  # type: ignore[attr-defined]
    return facts


def profile_context(ctx: Context, code: str, shared: Shared | None = None) -> dict[str, object]:
    """The template context of a zone's profile (the content model plus cells, notes and page facts)."""
    shared = shared or Shared(ctx)
    p = profile_data(ctx, code, shared)
    zone: dict = p["zone"]  # type: ignore[assignment]
    date = dt.date.today().isoformat()
    notes = Notes()
    groups = []
    access = p["access"] if p["access"] and p["access"].get("kinds") else None  # type: ignore[attr-defined]
    for g in p["groups"]:  # type: ignore[attr-defined]
        if access and g["method"] == "network":
            continue  # walking access has its own table below
        groups.append({**g, "rows": [{**r, **_name(str(r["name"]), notes), "cells": _cells(r, notes)}
                                     for r in g["rows"]]})
    places: dict = p["places"]  # type: ignore[assignment]
    title = _("Soneprofil: {zone}", zone=zone["name"])
    city = places.get("city") or {}
    return {
        "report": {"title": title,
                   "subtitle": _("{level} i {parent}", level=str(zone["level_label"]).capitalize(),
                                 parent=", ".join(dict.fromkeys(
                                     x["name"] for x in (zone.get("parent"), zone.get("city")) if x))),
                   "date": date, "synthetic": p["synthetic"], "toc": [], "facts": []},
        "facts": _facts(p), "p": p, "groups": groups, "places": places, "notes": notes.items, "access": access,
        "density": _density(sum(len(g["rows"]) for g in groups)),
        "legend_svg": legend_svg(), "city_name": city.get("name", _("byen")),
        "suppression": " ".join(x for x in (
            _("Tallene er publiserte tall: grupper med færre enn {threshold} personer eller hendelser i grunnlaget "
              "er prikket (:).", threshold=int(ctx.settings.suppression_threshold)),
            rule_sentences(ctx, shared.indicators)) if x),
    }


def zone_profile_html(ctx: Context, code: str, shared: Shared | None = None) -> str:
    """The zone's profile as a standalone HTML page (styles inline) in the current language."""
    return render_html("zone_profile.html", profile_context(ctx, code, shared))


def zone_profile_pdf(ctx: Context, code: str, shared: Shared | None = None) -> bytes:
    """The zone's profile as a one-page tagged A4 PDF in the current language."""
    context = profile_context(ctx, code, shared)
    return html_to_pdf(render_html("zone_profile.html", context), title=str(context["report"]["title"]))  # type: ignore[index]

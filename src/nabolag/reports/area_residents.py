"""What residents said, in an area report: the resident survey (weighted results for the area against
the city, a radar chart, and in a follow-up the change since the earlier round) and participation (the
log's published figures and, in a follow-up, «you said, we did»)."""

from __future__ import annotations

from typing import Any

from nabolag.charts import radar_chart, to_svg
from nabolag.i18n import _
from nabolag.reports import content as c
from nabolag.reports.area_data import AreaData
from nabolag.reports.area_survey import survey_results_for
from nabolag.reports.tables import Notes, cell, text_cell
from nabolag.services.context import Context
from nabolag.services.views_participation import participation_page, you_said_page


def hidden_text() -> str:
    return _("prikket: for få svar")


def _survey_table(page: dict[str, Any], radar: dict[str, Any] | None, d: AreaData) -> dict[str, object]:
    q = page["questionnaire"]
    city = {f"{q}_{v['theme']}"[:60]: v for v in (radar or {}).get("values", []) if v["place"] == "city"}
    notes, rows = Notes(), []
    for ind in page["indicators"]:
        unit = "prosent" if ind["kind"] == "proportion" else ""
        cv = city.get(ind["indicator"])
        rows.append({"_key": ind["indicator"], "label": ind["label"],
                     "area": cell(ind["value"], unit, ind["ci_low"], ind["ci_high"], suppressed=bool(ind["suppressed"]),
                                  reason=hidden_text(), notes=notes),
                     "n": cell(None if ind["suppressed"] else ind["n"], "antall"),
                     "city": cell(cv["value"], unit, cv["ci_low"], cv["ci_high"]) if cv else text_cell("–")})
    city_name = radar["city_name"] if radar else _("byen")
    return {"id": "tab-undersokelse", "caption": _("Svar i {area} og {city}, {period} (vektet)", area=d.area.name,
                                                    city=city_name, period=page["survey"].get("period")),
            "columns": [{"key": "label", "label": _("Spørsmål")},
                        {"key": "area", "label": d.area.name, "num": True},
                        {"key": "n", "label": _("Svar"), "num": True},
                        {"key": "city", "label": city_name, "num": True}],
            "rows": rows, "notes": notes.items,
            "source": _("{title} ({period}); andel i prosent eller snitt, 95 % konfidensintervall",
                        title=page["survey"].get("title") or page["survey"].get("code"),
                        period=page["survey"].get("period"))}


def _change_table(page: dict[str, Any], d: AreaData) -> dict[str, object] | None:
    ch = page.get("change")
    if not ch:
        return None
    notes, rows = Notes(), []
    for r in ch["rows"]:
        if r["place"] != d.area.code:
            continue
        hidden = r["before"] is None and r["after"] is None
        rows.append({"_key": r["indicator"], "label": r["label"],
                     "before": cell(r["before"], suppressed=hidden, reason=hidden_text(), notes=notes),
                     "after": cell(r["after"], suppressed=hidden, reason=hidden_text(), notes=notes),
                     "change": cell(r["change"], "", r["ci_low"], r["ci_high"], signed=True),
                     "verdict": r["verdict_label"]})
    before, after = ch["before"]["period"], ch["after"]["period"]
    return {"id": "tab-undersokelse-endring", "caption": _("Endring i {area} fra {before} til {after}",
                                                            area=d.area.name, before=before, after=after),
            "columns": [{"key": "label", "label": _("Spørsmål")}, {"key": "before", "label": before, "num": True},
                        {"key": "after", "label": after, "num": True},
                        {"key": "change", "label": _("Endring"), "num": True},
                        {"key": "verdict", "label": _("Vurdering")}],
            "rows": rows, "notes": notes.items}


def survey_blocks(ctx: Context, d: AreaData) -> tuple[list[dict[str, object] | None], dict[str, Any] | None]:
    page = survey_results_for(ctx, d)
    if page is None:
        return [c.notice(_("Ingen innbyggerundersøkelse har resultater for {area} ennå.", area=d.area.name))], None
    radar = page["radar"]
    summary = {s["code"]: s for s in page["summary"]}
    mine = summary.get(d.area.code, {})
    s = page["survey"]
    intro = _("Innbyggerundersøkelsen «{title}» ({period}): {n} svar fra {area}. Svarene er vektet etter alder og "
              "kjønn i hver sone, så de ligner befolkningen.", title=s.get("title") or s.get("code"),
              period=s.get("period"), n=mine.get("n") if not mine.get("suppressed") else ":", area=d.area.name)
    blocks: list[dict[str, object] | None] = [c.text(intro), c.table(_survey_table(page, radar, d))]
    if radar and radar["themes"] and any(v["value"] is not None for v in radar["values"]):
        svg = to_svg(radar_chart(radar), 420)
        blocks.append(c.figure(svg, _("Svarene i {area} og {city} (tallene på eikene er radene i tabellen over "
                                      "med samme tema).", area=d.area.name, city=radar["city_name"]),
                               _("{title} ({period})", title=s.get("title") or s.get("code"), period=s.get("period")),
                               "fig-radar"))
    if d.follow_up:
        change = _change_table(page, d)
        blocks.append(c.table(change) if change else c.notice(_("Undersøkelsen har ingen tidligere runde å "
                                                                "sammenligne med.")))
    return blocks, page


def participation_blocks(ctx: Context, d: AreaData) -> list[dict[str, object] | None]:
    page = participation_page(ctx, d.area.code)
    s = page["summary"]
    intro = _("Medvirkningsloggen har {events} møter og arrangementer med {participants} deltakere, og {inputs} "
              "innspill; {answered} er besvart, {within} innen {days} dager.", events=s["events"],  # type: ignore[index]
              participants=s["participants"], inputs=s["inputs"], answered=s["answered"],  # type: ignore[index]
              within=s["answered_within"], days=s["answered_within_days"])  # type: ignore[index]
    derived: dict[str, Any] = page["derived"]  # type: ignore[assignment]
    blocks: list[dict[str, object] | None] = [c.text(intro)]
    if derived.get("indicators"):
        notes, rows = Notes(), []
        for ind in derived["indicators"]:
            row: dict[str, object] = {"_key": ind["indicator"], "name": ind["name"]}
            for v in ind["values"]:
                row[str(v["period"])] = cell(v["value"], ind["unit"], suppressed=bool(v["suppressed"]),
                                             reason=_("prikket: færre enn terskelen"), notes=notes)
            rows.append(row)
        cols = [{"key": "name", "label": _("Indikator")}] + [{"key": y, "label": y, "num": True}
                                                             for y in derived["years"]]
        blocks.append(c.table({"id": "tab-medvirkning", "caption": _("Medvirkning år for år"), "columns": cols,
                               "rows": rows, "notes": notes.items, "source": _("medvirkningsloggen i nabolag")}))
    if d.follow_up:
        blocks += _you_said(ctx, d)
    return blocks


def _you_said(ctx: Context, d: AreaData) -> list[dict[str, object] | None]:
    page = you_said_page(ctx, d.area.code)
    rows = [{"_key": i["code"], "received": i["received"] or "", "theme": i.get("theme_label") or "",
             "text": i["text"], "status": i["status_label"], "answer": i.get("answer") or "–"}
            for i in page["items"]]  # type: ignore[attr-defined]
    s = page["summary"]
    return [c.text(_("Dere sa, vi gjorde: {answered} av {inputs} innspill er besvart ({percent} %).",
                     answered=s["answered"], inputs=s["inputs"], percent=s.get("answered_percent")))  # type: ignore[index, attr-defined]
            if rows else c.notice(_("Ingen innspill er registrert.")),
            c.table({"id": "tab-dere-sa", "caption": _("Dere sa, vi gjorde"),
                     "columns": [{"key": "received", "label": _("Mottatt")}, {"key": "theme", "label": _("Tema")},
                                 {"key": "text", "label": _("Innspill")}, {"key": "status", "label": _("Status")},
                                 {"key": "answer", "label": _("Svar fra kommunen")}],
                     "rows": rows})]


def residents_section(ctx: Context, d: AreaData) -> tuple[dict[str, object], dict[str, Any] | None]:
    survey, page = survey_blocks(ctx, d)
    return c.section("innbyggerne", _("Hva innbyggerne sa"), [], [
        c.section("innbyggerne-undersokelse", _("Innbyggerundersøkelsen"), survey),
        c.section("innbyggerne-medvirkning", _("Medvirkning"), participation_blocks(ctx, d))]), page

"""Read models of the participation pages (issue 5): the participation log of an area for signed-in
readers, and the public «Dere sa, vi gjorde» page.

The log carries events (kind, date, place, organiser, attendance by group) and inputs with their
status and answer, the figures derived from them, and the choices the edit forms offer. The public page
is built only from :func:`nabolag.services.participation.you_said_we_did`, which gives the fields in
``PUBLIC_FIELDS``: no organiser, nothing from the audit log, nothing about who gave an input.
"""

from __future__ import annotations

import datetime as dt

from nabolag.domain.participation import Event, EventKind, InputStatus, event_kind_label, input_status_label
from nabolag.domain.programme import group_label
from nabolag.i18n import _, get_language
from nabolag.services import actors, observations, participation, programme_indicators, vocabulary, zones
from nabolag.services import programme as programme_service
from nabolag.services.context import ROLES_FOR_ALL_AREAS, Context
from nabolag.services.export import published
from nabolag.services.views_common import num, synthetic_note

#: Attendance groups with their own field in the event form; others go in the free list.
FORM_GROUPS = ("age:0-12", "age:13-19", "age:67+", "gender:female", "gender:male")
#: The derived indicators the participation log gives (see services.programme_indicators).
LOG_INDICATORS = ("arrangementer", "moteplasser", "deltakelse", "innspill_besvart")


def may_edit_area(ctx: Context, area_code: str) -> bool:
    """Whether the user may change the area's programme (what the services allow), to show edit controls."""
    return ctx.role in ROLES_FOR_ALL_AREAS or (ctx.role == "coordinator" and area_code in ctx.areas)


def derived_figures(ctx: Context, area_code: str, codes: tuple[str, ...]) -> dict[str, object]:
    """The area's published derived indicators, year by year (small cells hidden): ``years`` and
    ``indicators`` (each with its ``values`` by period)."""
    frame = observations.query(ctx, areas=[area_code], indicators=list(codes), groups="")
    if frame.empty:
        return {"years": [], "indicators": []}
    shown = published(ctx, frame)
    defs = {c: programme_indicators.DERIVED[programme_indicators.CODES.index(c)] for c in codes}
    lang = get_language()
    out = []
    for code in codes:
        rows = shown[shown["indicator"] == code].sort_values("period")
        if rows.empty:
            continue
        ind = defs[code]
        out.append(
            {
                "indicator": code,
                "name": ind.name(lang),
                "unit": ind.unit,
                "definition": ind.definition,
                "values": [
                    {"period": str(r["period"]), "value": num(r["value"]), "suppressed": bool(r["suppression_reason"])}
                    for r in rows.to_dict("records")
                ],
            }
        )
    return {"years": sorted({str(p) for p in shown["period"]}), "indicators": out}


def _event(e: Event, actor_names: dict[str, str], inputs_per_event: dict[str, int]) -> dict[str, object]:
    return {
        "code": e.code,
        "kind": str(e.kind),
        "kind_label": event_kind_label(str(e.kind)),
        "title": e.title,
        "date": e.date.isoformat(),
        "place": e.place,
        "organiser": e.organiser,
        "organiser_name": actor_names.get(e.organiser or ""),
        "total": e.total,
        "attendance": [{"group": g, "label": group_label(g), "count": n} for g, n in e.attendance],
        "description": e.description,
        "inputs": inputs_per_event.get(e.code, 0),
    }


def participation_page(ctx: Context, area_code: str) -> dict[str, object]:
    """The participation log of an area: events, inputs, figures, and the edit choices."""
    area = zones.get_area(ctx, area_code)
    lang = get_language()
    events = participation.list_events(ctx, area.code)
    public = participation.you_said_we_did(ctx, area.code)
    by_code = {str(x["code"]): x for x in public.items}
    inputs = participation.list_inputs(ctx, area.code)
    themes = vocabulary.list_terms(ctx, "theme")
    measures = programme_service.list_measures(ctx, area.code, with_geometry=False)
    actor_list = actors.list_actors(ctx, area.code)
    actor_names = {a.code: a.name for a in actor_list}
    per_event: dict[str, int] = {}
    for i in inputs:
        if i.event:
            per_event[i.event] = per_event.get(i.event, 0) + 1
    items = []
    for i in sorted(inputs, key=lambda x: (x.received, x.code), reverse=True):
        shown = by_code[i.code]
        items.append(
            {
                **shown,
                "event": i.event,
                "within_deadline": i.answered_within(programme_indicators.ANSWER_DAYS) if i.answered else None,
            }
        )
    totals = [e.total for e in events if e.total is not None]
    places = {e.place.strip().casefold() for e in events if e.place.strip()}
    summary = {
        "events": len(events),
        "participants": sum(totals),
        "events_counted": len(totals),
        "places": len(places),
        **public.summary,
    }
    return {
        "area": {"code": area.code, "name": area.name, "synthetic": area.synthetic},
        "synthetic": area.synthetic,
        "note": synthetic_note(area.synthetic),
        "summary": summary,
        "events": [
            _event(e, actor_names, per_event) for e in sorted(events, key=lambda x: (x.date, x.code), reverse=True)
        ],
        "inputs": items,
        "derived": derived_figures(ctx, area.code, LOG_INDICATORS),
        "can_edit": may_edit_area(ctx, area.code),
        "choices": {
            "event_kinds": [{"code": str(k), "label": event_kind_label(str(k))} for k in EventKind],
            "statuses": [{"code": str(s), "label": input_status_label(str(s))} for s in InputStatus],
            "themes": [{"code": t.code, "label": t.name(lang)} for t in themes],
            "measures": [{"code": m.code, "label": m.title} for m in measures],
            "events": [{"code": e.code, "label": f"{e.date.isoformat()} {e.title}"} for e in events],
            "organisers": [{"code": a.code, "label": a.name} for a in actor_list],
            "groups": [{"group": g, "label": group_label(g)} for g in FORM_GROUPS],
            "today": dt.date.today().isoformat(),
        },
        "links": {"public": f"/areas/{area.code}/you-said-we-did", "area": f"/areas/{area.code}"},
    }


def you_said_page(ctx: Context, area_code: str) -> dict[str, object]:
    """The public «you said, we did» page: inputs grouped by theme, then by measure, with a summary.

    Only the fields of :data:`nabolag.services.participation.PUBLIC_FIELDS` are used."""
    result = participation.you_said_we_did(ctx, area_code)
    fields = participation.PUBLIC_FIELDS
    items = [{k: x.get(k) for k in fields} for x in result.items]
    groups: dict[str, dict[str, object]] = {}
    for x in items:
        key = str(x["theme"] or "")
        group = groups.setdefault(
            key, {"theme": x["theme"], "label": x["theme_label"] or _("Uten tema"), "measures": {}}
        )
        measures: dict[str, dict[str, object]] = group["measures"]  # type: ignore[assignment]
        mkey = str(x["measure"] or "")
        measure = measures.setdefault(mkey, {"measure": x["measure"], "title": x["measure_title"], "items": []})
        measure["items"].append(x)  # type: ignore[attr-defined]
    ordered = sorted(groups.values(), key=lambda g: (g["theme"] is None, str(g["label"]).casefold()))
    for g in ordered:
        g["measures"] = sorted(
            g["measures"].values(),  # type: ignore[attr-defined]
            key=lambda m: (m["measure"] is None, str(m["title"] or "").casefold()),
        )
        g["inputs"] = sum(len(m["items"]) for m in g["measures"])  # type: ignore[attr-defined]
    summary = dict(result.summary)
    answered, total = int(summary["answered"]), int(summary["inputs"])  # type: ignore[call-overload]
    summary["answered_percent"] = round(100 * answered / total) if total else None
    summary["within_percent"] = round(100 * int(summary["answered_within"]) / answered) if answered else None  # type: ignore[call-overload]
    summary["by_status"] = [
        {"status": s, "label": input_status_label(s), "inputs": n} for s, n in dict(result.summary["by_status"]).items()
    ]  # type: ignore[call-overload]
    return {
        "area": {"code": result.area_code, "name": result.area_name, "synthetic": result.synthetic},
        "synthetic": result.synthetic,
        "note": synthetic_note(result.synthetic),
        "summary": summary,
        "groups": ordered,
        "items": items,
    }

"""What the area and zone pages show of an area's programme (issue 5): targets per indicator, and a
summary of goals, measures (with their locations for the area map) and participation, with links to the
programme's own pages. Counts and titles only: nothing about who gave an
input, nothing from the audit log."""

from __future__ import annotations

from nabolag.domain.programme import MeasureStatus, measure_kind_label, measure_status_label
from nabolag.i18n import _
from nabolag.services import participation
from nabolag.services import programme as programme_service
from nabolag.services.context import Context
from nabolag.services.views_common import num
from nabolag.services.views_programme_page import measures_geojson


def area_targets(ctx: Context, area_code: str) -> dict[str, list[dict[str, object]]]:
    """Per indicator code: the target values the area's goals set for it (value, period, goal)."""
    out: dict[str, list[dict[str, object]]] = {}
    for g in programme_service.list_goals(ctx, area_code):
        for link in g.indicators:
            if link.target_value is not None:
                out.setdefault(link.indicator, []).append({
                    "value": num(link.target_value), "period": link.target_period or None, "goal": g.code,
                    "goal_title": g.title})
    return out


def _part(part: str, name: str, recorded: bool, **summary: object) -> dict[str, object]:
    return {"part": part, "name": name, "recorded": recorded, **summary}


def programme_summary(ctx: Context, area_code: str) -> dict[str, object]:
    """Goals with their progress, measures by status, and participation (events, inputs, answers)."""
    goals = programme_service.list_goals(ctx, area_code)
    measures = programme_service.list_measures(ctx, area_code)
    report = programme_service.progress(ctx, area_code)
    events = participation.list_events(ctx, area_code)
    answers = participation.you_said_we_did(ctx, area_code).summary
    goal_items = [{"code": g.code, "title": g.title, "measures": int(report.goals[g.code].measures),
                   "progress_percent": report.goals[g.code].as_dict().get("percent"),
                   "indicators": len(g.indicators)} for g in goals]
    by_status = [{"status": str(s), "label": measure_status_label(str(s)),
                  "measures": sum(1 for m in measures if str(m.status) == str(s))} for s in MeasureStatus]
    total = report.total.as_dict()
    parts = [
        _part("goals", _("Mål"), bool(goals), goals=goal_items),
        _part("measures", _("Tiltak"), bool(measures), measures=len(measures),
              by_status=[s for s in by_status if s["measures"]], progress_percent=total.get("percent"),
              budget=num(total.get("budget")), spent=num(total.get("spent")),
              items=[{"code": m.code, "title": m.title, "status": str(m.status),
                      "status_label": measure_status_label(str(m.status)),
                      "kind_label": measure_kind_label(str(m.kind)), "located": m.geometry is not None}
                     for m in measures]),
        _part("participation", _("Medvirkning"), bool(events) or bool(answers["inputs"]), events=len(events),
              inputs=answers["inputs"], answered=answers["answered"],
              answered_within=answers["answered_within"], answered_within_days=answers["answered_within_days"]),
    ]
    recorded = any(p["recorded"] for p in parts)
    note = "" if recorded else _("Mål, tiltak og medvirkning er ikke registrert for dette området ennå.")
    base = f"/areas/{report.area.code}"
    links = {"programme": f"{base}/programme", "logic_model": f"{base}/logic-model",
             "participation": f"{base}/participation", "you_said_we_did": f"{base}/you-said-we-did"}
    return {"parts": parts, "recorded": recorded, "note": note, "links": links,
            "map": measures_geojson(measures)}

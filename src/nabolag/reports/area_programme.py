"""The programme in an area report: the logic model (goals → measures → indicators and methods) and the
measures' progress (follow-up)."""

from __future__ import annotations

from typing import Any

from nabolag.domain.programme import measure_kind_label, measure_status_label
from nabolag.i18n import _
from nabolag.reports import content as c
from nabolag.reports.area_data import AreaData
from nabolag.reports.format import number
from nabolag.reports.tables import cell
from nabolag.services import programme as programme_service
from nabolag.services.context import Context


def _indicator_line(node: dict[str, Any]) -> str:
    parts = [str(node["name"])]
    if node.get("method_label"):
        parts.append(_("metode: {method}", method=node["method_label"]))
    t = node.get("target")
    if t:
        parts.append(_("mål: {value}{period}", value=number(t["value"], str(node.get("unit") or "")),
                       period=f" ({t['period']})" if t.get("period") else ""))
    return " – ".join(parts)


def _by_method(nodes: list[dict[str, Any]]) -> str:
    """«A, B (observasjon); C (telling)»: the indicators grouped by their method of measurement."""
    groups: dict[str, list[str]] = {}
    for n in nodes:
        groups.setdefault(str(n.get("method_label") or ""), []).append(str(n["name"]))
    return "; ".join(", ".join(names) + (f" ({method})" if method else "") for method, names in groups.items())


def _measures_table(goal: dict[str, Any]) -> dict[str, object]:
    rows = []
    for m in goal["measures"]:
        rows.append({"_key": m["code"], "title": m["title"], "kind": m["kind_label"], "status": m["status_label"],
                     "progress": cell(m["progress"], digits=0), "responsible": m.get("responsible") or "",
                     "indicators": _by_method(m["indicators"]) or _("ingen")})
    return {"id": f"tab-mal-{goal['code']}", "caption": _("Tiltak for målet «{goal}»", goal=goal["title"]),
            "columns": [{"key": "title", "label": _("Tiltak")}, {"key": "kind", "label": _("Type")},
                        {"key": "status", "label": _("Status")},
                        {"key": "progress", "label": _("Framdrift %"), "num": True},
                        {"key": "responsible", "label": _("Ansvarlig")},
                        {"key": "indicators", "label": _("Indikatorer (metode)")}],
            "rows": rows}


def _goal_section(goal: dict[str, Any]) -> dict[str, object]:
    p = goal.get("progress") or {}
    facts = [(_("Dimensjon"), goal["dimension"]["name"]),
             (_("Tema"), ", ".join(t["name"] for t in goal["themes"]) or "–"),
             (_("Målgrupper"), ", ".join(t["label"] for t in goal["target_groups"]) or _("alle")),
             (_("Periode"), f"{goal.get('start') or ''} – {goal.get('end') or ''}")]
    if p.get("percent") is not None:
        facts.append((_("Framdrift"), _("{percent} % (snitt av tiltakene)", percent=number(p["percent"], digits=0))))
    own = [_indicator_line(n) for n in goal["indicators"]]
    return c.section(f"mal-{goal['code']}", _("Mål: {title}", title=goal["title"]), [
        c.text(goal.get("description") or ""), c.facts(facts),
        c.text(_("Indikatorer for målet:")) if own else None, c.items(own),
        c.table(_measures_table(goal)) if goal["measures"] else c.notice(_("Målet har ingen tiltak ennå."))])


def programme_section(d: AreaData) -> dict[str, object]:
    """Goals, measures, indicators and methods (the logic model); its warnings at the end."""
    logic = d.logic
    goals: list[dict[str, Any]] = logic["goals"]  # type: ignore[assignment]
    p = logic.get("progress") or {}
    intro = _("Programmet følger kjeden mål → tiltak → indikatorer → målemetode → nullpunkt → oppfølging. "
              "{goals} mål og {measures} tiltak er registrert.", goals=len(goals),
              measures=p.get("measures", 0))  # type: ignore[union-attr]
    blocks = [c.text(intro)]
    if not goals:
        blocks.append(c.notice(_("Området har ingen mål registrert ennå.")))
    unlinked = logic.get("unlinked_measures") or []
    if unlinked:
        blocks.append(c.text(_("Tiltak uten mål: {measures}.", measures=", ".join(
            str(m["title"]) for m in unlinked))))  # type: ignore[attr-defined]
    warnings = [str(f["message"]) for f in logic.get("flags") or [] if f["severity"] in ("error", "warning")]  # type: ignore[attr-defined]
    children = [_goal_section(g) for g in goals]
    if warnings:
        children.append(c.section("mal-mangler", _("Hull i logikkmodellen"), [c.items(warnings)]))
    return c.section("programmet", _("Programmet: mål, tiltak og indikatorer"), blocks, children)


def progress_section(ctx: Context, d: AreaData) -> dict[str, object]:
    """Follow-up: every measure's status, progress, budget and milestones."""
    report = programme_service.progress(ctx, d.area.code)
    measures = programme_service.list_measures(ctx, d.area.code, with_geometry=False)
    rows = []
    for m in measures:
        done = sum(1 for x in m.milestones if x.done)
        p = report.measures.get(m.code)
        rows.append({"_key": m.code, "title": m.title, "kind": measure_kind_label(str(m.kind)),
                     "status": measure_status_label(str(m.status)),
                     "progress": cell(None if p is None else 100 * p, digits=0),
                     "budget": cell(m.budget, "antall"), "spent": cell(m.spent, "antall"),
                     "milestones": _("{done} av {n}", done=done, n=len(m.milestones)) if m.milestones else "–"})
    total = report.total
    summary = _("Samlet framdrift {percent} % for {n} tiltak; budsjett {budget} kr, brukt {spent} kr.",
                percent="–" if total.value is None else round(100 * total.value),
                n=total.measures, budget=number(total.budget, "antall"), spent=number(total.spent, "antall"))
    status = ", ".join(f"{measure_status_label(k)}: {v}" for k, v in total.by_status.items() if v)
    table = {"id": "tab-framdrift", "caption": _("Tiltakenes framdrift"),
             "columns": [{"key": "title", "label": _("Tiltak")}, {"key": "kind", "label": _("Type")},
                         {"key": "status", "label": _("Status")},
                         {"key": "progress", "label": _("Framdrift %"), "num": True},
                         {"key": "budget", "label": _("Budsjett (kr)"), "num": True},
                         {"key": "spent", "label": _("Brukt (kr)"), "num": True},
                         {"key": "milestones", "label": _("Milepæler nådd")}],
             "rows": rows, "source": _("programmets tiltaksregister i nabolag")}
    return c.section("framdrift", _("Tiltakenes framdrift"), [
        c.text(summary), c.text(_("Etter status: {status}.", status=status)) if status else None, c.table(table)])

"""The logic model of an area: goal → measures → indicators → method → baseline / target / latest, as a tree
with flags (a goal with no indicator, an indicator with no method, …), for the browser, reports and the CLI.

Values: an indicator frozen in the area's baseline (nullpunkt) takes its baseline and latest value and
the verdict from :func:`nabolag.services.baseline.compare`; any other indicator takes the first and the
latest of the area's own observations (e.g. the derived participation indicators), with no verdict as
there is no interval. Every figure is the published one (small-cell suppression applied).
"""

from __future__ import annotations

import pandas as pd

from nabolag.domain.indicators import Indicator
from nabolag.domain.programme import (
    Goal,
    IndicatorLink,
    Measure,
    group_label,
    measure_kind_label,
    measure_status_label,
)
from nabolag.errors import NotFoundError
from nabolag.i18n import _, get_language
from nabolag.services import indicators as indicator_service
from nabolag.services import observations
from nabolag.services import programme as programme_service
from nabolag.services.baseline import ChangeTable, compare
from nabolag.services.context import Context
from nabolag.services.export import published
from nabolag.services.programme_base import readable_area
from nabolag.services.views_common import num
from nabolag.services.vocabulary import list_terms

FLAG_SEVERITY = {"goal_without_indicator": "error", "indicator_without_method": "error",
                 "goal_without_measure": "warning", "measure_without_goal": "warning",
                 "measure_without_indicator": "warning", "indicator_without_data": "warning",
                 "indicator_without_target": "info", "indicator_by_group_only": "info"}


def method_label(method: str) -> str:
    return {"register": _("registerdata"), "survey": _("spørreundersøkelse"), "count": _("telling"),
            "observation": _("observasjon (tellinger på stedet)"), "map": _("kartinnspill"),
            "network": _("nettverksanalyse")}.get(method, method)


def flag_text(code: str, **kw: object) -> str:
    texts = {
        "goal_without_indicator": lambda: _("Målet {goal} har ingen indikator: ingen vet om det nås", **kw),
        "indicator_without_method": lambda: _("Indikatoren {indicator} ({where}) har ingen målemetode", **kw),
        "goal_without_measure": lambda: _("Målet {goal} har ingen tiltak", **kw),
        "measure_without_goal": lambda: _("Tiltaket {measure} tjener ikke noe mål", **kw),
        "measure_without_indicator": lambda: _("Tiltaket {measure} har ingen indikator for målet {goal}", **kw),
        "indicator_without_data": lambda: _("Indikatoren {indicator} har verken nullpunkt eller siste verdi", **kw),
        "indicator_without_target": lambda: _("Indikatoren {indicator} har ingen målverdi for målet {goal}", **kw),
        "indicator_by_group_only": lambda: _("Indikatoren {indicator} finnes bare fordelt på grupper ({groups}); "
                                             "se tallene på indikatorsiden", **kw),
    }
    return texts[code]()


def _flag(code: str, **kw: object) -> dict[str, object]:
    return {"code": code, "severity": FLAG_SEVERITY[code], "message": flag_text(code, **kw),
            **{k: v for k, v in kw.items() if k != "where"}}


def _values(ctx: Context, area_code: str, codes: set[str], label: str | None,
            change: ChangeTable | None) -> tuple[dict, dict[str, object] | None]:
    """Per indicator code: baseline, latest and verdict (published figures); and the baseline used."""
    out: dict[str, dict[str, object]] = {}
    used = None
    try:
        table = change if change is not None else compare(ctx, area_code, label=label)
        used = {"label": table.label, "frozen_at": table.frozen_at.isoformat()}
        for r in table.frame.to_dict("records"):
            if r["indicator"] in codes:
                out[r["indicator"]] = {
                    "baseline": {"period": r["baseline_period"], "value": num(r["baseline_value"]),
                                 "source": "baseline"},
                    "latest": {"period": r["latest_period"], "value": num(r["latest_value"])},
                    "change": num(r["change"]), "verdict": r["verdict"] or None,
                    "verdict_text": r["verdict_text"] or None, "suppressed": r["suppressed"] or None}
    except NotFoundError:
        pass
    rest = sorted(codes - set(out))
    own = observations.query(ctx, areas=[area_code], indicators=rest, groups="") if rest else pd.DataFrame()
    if not own.empty:
        shown = published(ctx, own)
        for code, rows in shown.groupby("indicator"):
            rows = rows.sort_values("period")
            first, last = rows.iloc[0], rows.iloc[-1]
            reasons = [r for r in (first["suppression_reason"], last["suppression_reason"]) if r]
            base, latest = num(first["value"]), num(last["value"])
            out[str(code)] = {
                "baseline": {"period": first["period"], "value": base, "source": "first_observation"},
                "latest": {"period": last["period"], "value": latest},
                "change": latest - base if base is not None and latest is not None and len(rows) > 1 else None,
                "verdict": None, "verdict_text": None, "suppressed": "; ".join(reasons) or None}
    missing = sorted(codes - set(out))
    grouped = observations.query(ctx, areas=[area_code], indicators=missing) if missing else pd.DataFrame()
    for code, rows in (grouped.groupby("indicator") if not grouped.empty else ()):
        # e.g. a share by age band: no one whole-population figure to put in the model, but data there is
        kinds = sorted({str(g).split("=")[0] for g in rows["groups"] if g})
        out[str(code)] = {"baseline": None, "latest": {"period": str(rows["period"].max()), "value": None},
                          "change": None, "verdict": None, "verdict_text": None, "suppressed": None,
                          "by_group": ", ".join(kinds)}
    return out, used


def _node(link: IndicatorLink, ind: Indicator | None, values: dict, target: IndicatorLink | None,
          where: str, goal: Goal, lang: str) -> dict[str, object]:
    method = link.method or (target.method if target else "")
    v = values.get(link.indicator, {})
    node: dict[str, object] = {
        "code": link.indicator, "name": ind.name(lang) if ind else link.indicator, "unit": ind.unit if ind else "",
        "direction": str(ind.direction) if ind else "", "method": method or None,
        "method_label": method_label(method) if method else None,
        "target": {"value": target.target_value, "period": target.target_period or None}
        if target and target.target_value is not None else None,
        "baseline": v.get("baseline"), "latest": v.get("latest"), "change": v.get("change"),
        "verdict": v.get("verdict"), "verdict_text": v.get("verdict_text"), "suppressed": v.get("suppressed"),
        "flags": []}
    flags: list[dict[str, object]] = node["flags"]  # type: ignore[assignment]
    if not method:
        flags.append(_flag("indicator_without_method", indicator=link.indicator, where=where, goal=goal.code))
    if not v:
        flags.append(_flag("indicator_without_data", indicator=link.indicator, goal=goal.code))
    elif v.get("by_group"):
        flags.append(_flag("indicator_by_group_only", indicator=link.indicator, groups=v["by_group"]))
    if node["target"] is None:
        flags.append(_flag("indicator_without_target", indicator=link.indicator, goal=goal.code))
    return node


def _goal(g: Goal, measures: list[Measure], inds: dict[str, Indicator], values: dict, terms: dict,
          progress: dict[str, object], measure_progress: dict[str, float | None], lang: str) -> dict[str, object]:
    targets = {x.indicator: x for x in g.indicators}
    own = [_node(x, inds.get(x.indicator), values, x, _("målet {goal}", goal=g.code), g, lang) for x in g.indicators]
    flags: list[dict[str, object]] = []
    nodes = []
    for m in measures:
        links = [x for x in m.indicators if x.goal in ("", g.code)]
        ind_nodes = [_node(x, inds.get(x.indicator), values, targets.get(x.indicator),
                           _("tiltaket {measure}", measure=m.code), g, lang) for x in links]
        if not links:
            flags.append(_flag("measure_without_indicator", measure=m.code, goal=g.code))
        p = measure_progress.get(m.code)
        nodes.append({"code": m.code, "title": m.title, "kind": str(m.kind), "kind_label": measure_kind_label(m.kind),
                      "status": str(m.status), "status_label": measure_status_label(m.status),
                      "progress": None if p is None else round(100 * p, 1), "responsible": m.responsible,
                      "located": m.geometry is not None, "indicators": ind_nodes})
    if not measures:
        flags.append(_flag("goal_without_measure", goal=g.code))
    if not own and not any(n["indicators"] for n in nodes):
        flags.append(_flag("goal_without_indicator", goal=g.code))
    dim = terms.get(("dimension", g.dimension))
    return {"code": g.code, "title": g.title, "description": g.description,
            "dimension": {"code": g.dimension, "name": dim.name(lang) if dim else g.dimension},
            "themes": [{"code": t, "name": terms[("theme", t)].name(lang),
                        "sdg_targets": list(terms[("theme", t)].sdg_targets)} for t in g.themes],
            "target_groups": [{"code": t, "label": group_label(t)} for t in g.target_groups],
            "start": g.start.isoformat() if g.start else None, "end": g.end.isoformat() if g.end else None,
            "progress": progress, "indicators": own, "measures": nodes, "flags": flags}


def logic_model(ctx: Context, area_code: str, baseline_label: str | None = None,
                change: ChangeTable | None = None) -> dict[str, object]:
    """The area's logic model as a tree of plain values (JSON-ready), with ``flags`` on every level and
    all of them gathered in ``flags`` at the top. ``change``: the change since the baseline when the caller
    has it already (:func:`nabolag.services.baseline.compare`), else it is worked out here."""
    area = readable_area(ctx, area_code)
    lang = get_language()
    goals = programme_service.list_goals(ctx, area.code)
    measures = programme_service.list_measures(ctx, area.code, with_geometry=False)
    report = programme_service.progress(ctx, area.code)
    inds = {i.code: i for i in indicator_service.list_indicators(ctx)}
    terms = {(str(t.kind), t.code): t for t in list_terms(ctx)}
    codes = {x.indicator for g in goals for x in g.indicators} | {x.indicator for m in measures for x in m.indicators}
    values, used = _values(ctx, area.code, codes, baseline_label, change)
    tree = [_goal(g, [m for m in measures if g.code in m.goals], inds, values, terms,
                  report.goals[g.code].as_dict(), report.measures, lang) for g in goals]
    flags = [f for g in tree for f in _all_flags(g)]
    flags += [_flag("measure_without_goal", measure=m.code) for m in measures if not m.goals]
    return {"area": {"code": area.code, "name": area.name, "synthetic": area.synthetic}, "baseline": used,
            "progress": report.total.as_dict(), "goals": tree,
            "unlinked_measures": [{"code": m.code, "title": m.title} for m in measures if not m.goals],
            "flags": _unique(flags)}


def _all_flags(goal: dict[str, object]) -> list[dict[str, object]]:
    found = list(goal["flags"])  # type: ignore[call-overload]
    for node in goal["indicators"]:  # type: ignore[attr-defined]
        found += node["flags"]
    for m in goal["measures"]:  # type: ignore[attr-defined]
        for node in m["indicators"]:
            found += node["flags"]
    return found


def _unique(flags: list[dict[str, object]]) -> list[dict[str, object]]:
    seen, out = set(), []
    for f in flags:
        if f["message"] not in seen:
            seen.add(f["message"])
            out.append(f)
    order = {"error": 0, "warning": 1, "info": 2}
    return sorted(out, key=lambda f: order[str(f["severity"])])

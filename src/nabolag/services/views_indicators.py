"""The indicator catalogue: definitions, sources, methods, periods, and which areas use each indicator.

An area *uses* an indicator when one of its goals or measures names it (``programme``), when its
newest baseline (nullpunkt) holds a value for it (``baseline``), or when figures for it are stored
for one of the area's member zones or for the area itself (``observations``). Comparison zones do not
count: they are there to be compared with, not followed.
"""

from __future__ import annotations

from nabolag.analysis.change import period_end
from nabolag.domain.indicators import Indicator
from nabolag.i18n import _
from nabolag.services import indicators as indicator_service
from nabolag.services import observations, programme, zones
from nabolag.services.context import Context
from nabolag.services.views_common import indicator_facts, level_label, synthetic_note
from nabolag.store import baselines as baseline_repo
from nabolag.store import observations as obs_repo


def _periods(ctx: Context, codes: list[str]) -> dict[str, list[str]]:
    with ctx.store.read() as conn:
        found = {c: obs_repo.periods_for(conn, c) for c in codes}
    return {c: sorted(ps, key=lambda p: (period_end(p), p)) for c, ps in found.items()}


def area_usage(ctx: Context) -> dict[str, list[dict[str, object]]]:
    """Per indicator code: the areas that use it, each with how (``programme``, ``baseline``,
    ``observations``)."""
    usage: dict[str, list[dict[str, object]]] = {}
    for a in zones.list_areas(ctx):
        via: dict[str, list[str]] = {}
        linked = {x.indicator for g in programme.list_goals(ctx, a.code) for x in g.indicators}
        linked |= {x.indicator for m in programme.list_measures(ctx, a.code, with_geometry=False)
                   for x in m.indicators}
        for code in sorted(linked):
            via.setdefault(code, []).append("programme")
        with ctx.store.read() as conn:
            base = baseline_repo.get_baseline(conn, int(a.id or 0))
            values = baseline_repo.baseline_values(conn, int(base["id"])) if base else []  # type: ignore[call-overload]
        for v in values:
            via.setdefault(str(v["indicator"]), []).append("baseline")
        found = set()
        if a.zone_codes:
            found |= set(observations.query(ctx, zones=list(a.zone_codes))["indicator"])
        found |= set(observations.query(ctx, areas=[a.code])["indicator"])
        for code in found:
            via.setdefault(str(code), []).append("observations")
        for code, how in via.items():
            usage.setdefault(code, []).append({"code": a.code, "name": a.name, "via": how,
                                               "via_label": ", ".join(_via_label(h) for h in how)})
    return usage


def _via_label(how: str) -> str:
    return {"programme": _("i programmets mål og tiltak"), "baseline": _("i nullpunktet")}.get(
        how, _("tall for områdets soner"))


def _entry(ctx: Context, ind: Indicator, periods: list[str], areas: list[dict[str, object]]) -> dict[str, object]:
    return {**indicator_facts(ctx, ind), "periods": periods, "first_period": periods[0] if periods else None,
            "latest_period": periods[-1] if periods else None, "areas": areas}


def indicator_list(ctx: Context) -> dict[str, object]:
    """Every indicator with its definition, the periods it has figures for and the areas that use it."""
    inds = indicator_service.list_indicators(ctx)
    periods = _periods(ctx, [i.code for i in inds])
    usage = area_usage(ctx)
    items = [_entry(ctx, i, periods[i.code], usage.get(i.code, [])) for i in inds]
    synthetic = any(i.synthetic for i in inds)
    return {"indicators": items, "synthetic": synthetic, "note": synthetic_note(synthetic)}


def indicator_page(ctx: Context, code: str) -> dict[str, object]:
    """One indicator: its definition, periods, areas, and how many zones per level have figures for
    its latest period."""
    ind = indicator_service.get_indicator(ctx, code)
    periods = _periods(ctx, [ind.code])[ind.code]
    coverage = []
    if periods:
        latest = observations.query(ctx, indicators=[ind.code], periods=[periods[-1]], groups="")
        zoned = latest[latest["zone"].notna()]
        for level, rows in zoned.groupby("level", sort=True):
            coverage.append({"level": str(level), "level_label": level_label(str(level)),
                             "zones": int(rows["zone"].nunique())})
    entry = _entry(ctx, ind, periods, area_usage(ctx).get(ind.code, []))
    return {"indicator": entry, "coverage": coverage, "synthetic": ind.synthetic,
            "note": synthetic_note(ind.synthetic)}

"""Programme area pages: the list of areas, and one area with its zones, baseline and change."""

from __future__ import annotations

from nabolag.domain.zones import Area
from nabolag.errors import InputError, NotFoundError
from nabolag.i18n import _, get_language
from nabolag.services import zones
from nabolag.services.baseline import compare, list_baselines
from nabolag.services.context import Context
from nabolag.services.mapping import area_campaigns
from nabolag.services.views_access import place_access
from nabolag.services.views_common import (
    direction_label,
    indicators_by_code,
    level_label,
    num,
    status_label,
    synthetic_note,
    text,
)
from nabolag.services.views_programme import area_targets, programme_summary
from nabolag.services.views_programme_page import may_edit

#: Figures of the change table a page shows (counts are left out: the values and intervals say enough).
CHANGE_FIELDS = ("baseline_period", "baseline_value", "baseline_ci_low", "baseline_ci_high", "latest_period",
                 "latest_value", "latest_ci_low", "latest_ci_high", "change", "change_ci_low", "change_ci_high",
                 "comparison_baseline_value", "comparison_latest_value", "comparison_change", "did", "did_ci_low",
                 "did_ci_high")


def _dates(a: Area) -> dict[str, object]:
    return {"start_date": a.start_date.isoformat() if a.start_date else None,
            "end_date": a.end_date.isoformat() if a.end_date else None}


def area_list(ctx: Context) -> dict[str, object]:
    items = []
    for a in zones.list_areas(ctx):
        items.append({"code": a.code, "name": a.name, "status": str(a.status),
                      "status_label": status_label(str(a.status)), **_dates(a), "zones": len(a.zone_codes),
                      "comparison": len(a.comparison_codes), "baselines": len(list_baselines(ctx, a.code)),
                      "synthetic": a.synthetic})
    synthetic = any(bool(a["synthetic"]) for a in items)
    return {"areas": items, "synthetic": synthetic, "note": synthetic_note(synthetic)}


def _map_layers(member: list[dict[str, object]], comparison: list[dict[str, object]]) -> list[dict[str, object]]:
    """One GeoJSON request per role and level (``/geo/{level}.geojson?codes=…``)."""
    layers = []
    for role, items in (("member", member), ("comparison", comparison)):
        for level in sorted({str(z["level"]) for z in items}):
            codes = [str(z["code"]) for z in items if z["level"] == level]
            layers.append({"role": role, "level": level, "codes": codes,
                           "url": f"/geo/{level}.geojson?codes={','.join(codes)}"})
    return layers


def _change(ctx: Context, a: Area, label: str | None, period: str | None) -> dict[str, object] | None:
    try:
        table = compare(ctx, a.code, latest_period=period, label=label)
    except NotFoundError:
        if label is None:
            return None
        raise
    except InputError as exc:
        raise InputError(_("Parameteret period: {detail}", detail=exc.message), exc.problems) from None
    inds, lang, targets = indicators_by_code(ctx), get_language(), area_targets(ctx, a.code)
    rows = []
    for r in table.frame.to_dict("records"):
        ind = inds[str(r["indicator"])]
        rows.append({"indicator": ind.code, "name": ind.name(lang), "unit": ind.unit,
                     "direction": str(ind.direction), "direction_label": direction_label(str(ind.direction)),
                     **{k: (text(r[k]) or None) if k.endswith("_period") else num(r[k]) for k in CHANGE_FIELDS},
                     "verdict": text(r["verdict"]), "verdict_text": text(r["verdict_text"]),
                     "did_verdict": text(r["did_verdict"]), "did_verdict_text": text(r["did_verdict_text"]),
                     "suppressed": text(r["suppressed"]), "note": text(r["note"]), "synthetic": ind.synthetic,
                     "targets": targets.get(ind.code, [])})
    return {"label": table.label, "frozen_at": table.frozen_at.isoformat(), "latest_bound": period,
            "method": table.method_text(), "rows": rows}


def stored_reports(ctx: Context, code: str) -> list[dict[str, object]]:
    """The area's stored reports (issue 9), newest first; who made them only for signed-in staff."""
    from nabolag.reports.store import list_reports  # reports import services; import on use

    return [r.as_dict(staff=not ctx.is_public) for r in list_reports(ctx, code)]


def area_page(ctx: Context, code: str, baseline: str | None = None, period: str | None = None) -> dict[str, object]:
    """The area, its member and comparison zones, its baselines and the change since the chosen one
    (the newest unless ``baseline`` names one; latest values up to ``period`` if given)."""
    a = zones.get_area(ctx, code)
    by_code = {z.code: z for z in zones.list_zones(ctx)}

    def ref(c: str) -> dict[str, object]:
        z = by_code.get(c)
        level = str(z.level) if z else ""
        return {"code": c, "name": z.name if z else c, "level": level, "level_label": level_label(level)}

    member = [ref(c) for c in a.zone_codes]
    comparison = [ref(c) for c in a.comparison_codes]
    baselines = [{"label": str(b["label"]), "as_of": b["as_of"], "frozen_at": b["frozen_at"].isoformat(),  # type: ignore[attr-defined]
                  **({"actor": str(b["actor"])} if ctx.role != "public" else {})}  # staff names stay inside
                 for b in list_baselines(ctx, a.code)]
    change = _change(ctx, a, baseline, period) if baselines else None
    if baseline is not None and change is None:
        raise NotFoundError(_("Området {area} har ikke noe nullpunkt «{label}»", area=a.code, label=baseline))
    synthetic = a.synthetic or any(bool(r["synthetic"]) for r in (change or {}).get("rows", []))  # type: ignore[attr-defined]
    return {"area": {"code": a.code, "name": a.name, "description": a.description, "status": str(a.status),
                     "status_label": status_label(str(a.status)), **_dates(a), "synthetic": a.synthetic,
                     "zones": member, "comparison": comparison},
            "map": {"layers": _map_layers(member, comparison)},
            "baselines": baselines, "change": change,
            "programme": programme_summary(ctx, a.code),
            "access": place_access(ctx, area=a.code),
            "maps": [{**c, "public": f"/mapping/{c['code']}/public"} for c in area_campaigns(ctx, a.code)],
            "reports": stored_reports(ctx, a.code), "may_save_report": may_edit(ctx, a.code),
            "synthetic": synthetic, "note": synthetic_note(synthetic)}

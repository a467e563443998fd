"""Read models for pages and their JSON twins: plain dicts, published (suppressed) figures only."""

from __future__ import annotations

from nabolag.i18n import get_language
from nabolag.services import indicators as indicator_service
from nabolag.services import observations, zones
from nabolag.services.context import Context
from nabolag.services.export import SYNTHETIC_NOTE, describe_reason, published


def _synthetic(ctx: Context) -> bool:
    return any(i.synthetic for i in indicator_service.list_indicators(ctx))


def overview(ctx: Context) -> dict[str, object]:
    summary = observations.summary(ctx)
    return {
        "synthetic": _synthetic(ctx), "note": SYNTHETIC_NOTE if _synthetic(ctx) else "",
        "zones_by_level": summary["zones"], "observations": summary["observations"],
        "areas": [{"code": a.code, "name": a.name, "status": str(a.status), "zones": len(a.zone_codes)}
                  for a in zones.list_areas(ctx)],
        "indicators": indicator_list(ctx)["indicators"],
    }


def zone_list(ctx: Context, level: str | None) -> dict[str, object]:
    items = zones.list_zones(ctx, level=level)
    return {"level": level, "synthetic": _synthetic(ctx),
            "zones": [{"code": z.code, "name": z.name, "level": str(z.level), "parent": z.parent_code}
                      for z in items]}


def zone_page(ctx: Context, code: str) -> dict[str, object]:
    z = zones.get_zone(ctx, code)
    frame = observations.query(ctx, zones=[code])
    rows = []
    if not frame.empty:
        frame = published(ctx, frame)
        lang = get_language()
        names = {i.code: i for i in indicator_service.list_indicators(ctx)}
        for r in frame.itertuples():
            ind = names[r.indicator]
            rows.append({"indicator": r.indicator, "name": ind.name(lang), "unit": ind.unit, "period": r.period,
                         "groups": r.groups, "value": None if r.value != r.value else r.value,
                         "status": r.status, "reason": describe_reason(r.suppression_reason),
                         "reason_code": r.suppression_reason, "source": r.source, "synthetic": ind.synthetic})
    return {"zone": {"code": z.code, "name": z.name, "level": str(z.level), "parent": z.parent_code,
                     "source_crs": z.source_crs},
            "synthetic": any(r["synthetic"] for r in rows), "note": SYNTHETIC_NOTE, "observations": rows}


def indicator_list(ctx: Context) -> dict[str, object]:
    lang = get_language()
    return {"indicators": [{"code": i.code, "name": i.name(lang), "unit": i.unit, "direction": str(i.direction),
                            "kind": str(i.kind), "source": i.source, "method": str(i.method),
                            "definition": i.definition, "synthetic": i.synthetic}
                           for i in indicator_service.list_indicators(ctx)]}


def area_page(ctx: Context, code: str) -> dict[str, object]:
    a = zones.get_area(ctx, code)
    names = {z.code: z.name for z in zones.list_zones(ctx)}
    return {"area": {"code": a.code, "name": a.name, "description": a.description, "status": str(a.status),
                     "start_date": a.start_date.isoformat() if a.start_date else None,
                     "end_date": a.end_date.isoformat() if a.end_date else None, "synthetic": a.synthetic,
                     "zones": [{"code": c, "name": names.get(c, c)} for c in a.zone_codes],
                     "comparison": [{"code": c, "name": names.get(c, c)} for c in a.comparison_codes]},
            "synthetic": a.synthetic, "note": SYNTHETIC_NOTE}

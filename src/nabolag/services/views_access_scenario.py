"""Read models and the one write of the scenario pages (``/access/scenarios``): the list and the form's
choices, one scenario's before/after per zone, and computing it on the level and kinds the stored figures
use. The writes are :func:`nabolag.services.access_scenario.create_planned` and ``compute_scenario``,
which check the role (``require_write``) and keep everything apart from the real network.
"""

from __future__ import annotations

import datetime as dt
import time

from nabolag.domain.access import DEFAULT_MAX_DISTANCE_M, FACILITY_KINDS, kind_label
from nabolag.errors import NotFoundError
from nabolag.i18n import _
from nabolag.services import access_scenario, zones
from nabolag.services.access_facilities import facility_counts
from nabolag.services.access_layer import legend
from nabolag.services.context import Context
from nabolag.services.views_access import _level, _with_raw, status
from nabolag.services.views_common import num
from nabolag.store import access as repo
from nabolag.store import zones as zone_repo

OBJECTS = ("path", "facility")


def _stamp(value: object) -> str | None:
    return value.isoformat(timespec="seconds") if isinstance(value, dt.datetime) else (str(value) if value else None)


def kind_choices(ctx: Context) -> list[str]:
    """The kinds a planned facility may have: the built-in ones and any other kind already loaded."""
    return list(FACILITY_KINDS) + sorted({str(r["kind"]) for r in facility_counts(ctx)} - set(FACILITY_KINDS))


def scenarios_page(ctx: Context) -> dict[str, object]:
    """The scenarios with their counts and when they were last computed, and the form's choices."""
    info = status(ctx)
    items = []
    for s in access_scenario.list_scenarios(ctx):
        results = access_scenario.scenario_results(ctx, str(s["code"]))
        items.append({"code": s["code"], "name": s["name"], "description": s["description"], "actor": s["actor"],
                      "created_at": _stamp(s["created_at"]), "paths": int(s["paths"]),  # type: ignore[call-overload]
                      "facilities": int(s["facilities"]),  # type: ignore[call-overload]
                      "computed_at": _stamp(results[0]["computed_at"]) if results else None,
                      "url": f"/access/scenarios/{s['code']}"})
    kinds = kind_choices(ctx)
    bbox = None
    with ctx.store.read() as conn:
        found = repo.load_network(conn)
    if found is not None:
        ll = found[2]
        bbox = [round(float(v), 5) for v in (*ll.min(axis=0), *ll.max(axis=0))]
    return {"status": info, "empty": info["network"] is None, "scenarios": items,
            "kinds": [{"kind": k, "label": kind_label(k)} for k in kinds], "objects": list(OBJECTS),
            "can_write": ctx.role in ("admin", "analyst", "coordinator"), "bbox": bbox,
            "map": {"layer": "/geo/access/park.geojson", "bbox": bbox}, "synthetic": False}


def computed_level_and_kinds(ctx: Context, code: str) -> tuple[str, list[str]]:
    """The level the stored figures use (else ``grunnkrets``), and the kinds to compute: those with real
    or planned facilities."""
    frame = _with_raw(ctx)
    level = (_level(frame) if not frame.empty else None) or "grunnkrets"
    with ctx.store.read() as conn:
        sid = repo.scenario_id(conn, code)
        if sid is None:
            raise NotFoundError(_("Scenarioet «{code}» finnes ikke", code=code))
        kinds = {str(f["kind"]) for f in repo.list_facilities(conn, None, scenario_id=sid)}
    ordered = [k for k in FACILITY_KINDS if k in kinds] + sorted(kinds - set(FACILITY_KINDS))
    return level, ordered


def compute(ctx: Context, code: str) -> dict[str, object]:
    """Compute the scenario (before and after in one run) and say how long it took."""
    level, kinds = computed_level_and_kinds(ctx, code)
    start = time.perf_counter()
    rows = access_scenario.compute_scenario(ctx, code, level=level, kinds=kinds)
    return {"code": code, "level": level, "kinds": kinds, "rows": len(rows),
            "seconds": round(time.perf_counter() - start, 3)}


def scenario_page(ctx: Context, code: str, kind: str | None = None) -> dict[str, object]:
    """One scenario: what it adds, and per zone and area the mean distance and the share within 500 m
    before and after (everyone, group ``""``) for the chosen kind (default: the first with a change)."""
    found = next((s for s in access_scenario.list_scenarios(ctx) if s["code"] == code), None)
    if found is None:
        raise NotFoundError(_("Scenarioet «{code}» finnes ikke", code=code))
    results = [r for r in access_scenario.scenario_results(ctx, code) if r["groups"] == ""]
    with ctx.store.read() as conn:
        codes = {v: k for k, v in zone_repo.zone_ids(conn).items()}
        areas = {a.id: a for a in zone_repo.list_areas(conn)}
    names = {z.code: z.name for z in zones.list_zones(ctx)}
    kinds = [k for k in FACILITY_KINDS if any(r["kind"] == k for r in results)]
    kinds += sorted({str(r["kind"]) for r in results} - set(kinds))
    if kind is not None and kind not in kinds:
        raise NotFoundError(_("Scenarioet «{code}» har ingen resultater for «{kind}»; har: {valid}", code=code,
                              kind=kind[:40], valid=", ".join(kinds) or "–"))
    by_place: dict[tuple[str, str, str], dict[str, object]] = {}
    for r in results:
        place = ("zone", codes.get(r["zone_id"], "")) if r["zone_id"] is not None \
            else ("area", areas[r["area_id"]].code if r["area_id"] in areas else "")  # type: ignore[index]
        row = by_place.setdefault((str(r["kind"]), *place), {
            "kind": r["kind"], "place": place[0], "code": place[1],
            "name": names.get(place[1], place[1]) if place[0] == "zone" else
            next((a.name for a in areas.values() if a.code == place[1]), place[1]),
            "population": num(r["population"])})
        before, after = num(r["value_before"]), num(r["value_after"])
        row[f"{r['measure']}_before"], row[f"{r['measure']}_after"] = before, after
        row[f"{r['measure']}_change"] = None if before is None or after is None else round(after - before, 1)
    if kind is None:
        changed = [k for k in kinds if any((v.get("mean_m_change") or 0) < 0 for (kk, _p, _c), v in by_place.items()
                                           if kk == k)]
        kind = (changed or kinds or [None])[0]
    rows = [v for (k, _p, _c), v in by_place.items() if k == kind]
    rows.sort(key=lambda v: (v["place"] != "zone", v.get("mean_m_change") or 0, str(v["code"])))
    computed = results[0]["computed_at"] if results else None
    return {"scenario": {"code": found["code"], "name": found["name"], "description": found["description"],
                         "actor": found["actor"], "created_at": _stamp(found["created_at"]),
                         "paths": int(found["paths"]), "facilities": int(found["facilities"])},  # type: ignore[call-overload]
            "computed_at": _stamp(computed), "kinds": [{"kind": k, "label": kind_label(k), "selected": k == kind}
                                                     for k in kinds],
            "kind": kind, "kind_label": kind_label(kind) if kind else "", "classes": legend(DEFAULT_MAX_DISTANCE_M),
            "zones": [r for r in rows if r["place"] == "zone"], "areas": [r for r in rows if r["place"] == "area"],
            "improved": sum(1 for r in rows if r["place"] == "zone" and (r.get("mean_m_change") or 0) < 0),
            "can_write": ctx.role in ("admin", "analyst", "coordinator"),
            "map": {"layer": f"/geo/access/{kind or 'park'}.geojson?scenario={code}",
                    "facilities": f"/geo/access/{kind or 'park'}/facilities.geojson?scenario={code}"},
            "links": {"json": f"/access/scenarios/{code}.json", "list": "/access/scenarios",
                      "compute": f"/access/scenarios/{code}/compute", "remove": f"/access/scenarios/{code}/remove"},
            "synthetic": False}

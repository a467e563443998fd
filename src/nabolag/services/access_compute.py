"""Walking accessibility, part 3: compute distances and store them per zone and area as observations.

Indicators per kind (method ``network``): ``access_{kind}_mean_m`` (population-weighted mean walking
distance to the nearest one, people past the cap counted at the cap), ``access_{kind}_within_{t}m``
(share of people within t metres, per cent), and between zones ``access_{kind}_mean_m_ratio``
(worst/best) and ``access_{kind}_mean_m_gini``, stored for each area (its member zones) and for the
one ``kommune`` zone when there is one.
"""

from __future__ import annotations

import numpy as np

from nabolag.analysis.access import ZoneAccess, between_zones
from nabolag.analysis.access_run import run_kinds
from nabolag.domain.access import DEFAULT_MAX_DISTANCE_M, DEFAULT_THRESHOLDS_M, KIND_NAMES_NB
from nabolag.domain.indicators import Direction, Indicator, Kind, Method
from nabolag.errors import InputError
from nabolag.i18n import _
from nabolag.services.access_facilities import _kinds
from nabolag.services.access_inputs import Inputs, Prepared, load_inputs, prepare, usable
from nabolag.services.context import Context
from nabolag.store import imports as imports_repo
from nabolag.store import indicators as ind_repo
from nabolag.store import observations as obs_repo
from nabolag.store import zones as zone_repo

SOURCE = "nabolag: gangavstand i gangnettet (OpenStreetMap)"


def indicators_for(kind: str, thresholds: tuple[int, ...], cap: float) -> list[Indicator]:
    """The indicator definitions of one kind (names in bokmål and English)."""
    base = {"kind": Kind.CONTEXT, "method": Method.NETWORK, "source": SOURCE}
    label = KIND_NAMES_NB.get(kind, kind.replace("_", " "))
    out = [Indicator(code=f"access_{kind}_mean_m", name_nb=f"Gangavstand til nærmeste {label} (snitt)",
                     name_en=f"Walking distance to the nearest {kind.replace('_', ' ')} (mean)", unit="m",
                     definition=f"Befolkningsvektet snitt av gangavstand langs gangnettet; over {cap:.0f} m telles "
                                f"som {cap:.0f} m.", direction=Direction.LOWER_IS_BETTER, **base)]  # type: ignore[arg-type]
    for t in thresholds:
        out.append(Indicator(code=f"access_{kind}_within_{t}m", name_nb=f"Andel med {label} innen {t} m gange",
                             name_en=f"Share within a {t} m walk of a {kind.replace('_', ' ')}", unit="prosent",
                             numerator=f"bosatte innen {t} m", denominator="bosatte",
                             direction=Direction.HIGHER_IS_BETTER, **base))  # type: ignore[arg-type]
    out.append(Indicator(code=f"access_{kind}_mean_m_ratio", name_nb=f"Forskjell mellom soner: avstand til {label} "
                         "(verste/beste)", name_en=f"Gap between zones: distance to {kind.replace('_', ' ')} "
                         "(worst/best)", unit="forhold", direction=Direction.LOWER_IS_BETTER, **base))  # type: ignore[arg-type]
    out.append(Indicator(code=f"access_{kind}_mean_m_gini", name_nb=f"Gini mellom soner: avstand til {label}",
                         name_en=f"Gini between zones: distance to {kind.replace('_', ' ')}", unit="gini",
                         direction=Direction.LOWER_IS_BETTER, **base))  # type: ignore[arg-type]
    return out


def summary_rows(kind: str, s: ZoneAccess, thresholds: tuple[int, ...]) -> list[tuple[int, str, float, float]]:
    """(position, indicator code, value, population) for every place with people."""
    rows = []
    for i in np.flatnonzero(s.population > 0):
        pop = float(s.population[i])
        rows.append((int(i), f"access_{kind}_mean_m", round(float(s.mean_m[i]), 1), pop))
        rows.extend((int(i), f"access_{kind}_within_{t}m", round(100 * float(s.within[t][i]), 1), pop)
                    for t in thresholds)
    return rows


def compute(ctx: Context, *, level: str, kinds: list[str] | None = None, max_distance: float = DEFAULT_MAX_DISTANCE_M,
            thresholds: tuple[int, ...] = DEFAULT_THRESHOLDS_M, period: str | None = None) -> dict[str, object]:
    """Compute every kind on the newest network and store the indicators for ``period`` (default: the
    extract's year), replacing earlier values of the same indicators and period."""
    ctx.require_write()
    kinds, thresholds = _kinds(kinds), tuple(sorted({int(t) for t in thresholds}))
    if max_distance <= 0 or any(t <= 0 or t > max_distance for t in thresholds):
        raise InputError(_("Avstandene må være over 0 og ikke over --max-distance ({cap:.0f} m)", cap=max_distance))
    ctx.progress(_("Leser nett, befolkning og steder"), 0.02)
    inputs = load_inputs(ctx, level, kinds, None)
    period = period or inputs.info.extract_date[:4]
    if not period:
        raise InputError(_("Nettet har ingen uttrekksdato; angi --period"))
    results, zone_of, _prep = run(ctx, inputs, kinds, max_distance, thresholds, with_scenario=False)
    rows: list[dict[str, object]] = []
    with ctx.store.read() as conn:
        zone_ids, areas = zone_repo.zone_ids(conn), zone_repo.list_areas(conn)
        kommune = zone_repo.list_zones(conn, level="kommune")
    n_zones, equity = len(inputs.zone_codes), {}
    for kind, (dist, s) in results.items():
        for g, group in enumerate(inputs.groups):
            part = slice(g * n_zones, (g + 1) * n_zones)
            zs = ZoneAccess(s.population[part], s.mean_m[part], {t: v[part] for t, v in s.within.items()},
                            s.reached[part])
            rows += [{"zone_id": zone_ids[inputs.zone_codes[i]], "indicator": code, "value": value, "n": pop,
                      "groups": group} for i, code, value, pop in summary_rows(kind, zs, thresholds)]
            if group == "":
                equity[kind] = between_zones(zs.mean_m, zs.population, lower_is_better=True)
                rows += _equity_rows(kind, zs, inputs.zone_codes, areas, kommune, zone_ids)
        rows += _area_rows(kind, dist, inputs, zone_of, areas, thresholds, max_distance)
    _store(ctx, kinds, thresholds, max_distance, period, rows)
    ctx.progress(_("Ferdig"), 1.0)
    return {"network": inputs.info.id, "period": period, "level": level, "zones": n_zones,
            "people": float(inputs.weight[(zone_of >= 0) & (inputs.group_of == inputs.groups.index(""))].sum())
            if "" in inputs.groups else 0.0, "observations": len(rows), "equity": equity}


def run(ctx: Context, inputs: Inputs, kinds: list[str], cap: float, thresholds: tuple[int, ...],
        with_scenario: bool, base: Prepared | None = None
        ) -> tuple[dict[str, tuple[np.ndarray, ZoneAccess]], np.ndarray, Prepared]:
    """Distances per kind, summarised per (group, zone): position ``group * n_zones + zone``.

    With ``base`` (the run without the scenario), people keep the same nodes as there (the copy's
    first nodes are the real ones), so a scenario changes distances only through the network and the
    facilities, never by where a person joins the network."""
    ctx.progress(_("Knytter befolkning og steder til nettet"), 0.1)
    prepared = prepare(inputs, kinds, with_scenario)
    if base is not None:
        prepared.person_node, prepared.snap_m = base.person_node, base.snap_m
    zone_of = usable(inputs, prepared)
    combined = np.where(zone_of >= 0, inputs.group_of * len(inputs.zone_codes) + zone_of, -1)
    done = [0]

    def step(kind: str) -> None:
        done[0] += 1
        ctx.progress(_("Avstand til {kind} ferdig", kind=kind), 0.1 + 0.8 * done[0] / len(kinds))
    results = run_kinds(prepared.graph, (prepared.person_node, prepared.snap_m), inputs.weight,  # type: ignore[arg-type]
                        combined, len(inputs.groups) * len(inputs.zone_codes), prepared.sources, cap, thresholds, step)
    return results, zone_of, prepared


def _area_rows(kind: str, dist: np.ndarray, inputs: Inputs, zone_of: np.ndarray, areas: list,
               thresholds: tuple[int, ...], cap: float) -> list[dict[str, object]]:
    from nabolag.analysis.access import zone_summary

    position = {c: i for i, c in enumerate(inputs.zone_codes)}
    rows = []
    for a in areas:
        members = np.array([position[c] for c in a.zone_codes if c in position], dtype=np.int64)
        inside = np.isin(zone_of, members) & (zone_of >= 0)
        if not inside.any():
            continue
        group_of = np.where(inside, inputs.group_of, -1)
        s = zone_summary(dist, inputs.weight, group_of, len(inputs.groups), thresholds, cap)
        rows += [{"area_id": a.id, "indicator": code, "value": value, "n": pop, "groups": inputs.groups[g]}
                 for g, code, value, pop in summary_rows(kind, s, thresholds)]
    return rows


def _equity_rows(kind: str, zs: ZoneAccess, codes: list[str], areas: list, kommune: list,
                 zone_ids: dict[str, int]) -> list[dict[str, object]]:
    position = {c: i for i, c in enumerate(codes)}
    places: list[tuple[str, int, np.ndarray]] = []
    for a in areas:
        members = np.array([position[c] for c in a.zone_codes if c in position], dtype=np.int64)
        places.append(("area_id", int(a.id), members))
    if len(kommune) == 1:
        places.append(("zone_id", zone_ids[kommune[0].code], np.arange(len(codes))))
    rows = []
    for key, place, members in places:
        if (zs.population[members] > 0).sum() < 2:
            continue
        e = between_zones(zs.mean_m[members], zs.population[members], lower_is_better=True)
        rows.append({key: place, "indicator": f"access_{kind}_mean_m_ratio", "value": round(e["ratio"], 3),
                     "n": float(zs.population[members].sum()), "groups": ""})
        rows.append({key: place, "indicator": f"access_{kind}_mean_m_gini", "value": round(e["gini"], 4),
                     "n": float(zs.population[members].sum()), "groups": ""})
    return rows


def _store(ctx: Context, kinds: list[str], thresholds: tuple[int, ...], cap: float, period: str,
           rows: list[dict[str, object]]) -> None:
    definitions = [i for k in kinds for i in indicators_for(k, thresholds, cap)]
    with ctx.store.transaction() as conn:
        ind_repo.upsert_indicators(conn, definitions, None)
        ids = ind_repo.indicator_ids(conn)
        wanted = [ids[i.code] for i in definitions]
        for place in ("zone", "area"):
            old = obs_repo.existing_keys(conn, wanted, place=place)
            if not old.empty:
                obs_repo.delete_observations(conn, old.loc[old["period"] == period, "id"].astype(int).tolist())
        import_id = imports_repo.start_import(conn, kind="access", file_name="access", sha256="", source=SOURCE,
                                              actor=ctx.actor, options={"kinds": kinds, "period": period, "cap": cap})
        records = [(ids[r["indicator"]], r.get("zone_id"), r.get("area_id"), period, r["groups"], r["value"], None,
                    None, int(round(float(r["n"]))), None, None, "ok", SOURCE, import_id) for r in rows]  # type: ignore[arg-type]
        obs_repo.insert_observations(conn, records)
        imports_repo.finish_import(conn, import_id, rows=len(records), warnings=0)
        imports_repo.record_audit(conn, actor=ctx.actor, action="compute", object_type="access",
                                  object_key=period, details={"kinds": kinds, "rows": len(records)})

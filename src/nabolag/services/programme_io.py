"""Import and export of an area programme: CSV (one kind per file), Excel (a sheet per kind: actors,
goals, measures, events, inputs) and GeoJSON (measures with their location).

An import is read and checked whole — every row against what is stored and what the file itself
defines — before anything is written; then everything is written in one transaction, recorded as one
import batch with an audit entry. An export imports again unchanged (tested as a round trip).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pandas as pd
import shapely
from shapely.geometry import mapping
from sqlalchemy import Connection

from nabolag.domain.actors import Actor
from nabolag.domain.problems import Problem, Report
from nabolag.domain.zones import Area
from nabolag.errors import InputError, PermissionDenied
from nabolag.i18n import _
from nabolag.ingest.programme import COLUMNS, KINDS, WRITERS, measure_to
from nabolag.ingest.programme_files import GEOJSON_SUFFIXES, read_programme_file, where
from nabolag.ingest.tables import EXCEL_SUFFIXES
from nabolag.services import programme_indicators
from nabolag.services.context import ROLES_FOR_ALL_AREAS, Context
from nabolag.services.export import SYNTHETIC_NOTE
from nabolag.services.programme_base import area_id, audit, readable_area, writable_area
from nabolag.services.programme_checks import (
    Known,
    actor_problems,
    event_problems,
    goal_problems,
    input_problems,
    load_known,
    measure_problems,
)
from nabolag.store import imports as imports_repo
from nabolag.store import indicators as ind_repo
from nabolag.store import participation as part_repo
from nabolag.store import programme as repo
from nabolag.store import programme_actors as actor_repo

ORDER = ("actors", "goals", "measures", "events", "inputs")
CHECKS = {"actors": actor_problems, "goals": goal_problems, "measures": measure_problems,
          "events": event_problems, "inputs": input_problems}


def _extend(known: Known, rows: dict[str, list]) -> None:
    """What the file defines may be referred to by the rest of the file."""
    known.actors.update({a.code: a.area_code for _r, a in rows.get("actors", [])})
    known.goals.update(g.code for _r, g in rows.get("goals", []))
    known.measures.update(m.code for _r, m in rows.get("measures", []))
    known.events.update({e.code: e.date for _r, e in rows.get("events", [])})


def _number_inputs(rows: dict[str, list], taken: set[str]) -> None:
    used = taken | {i.code for _r, i in rows.get("inputs", []) if i.code}
    n = 0
    for k, (row, i) in enumerate(rows.get("inputs", [])):
        if not i.code:
            n += 1
            while f"innspill-{n}" in used:
                n += 1
            used.add(f"innspill-{n}")
            rows["inputs"][k] = (row, replace(i, code=f"innspill-{n}"))


def _check(ctx: Context, known: Known, rows: dict[str, list], stored_actors: dict, report: Report,
           names: dict[str, str]) -> None:
    for kind in ORDER:
        items = rows.get(kind, [])
        counts = Counter(obj.code for _r, obj in items)
        for row, obj in items:
            problems = list(CHECKS[kind](known, obj))  # type: ignore[operator]
            if counts[obj.code] > 1:
                problems.append(("code", _("koden {code} står flere ganger i filen", code=obj.code)))
            if kind == "actors":
                problems += _actor_rights(ctx, known, obj, stored_actors.get(obj.code))
            report.problems += [Problem(names[kind], msg, row=row, field=field) for field, msg in problems]


def _actor_rights(ctx: Context, known: Known, a: object, stored: object) -> list[tuple[str, str]]:
    old_area = getattr(stored, "area_code", None)
    if stored is not None and old_area not in (None, known.area.code):
        return [("area", _("aktøren hører til området {other}", other=old_area))]
    if getattr(a, "area_code", None) is None and stored != a and ctx.role not in ROLES_FOR_ALL_AREAS:
        return [("area", _("rollen «{role}» kan ikke endre aktører for hele kommunen", role=ctx.role))]
    return []


def import_programme(ctx: Context, area_code: str, path: str | Path, kind: str | None = None, *,
                     dry_run: bool = False, source: str = "") -> Report:
    """Import a programme file into the area (``kind`` for a CSV; a workbook may hold every kind).

    With ``dry_run`` the file is only checked. Returns the report; raises :class:`InputError` with every
    problem (file, sheet, row, column) if anything is wrong, and then nothing is written."""
    area = writable_area(ctx, area_code)
    p, digest = ctx.input_file(path)
    report = Report(p.name)
    rows = read_programme_file(p, area.code, report, kind)
    workbook = p.suffix.lower() in EXCEL_SUFFIXES and kind is None
    names = {k: where(p, k, workbook) for k in KINDS}
    with ctx.store.read() as conn:
        known = load_known(conn, area)
        stored_actors = {a.code: a for a in actor_repo.list_actors(conn)}
        _number_inputs(rows, set(part_repo.input_ids(conn, area_id(area))))
    rows["actors"] = [(r, a) for r, a in rows.get("actors", []) if not _unchanged_shared(a, stored_actors)]
    if area.synthetic:  # everything in a demo area is demo content
        rows = {k: [(r, replace(x, synthetic=True) if k != "actors" or x.area_code else x) for r, x in v]
                for k, v in rows.items()}
    _extend(known, rows)
    _check(ctx, known, rows, stored_actors, report, names)
    report.raise_if_errors()
    counts = {k: len(v) for k, v in rows.items() if v}
    if dry_run:
        report.info(_("kontrollert uten feil: {counts}", counts=_describe(counts)))
        return report
    with ctx.store.transaction() as conn:
        import_id = imports_repo.start_import(conn, kind="programme", file_name=p.name, sha256=digest, source=source,
                                              actor=ctx.actor, options={"area": area.code, "kind": kind})
        _write(conn, area, rows)
        imports_repo.finish_import(conn, import_id, rows=sum(counts.values()), warnings=len(report.warnings))
        audit(conn, ctx, "import", "programme", f"{area.code}:{p.name}", {"import_id": import_id, **counts})
        programme_indicators.refresh(conn, area)
    report.info(_("lagret: {counts}", counts=_describe(counts)))
    return report


def _unchanged_shared(a: Actor, stored: dict[str, Actor]) -> bool:
    """A municipality-wide actor in the file exactly as stored (skipped: anyone may carry it along)."""
    old = stored.get(a.code)
    return a.area_code is None and old is not None and replace(a, id=old.id, synthetic=old.synthetic) == old


def _describe(counts: dict[str, int]) -> str:
    return ", ".join(f"{k} {n}" for k, n in counts.items()) or "0"


def _write(conn: Connection, area: Area, rows: dict[str, list]) -> None:
    aid = area_id(area)
    for _r, a in rows.get("actors", []):
        actor_repo.save_actor(conn, a, aid if a.area_code else None)
    terms, inds = repo.term_ids(conn), ind_repo.indicator_ids(conn)
    for _r, g in rows.get("goals", []):
        repo.save_goal(conn, g, aid, terms, inds)
    actors, goals = actor_repo.actor_ids(conn), repo.goal_ids(conn, aid)
    for _r, m in rows.get("measures", []):
        repo.save_measure(conn, m, aid, actors, goals, inds)
    for _r, e in rows.get("events", []):
        part_repo.save_event(conn, e, aid, actors)
    events, measures = part_repo.event_ids(conn, aid), repo.measure_ids(conn, aid)
    themes = {c: i for (k, c), i in terms.items() if k == "theme"}
    for _r, i in rows.get("inputs", []):
        part_repo.save_input(conn, i, aid, events, themes, measures)


# --- export ------------------------------------------------------------------


def programme_tables(ctx: Context, area_code: str) -> dict[str, list]:
    """The area's programme as objects per kind; actors: the area's own and the shared ones it names."""
    area = readable_area(ctx, area_code)
    aid = area_id(area)
    with ctx.store.read() as conn:
        measures = repo.list_measures(conn, aid)
        events = part_repo.list_events(conn, aid)
        named = {m.responsible for m in measures} | {p for m in measures for p in m.partners} | \
            {e.organiser for e in events}
        actors = [a for a in actor_repo.list_actors(conn, aid) if a.area_code or a.code in named]
        return {"actors": actors, "goals": repo.list_goals(conn, aid), "measures": measures, "events": events,
                "inputs": part_repo.list_inputs(conn, aid)}


def export_programme(ctx: Context, area_code: str, output: str | Path, kind: str | None = None) -> Path:
    """Write the programme to ``.xlsx`` (every kind, or ``kind``), ``.csv`` (``kind``) or ``.geojson``
    (measures). Board roles carry only pseudonymous references; still, the public may not export."""
    if ctx.is_public:
        raise PermissionDenied(_("Logg inn for å eksportere programmet"))
    out = Path(output)
    suffix = out.suffix.lower()
    if suffix not in (".csv", *EXCEL_SUFFIXES, *GEOJSON_SUFFIXES):
        raise InputError(_("Ukjent filtype {suffix}; bruk .xlsx, .csv eller .geojson", suffix=out.suffix))
    if kind is not None and kind not in KINDS:
        raise InputError(_("Ukjent tabell «{kind}»; forventet {valid}", kind=kind, valid=", ".join(KINDS)))
    if suffix == ".csv" and kind is None:
        raise InputError(_("En CSV-fil har én tabell: velg en av {valid}", valid=", ".join(KINDS)))
    if suffix in GEOJSON_SUFFIXES and kind not in (None, "measures"):
        raise InputError(_("GeoJSON kan bare inneholde tiltak"))
    area = readable_area(ctx, area_code)
    tables = programme_tables(ctx, area.code)
    tmp = out.with_name(out.name + ".part" + out.suffix)
    if suffix in GEOJSON_SUFFIXES:
        tmp.write_text(json.dumps(_geojson(tables["measures"], area.synthetic), ensure_ascii=False, indent=1),
                       encoding="utf-8")
    elif suffix == ".csv":
        _frame(tables, str(kind)).to_csv(tmp, index=False, encoding="utf-8")
    else:
        with pd.ExcelWriter(tmp, engine="openpyxl") as xl:
            for k in [kind] if kind else ORDER:
                _frame(tables, str(k)).to_excel(xl, sheet_name=str(k), index=False)
            if area.synthetic:
                pd.DataFrame({"note": [SYNTHETIC_NOTE]}).to_excel(xl, sheet_name="note", index=False)
    tmp.replace(out)
    with ctx.store.transaction() as conn:
        audit(conn, ctx, "export", "programme", f"{area.code}:{out.name}", {"kind": kind})
    return out


def _frame(tables: dict[str, list], kind: str) -> pd.DataFrame:
    return pd.DataFrame([WRITERS[kind](x) for x in tables[kind]], columns=list(COLUMNS[kind]))  # type: ignore[operator]


def _geojson(measures: list, synthetic: bool) -> dict[str, object]:
    features = []
    for m in measures:
        props: dict[str, object] = measure_to(m, geometry_as="none")
        props.update(partners=list(m.partners), goals=list(m.goals),
                     indicators=[{"indicator": x.indicator, "method": x.method, "goal": x.goal} for x in m.indicators],
                     milestones=[{"title": s.title, "due": s.due.isoformat(),
                                  "done": s.done.isoformat() if s.done else None} for s in m.milestones])
        if synthetic:
            props["note"] = SYNTHETIC_NOTE
        geometry = mapping(shapely.from_wkb(m.geometry)) if m.geometry else None
        features.append({"type": "Feature", "geometry": geometry, "properties": props})
    return {"type": "FeatureCollection", "features": features}

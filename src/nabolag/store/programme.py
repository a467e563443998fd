"""Vocabulary, goals and measures: save (by code, replacing links) and read back whole."""

from __future__ import annotations

import json
from collections import defaultdict

from sqlalchemy import Connection, delete, func, insert, select, update

from nabolag.domain.programme import Goal, IndicatorLink, Measure, MeasureKind, MeasureStatus, Milestone
from nabolag.domain.vocabulary import Term, TermKind
from nabolag.store.programme_tables import (
    actor,
    goal,
    goal_indicator,
    goal_theme,
    measure,
    measure_goal,
    measure_indicator,
    measure_partner,
    milestone,
    participation_input,
    vocabulary_term,
)
from nabolag.store.tables import area, indicator

# --- vocabulary --------------------------------------------------------------


def _term(r: dict[str, object]) -> Term:
    return Term(kind=TermKind(str(r["kind"])), code=str(r["code"]), name_nb=str(r["name_nb"]),
                name_en=str(r["name_en"]), description=str(r["description"]),
                sdg_targets=tuple(json.loads(str(r["sdg_targets"]))), sort_order=int(r["sort_order"]))  # type: ignore[call-overload]


def list_terms(conn: Connection, kind: str | None = None) -> list[Term]:
    stmt = select(vocabulary_term).order_by(vocabulary_term.c.kind, vocabulary_term.c.sort_order,
                                            vocabulary_term.c.code)
    if kind:
        stmt = stmt.where(vocabulary_term.c.kind == kind)
    return [_term(dict(r)) for r in conn.execute(stmt).mappings()]


def term_ids(conn: Connection) -> dict[tuple[str, str], int]:
    rows = conn.execute(select(vocabulary_term.c.kind, vocabulary_term.c.code, vocabulary_term.c.id))
    return {(k, c): i for k, c, i in rows}


def save_term(conn: Connection, t: Term) -> bool:
    """Insert or update a term; True if it was new."""
    values = {"kind": str(t.kind), "code": t.code, "name_nb": t.name_nb, "name_en": t.name_en,
              "description": t.description, "sdg_targets": json.dumps(list(t.sdg_targets)), "sort_order": t.sort_order}
    found = term_ids(conn).get((str(t.kind), t.code))
    if found is None:
        conn.execute(insert(vocabulary_term).values(**values))
        return True
    conn.execute(update(vocabulary_term).where(vocabulary_term.c.id == found).values(**values))
    return False


def term_uses(conn: Connection, term_id: int) -> int:
    """How many goals and inputs use a term."""
    counts = [select(func.count()).select_from(goal).where(goal.c.dimension_id == term_id),
              select(func.count()).select_from(goal_theme).where(goal_theme.c.term_id == term_id),
              select(func.count()).select_from(participation_input).where(participation_input.c.theme_id == term_id)]
    return sum(int(conn.execute(c).scalar() or 0) for c in counts)


def delete_term(conn: Connection, term_id: int) -> None:
    conn.execute(delete(vocabulary_term).where(vocabulary_term.c.id == term_id))


# --- goals -------------------------------------------------------------------


def goal_ids(conn: Connection, area_id: int) -> dict[str, int]:
    return {c: i for c, i in conn.execute(select(goal.c.code, goal.c.id).where(goal.c.area_id == area_id))}


def _upsert(conn: Connection, table: object, key: dict[str, object], values: dict[str, object]) -> int:
    t = table  # a Table with an ``id`` column
    cond = [t.c[k] == v for k, v in key.items()]  # type: ignore[attr-defined]
    found = conn.execute(select(t.c.id).where(*cond)).scalar()  # type: ignore[attr-defined]
    if found is None:
        return int(conn.execute(insert(t).values(**key, **values)).inserted_primary_key[0])  # type: ignore[arg-type,index]
    conn.execute(update(t).where(t.c.id == found).values(**values))  # type: ignore[arg-type,attr-defined]
    return int(found)


def save_goal(conn: Connection, g: Goal, area_id: int, terms: dict[tuple[str, str], int],
              indicators: dict[str, int]) -> int:
    """Create or update a goal by (area, code) and replace its themes and indicator links."""
    gid = _upsert(conn, goal, {"area_id": area_id, "code": g.code}, {
        "title": g.title, "dimension_id": terms[("dimension", g.dimension)], "description": g.description,
        "target_groups": json.dumps(list(g.target_groups)), "start_date": g.start, "end_date": g.end,
        "synthetic": g.synthetic})
    conn.execute(delete(goal_theme).where(goal_theme.c.goal_id == gid))
    conn.execute(delete(goal_indicator).where(goal_indicator.c.goal_id == gid))
    if g.themes:
        conn.execute(insert(goal_theme), [{"goal_id": gid, "term_id": terms[("theme", t)]} for t in g.themes])
    if g.indicators:
        conn.execute(insert(goal_indicator), [
            {"goal_id": gid, "indicator_id": indicators[x.indicator], "method": x.method,
             "target_value": x.target_value, "target_period": x.target_period, "note": x.note}
            for x in g.indicators])
    return gid


def list_goals(conn: Connection, area_id: int) -> list[Goal]:
    area_code = conn.execute(select(area.c.code).where(area.c.id == area_id)).scalar()
    rows = conn.execute(select(goal, vocabulary_term.c.code.label("dimension"))
                        .join(vocabulary_term, vocabulary_term.c.id == goal.c.dimension_id)
                        .where(goal.c.area_id == area_id).order_by(goal.c.code)).mappings().all()
    ids = [r["id"] for r in rows]
    themes: dict[int, list[str]] = defaultdict(list)
    for gid, code in conn.execute(select(goal_theme.c.goal_id, vocabulary_term.c.code)
                                  .join(vocabulary_term, vocabulary_term.c.id == goal_theme.c.term_id)
                                  .where(goal_theme.c.goal_id.in_(ids))
                                  .order_by(vocabulary_term.c.sort_order, vocabulary_term.c.code)):
        themes[gid].append(code)
    links: dict[int, list[IndicatorLink]] = defaultdict(list)
    for r in conn.execute(select(goal_indicator, indicator.c.code).join(indicator)
                          .where(goal_indicator.c.goal_id.in_(ids)).order_by(indicator.c.code)).mappings():
        links[r["goal_id"]].append(IndicatorLink(indicator=r["code"], method=r["method"],
                                                 target_value=r["target_value"], target_period=r["target_period"],
                                                 note=r["note"]))
    return [Goal(area_code=str(area_code), code=r["code"], title=r["title"], dimension=r["dimension"],
                 themes=tuple(themes[r["id"]]), target_groups=tuple(json.loads(r["target_groups"])),
                 start=r["start_date"], end=r["end_date"], description=r["description"],
                 indicators=tuple(links[r["id"]]), synthetic=bool(r["synthetic"]), id=r["id"]) for r in rows]


def delete_goal(conn: Connection, goal_id: int) -> None:
    conn.execute(delete(goal).where(goal.c.id == goal_id))


# --- measures ----------------------------------------------------------------


def measure_ids(conn: Connection, area_id: int) -> dict[str, int]:
    return {c: i for c, i in conn.execute(select(measure.c.code, measure.c.id).where(measure.c.area_id == area_id))}


def save_measure(conn: Connection, m: Measure, area_id: int, actors: dict[str, int], goals: dict[str, int],
                 indicators: dict[str, int]) -> int:
    """Create or update a measure by (area, code) and replace its partners, goals, indicators and milestones."""
    mid = _upsert(conn, measure, {"area_id": area_id, "code": m.code}, {
        "title": m.title, "kind": str(m.kind), "status": str(m.status), "description": m.description,
        "geometry": m.geometry, "responsible_id": actors[m.responsible] if m.responsible else None,
        "budget": m.budget, "spent": m.spent, "start_date": m.start, "end_date": m.end, "synthetic": m.synthetic})
    for t in (measure_partner, measure_goal, measure_indicator, milestone):
        conn.execute(delete(t).where(t.c.measure_id == mid))
    if m.partners:
        conn.execute(insert(measure_partner), [{"measure_id": mid, "actor_id": actors[a]} for a in m.partners])
    if m.goals:
        conn.execute(insert(measure_goal), [{"measure_id": mid, "goal_id": goals[g]} for g in m.goals])
    if m.indicators:
        conn.execute(insert(measure_indicator), [
            {"measure_id": mid, "indicator_id": indicators[x.indicator], "goal_id": goals[x.goal] if x.goal else None,
             "method": x.method, "note": x.note} for x in m.indicators])
    if m.milestones:
        conn.execute(insert(milestone), [{"measure_id": mid, "position": k, "title": ms.title, "due": ms.due,
                                          "done": ms.done} for k, ms in enumerate(m.milestones)])
    return mid


def list_measures(conn: Connection, area_id: int, with_geometry: bool = True) -> list[Measure]:
    area_code = conn.execute(select(area.c.code).where(area.c.id == area_id)).scalar()
    cols = [c for c in measure.c if with_geometry or c.name != "geometry"]
    rows = conn.execute(select(*cols, actor.c.code.label("responsible"))
                        .outerjoin(actor, actor.c.id == measure.c.responsible_id)
                        .where(measure.c.area_id == area_id).order_by(measure.c.code)).mappings().all()
    ids = [r["id"] for r in rows]
    partners: dict[int, list[str]] = defaultdict(list)
    for mid, code in conn.execute(select(measure_partner.c.measure_id, actor.c.code).join(actor)
                                  .where(measure_partner.c.measure_id.in_(ids)).order_by(actor.c.code)):
        partners[mid].append(code)
    goals: dict[int, list[str]] = defaultdict(list)
    for mid, code in conn.execute(select(measure_goal.c.measure_id, goal.c.code).join(goal)
                                  .where(measure_goal.c.measure_id.in_(ids)).order_by(goal.c.code)):
        goals[mid].append(code)
    links: dict[int, list[IndicatorLink]] = defaultdict(list)
    for r in conn.execute(select(measure_indicator, indicator.c.code, goal.c.code.label("goal"))
                          .join(indicator, indicator.c.id == measure_indicator.c.indicator_id)
                          .outerjoin(goal, goal.c.id == measure_indicator.c.goal_id)
                          .where(measure_indicator.c.measure_id.in_(ids))
                          .order_by(measure_indicator.c.id)).mappings():
        links[r["measure_id"]].append(IndicatorLink(indicator=r["code"], method=r["method"], goal=r["goal"] or "",
                                                    note=r["note"]))
    stones: dict[int, list[Milestone]] = defaultdict(list)
    for r in conn.execute(select(milestone).where(milestone.c.measure_id.in_(ids))
                          .order_by(milestone.c.measure_id, milestone.c.position)).mappings():
        stones[r["measure_id"]].append(Milestone(title=r["title"], due=r["due"], done=r["done"]))
    return [Measure(area_code=str(area_code), code=r["code"], title=r["title"], kind=MeasureKind(r["kind"]),
                    status=MeasureStatus(r["status"]), description=r["description"], geometry=r.get("geometry"),
                    responsible=r["responsible"], partners=tuple(partners[r["id"]]), budget=r["budget"],
                    spent=r["spent"], start=r["start_date"], end=r["end_date"], milestones=tuple(stones[r["id"]]),
                    goals=tuple(goals[r["id"]]), indicators=tuple(links[r["id"]]), synthetic=bool(r["synthetic"]),
                    id=r["id"]) for r in rows]


def delete_measure(conn: Connection, measure_id: int) -> None:
    conn.execute(delete(measure).where(measure.c.id == measure_id))

"""Goals (mål) and measures (tiltak) of an area programme: save with every reference checked, list, remove,
and the progress roll-up from measures to goals and area.

Every write needs a writing role and, for a coordinator, its own area (``ctx.require_area``); it is
checked whole before anything is written, saved in one transaction and recorded in the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from nabolag.domain.programme import Goal, Measure
from nabolag.domain.progress import Progress, area_progress, measure_progress, roll_up
from nabolag.domain.zones import Area
from nabolag.errors import NotFoundError
from nabolag.i18n import _
from nabolag.services.context import Context
from nabolag.services.programme_base import area_id, audit, fail, readable_area, writable_area
from nabolag.services.programme_checks import goal_problems, load_known, measure_problems
from nabolag.store import indicators as ind_repo
from nabolag.store import programme as repo
from nabolag.store import programme_actors as actor_repo


def goal_where(area: Area, code: str) -> str:
    return _("målet {area}/{code}", area=area.code, code=code[:60])


def measure_where(area: Area, code: str) -> str:
    return _("tiltaket {area}/{code}", area=area.code, code=code[:60])


def save_goal(ctx: Context, goal: Goal, *, row: int | None = None) -> Goal:
    """Create or replace a goal (by area and code)."""
    area = writable_area(ctx, goal.area_code)
    goal = replace(goal, area_code=area.code)
    with ctx.store.transaction() as conn:
        fail(goal_where(area, goal.code), goal_problems(load_known(conn, area), goal), row)
        new = goal.code not in repo.goal_ids(conn, area_id(area))
        repo.save_goal(conn, goal, area_id(area), repo.term_ids(conn), ind_repo.indicator_ids(conn))
        audit(conn, ctx, "create" if new else "update", "goal", f"{area.code}:{goal.code}")
    return get_goal(ctx, area.code, goal.code)


def list_goals(ctx: Context, area_code: str) -> list[Goal]:
    area = readable_area(ctx, area_code)
    with ctx.store.read() as conn:
        return repo.list_goals(conn, area_id(area))


def get_goal(ctx: Context, area_code: str, code: str) -> Goal:
    found = [g for g in list_goals(ctx, area_code) if g.code == code]
    if not found:
        raise NotFoundError(_("Ukjent mål i {area}: {code}", area=area_code, code=code))
    return found[0]


def remove_goal(ctx: Context, area_code: str, code: str) -> None:
    """Remove a goal; measures that served it keep serving their other goals."""
    area = writable_area(ctx, area_code)
    with ctx.store.transaction() as conn:
        gid = repo.goal_ids(conn, area_id(area)).get(code)
        if gid is None:
            raise NotFoundError(_("Ukjent mål i {area}: {code}", area=area.code, code=code))
        repo.delete_goal(conn, gid)
        audit(conn, ctx, "delete", "goal", f"{area.code}:{code}")


def save_measure(ctx: Context, measure: Measure, *, row: int | None = None) -> Measure:
    """Create or replace a measure (by area and code) with its milestones, partners, goals and indicators."""
    area = writable_area(ctx, measure.area_code)
    measure = replace(measure, area_code=area.code)
    with ctx.store.transaction() as conn:
        fail(measure_where(area, measure.code), measure_problems(load_known(conn, area), measure), row)
        new = measure.code not in repo.measure_ids(conn, area_id(area))
        repo.save_measure(conn, measure, area_id(area), actor_repo.actor_ids(conn), repo.goal_ids(conn, area_id(area)),
                          ind_repo.indicator_ids(conn))
        audit(conn, ctx, "create" if new else "update", "measure", f"{area.code}:{measure.code}",
              {"status": str(measure.status), "located": measure.geometry is not None})
    return get_measure(ctx, area.code, measure.code)


def list_measures(ctx: Context, area_code: str, with_geometry: bool = True) -> list[Measure]:
    area = readable_area(ctx, area_code)
    with ctx.store.read() as conn:
        return repo.list_measures(conn, area_id(area), with_geometry)


def get_measure(ctx: Context, area_code: str, code: str) -> Measure:
    found = [m for m in list_measures(ctx, area_code) if m.code == code]
    if not found:
        raise NotFoundError(_("Ukjent tiltak i {area}: {code}", area=area_code, code=code))
    return found[0]


def update_measure(ctx: Context, area_code: str, code: str, **changes: object) -> Measure:
    """Change some fields of a stored measure (status, a milestone added …) with the same checks as a save."""
    return save_measure(ctx, replace(get_measure(ctx, area_code, code), **changes))  # type: ignore[arg-type]


def remove_measure(ctx: Context, area_code: str, code: str) -> None:
    area = writable_area(ctx, area_code)
    with ctx.store.transaction() as conn:
        mid = repo.measure_ids(conn, area_id(area)).get(code)
        if mid is None:
            raise NotFoundError(_("Ukjent tiltak i {area}: {code}", area=area.code, code=code))
        repo.delete_measure(conn, mid)
        audit(conn, ctx, "delete", "measure", f"{area.code}:{code}")


@dataclass(frozen=True)
class ProgressReport:
    """Progress of the area and of each goal (measures rolled up), and of each measure."""

    area: Area
    total: Progress
    goals: dict[str, Progress]
    measures: dict[str, float | None]

    def as_dict(self) -> dict[str, object]:
        return {"area": self.area.code, "total": self.total.as_dict(),
                "goals": {k: v.as_dict() for k, v in self.goals.items()}, "measures": self.measures}


def progress(ctx: Context, area_code: str) -> ProgressReport:
    """Roll progress up from measures to goals and to the area (see :func:`nabolag.domain.programme.roll_up`)."""
    area = readable_area(ctx, area_code)
    goals = list_goals(ctx, area.code)
    measures = list_measures(ctx, area.code, with_geometry=False)
    per_goal = {g.code: roll_up(m for m in measures if g.code in m.goals) for g in goals}
    total = area_progress([p for p in per_goal.values() if p.measures], measures)
    return ProgressReport(area=area, total=total, goals=per_goal,
                          measures={m.code: measure_progress(m) for m in measures})

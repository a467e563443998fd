"""Progress of an area programme, rolled up from measures to goals and to the area. Pure functions."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from nabolag.domain.programme import Measure, MeasureStatus


def measure_progress(m: Measure) -> float | None:
    """Progress of one measure from 0 to 1: done = 1; idea or planned = 0; under way = the share of its
    milestones reached (unknown without milestones); stopped = not counted (None).

    >>> import datetime as dt
    >>> from nabolag.domain.programme import MeasureKind, Milestone
    >>> d = dt.date(2024, 1, 1)
    >>> m = Measure("a", "m", "M", MeasureKind.SOCIAL, MeasureStatus.UNDER_WAY,
    ...             milestones=(Milestone("x", d, d), Milestone("y", d), Milestone("z", d), Milestone("w", d)))
    >>> measure_progress(m)
    0.25
    """
    if m.status == MeasureStatus.DONE:
        return 1.0
    if m.status in (MeasureStatus.IDEA, MeasureStatus.PLANNED):
        return 0.0
    if m.status == MeasureStatus.UNDER_WAY and m.milestones:
        return sum(ms.done is not None for ms in m.milestones) / len(m.milestones)
    return None


@dataclass(frozen=True)
class Progress:
    """Progress rolled up over measures: the mean of the known measure progresses (``value``, 0–1),
    how many measures there are by status, how many have unknown progress, and budget and spend."""

    value: float | None
    measures: int
    by_status: dict[str, int]
    unknown: int
    budget: float
    spent: float

    def as_dict(self) -> dict[str, object]:
        return {"value": self.value, "percent": None if self.value is None else round(100 * self.value, 1),
                "measures": self.measures, "by_status": self.by_status, "unknown": self.unknown,
                "budget": self.budget, "spent": self.spent}


def roll_up(measures: Iterable[Measure]) -> Progress:
    """Roll progress, status counts, budget and spend up from measures (each measure counted once).

    Stopped measures are counted by status but not in the progress; so are measures under way
    without milestones (``unknown``).
    """
    items = list({m.code: m for m in measures}.values())
    values = [measure_progress(m) for m in items]
    known = [v for v, m in zip(values, items, strict=True) if v is not None]
    unknown = sum(v is None and m.status != MeasureStatus.STOPPED for v, m in zip(values, items, strict=True))
    by_status = {str(s): sum(m.status == s for m in items) for s in MeasureStatus}
    return Progress(value=sum(known) / len(known) if known else None, measures=len(items), by_status=by_status,
                    unknown=unknown, budget=float(sum(m.budget or 0 for m in items)),
                    spent=float(sum(m.spent or 0 for m in items)))


def area_progress(goal_progress: Iterable[Progress], all_measures: Iterable[Measure]) -> Progress:
    """The area's progress: the mean of its goals' progress (each goal weighs the same, as in Decidim's
    results tree); counts, budget and spend over all the area's measures, each once."""
    known = [p.value for p in goal_progress if p.value is not None]
    whole = roll_up(all_measures)
    return Progress(value=sum(known) / len(known) if known else None, measures=whole.measures,
                    by_status=whole.by_status, unknown=whole.unknown, budget=whole.budget, spent=whole.spent)

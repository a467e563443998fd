"""Pure rules of the programme: checks, groups, personal data, SDG targets and the progress roll-up."""

from __future__ import annotations

import datetime as dt

import pytest

from nabolag.domain.actors import Actor, ActorKind, BoardRole, BoardRoleKind
from nabolag.domain.participation import Event, EventKind, Input, InputStatus, check_event, looks_personal
from nabolag.domain.programme import (
    Goal,
    IndicatorLink,
    Measure,
    MeasureKind,
    MeasureStatus,
    Milestone,
    check_goal,
    check_group,
    check_measure,
    group_label,
)
from nabolag.domain.progress import area_progress, measure_progress, roll_up
from nabolag.domain.vocabulary import DEFAULT_TERMS, TermKind, check_code, is_sdg_target

D = dt.date


def _measure(**kw: object) -> Measure:
    values: dict[str, object] = dict(area_code="a", code="m", title="M", kind=MeasureKind.SOCIAL,
                                     start=D(2020, 1, 1), end=D(2021, 12, 31), goals=("g",))
    values.update(kw)
    return Measure(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(("changes", "fields"), [
    ({}, []),
    ({"milestones": (Milestone("Sent", D(2022, 1, 1)),)}, ["milestones"]),
    ({"milestones": (Milestone("Tidlig", D(2019, 1, 1)),)}, ["milestones"]),
    ({"end": D(2019, 1, 1)}, ["end"]),
    ({"status": MeasureStatus.DONE, "milestones": (Milestone("x", D(2020, 5, 1)),)}, ["status"]),
    ({"responsible": "vel", "partners": ("vel",)}, ["partners"]),
    ({"indicators": (IndicatorLink("x"), IndicatorLink("x"))}, ["indicators"]),
    ({"indicators": (IndicatorLink("x", goal="annet"),)}, ["indicators"]),
    ({"spent": float("nan")}, ["spent"]),
    ({"title": " "}, ["title"]),
])
def test_measure_checks(changes: dict[str, object], fields: list[str]) -> None:
    assert [f for f, _m in check_measure(_measure(**changes))] == fields


def test_goal_checks() -> None:
    ok = Goal("a", "g", "Mål", "individ", target_groups=("all", "age:0-17", "gender:other", "group:nyankomne"))
    assert check_goal(ok) == []
    bad = Goal("a", "g g", "", "", target_groups=("age:17-0", "kvinner"),
               indicators=(IndicatorLink("x", "magi", target_value=float("inf")),))
    assert sorted({f for f, _m in check_goal(bad)}) == ["code", "dimension", "indicators", "target_groups", "title"]


def test_groups() -> None:
    assert [check_group(g) is None for g in ("age:67+", "age:10-12", "age:12-10", "gender:x", "group:Nye")] == \
        [True, True, False, False, False]
    assert group_label("age:13-19") == "alder 13–19" and group_label("group:nyankomne") == "nyankomne"


def test_attendance_groups_cannot_exceed_the_total() -> None:
    e = Event("a", "e", EventKind.WORKSHOP, "V", D(2021, 1, 1), attendance=(("all", 10), ("gender:female", 11)))
    assert [f for f, _m in check_event(e)] == ["attendance"]


@pytest.mark.parametrize(("text", "personal"), [
    ("Ring 22 33 44 55", True), ("Ring +47 91234567", True), ("fnr 01017012345", True), ("kari@nabo.no", True),
    ("Benker hver 200. meter", False), ("Årene 2019 2020 og 2021", False), ("Mer lys i 2024", False),
])
def test_personal_data_is_recognised(text: str, personal: bool) -> None:
    assert looks_personal(text) is personal


def test_input_answered_within() -> None:
    i = Input("a", "i", "T", D(2021, 1, 1), status=InputStatus.DONE, answer="S", answered=D(2021, 1, 31))
    assert i.answered_within(30) and not i.answered_within(29)


def test_board_roles_and_activity_by_year() -> None:
    r = BoardRole("p1", BoardRoleKind.CHAIR, start=D(2020, 6, 1), end=D(2022, 1, 31))
    assert [r.held_in(y) for y in (2019, 2020, 2022, 2023)] == [False, True, True, False]
    a = Actor("x", "X", ActorKind.ASSOCIATION, founded=D(2020, 1, 1), dissolved=D(2023, 6, 1))
    assert [a.active_in(y) for y in (2019, 2020, 2023, 2024)] == [False, True, True, False]


def test_vocabulary_defaults_follow_the_documents() -> None:
    dims = [t for t in DEFAULT_TERMS if t.kind == TermKind.DIMENSION]
    themes = [t for t in DEFAULT_TERMS if t.kind == TermKind.THEME]
    assert len(dims) == 3 and len(themes) == 7
    assert all(is_sdg_target(s) for t in DEFAULT_TERMS for s in t.sdg_targets)
    named = {s for t in DEFAULT_TERMS for s in t.sdg_targets}
    assert {"3.4", "10.2", "11.3", "11.7", "16.7"} <= named  # the targets the issue names
    assert check_code("a.b_c-1") is None and check_code("-a") and check_code("x" * 61)


def test_progress_roll_up_by_hand() -> None:
    d = D(2021, 1, 1)
    done = _measure(code="a", status=MeasureStatus.DONE, budget=10.0, spent=9.0)
    half = _measure(code="b", status=MeasureStatus.UNDER_WAY, milestones=(Milestone("x", d, d), Milestone("y", d)))
    stopped = _measure(code="c", status=MeasureStatus.STOPPED, budget=5.0)
    unknown = _measure(code="d", status=MeasureStatus.UNDER_WAY)
    assert [measure_progress(m) for m in (done, half, stopped, unknown)] == [1.0, 0.5, None, None]
    p = roll_up([done, half, stopped, unknown, done])  # a measure counts once
    assert (p.value, p.measures, p.unknown, p.budget, p.spent) == (0.75, 4, 1, 15.0, 9.0)
    assert area_progress([p, roll_up([_measure(code="e", status=MeasureStatus.PLANNED)])], [done]).value == 0.375
    assert roll_up([]).value is None

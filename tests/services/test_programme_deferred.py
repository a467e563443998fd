"""``programme_indicators.deferred``: inside the block a save notes the area instead of recomputing its
derived indicators; when the block ends (also by an error) each area is recomputed once, giving what
saving one at a time gives. Outside the block, and on another database, every save recomputes at once."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from db_support import MIGRATED, Templates, empty_database
from nabolag.domain.participation import Event, EventKind
from nabolag.services import Context, observations, programme_indicators
from nabolag.services import participation as svc
from services.test_programme_support import AREA, setup

D = dt.date


def _event(code: str, date: D, place: str) -> Event:
    return Event(AREA, code, EventKind.FOLKEMOTE, f"Møte {code}", date, place, "bydel-grorud", (("all", 40),))  # type: ignore[arg-type]


EVENTS = [_event("a", D(2021, 3, 1), "Skolen"), _event("b", D(2021, 5, 1), "Biblioteket"),
          _event("c", D(2022, 2, 1), "Skolen")]


def _derived(ctx: Context) -> dict[tuple[str, str], float]:
    frame = observations.query(ctx, areas=[AREA], indicators=["arrangementer", "moteplasser", "deltakelse"])
    return {(r.indicator, r.period): float(r.value) for r in frame.itertuples()}


#: Counted by hand from EVENTS: events per year, distinct places per year, attendance summed per year; the
#: years start in 2020, when the set-up's association was founded.
BY_HAND = {("arrangementer", "2020"): 0, ("arrangementer", "2021"): 2, ("arrangementer", "2022"): 1,
           ("moteplasser", "2020"): 0, ("moteplasser", "2021"): 2, ("moteplasser", "2022"): 1,
           ("deltakelse", "2021"): 80, ("deltakelse", "2022"): 40}


@pytest.fixture
def pctx(ctx: Context, shared: Path) -> Context:
    setup(ctx, shared)
    return ctx


def test_deferred_refreshes_once_at_the_end_with_the_same_result(pctx: Context,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    real = programme_indicators.compute

    def counting(area, *args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(area.code)
        return real(area, *args, **kwargs)

    monkeypatch.setattr(programme_indicators, "compute", counting)
    before = _derived(pctx)
    with programme_indicators.deferred(pctx):
        for e in EVENTS:
            svc.save_event(pctx, e)
        assert _derived(pctx) == before  # not yet recomputed
        assert calls == []
    assert calls == [AREA]  # once, for the one area
    assert _derived(pctx) == BY_HAND


def test_without_deferred_each_save_refreshes(pctx: Context) -> None:
    svc.save_event(pctx, EVENTS[0])
    assert _derived(pctx) == {("arrangementer", "2020"): 0, ("arrangementer", "2021"): 1, ("moteplasser", "2020"): 0,
                              ("moteplasser", "2021"): 1, ("deltakelse", "2021"): 40}
    for e in EVENTS[1:]:
        svc.save_event(pctx, e)
    assert _derived(pctx) == BY_HAND


def test_an_error_in_the_block_still_refreshes_what_was_saved(pctx: Context) -> None:
    with pytest.raises(RuntimeError), programme_indicators.deferred(pctx):
        svc.save_event(pctx, EVENTS[0])
        raise RuntimeError("stop")
    assert _derived(pctx)[("arrangementer", "2021")] == 1


def test_another_database_is_not_deferred(pctx: Context, tmp_path: Path, shared: Path, templates: Templates) -> None:
    """The other database is of the engine under test (a schema on PostgreSQL), copied migrated."""
    with empty_database(tmp_path, "other") as url, Context.open(templates.copy(MIGRATED, url), actor="test") as other:
        setup(other, shared)
        with programme_indicators.deferred(pctx):
            svc.save_event(other, EVENTS[0])
            assert _derived(other)[("arrangementer", "2021")] == 1  # recomputed at once

"""Observation sites and sessions (PLDP, issue 7, stage 1): client ids, idempotent slot uploads, phases,
rights, and bad counts named by slot, row and field with nothing saved."""

from __future__ import annotations

import datetime as dt
import threading

import pytest

from geo_support import dump
from nabolag.domain.observation_session import Movement, ObservationSession, ObservationSite, SlotCount
from nabolag.errors import ConflictError, InputError, NotFoundError, PermissionDenied
from nabolag.services import Context
from nabolag.services.observation_sessions import (
    delete_session,
    get_session,
    list_sessions,
    list_sites,
    save_site,
    start_session,
    update_session,
    upload_slot,
)
from test_mapping_support import setup_place

UID = "okt-2020-05-12-a"


@pytest.fixture
def site(ctx: Context) -> ObservationSite:
    setup_place(ctx)
    return save_site(ctx, ObservationSite(code="ammerudgymmen", name="Ammerudgymmen", area_code="groruddalen",
                                          measure="utegym"))


def _session(uid: str = UID, day: dt.date = dt.date(2020, 5, 12), **extra: object) -> ObservationSession:
    values: dict[str, object] = {"observer": "Kari", "weather": "sunny"} | extra
    return ObservationSession(uid=uid, site="ammerudgymmen", date=day, start=dt.time(17, 0), slot_minutes=10,
                              **values)  # type: ignore[arg-type]


def _as(ctx: Context, role: str, areas: tuple[str, ...] = ()) -> Context:
    return Context(settings=ctx.settings, store=ctx.store, actor=role, role=role, areas=areas)


def test_site_takes_the_measures_start_and_phase_follows(ctx: Context, site: ObservationSite) -> None:
    assert list_sites(ctx)[0].reference_date == dt.date(2021, 6, 1)
    before = start_session(ctx, _session())
    after = start_session(ctx, _session("okt-2022-05-10-a", dt.date(2022, 5, 10)))
    given = start_session(ctx, _session("okt-given-phase", dt.date(2022, 5, 10), phase="before"))
    assert (before.session.phase, after.session.phase, given.session.phase) == ("before", "after", "before")
    with pytest.raises(InputError) as err:
        save_site(ctx, ObservationSite(code="x", name="X", area_code="groruddalen", measure="finnes-ikke"))
    assert err.value.problems[0].field == "measure"


def test_session_by_client_id_is_created_once(ctx: Context, site: ObservationSite) -> None:
    first = start_session(ctx, _session())
    again = start_session(ctx, _session(observer="Ola"))
    assert not first.duplicate and again.duplicate and again.session.observer == "Kari"
    assert [s.uid for s in list_sessions(ctx, site="ammerudgymmen")] == [UID]
    save_site(ctx, ObservationSite(code="lokalet", name="Lindeberglokalet", area_code="groruddalen"))
    with pytest.raises(ConflictError):
        start_session(ctx, ObservationSession(uid=UID, site="lokalet", date=dt.date(2020, 5, 12),
                                              start=dt.time(17, 0)))
    changed = update_session(ctx, _session(observer="Ola", weather="rain"))
    assert (changed.observer, changed.weather) == ("Ola", "rain")


def test_slot_sent_again_replaces_never_duplicates(ctx: Context, site: ObservationSite) -> None:
    start_session(ctx, _session())
    rows = [{"movement": "staying", "count": "3", "age_band": "15-24", "gender": "female",
             "activity": "physical_activity", "group_size": "2"},
            SlotCount(Movement.MOVING, 5, "25-44", "male", "walking", "1")]
    assert upload_slot(ctx, UID, "17:10", rows).total == 8
    upload_slot(ctx, UID, "17:10", rows)
    upload_slot(ctx, UID, dt.time(17, 20), [])
    s = get_session(ctx, UID)
    assert list(s.slots) == ["17:10", "17:20"] and s.total == 8 and s.slots["17:20"] == ()
    upload_slot(ctx, UID, "17:10", rows[:1])
    assert get_session(ctx, UID).total == 3


def test_slot_before_its_session_with_the_header(ctx: Context, site: ObservationSite) -> None:
    with pytest.raises(NotFoundError):
        upload_slot(ctx, UID, "17:00", [])
    upload_slot(ctx, UID, "17:00", [SlotCount(Movement.STAYING, 2)], session=_session())
    upload_slot(ctx, UID, "17:00", [SlotCount(Movement.STAYING, 2)], session=_session())
    assert get_session(ctx, UID).total == 2


def test_same_slot_from_two_threads(ctx: Context, site: ObservationSite) -> None:
    start_session(ctx, _session())
    errors: list[Exception] = []

    def send() -> None:
        try:
            upload_slot(ctx, UID, "17:30", [SlotCount(Movement.STAYING, 4, "65+", "female", "sitting_public")])
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=send) for _i in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert not errors and get_session(ctx, UID).total == 4


def test_bad_slot_names_row_and_field_and_saves_nothing(ctx: Context, site: ObservationSite) -> None:
    start_session(ctx, _session())
    before = dump(ctx)
    bad = [{"movement": "staying", "count": 2, "age_band": "25-64"},
           {"movement": "moving", "count": -1, "activity": "sitting_public"},
           {"movement": "staying", "count": 1, "gender": "woman", "group_size": "9"}]
    with pytest.raises(InputError) as err:
        upload_slot(ctx, UID, "17:10", bad)
    fields = {p.field for p in err.value.problems}
    assert fields == {"counts[1].age_band", "counts[2].count", "counts[2].activity", "counts[3].gender",
                      "counts[3].group_size"}
    for start in ("17:05", "16:50", "25:00"):
        with pytest.raises(InputError) as err:
            upload_slot(ctx, UID, start, [])
        assert err.value.problems[0].field == "slot"
    with pytest.raises(InputError) as err:
        upload_slot(ctx, UID, "17:10", [{"movement": "flying", "count": 1}])
    assert dump(ctx) == before


def test_rights(ctx: Context, site: ObservationSite) -> None:
    start_session(ctx, _session())
    with pytest.raises(PermissionDenied):
        list_sessions(_as(ctx, "public"))
    with pytest.raises(PermissionDenied):
        upload_slot(_as(ctx, "viewer"), UID, "17:00", [])
    with pytest.raises(PermissionDenied):
        upload_slot(_as(ctx, "coordinator", ("annet",)), UID, "17:00", [])
    upload_slot(_as(ctx, "coordinator", ("groruddalen",)), UID, "17:00", [])
    assert len(list_sessions(_as(ctx, "viewer"), area="groruddalen")) == 1
    delete_session(ctx, UID)
    with pytest.raises(NotFoundError):
        get_session(ctx, UID)

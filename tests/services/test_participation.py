"""The participation log and the actor register: saving, refusing bad input, the public «you said, we did»
read model, and the derived indicators checked against a hand count."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from nabolag.domain.actors import Actor, ActorKind, ActorYear, BoardRole, BoardRoleKind
from nabolag.domain.participation import Event, EventKind, Input, InputStatus
from nabolag.errors import ConflictError, InputError, PermissionDenied
from nabolag.services import Context, observations
from nabolag.services import participation as svc
from nabolag.services.actors import get_actor, list_actors, remove_actor, save_actor
from nabolag.services.export import published
from nabolag.services.programme_indicators import ANSWER_DAYS, CODES
from services.test_programme_support import AREA, OTHER, POPULATION, as_role, audit_count, setup

D = dt.date


@pytest.fixture
def pctx(ctx: Context, shared: Path) -> Context:
    setup(ctx, shared)
    return ctx


def event(code: str, date: D, place: str = "Ammerud skole", total: int | None = 40, **kw: object) -> Event:
    attendance = (("all", total), ("age:13-19", 6)) if total is not None else ()
    return Event(AREA, code, EventKind.FOLKEMOTE, f"Møte {code}", date, place, "bydel-grorud", attendance, **kw)  # type: ignore[arg-type]


def test_events_and_inputs_are_saved_and_answered(pctx: Context) -> None:
    e = svc.save_event(pctx, event("fm-1", D(2021, 3, 1)))
    assert e.total == 40 and e.organiser == "bydel-grorud"
    i = svc.save_input(pctx, Input(AREA, "", "Mer lys i tunnelen", D(2021, 3, 1), event="fm-1", theme="trygghet"))
    assert i.code == "innspill-1" and i.status == InputStatus.RECEIVED
    assert svc.save_input(pctx, Input(AREA, "", "Benker", D(2021, 3, 1))).code == "innspill-2"
    answered = svc.answer_input(pctx, AREA, "innspill-1", "Lys kommer i 2022", "adopted", D(2021, 3, 20))
    assert answered.answer == "Lys kommer i 2022" and answered.answered == D(2021, 3, 20)
    svc.remove_event(pctx, AREA, "fm-1")
    assert svc.get_input(pctx, AREA, "innspill-1").event is None  # the input stays


@pytest.mark.parametrize(("item", "field", "text"), [
    (Input(AREA, "a", "Ring meg på 912 34 567", D(2021, 3, 1)), "text", "personopplysninger"),
    (Input(AREA, "a", "Skriv til ola@example.no", D(2021, 3, 1)), "text", "personopplysninger"),
    (Input(AREA, "a", "Før møtet", D(2021, 2, 1), event="fm-1"), "received", "før arrangementet 2021-03-01"),
    (Input(AREA, "a", "Tekst", D(2021, 3, 1), event="fm-9"), "event", "ukjent arrangement i groruddalen: fm-9"),
    (Input(AREA, "a", "Tekst", D(2021, 3, 1), theme="lykke"), "theme", "ukjent tema: lykke"),
    (Input(AREA, "a", "Tekst", D(2021, 3, 1), measure="x"), "measure", "ukjent tiltak i groruddalen: x"),
    (Input(AREA, "a", "Tekst", D(2021, 3, 1), status=InputStatus.ADOPTED), "answer", "krever kommunens svar"),
    (Input(AREA, "a", "Tekst", D(2021, 3, 1), answer="Svar"), "answered", "svar og svardato hører sammen"),
    (Input(AREA, "a", "Tekst", D(2021, 3, 1), answer="Svar", answered=D(2021, 2, 1)), "answered", "før"),
])
def test_bad_input_is_refused(pctx: Context, item: Input, field: str, text: str) -> None:
    svc.save_event(pctx, event("fm-1", D(2021, 3, 1)))
    before = audit_count(pctx)
    with pytest.raises(InputError) as err:
        svc.save_input(pctx, item)
    assert any(p.field == field and text in p.message for p in err.value.problems), err.value.problems
    assert svc.list_inputs(pctx, AREA) == [] and audit_count(pctx) == before


@pytest.mark.parametrize(("item", "field"), [
    (Event(AREA, "x", EventKind.BEFARING, "B", D(2021, 1, 1), attendance=(("all", 5), ("age:0-12", 9))), "attendance"),
    (Event(AREA, "x", EventKind.BEFARING, "B", D(2021, 1, 1), attendance=(("voksne", 5),)), "attendance"),
    (Event(AREA, "x", EventKind.BEFARING, "B", D(2021, 1, 1), organiser="ukjent"), "organiser"),
    (Event(AREA, "x", EventKind.BEFARING, "", D(2021, 1, 1)), "title"),
])
def test_bad_event_is_refused(pctx: Context, item: Event, field: str) -> None:
    with pytest.raises(InputError) as err:
        svc.save_event(pctx, item)
    assert [p.field for p in err.value.problems] == [field]
    assert svc.list_events(pctx, AREA) == []


def test_unknown_kind_and_status_are_named(pctx: Context) -> None:
    with pytest.raises(InputError, match="«kafé»"):
        svc.save_event(pctx, Event(AREA, "x", "kafé", "K", D(2021, 1, 1)))  # type: ignore[arg-type]
    with pytest.raises(InputError, match="«glemt»"):
        svc.save_input(pctx, Input(AREA, "x", "T", D(2021, 1, 1), status="glemt"))  # type: ignore[arg-type]


def test_only_writers_of_the_area_may_log(pctx: Context) -> None:
    for who in (as_role(pctx, "coordinator", (OTHER,)), as_role(pctx, "viewer"), as_role(pctx, "public")):
        with pytest.raises(PermissionDenied):
            svc.save_event(who, event("fm-1", D(2021, 3, 1)))
    svc.save_event(as_role(pctx, "coordinator", (AREA,)), event("fm-1", D(2021, 3, 1)))


def test_derived_indicators_match_a_hand_count(pctx: Context) -> None:
    """Two years of log and register; every figure below is counted by hand from the data in this test."""
    for e in (event("a", D(2021, 3, 1), "Ammerud skole", 40), event("b", D(2021, 9, 1), " ammerud skole ", 25),
              event("c", D(2021, 10, 1), "Lindeberglokalet", None), event("d", D(2022, 3, 1), "Lindeberglokalet", 60)):
        svc.save_event(pctx, e)
    answers = [(D(2021, 3, 1), D(2021, 3, 20)), (D(2021, 3, 1), D(2021, 5, 1)), (D(2021, 9, 1), None),
               (D(2022, 3, 1), D(2022, 3, 31))]
    for k, (received, answered) in enumerate(answers):
        svc.save_input(pctx, Input(AREA, f"i{k}", "Tekst", received, answer="Svar" if answered else "",
                                   answered=answered))
    save_actor(pctx, Actor("lag-a", "Lag A", ActorKind.ASSOCIATION, area_code=AREA, founded=D(2021, 2, 1),
                           years=(ActorYear(2021, 30, 10), ActorYear(2022, 35, 12)),
                           board=(BoardRole("p1", BoardRoleKind.CHAIR), BoardRole("p2", BoardRoleKind.MEMBER,
                                                                                   end=D(2021, 12, 31)),
                                  BoardRole("p9", BoardRoleKind.MEMBER, resident=False))))
    save_actor(pctx, Actor("lag-b", "Lag B", ActorKind.VOLUNTARY, area_code=AREA, founded=D(2022, 5, 1),
                           years=(ActorYear(2022, 10, 4),),
                           board=(BoardRole("p1", BoardRoleKind.TREASURER, start=D(2022, 5, 1)),
                                  BoardRole("p3", BoardRoleKind.CHAIR, start=D(2022, 5, 1)))))
    save_actor(pctx, Actor("skole", "Skolen", ActorKind.SCHOOL, area_code=AREA, founded=D(2021, 1, 1),
                           years=(ActorYear(2021, None, 50),)))  # not an association: counts in nothing
    population = sum(POPULATION.values())  # 2019 is the nearest year with every member zone
    expected = {  # the «ammerud-vel» of the set-up was founded in 2020, so the years start there
        ("arrangementer", "2020"): 0, ("arrangementer", "2021"): 3, ("arrangementer", "2022"): 1,
        ("moteplasser", "2021"): 2, ("moteplasser", "2022"): 1,  # «Ammerud skole» written twice
        ("deltakelse", "2021"): 65, ("deltakelse", "2022"): 60,
        ("innspill_besvart", "2021"): 100 * 1 / 3, ("innspill_besvart", "2022"): 100.0,  # 19 and 61 days; 30 days
        ("nye_foreninger", "2020"): 1, ("nye_foreninger", "2021"): 1, ("nye_foreninger", "2022"): 1,
        ("frivillige", "2021"): 10, ("frivillige", "2022"): 16,
        ("styreverv_andel", "2020"): 0,  # lag A's board counts from its founding in 2021
        ("styreverv_andel", "2021"): 100 * 2 / population,  # p1, p2 (p9 lives elsewhere)
        ("styreverv_andel", "2022"): 100 * 2 / population,  # p1 on two boards counts once, p3; p2 has left
    }
    frame = observations.query(pctx, areas=[AREA], indicators=list(CODES))
    found = {(r.indicator, r.period): r.value for r in frame.itertuples()}
    assert found.keys() - expected.keys() == {("moteplasser", "2020")} and found[("moteplasser", "2020")] == 0
    for key, value in expected.items():
        assert found[key] == pytest.approx(value, abs=1e-4), key
    assert ANSWER_DAYS == 30
    share = frame[(frame["indicator"] == "styreverv_andel") & (frame["period"] == "2021")].iloc[0]
    assert (share["numerator"], share["denominator"]) == (2, population)
    # Published: two people on boards is a small cell and is hidden; counts of events are not about people.
    shown = published(pctx, frame).set_index(["indicator", "period"])
    assert shown.loc[("styreverv_andel", "2021"), "value"] != shown.loc[("styreverv_andel", "2021"), "value"]  # NaN
    assert shown.loc[("arrangementer", "2021"), "value"] == 3
    # Removing an association takes its figures away in the same step.
    with pytest.raises(ConflictError):
        remove_actor(pctx, "bydel-grorud")  # named as organiser of the events
    remove_actor(pctx, "lag-b")
    after = observations.query(pctx, areas=[AREA], indicators=["frivillige"], periods=["2022"])
    assert after["value"].tolist() == [12]


def test_actor_register(pctx: Context) -> None:
    assert [a.code for a in list_actors(pctx, AREA, include_shared=False)] == ["ammerud-vel"]
    assert {a.code for a in list_actors(pctx, AREA)} == {"ammerud-vel", "bydel-grorud"}
    with pytest.raises(InputError, match="«club»"):
        save_actor(pctx, Actor("x", "X", "club", area_code=AREA))  # type: ignore[arg-type]
    with pytest.raises(InputError) as err:
        save_actor(pctx, Actor("x", "X", ActorKind.ASSOCIATION, area_code=AREA, founded=D(2022, 1, 1),
                               dissolved=D(2021, 1, 1), years=(ActorYear(2021, -1),)))
    assert {p.field for p in err.value.problems} == {"dissolved", "years"}
    assert get_actor(pctx, "ammerud-vel").area_code == AREA


def test_you_said_we_did_shows_inputs_and_answers_without_personal_data(pctx: Context) -> None:
    save_actor(pctx, Actor("lag", "Lag", ActorKind.ASSOCIATION, area_code=AREA,
                           board=(BoardRole("p-hemmelig", BoardRoleKind.CHAIR),)))
    svc.save_event(pctx, event("fm-1", D(2021, 3, 1)))
    svc.save_input(pctx, Input(AREA, "i1", "Mer lys", D(2021, 3, 1), event="fm-1", theme="trygghet",
                               status=InputStatus.ADOPTED, answer="Lys kommer", answered=D(2021, 4, 15)))
    svc.save_input(pctx, Input(AREA, "i2", "Benker", D(2021, 5, 1)))
    page = svc.you_said_we_did(as_role(pctx, "public"), AREA)  # no sign-in needed
    assert [x["code"] for x in page.items] == ["i2", "i1"]  # newest first
    assert all(set(x) == set(svc.PUBLIC_FIELDS) for x in page.items)
    first = page.items[1]
    assert first["event_kind_label"] == "folkemøte" and first["theme_label"] == "Trygghet"
    assert first["days_to_answer"] == 45 and first["status_label"] == "tatt med"
    assert page.summary == {"inputs": 2, "answered": 1, "answered_within_days": 30, "answered_within": 0,
                            "by_status": {"received": 1, "considered": 0, "adopted": 1, "rejected": 0, "done": 0}}
    text = repr(page.as_dict())
    assert "bydel-grorud" not in text and "p-hemmelig" not in text and "test" not in text

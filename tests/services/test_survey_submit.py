"""Submitting responses: validation naming the question, exactly-once per token (also from two threads at
once), invitation codes, closed surveys, counts per zone, and the time one submit takes."""

from __future__ import annotations

import json
import threading
import time

import pytest
from sqlalchemy import func, select

from nabolag.errors import ConflictError, InputError, NotFoundError
from nabolag.services.context import Context
from nabolag.services.survey import close_survey, create_survey, get_survey
from nabolag.services.survey_submit import counts, create_invitations, new_token, submit
from nabolag.store.survey_tables import survey_response
from test_survey_support import GOOD, ZONES, open_small_survey


def _rows(ctx: Context) -> list[dict[str, object]]:
    with ctx.store.read() as conn:
        return [dict(r) for r in conn.execute(select(survey_response)).mappings()]


def _public(ctx: Context) -> Context:
    return Context(settings=ctx.settings, store=ctx.store, actor="web", role="public")


def test_a_valid_response_is_stored_as_given_with_background(ctx: Context) -> None:
    open_small_survey(ctx)
    receipt = submit(_public(ctx), "kort-2024", GOOD, new_token(), "nb", home_zone=ZONES[0])
    assert not receipt.duplicate
    [row] = _rows(ctx)
    answers = json.loads(row["answers"])
    assert answers["bra_naa"] == "<script>alert(1)</script> Parken!"  # stored as given; escaped when shown
    assert answers["trivsel"] == 4 and answers["aar_bodd"] == 12 and answers["forening"] == "yes"
    assert answers["steder"] == ["bibliotek", "parken"]  # in questionnaire order
    assert (row["age_band"], row["gender"], row["resident_group"]) == ("35-66", "female", "")
    assert row["id"] == receipt.response_id and row["source"] == "web"


def test_the_same_token_stores_one_response(ctx: Context) -> None:
    open_small_survey(ctx)
    token = new_token()
    first = submit(_public(ctx), "kort-2024", GOOD, token, "en")
    again = submit(_public(ctx), "kort-2024", {**GOOD, "trygg_dag": 1}, token, "en")
    assert again.response_id == first.response_id and again.duplicate
    assert len(_rows(ctx)) == 1
    assert json.loads(_rows(ctx)[0]["answers"])["trygg_dag"] == 6  # the first submission wins


def test_two_threads_with_one_token_store_one_response(ctx: Context) -> None:
    open_small_survey(ctx)
    token = new_token()
    results: list[object] = []
    barrier = threading.Barrier(2)

    def send() -> None:
        barrier.wait()
        try:
            results.append(submit(_public(ctx), "kort-2024", GOOD, token, "nb"))
        except Exception as exc:  # noqa: BLE001 - the test reports any failure below
            results.append(exc)

    for _round in range(5):
        results.clear()
        threads = [threading.Thread(target=send) for _i in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert all(not isinstance(r, Exception) for r in results), results
        ids = {r.response_id for r in results}  # type: ignore[attr-defined]
        assert len(ids) == 1
        token = new_token()
    with ctx.store.read() as conn:
        assert conn.execute(select(func.count()).select_from(survey_response)).scalar() == 5


@pytest.mark.parametrize(("answers", "field", "words"), [
    ({**GOOD, "forged": 1}, "forged", "ukjent spørsmål"),
    ({**GOOD, "trygg_dag": 8}, "trygg_dag", "1 til 7"),
    ({**GOOD, "trygg_dag": True}, "trygg_dag", "helt tall"),
    ({**GOOD, "trygg_dag": 2.5}, "trygg_dag", "helt tall"),
    ({**GOOD, "trivsel": [3]}, "trivsel", "1 til 5"),
    ({**GOOD, "forening": "kanskje"}, "forening", "yes eller no"),
    ({**GOOD, "transport": "fly"}, "transport", "gange, buss"),
    ({**GOOD, "steder": ["parken", "parken"]}, "steder", "to ganger"),
    ({**GOOD, "steder": ["kino"]}, "steder", "kino"),
    ({**GOOD, "aar_bodd": "101"}, "aar_bodd", "0 til 100"),
    ({**GOOD, "aar_bodd": "1e400"}, "aar_bodd", "0 til 100"),
    ({**GOOD, "bra_naa": "x" * 1_000_000}, "bra_naa", "1000000 tegn"),
    ({**GOOD, "bra_naa": {"html": "<b>"}}, "bra_naa", "forventet tekst"),
    ({**GOOD, "favoritt": {"lon": 200, "lat": 59}}, "favoritt", "lon og lat"),
    ({k: v for k, v in GOOD.items() if k != "trygg_dag"}, "trygg_dag", "må besvares"),
])
def test_bad_answers_are_refused_naming_the_question(ctx: Context, answers: dict[str, object], field: str,
                                                     words: str) -> None:
    open_small_survey(ctx)
    with pytest.raises(InputError) as caught:
        submit(_public(ctx), "kort-2024", answers, new_token(), "nb")
    assert [p.field for p in caught.value.problems] == [field]
    assert words in str(caught.value)
    assert _rows(ctx) == []


def test_closed_survey_bad_token_language_zone_and_unknown_survey(ctx: Context) -> None:
    open_small_survey(ctx)
    public = _public(ctx)
    for kwargs, field in (({"token": "short"}, "token"), ({"language": "de"}, "language"),
                          ({"home_zone": "9999"}, "home_zone")):
        args = {"token": new_token(), "language": "nb", **kwargs}
        with pytest.raises(InputError) as caught:
            submit(public, "kort-2024", GOOD, args.pop("token"), args.pop("language"), **args)
        assert caught.value.problems[0].field == field
    with pytest.raises(NotFoundError):
        submit(public, "finnes-ikke", GOOD, new_token(), "nb")
    kept = new_token()
    first = submit(public, "kort-2024", GOOD, kept, "nb")
    close_survey(ctx, "kort-2024")
    with pytest.raises(InputError, match="ikke åpen"):
        submit(public, "kort-2024", GOOD, new_token(), "nb")
    assert submit(public, "kort-2024", GOOD, kept, "nb") == first.__class__(first.response_id, duplicate=True)
    assert len(_rows(ctx)) == 1


def test_a_token_of_another_survey_is_a_conflict(ctx: Context) -> None:
    open_small_survey(ctx)
    open_small_survey_second(ctx)
    token = new_token()
    submit(_public(ctx), "kort-2024", GOOD, token, "nb")
    with pytest.raises(ConflictError):
        submit(_public(ctx), "andre", GOOD, token, "nb")


def open_small_survey_second(ctx: Context) -> None:
    from nabolag.services.survey import open_survey
    from test_survey_support import small

    create_survey(ctx, small(), code="andre")
    open_survey(ctx, "andre")


def test_invitation_codes_allow_one_response_each(ctx: Context) -> None:
    open_small_survey(ctx, code="invitert", mode="invitation")
    codes = create_invitations(ctx, "invitert", 3)
    assert len(codes) == 3 and all(len(c) == 11 and c[5] == "-" for c in codes)
    public = _public(ctx)
    with pytest.raises(InputError) as caught:
        submit(public, "invitert", GOOD, new_token(), "nb")
    assert caught.value.problems[0].field == "invitation_code"
    submit(public, "invitert", GOOD, new_token(), "nb", invitation_code=codes[0].lower().replace("-", " "))
    with pytest.raises(InputError, match="allerede brukt"):
        submit(public, "invitert", GOOD, new_token(), "nb", invitation_code=codes[0])
    with pytest.raises(InputError, match="ukjent"):
        submit(public, "invitert", GOOD, new_token(), "nb", invitation_code="AAAAA-AAAAA")
    assert len(_rows(ctx)) == 1
    c = counts(ctx, "invitert")
    assert (c.total, c.invitations, c.invitations_used) == (1, 3, 1)
    with ctx.store.read() as conn:  # only hashes are stored
        stored = conn.exec_driver_sql("SELECT code_hash FROM survey_invitation").scalars().all()
    assert not {c.replace("-", "") for c in codes} & set(stored)


def test_counts_per_zone_hide_small_zones_from_the_public(ctx: Context) -> None:
    open_small_survey(ctx)
    public = _public(ctx)
    for i in range(7):
        submit(public, "kort-2024", GOOD, new_token(), "nb", home_zone=ZONES[0] if i < 5 else ZONES[1])
    submit(public, "kort-2024", GOOD, new_token(), "nb")
    assert counts(ctx, "kort-2024").by_zone == {"": 1, ZONES[0]: 5, ZONES[1]: 2}
    shown = counts(public, "kort-2024")
    assert shown.total == 8 and shown.by_zone == {"": None, ZONES[0]: 5, ZONES[1]: None}
    assert get_survey(ctx, "kort-2024").status == "open"


def test_one_submit_takes_well_under_two_milliseconds(ctx: Context) -> None:
    """Service time of submit (validation + one transaction), median of 300 after a warm-up. On SQLite
    the target is < 2 ms; PostgreSQL over TCP gets a looser bound (a network round trip per statement)."""
    open_small_survey(ctx)
    public = _public(ctx)
    for _i in range(20):
        submit(public, "kort-2024", GOOD, new_token(), "nb", home_zone=ZONES[0])
    times = []
    for _i in range(300):
        t0 = time.perf_counter()
        submit(public, "kort-2024", GOOD, new_token(), "nb", home_zone=ZONES[0])
        times.append(time.perf_counter() - t0)
    times.sort()
    median = times[len(times) // 2]
    print(f"submit: median {median * 1000:.2f} ms, p95 {times[int(len(times) * 0.95)] * 1000:.2f} ms "
          f"on {ctx.store.dialect}")
    assert median < (0.002 if ctx.store.dialect == "sqlite" else 0.025)

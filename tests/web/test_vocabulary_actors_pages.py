"""The vocabulary and actor pages through the real app: everyone reads; only an admin edits the
vocabulary; actors are edited by admin and analyst, and by a coordinator for its own area; board members
appear to visitors as roles and counts only; bad input is 422 naming the field, nothing saved."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from nabolag.domain.actors import Actor, ActorKind, ActorYear, BoardRole, BoardRoleKind
from nabolag.domain.vocabulary import DEFAULT_TERMS
from nabolag.services import Context, users, vocabulary
from nabolag.services.actors import get_actor, list_actors, save_actor
from nabolag.store.tables import audit
from services.test_programme_support import AREA, OTHER, audit_count, setup
from web.pages_support import as_number, data_cells, inline_code

PASSWORD = "et-langt-testpassord"
JSON = {"accept": "application/json"}


@pytest.fixture
def client(ctx: Context, shared: Path) -> Iterator[TestClient]:
    from nabolag.web.app import create_app

    setup(ctx, shared)  # bydel-grorud (whole municipality), ammerud-vel (groruddalen, founded 2020)
    save_actor(
        ctx,
        Actor(
            "lindeberg-lag",
            "Lindeberg idrettslag",
            ActorKind.ASSOCIATION,
            area_code=AREA,
            founded=dt.date(2021, 5, 1),
            years=(ActorYear(2021, 40, 6), ActorYear(2022, 55, 9)),
            board=(
                BoardRole("hemmelig-p1", BoardRoleKind.CHAIR, True, dt.date(2021, 5, 1)),
                BoardRole("hemmelig-p2", BoardRoleKind.TREASURER, False, dt.date(2021, 5, 1)),
            ),
        ),
    )
    for name, role, areas in (
        ("koord", "coordinator", (AREA,)),
        ("leser", "viewer", ()),
        ("analytiker", "analyst", ()),
        ("sjef", "admin", ()),
    ):
        users.add_user(ctx, name, role, PASSWORD, areas=areas)
    with TestClient(create_app(ctx.settings), headers={"accept": "text/html"}) as c:
        yield c


def login(client: TestClient, username: str) -> str:
    token = client.get("/login.json").json()["csrf_token"]
    r = client.post(
        "/login", data={"username": username, "password": PASSWORD, "csrf_token": token}, follow_redirects=False
    )
    assert r.status_code == 303, r.text
    return str(client.get("/login.json").json()["csrf_token"])


def last_audit(ctx: Context, object_type: str) -> tuple[str, str, str]:
    with ctx.store.read() as conn:
        row = conn.execute(
            select(audit.c.actor, audit.c.action, audit.c.object_key)
            .where(audit.c.object_type == object_type)
            .order_by(audit.c.id.desc())
        ).first()
    assert row is not None
    return tuple(row)  # type: ignore[return-value]


# ---- vocabulary --------------------------------------------------------------------------------------


def test_vocabulary_is_open_and_page_matches_twin(client: TestClient) -> None:
    data = client.get("/vocabulary.json").json()
    html = client.get("/vocabulary").text
    terms = [t for g in data["groups"] for t in g["terms"]]
    assert {(t["kind"], t["code"]) for t in terms} == {(str(t.kind), t.code) for t in DEFAULT_TERMS}
    for t in terms:
        row = html[html.index(f'id="term-{t["kind"]}-{t["code"]}"') :]
        row = row[: row.index("</tr>")]
        assert re.findall(r'data-sdg="([^"]+)"', row) == [s["target"] for s in t["sdg_targets"]]
    folkehelse = next(t for t in terms if t["code"] == "folkehelse")
    assert [s["target"] for s in folkehelse["sdg_targets"]] == ["3.4", "11.7"]
    assert data["can_edit"] is False and '<form method="post" action="/vocabulary' not in html
    assert not inline_code(html)


def test_only_an_admin_edits_the_vocabulary(client: TestClient, ctx: Context) -> None:
    for name in ("leser", "koord", "analytiker"):
        token = login(client, name)
        assert 'action="/vocabulary"' not in client.get("/vocabulary").text
        before = audit_count(ctx)
        form = {"csrf_token": token, "kind": "theme", "code": "kultur", "name_nb": "Kultur", "sdg_targets": "11.4"}
        assert client.post("/vocabulary", data=form).status_code == 403
        assert client.post("/vocabulary/defaults", data={"csrf_token": token}).status_code == 403
        assert client.post("/vocabulary/theme/tjenester/remove", data={"csrf_token": token}).status_code == 403
        assert client.get("/vocabulary/theme/tjenester/edit").status_code == 403
        assert audit_count(ctx) == before
        client.post("/logout", data={"csrf_token": token})
    r = client.get("/vocabulary/theme/tjenester/edit", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login")


def test_admin_adds_changes_removes_and_restores(client: TestClient, ctx: Context) -> None:
    token = login(client, "sjef")
    assert 'action="/vocabulary/defaults"' in client.get("/vocabulary").text
    form = {"csrf_token": token, "kind": "theme", "code": "kultur", "name_nb": "Kultur og fritid",
            "name_en": "Culture", "sdg_targets": "11.4, 4.7", "sort_order": "8"}  # fmt: skip
    r = client.post("/vocabulary", data=form, follow_redirects=False)
    assert r.status_code == 303
    kultur = next(t for t in vocabulary.list_terms(ctx, "theme") if t.code == "kultur")
    assert kultur.sdg_targets == ("11.4", "4.7") and last_audit(ctx, "vocabulary_term") == (
        "sjef", "create", "theme:kultur")  # fmt: skip
    r = client.post("/vocabulary/theme/folkehelse", data={"csrf_token": token, "name_nb": "Folkehelse",
                                                          "sdg_targets": "3.4"}, follow_redirects=False)  # fmt: skip
    assert r.status_code == 303
    assert next(t for t in vocabulary.list_terms(ctx) if t.code == "folkehelse").sdg_targets == ("3.4",)
    assert "(endret)" in client.get("/vocabulary").text
    r = client.post("/vocabulary/theme/kultur/remove", data={"csrf_token": token}, follow_redirects=False)
    assert r.status_code == 303 and "kultur" not in {t.code for t in vocabulary.list_terms(ctx)}
    r = client.post("/vocabulary/defaults", data={"csrf_token": token}, headers=JSON)
    assert r.status_code == 200 and r.json() == {"restored": 1}
    assert {(t.kind, t.code): t for t in vocabulary.list_terms(ctx)} == {(t.kind, t.code): t for t in DEFAULT_TERMS}
    assert last_audit(ctx, "vocabulary_term") == ("sjef", "restore", "defaults")


@pytest.mark.parametrize(
    ("form", "field", "words"),
    [
        ({"sdg_targets": "18.1"}, "sdg_targets", "bærekraftsdelmål"),
        ({"code": "to ord"}, "code", "koden"),
        ({"name_nb": ""}, "name_nb", "mangler verdi"),
        ({"code": "folkehelse"}, None, "finnes alt"),
    ],
)
def test_bad_term_is_refused(client: TestClient, ctx: Context, form: dict[str, str], field: str | None,
                             words: str) -> None:  # fmt: skip
    token = login(client, "sjef")
    before = (audit_count(ctx), vocabulary.list_terms(ctx))
    data = {"csrf_token": token, "kind": "theme", "code": "kultur", "name_nb": "Kultur", **form}
    r = client.post("/vocabulary", data=data)
    assert r.status_code == (409 if field is None else 422) and words in r.text
    if field:
        assert re.search(rf'id="term-new-{field}-error">[^<]*<span>[^<]*{words}', r.text)
        problems = client.post("/vocabulary", data=data, headers=JSON).json()["problems"]
        assert any(p["field"] == field and words in p["message"] for p in problems)
    assert (audit_count(ctx), vocabulary.list_terms(ctx)) == before


def test_a_theme_in_use_cannot_be_removed(client: TestClient, ctx: Context) -> None:
    from nabolag.domain.participation import Input
    from nabolag.services.participation import save_input

    save_input(ctx, Input(AREA, "", "Tryggere vei", dt.date(2024, 1, 5), theme="trygghet"))
    token = login(client, "sjef")
    r = client.post("/vocabulary/theme/trygghet/remove", data={"csrf_token": token})
    assert r.status_code == 409 and "kan ikke fjernes" in r.text
    assert "trygghet" in {t.code for t in vocabulary.list_terms(ctx)}


# ---- actors ------------------------------------------------------------------------------------------


def test_actor_list_filters_by_area_and_matches_its_twin(client: TestClient) -> None:
    everything = client.get("/actors.json").json()
    assert {a["code"] for a in everything["actors"]} == {"bydel-grorud", "ammerud-vel", "lindeberg-lag"}
    data = client.get(f"/actors.json?area={AREA}&kind=local_association").json()
    assert [a["code"] for a in data["actors"]] == ["ammerud-vel", "lindeberg-lag"]
    html = client.get(f"/actors?area={AREA}&kind=local_association").text
    cells = data_cells(html)
    assert [float(c["value"]) for c in cells if c.get("field") == "board_roles"] == [0, 2]
    assert [c["value"] for c in cells if c.get("field") == "volunteers"] == ["", "9"]
    derived = {(c["indicator"], c["period"]): as_number(c["value"]) for c in cells if c.get("period")}
    twin = {(d["indicator"], v["period"]): v["value"] for d in data["derived"]["indicators"] for v in d["values"]}
    assert derived == twin and derived[("nye_foreninger", "2020")] == 1 and derived[("nye_foreninger", "2021")] == 1
    assert derived[("frivillige", "2022")] == 10  # 9 volunteers, published rounded to 5
    hidden = [d for d in data["derived"]["indicators"] if d["indicator"] == "styreverv_andel"][0]["values"]
    assert all(v["suppressed"] and v["value"] is None for v in hidden)  # one resident on a board: too few to show
    assert "skjult" in html
    assert "Legg til aktør" not in html and not inline_code(html)
    assert client.get("/actors?kind=grillfest").status_code == 422


def test_board_members_are_pseudonyms_for_staff_and_counts_for_visitors(client: TestClient) -> None:
    public = client.get("/actors/lindeberg-lag").text + client.get("/actors/lindeberg-lag.json").text
    assert "hemmelig-p1" not in public and "hemmelig-p2" not in public
    twin = client.get("/actors/lindeberg-lag.json").json()
    assert twin["board_summary"] == {"current_roles": 2, "current_people": 2, "current_residents": 1,
                                     "by_role": [{"role": "chair", "label": "leder", "count": 1},
                                                 {"role": "treasurer", "label": "kasserer", "count": 1}],
                                     "all_roles": 2}  # fmt: skip
    assert [y["volunteers"] for y in twin["years"]] == [6, 9] and twin["can_edit"] is False
    login(client, "leser")
    staff = client.get("/actors/lindeberg-lag").text
    assert "hemmelig-p1" in staff and "/actors/lindeberg-lag/edit" not in staff


def test_coordinator_edits_actors_of_its_own_area_only(client: TestClient, ctx: Context) -> None:
    token = login(client, "koord")
    assert "/actors/lindeberg-lag/edit" in client.get("/actors/lindeberg-lag").text
    assert "/actors/bydel-grorud/edit" not in client.get("/actors/bydel-grorud").text
    form = {"csrf_token": token, "code": "ammerud-sjakk", "name": "Ammerud sjakklubb", "kind": "local_association",
            "area": AREA, "founded": "2024-02-01", "years": "2024:12:3", "board": "p9:chair:resident:2024-02-01"}  # fmt: skip
    r = client.post("/actors", data=form, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/actors/ammerud-sjakk"
    a = get_actor(ctx, "ammerud-sjakk")
    assert a.years == (ActorYear(2024, 12, 3),) and a.board[0].role == BoardRoleKind.CHAIR
    assert last_audit(ctx, "actor") == ("koord", "create", "ammerud-sjakk")
    before = (audit_count(ctx), list_actors(ctx))
    for area in (OTHER, ""):
        r = client.post("/actors", data={**form, "code": "annet-lag", "area": area})
        assert r.status_code == 403, area
    r = client.post("/actors/bydel-grorud", data={"csrf_token": token, "name": "X", "kind": "municipal_department"})
    assert r.status_code == 403
    r = client.post("/actors/lindeberg-lag", data={**form, "area": OTHER})  # moving out to an area not its own
    assert r.status_code == 403
    assert (audit_count(ctx), list_actors(ctx)) == before


def test_actor_edit_form_round_trips_and_bad_input_is_422(client: TestClient, ctx: Context) -> None:
    token = login(client, "analytiker")
    page = client.get("/actors/lindeberg-lag/edit").text
    values = dict(re.findall(r'name="(name|founded)" type="[a-z]+" value="([^"]*)"', page))
    years = re.search(r'name="years"[^>]*>([^<]*)</textarea>', page)[1]  # type: ignore[index]
    board = re.search(r'name="board"[^>]*>([^<]*)</textarea>', page)[1]  # type: ignore[index]
    form = {"csrf_token": token, "kind": "local_association", "area": AREA, **values, "years": years, "board": board}
    before = get_actor(ctx, "lindeberg-lag")
    r = client.post("/actors/lindeberg-lag", data=form, follow_redirects=False)
    assert r.status_code == 303
    assert dataclasses.replace(get_actor(ctx, "lindeberg-lag"), id=None) == dataclasses.replace(before, id=None)
    count = audit_count(ctx)
    for bad, field in (({"years": "2024:mange:3"}, "years"), ({"board": "p1:keiser:resident"}, "board"),
                       ({"dissolved": "2020-01-01"}, "dissolved"), ({"kind": "klubb"}, "kind")):  # fmt: skip
        r = client.post("/actors/lindeberg-lag", data={**form, **bad})
        assert r.status_code == 422 and f'id="actor-lindeberg-lag-{field}-error"' in r.text, field
    assert audit_count(ctx) == count
    assert dataclasses.replace(get_actor(ctx, "lindeberg-lag"), id=None) == dataclasses.replace(before, id=None)


def test_viewer_cannot_change_actors_and_used_actor_is_not_removed(client: TestClient, ctx: Context) -> None:
    from nabolag.domain.participation import Event, EventKind
    from nabolag.services.participation import save_event

    save_event(ctx, Event(AREA, "fm", EventKind.FOLKEMOTE, "Møte", dt.date(2024, 1, 1), organiser="lindeberg-lag"))
    token = login(client, "leser")
    assert client.get("/actors/new").status_code == 403
    r = client.post("/actors/lindeberg-lag/remove", data={"csrf_token": token})
    assert r.status_code == 403
    client.post("/logout", data={"csrf_token": token})
    token = login(client, "sjef")
    r = client.post("/actors/lindeberg-lag/remove", data={"csrf_token": token})
    assert r.status_code == 409 and "kan ikke fjernes" in r.text
    r = client.post("/actors/ammerud-vel/remove", data={"csrf_token": token}, follow_redirects=False)
    assert r.status_code == 303 and "ammerud-vel" not in {a.code for a in list_actors(ctx)}
    assert last_audit(ctx, "actor") == ("sjef", "delete", "ammerud-vel")

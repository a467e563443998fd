"""The participation log and the public «Dere sa, vi gjorde» page through the real app: page and twin
show the same numbers; coordinators edit their own area only; viewers read; visitors see the public page
only; bad input is 422 with the field named and nothing saved; CSRF; audit entries name who and when."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from nabolag.domain.actors import Actor, ActorKind, BoardRole, BoardRoleKind
from nabolag.domain.participation import Event, EventKind, Input
from nabolag.services import Context, users
from nabolag.services import participation as svc
from nabolag.services.actors import save_actor
from nabolag.services.participation import PUBLIC_FIELDS
from nabolag.store.tables import audit
from nabolag.web.app import create_app
from services.test_programme_support import AREA, OTHER, audit_count, setup
from web.pages_support import data_cells, inline_code

PASSWORD = "et-langt-testpassord"
BASE = f"/areas/{AREA}/participation"
D = dt.date
ORGANISER_NAME = "Kari Nordmanns velforening"  # a person's name in an organiser: must not reach the public page


@pytest.fixture
def client(ctx: Context, shared: Path) -> Iterator[TestClient]:
    setup(ctx, shared)
    save_actor(
        ctx,
        Actor(
            "kari-vel",
            ORGANISER_NAME,
            ActorKind.ASSOCIATION,
            area_code=AREA,
            board=(BoardRole("pseudo-p17", BoardRoleKind.CHAIR),),
        ),
    )
    svc.save_event(
        ctx,
        Event(
            AREA,
            "fm-1",
            EventKind.FOLKEMOTE,
            "Folkemøte om tunnelen",
            D(2024, 3, 1),
            "Ammerud skole",
            "kari-vel",
            (("all", 40), ("age:13-19", 6), ("group:nyankomne", 3)),
        ),
    )
    svc.save_event(
        ctx,
        Event(
            AREA,
            "tv-1",
            EventKind.TRYGGHETSVANDRING,
            "Trygghetsvandring",
            D(2024, 9, 1),
            "Ammerud",
            None,
            (("all", 12),),
        ),
    )
    svc.save_input(ctx, Input(AREA, "", "Mer lys i tunnelen", D(2024, 3, 1), event="fm-1", theme="trygghet"))
    svc.save_input(
        ctx,
        Input(
            AREA,
            "",
            "Benker ved stien",
            D(2024, 3, 1),
            event="fm-1",
            theme="folkehelse",
            status="done",
            answer="Fem benker satt opp",
            answered=D(2024, 3, 20),
        ),
    )  # type: ignore[arg-type]
    for name, role, areas in (
        ("koord", "coordinator", (AREA,)),
        ("annen", "coordinator", (OTHER,)),
        ("leser", "viewer", ()),
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


def event_form(token: str, **changes: str) -> dict[str, str]:
    form = {
        "csrf_token": token,
        "kind": "befaring",
        "title": "Befaring langs Alna",
        "date": "2024-06-05",
        "place": "Alnaparken",
        "organiser": "bydel-grorud",
        "att_all": "16",
        "att_1": "4",
        "attendance_other": "group:nyankomne=2",
    }
    return {**form, **changes}


def field_errors(html: str, form_id: str, field: str) -> str:
    m = re.search(rf'id="{re.escape(form_id)}-{re.escape(field)}-error">(.*?)</p>', html, re.S)
    return m.group(1) if m else ""


def test_visitor_is_sent_to_sign_in_and_sees_the_public_page(client: TestClient) -> None:
    r = client.get(BASE, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/login?next=%2Fareas%2F{AREA}%2Fparticipation"
    assert client.get(BASE + ".json").status_code == 401
    r = client.get(f"{BASE}/events/fm-1/edit", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login?next=")
    assert client.get(f"/areas/{AREA}/you-said-we-did").status_code == 200


def test_page_and_twin_show_the_same_numbers(client: TestClient) -> None:
    login(client, "leser")
    data = client.get(BASE + ".json").json()
    html = client.get(BASE).text
    cells = data_cells(html)
    summary = {c["field"]: float(c["value"]) for c in cells if c.get("field") in data["summary"] and not c["indicator"]}
    assert summary == {
        k: float(data["summary"][k])
        for k in ("events", "participants", "places", "inputs", "answered", "answered_within")
    }
    assert summary["events"] == 2 and summary["participants"] == 52 and summary["answered"] == 1
    totals = [float(c["value"]) for c in cells if c.get("field") == "total"]
    assert totals == [e["total"] for e in data["events"]] == [12, 40]
    derived = {(c["indicator"], c["period"]): float(c["value"]) for c in cells if c.get("period")}
    twin = {(d["indicator"], v["period"]): v["value"] for d in data["derived"]["indicators"] for v in d["values"]}
    assert (
        derived == twin and derived[("arrangementer", "2024")] == 2 and derived[("deltakelse", "2024")] == 50
    )  # published: rounded to 5
    assert [i["code"] for i in data["inputs"]] == re.findall(r'<article class="input" id="input-([^"]+)"', html)
    assert ORGANISER_NAME in html and "Fem benker satt opp" in html  # signed-in readers see the organiser
    assert not inline_code(html)


def test_viewer_reads_without_edit_controls_and_cannot_post(client: TestClient, ctx: Context) -> None:
    token = login(client, "leser")
    html = client.get(BASE).text
    assert "hx-post" not in html and '<form method="post" action="/areas' not in html
    assert "Legg til arrangement" not in html and "Svar eller endre status" not in html
    before = audit_count(ctx)
    r = client.post(f"{BASE}/events", data=event_form(token))
    assert r.status_code == 403
    r = client.post(
        f"{BASE}/inputs/innspill-1/answer",
        data={"csrf_token": token, "status": "adopted", "answer": "Ja", "answered": "2024-04-01"},
    )
    assert r.status_code == 403
    assert client.get(f"{BASE}/events/fm-1/edit").status_code == 403
    assert audit_count(ctx) == before and len(svc.list_events(ctx, AREA)) == 2
    assert svc.get_input(ctx, AREA, "innspill-1").answer == ""


def test_coordinator_of_another_area_gets_403_and_nothing_is_saved(client: TestClient, ctx: Context) -> None:
    token = login(client, "annen")
    assert "hx-post" not in client.get(BASE).text  # reads, but no edit controls
    before = audit_count(ctx)
    for path, form in (
        (f"{BASE}/events", event_form(token)),
        (f"{BASE}/inputs", {"csrf_token": token, "text": "Hei", "received": "2024-05-01"}),
        (f"{BASE}/events/fm-1/remove", {"csrf_token": token}),
        (f"{BASE}/inputs/innspill-1/answer", {"csrf_token": token, "status": "considered"}),
    ):
        assert client.post(path, data=form).status_code == 403, path
    assert audit_count(ctx) == before and len(svc.list_events(ctx, AREA)) == 2
    assert svc.get_input(ctx, AREA, "innspill-1").status == "received"


def test_csrf_token_is_required(client: TestClient, ctx: Context) -> None:
    token = login(client, "koord")
    before = audit_count(ctx)
    form = event_form(token)
    del form["csrf_token"]
    assert client.post(f"{BASE}/events", data=form).status_code == 403
    assert client.post(f"{BASE}/events", data={**form, "csrf_token": "feil"}).status_code == 403
    assert audit_count(ctx) == before and len(svc.list_events(ctx, AREA)) == 2


def test_coordinator_adds_edits_and_removes_an_event_with_plain_forms(client: TestClient, ctx: Context) -> None:
    token = login(client, "koord")
    html = client.get(BASE).text
    assert 'hx-post="/areas/groruddalen/participation/events"' in html and 'name="csrf_token"' in html
    r = client.post(f"{BASE}/events", data=event_form(token), follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"{BASE}#event-befaring-2024-06-05"
    e = next(x for x in svc.list_events(ctx, AREA) if x.code == "befaring-2024-06-05")
    assert dict(e.attendance) == {"all": 16, "age:13-19": 4, "group:nyankomne": 2} and e.organiser == "bydel-grorud"
    edit = client.get(f"{BASE}/events/{e.code}/edit").text
    assert 'value="Befaring langs Alna"' in edit and 'value="16"' in edit and "group:nyankomne=2" in edit
    r = client.post(
        f"{BASE}/events/{e.code}",
        data=event_form(token, title="Befaring ved Alna", att_all="20"),
        follow_redirects=False,
    )
    assert r.status_code == 303
    e = next(x for x in svc.list_events(ctx, AREA) if x.code == "befaring-2024-06-05")
    assert e.title == "Befaring ved Alna" and e.total == 20
    r = client.post(f"{BASE}/events/{e.code}/remove", data={"csrf_token": token}, follow_redirects=False)
    assert r.status_code == 303 and e.code not in {x.code for x in svc.list_events(ctx, AREA)}
    with ctx.store.read() as conn:
        rows = conn.execute(
            select(audit.c.actor, audit.c.action, audit.c.at, audit.c.details)
            .where(audit.c.object_type == "event", audit.c.object_key == f"{AREA}:{e.code}")
            .order_by(audit.c.id)
        ).all()
    assert [(r.actor, r.action) for r in rows] == [("koord", "create"), ("koord", "update"), ("koord", "delete")]
    assert all(json.loads(r.details)["role"] == "coordinator" for r in rows)
    at = rows[0].at if rows[0].at.tzinfo else rows[0].at.replace(tzinfo=dt.UTC)
    assert abs((dt.datetime.now(dt.UTC) - at).total_seconds()) < 120


def test_htmx_answer_shows_on_the_public_page(client: TestClient, ctx: Context) -> None:
    token = login(client, "koord")
    r = client.post(
        f"{BASE}/inputs/innspill-1/answer",
        data={"status": "adopted", "answer": "Nye lys kommer i mai", "answered": "2024-03-25"},
        headers={"HX-Request": "true", "X-CSRF-Token": token},
    )
    assert r.status_code == 200 and r.text.lstrip().startswith('<div id="participation-log"')
    assert "Nye lys kommer i mai" in r.text and 'role="status"' in r.text and "<html" not in r.text
    with ctx.store.read() as conn:
        row = conn.execute(
            select(audit.c.actor, audit.c.action).where(
                audit.c.object_type == "input", audit.c.object_key == f"{AREA}:innspill-1"
            )
        ).all()[-1]
    assert tuple(row) == ("koord", "update")
    client.post("/logout", data={"csrf_token": token})
    public = client.get(f"/areas/{AREA}/you-said-we-did").text
    item = public[public.index('data-input="innspill-1"') :]
    assert "Nye lys kommer i mai" in item[: item.index("</li>")] and "tatt med" in item[: item.index("</li>")]
    twin = client.get(f"/areas/{AREA}/you-said-we-did.json").json()
    assert twin["summary"]["answered"] == 2 and twin["summary"]["answered_within"] == 2


def test_coordinator_adds_an_input_linked_to_event_and_theme(client: TestClient, ctx: Context) -> None:
    token = login(client, "koord")
    r = client.post(
        f"{BASE}/inputs",
        data={
            "csrf_token": token,
            "text": "Lekeplass for de minste",
            "received": "2024-09-01",
            "event": "tv-1",
            "theme": "folkehelse",
            "measure": "",
        },
        headers={"accept": "application/json"},
    )
    assert r.status_code == 201 and r.json()["code"] == "innspill-3" and r.json()["event"] == "tv-1"
    assert svc.get_input(ctx, AREA, "innspill-3").theme == "folkehelse"


@pytest.mark.parametrize(
    ("path", "form", "form_id", "field", "words"),
    [
        ("/events", {"kind": "grillfest"}, "event-new", "kind", "ukjent verdi"),
        ("/events", {"title": ""}, "event-new", "title", "mangler verdi"),
        ("/events", {"att_all": "3"}, "event-new", "attendance", "totalen"),
        ("/events", {"att_all": "mange"}, "event-new", "att_all", "heltall"),
        ("/inputs", {"text": "  ", "received": "2024-05-01"}, "input-new", "text", "mangler verdi"),
        (
            "/inputs",
            {"text": "Ring meg på 912 34 567", "received": "2024-05-01"},
            "input-new",
            "text",
            "personopplysninger",
        ),
        ("/inputs", {"text": "Før møtet", "received": "2024-02-01", "event": "fm-1"}, "input-new", "received", "før"),
        (
            "/inputs/innspill-1/answer",
            {"status": "adopted", "answer": "Ja", "answered": "2024-02-01"},
            "answer-innspill-1",
            "answered",
            "før innspillet kom inn",
        ),
        ("/inputs/innspill-1/answer", {"status": "done", "answer": ""}, "answer-innspill-1", "answer", "krever"),
        ("/inputs/innspill-1/answer", {"status": "kanskje"}, "answer-innspill-1", "status", "ukjent verdi"),
    ],
)
def test_bad_input_is_422_beside_the_field_and_nothing_is_saved(
    client: TestClient, ctx: Context, path: str, form: dict[str, str], form_id: str, field: str, words: str
) -> None:
    token = login(client, "koord")
    before = (audit_count(ctx), svc.list_events(ctx, AREA), svc.list_inputs(ctx, AREA))
    data = {**(event_form(token) if path == "/events" else {"csrf_token": token}), **form}
    r = client.post(BASE + path, data=data)
    assert r.status_code == 422
    assert words in field_errors(r.text, form_id, field), r.text[:3000]
    assert f'id="{form_id}-errors"' in r.text and "<html" in r.text  # the whole page, with the error summary
    r = client.post(BASE + path, data=data, headers={"HX-Request": "true"})
    assert r.status_code == 422 and words in field_errors(r.text, form_id, field) and "<html" not in r.text
    r = client.post(BASE + path, data=data, headers={"accept": "application/json"})
    assert r.status_code == 422 and any(
        p["field"] == field and words in p["message"] + (p["expected"] or "") for p in r.json()["problems"]
    )
    assert (audit_count(ctx), svc.list_events(ctx, AREA), svc.list_inputs(ctx, AREA)) == before


def test_public_page_has_no_personal_data(client: TestClient, ctx: Context) -> None:
    token = login(client, "koord")
    client.post(
        f"{BASE}/inputs/innspill-1/answer",
        data={"csrf_token": token, "status": "considered", "answer": "Vi ser på det", "answered": "2024-03-10"},
    )
    client.post("/logout", data={"csrf_token": token})
    html = client.get(f"/areas/{AREA}/you-said-we-did").text
    twin = client.get(f"/areas/{AREA}/you-said-we-did.json").json()
    text = html + json.dumps(twin, ensure_ascii=False)
    for secret in (ORGANISER_NAME, "kari-vel", "pseudo-p17", "koord", "bydel-grorud", "Ammerud skole"):
        assert secret not in text, secret
    assert all(set(i) <= set(PUBLIC_FIELDS) for i in twin["items"]) and len(twin["items"]) == 2
    shown = [i for g in twin["groups"] for m in g["measures"] for i in m["items"]]
    assert sorted(i["code"] for i in shown) == ["innspill-1", "innspill-2"]
    assert "Vi ser på det" in html and "Mer lys i tunnelen" in html and not inline_code(html)
    assert 'name="csrf_token"' not in html and "<form" not in html.split('<main id="main"')[1]
    page = {c["field"]: float(c["value"]) for c in data_cells(html) if c.get("field") in twin["summary"]}
    assert page == {k: twin["summary"][k] for k in ("inputs", "answered", "answered_within")}

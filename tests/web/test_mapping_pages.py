"""The children's map, the campaign pages, the public aggregated page, the observer's pages and the use
indicators on the measure card (issue 7), through the real app on SQLite and PostgreSQL.

The municipality of ``test_mapping_support`` (a box around Groruddalen's two test zones) with an open
campaign; contributions are sent through ``POST /kart/{code}.json`` as a phone sends them and read back
from the database. Checked: page and twin agree; one contribution per token; a forged code, a route of one
point, a place outside the municipality, a huge geometry → a clear message naming the field and nothing
saved; the public page never carries a stored coordinate; teacher code against staff rights; CSRF on every
staff POST; a slot sent again replaces itself; the staged CSV import writes nothing before confirmation;
the measure card's use figures equal the stored published observations."""

from __future__ import annotations

import datetime as dt
import io
import json
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import shapely
from fastapi.testclient import TestClient

from nabolag.domain.observation_session import ObservationSession, ObservationSite
from nabolag.domain.zones import Area
from nabolag.services import Context, mapping, observation_sessions, public_life, users, zones
from nabolag.services.export import published
from nabolag.services.observations import query
from nabolag.services.views_mapping import url_code
from nabolag.web.app import create_app
from test_mapping_support import open_test_campaign, place, route, setup_place
from web.pages_support import inline_code

PASSWORD = "et-langt-testpassord"
CAMPAIGN = "ammerud-5-7"
INSIDE = ((10.86, 59.95), (10.87, 59.955), (10.88, 59.96))


@pytest.fixture
def client(ctx: Context) -> Iterator[TestClient]:
    setup_place(ctx)
    zones.save_area(ctx, Area(code="annet", name="Annet område", zone_codes=("0301121203",)))
    for name, role, areas in (("koord", "coordinator", ("groruddalen",)), ("annen", "coordinator", ("annet",)),
                              ("leser", "viewer", ()), ("analytiker", "analyst", ())):
        users.add_user(ctx, name, role, PASSWORD, areas=areas)
    with TestClient(create_app(ctx.settings), headers={"accept": "text/html"}) as c:
        yield c


@pytest.fixture
def campaign(client: TestClient, ctx: Context) -> Any:
    return open_test_campaign(ctx, CAMPAIGN)


def login(client: TestClient, username: str) -> str:
    token = client.get("/login.json").json()["csrf_token"]
    r = client.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": token},
                    follow_redirects=False)
    assert r.status_code == 303, r.text
    return str(client.get("/login.json").json()["csrf_token"])


def send(client: TestClient, code: str, contribution: dict[str, Any], token: str | None = None,
         **extra: Any) -> Any:
    body = {"token": token or uuid.uuid4().hex, "contribution": contribution, **extra}
    return client.post(f"/kart/{code}.json", json=body, headers={"accept": "application/json"})


def stored(ctx: Context, code: str = CAMPAIGN) -> list[dict[str, Any]]:
    return [f.as_feature() for f in mapping.list_contributions(ctx, code)]


def coordinates(value: Any) -> list[tuple[float, float]]:
    """Every [x, y] pair anywhere in a JSON value."""
    found: list[tuple[float, float]] = []
    if isinstance(value, list | tuple):
        if len(value) == 2 and all(isinstance(v, int | float) and not isinstance(v, bool) for v in value):
            found.append((float(value[0]), float(value[1])))
        else:
            for v in value:
                found += coordinates(v)
    elif isinstance(value, dict):
        for v in value.values():
            found += coordinates(v)
    return found


# --- the child's map -------------------------------------------------------------------------------------------

def test_child_page_and_twin_agree(client: TestClient, campaign: Any) -> None:
    code = url_code(campaign.access_code)
    r = client.get("/kart", params={"kode": campaign.access_code.lower().replace("-", " ")}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/kart/{code}?lang=nb"
    page = client.get(f"/kart/{code}")
    assert page.status_code == 200 and inline_code(page.text) == []
    data = client.get(f"/kart/{code}.json").json()
    assert data["title"] == "Skoleveien vår" and data["accepting"] is True and data["grades"] == [5, 6, 7]
    for item in (*data["modes"], *data["purposes"], *data["categories"]):
        assert f'value="{item["code"]}"> {item["label"]}' in page.text
    assert data["texts"]["draw_route"] in page.text and data["map"]["zones"].startswith("/geo/")
    assert "teacher_code" not in json.dumps(data) and campaign.teacher_code not in page.text
    nn = client.get(f"/kart/{code}.json", params={"lang": "nn"}).json()
    assert nn["language"] == "nn" and nn["texts"]["draw_route"] == "Teikn ein veg"
    assert 'lang="nn"' in client.get(f"/kart/{code}", params={"lang": "nn"}).text


def test_unknown_code_says_so_and_nothing_else(client: TestClient, campaign: Any) -> None:
    r = client.get("/kart", params={"kode": "ABCD-EFGH"})
    assert r.status_code == 404 and "ukjent kode" in r.text and 'aria-invalid="true"' in r.text
    r = client.get("/kart/ABCD-EFGH.json")
    assert r.status_code == 404 and r.json()["problems"][0]["field"] == "campaign_code"


def test_a_contribution_is_stored_once_per_token(client: TestClient, ctx: Context, campaign: Any) -> None:
    token = uuid.uuid4().hex
    first = send(client, campaign.access_code, route(*INSIDE, comment="<b>hei</b>"), token)
    assert first.status_code == 201 and first.json()["duplicate"] is False
    again = send(client, campaign.access_code, route(*INSIDE, comment="<b>hei</b>"), token)
    assert again.status_code == 200 and again.json() == {"stored": True, "id": first.json()["id"], "duplicate": True}
    found = stored(ctx)
    assert len(found) == 1 and [tuple(p) for p in found[0]["geometry"]["coordinates"]] == list(INSIDE)
    assert send(client, campaign.access_code, place(10.87, 59.95, "traffic")).status_code == 201
    assert len(stored(ctx)) == 2


@pytest.mark.parametrize(("name", "contribution", "field", "words"), [
    ("one point", route((10.86, 59.95)), "geometry", "minst to"),
    ("one point twice", route((10.86, 59.95), (10.86, 59.95)), "geometry", "minst to"),
    ("outside", place(11.5, 59.95), "geometry", "utenfor kommunen"),
    ("route leaving", route((10.86, 59.95), (11.2, 59.95)), "geometry", "utenfor kommunen"),
    ("huge", route(*[(10.81 + i * 1e-5, 59.91 + (i % 2) * 1e-5) for i in range(2500)]), "geometry", "2000"),
    ("bad mode", route(*INSIDE, mode="rocket"), "mode", "ukjent"),
    ("long comment", place(10.87, 59.95, comment="x" * 301), "comment", "300"),
])
def test_bad_contributions_get_a_clear_message_and_nothing_is_saved(
        client: TestClient, ctx: Context, campaign: Any, name: str, contribution: dict[str, Any], field: str,
        words: str) -> None:
    r = send(client, campaign.access_code, contribution)
    assert r.status_code == 422, (name, r.text)
    problems = r.json()["problems"]
    assert any(p["field"] == field and words in p["message"] for p in problems), (name, problems)
    assert stored(ctx) == []


def test_forged_or_closed_code_and_oversized_body(client: TestClient, ctx: Context, campaign: Any) -> None:
    r = send(client, "ABCD-EFGH", route(*INSIDE))
    assert r.status_code == 422 and r.json()["problems"][0]["field"] == "campaign_code"
    assert "ukjent kode" in r.json()["problems"][0]["message"]
    big = client.post(f"/kart/{campaign.access_code}.json", content=b'{"token": "' + b"x" * 300_000 + b'"}',
                      headers={"content-type": "application/json", "accept": "application/json"})
    assert big.status_code == 413 and "KB" in big.json()["error"]
    mapping.close_campaign(ctx, CAMPAIGN)
    r = send(client, campaign.access_code, route(*INSIDE))
    assert r.status_code == 422 and "ikke åpen" in r.json()["problems"][0]["message"]
    assert stored(ctx) == []


def test_public_post_guards(client: TestClient, ctx: Context, campaign: Any) -> None:
    foreign = client.post(f"/kart/{campaign.access_code}.json", json={"token": uuid.uuid4().hex,
                                                                      "contribution": route(*INSIDE)},
                          headers={"origin": "https://evil.example", "accept": "application/json"})
    assert foreign.status_code == 403
    honey = send(client, campaign.access_code, route(*INSIDE), website="http://spam.example")
    assert honey.status_code == 201 and honey.json()["stored"] is True
    form = client.post(f"/kart/{campaign.access_code}.json", data={"token": "x"})
    assert form.status_code == 415
    assert stored(ctx) == []
    client.app.state.mapping_throttles.posts.burst = 1  # type: ignore[attr-defined]
    client.app.state.mapping_throttles.posts.rate = 0.0  # type: ignore[attr-defined]
    codes = [send(client, campaign.access_code, route(*INSIDE)).status_code for _i in range(3)]
    assert codes[-1] == 429


# --- the public aggregated page ---------------------------------------------------------------------------------

def _many(client: TestClient, campaign: Any, children: int = 6) -> None:
    for i in range(children):
        who = f"child-{i:04d}"
        line = [(10.86 + i * 1e-4, 59.95), (10.87, 59.955 + i * 1e-4), (10.875, 59.96)]
        assert send(client, campaign.access_code, route(*line, participant=who)).status_code == 201
        assert send(client, campaign.access_code, place(10.872, 59.956 + i * 1e-5, "avoid",
                                                         participant=who)).status_code == 201
    assert send(client, campaign.access_code, place(10.855, 59.975, "good", participant="alone-0001")).status_code == 201


def test_public_page_never_shows_a_single_contribution(client: TestClient, ctx: Context, campaign: Any) -> None:
    _many(client, campaign)
    data = client.get(f"/mapping/{CAMPAIGN}/public.json").json()
    page = client.get(f"/mapping/{CAMPAIGN}/public")
    assert page.status_code == 200 and inline_code(page.text) == []
    layers = {x["layer"]: x for x in data["layers"]}
    assert layers["route"]["cells"] > 0 and layers["avoid"]["cells"] > 0  # aggregates are there …
    assert layers["good"]["cells"] == 0  # … but the one child's good place is not
    mine = {tuple(c) for f in stored(ctx) for c in coordinates(f["geometry"]["coordinates"])}
    shown = set(coordinates(data))
    assert mine and not (mine & shown)
    for x, y in mine:
        assert f"{x}" not in page.text or f"{y}" not in page.text
    text = json.dumps(data)
    assert "contributions" not in data and "comment" not in text and "participant" not in text
    for h in (f for x in data["layers"] for f in x["hexagons"]["features"]):
        assert h["properties"]["contributors"] >= data["threshold"]
    ammerud = next(z for z in data["zones"] if z["code"] == "0301101001")
    assert ammerud["counts"]["route"] == 6 and ammerud["counts"]["good"] is None
    assert 'data-layer="good" data-value=""' in page.text
    client.cookies.clear()
    assert client.get(f"/mapping/{CAMPAIGN}.json").status_code == 401  # the single routes need rights


def test_draft_is_not_public(client: TestClient, ctx: Context) -> None:
    from nabolag.domain.mapping import MapCampaign

    mapping.create_campaign(ctx, MapCampaign(code="utkast", title="Utkast", school="S", grade_group="5-7",
                                             area_code="groruddalen"))
    assert client.get("/mapping/utkast/public.json").status_code == 404


# --- the teacher's and staff's campaign page ----------------------------------------------------------------------

def test_teacher_code_and_staff_rights(client: TestClient, ctx: Context, campaign: Any) -> None:
    send(client, campaign.access_code, route(*INSIDE, comment="<script>alert(1)</script>"))
    send(client, campaign.access_code, place(10.87, 59.95, "traffic"))
    r = client.get("/kart/laerer", params={"kode": campaign.teacher_code.lower()}, follow_redirects=False)
    assert r.status_code == 303
    target = r.headers["location"]
    assert target == f"/mapping/{CAMPAIGN}?laererkode={url_code(campaign.teacher_code)}"
    page = client.get(target)
    assert page.status_code == 200 and inline_code(page.text) == []
    twin = client.get(target.replace("?", ".json?")).json()
    assert twin["teacher"] is True and twin["may_change"] is False and twin["may_export"] is False
    assert len(twin["contributions"]["features"]) == 2
    assert twin["counts"]["routes"] == 1 and twin["counts"]["places"] == 1
    assert next(c["n"] for c in twin["counts"]["categories"] if c["code"] == "traffic") == 1
    assert 'data-total-routes="1" data-total-places="1"' in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text and "<script>alert" not in page.text
    assert "data-teacher-code" not in page.text and "/export" not in page.text and "/status" not in page.text
    assert url_code(campaign.access_code) in page.text  # the teacher writes the children's code on the board

    assert client.get(f"/mapping/{CAMPAIGN}.json", params={"laererkode": "ABCD-EFGH"}).status_code == 403
    assert client.get(f"/mapping/{CAMPAIGN}", follow_redirects=False).status_code == 303  # visitor → sign in
    other = open_test_campaign(ctx, "lindeberg-5-7", school_zone="0301121203")
    assert client.get("/mapping/lindeberg-5-7.json",
                      params={"laererkode": campaign.teacher_code}).status_code == 403
    assert other.teacher_code != campaign.teacher_code

    for user, status in (("leser", 403), ("annen", 403), ("koord", 200), ("analytiker", 200)):
        client.cookies.clear()
        login(client, user)
        r = client.get(f"/mapping/{CAMPAIGN}.json")
        assert r.status_code == status, user
        if status == 200:
            assert r.json()["may_change"] is True and r.json()["campaign"]["teacher_code"] == campaign.teacher_code
            assert len(r.json()["contributions"]["features"]) == 2


def test_campaign_list_and_create_form(client: TestClient, ctx: Context, campaign: Any) -> None:
    assert client.get("/mapping", follow_redirects=False).status_code == 303
    token = login(client, "koord")
    page = client.get("/mapping")
    twin = client.get("/mapping.json").json()
    assert page.status_code == 200 and inline_code(page.text) == []
    row = next(c for c in twin["campaigns"] if c["code"] == CAMPAIGN)
    assert row["access_code"] == campaign.access_code and f'data-campaign="{CAMPAIGN}"' in page.text
    form = {"csrf_token": token, "code": "ny-2025", "title": "T", "school": "S", "grade_group": "5-7",
            "area": "groruddalen"}
    bad = client.post("/mapping", data=form | {"opens": "1. mai"})
    assert bad.status_code == 422 and 'id="err-opens"' in bad.text and 'aria-invalid="true"' in bad.text
    bad = client.post("/mapping", data=form | {"code": "Ugyldig Kode"})
    assert bad.status_code == 422 and 'id="err-code"' in bad.text and 'value="Ugyldig Kode"' in bad.text
    bad = client.post("/mapping", data=form | {"grade_group": "5-99"}, headers={"accept": "application/json"})
    assert bad.status_code == 422 and bad.json()["errors"].get("grade_group")
    assert [c.code for c in mapping.list_campaigns(ctx)] == [CAMPAIGN]
    ok = client.post("/mapping", data={"csrf_token": token, "code": "ny-2025", "title": "Ny", "school": "Skole",
                                       "grade_group": "8-10", "area": "groruddalen", "opens": "2025-04-01",
                                       "languages": ["nb", "en"]}, follow_redirects=False)
    assert ok.status_code == 303 and ok.headers["location"] == "/mapping/ny-2025"
    made = mapping.get_campaign(ctx, "ny-2025")
    assert made.status == "draft" and made.languages == ("nb", "en") and made.opens == dt.date(2025, 4, 1)
    no_csrf = client.post("/mapping", data={"code": "uten-token", "title": "T", "school": "S", "grade_group": "5-7",
                                            "area": "groruddalen"})
    assert no_csrf.status_code == 403
    assert "uten-token" not in [c.code for c in mapping.list_campaigns(ctx)]


def test_staff_posts_need_csrf_and_rights(client: TestClient, ctx: Context, campaign: Any) -> None:
    send(client, campaign.access_code, route(*INSIDE, comment="Ola bor her"))
    token = login(client, "analytiker")
    assert client.post(f"/mapping/{CAMPAIGN}/status", data={"status": "closed"}).status_code == 403
    assert mapping.get_campaign(ctx, CAMPAIGN).status == "open"
    assert client.post(f"/mapping/{CAMPAIGN}/codes", data={}).status_code == 403
    assert mapping.get_campaign(ctx, CAMPAIGN).access_code == campaign.access_code
    assert client.post(f"/mapping/{CAMPAIGN}/export", data={"format": "geojson"}).status_code == 403

    r = client.post(f"/mapping/{CAMPAIGN}/status", data={"status": "closed", "csrf_token": token},
                    follow_redirects=False)
    assert r.status_code == 303 and mapping.get_campaign(ctx, CAMPAIGN).status == "closed"
    r = client.post(f"/mapping/{CAMPAIGN}/codes", data={"csrf_token": token}, follow_redirects=False)
    assert r.status_code == 303 and mapping.get_campaign(ctx, CAMPAIGN).access_code != campaign.access_code

    before = set(Path(tempfile.gettempdir()).glob("nabolag-barnetrakk-*"))
    plain = client.post(f"/mapping/{CAMPAIGN}/export", data={"format": "geojson", "csrf_token": token})
    assert plain.status_code == 200 and plain.headers["content-type"].startswith("application/geo+json")
    features = json.loads(plain.content)["features"]
    assert len(features) == 1 and features[0]["properties"]["objtype"] == "Barneveg"
    assert "Ola bor her" not in plain.text
    with_comments = client.post(f"/mapping/{CAMPAIGN}/export",
                                data={"format": "geojson", "comments": "on", "csrf_token": token})
    assert "Ola bor her" in with_comments.text
    gpkg = client.post(f"/mapping/{CAMPAIGN}/export", data={"format": "gpkg", "csrf_token": token})
    assert gpkg.status_code == 200 and gpkg.content[:16] == b"SQLite format 3\x00"
    assert set(Path(tempfile.gettempdir()).glob("nabolag-barnetrakk-*")) == before

    client.cookies.clear()
    token = login(client, "annen")
    r = client.post(f"/mapping/{CAMPAIGN}/status", data={"status": "open", "csrf_token": token},
                    headers={"accept": "application/json"})
    assert r.status_code == 403 and mapping.get_campaign(ctx, CAMPAIGN).status == "closed"
    r = client.post(f"/mapping/{CAMPAIGN}/export", data={"format": "geojson", "csrf_token": token},
                    headers={"accept": "application/json"})
    assert r.status_code == 403


# --- observation sessions -----------------------------------------------------------------------------------------

SITE = "utegym-sted"


def _site(ctx: Context) -> None:
    observation_sessions.save_site(ctx, ObservationSite(code=SITE, name="Utegymmen", area_code="groruddalen",
                                                        measure="utegym", geometry=shapely.to_wkb(
                                                            shapely.Point(10.872, 59.963))))


def _slot(uid: str, start: str, counts: list[dict[str, Any]], day: str = "2024-09-03") -> dict[str, Any]:
    return {"session": {"uid": uid, "date": day, "start": "17:00", "slot_minutes": 10, "observer": "Kari",
                        "weather": "sunny", "temperature_c": "14"}, "start": start, "counts": counts}


def test_a_slot_sent_again_is_stored_once(client: TestClient, ctx: Context) -> None:
    _site(ctx)
    token = login(client, "koord")
    uid = uuid.uuid4().hex
    counts = [{"movement": "staying", "age_band": "15-24", "gender": "female", "activity": "physical_activity",
               "group_size": "2", "count": 3},
              {"movement": "moving", "age_band": "", "gender": "unknown", "activity": "walking", "count": 5}]
    headers = {"X-CSRF-Token": token, "accept": "application/json"}
    assert client.post(f"/observe/{SITE}/slots.json", json=_slot(uid, "17:00", counts)).status_code == 403
    for _i in range(2):
        r = client.post(f"/observe/{SITE}/slots.json", json=_slot(uid, "17:00", counts), headers=headers)
        assert r.status_code == 201 and r.json() == {"session": uid, "start": "17:00", "rows": 2, "total": 8}
    r = client.post(f"/observe/{SITE}/slots.json", json=_slot(uid, "17:10", []), headers=headers)
    assert r.status_code == 201 and r.json()["total"] == 0
    s = observation_sessions.get_session(ctx, uid)
    assert list(s.slots) == ["17:00", "17:10"] and s.total == 8 and s.observer == "Kari" and s.temperature_c == 14
    bad = client.post(f"/observe/{SITE}/slots.json",
                      json=_slot(uid, "17:20", [{"movement": "staying", "age_band": "99", "count": 1}]),
                      headers=headers)
    assert bad.status_code == 422 and [p["field"] for p in bad.json()["problems"]] == ["counts[1].age_band"]
    off_grid = client.post(f"/observe/{SITE}/slots.json", json=_slot(uid, "17:05", []), headers=headers)
    assert off_grid.status_code == 422 and [p["field"] for p in off_grid.json()["problems"]] == ["slot"]
    assert observation_sessions.get_session(ctx, uid).total == 8

    page = client.get(f"/observe/{SITE}")
    twin = client.get(f"/observe/{SITE}.json").json()
    assert page.status_code == 200 and inline_code(page.text) == []
    row = next(x for x in twin["sessions"] if x["uid"] == uid)
    assert row["slots"] == 2 and row["total"] == 8 and row["people_per_hour"] == 24.0
    assert f'data-session="{uid}"' in page.text and 'data-field="total" data-value="8"' in page.text
    assert twin["may_write"] is True and {c["code"] for c in twin["choices"]["staying"]} >= {"physical_activity"}
    listing = client.get("/observe.json").json()
    assert [s["code"] for s in listing["sites"]] == [SITE] and listing["sites"][0]["sessions"][0]["total"] == 8

    client.cookies.clear()
    assert client.get("/observe.json").status_code == 401
    token = login(client, "leser")
    r = client.post(f"/observe/{SITE}/slots.json", json=_slot(uuid.uuid4().hex, "17:00", counts),
                    headers={"X-CSRF-Token": token, "accept": "application/json"})
    assert r.status_code == 403 and len(observation_sessions.list_sessions(ctx)) == 1


CSV = ("session,site,date,start,slot_minutes,observer,weather,phase,slot,movement,age_band,gender,activity,"
       "group_size,count\n"
       "okt-web-1,{site},2024-09-04,12:00,10,Kari,cloudy,,12:00,staying,25-44,female,sitting_public,1,2\n"
       "okt-web-1,{site},2024-09-04,12:00,10,Kari,cloudy,,12:10,moving,5-14,male,cycling,2,4\n")


def test_sessions_csv_import_is_checked_before_it_is_stored(client: TestClient, ctx: Context) -> None:
    _site(ctx)
    token = login(client, "analytiker")
    files = {"file": ("okter.csv", io.BytesIO(CSV.format(site=SITE).encode()), "text/csv")}
    r = client.post("/observe/import", data={"csrf_token": token}, files=files, follow_redirects=False)
    assert r.status_code == 303
    report = client.get(r.headers["location"] + ".json").json()
    assert report["ok"] and report["sessions"] == 1 and report["slots"] == 2 and report["people"] == 6
    assert observation_sessions.list_sessions(ctx) == []  # the dry run wrote nothing
    assert client.post(report["links"]["confirm"]).status_code == 403  # CSRF
    done = client.post(report["links"]["confirm"], data={"csrf_token": token})
    assert done.status_code == 200 and 'data-stored="true"' in done.text
    assert observation_sessions.get_session(ctx, "okt-web-1").total == 6

    bad = CSV.format(site="ukjent") + "okt-web-2,{s},2024-09-04,12:00,10,Kari,cloudy,,12:00,staying,25-44,female,x,1,2\n"
    files = {"file": ("feil.csv", io.BytesIO(bad.format(s=SITE).encode()), "text/csv")}
    r = client.post("/observe/import", data={"csrf_token": token}, files=files,
                    headers={"accept": "application/json"})
    assert r.status_code == 201 and r.json()["ok"] is False
    problems = r.json()["problems"]
    assert {(p["row"], p["column"]) for p in problems} >= {(2, "site"), (4, "activity")}
    assert client.post(r.json()["links"]["confirm"], data={"csrf_token": token}).status_code == 409
    assert [s.uid for s in observation_sessions.list_sessions(ctx)] == ["okt-web-1"]


# --- use indicators on the measure card -----------------------------------------------------------------------------

def test_measure_card_shows_the_published_use_figures(client: TestClient, ctx: Context) -> None:
    _site(ctx)
    for year, people in ((2020, 2), (2023, 6)):
        for k, (day, start) in enumerate(((3, "12:00"), (5, "19:00"), (9, "12:00"))):
            uid = f"use-{year}-{k}"
            observation_sessions.start_session(ctx, ObservationSession(
                uid=uid, site=SITE, date=dt.date(year, 9, day), start=dt.time.fromisoformat(start)))
            for slot in ("00", "10"):
                observation_sessions.upload_slot(ctx, uid, f"{start[:2]}:{slot}", [
                    {"movement": "staying", "age_band": "15-24", "gender": "female", "activity": "physical_activity",
                     "count": people + k},
                    {"movement": "staying", "age_band": "45-64", "gender": "male", "activity": "sitting_public",
                     "count": 1}])
    assert public_life.store_use_indicators(ctx, SITE) > 0
    twin = client.get("/areas/groruddalen/programme.json").json()
    use = next(m for m in twin["measures"] if m["code"] == "utegym")["use"]["sites"][0]
    assert use["site"] == SITE and use["periods"] == ["2020", "2023"] and use["change"] is None  # visitor
    expected = published(ctx, query(ctx, indicators=[f"bruk_{SITE}_per_time"], areas=["groruddalen"]))
    for _i, e in expected.iterrows():
        row = next(r for r in use["rows"] if r["indicator"] == e["indicator"] and r["groups"] == e["groups"])
        cell = row["values"][e["period"]]
        if e["value"] != e["value"]:  # suppressed (NaN): hidden on the card too
            assert cell["hidden"] is True and cell["value"] is None
        else:
            assert cell["value"] == pytest.approx(float(e["value"])) and cell["n"] == int(e["n"])
    total = next(r for r in use["rows"] if r["groups"] == "" and r["kind"] == "per_hour")["values"]
    # by hand: 2020 sessions count (2+k) + 1 per 10-minute slot, two slots → (3 + k) * 6 people per hour
    assert total["2020"]["value"] == pytest.approx(sum((3 + k) * 6 for k in range(3)) / 3)
    page = client.get("/areas/groruddalen/programme")
    assert page.status_code == 200 and f'data-use="{SITE}"' in page.text and inline_code(page.text) == []
    assert f'data-period="2020" data-value="{total["2020"]["value"]}"' in page.text

    login(client, "leser")
    signed = client.get("/areas/groruddalen/programme.json").json()
    change = next(m for m in signed["measures"] if m["code"] == "utegym")["use"]["sites"][0]["change"]
    assert change["sessions_before"] == 3 and change["sessions_after"] == 3
    assert change["change"] == pytest.approx(sum((7 + k) * 6 for k in range(3)) / 3 - total["2020"]["value"])
    assert change["ci_low"] < change["change"] < change["ci_high"]
    assert "data-change=" in client.get("/areas/groruddalen/programme").text

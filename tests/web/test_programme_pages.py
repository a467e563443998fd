"""The programme pages of an area: the page and its twin carry the same numbers, progress rolls up as the
rule says (checked by hand from the twin), the logic model shows its flags; editing needs the right role
and area, a CSRF token, and bad input gets 422 naming the field with nothing saved; every change is audited;
the staged upload writes nothing before it is confirmed."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from collections.abc import Iterator
from html import unescape
from pathlib import Path

import openpyxl
import pytest
import shapely
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from nabolag.domain.zones import Area, AreaStatus
from nabolag.services import Context, users, zones
from nabolag.services import programme as svc
from nabolag.store.tables import audit
from nabolag.web.app import create_app
from web.pages_support import as_number, data_cells, inline_code

PASSWORD = "et-langt-testpassord"
AREA = "groruddalen"
BASE = f"/areas/{AREA}"
INSIDE = {"type": "Point", "coordinates": [10.8722, 59.9631]}  # Ammerud, inside the area
OUTSIDE = "POINT (10.70 59.90)"  # Frogner, far outside
HTMX = {"hx-request": "true"}
JSON = {"accept": "application/json"}


@pytest.fixture
def client(demo_ctx: Context, tmp_path: Path) -> Iterator[TestClient]:
    ctx = demo_ctx
    zones.save_area(ctx, Area("sondre-nordstrand", "Søndre Nordstrand", ("0301151501",), status=AreaStatus.ACTIVE))
    for name, role, areas in (("kari", "coordinator", (AREA,)), ("ola", "coordinator", ("sondre-nordstrand",)),
                              ("vera", "viewer", ()), ("anna", "analyst", ())):
        users.add_user(ctx, name, role, PASSWORD, areas=areas)
    app = create_app(ctx.settings)
    app.state.staging_dir = tmp_path / "staging"
    with TestClient(app, headers={"accept": "text/html"}) as c:
        yield c


def login(client: TestClient, username: str) -> str:
    token = client.get("/login.json").json()["csrf_token"]
    r = client.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": token},
                    follow_redirects=False)
    assert r.status_code == 303, r.text
    return str(client.get("/login.json").json()["csrf_token"])


def state(ctx: Context) -> tuple[object, ...]:
    """Everything an edit could change: goals, measures (with geometry) and the audit log's length."""
    with ctx.store.read() as conn:
        n = conn.execute(select(func.count()).select_from(audit)).scalar_one()
    return tuple(svc.list_goals(ctx, AREA)), tuple(svc.list_measures(ctx, AREA)), n


def measure_form(token: str, code: str = "benker", **fields: object) -> dict[str, object]:
    data: dict[str, object] = {"csrf_token": token, "code": code, "title": "Benker langs Alna", "kind": "physical",
                               "status": "planned", "start": "2024-01-01", "end": "2025-12-31",
                               "goals": ["aktivitet"], "indicator": ["bruk_ammerudgymmen"], "method": ["observation"],
                               "indicator_goal": [""], "geometry": json.dumps(INSIDE), "budget": "50 000",
                               "milestone_title": ["Bestilt"], "milestone_due": ["2024-06-01"], "milestone_done": [""]}
    data.update(fields)
    return data


def test_page_and_twin_show_the_same_numbers_and_progress_rolls_up(client: TestClient) -> None:
    data = client.get(f"{BASE}/programme.json").json()
    html = client.get(f"{BASE}/programme").text
    assert not inline_code(html)
    cells = data_cells(html)
    page_total = next(c for c in cells if c.get("field") == "progress_percent")
    assert as_number(page_total["value"]) == data["progress"]["percent"]
    for name in ("budget", "spent", "measures"):
        assert as_number(next(c for c in cells if c.get("field") == name)["value"]) == data["progress"][name]
    for g in data["goals"]:
        part = html[html.index(f'id="goal-{g["code"]}"'):]
        part = part[:part.index("</article>")]
        shown = [c for c in data_cells(part) if c.get("field") == "progress_percent"]
        assert as_number(shown[0]["value"]) == g["progress_percent"]
        assert [as_number(c["value"]) for c in data_cells(part) if c.get("field") == "target"] == \
            [x["target"]["value"] for x in g["indicators"] if x["target"]]
    for m in data["measures"]:
        part = html[html.index(f'id="measure-{m["code"]}"'):]
        part = part[:part.index("</article>")]
        got = {c["field"]: as_number(c["value"]) for c in data_cells(part) if "field" in c}
        assert got == {"progress_percent": m["progress_percent"], "budget": m["budget"], "spent": m["spent"]}
        assert m["title"] in part and m["status_label"] in part
    # the roll-up, worked out again from the twin: measure → goal (mean of known) → area (mean of goals)
    by_code = {m["code"]: m for m in data["measures"]}
    goal_means = []
    for g in data["goals"]:
        known = [by_code[c]["progress_percent"] for c in g["measures"] if by_code[c]["progress_percent"] is not None]
        expected = round(sum(known) / len(known), 1) if known else None
        assert g["progress_percent"] == pytest.approx(expected, abs=0.06)
        if known:
            goal_means.append(sum(known) / len(known))
    assert data["progress"]["percent"] == pytest.approx(sum(goal_means) / len(goal_means), abs=0.06)
    # the map carries every located measure, and nothing else
    features = json.loads(unescape(re.search(r"data-measures='([^']*)'", html)[1]))["features"]
    assert {f["properties"]["code"] for f in features} == {m["code"] for m in data["measures"] if m["located"]}
    assert features == data["map"]["measures"]["features"] and len(features) >= 5
    # a visitor reads, but sees no edit controls and no upload
    assert "/measures/new" not in html and 'name="csrf_token"' not in html and "/edit" not in html


def test_logic_model_shows_the_chain_and_its_flags(client: TestClient) -> None:
    data = client.get(f"{BASE}/logic-model.json").json()
    html = client.get(f"{BASE}/logic-model").text
    assert not inline_code(html)
    shown = {c for c in re.findall(r'data-flag="([^"]+)"', html)}
    assert "goal_without_measure" in shown  # «bo og bli» has no measures yet
    assert {f["code"] for f in data["flags"]} <= shown
    for f in data["flags"]:
        if f["severity"] != "info":
            assert f["message"] in unescape(html)
    for g in data["goals"]:
        part = html[html.index(f'id="goal-{g["code"]}"'):]
        part = part[:part.index("</section>")]
        nodes = g["indicators"] + [x for m in g["measures"] for x in m["indicators"]]
        page = [(c["indicator"], c["field"], as_number(c["value"])) for c in data_cells(part)
                if c.get("field") in ("baseline", "target", "latest")]
        twin = [(x["code"], f, (x[f] or {}).get("value")) for x in nodes for f in ("baseline", "target", "latest")]
        assert page == twin
        assert all(m["title"] in unescape(part) for m in g["measures"])


def test_visitor_goes_to_login_viewer_and_other_coordinator_are_refused(client: TestClient, ctx: Context) -> None:
    before = state(ctx)
    r = client.get(f"{BASE}/measures/new", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/login?next=%2Fareas%2F{AREA}%2Fmeasures%2Fnew"
    assert client.get(f"{BASE}/programme/export.xlsx", follow_redirects=False).status_code == 303
    assert client.post(f"{BASE}/measures", data=measure_form("x")).status_code == 403
    token = login(client, "vera")
    assert client.get(f"{BASE}/measures/new").status_code == 403
    assert client.post(f"{BASE}/measures", data=measure_form(token)).status_code == 403
    assert "/measures/new" not in client.get(f"{BASE}/programme").text
    client.post("/logout", data={"csrf_token": token})
    token = login(client, "ola")
    assert client.get(f"{BASE}/measures/new").status_code == 403
    assert client.get(f"{BASE}/goals/trygghet/edit").status_code == 403
    assert client.post(f"{BASE}/measures", data=measure_form(token)).status_code == 403
    assert client.post(f"{BASE}/measures/ammerudtunnelen/status", data={"csrf_token": token, "status": "done"},
                       headers=HTMX).status_code == 403
    assert client.post(f"{BASE}/goals/trygghet/remove", data={"csrf_token": token}).status_code == 403
    assert client.post(f"{BASE}/programme/import", data={"csrf_token": token},
                       files={"file": ("p.csv", b"code\n", "text/csv")}).status_code == 403
    assert "/measures/new" not in client.get(f"{BASE}/programme").text
    assert state(ctx) == before


def test_missing_csrf_token_is_refused(client: TestClient, ctx: Context) -> None:
    token = login(client, "kari")
    before = state(ctx)
    form = measure_form(token)
    del form["csrf_token"]
    assert client.post(f"{BASE}/measures", data=form).status_code == 403
    assert client.post(f"{BASE}/measures", data=measure_form("feil-token")).status_code == 403
    assert state(ctx) == before


def test_coordinator_saves_a_drawn_measure_and_it_is_audited(client: TestClient, ctx: Context) -> None:
    token = login(client, "kari")
    form = client.get(f"{BASE}/measures/new").text
    assert 'name="csrf_token"' in form and "data-measure-map" in form and 'name="geometry_text"' in form
    assert "leaflet-geoman-free-2.20.2/leaflet-geoman.min.js" in form and not inline_code(form)
    started = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=5)
    r = client.post(f"{BASE}/measures", data=measure_form(token), headers=HTMX)
    assert r.status_code == 200 and r.headers["hx-redirect"] == f"{BASE}/programme#measure-benker"
    saved = svc.get_measure(ctx, AREA, "benker")
    assert shapely.from_wkb(saved.geometry).equals(shapely.geometry.shape(INSIDE))
    assert saved.budget == 50_000 and saved.goals == ("aktivitet",) and saved.milestones[0].title == "Bestilt"
    with ctx.store.read() as conn:
        row = conn.execute(select(audit.c.actor, audit.c.action, audit.c.object_type, audit.c.object_key,
                                  audit.c.at, audit.c.details).order_by(audit.c.id.desc()).limit(1)).one()
    assert row[:4] == ("kari", "create", "measure", f"{AREA}:benker")
    at = row.at if row.at.tzinfo else row.at.replace(tzinfo=dt.UTC)
    assert started <= at <= dt.datetime.now(dt.UTC) + dt.timedelta(seconds=5)
    assert json.loads(row.details)["role"] == "coordinator"
    area = client.get(f"{BASE}.json").json()["programme"]
    assert "benker" in {f["properties"]["code"] for f in area["map"]["features"]}
    assert 'data-measure="benker"' in client.get(BASE).text
    # typed WKT works as well (the keyboard way), and wins over the hidden field
    r = client.post(f"{BASE}/measures/benker", data=measure_form(token, geometry_text="LINESTRING (10.872 59.963, 10.874 59.962)"),
                    follow_redirects=False)
    assert r.status_code == 303 and shapely.from_wkb(svc.get_measure(ctx, AREA, "benker").geometry).geom_type == "LineString"


@pytest.mark.parametrize(("fields", "field", "text"), [
    ({"geometry_text": OUTSIDE}, "geometry", "utenfor områdets soner"),
    ({"milestone_due": ["2026-03-01"]}, "milestones", "etter tiltakets sluttdato"),
    ({"indicator": ["finnes_ikke"]}, "indicators", "ukjent indikator: finnes_ikke"),
    ({"budget": "mange penger"}, "budget", "er ikke et tall"),
    ({"geometry_text": "POLYGON ((1 2"}, "geometry", "kan ikke leses"),
])
def test_bad_input_is_refused_naming_the_field(client: TestClient, ctx: Context, fields: dict, field: str,
                                               text: str) -> None:
    token = login(client, "kari")
    before = state(ctx)
    r = client.post(f"{BASE}/measures", data=measure_form(token, **fields))
    assert r.status_code == 422
    beside = re.search(rf'<p class="field-error" id="err-{field}">(.*?)</p>', r.text, re.S)
    assert beside and text in unescape(beside[1]) and "<html" in r.text
    assert 'value="Benker langs Alna"' in r.text  # what was typed stays in the form
    r = client.post(f"{BASE}/measures", data=measure_form(token, **fields), headers=HTMX)
    assert r.status_code == 422 and "<html" not in r.text and f'id="err-{field}"' in r.text
    r = client.post(f"{BASE}/measures", data=measure_form(token, **fields), headers=JSON)
    assert r.status_code == 422 and any(p["field"] == field and text in p["message"] for p in r.json()["problems"])
    assert state(ctx) == before


def test_goal_add_edit_remove_with_audit(client: TestClient, ctx: Context) -> None:
    token = login(client, "kari")
    goal = {"csrf_token": token, "code": "lys", "title": "Mer lys", "dimension": "samspill", "themes": ["trygghet"],
            "target_groups": "all, age:67+", "indicator": ["trygghet_kveld", ""], "method": ["survey", ""],
            "target": ["75,5", ""], "period": ["2026", ""]}
    r = client.post(f"{BASE}/goals", data=goal, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"{BASE}/programme#goal-lys"
    saved = svc.get_goal(ctx, AREA, "lys")
    assert saved.target_groups == ("all", "age:67+") and saved.indicators[0].target_value == 75.5
    r = client.post(f"{BASE}/goals", data=goal)
    assert r.status_code == 422 and "allerede brukt" in r.text  # a new goal never overwrites one
    r = client.post(f"{BASE}/goals/lys", data={**goal, "title": "Mer lys om kvelden", "dimension": "ukjent"})
    assert r.status_code == 422 and "ukjent dimensjon: ukjent" in unescape(r.text)
    r = client.post(f"{BASE}/goals/lys", data={**goal, "title": "Mer lys om kvelden"}, follow_redirects=False)
    assert r.status_code == 303 and svc.get_goal(ctx, AREA, "lys").title == "Mer lys om kvelden"
    assert "Slette målet" in client.get(f"{BASE}/goals/lys/remove").text
    assert client.post(f"{BASE}/goals/lys/remove", data={"csrf_token": token}, follow_redirects=False).status_code == 303
    assert "lys" not in {g.code for g in svc.list_goals(ctx, AREA)}
    with ctx.store.read() as conn:
        rows = conn.execute(select(audit.c.actor, audit.c.action).where(audit.c.object_key == f"{AREA}:lys")
                            .order_by(audit.c.id)).all()
    assert rows == [("kari", "create"), ("kari", "update"), ("kari", "delete")]


def test_status_and_milestones_from_the_measure_card(client: TestClient, ctx: Context) -> None:
    token = login(client, "kari")
    r = client.post(f"{BASE}/measures/ammerudtunnelen/status", data={"csrf_token": token, "status": "stopped"},
                    headers=HTMX)
    assert r.status_code == 200 and r.text.lstrip().startswith("<article") and 'data-status="stopped"' in r.text
    assert str(svc.get_measure(ctx, AREA, "ammerudtunnelen").status) == "stopped"
    before = state(ctx)
    r = client.post(f"{BASE}/measures/ammerudtunnelen/milestones", headers=HTMX,
                    data={"csrf_token": token, "milestone_title": "For sent", "milestone_due": "2030-01-01"})
    assert r.status_code == 422 and "etter tiltakets sluttdato" in unescape(r.text) and 'role="alert"' in r.text
    r = client.post(f"{BASE}/measures/ammerudtunnelen/milestones",
                    data={"csrf_token": token, "milestone_title": "For sent", "milestone_due": "2030-01-01"})
    assert r.status_code == 422 and "<html" in r.text and "etter tiltakets sluttdato" in unescape(r.text)
    assert state(ctx) == before
    client.post(f"{BASE}/measures/ammerudtunnelen/status", data={"csrf_token": token, "status": "under_way"})
    stones = svc.get_measure(ctx, AREA, "ammerudtunnelen").milestones
    open_index = next(i for i, s in enumerate(stones) if s.done is None)
    r = client.post(f"{BASE}/measures/ammerudtunnelen/milestones/{open_index}/done",
                    data={"csrf_token": token, "done": "2025-05-30"}, follow_redirects=False)
    assert r.status_code == 303
    stones = svc.get_measure(ctx, AREA, "ammerudtunnelen").milestones
    assert stones[open_index].done == dt.date(2025, 5, 30)
    twin = next(m for m in client.get(f"{BASE}/programme.json").json()["measures"] if m["code"] == "ammerudtunnelen")
    assert twin["progress_percent"] == round(100 * sum(s.done is not None for s in stones) / len(stones), 1)


def test_upload_is_checked_then_confirmed(client: TestClient, ctx: Context) -> None:
    token = login(client, "kari")
    r = client.get(f"{BASE}/programme/export.xlsx")
    assert r.status_code == 200 and "attachment" in r.headers["content-disposition"]
    book = openpyxl.load_workbook(io.BytesIO(r.content))
    sheet = book["measures"]
    header = [c.value for c in sheet[1]]
    sheet.cell(row=2, column=header.index("title") + 1, value="Ammerudgymmen (ny tittel)")
    buffer = io.BytesIO()
    book.save(buffer)
    before = state(ctx)
    r = client.post(f"{BASE}/programme/import", data={"csrf_token": token},
                    files={"file": ("program.xlsx", buffer.getvalue(), "application/octet-stream")},
                    follow_redirects=False)
    assert r.status_code == 303
    report_url = r.headers["location"]
    report = client.get(report_url + ".json").json()
    assert report["ok"] and report["file"] == "program.xlsx"
    assert "Ingenting er lagret ennå" in client.get(report_url).text
    assert state(ctx) == before  # nothing written before the confirmation
    r = client.post(report_url + "/confirm", data={"csrf_token": token})
    assert r.status_code == 200 and "Programmet er lagret" in r.text
    titles = {m.code: m.title for m in svc.list_measures(ctx, AREA)}
    assert "Ammerudgymmen (ny tittel)" in titles.values()
    with ctx.store.read() as conn:
        assert conn.execute(select(audit.c.actor).where(audit.c.action == "import")
                            .where(audit.c.object_type == "programme")).scalars().all() == ["kari"]
    # a bad file: the report names file, row and column; confirming it is refused
    bad = "code,title,kind,status,indicators\nny,Ny,social,idea,finnes_ikke:survey:\n"
    r = client.post(f"{BASE}/programme/import", data={"csrf_token": token, "table": "measures"},
                    files={"file": ("tiltak.csv", bad.encode(), "text/csv")}, headers=JSON)
    assert r.status_code == 201
    report = r.json()
    assert not report["ok"]
    problem = next(p for p in report["problems"] if p["severity"] == "error")
    assert (problem["file"], problem["row"], problem["field"]) == ("tiltak.csv", 2, "indicators")
    before = state(ctx)
    assert client.post(report["links"]["report"] + "/confirm", data={"csrf_token": token}).status_code == 409
    assert state(ctx) == before
    # an unknown table is named (the field and the tables it may be)
    r = client.post(f"{BASE}/programme/import", data={"csrf_token": token, "table": "budsjett"},
                    files={"file": ("tiltak.csv", bad.encode(), "text/csv")}, headers=JSON)
    assert r.status_code == 422 and "Ukjent tabell «budsjett»" in r.text and '"field":"table"' in r.text.replace(" ", "")

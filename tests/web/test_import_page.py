"""The import page: upload → validation report → confirm or discard; nothing is written before confirmation."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from geo_support import dump, feature, square
from nabolag.services import Context, observations, users, zones
from nabolag.store.tables import audit, import_batch
from nabolag.web.app import create_app
from obs_support import setup

PASSWORD = "et-langt-testpassord"
GOOD = "zone,indicator,period,value\n0301101001,lavinntekt,2021,12.5\n0301101002,lavinntekt,2021,9.75\n" \
       "0301121203,lavinntekt,2021,14\n"
BROKEN = "zone,indicator,period,value\n0301101001,lavinntekt,2021,12.5\n0301101002,lavinntekt,2021,tolv\n"
JSON = {"accept": "application/json"}


def _make_client(ctx: Context, tmp_path: Path, **settings: object) -> Iterator[TestClient]:
    setup(ctx)  # five Groruddalen delbydeler, two bydeler, four indicators
    for name, role in (("anna", "analyst"), ("bjorn", "analyst"), ("vera", "viewer")):
        users.add_user(ctx, name, role, PASSWORD)
    app = create_app(ctx.settings.with_(**settings))
    app.state.staging_dir = tmp_path / "staging"
    with TestClient(app, headers={"accept": "text/html"}) as client:
        yield client


@pytest.fixture
def client(ctx: Context, tmp_path: Path) -> Iterator[TestClient]:
    yield from _make_client(ctx, tmp_path)


def login(client: TestClient, username: str) -> str:
    """Sign in through POST /login; return the session's CSRF token for later forms."""
    token = client.get("/login.json").json()["csrf_token"]
    r = client.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": token},
                    follow_redirects=False)
    assert r.status_code == 303, r.text
    return str(client.get("/login.json").json()["csrf_token"])


def upload(client: TestClient, token: str, text: str | bytes, name: str = "tall.csv", kind: str = "observations",
           headers: dict[str, str] | None = None, **fields: str):
    data = text.encode() if isinstance(text, str) else text
    return client.post("/import", data={"kind": kind, "csrf_token": token, **fields},
                       files={"file": (name, data, "text/csv")}, headers=headers, follow_redirects=False)


def _staged(tmp_path: Path) -> list[Path]:
    root = tmp_path / "staging"
    return sorted(root.iterdir()) if root.is_dir() else []


def test_visitors_sign_in_and_viewers_are_refused(client: TestClient) -> None:
    r = client.get("/import", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login?next=%2Fimport"
    assert client.get("/import.json").status_code == 401
    token = login(client, "vera")
    r = client.get("/import")
    assert r.status_code == 403 and 'type="file"' not in r.text
    assert client.get("/import.json").status_code == 403
    assert upload(client, token, GOOD).status_code == 403


def test_upload_is_checked_without_writing_then_confirmed(client: TestClient, ctx: Context, tmp_path: Path) -> None:
    token = login(client, "anna")
    form = client.get("/import")
    assert form.status_code == 200 and 'name="csrf_token"' in form.text and 'type="file"' in form.text
    before = dump(ctx)
    r = upload(client, token, GOOD, source="Testkilde")
    assert r.status_code == 303 and r.headers["location"].startswith("/import/")
    assert dump(ctx) == before  # uploaded and validated: nothing written
    url = r.headers["location"]
    report = client.get(url + ".json").json()
    rows = list(csv.DictReader(io.StringIO(GOOD)))  # independent: the csv module on the same text
    assert report["ok"] and report["file"] == "tall.csv"
    assert report["summary"]["observations"] == len(rows) == 3
    assert report["summary"]["zones"] == len({r["zone"] for r in rows})
    assert report["summary"]["periods"] == ["2021"]
    page = client.get(url).text
    for key in ("observations", "zones", "replaced"):  # the page shows the twin's numbers
        assert re.search(rf'data-key="{key}">{report["summary"][key]}<', page), key
    assert "Bekreft og lagre" in page and "Ingenting er lagret" in page

    done = client.post(url + "/confirm", data={"csrf_token": token})
    assert done.status_code == 200 and "Importen er lagret" in done.text
    stored = observations.query(ctx, indicators=["lavinntekt"], periods=["2021"])
    assert sorted(stored["value"].tolist()) == sorted(float(r["value"]) for r in rows)
    with ctx.store.read() as conn:
        [batch] = conn.execute(select(import_batch)).mappings().all()
        entry = conn.execute(select(audit).where(audit.c.object_type == "observations")).mappings().one()
    assert batch["actor"] == "anna" and batch["file_name"] == "tall.csv" and batch["source"] == "Testkilde"
    assert entry["actor"] == "anna" and entry["at"] is not None
    assert _staged(tmp_path) == []
    assert client.get(url + ".json").status_code == 404  # used up


def test_broken_file_is_reported_and_discarded(client: TestClient, ctx: Context, tmp_path: Path) -> None:
    token = login(client, "anna")
    before = dump(ctx)
    r = upload(client, token, BROKEN, name="ødelagt.csv")
    url = r.headers["location"]
    page = client.get(url)
    assert page.status_code == 200
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", page.text)
    assert ["ødelagt.csv", "3", "value"] == cells[1:4]  # file, row, field of the one error
    assert "tolv" in cells and "Bekreft og lagre" not in page.text
    assert client.post(url + "/confirm", data={"csrf_token": token}).status_code == 409
    r = client.post(url + "/discard", data={"csrf_token": token}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/import"
    assert _staged(tmp_path) == [] and dump(ctx) == before


def test_forms_need_the_csrf_token(client: TestClient, ctx: Context, tmp_path: Path) -> None:
    token = login(client, "anna")
    assert upload(client, "feil", GOOD).status_code == 403
    assert _staged(tmp_path) == []
    url = upload(client, token, GOOD).headers["location"]
    assert client.post(url + "/confirm", data={}).status_code == 403
    assert client.post(url + "/discard", data={"csrf_token": "x"}).status_code == 403
    assert len(_staged(tmp_path)) == 1 and observations.query(ctx).empty


def test_uploads_are_private_to_their_owner(client: TestClient, tmp_path: Path) -> None:
    anna = login(client, "anna")
    url = upload(client, anna, GOOD).headers["location"]
    client.post("/logout", data={"csrf_token": anna})
    bjorn = login(client, "bjorn")
    assert client.get(url + ".json").status_code == 404
    assert client.post(url + "/confirm", data={"csrf_token": bjorn}).status_code == 404
    assert client.get("/import.json").json()["pending"] == []
    assert len(_staged(tmp_path)) == 1


def test_json_api(client: TestClient, ctx: Context) -> None:
    token = login(client, "anna")
    headers = {**JSON, "x-csrf-token": token}
    r = upload(client, "", GOOD, headers=headers)
    assert r.status_code == 201 and r.json()["ok"]
    url = r.headers["location"]
    assert client.get("/import.json").json()["pending"][0]["url"] == url
    done = client.post(url + "/confirm", headers=headers)
    assert done.status_code == 200 and done.json()["confirmed"] and len(observations.query(ctx)) == 3
    again = upload(client, "", GOOD, headers=headers)  # the same keys again, without «replace»
    assert again.status_code == 201 and not again.json()["ok"] and again.json()["errors"] == 3
    url = again.headers["location"]
    assert client.post(url + "/confirm", headers=headers).status_code == 409
    assert client.post(url + "/discard", headers=headers).json() == {"discarded": url.rsplit("/", 1)[1]}


def test_bad_form_fields_are_named(client: TestClient, tmp_path: Path) -> None:
    token = login(client, "anna")
    headers = {**JSON, "x-csrf-token": token}
    r = upload(client, token, GOOD, headers=headers, map="zone")
    assert r.status_code == 422 and r.json()["problems"][0]["field"] == "map"
    r = upload(client, token, GOOD, headers=headers, kind="people")
    assert r.status_code == 422 and r.json()["problems"][0]["field"] == "kind"
    r = upload(client, token, GOOD, name="tall.exe", headers=headers)
    assert r.status_code == 422 and r.json()["problems"][0]["field"] == "file"
    r = client.post("/import", data={"kind": "observations", "csrf_token": token}, headers=headers)
    assert r.status_code == 422 and r.json()["problems"][0]["field"] == "file"
    page = upload(client, token, GOOD, map="zone")  # the HTML form shows the message beside the form
    assert page.status_code == 422 and 'role="alert"' in page.text and 'type="file"' in page.text
    assert _staged(tmp_path) == []


def test_zones_upload(client: TestClient, ctx: Context) -> None:
    token = login(client, "anna")
    doc = {"type": "FeatureCollection", "features": [
        feature({"kode": "0301101099", "navn": "Prøvesone"}, square(10.9, 59.95, 0.01))]}
    r = upload(client, token, json.dumps(doc), name="soner.geojson", kind="zones", level="delbydel",
               headers={**JSON})
    assert r.status_code == 201
    assert r.json()["summary"] == {"zones": 1, "new": 1, "updated": 0, "with_geometry": 1, "levels": {"delbydel": 1}}
    client.post(r.headers["location"] + "/confirm", data={"csrf_token": token})
    assert zones.get_zone(ctx, "0301101099").name == "Prøvesone"


@pytest.fixture
def small_client(ctx: Context, tmp_path: Path) -> Iterator[TestClient]:
    yield from _make_client(ctx, tmp_path, max_import_bytes=1000)


def test_too_large_is_413_and_keeps_nothing(small_client: TestClient, ctx: Context, tmp_path: Path) -> None:
    token = login(small_client, "anna")
    before = dump(ctx)
    rows = GOOD + "0301101005,lavinntekt,2021,10\n" * 60  # about 2 KB
    r = upload(small_client, token, rows)
    assert r.status_code == 413 and "grensen på 1000 byte" in r.text and 'role="alert"' in r.text
    huge = upload(small_client, token, "x" * 400_000, headers={**JSON, "x-csrf-token": token})
    assert huge.status_code == 413 and "grensen" in huge.json()["error"]
    assert _staged(tmp_path) == [] and dump(ctx) == before


def test_oversize_form_is_refused_before_its_body_is_read(small_client: TestClient, ctx: Context,
                                                          tmp_path: Path) -> None:
    """Without the CSRF header the token is in the form body; a body over the limit is refused by its
    Content-Length before that body is parsed (413, nothing staged or written)."""
    token = login(small_client, "anna")
    before = dump(ctx)
    r = upload(small_client, token, "x" * 400_000)  # over 1000 bytes + the 256 KiB form allowance
    assert r.status_code == 413 and "grensen på 1000 byte" in r.json()["error"]
    assert _staged(tmp_path) == [] and dump(ctx) == before


def test_import_link_only_for_those_who_may_import(client: TestClient) -> None:
    assert 'href="/import"' not in client.get("/").text
    login(client, "vera")
    assert 'href="/import"' not in client.get("/zones").text
    client.post("/logout", data={"csrf_token": client.get("/login.json").json()["csrf_token"]})
    login(client, "anna")
    assert 'href="/import"' in client.get("/zones").text

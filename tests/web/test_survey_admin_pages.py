"""The survey admin pages through the real app: who may reach them, CSRF on every admin POST, create from a
template or an uploaded file (a bad file names file and field, nothing stored), live counts (page, fragment
and twin agree), invitation codes shown once, translation, preview, open/close."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from nabolag.services import Context, survey_submit
from nabolag.services import survey as survey_service
from web.pages_support import data_cells, inline_code
from web.survey_pages_support import CODE, complete, first_page, login
from web.survey_pages_support import client as client  # noqa: F401  (fixture)

ADMIN = f"/surveys/{CODE}"


def test_visitors_and_viewers_cannot_reach_the_admin_pages(client: TestClient) -> None:
    for path in ("/surveys", ADMIN, f"{ADMIN}/counts", f"{ADMIN}/preview", f"{ADMIN}/translate"):
        r = client.get(path, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].startswith("/login?next="), path
    assert client.get("/surveys.json").status_code == 401 and client.get(f"{ADMIN}.json").status_code == 401
    login(client, "leser")
    for path in ("/surveys", ADMIN, f"{ADMIN}.json", f"{ADMIN}/counts.json"):
        assert client.get(path).status_code == 403, path


def test_coordinators_see_their_own_areas_surveys_only(client: TestClient, ctx: Context) -> None:
    survey_service.create_survey(ctx, survey_service.get_questionnaire(ctx, CODE), code="byen-2024", period="2024")
    login(client, "annen")
    assert client.get(ADMIN).status_code == 403 and client.get("/surveys.json").json()["surveys"] == []
    client.post("/logout", data={"csrf_token": client.get("/login.json").json()["csrf_token"]})
    login(client, "koord")
    assert client.get(ADMIN).status_code == 200
    assert [s["code"] for s in client.get("/surveys.json").json()["surveys"]] == [CODE]
    assert client.get("/surveys/byen-2024").status_code == 403


def test_admin_posts_need_the_csrf_token(client: TestClient, ctx: Context) -> None:
    token = login(client, "analytiker")
    assert client.post(f"{ADMIN}/status", data={"status": "closed"}).status_code == 403
    assert client.post(f"{ADMIN}/status", data={"status": "closed", "csrf_token": "feil"}).status_code == 403
    assert client.post(f"{ADMIN}/invitations", data={"count": "5"}).status_code == 403
    assert client.post("/surveys", data={"template": "stedsanalyse", "code": "ny"}).status_code == 403
    assert survey_service.get_survey(ctx, CODE).status == "open" and len(survey_service.list_surveys(ctx)) == 1
    r = client.post(f"{ADMIN}/status", data={"status": "closed", "csrf_token": token}, follow_redirects=False)
    assert r.status_code == 303 and survey_service.get_survey(ctx, CODE).status == "closed"


def test_counts_on_the_page_the_fragment_and_the_twin_agree(client: TestClient, ctx: Context) -> None:
    for zone in ("0301101001", "0301101001", "0301121203", ""):
        _html, token = first_page(client)
        assert client.post(f"/s/{CODE}", data=complete(token, home_zone=zone), follow_redirects=False).status_code == 303
    login(client, "analytiker")
    page = client.get(ADMIN).text
    twin = client.get(f"{ADMIN}.json").json()["counts"]
    cells = {c.get("zone", "total"): int(c["value"]) for c in data_cells(page)}
    assert twin["total"] == 4 and cells["total"] == 4
    assert {z["code"]: z["count"] for z in twin["zones"]} == {k: v for k, v in cells.items() if k != "total"} \
        == {"0301101001": 2, "0301121203": 1, "": 1}
    fragment = client.get(f"{ADMIN}/counts").text
    assert 'hx-get="/surveys/kort-2024/counts" hx-trigger="every 3s"' in fragment and "<html" not in fragment
    assert client.get(f"{ADMIN}/counts.json").json() == twin
    assert not inline_code(page)


def test_create_from_a_template_and_a_bad_upload_is_a_report_with_nothing_stored(client: TestClient,
                                                                               ctx: Context) -> None:
    token = login(client, "analytiker")
    page = client.get("/surveys").text
    assert 'value="stedsanalyse"' in page and 'value="innbyggerundersokelse"' in page
    bad = b"code: feil\nversion: 1\ntitle: {nb: Feil}\nlanguages: [nb]\nsections:\n  - id: a\n    title: {nb: A}\n" \
          b"    questions:\n      - id: q1\n        type: likert\n        points: 9\n        text: {nb: Hei}\n"
    r = client.post("/surveys", data={"csrf_token": token, "code": "feil"}, files={"file": ("skjema.yaml", bad)})
    assert r.status_code == 422
    assert "skjema.yaml [sections[a].questions[q1].points]" in r.text and "Ingenting er lagret" in r.text
    assert [s.code for s in survey_service.list_surveys(ctx)] == [CODE]
    r = client.post("/surveys", data={"csrf_token": token, "template": "stedsanalyse", "code": "sted_2025",
                                      "area": "groruddalen", "period": "2025"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/surveys/sted_2025"
    s = survey_service.get_survey(ctx, "sted_2025")
    assert (s.status, s.area, s.period) == ("draft", "groruddalen", "2025")
    r = client.post("/surveys", data={"csrf_token": token, "template": "stedsanalyse", "code": "sted_2025"},
                    headers={"accept": "application/json"})
    assert r.status_code == 409


def test_invitation_codes_are_shown_once_and_as_csv(client: TestClient, ctx: Context) -> None:
    token = login(client, "sjef")
    r = client.post(f"{ADMIN}/invitations", data={"csrf_token": token, "count": "3", "format": "html"})
    assert r.status_code == 201
    codes = re.findall(r"<li>([A-Z2-9]{5}-[A-Z2-9]{5})</li>", r.text)
    assert len(codes) == 3 and 'download="invitasjonskoder-kort-2024.csv"' in r.text
    r = client.post(f"{ADMIN}/invitations", data={"csrf_token": token, "count": "2", "format": "csv"})
    assert r.headers["content-type"].startswith("text/csv") and len(r.text.splitlines()) == 3
    assert survey_submit.counts(ctx, CODE).invitations == 5
    r = client.post(f"{ADMIN}/invitations", data={"csrf_token": token, "count": "0"})
    assert r.status_code == 422 and survey_submit.counts(ctx, CODE).invitations == 5


def test_translate_preview_and_open(client: TestClient, ctx: Context) -> None:
    token = login(client, "analytiker")
    form = client.get(f"{ADMIN}/translate", params={"language": "pl"}).text
    keys = re.findall(r'name="t\.([^"]+)"', form)
    assert "trygg_dag.text" in keys and "Hvor trygg føler du deg om dagen?" in form
    texts = {f"t.{k}": f"PL {k}" for k in keys}
    r = client.post(f"{ADMIN}/translate", data={"csrf_token": token, "language": "pl", **{**texts, "t.title": ""}})
    assert r.status_code == 422 and "mangler tekst" in r.text and "pl" not in survey_service.get_survey(ctx, CODE).languages
    r = client.post(f"{ADMIN}/translate", data={"csrf_token": token, "language": "pl", **texts}, follow_redirects=False)
    assert r.status_code == 303 and "pl" in survey_service.get_survey(ctx, CODE).languages
    assert "PL trygg_dag.text" in client.get(f"/s/{CODE}", params={"lang": "pl"}).text
    preview = client.get(f"{ADMIN}/preview", params={"lang": "ar"}).text
    assert 'lang="ar" dir="rtl"' in preview and 'name="q.favoritt.zone"' in preview
    assert 'value="submit"' not in preview and "Del 3 av 3" in preview

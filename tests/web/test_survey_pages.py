"""The public survey form and its JSON twin through the real app (SQLite or PostgreSQL): every question type
rendered, a walk through the sections with answers carried in hidden fields, exactly one response per token,
hostile input refused or stored safely and shown escaped, closed/draft surveys, honeypot, rate limit, size
limit and the narrow CSRF exemption (Origin check)."""

from __future__ import annotations

import re
from html import unescape

import pytest
from fastapi.testclient import TestClient

from nabolag.services import Context, survey_submit
from nabolag.services.survey import close_survey, create_survey
from nabolag.web.survey_guard import SurveyThrottle
from test_survey_support import GOOD, small
from web.pages_support import inline_code
from web.survey_pages_support import CODE, FORM, complete, first_page, form_token, stored
from web.survey_pages_support import client as client  # noqa: F401  (fixture)


def test_the_form_renders_every_question_type(client: TestClient) -> None:
    html, _token = first_page(client)
    assert '<section class="survey-step" id="survey-step" lang="nb" dir="ltr"' in html
    assert "Del 1 av 3" in html and not inline_code(html)
    scale = re.search(r'<fieldset class="question scale" id="q-trygg_dag".*?</fieldset>', html, re.S).group(0)
    assert "<legend>Hvor trygg føler du deg om dagen?" in scale
    assert re.findall(r'type="radio" name="q.trygg_dag" value="(\d)"', scale) == [str(n) for n in range(1, 8)]
    assert len(re.findall(r'name="q.trivsel" value="\d"', html)) == 5
    assert re.findall(r'name="q.forening" value="(\w+)"', html) == ["yes", "no"]
    assert re.findall(r'type="radio" name="q.transport" value="(\w+)"', html) == ["gange", "buss"]
    assert re.findall(r'type="checkbox" name="q.steder" value="(\w+)"', html) == ["bibliotek", "parken", "senteret"]
    assert re.search(r'<input id="q-aar_bodd-input" name="q.aar_bodd" type="text" inputmode="numeric"', html)
    assert "Et tall fra 0 til 100." in html
    assert re.search(r'<textarea id="q-bra_naa-input" name="q.bra_naa" rows="4" maxlength="2000"', html)
    point = re.search(r'<fieldset class="question point" id="q-favoritt".*?</fieldset>', html, re.S).group(0)
    assert 'class="survey-map"' in point and 'name="q.favoritt.zone"' in point  # map, and the keyboard alternative
    assert re.findall(r'<option value="(\d+)"', point) == ["0301101001", "0301121203"]  # the area's zones
    assert 'name="website"' in html and 'tabindex="-1"' in html  # the honeypot
    arabic, _t = first_page(client, "ar")
    assert 'lang="ar" dir="rtl"' in arabic and "ما مدى شعورك بالأمان نهارا؟" in arabic
    assert '<html lang="en">' in arabic  # the page's own texts in English for a language the catalogue lacks


def test_page_and_json_twin_show_the_same_questionnaire(client: TestClient) -> None:
    twin = client.get(FORM + ".json", params={"lang": "en"}).json()
    html = client.get(FORM, params={"lang": "en"}).text
    first = twin["questionnaire"]["sections"][0]
    ids = re.findall(r'class="question [a-z]+" id="q-([a-z_]+)"', html)
    assert ids == [x["id"] for x in first["questions"]]
    for x in first["questions"]:
        assert unescape(x["text"]) in unescape(html)
    assert twin["questionnaire"]["dir"] == "ltr" and len(twin["token"]) >= 16
    assert [z["code"] for z in twin["home_zones"]["zones"]] == ["0301101001", "0301121203"]
    assert twin["postcode"] is False


def test_walking_through_the_sections_and_submitting_stores_one_response(client: TestClient, ctx: Context) -> None:
    _html, token = first_page(client)
    base = {"token": token, "lang": "nb"}
    from web.survey_pages_support import FIRST, LAST

    r = client.post(FORM, data={**base, "step": "0", "action": "next", **FIRST})
    assert r.status_code == 200 and "Del 2 av 3" in r.text and form_token(r.text) == token
    hidden = dict(re.findall(r'<input type="hidden" name="(q\.[a-z_.]+)" value="([^"]*)"', r.text))
    assert hidden["q.trygg_dag"] == "6" and hidden["q.favoritt.zone"] == "0301101001"
    assert re.findall(r'name="q.steder" value="(\w+)"', r.text) == ["parken", "bibliotek"]
    carried = {k: v for k, v in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', r.text)}
    r = client.post(FORM, data={**carried, "step": "1", "action": "next", **LAST, "q.steder": ["parken", "bibliotek"]})
    assert r.status_code == 200 and "Del 3 av 3" in r.text and "Hvor bor du?" in r.text
    r = client.post(FORM, data=complete(token), follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/s/{CODE}/takk?lang=nb"
    assert "Takk for svaret" in client.get(r.headers["location"]).text
    again = client.post(FORM, data=complete(token), follow_redirects=False)  # a retry or a double click
    assert again.status_code == 303
    rows = stored(ctx)
    assert len(rows) == 1 and rows[0]["zone"] == "0301101001" and rows[0]["gender"] == "female"
    assert rows[0]["answers"]["steder"] == ["bibliotek", "parken"] and rows[0]["answers"]["trygg_dag"] == 6
    assert rows[0]["answers"]["bra_naa"] == "<script>alert(1)</script> Parken!"  # stored as given
    point = rows[0]["answers"]["favoritt"]  # the zone chosen instead of a click: a point inside it
    assert 10.8 < point["lon"] < 11.0 and 59.9 < point["lat"] < 60.0


def test_htmx_submit_redirects_and_a_map_point_becomes_the_home_zone(client: TestClient, ctx: Context) -> None:
    _html, token = first_page(client)
    data = complete(token, home_zone="", home_lon="10.8798", home_lat="59.9314")  # a point in Lindeberg
    r = client.post(FORM, data=data, headers={"HX-Request": "true"}, follow_redirects=False)
    assert r.status_code == 200 and r.headers["HX-Redirect"] == f"/s/{CODE}/takk?lang=nb"
    assert [row["zone"] for row in stored(ctx)] == ["0301121203"]
    _html, other = first_page(client)
    r = client.post(FORM, data=complete(other, home_zone="", home_lon="5.32", home_lat="60.39"))  # Bergen
    assert r.status_code == 422 and 'id="home-error"' in r.text and len(stored(ctx)) == 1
    hit = client.get(f"/s/{CODE}/zone-at.json", params={"lon": 10.8798, "lat": 59.9314}).json()
    assert hit["code"] == "0301121203" and hit["name"]


def test_the_same_token_twice_stores_one_response_through_the_json_twin(client: TestClient, ctx: Context) -> None:
    body = {"token": "app-token-0123456789", "language": "en", "answers": GOOD, "home_zone": "0301101001"}
    first = client.post(FORM + ".json", json=body)
    second = client.post(FORM + ".json", json=body)
    assert (first.status_code, first.json()) == (201, {"stored": True, "duplicate": False})
    assert (second.status_code, second.json()) == (200, {"stored": True, "duplicate": True})
    assert len(stored(ctx)) == 1 and stored(ctx)[0]["language"] == "en"


def test_missing_required_answer_is_shown_beside_the_question_with_the_text_escaped(client: TestClient,
                                                                                  ctx: Context) -> None:
    _html, token = first_page(client)
    r = client.post(FORM, data={"token": token, "lang": "nb", "step": "0", "action": "next",
                                "q.bra_naa": "<script>alert(1)</script>"})
    assert r.status_code == 422 and "Del 1 av 3" in r.text
    assert re.search(r'id="q-trygg_dag-error"><span>må besvares', r.text)
    assert 'aria-describedby="q-trygg_dag-error" aria-invalid="true"' in r.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;</textarea>" in r.text and "<script>alert(1)" not in r.text
    assert stored(ctx) == []


@pytest.mark.parametrize(("change", "field"), [
    ({"q.forfalsket": "1"}, "forfalsket"),            # a forged question id
    ({"q.trygg_dag": "mye"}, "trygg_dag"),            # a wrong type
    ({"q.trygg_dag": ["3", "4"]}, "trygg_dag"),       # a list for a scale
    ({"q.aar_bodd": "250"}, "aar_bodd"),              # out of range
    ({"q.steder": ["parken", "kino"]}, "steder"),      # an unknown choice
    ({"q.bra_naa": "x" * 2001}, "bra_naa"),           # over the question's limit
])
def test_hostile_or_wrong_answers_are_refused_and_nothing_is_stored(client: TestClient, ctx: Context,
                                                                    change: dict[str, object], field: str) -> None:
    _html, token = first_page(client)
    r = client.post(FORM, data={**complete(token), **change})
    assert r.status_code == 422 and "Noe må rettes" in r.text
    assert f'href="#q-{field}"' in r.text
    assert stored(ctx) == []
    j = client.post(FORM + ".json", json={"token": token, "language": "nb", "answers": {**GOOD, field: [1, 2]}})
    assert j.status_code == 422 and field in [p["field"] for p in j.json()["problems"]]


def test_a_body_over_64_kb_is_refused_with_413(client: TestClient, ctx: Context) -> None:
    _html, token = first_page(client)
    r = client.post(FORM, data=complete(token, **{"q.bra_naa": "x" * 1_000_000}))
    assert r.status_code == 413 and "for stort" in r.text
    j = client.post(FORM + ".json", json={"token": token, "language": "nb", "answers": {"bra_naa": "x" * 1_000_000}})
    assert j.status_code == 413 and stored(ctx) == []


def test_closed_draft_and_unknown_surveys(client: TestClient, ctx: Context) -> None:
    _html, token = first_page(client)
    create_survey(ctx, small(), code="utkast", period="2025")
    close_survey(ctx, CODE)
    assert client.get(FORM).status_code == 410 and "avsluttet" in client.get(FORM).text
    assert client.get(FORM + ".json").status_code == 410
    r = client.post(FORM, data=complete(token))
    assert r.status_code == 410 and stored(ctx) == []
    assert client.post(FORM + ".json", json={"token": token, "language": "nb", "answers": GOOD}).status_code == 410
    assert client.get("/s/utkast").status_code == 404 and client.get("/s/finnes-ikke").status_code == 404
    assert client.post("/s/finnes-ikke", data=complete(token)).status_code == 404


def test_a_filled_honeypot_is_answered_as_stored_but_nothing_is_stored(client: TestClient, ctx: Context) -> None:
    _html, token = first_page(client)
    r = client.post(FORM, data=complete(token, website="http://spam.example"), follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].endswith("/takk?lang=nb")
    j = client.post(FORM + ".json", json={"token": token, "language": "nb", "answers": GOOD, "website": "x"})
    assert j.status_code == 201 and stored(ctx) == []


def test_too_many_posts_from_one_address_get_429(client: TestClient, ctx: Context) -> None:
    client.app.state.survey_throttle = SurveyThrottle(burst=3, per_minute=1)  # type: ignore[attr-defined]
    _html, token = first_page(client)
    codes = [client.post(FORM, data=complete(token), follow_redirects=False).status_code for _i in range(4)]
    assert codes == [303, 303, 303, 429]
    r = client.post(FORM + ".json", json={"token": token, "language": "nb", "answers": GOOD})
    assert r.status_code == 429 and int(r.headers["Retry-After"]) >= 1
    assert len(stored(ctx)) == 1


def test_the_public_post_needs_no_csrf_token_but_a_foreign_origin_is_refused(client: TestClient, ctx: Context) -> None:
    _html, token = first_page(client)
    evil = {"Origin": "https://evil.example"}
    assert client.post(FORM, data=complete(token), headers=evil).status_code == 403
    assert client.post(FORM, data=complete(token), headers={"Referer": "https://evil.example/x"}).status_code == 403
    assert client.post(FORM + ".json", json={"token": token, "language": "nb", "answers": GOOD},
                       headers=evil).status_code == 403
    assert stored(ctx) == []
    ok = client.post(FORM, data=complete(token), headers={"Origin": "http://testserver"}, follow_redirects=False)
    assert ok.status_code == 303 and len(stored(ctx)) == 1
    assert "csrf_token" not in client.get(FORM).text  # no session needed for the public form


def test_invitation_codes_give_one_response_each(client: TestClient, ctx: Context) -> None:
    create_survey(ctx, small(), code="inv-2024", mode="invitation", period="2024")
    from nabolag.services.survey import open_survey

    open_survey(ctx, "inv-2024")
    codes = survey_submit.create_invitations(ctx, "inv-2024", 2)
    html = client.get("/s/inv-2024", params={"kode": codes[0].lower()}).text
    token = form_token(html)
    data = {**complete(token), "home_zone": "", "kode": codes[0].lower()}
    r = client.post("/s/inv-2024", data=data, follow_redirects=False)
    assert r.status_code == 303
    _h, other = first_page(client)
    r = client.post("/s/inv-2024", data={**data, "token": other})
    assert r.status_code == 422 and 'id="kode-error"' in r.text and "brukt" in r.text
    assert len(stored(ctx, "inv-2024")) == 1

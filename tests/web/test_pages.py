"""The zone list, area list and every page's JSON twin: status codes, filters, language, clear 4xx
errors, and no inline code (the Content-Security-Policy forbids it)."""

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from nabolag.services import Context
from nabolag.web.app import create_app
from web.pages_support import data_cells, inline_code

PAGES = ("/zones", "/zones/0301101001", "/zones/030110", "/zones/0301", "/areas", "/areas/groruddalen",
         "/indicators", "/indicators/lavinntekt")


@pytest.fixture
def client(demo_ctx: Context) -> Iterator[TestClient]:
    with TestClient(create_app(demo_ctx.settings)) as c:
        yield c


def test_every_page_has_a_twin_and_no_inline_code(client: TestClient) -> None:
    for path in PAGES:
        page, twin = client.get(path), client.get(path + ".json")
        assert page.status_code == 200, path
        assert twin.status_code == 200 and twin.headers["content-type"].startswith("application/json"), path
        assert page.headers["content-type"].startswith("text/html")
        assert inline_code(page.text) == [], path
        assert "Syntetiske demodata" in page.text, path  # the demo's figures are synthetic


def test_zone_list_filters_by_level_and_parent(client: TestClient) -> None:
    assert len(client.get("/zones.json?level=delbydel").json()["zones"]) == 96
    bydeler = client.get("/zones.json?level=bydel").json()
    assert len(bydeler["zones"]) == 15 and bydeler["level_label"] == "bydel"
    assert {lv["level"]: lv["zones"] for lv in bydeler["levels"]} == {"delbydel": 96, "bydel": 15, "kommune": 1}
    grorud = client.get("/zones.json?level=delbydel&parent=030110").json()["zones"]
    assert grorud and all(z["parent"] == "030110" and z["parent_name"] == "Grorud" for z in grorud)
    assert "Ammerud" in {z["name"] for z in grorud}
    page = client.get("/zones?level=delbydel&parent=030110").text
    rows = re.findall(r'<tr data-code="(\d+)">', page)
    assert rows == [z["code"] for z in grorud]
    assert all(f'href="/zones/{code}"' in page for code in rows)
    assert 'name="level"' in page and '<label for="level">' in page


def test_bad_input_gets_a_clear_4xx(client: TestClient) -> None:
    r = client.get("/zones.json?level=bydelen")
    assert r.status_code == 422 and "bydelen" in r.json()["error"] and "level" in r.json()["error"]
    assert client.get("/zones?level=bydelen").status_code == 422
    r = client.get("/zones/9999.json")
    assert r.status_code == 404 and "9999" in r.json()["error"]
    assert client.get("/areas/atlantis.json").status_code == 404
    r = client.get("/areas/groruddalen.json?period=snart")
    assert r.status_code == 422 and "period" in r.json()["error"] and "snart" in r.json()["error"]
    r = client.get("/areas/groruddalen.json?baseline=Nullpunkt%201990")
    assert r.status_code == 404 and "Nullpunkt 1990" in r.json()["error"]
    assert client.get("/indicators/ingenting.json").status_code == 404
    assert client.get("/zones.json?level=" + "x" * 41).status_code == 422  # longer than any level
    for path, name in (("/zones/%00.json", "code"), ("/areas/%00", "code"), ("/indicators/a%00b.json", "code"),
                       ("/zones.json?parent=%00", "parent"), ("/areas/groruddalen.json?baseline=%00", "baseline")):
        r = client.get(path)  # PostgreSQL refuses NUL bytes: a 422 naming the parameter, not a 500
        assert r.status_code == 422 and f'"{name}"' in r.text, path


def test_language_switch_translates_labels_and_numbers(client: TestClient) -> None:
    nb = client.get("/zones/0301101001")
    assert 'lang="nb"' in nb.text and "Periode" in nb.text and "Vedvarende lavinntekt" in nb.text
    en = client.get("/zones/0301101001?lang=en")
    assert 'lang="en"' in en.text and "Period" in en.text and "Persistent low income" in en.text
    assert client.get("/zones/0301101001.json").json()["indicators"][0]["name"] == "Work assessment allowance, " \
                                                                                  "age 18–66"  # the cookie keeps it
    cells = [c for c in data_cells(en.text) if c.get("place") == "zone" and c["indicator"] == "lavinntekt"]
    shown = client.get("/zones/0301101001?lang=nb").text
    value = float(cells[0]["value"])
    assert f"{value:.2f}" in en.text and f"{value:.2f}".replace(".", ",") in shown  # decimal comma in bokmål


def test_area_list_page_and_twin_agree(client: TestClient) -> None:
    data = client.get("/areas.json").json()
    [area] = data["areas"]
    cells = data_cells(client.get("/areas").text)
    assert [float(c["value"]) for c in cells] == [area["zones"], area["comparison"], area["baselines"]]
    assert 'href="/areas/groruddalen"' in client.get("/areas").text

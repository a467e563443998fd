"""The area page and its twin show the same change table; zones and comparison zones are on the map
and in lists; the programme parts are listed as not yet recorded."""

import json
import re
from collections.abc import Iterator
from html import unescape

import pytest
from fastapi.testclient import TestClient

from nabolag.demo import AREA_ZONES, COMPARISON_ZONES
from nabolag.services import Context
from nabolag.web.app import create_app
from web.pages_support import as_number, data_cells

FIELDS = ("baseline_value", "latest_value", "change", "comparison_change", "did")


@pytest.fixture
def client(demo_ctx: Context) -> Iterator[TestClient]:
    with TestClient(create_app(demo_ctx.settings)) as c:
        yield c


@pytest.mark.parametrize("query", ["", "?period=2021"])
def test_change_table_on_the_page_is_the_twins(client: TestClient, query: str) -> None:
    data = client.get(f"/areas/groruddalen.json{query}").json()
    html = client.get(f"/areas/groruddalen{query}").text
    page = {(c["indicator"], c["field"]): as_number(c["value"]) for c in data_cells(html) if "field" in c}
    twin = {(r["indicator"], f): r[f] for r in data["change"]["rows"] for f in FIELDS}
    assert page == twin and len(data["change"]["rows"]) >= 12
    cis = {(c["indicator"], c["field"]): (as_number(c["ci-low"]), as_number(c["ci-high"]))
           for c in data_cells(html) if "ci-low" in c}
    prefix = {"baseline_value": "baseline", "latest_value": "latest", "change": "change", "did": "did"}
    expected = {(r["indicator"], f): (r[p + "_ci_low"], r[p + "_ci_high"]) for r in data["change"]["rows"]
                for f, p in prefix.items() if r[p + "_ci_low"] is not None}
    assert cis == expected and len(expected) >= 4 * 12
    for r in data["change"]["rows"]:
        row = html[html.index(f'<tr data-indicator="{r["indicator"]}">'):]
        row = row[:row.index("</tr>")]
        assert r["verdict_text"] in row and r["did_verdict_text"] in row
    if query:
        assert {r["latest_period"] for r in data["change"]["rows"]} == {"2021"}
        assert 'value="2021"' in html


def test_zones_map_and_programme(client: TestClient) -> None:
    data = client.get("/areas/groruddalen.json").json()
    html = client.get("/areas/groruddalen").text
    layers = json.loads(unescape(re.search(r"data-layers='([^']*)'", html)[1]))
    assert layers == data["map"]["layers"]
    assert {c for layer in layers if layer["role"] == "member" for c in layer["codes"]} == set(AREA_ZONES)
    assert {c for layer in layers if layer["role"] == "comparison" for c in layer["codes"]} == set(COMPARISON_ZONES)
    for code in (*AREA_ZONES, *COMPARISON_ZONES):
        assert f'href="/zones/{code}"' in html
    assert "stiplet" in html and "heltrukket" in html  # the legend says more than colour
    assert '<script src="/static/js/area.js"' in html
    programme = html[html.index('id="h-programme"'):]
    programme = programme[:programme.index("</section>")]
    assert all(p["name"] in programme for p in data["programme"]["parts"])
    goals = data["programme"]["parts"][0]["goals"]
    assert re.findall(r'<li data-goal="([^"]+)">', programme) == [g["code"] for g in goals] and goals
    assert all(g["title"] in programme for g in goals)
    links = set(re.findall(r'<a href="([^"#]+)"', programme))  # the programme's own pages (issue 5)
    assert links == {f"/areas/groruddalen/{p}" for p in ("programme", "logic-model", "participation",
                                                         "you-said-we-did")} | {m["public"] for m in data["maps"]}
    measures = data["programme"]["parts"][1]["items"]
    assert re.findall(r'<li data-measure="([^"]+)">', programme) == [m["code"] for m in measures] and measures
    drawn = json.loads(unescape(re.search(r"data-measures='([^']*)'", html)[1]))["features"]
    assert {f["properties"]["code"] for f in drawn} == {m["code"] for m in measures if m["located"]}
    targets = [(c["goal"], as_number(c["value"])) for c in data_cells(html) if c["tag"] == "span"]
    assert targets == [(t["goal"], t["value"]) for r in data["change"]["rows"] for t in r["targets"]] and targets


def test_public_visitor_sees_no_staff_names(client: TestClient) -> None:
    data = client.get("/areas/groruddalen.json").json()
    assert data["baselines"] and "actor" not in data["baselines"][0]


def test_area_page_links_the_public_childrens_maps_without_their_codes(client: TestClient, ctx: Context) -> None:
    from nabolag.services import mapping

    campaigns = [c for c in mapping.list_campaigns(ctx) if c.area_code == "groruddalen" and str(c.status) != "draft"]
    assert len(campaigns) >= 2  # the demo's two schools
    data = client.get("/areas/groruddalen.json").json()
    assert {m["code"] for m in data["maps"]} == {c.code for c in campaigns}
    html = client.get("/areas/groruddalen").text
    for c in campaigns:
        assert f'href="/mapping/{c.code}/public"' in html
        assert client.get(f"/mapping/{c.code}/public").status_code == 200  # the link works for a visitor
        for secret in (c.access_code, c.teacher_code):  # what children and teachers type never shows
            assert secret and secret not in html and secret not in json.dumps(data)

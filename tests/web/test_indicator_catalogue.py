"""The indicator catalogue and each indicator's page show what their twins hold."""

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from nabolag.services import Context
from nabolag.web.app import create_app
from web.pages_support import data_cells


@pytest.fixture
def client(demo_ctx: Context) -> Iterator[TestClient]:
    with TestClient(create_app(demo_ctx.settings)) as c:
        yield c


def test_catalogue_rows_match_the_twin(client: TestClient) -> None:
    data = client.get("/indicators.json").json()
    html = client.get("/indicators").text
    assert re.findall(r'<tr data-code="([^"]+)">', html) == [i["code"] for i in data["indicators"]]
    for i in data["indicators"]:
        row = html[html.index(f'<tr data-code="{i["code"]}">'):]
        row = row[:row.index("</tr>")]
        assert f'data-periods="{",".join(i["periods"])}"' in row
        assert re.findall(r'data-area="([^"]+)"', row) == [a["code"] for a in i["areas"]]
        assert i["name"] in row and i["direction_label"] in row and f'href="/indicators/{i["code"]}"' in row
    assert any(i["areas"] for i in data["indicators"])


def test_indicator_page_matches_the_twin(client: TestClient) -> None:
    data = client.get("/indicators/lavinntekt.json").json()
    html = client.get("/indicators/lavinntekt").text
    ind = data["indicator"]
    for field in ("unit", "numerator", "denominator", "source"):
        assert re.search(rf'data-field="{field}">([^<]*)<', html)[1] == ind[field]
    assert re.search(r'data-field="suppression_threshold" data-value="(\d+)"', html)[1] == \
        str(ind["suppression_threshold"])
    assert {c["level"]: int(c["value"]) for c in data_cells(html) if "level" in c} == \
        {c["level"]: c["zones"] for c in data["coverage"]}
    assert all(f"<li>{p}</li>" in html for p in ind["periods"])
    assert re.findall(r'<li data-area="([^"]+)">', html) == [a["code"] for a in ind["areas"]]
    assert ind["definition"] in html and "Vedvarende lavinntekt" in html

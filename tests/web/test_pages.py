"""The minimal web app: pages, their JSON twins, language switch, synthetic banner."""

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from nabolag.demo import build_demo
from nabolag.services import Context
from nabolag.web.app import create_app


@pytest.fixture
def client(ctx: Context) -> Iterator[TestClient]:
    build_demo(ctx)
    with TestClient(create_app(ctx.settings)) as c:
        yield c


def test_zone_page_and_json_twin_show_the_same_numbers(client: TestClient) -> None:
    data = client.get("/zones/0301101001.json").json()
    assert data["zone"]["name"] == "Ammerud"
    page = client.get("/zones/0301101001")
    assert page.status_code == 200
    values = [o for o in data["observations"] if o["value"] is not None and o["indicator"] == "lavinntekt"]
    assert values
    for o in values:
        assert f"{o['value']:.2f}" in page.text


def test_every_page_has_a_twin(client: TestClient) -> None:
    for path in ("/", "/zones", "/indicators", "/areas/groruddalen"):
        twin = "/index.json" if path == "/" else path + ".json"
        assert client.get(path).status_code == 200
        assert client.get(twin).status_code == 200
    assert len(client.get("/zones.json?level=delbydel").json()["zones"]) == 96


def test_synthetic_banner_and_language(client: TestClient) -> None:
    nb = client.get("/")
    assert "Syntetiske demodata" in nb.text and 'lang="nb"' in nb.text
    en = client.get("/?lang=en")
    assert "Synthetic demo data" in en.text and 'lang="en"' in en.text
    assert client.get("/indicators").text.count("Indicators") >= 1  # the cookie keeps English
    assert en.headers["x-content-type-options"] == "nosniff"


def test_unknown_zone_is_404(client: TestClient) -> None:
    r = client.get("/zones/9999.json")
    assert r.status_code == 404 and "9999" in r.json()["error"]

"""The zone page and its JSON twin show the same numbers: every figure, interval and baseline the HTML
carries in data attributes is compared with the twin; hidden figures say "skjult" and why."""

from collections.abc import Iterator

import pandas as pd
import pytest
from fastapi.testclient import TestClient

from nabolag.charts import indicator_chart
from nabolag.domain.indicators import Indicator
from nabolag.services import Context, observations
from nabolag.services.indicators import define_indicators
from nabolag.web.app import create_app
from web.pages_support import as_number, data_cells

AMMERUD = "0301101001"


@pytest.fixture
def client(demo_ctx: Context) -> Iterator[TestClient]:
    with TestClient(create_app(demo_ctx.settings)) as c:
        yield c


def _twin_cells(data: dict) -> dict[tuple[str, str, str], dict]:
    out = {}
    for ind in data["indicators"]:
        for s in ind["series"]:
            for role in ("zone", "parent", "city"):
                if role in s:
                    out[(ind["code"], role, s["period"])] = s[role]
        for g in ind["groups"]:
            out[(ind["code"], "group:" + g["groups"], g["period"])] = g
    return out


def test_every_figure_on_the_page_is_the_twins(client: TestClient) -> None:
    data = client.get(f"/zones/{AMMERUD}.json").json()
    html = client.get(f"/zones/{AMMERUD}").text
    twin = _twin_cells(data)
    page = {(c["indicator"], c["place"], c["period"]): c for c in data_cells(html) if c["tag"] == "td"}
    assert set(page) == set(twin) and len(twin) > 12 * 10 * 3  # 12 rates x 10 years x 3 places, + population
    assert any(k[1].startswith("group:") for k in twin)  # population by gender
    for key, c in page.items():
        t = twin[key]
        if t is None:  # no figure for that place (survey results have none per bydel): an empty cell
            assert as_number(c["value"]) is None, key
            continue
        assert as_number(c["value"]) == t["value"], key
        assert as_number(c.get("ci-low", "")) == t["ci_low"] and as_number(c.get("ci-high", "")) == t["ci_high"], key
    targets = [(c["indicator"], c["goal"], as_number(c["value"])) for c in data_cells(html) if "goal" in c]
    assert targets == [(i["code"], t["goal"], t["value"]) for i in data["indicators"] for t in i["targets"]] and targets
    baselines = [c for c in data_cells(html) if c["tag"] == "p" and "baseline-area" in c]
    expected = [(i["code"], b["value"]) for i in data["indicators"] for b in i["baselines"]]
    assert [(c["indicator"], as_number(c["value"])) for c in baselines] == expected and len(expected) >= 12


def test_page_structure_for_charts_map_and_readers(client: TestClient) -> None:
    data = client.get(f"/zones/{AMMERUD}.json").json()
    html = client.get(f"/zones/{AMMERUD}").text
    assert f'data-twin="/zones/{AMMERUD}.json"' in html and '<script src="/static/js/zone.js"' in html
    assert f'data-geojson="{data["map"]["url"]}"' in html and f'data-highlight="{AMMERUD}"' in html
    for ind in data["indicators"]:
        assert f'id="chart-{ind["code"]}"' in html and f'<h3 id="h-{ind["code"]}">' in html
    tables = len(data["indicators"]) + sum(1 for i in data["indicators"] if i["groups"])
    assert html.count("<caption>") == html.count("<table") == tables
    assert '<th scope="col">' in html and '<th scope="row">' in html
    assert "Grorud" in html and "Oslo" in html and 'href="/areas/groruddalen"' in html
    assert "Kilde" in html and "Metode" in html and "Wilson" in html  # source and method of each figure


def test_hidden_figures_say_skjult_and_why(client: TestClient, ctx: Context) -> None:
    define_indicators(ctx, [Indicator(code="nyankomne", name_nb="Nyankomne", unit="prosent",
                                      suppression_threshold=5)])
    rows = pd.DataFrame({"indicator": "nyankomne", "period": "2024",
                         "zone": [AMMERUD, "0301101002", "0301101005", "0301101004", "0301101003", "030110"],
                         "numerator": [1, 4, 6, 7, 8, 26], "denominator": [3, 40, 17, 30, 30, 120]})
    rows["n"] = rows["denominator"]
    rows["value"] = rows["numerator"] / rows["denominator"] * 100
    observations.load_frame(ctx, rows, file_name="test")
    data = client.get(f"/zones/{AMMERUD}.json").json()
    [ind] = [i for i in data["indicators"] if i["code"] == "nyankomne"]
    assert ind["series"][0]["zone"]["value"] is None and ind["series"][0]["zone"]["suppressed"]
    html = client.get(f"/zones/{AMMERUD}").text
    [cell] = [c for c in data_cells(html) if c["indicator"] == "nyankomne" and c["place"] == "zone"]
    assert cell["value"] == "" and cell["suppressed"] == "1"
    section = html[html.index('id="ind-nyankomne"'):]
    assert "skjult" in section[:3000] and "færre enn 5" in section[:3000]
    assert "33.3" not in section[:3000] and "33,3" not in section[:3000]  # 1 of 3 is not shown anywhere
    chart_rows = ind["chart"]["layer"][0]["data"]["values"]
    assert ("2024", data["places"]["zone"]["name"]) not in {(r["period"], r["place"]) for r in chart_rows}
    assert all(abs(r["value"] - 100 / 3) > 0.1 for r in chart_rows)  # the chart does not draw it either


def test_the_twin_carries_each_indicators_chart_built_from_its_own_figures(client: TestClient) -> None:
    """The page embeds ``chart`` as it comes (zone.js builds nothing): it is :func:`indicator_chart` of the
    twin's own entry, and its rows are exactly the shown figures of the series (counted independently)."""
    data = client.get(f"/zones/{AMMERUD}.json").json()
    names = {role: p["name"] for role, p in data["places"].items()}
    for ind in data["indicators"]:
        assert ind["chart"] == indicator_chart(ind), ind["code"]
        shown = [(s["period"], names[role], s[role]["value"]) for s in ind["series"] for role in ("zone", "parent", "city")
                 if s.get(role) and s[role]["value"] is not None]
        rows = ind["chart"]["layer"][0]["data"]["values"]
        assert [(r["period"], r["place"], r["value"]) for r in rows] == shown, ind["code"]
        assert ind["chart"]["description"] == ind["name"]
    english = client.get(f"/zones/{AMMERUD}.json", params={"lang": "en"}).json()
    assert english["indicators"][0]["chart"]["layer"][0]["encoding"]["x"]["title"] == "Period"
    assert data["indicators"][0]["chart"]["layer"][0]["encoding"]["x"]["title"] == "Periode"

"""The city overview (``/`` and ``/index.json``): the page and its twin show the same numbers, the
numbers are the published ones, classes are quantiles, bad parameters get a clear 4xx, and nothing
on the page points outside the server. The vendored front-end files match their checksums."""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from babel.numbers import format_decimal
from fastapi.testclient import TestClient

from nabolag import demo_data
from nabolag.services import Context, observations, zones
from nabolag.services.export import published
from nabolag.store import indices as index_repo
from nabolag.web.app import create_app

STATIC = Path(__file__).resolve().parents[2] / "src" / "nabolag" / "web" / "static"


@pytest.fixture(scope="module")
def demo(module_demo_ctx: Context) -> Iterator[TestClient]:
    """The app on the module's copy of the Oslo demo (the tests here only read it)."""
    with TestClient(create_app(module_demo_ctx.settings)) as client:
        yield client


def shown(value: float | None, unit: str = "prosent", lang: str = "nb") -> str:
    """How a page should print a figure: two decimals, decimal comma in bokmål (Babel, CLDR)."""
    return format_decimal(value, format="#,##0.00", locale={"nb": "nb_NO", "en": "en_GB"}[lang])


def rows_by_code(page: str, table_id: str) -> dict[str, str]:
    """The text of each row (``<tr data-code>``) of a table, tags removed."""
    table = page[page.index(f'id="{table_id}"'):]
    table = table[:table.index("</table>")]
    return {code: re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", body)))
            for code, body in re.findall(r'<tr data-code="([^"]+)">(.*?)</tr>', table, re.S)}


def test_index_view_page_and_twin_show_the_stored_index(demo: TestClient, module_demo_ctx: Context) -> None:
    data = demo.get("/index.json").json()
    assert (data["view"], data["level"], data["measure"]["code"], data["period"]) == (
        "index", "delbydel", "oslo-levekar", "2024")
    with module_demo_ctx.store.read() as conn:  # independent: the stored run, straight from the store
        run = [r for r in index_repo.list_runs(conn) if r["name"] == "oslo-levekar" and r["period"] == "2024"][-1]
        stored = {r["code"]: r for r in index_repo.run_values(conn, int(run["id"]))}
    assert len(data["ranking"]) == len(stored) == 96
    page = demo.get("/").text
    rows = rows_by_code(page, "ranking")
    for r in data["ranking"]:
        s = stored[r["code"]]
        assert (r["value"], r["score"], r["rank"]) == (s["value"], s["score"], s["rank"]), r["code"]
        assert shown(r["value"]) in rows[r["code"]] and r["name"] in rows[r["code"]]
        assert re.search(rf"^\s*{r['rank']}\s", rows[r["code"]]), rows[r["code"]]
        assert r["challenged"] == (s["score"] >= 8)
    ranks = [r["rank"] for r in data["ranking"]]
    assert ranks == sorted(ranks) and ranks[0] == 1  # most challenges first


def test_indicator_view_numbers_are_published_and_classed_by_quantiles(demo: TestClient, module_demo_ctx: Context) -> None:
    data = demo.get("/index.json?view=indicator&measure=lavinntekt&period=2020").json()
    assert (data["measure"]["code"], data["period"], data["notice"]) == ("lavinntekt", "2020", "")
    raw = observations.query(module_demo_ctx, indicators=["lavinntekt"], level="delbydel", periods=["2020"], groups="")
    pub = published(module_demo_ctx, raw).set_index("zone")["value"]
    got = {r["code"]: r["value"] for r in data["ranking"]}
    assert got == pytest.approx(pub.to_dict())
    values = pub.to_numpy(dtype=float)
    assert data["classes"]["breaks"] == pytest.approx(np.quantile(values, [0.2, 0.4, 0.6, 0.8]).tolist())
    for r in data["ranking"]:  # class = how many limits lie below the value
        assert r["class"] == sum(b < r["value"] for b in data["classes"]["breaks"])
    assert [r["value"] for r in data["ranking"]] == sorted(values.tolist(), reverse=True)  # lower is better
    city = observations.query(module_demo_ctx, indicators=["lavinntekt"], level="kommune", periods=["2020"], groups="")
    assert data["city"]["value"] == pytest.approx(float(city["value"].iloc[0]))
    page = demo.get("/?view=indicator&measure=lavinntekt&period=2020").text
    rows = rows_by_code(page, "ranking")
    for r in data["ranking"]:
        assert shown(r["value"]) in rows[r["code"]]
    for entry in data["classes"]["legend"]:
        assert f"{shown(entry['low'])}–{shown(entry['high'])}" in page


def test_equity_matrix_page_and_twin_agree(demo: TestClient) -> None:
    data = demo.get("/index.json?view=indicator&measure=vold").json()
    eq = data["equity"]
    assert len(eq["zones"]) == 96 and "lavinntekt" in [i["code"] for i in eq["indicators"]]
    page = demo.get("/?view=indicator&measure=vold").text
    rows = rows_by_code(page, "equity")
    colours = {"green": 0, "yellow": 0, "red": 0, "grey": 0}
    register = {s.code for s in demo_data.SPECS}  # the synthetic register indicators; survey ones cover fewer zones
    for z in eq["zones"]:
        for i, cell in zip(eq["indicators"], z["cells"], strict=True):
            if cell is None:  # no figure for the zone: a grey dash
                assert i["code"] not in register, (z["code"], i["code"])
                continue
            colours[cell["colour"]] += 1
            assert shown(cell["value"]) + f" ({eq['labels'][cell['colour']]})" in rows[z["code"]]
            if i["code"] in register:
                # the colour follows the rule: every register indicator of the demo has lower values as better
                assert cell["colour"] == ("green" if cell["value"] <= i["city"] else "red"), (z["code"], i["code"])
    assert colours["green"] and colours["red"]
    cell_classes = re.findall(r'<td class="num eq eq-(\w+)">', page)
    assert len(cell_classes) == 96 * len(eq["indicators"])


def test_period_without_figures_falls_back_with_a_notice(demo: TestClient) -> None:
    data = demo.get("/index.json?view=index&measure=ssb-levekar&period=2020").json()
    assert data["period"] == "2024" and "2020" in data["notice"] and data["periods"] == ["2018", "2024"]
    assert data["notice"] in html.unescape(demo.get("/?view=index&measure=ssb-levekar&period=2020").text)


@pytest.mark.parametrize(("query", "status", "named"), [
    ("level=bydelene", 404, "bydelene"),
    ("level=kommune", 404, "kommune"),
    ("view=kart", 404, "kart"),
    ("view=indicator&measure=finnesikke", 404, "finnesikke"),
    ("view=index&measure=lavinntekt", 404, "lavinntekt"),
    ("period=" + "9" * 30, 422, "period"),
])
def test_bad_parameters_get_a_clear_4xx(demo: TestClient, query: str, status: int, named: str) -> None:
    for path in ("/", "/index.json"):
        r = demo.get(f"{path}?{query}")
        assert r.status_code == status, (path, query, r.text[:200])
        assert named in r.text


def test_bydel_level_has_no_index_and_shows_indicators(demo: TestClient) -> None:
    data = demo.get("/index.json?level=bydel").json()
    assert data["view"] == "indicator" and len(data["ranking"]) == 15 and data["measures"]["index"] == []


def test_page_stays_on_the_server(demo: TestClient) -> None:
    r = demo.get("/")
    csp = r.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "img-src 'self' data:;" in csp
    page = r.text
    for tag in re.findall(r"<(?:script|link)\b[^>]*>", page):
        ref = re.search(r'(?:src|href)="([^"]*)"', tag)
        assert ref is None or ref.group(1).startswith("/") and not ref.group(1).startswith("//"), tag
    assert not re.findall(r"https?://", page)
    assert not re.findall(r"<script(?![^>]*\bsrc=)[^>]*>|\sstyle=|\son[a-z]+=", page, re.I)  # CSP: nothing inline
    for ref in re.findall(r'(?:src|href)="(/static/[^"]+)"', page):
        assert demo.get(ref).status_code == 200, ref


def test_map_element_carries_its_data(demo: TestClient) -> None:
    page = demo.get("/?view=indicator&measure=lavinntekt&period=2024").text
    m = re.search(r'<div id="overview-map"[^>]*>', page)
    assert m is not None
    attrs = dict(re.findall(r'(data-[a-z-]+)="([^"]*)"', m.group(0)))
    assert attrs["data-geojson"] == "/geo/delbydel.geojson?indicator=lavinntekt&amp;period=2024"
    assert demo.get(html.unescape(attrs["data-geojson"])).status_code == 200
    west, south, east, north = map(float, attrs["data-bbox"].split(","))
    assert 10.4 < west < east < 11.1 and 59.7 < south < north < 60.1
    assert attrs["data-label-suppressed"] == "skjult (få personer)"


def test_english(demo: TestClient) -> None:
    r = demo.get("/?lang=en")
    assert '<html lang="en">' in r.text and 'hreflang="nb"' in r.text
    data = demo.get("/index.json?view=indicator&measure=lavinntekt&lang=en").json()
    assert data["measure"]["name"] == "Persistent low income"
    demo.get("/?lang=nb")


def test_basemap_setting_allows_its_host_only(module_demo_ctx: Context) -> None:
    tiles = "https://cache.kartverket.no/v1/wmts/1.0.0/topo/default/webmercator/{z}/{y}/{x}.png"
    settings = module_demo_ctx.settings.with_(basemap_url=tiles)
    with TestClient(create_app(settings)) as client:
        r = client.get("/")
    assert "img-src 'self' data: https://cache.kartverket.no;" in r.headers["content-security-policy"]
    assert f'data-basemap="{tiles}"' in r.text and 'data-basemap-attribution="© Kartverket"' in r.text


def test_vendored_files_match_their_checksums_and_licences() -> None:
    vendor = STATIC / "vendor"
    sums = (vendor / "SHA256SUMS").read_text().splitlines()
    listed = {}
    for line in sums:
        digest, name = line.split(maxsplit=1)
        listed[name.removeprefix("./")] = digest
    on_disk = {str(p.relative_to(vendor)) for p in vendor.rglob("*") if p.is_file()} - {"SHA256SUMS", "README.md"}
    assert set(listed) == on_disk
    for name, digest in listed.items():
        assert hashlib.sha256((vendor / name).read_bytes()).hexdigest() == digest, name
    readme = (vendor / "README.md").read_text()
    for folder in {n.split("/")[0] for n in listed}:
        package, version = folder.rsplit("-", 1)
        assert (vendor / folder / "LICENSE").is_file()
        scoped = r"(@[\w.-]+/)?" + re.escape(package)  # @geoman-io/leaflet-geoman-free → leaflet-geoman-free-<v>
        assert f"| {version} |" in readme and re.search(rf"npmjs\.com/package/{scoped}\)", readme), folder
    package_json = (STATIC.parents[3] / "frontend" / "package.json").read_text()
    for folder in {n.split("/")[0] for n in listed}:
        package, version = folder.rsplit("-", 1)
        scoped = r"(@[\w.-]+/)?" + re.escape(package)
        assert re.search(rf'"{scoped}": "{re.escape(version)}"', package_json), folder  # pinned exactly


def test_the_demo_has_ammerud_among_the_delbydeler(module_demo_ctx: Context) -> None:
    assert {z.code: z.name for z in zones.list_zones(module_demo_ctx, level="delbydel")}["0301101001"] == "Ammerud"

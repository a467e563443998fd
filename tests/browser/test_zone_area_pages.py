"""The zone and area pages in a real browser: one chart per indicator drawn from the JSON twin (under
the CSP: no eval, no inline styles), the small maps with the zone highlighted and the comparison zones
set apart, and a click on a zone that opens its page. (Pages engineer's file; uses this folder's
server fixture.)"""

from __future__ import annotations

import json
import urllib.request

import pytest
from playwright.sync_api import Page, expect

from browser.conftest import Server, Watch

pytestmark = pytest.mark.xdist_group("browser")

AMMERUD = "0301101001"


def _twin(server: Server, path: str) -> dict:
    with urllib.request.urlopen(server.url + path, timeout=10) as r:
        return json.load(r)


def test_zone_page_draws_a_chart_per_indicator_and_its_map(page: Page, server: Server, watch: Watch) -> None:
    data = _twin(server, f"/zones/{AMMERUD}.json")
    page.goto(f"/zones/{AMMERUD}")
    charts = page.locator(".chart.drawn svg")
    expect(charts).to_have_count(len(data["indicators"]))
    legend = page.locator("#chart-lavinntekt svg").text_content() or ""  # SVG text: the places in the legend
    assert all(p["name"] in legend for p in data["places"].values())
    expect(page.locator("#zone-map path.zone")).to_have_count(len(data["map"]["codes"]))
    highlighted = page.locator("#zone-map path.zone.highlight")
    expect(highlighted).to_have_count(1)
    expect(highlighted).to_have_attribute("data-code", AMMERUD)
    assert not watch.problems(), watch.problems()


def test_area_map_sets_comparison_zones_apart_and_links_to_zones(page: Page, server: Server, watch: Watch) -> None:
    data = _twin(server, "/areas/groruddalen.json")
    members = {z["code"] for z in data["area"]["zones"]}
    comparison = {z["code"] for z in data["area"]["comparison"]}
    page.goto("/areas/groruddalen")
    page.wait_for_selector("#area-map path.zone", state="attached")
    page.wait_for_load_state("networkidle")
    drawn = page.eval_on_selector_all("#area-map path.zone", "els => els.map(e => [e.getAttribute('data-code'), "
                                                              "e.getAttribute('class')])")
    assert {c for c, cls in drawn if "highlight" in cls.split()} == members
    assert {c for c, cls in drawn if "secondary" in cls.split()} == comparison
    # Lindeberg, clicked where the zone itself is on top (the programme's measures are drawn over the zones)
    sel = '#area-map path.zone[data-code="0301121203"]'
    box = page.locator(sel).bounding_box()
    assert box is not None
    spot = page.evaluate("""([sel, x0, y0, w, h]) => { const el = document.querySelector(sel);
        for (let i = 1; i < 24; i++) { for (let j = 1; j < 24; j++) {
          const x = x0 + w * i / 24, y = y0 + h * j / 24;
          if (document.elementFromPoint(x, y) === el) { return [x, y]; } } }
        return null; }""", [sel, box["x"], box["y"], box["width"], box["height"]])
    assert spot is not None, "Lindeberg is covered everywhere on the area map"
    page.mouse.click(*spot)
    page.wait_for_url("**/zones/0301121203")
    expect(page.locator("h1")).to_contain_text("Lindeberg")
    assert not watch.problems(), watch.problems()

"""The programme in a real browser: the coordinator of Groruddalen draws a new measure as a polygon with
leaflet-geoman (mouse clicks on the map), saves it through the htmx form, and finds it on the area page,
listed and drawn on the map. Under the CSP: no console errors, no request to another host."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
import shapely
from playwright.sync_api import Page, expect

from browser.conftest import Server, Watch
from nabolag.services import programme

pytestmark = pytest.mark.xdist_group("browser")

AREA = "groruddalen"
AMMERUD = "0301101001"
CODE = "benker-ammerud"


def test_coordinator_draws_a_measure_and_sees_it_on_the_area_page(
        page: Page, server: Server, watch: Watch, login: Callable[[str], None], artifacts: Path) -> None:
    login("koordinator")
    page.goto(f"/areas/{AREA}/measures/new")
    editor = page.locator("[data-measure-map]")
    expect(editor).to_have_attribute("data-editor", "ready")
    page.get_by_label("Kode").fill(CODE)
    page.get_by_label("Tittel").fill("Benker ved Ammerud")
    page.get_by_label("Type").select_option("physical")
    page.locator("#status").select_option("planned")
    page.get_by_label("Flere møteplasser og sterkere nettverk").check()

    editor.scroll_into_view_if_needed()
    page.locator(".leaflet-pm-icon-polygon").click()
    zone = editor.locator(f'path.zone[data-code="{AMMERUD}"]').bounding_box()  # after any scrolling
    assert zone is not None
    cx, cy = zone["x"] + zone["width"] / 2, zone["y"] + zone["height"] / 2
    corners = [(cx - 20, cy - 20), (cx + 20, cy - 20), (cx + 20, cy + 20), (cx - 20, cy + 20)]
    for x, y in [*corners, corners[0]]:  # a click on the first corner again closes the polygon
        page.mouse.move(x, y, steps=4)  # geoman places a vertex where its hint marker follows the mouse
        page.mouse.click(x, y)
    expect(editor).to_have_attribute("data-drawn", "Polygon")
    expect(page.locator("[data-map-status]")).to_contain_text("Plassering tegnet")
    drawn = json.loads(page.locator("input[name=geometry]").input_value())
    assert drawn["type"] == "Polygon" and len(drawn["coordinates"][0]) == 5
    page.screenshot(path=str(artifacts / "programme-draw-measure.png"), full_page=True)

    page.get_by_role("button", name="Lagre tiltaket").click()
    page.wait_for_url(f"**/areas/{AREA}/programme#measure-{CODE}")
    expect(page.locator(f'article[data-measure="{CODE}"] h3')).to_have_text("Benker ved Ammerud")
    with server.context() as ctx:
        saved = programme.get_measure(ctx, AREA, CODE)
    assert saved.geometry is not None
    assert shapely.from_wkb(saved.geometry).equals_exact(shapely.geometry.shape(drawn), 1e-9)

    page.goto(f"/areas/{AREA}")
    expect(page.locator(f'.measure-list li[data-measure="{CODE}"]')).to_contain_text("Benker ved Ammerud")
    shape = page.locator(f'#area-map path.measure[data-measure="{CODE}"]')
    expect(shape).to_have_count(1)
    expect(page.locator("#area-map")).to_have_attribute("data-measures-drawn", str(
        sum(1 for m in _located(server))))
    page.screenshot(path=str(artifacts / "programme-area-page.png"), full_page=True)
    shape.dispatch_event("click")  # a measure on the map opens its card (another measure's point may lie on top)
    page.wait_for_url(f"**/areas/{AREA}/programme#measure-{CODE}")
    assert not watch.problems(), watch.problems()


def _located(server: Server) -> list[str]:
    with server.context() as ctx:
        return [m.code for m in programme.list_measures(ctx, AREA) if m.geometry is not None]


def test_programme_and_logic_model_pages_draw_under_the_csp(page: Page, server: Server, watch: Watch,
                                                            artifacts: Path) -> None:
    page.goto(f"/areas/{AREA}/programme")
    expect(page.locator("#programme-map")).to_have_attribute("data-measures-drawn", str(len(_located(server))))
    expect(page.locator("#programme-map path.measure")).to_have_count(len(_located(server)))
    page.set_viewport_size({"width": 390, "height": 844})  # a phone: nothing wider than the screen
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.goto(f"/areas/{AREA}/logic-model")
    expect(page.locator('[data-flag="goal_without_measure"]').first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(artifacts / "programme-logic-model-phone.png"))
    assert not watch.problems(), watch.problems()

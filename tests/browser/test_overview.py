"""The overview in a real browser: the map draws every delbydel, a click opens the zone, the language
switch works, and no page reaches outside the server or breaks its Content-Security-Policy."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from browser.conftest import Server, Watch

pytestmark = pytest.mark.xdist_group("browser")

AMMERUD = "0301101001"
ZONE_PATHS = "path[data-code]"


def _drawn_codes(page: Page) -> list[str]:
    """The codes of the zone shapes on the map, once the map has drawn them."""
    page.wait_for_selector(ZONE_PATHS, state="attached")
    page.wait_for_load_state("networkidle")
    return page.eval_on_selector_all(ZONE_PATHS, "els => els.map(e => e.getAttribute('data-code'))")


def test_map_draws_all_96_delbydeler(page: Page, server: Server, watch: Watch) -> None:
    assert len(server.delbydeler) == 96  # Oslo's delbydeler, as stored from the shipped GeoJSON
    page.goto("/")
    drawn = _drawn_codes(page)
    delbydel_paths = [c for c in drawn if c in server.delbydeler]
    assert sorted(delbydel_paths) == sorted(server.delbydeler)  # each one exactly once
    assert not watch.problems(), watch.problems()


def test_clicking_ammerud_opens_its_page(page: Page, server: Server) -> None:
    assert server.delbydeler[AMMERUD] == "Ammerud"
    page.goto("/")
    _drawn_codes(page)
    page.locator(f'{ZONE_PATHS}[data-code="{AMMERUD}"]').first.click()
    page.wait_for_url(f"**/zones/{AMMERUD}")
    expect(page.locator("h1")).to_contain_text("Ammerud")


def test_language_switch(page: Page) -> None:
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "nb")
    expect(page.get_by_role("note").first).to_contain_text("Syntetiske demodata")
    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("note").first).to_contain_text("Synthetic demo data")
    page.goto("/indicators")  # the choice is kept
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_role("link", name="Norsk (bokmål)").click()
    expect(page.locator("html")).to_have_attribute("lang", "nb")
    expect(page.get_by_role("note").first).to_contain_text("Syntetiske demodata")


def test_overview_screenshot(page: Page, artifacts: Path) -> None:
    """Saved as a test artefact: test-artifacts/overview.png (desktop) and overview-phone.png."""
    page.goto("/")
    _drawn_codes(page)
    desktop = artifacts / "overview.png"
    page.screenshot(path=str(desktop), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.wait_for_timeout(300)  # let the map follow the new size
    phone = artifacts / "overview-phone.png"
    page.screenshot(path=str(phone), full_page=True)
    assert desktop.stat().st_size > 20_000 and phone.stat().st_size > 10_000
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the overview scrolls sideways on a phone ({width} px wide)"


@pytest.mark.parametrize("path", ["/", f"/zones/{AMMERUD}", "/areas/groruddalen", "/indicators", "/zones"])
def test_pages_stay_on_the_server_and_keep_the_csp(page: Page, watch: Watch, path: str) -> None:
    response = page.goto(path)
    assert response is not None and response.status == 200
    page.wait_for_load_state("networkidle")
    assert not watch.problems(), watch.problems()


def test_keyboard_reaches_the_main_content(page: Page) -> None:
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    expect(skip).to_have_attribute("href", "#main")
    page.keyboard.press("Enter")
    assert page.url.endswith("#main")

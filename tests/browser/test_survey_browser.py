"""The public survey form in a real browser on a phone-sized screen (390 × 844): a resident fills it in
bokmål and then in English (a map click for a place, a zone from the list for another; the home zone by a
click on the map, then from the list: the zone chosen and stored is the one clicked), submits, and an
analyst watching the survey's admin page
sees the count rise without reloading (htmx polling). No console errors (CSP), nothing fetched from other
hosts, no sideways scrolling; exactly the two responses are stored."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from browser.conftest import PASSWORD, Server, Watch
from nabolag.services.survey import create_survey, open_survey
from nabolag.services.survey_base import survey_row
from nabolag.store import survey as repo
from test_survey_support import small

pytestmark = pytest.mark.xdist_group("browser")

CODE = "nettleser-2024"
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def survey(server: Server) -> str:
    with server.context() as ctx:
        create_survey(ctx, small(), code=CODE, area="groruddalen", period="2024")
        open_survey(ctx, CODE)
    return CODE


INSIDE = """(sel) => {  // a point a drawn zone itself receives (not a neighbour, not a gap), with its code:
  // the middle of the zone's box if the zone is there (where a click on a drawn zone used to be answered
  // "outside every zone"), else the first point of a grid inside the drawn outline
  for (const el of document.querySelectorAll(sel)) {
    const box = el.getBBox(), m = el.getScreenCTM();
    const grid = [[6, 6]];
    for (let i = 1; i < 12; i++) for (let j = 1; j < 12; j++) grid.push([i, j]);
    for (const [i, j] of grid) {
      const p = new DOMPoint(box.x + box.width * i / 12, box.y + box.height * j / 12);
      if (!el.isPointInFill(p)) continue;
      const c = p.matrixTransform(m);
      if (document.elementFromPoint(c.x, c.y) === el) return [c.x, c.y, el.getAttribute("data-code")];
    }
  }
  return null;
}"""


def _click_zone(page: Page, selector: str) -> str:
    """Click a drawn zone; the code of the zone clicked."""
    page.locator(selector).first.wait_for()
    page.locator(selector).first.locator("xpath=ancestor::div[contains(@class,'survey-map')]").scroll_into_view_if_needed()
    page.wait_for_timeout(800)  # let Leaflet finish fitting the map (zoom animation) before aiming
    point = page.evaluate(INSIDE, selector)
    assert point, f"no clickable point inside {selector}"
    page.mouse.click(point[0], point[1])
    return str(point[2])


def _fill(page: Page, lang: str, use_map: bool, server: Server) -> str:
    """Fill the form (a map click or the list for the place question); the home zone by a click on the
    map, checked to be the zone clicked, then (in English) replaced from the list. The zone chosen."""
    page.goto(f"/s/{CODE}?lang={lang}")
    step = page.locator("#survey-step")
    expect(step).to_have_attribute("lang", lang)
    expect(page.locator(".progress-text")).to_contain_text("1")
    page.locator("#q-trygg_dag-6").check()
    page.locator("#q-trivsel-4").check()
    page.locator("#q-forening-1").check()
    page.locator("#q-transport-2").check()
    page.locator("#q-steder-1").check()
    page.locator("#q-steder-2").check()
    page.locator("#q-aar_bodd-input").fill("12")
    page.locator("#q-bra_naa-input").fill(f"<script>alert('{lang}')</script> Parken er fin")
    if use_map:
        _click_zone(page, "#q-favoritt .survey-map path.zone")
        expect(page.locator("#q-favoritt-lon")).not_to_have_value("")
    else:
        page.locator("#q-favoritt-zone").select_option(index=1)
    page.locator("button[value=next]").click()
    expect(page.locator("#survey-step")).to_have_attribute("data-step", "2")
    page.locator("#q-alder-2").check()
    page.locator("#q-kjonn-1").check()
    page.locator("button[value=next]").click()
    expect(page.locator("#survey-step")).to_have_attribute("data-step", "3")
    clicked = _click_zone(page, ".home-map path.zone")  # the point on the map where the resident lives
    expect(page.locator("#home_zone")).to_have_value(clicked)  # the zone clicked, not "outside every zone"
    expect(page.locator("#home-status")).to_have_text(server.delbydeler[clicked])
    expect(page.locator("#home_lon")).not_to_have_value("")
    if not use_map:  # the list (the keyboard way) replaces the map's choice
        page.locator("#home_zone").select_option(index=2)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "sideways scrolling"
    return page.locator("#home_zone").input_value()


def _count(page: Page) -> int:
    return int(page.locator("#survey-counts [data-field=total]").get_attribute("data-value") or "-1")


def test_resident_fills_the_form_in_two_languages_on_a_phone_and_the_count_rises(
    page: Page, server: Server, watch: Watch, browser: Browser, survey: str, artifacts: Path
) -> None:
    admin = browser.new_context(base_url=server.url, locale="nb-NO")
    staff = admin.new_page()
    staff.goto("/login")
    staff.get_by_label("Brukernavn").fill("analytiker")
    staff.get_by_label("Passord").fill(PASSWORD)
    staff.get_by_role("button", name="Logg inn").click()
    staff.wait_for_load_state()
    staff.goto(f"/surveys/{CODE}")
    assert _count(staff) == 0

    page.set_viewport_size(PHONE)
    homes = []
    for n, (lang, use_map) in enumerate((("nb", True), ("en", False)), start=1):
        homes.append(_fill(page, lang, use_map, server))
        page.screenshot(path=str(artifacts / f"survey-phone-{lang}.png"), full_page=True)
        page.locator("button[value=submit]").dblclick()  # a double click still stores one response
        expect(page.locator("h1")).to_contain_text("Takk" if lang == "nb" else "Thank you")
        expect(staff.locator("#survey-counts [data-field=total]")).to_have_attribute("data-value", str(n),
                                                                                      timeout=15_000)
    staff.screenshot(path=str(artifacts / "survey-admin-counts.png"), full_page=True)
    admin.close()

    with server.context() as ctx, ctx.store.read() as conn:
        rows = repo.list_responses(conn, int(survey_row(conn, CODE)["id"]))
    assert [r["language"] for r in rows] == ["nb", "en"]
    assert [r["zone"] for r in rows] == homes  # the clicked zone (bokmål) and the listed one (English) are stored
    answers = [json.loads(r["answers"]) for r in rows]
    assert answers[0]["bra_naa"] == "<script>alert('nb')</script> Parken er fin"  # stored as given
    assert {"lon", "lat"} <= set(answers[0]["favoritt"]) and {"lon", "lat"} <= set(answers[1]["favoritt"])
    assert watch.problems() == []


def test_results_page_draws_the_radar_beside_its_table_on_a_phone(page: Page, login: Any, watch: Watch,
                                                                   artifacts: Path) -> None:
    """The demo's 2024 round: a Vega-Lite radar per area against the city, drawn from the twin under the CSP,
    with the table of the same numbers; the change from 2019; no sideways scrolling on a phone."""
    login("analytiker")
    page.set_viewport_size(PHONE)
    page.goto("/surveys/innbyggere-2024/results")
    radar = page.locator("figure.radar.drawn").first
    radar.wait_for()
    assert radar.locator("svg path").count() > 10  # rings, spokes and the two places' lines
    table = page.locator(".radar-table").first
    themes = table.locator("tbody tr").count()
    assert themes >= 3
    assert radar.locator("svg text", has_text=str(themes)).count() >= 1  # spokes numbered as the table's rows
    expect(page.locator("#change")).to_contain_text("2019")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "sideways scrolling"
    page.screenshot(path=str(artifacts / "survey-results-phone.png"), full_page=True)
    assert watch.problems() == []

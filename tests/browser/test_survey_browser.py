"""The public survey form in a real browser on a phone-sized screen (390 × 844): a resident fills it in
bokmål and then in English (a map click for a place, a zone from the list for another; a map click for the
home zone, which the server turns into a zone), submits, and an analyst watching the survey's admin page
sees the count rise without reloading (htmx polling). No console errors (CSP), nothing fetched from other
hosts, no sideways scrolling; exactly the two responses are stored."""

from __future__ import annotations

import json
from pathlib import Path

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


def _fill(page: Page, lang: str, use_map: bool) -> None:
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
        place = page.locator("#q-favoritt .survey-map path.zone").first
        place.wait_for()
        place.click()
        expect(page.locator("#q-favoritt-lon")).not_to_have_value("")
    else:
        page.locator("#q-favoritt-zone").select_option(index=1)
    page.locator("button[value=next]").click()
    expect(page.locator("#survey-step")).to_have_attribute("data-step", "2")
    page.locator("#q-alder-2").check()
    page.locator("#q-kjonn-1").check()
    page.locator("button[value=next]").click()
    expect(page.locator("#survey-step")).to_have_attribute("data-step", "3")
    zone = page.locator(".home-map path.zone").first
    zone.wait_for()
    zone.click()  # the middle of a zone's outline: the server says which zone the point is in
    expect(page.locator("#home-status")).not_to_be_empty()
    assert page.locator("#home_zone").input_value() != ""
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "sideways scrolling"


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
    for n, (lang, use_map) in enumerate((("nb", True), ("en", False)), start=1):
        _fill(page, lang, use_map)
        page.screenshot(path=str(artifacts / f"survey-phone-{lang}.png"), full_page=True)
        page.locator("button[value=submit]").dblclick()  # a double click still stores one response
        expect(page.locator("h1")).to_contain_text("Takk" if lang == "nb" else "Takk")
        expect(staff.locator("#survey-counts [data-field=total]")).to_have_attribute("data-value", str(n),
                                                                                      timeout=15_000)
    staff.screenshot(path=str(artifacts / "survey-admin-counts.png"), full_page=True)
    admin.close()

    with server.context() as ctx, ctx.store.read() as conn:
        rows = repo.list_responses(conn, int(survey_row(conn, CODE)["id"]))
    assert [r["language"] for r in rows] == ["nb", "en"]
    assert all(r["zone"] for r in rows)  # the map click became a home zone
    answers = [json.loads(r["answers"]) for r in rows]
    assert answers[0]["bra_naa"] == "<script>alert('nb')</script> Parken er fin"  # stored as given
    assert {"lon", "lat"} <= set(answers[0]["favoritt"]) and {"lon", "lat"} <= set(answers[1]["favoritt"])
    assert watch.problems() == []

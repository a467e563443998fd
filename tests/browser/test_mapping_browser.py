"""The children's map and the observer's form in chromium on a phone-sized screen (issue 7).

A child opens a new campaign at Ammerud by typing its code, draws a route by tapping the map three times
and marks a traffic danger, and sends both; the teacher opens the class's map with the teacher code and sees
the route and the place drawn. An observer signs in, starts a session, goes offline, records two slots
(kept on the phone, the status line counting them), comes back online, and finds both slots stored once.
No request leaves the server and the pages raise no console error (a CSP violation is one)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page

from browser.conftest import PASSWORD, Server, Watch, browser_page
from nabolag.domain.mapping import MapCampaign
from nabolag.services import mapping, observation_sessions

PHONE = {"width": 390, "height": 844}
CAMPAIGN = "nettleser-ammerud"
OFFLINE_NOISE = ("ERR_INTERNET_DISCONNECTED", "Failed to fetch")


@pytest.fixture
def phone(browser: Browser, server: Server, watch: Watch) -> Iterator[tuple[BrowserContext, Page]]:
    with browser_page(browser, server, watch, viewport=PHONE, is_mobile=True, has_touch=True,
                      device_scale_factor=2) as both:
        yield both


@pytest.fixture
def campaign(server: Server) -> MapCampaign:
    with server.context() as ctx:
        try:
            return mapping.get_campaign(ctx, CAMPAIGN)
        except Exception:  # noqa: BLE001 - first use in this module's database
            mapping.create_campaign(ctx, MapCampaign(code=CAMPAIGN, title="Skoleveien min", school="Ammerud skole",
                                                     grade_group="5-7", area_code="groruddalen",
                                                     school_zone="0301101001", languages=("nb", "nn", "en")))
            return mapping.open_campaign(ctx, CAMPAIGN)


def no_sideways_scroll(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def tap_map(page: Page, *spots: tuple[float, float]) -> None:
    box = page.locator("[data-kart-map]").bounding_box()
    assert box is not None
    for dx, dy in spots:
        page.mouse.click(box["x"] + box["width"] * dx, box["y"] + box["height"] * dy)


def test_child_draws_a_route_and_a_place_and_the_teacher_sees_them(
        phone: tuple[BrowserContext, Page], server: Server, watch: Watch, campaign: MapCampaign,
        artifacts: Path) -> None:
    _context, page = phone
    page.goto("/kart")
    page.get_by_label("Skriv koden du fikk av læreren").fill(campaign.access_code.lower().replace("-", " "))
    page.get_by_role("button", name="Åpne kartet").click()
    page.wait_for_selector("[data-kart-map][data-ready]")
    assert page.locator("path.zone").count() > 10  # no tile service: the zones are the basemap
    no_sideways_scroll(page)
    page.screenshot(path=str(artifacts / "mapping-child-start.png"), full_page=True)

    page.get_by_role("button", name="Tegn en vei").click()
    tap_map(page, (0.42, 0.42), (0.5, 0.5), (0.56, 0.58))
    assert page.locator("[data-kart-map]").get_attribute("data-points") == "3"
    page.get_by_role("button", name="Angre siste punkt").click()
    assert page.locator("[data-kart-map]").get_attribute("data-points") == "2"
    tap_map(page, (0.56, 0.58))
    page.get_by_role("button", name="Ferdig").click()
    page.get_by_role("button", name="Send").click()  # nothing chosen yet: the form says so, nothing is sent
    assert page.get_by_text("Velg ett svar.").first.is_visible()
    page.get_by_role("radio", name="Til skolen").check()
    page.get_by_role("radio", name="Sykler", exact=True).check()
    page.screenshot(path=str(artifacts / "mapping-child-route.png"), full_page=True)
    page.get_by_role("button", name="Send").click()
    page.wait_for_selector("[data-sent] li >> nth=0")
    assert page.locator("[data-status]").inner_text() == "Takk! Det er lagret."

    page.get_by_role("button", name="Merk et sted").click()
    tap_map(page, (0.47, 0.4))
    page.get_by_role("button", name="Ferdig").click()
    page.get_by_role("radio", name="Farlig trafikk").check()
    page.get_by_label("Vil du skrive noe?").fill("Mye fart <her>")
    page.get_by_label("Hvilket trinn går du på?").select_option("6")
    page.get_by_role("button", name="Send").click()
    page.wait_for_selector("[data-sent] li >> nth=1")
    assert page.locator("[data-sent] li").all_inner_texts() == ["Vei: Sykler, Til skolen", "Sted: Farlig trafikk"]
    assert page.locator("path[data-sent]").count() == 2
    no_sideways_scroll(page)
    page.screenshot(path=str(artifacts / "mapping-child-sent.png"), full_page=True)

    with server.context() as ctx:
        found = [f.as_feature() for f in mapping.list_contributions(ctx, CAMPAIGN)]
    routes = [f for f in found if f["properties"]["kind"] == "route"]
    places = [f for f in found if f["properties"]["kind"] == "place"]
    assert len(routes) == 1 and len(routes[0]["geometry"]["coordinates"]) == 3
    assert routes[0]["properties"]["mode"] == "bike" and routes[0]["properties"]["purpose"] == "school"
    assert len(places) == 1 and places[0]["properties"]["category"] == "traffic"
    assert places[0]["properties"]["comment"] == "Mye fart <her>" and places[0]["properties"]["grade"] == 6

    # the teacher: no account, the teacher code on the same start page
    page.goto("/kart")
    page.get_by_text("Er du lærer? Skriv lærerkoden").first.click()
    page.locator("#laererkode").fill(campaign.teacher_code)
    page.get_by_role("button", name="Se klassens kart").click()
    page.wait_for_selector("[data-campaign-map][data-contributions='2']")
    assert urlsplit(page.url).path == f"/mapping/{CAMPAIGN}"
    assert page.locator("[data-campaign-map] path[data-kind=route]").count() == 1
    assert page.locator("[data-campaign-map] path[data-kind=place]").count() == 1
    assert page.locator("[data-campaign-map] path.mode-bike").count() == 1
    assert page.locator("[data-campaign-map] path.cat-traffic").count() == 1
    assert "Mye fart <her>" in page.locator("table[data-contributions]").inner_text()
    page.screenshot(path=str(artifacts / "mapping-teacher.png"), full_page=True)
    assert watch.problems() == []


def test_observer_form_survives_going_offline(phone: tuple[BrowserContext, Page], server: Server,
                                              watch: Watch, artifacts: Path) -> None:
    context, page = phone
    page.goto("/login?next=/observe/ammerudgymmen")
    page.get_by_label("Brukernavn").fill("koordinator")
    page.get_by_label("Passord").fill(PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_selector("[data-observe][data-ready]")
    with server.context() as ctx:
        before = {s.uid for s in observation_sessions.list_sessions(ctx, site="ammerudgymmen")}
    page.get_by_label("Start (første luke)").fill("12:00")
    page.get_by_label("Vær").select_option("cloudy")
    page.get_by_role("button", name="Start økten").click()

    context.set_offline(True)
    page.get_by_role("radio", name="oppholder seg").check()
    page.get_by_role("radio", name="15-24").check()
    page.get_by_role("radio", name="kvinne/jente").check()
    page.get_by_role("radio", name="trener").check()
    page.get_by_role("button", name="+1 person").click()
    page.get_by_role("button", name="+1 person").click()
    assert page.locator("[data-tally] li").all_inner_texts()[0].startswith("2 ×")
    page.get_by_role("button", name="Lagre luken og start neste").click()
    page.get_by_role("radio", name="beveger seg").check()
    page.get_by_role("radio", name="går", exact=True).check()
    page.get_by_role("button", name="+1 person").click()
    page.get_by_role("button", name="Lagre luken og start neste").click()
    page.wait_for_selector("[data-observe][data-waiting='2']")
    assert "2 luker venter på å bli sendt" in page.locator("[data-queue]").inner_text()
    assert page.locator("[data-slot-time]").inner_text() == "12:20"
    no_sideways_scroll(page)
    page.screenshot(path=str(artifacts / "mapping-observer-offline.png"), full_page=True)
    with server.context() as ctx:
        assert {s.uid for s in observation_sessions.list_sessions(ctx, site="ammerudgymmen")} == before

    context.set_offline(False)
    page.wait_for_selector("[data-observe][data-waiting='0']")
    assert page.locator("[data-queue]").inner_text().startswith("Alle luker er sendt")
    page.reload()  # nothing left to send, and the open slot survives a reload
    page.wait_for_selector("[data-observe][data-ready][data-waiting='0']")
    assert page.locator("[data-slot-time]").inner_text() == "12:20"
    page.screenshot(path=str(artifacts / "mapping-observer-online.png"), full_page=True)
    with server.context() as ctx:
        new = [s for s in observation_sessions.list_sessions(ctx, site="ammerudgymmen") if s.uid not in before]
    assert len(new) == 1
    s = new[0]
    assert list(s.slots) == ["12:00", "12:10"] and s.weather == "cloudy" and s.observer == "koordinator"
    first, second = s.slots["12:00"], s.slots["12:10"]
    assert [(c.movement, c.age_band, c.gender, c.activity, c.count) for c in first] == [
        ("staying", "15-24", "female", "physical_activity", 2)]
    assert [(c.movement, c.activity, c.count) for c in second] == [("moving", "walking", 1)] and s.total == 3
    assert [p for p in watch.problems() if not any(n in p for n in OFFLINE_NOISE)] == []

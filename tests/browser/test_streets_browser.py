"""Streets as drawn data in a real browser, on the Helsinki extract with no tile service (the offline
basemap): the child's map and the public aggregated map draw the walking network's streets under the
zones, in their own pane, and a tap still lands on the child's map; the access map draws the streets coloured by walking distance, and the dots on
request. No console errors, no request to another host."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import shapely
from playwright.sync_api import Page, expect

from browser.conftest import Server, Watch, add_accounts, server_fixture
from nabolag.domain.mapping import MapCampaign
from nabolag.services import Context, mapping, zones
from nabolag.services.access_demo import build_helsinki_demo
from nabolag.services.views_mapping import url_code

pytestmark = pytest.mark.xdist_group("browser")
SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data"
BOX = (24.940, 60.166, 24.947, 60.170)


def _helsinki_with_a_campaign(ctx: Context) -> dict[str, str]:
    build_helsinki_demo(ctx, SHARED / "helsinki")
    add_accounts(ctx, ("hel-nord",))
    mapping.create_campaign(ctx, MapCampaign(code="hel-skole", title="Skoleveien", school="Testskolen",
                                             grade_group="5-7", area_code="hel-nord",
                                             bounds=shapely.to_wkb(shapely.box(*BOX))))
    mapping.open_campaign(ctx, "hel-skole")
    return {z.code: z.name for z in zones.list_zones(ctx, level="grunnkrets")}


server = server_fixture(_helsinki_with_a_campaign, template="migrated")


def _child_code(server: Server) -> str:
    with server.context() as ctx:
        return url_code(mapping.get_campaign(ctx, "hel-skole").access_code)


def test_the_childs_map_draws_the_streets_under_the_zones(page: Page, server: Server, watch: Watch,
                                                          artifacts: Path) -> None:
    page.goto(f"/kart/{_child_code(server)}")
    el = page.locator("#kart-map")
    expect(el).to_have_attribute("data-ready", "1")
    expect(el).to_have_attribute("data-streets", re.compile(r"^[1-9]\d+$"))
    assert "plain" in (el.get_attribute("class") or "") and "with-streets" in (el.get_attribute("class") or "")
    street = page.locator(".leaflet-streets-pane path.street")
    expect(street).to_have_count(1)  # every street in one path
    assert (street.get_attribute("d") or "").count("M") > 100
    assert page.locator(".leaflet-overlay-pane path.zone").count() > 0
    panes = page.evaluate("""() => ['.leaflet-streets-pane', '.leaflet-overlay-pane'].map(
        s => Number(getComputedStyle(document.querySelector(s)).zIndex))""")
    assert panes[0] < panes[1]  # under the zones
    assert "OpenStreetMap" in page.locator(".leaflet-control-attribution").inner_text()
    page.get_by_role("button", name="Tegn en vei").click()
    box = el.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)  # on a street or not: the map
    expect(el).to_have_attribute("data-points", "1")
    page.screenshot(path=str(artifacts / "kart-streets-offline.png"), full_page=True)
    page.goto("/mapping/hel-skole/public")  # the public aggregated map has the same basemap
    public = page.locator("[data-public-map]")
    expect(public).to_have_attribute("data-streets", re.compile(r"^[1-9]\d+$"))
    expect(public.locator(".leaflet-streets-pane path.street")).to_have_count(1)
    assert watch.problems() == []


def test_the_access_map_colours_the_streets_by_distance(page: Page, server: Server, watch: Watch,
                                                       artifacts: Path) -> None:
    page.goto("/access?kind=library")
    el = page.locator("#access-map")
    expect(el).to_have_attribute("data-ready", "1")
    assert int(el.get_attribute("data-edges") or 0) > 1000 and el.get_attribute("data-dots") == "0"
    assert page.locator("path.access-edge").count() >= 3  # one path per distance class
    assert page.locator("path.access-edge.ad0").count() == 1
    page.screenshot(path=str(artifacts / "access-streets.png"), full_page=True)
    page.get_by_label("gangnettet (hvert punkt er en del av nettet)").check()
    expect(page.locator("path.access-edge")).to_have_count(0)
    expect(el).not_to_have_attribute("data-dots", "0")
    assert page.locator("path.access-dot").count() == int(el.get_attribute("data-dots") or 0) > 50
    assert watch.problems() == []

"""Walking access in a real browser, on the Helsinki extract (its own server: the shared fixture builds the
Oslo demo, which has no network): the distance map draws its dots and facilities under the CSP; the analyst
draws a new path segment with leaflet-geoman (mouse clicks on the map), computes the scenario and sees the
change per zone in the table. No console errors, no request to another host."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
import shapely
from playwright.sync_api import Page, expect

from browser.conftest import Server, Watch, add_accounts, server_fixture
from nabolag.services import Context, zones
from nabolag.services.access_demo import build_helsinki_demo
from nabolag.store import access as repo

pytestmark = pytest.mark.xdist_group("browser")
SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data"
#: Two network points a straight path between which shortens walks to a community centre (see the web tests).
START, END = (24.94388, 60.17203), (24.93874, 60.16987)


def _helsinki(ctx: Context) -> dict[str, str]:
    """The Helsinki walking-access demo with the test accounts; its grunnkretser by code."""
    build_helsinki_demo(ctx, SHARED / "helsinki")
    add_accounts(ctx, ("hel-nord",))
    return {z.code: z.name for z in zones.list_zones(ctx, level="grunnkrets")}


server = server_fixture(_helsinki, template="migrated")


def test_the_distance_map_draws_under_the_csp(page: Page, server: Server, watch: Watch, artifacts: Path) -> None:
    page.goto("/access?kind=library")
    el = page.locator("#access-map")
    expect(el).to_have_attribute("data-ready", "1")
    expect(el).to_have_attribute("data-facilities-drawn", "7")
    # streets coloured by distance are the default layer; the network's points are one click away
    expect(el).to_have_attribute("data-edges", re.compile(r"^[1-9][0-9]{2,}$"))
    assert page.locator("#access-map path.access-edge").count() >= 1
    page.get_by_label("gangnettet (hvert punkt er en del av nettet)").check()
    expect(page.locator("path.access-dot").first).to_be_visible()
    assert int(el.get_attribute("data-dots") or 0) > 50
    assert page.locator("path.access-dot").count() == int(el.get_attribute("data-dots") or 0)
    assert page.locator("#access-map path.zone").count() == len(server.delbydeler)
    nodes = int(el.get_attribute("data-dots") or 0)
    page.get_by_label("der folk bor (befolkningsruter)").check()
    expect(page.locator("path.access-dot")).not_to_have_count(nodes)
    # back to the streets: the layer's address is not the count the map wrote (review fix)
    page.get_by_label("gatene (farget etter gangavstand)").check()
    expect(page.locator("#access-map path.access-edge").first).to_be_visible()
    expect(el).to_have_attribute("data-edges", re.compile(r"^[1-9][0-9]{2,}$"))
    assert el.get_attribute("data-error") is None
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(artifacts / "access-map-phone.png"), full_page=True)
    assert watch.problems() == []


def test_analyst_draws_a_path_computes_and_sees_the_change(
        page: Page, server: Server, watch: Watch, login: Callable[[str], None], artifacts: Path) -> None:
    login("analytiker")
    page.goto("/access/scenarios")
    editor = page.locator("[data-scenario-map]")
    expect(editor).to_have_attribute("data-editor", "ready")
    page.get_by_label("Kode").fill("snarvei")
    page.get_by_label("Navn", exact=True).fill("Snarvei over kvartalet")
    editor.scroll_into_view_if_needed()
    page.wait_for_timeout(300)  # the map settles after fitting the network
    page.locator(".leaflet-pm-icon-polyline").click()
    box = editor.bounding_box()
    assert box is not None
    points = [page.evaluate("([lat, lon]) => { const p = window.nabolag.scenarioMap.latLngToContainerPoint([lat, lon]);"
                            " return [p.x, p.y]; }", [lat, lon]) for lon, lat in (START, END)]
    clicks = [(box["x"] + x, box["y"] + y) for x, y in points]
    for x, y in [*clicks, clicks[-1]]:  # a click on the last point again finishes the line
        page.mouse.move(x, y, steps=4)
        page.mouse.click(x, y)
    expect(editor).to_have_attribute("data-drawn", "LineString")
    expect(page.locator("[data-map-status]")).to_contain_text("sti")
    drawn = json.loads(page.locator("input[name=geometry]").input_value())
    assert drawn["type"] == "LineString" and len(drawn["coordinates"]) == 2
    assert shapely.geometry.shape(drawn).distance(shapely.LineString([START, END])) < 2e-4
    assert page.locator("input[name=object][value=path]").is_checked()
    page.screenshot(path=str(artifacts / "access-scenario-draw.png"), full_page=True)
    page.get_by_role("button", name="Lagre scenarioet").click()

    page.wait_for_url("**/access/scenarios/snarvei")
    table = page.locator("table.scenario-change")
    expect(table).to_be_visible()
    row = table.locator('tr[data-code="hel-a2"]')
    expect(row).to_have_class("improved")
    change = float(row.locator('td[data-field="mean_m_change"]').get_attribute("data-value") or 0)
    assert change < -20
    expect(page.locator("#access-map")).to_have_attribute("data-ready", "1")
    assert int(page.locator("#access-map").get_attribute("data-improved") or 0) > 0
    with Context.open(server.database_url, actor="test", create=False) as ctx, ctx.store.read() as conn:
        info, net, _ll = repo.load_network(conn)
        assert repo.scenario_paths(conn, repo.scenario_id(conn, "snarvei"))  # stored in the scenario only
    assert net.n_nodes == info.nodes and len(net.u) == info.edges  # the real network has no new node or edge
    page.screenshot(path=str(artifacts / "access-scenario-result.png"), full_page=True)
    assert watch.problems() == []

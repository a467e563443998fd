"""Accounts and the import page in a real browser: a viewer cannot reach an edit form; an analyst uploads a
broken file and sees the error named by file, row and field, then uploads a good one and confirms it."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from browser.conftest import Server, Watch
from nabolag.services import observations

pytestmark = pytest.mark.xdist_group("browser")

BROKEN = b"zone,indicator,period,value\n0301101001,lavinntekt,2030,12.5\n0301101002,lavinntekt,2030,tolv\n"
GOOD = b"zone,indicator,period,value\n0301101001,lavinntekt,2030,12.5\n0301101002,lavinntekt,2030,9.75\n"


def _upload(page: Page, name: str, data: bytes) -> None:
    page.goto("/import")
    page.get_by_label("Statistikk (CSV, Excel, JSON-stat)").check()
    page.get_by_label("Fil", exact=True).set_input_files({"name": name, "mimeType": "text/csv", "buffer": data})
    page.get_by_role("button", name="Last opp og kontroller").click()
    page.wait_for_url("**/import/*")


def _stored_2030(server: Server) -> list[float]:
    with server.context() as ctx:
        return sorted(observations.query(ctx, indicators=["lavinntekt"], periods=["2030"])["value"].tolist())


def test_viewer_cannot_reach_an_edit_form(page: Page, login: Callable[[str], None]) -> None:
    login("leser")
    response = page.goto("/import")
    assert response is not None and response.status == 403
    assert page.locator("input[type=file]").count() == 0
    assert page.locator("form[action='/import']").count() == 0
    expect(page.locator("main")).to_contain_text("Ingen tilgang")


def test_visitor_is_asked_to_sign_in(page: Page) -> None:
    page.goto("/import")
    page.wait_for_url("**/login?next=%2Fimport")
    expect(page.get_by_label("Brukernavn")).to_be_visible()


def test_analyst_sees_the_error_of_a_broken_file_then_imports_a_good_one(
        page: Page, server: Server, watch: Watch, login: Callable[[str], None]) -> None:
    login("analytiker")
    _upload(page, "ødelagt.csv", BROKEN)
    expect(page.get_by_role("status")).to_contain_text("1 feil")
    error_row = page.locator(".problems tbody tr.error")
    expect(error_row).to_have_count(1)
    cells = error_row.locator("td")
    expect(cells.nth(1)).to_have_text("ødelagt.csv")
    expect(cells.nth(2)).to_have_text("3")
    expect(cells.nth(3)).to_have_text("value")
    expect(cells.nth(6)).to_have_text("tolv")
    expect(page.get_by_role("button", name="Bekreft og lagre")).to_have_count(0)
    assert _stored_2030(server) == []  # nothing written
    page.get_by_role("button", name="Forkast").click()
    page.wait_for_url("**/import")

    _upload(page, "lavinntekt_2030.csv", GOOD)
    expect(page.get_by_role("status")).to_contain_text("uten feil")
    expect(page.locator("dd[data-key=observations]")).to_have_text("2")
    assert _stored_2030(server) == []  # checked, still nothing written
    page.get_by_role("button", name="Bekreft og lagre").click()
    expect(page.get_by_role("status")).to_contain_text("Importen er lagret")
    assert _stored_2030(server) == [9.75, 12.5]
    assert not watch.problems(), watch.problems()

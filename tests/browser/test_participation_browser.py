"""The participation log in a real browser: the coordinator answers an input through the htmx form (no
page load), the answer appears on the public «Dere sa, vi gjorde» page for a visitor who is not signed in,
and a viewer sees the log without edit controls. No console errors (a CSP violation is one), nothing
fetched from other hosts."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Callable

import pytest
from playwright.sync_api import Browser, Page, expect

from browser.conftest import Server, Watch

pytestmark = pytest.mark.xdist_group("browser")

AREA = "groruddalen"
ANSWER = "Fartsdumper kommer ved skolen før sommeren (svar fra nettlesertesten)."


def _public(server: Server) -> dict:
    with urllib.request.urlopen(f"{server.url}/areas/{AREA}/you-said-we-did.json", timeout=10) as r:
        return json.load(r)


def _unanswered(server: Server) -> str:
    return next(i["code"] for i in _public(server)["items"] if not i["answer"])


def test_coordinator_answers_with_htmx_and_the_public_page_shows_it(
    page: Page, server: Server, watch: Watch, login: Callable[[str], None], browser: Browser
) -> None:
    code = _unanswered(server)
    login("koordinator")
    page.goto(f"/areas/{AREA}/participation")
    article = page.locator(f"#input-{code}")
    article.locator("summary").click()
    form = article.locator("form.answer-form")
    form.get_by_label("Status").select_option("adopted")
    form.get_by_label("Kommunens svar").fill(ANSWER)
    page.evaluate("window.nabolagMarker = 'same page'")  # gone if the browser loads a new page
    form.get_by_role("button", name="Lagre svaret").click()
    expect(page.locator("#participation-log .status-message")).to_contain_text(code)
    expect(page.locator(f"#input-{code} .answer")).to_contain_text(ANSWER)
    expect(page.locator(f"#input-{code} [data-field=status]")).to_have_text("tatt med")
    assert page.evaluate("window.nabolagMarker") == "same page"  # htmx swapped the log; no new page
    focused = page.evaluate("document.activeElement && document.activeElement.className")
    assert "status-message" in focused  # focus moved to the message for keyboard and screen-reader users

    # the same form with a bad answer date: the error shows beside the field, nothing is saved
    article = page.locator(f"#input-{code}")
    article.locator("summary").click()
    form = article.locator("form.answer-form")
    form.get_by_label("Svardato").fill("1999-01-01")
    form.get_by_role("button", name="Lagre svaret").click()
    expect(page.locator(f"#answer-{code}-answered-error")).to_contain_text("før innspillet kom inn")
    expect(page.locator(f"#answer-{code}-errors")).to_be_focused()

    visitor = browser.new_context(base_url=server.url, locale="nb-NO", viewport={"width": 390, "height": 844})
    try:
        phone = visitor.new_page()
        phone.goto(f"/areas/{AREA}/you-said-we-did")
        item = phone.locator(f'[data-input="{code}"]')
        expect(item).to_contain_text(ANSWER)
        expect(item.locator("[data-field=status]")).to_have_text("tatt med")
        expect(phone.locator("h1")).to_contain_text("Dere sa, vi gjorde")
        assert phone.locator("form[method=post]").count() == 0  # a visitor gets no forms at all
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"the public page scrolls sideways on a phone ({width} px)"
    finally:
        visitor.close()
    expected = "the server responded with a status of 422"  # chromium logs the refused answer it was sent
    assert [p for p in watch.problems() if expected not in p] == [], watch.problems()
    assert len(watch.problems()) == 1


def test_viewer_sees_no_edit_controls(page: Page, watch: Watch, login: Callable[[str], None]) -> None:
    login("leser")
    page.goto(f"/areas/{AREA}/participation")
    expect(page.locator("h1")).to_contain_text("Medvirkning i Groruddalen")
    expect(page.locator("article.input").first).to_be_visible()
    assert page.locator("#participation-log form").count() == 0
    assert page.locator("#participation-log details.edit-form").count() == 0
    expect(page.get_by_text("Du kan lese medvirkningsloggen, men ikke endre den.")).to_be_visible()
    assert not watch.problems(), watch.problems()

"""Browser tests: a real uvicorn server on a free port against a fresh copy of the Oslo demo, driven by
Playwright (sync API) with Debian's chromium (``/usr/bin/chromium``, headless; `make test` installs it).

Each test module gets its own server and database (so an import in one module cannot change what
another sees): :func:`server_fixture` makes that module fixture from a database template and a function
that fills it. Each test gets its own browser context (cookies, language) from :func:`browser_page`.
Requests that would leave the server are blocked and recorded, and so are console errors (a
Content-Security-Policy violation is one): :meth:`Watch.problems` lists both.

Accounts: ``analytiker`` (analyst), ``leser`` (viewer), ``sjef`` (admin) and ``koordinator`` (coordinator
for the demo area ``groruddalen``), all with :data:`PASSWORD`.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, Route, sync_playwright

from db_support import Templates
from nabolag.services import Context, users, zones

CHROMIUM = "/usr/bin/chromium"
PASSWORD = "nabolag-test-passord"
ACCOUNTS = {"analytiker": "analyst", "leser": "viewer", "sjef": "admin", "koordinator": "coordinator"}
COORDINATOR_AREAS = ("groruddalen",)
STARTUP_SECONDS = 60


@dataclass
class Server:
    """A running ``nabolag serve`` and what the tests need to know about its database."""

    url: str
    database_url: str
    delbydeler: dict[str, str]  # code → name, read from the database, not from the page
    log: Path

    def context(self) -> Context:
        return Context.open(self.database_url, actor="test", create=False)


@dataclass
class Watch:
    """What a page did that it should not: requests to other hosts, console errors."""

    outside: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        return [f"outside request: {u}" for u in self.outside] + [f"console: {m}" for m in self.console]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_until_up(url: str, proc: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.time() + STARTUP_SECONDS
    while time.time() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"nabolag serve stopped (exit {proc.returncode}):\n{log.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"nabolag serve did not answer within {STARTUP_SECONDS} s:\n{log.read_text(errors='replace')}")


Fill = Callable[[Context], dict[str, str]]
"""Fills a server's database (already holding a copy of a conftest template) and returns its zones'
codes and names (:attr:`Server.delbydeler`)."""


def add_accounts(ctx: Context, coordinator_areas: tuple[str, ...] = COORDINATOR_AREAS) -> None:
    for username, role in ACCOUNTS.items():
        users.add_user(ctx, username, role, PASSWORD, areas=coordinator_areas if role == "coordinator" else ())


def _oslo_accounts(ctx: Context) -> dict[str, str]:
    add_accounts(ctx)
    return {z.code: z.name for z in zones.list_zones(ctx, level="delbydel")}


def server_fixture(fill: Fill, template: str = "demo") -> Callable[..., Iterator[Server]]:
    """A module fixture ``server``: a copy of conftest's ``template`` database in a new SQLite file, filled by
    ``fill`` and served by ``nabolag serve``. Define ``server = server_fixture(...)`` in a test module for a
    database of its own."""

    @pytest.fixture(scope="module")
    def server(tmp_path_factory: pytest.TempPathFactory, templates: Templates) -> Iterator[Server]:
        tmp = tmp_path_factory.mktemp("browser")
        database_url = templates.copy(template, f"sqlite:///{tmp / 'demo.sqlite'}")
        with Context.open(database_url, actor="test") as ctx:
            names = fill(ctx)
        port = _free_port()
        log = tmp / "server.log"
        (tmp / "tmp").mkdir()
        env = {**os.environ, "TMPDIR": str(tmp / "tmp"), "NABOLAG_LANG": "nb"}  # staging goes under TMPDIR
        with log.open("wb") as out:
            proc = subprocess.Popen([sys.executable, "-m", "nabolag.cli", "--database", database_url, "serve",
                                     "--host", "127.0.0.1", "--port", str(port)], stdout=out,
                                    stderr=subprocess.STDOUT, env=env)
        url = f"http://127.0.0.1:{port}"
        try:
            _wait_until_up(url, proc, log)
            yield Server(url=url, database_url=database_url, delbydeler=names, log=log)
        finally:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()

    return server


server = server_fixture(_oslo_accounts)
"""The Oslo demo (conftest's template, built once per worker) with the test accounts, one per module."""


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs it (apt-get install chromium)")
    b = playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
    yield b
    b.close()


@pytest.fixture
def watch() -> Watch:
    return Watch()


@contextmanager
def browser_page(browser: Browser, server: Server, watch: Watch,
                 **options: Any) -> Iterator[tuple[BrowserContext, Page]]:
    """A fresh browser context (no cookies; ``options`` as for ``Browser.new_context``) with a page on the
    server; requests to other hosts are blocked and recorded in ``watch``, and so are console errors."""
    context = browser.new_context(base_url=server.url, locale="nb-NO", **options)
    context.set_default_timeout(15_000)
    own = urlsplit(server.url).netloc

    def route(r: Route) -> None:
        if urlsplit(r.request.url).netloc == own or r.request.url.startswith(("data:", "blob:")):
            r.continue_()
        else:
            watch.outside.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    p = context.new_page()
    p.on("console", lambda m: watch.console.append(m.text) if m.type == "error" else None)
    p.on("pageerror", lambda e: watch.console.append(str(e)))
    try:
        yield context, p
    finally:
        context.close()


@pytest.fixture
def page(browser: Browser, server: Server, watch: Watch) -> Iterator[Page]:
    """A desktop-sized page in a fresh browser context (see :func:`browser_page`)."""
    with browser_page(browser, server, watch, viewport={"width": 1280, "height": 900}) as (_context, p):
        yield p


@pytest.fixture
def login(page: Page) -> Callable[[str], None]:
    """Sign in through the login form as one of :data:`ACCOUNTS`."""

    def sign_in(username: str) -> None:
        page.goto("/login")
        page.get_by_label("Brukernavn").fill(username)
        page.get_by_label("Passord").fill(PASSWORD)
        page.get_by_role("button", name="Logg inn").click()
        page.wait_for_load_state()
        assert "/login" not in page.url, f"sign-in as {username} failed: {page.url}"

    return sign_in

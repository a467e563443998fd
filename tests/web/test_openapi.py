"""Schemathesis against the app's own /openapi.json: generated requests find no server error.

In-process (ASGI) against the Oslo demo, bounded to a few examples per operation so the whole run stays
well under a minute. Once as a visitor, once signed in as an admin with the session's CSRF token, so the
forms and uploads are exercised past the sign-in and CSRF checks. The schema is read from ``create_app(...).openapi()`` at collection (that opens no
database); the requests go to an app on a demo database built once for this module.
``schemathesis.pytest.from_fixture`` would be the natural loader, but schemathesis 4.32 sets
``Function._nodeid``, which pytest 9 no longer has.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from nabolag.services import Context, users
from nabolag.settings import Settings
from nabolag.web.app import create_app

EXAMPLES = 15
PASSWORD = "schemathesis-passord"

SCHEMA = schemathesis.openapi.from_dict(create_app(Settings()).openapi())


@dataclass
class Demo:
    app: FastAPI
    cookies: dict[str, str]  # an admin's session
    csrf_token: str


@pytest.fixture(scope="module")
def demo(module_demo_ctx: Context, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    """The app on the module's copy of the demo (a schema of the test database on PostgreSQL)."""
    users.add_user(module_demo_ctx, "sjef", "admin", PASSWORD)
    app = create_app(module_demo_ctx.settings)
    app.state.staging_dir = tmp_path_factory.mktemp("openapi") / "staging"
    with TestClient(app) as client:  # sign in once; the signed cookie stays valid for the run
        token = client.get("/login.json").json()["csrf_token"]
        client.post("/login", data={"username": "sjef", "password": PASSWORD, "csrf_token": token})
        signed_in = client.get("/login.json").json()
        assert signed_in["signed_in"]
        cookies = dict(client.cookies.items())
    yield Demo(app, cookies, signed_in["csrf_token"])


@SCHEMA.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
def test_no_server_error_for_a_visitor(case: schemathesis.Case, demo: Demo) -> None:
    case.call_and_validate(app=demo.app, base_url="http://testserver", checks=[not_a_server_error])


@SCHEMA.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
def test_no_server_error_for_an_admin(case: schemathesis.Case, demo: Demo) -> None:
    case.call_and_validate(app=demo.app, base_url="http://testserver", headers={"x-csrf-token": demo.csrf_token},
                           cookies=demo.cookies, checks=[not_a_server_error])

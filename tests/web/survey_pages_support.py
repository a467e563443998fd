"""Set-up for the survey page tests: the real Groruddalen delbydeler (with outlines), the small
questionnaire of ``test_survey_support`` as an open survey of the area, accounts, and helpers that read
what was stored straight from the database."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from nabolag.services import Context, users
from nabolag.services.survey import create_survey, open_survey
from nabolag.services.survey_base import survey_row
from nabolag.store import survey as repo
from nabolag.web.app import create_app
from services.test_programme_support import AREA, OTHER, setup
from test_survey_support import small

PASSWORD = "et-langt-testpassord"
CODE = "kort-2024"
FORM = f"/s/{CODE}"


@pytest.fixture
def client(ctx: Context, shared: Path) -> Iterator[TestClient]:
    setup(ctx, shared)
    create_survey(ctx, small(), code=CODE, area=AREA, period="2024")
    open_survey(ctx, CODE)
    for name, role, areas in (("koord", "coordinator", (AREA,)), ("annen", "coordinator", (OTHER,)),
                              ("leser", "viewer", ()), ("analytiker", "analyst", ()), ("sjef", "admin", ())):
        users.add_user(ctx, name, role, PASSWORD, areas=areas)
    with TestClient(create_app(ctx.settings), headers={"accept": "text/html"}) as c:
        yield c


def login(client: TestClient, username: str) -> str:
    token = client.get("/login.json").json()["csrf_token"]
    r = client.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": token},
                    follow_redirects=False)
    assert r.status_code == 303, r.text
    return str(client.get("/login.json").json()["csrf_token"])


def stored(ctx: Context, code: str = CODE) -> list[dict[str, Any]]:
    with ctx.store.read() as conn:
        rows = repo.list_responses(conn, int(survey_row(conn, code)["id"]))
    return [{**r, "answers": json.loads(r["answers"])} for r in rows]


def form_token(html: str) -> str:
    m = re.search(r'name="token" value="([A-Za-z0-9_-]+)"', html)
    assert m, "the form carries no submission token"
    return m.group(1)


def first_page(client: TestClient, lang: str = "nb") -> tuple[str, str]:
    r = client.get(FORM, params={"lang": lang})
    assert r.status_code == 200, r.text
    return r.text, form_token(r.text)


FIRST = {"q.trygg_dag": "6", "q.trivsel": "4", "q.forening": "yes", "q.transport": "buss",
         "q.steder": ["parken", "bibliotek"], "q.aar_bodd": "12", "q.bra_naa": "<script>alert(1)</script> Parken!",
         "q.favoritt.zone": "0301101001"}
LAST = {"q.alder": "35-66", "q.kjonn": "female"}


def complete(token: str, **extra: Any) -> dict[str, Any]:
    """Every answer and the final submit, as a browser sends it from the last page."""
    return {**FIRST, **LAST, "token": token, "lang": "nb", "step": "2", "action": "submit",
            "home_zone": "0301101001", **extra}

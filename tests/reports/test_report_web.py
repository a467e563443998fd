"""Reports on the area page: everyone sees and downloads stored reports (byte for byte); only signed-in
staff make one now (web page or PDF); saving needs a writing role and the CSRF token; unknown areas 404."""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader

from nabolag.reports import store
from nabolag.services import Context, users
from nabolag.web.app import create_app
from nabolag.web.reports import REPORT_CSP

PASSWORD = "et-langt-testpassord"
JSON = {"accept": "application/json"}
AREA = "/areas/groruddalen"


@pytest.fixture
def client(demo_ctx: Context) -> Iterator[TestClient]:
    for name, role, areas in (("anna", "analyst", ()), ("vera", "viewer", ()), ("gro", "coordinator", ("groruddalen",))):
        users.add_user(demo_ctx, name, role, PASSWORD, areas=areas)
    with TestClient(create_app(demo_ctx.settings), headers={"accept": "text/html"}) as c:
        yield c


def token(client: TestClient) -> str:
    return str(client.get("/login.json").json()["csrf_token"])


def login(client: TestClient, username: str) -> str:
    r = client.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": token(client)},
                    follow_redirects=False)
    assert r.status_code == 303, r.text
    return token(client)


def pdf_text(pdf: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_public_sees_stored_reports_but_cannot_make_them(client: TestClient, demo_ctx: Context) -> None:
    saved = store.save_report(demo_ctx, "groruddalen", kind="baseline", content=b"%PDF-1.7\n\x00\xff ferdig")
    page = client.get(AREA).text
    section = page[page.index('id="reports"'):page.index("</section>", page.index('id="reports"'))]
    assert f'href="{AREA}/reports/{saved.id}"' in section and "syntetiske data" in section
    assert "Lagre rapport" not in section and "report.pdf" not in section and "test)" not in section
    listing = client.get(f"{AREA}/reports.json").json()["reports"]
    assert [r["id"] for r in listing] == [saved.id] and "actor" not in listing[0] and listing[0]["synthetic"]
    r = client.get(f"{AREA}/reports/{saved.id}")
    assert r.status_code == 200 and r.content == b"%PDF-1.7\n\x00\xff ferdig"
    assert r.headers["content-type"] == "application/pdf"
    assert r.headers["content-disposition"] == f'attachment; filename="{saved.file_name}"'
    for path in ("/report.pdf?kind=baseline", "/report.html"):
        r = client.get(AREA + path, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].startswith("/login?next=")
        assert client.get(AREA + path, headers=JSON).status_code == 401
    r = client.post(f"{AREA}/reports", data={"kind": "baseline", "csrf_token": token(client)}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login")
    assert [x.id for x in store.list_reports(demo_ctx, "groruddalen")] == [saved.id]


def test_staff_view_download_and_save(client: TestClient, demo_ctx: Context) -> None:
    csrf = login(client, "anna")
    page = client.get(AREA).text
    assert "Vis som nettside" in page and "Lagre rapport" in page and 'name="csrf_token"' in page
    r = client.get(f"{AREA}/report.html", params={"kind": "baseline", "language": "nb"})
    assert r.status_code == 200 and r.headers["content-type"] == "text/html; charset=utf-8"
    assert r.headers["content-security-policy"] == REPORT_CSP and '<html lang="nb">' in r.text
    assert "<title>Nullpunktsanalyse: Groruddalen</title>" in r.text and "SYNTETISKE DATA" in r.text
    r = client.get(f"{AREA}/report.pdf", params={"kind": "follow-up"})
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf" and r.content[:5] == b"%PDF-"
    assert r.headers["content-disposition"] == 'attachment; filename="groruddalen-follow-up-nb.pdf"'
    assert "Oppfølgingsrapport: Groruddalen" in pdf_text(r.content)

    r = client.post(f"{AREA}/reports", data={"kind": "baseline", "language": "nb", "csrf_token": csrf},
                    follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"{AREA}#reports"
    [saved] = store.list_reports(demo_ctx, "groruddalen")
    assert (saved.kind, saved.language, saved.actor, saved.synthetic) == ("baseline", "nb", "anna", True)
    assert saved.baseline_label == "Nullpunkt 2018" and saved.title == "Nullpunktsanalyse: Groruddalen"
    download = client.get(f"{AREA}/reports/{saved.id}")
    assert download.content == store.get_report(demo_ctx, "groruddalen", saved.id).content  # byte for byte
    assert hashlib.sha256(download.content).hexdigest() == saved.sha256 and len(download.content) == saved.size
    assert "Nullpunktsanalyse: Groruddalen" in pdf_text(download.content)
    listed = client.get(f"{AREA}/reports.json").json()["reports"]
    assert listed[0]["actor"] == "anna"  # staff see who made it
    assert re.search(rf'href="{AREA}/reports/{saved.id}"[^>]*>Nullpunktsanalyse: Groruddalen<', client.get(AREA).text)


def test_csrf_and_roles(client: TestClient, demo_ctx: Context) -> None:
    login(client, "anna")
    r = client.post(f"{AREA}/reports", data={"kind": "baseline"}, follow_redirects=False)
    assert r.status_code == 403
    assert client.get(f"{AREA}/report.pdf", params={"kind": "annual"}, headers=JSON).status_code == 422
    client.post("/logout", data={"csrf_token": token(client)})
    csrf = login(client, "vera")
    page = client.get(AREA).text
    assert "Vis som nettside" in page and "Lagre rapport" not in page
    r = client.post(f"{AREA}/reports", data={"kind": "baseline", "csrf_token": csrf}, headers=JSON)
    assert r.status_code == 403
    assert store.list_reports(demo_ctx, "groruddalen") == []


def test_unknown_area_and_report(client: TestClient, demo_ctx: Context) -> None:
    assert client.get("/areas/finnes-ikke/reports.json").status_code == 404
    assert client.get("/areas/finnes-ikke/reports/1").status_code == 404
    assert client.get(f"{AREA}/reports/999").status_code == 404
    csrf = login(client, "gro")
    assert client.get("/areas/finnes-ikke/report.pdf", headers=JSON).status_code == 404
    r = client.post("/areas/finnes-ikke/reports", data={"kind": "baseline", "csrf_token": csrf}, headers=JSON)
    assert r.status_code == 404
    assert store.list_reports(demo_ctx, "groruddalen") == []


def test_a_second_report_while_one_is_made_gets_503_at_once(client: TestClient, demo_ctx: Context) -> None:
    """Review fix: a request used to wait up to two minutes in a worker thread for the one-at-a-time lock;
    enough of them would stall every route. Now it is told to come back (503 + Retry-After) at once."""
    from nabolag.web import reports as web_reports

    csrf = login(client, "gro")
    assert web_reports._making.acquire(blocking=False)  # a report is being made
    try:
        for r in (client.get(f"{AREA}/report.pdf", headers=JSON),
                  client.post(f"{AREA}/reports", data={"kind": "baseline", "csrf_token": csrf}, headers=JSON)):
            assert r.status_code == 503 and r.headers["retry-after"] == "30"
    finally:
        web_reports._making.release()
    assert store.list_reports(demo_ctx, "groruddalen") == []

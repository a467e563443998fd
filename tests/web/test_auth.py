"""Sign-in, sessions, cookie flags, CSRF, roles, throttling and security headers, with a real app and database."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import replace

import pytest
from fastapi import Depends, FastAPI, Request
from fastapi.testclient import TestClient
from itsdangerous import URLSafeTimedSerializer

from nabolag.domain.zones import Area
from nabolag.services import Context, users, zones
from nabolag.web.app import create_app
from nabolag.web.deps import context, require_role, require_signed_in
from nabolag.web.security import content_security_policy
from nabolag.web.session import COOKIE, password_stamp

PASSWORD = "et-langt-passord"
CSP = "default-src 'self'; img-src 'self' data:"


def _add_test_routes(app: FastAPI) -> None:
    """Routes as other parts of the app would write them: an edit form, an area edit and a JSON API."""

    @app.get("/test/edit", dependencies=[Depends(require_role("analyst"))])
    def edit_form() -> dict[str, str]:
        return {"form": "edit"}

    @app.get("/test/edit.json", dependencies=[Depends(require_role("analyst"))])
    def edit_form_json() -> dict[str, str]:
        return {"form": "edit"}

    @app.post("/test/areas/{code}")
    def edit_area(code: str, user: object = Depends(require_signed_in), ctx: Context = Depends(context)) -> dict:
        ctx.require_write()
        ctx.require_area(code)
        return {"edited": code}

    @app.api_route("/test/api", methods=["POST", "PUT", "PATCH", "DELETE"])
    async def api(request: Request) -> dict:
        return {"got": await request.json()}


@pytest.fixture
def app(ctx: Context) -> FastAPI:
    for code in ("groruddalen", "sondre-nordstrand"):
        zones.save_area(ctx, Area(code=code, name=code.title()))
    for name, role in (("anna", "analyst"), ("vera", "viewer"), ("adam", "admin")):
        users.add_user(ctx, name, role, PASSWORD)
    users.add_user(ctx, "kari", "coordinator", PASSWORD, areas=["groruddalen"])
    application = create_app(ctx.settings)
    _add_test_routes(application)
    return application


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, base_url="http://127.0.0.1") as c:
        yield c


def token(client: TestClient, path: str = "/login") -> str:
    page = client.get(path)
    match = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert match, page.text
    return match.group(1)


def login(client: TestClient, username: str, password: str = PASSWORD, next_: str = "/"):  # type: ignore[no-untyped-def]
    return client.post("/login", data={"username": username, "password": password, "next": next_,
                                       "csrf_token": token(client)}, follow_redirects=False)


def test_login_account_logout_round_trip(client: TestClient) -> None:
    assert client.get("/account.json").status_code == 401
    r = client.get("/account", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login?next=%2Faccount"

    bad = login(client, "anna", "feil-passord")
    assert bad.status_code == 401 and "Feil brukernavn eller passord" in bad.text
    assert client.get("/account.json").status_code == 401

    r = login(client, "anna", next_="/account")
    assert r.status_code == 303 and r.headers["location"] == "/account"
    me = client.get("/account.json").json()
    assert me["user"]["username"] == "anna" and me["user"]["role"] == "analyst" and me["csrf_token"]
    page = client.get("/account")
    assert page.status_code == 200 and "anna" in page.text and "analytiker" in page.text
    assert 'action="/logout"' in page.text

    r = client.post("/logout", data={"csrf_token": token(client, "/account")}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/"
    assert client.get("/account.json").status_code == 401


def test_next_cannot_leave_the_site(client: TestClient) -> None:
    for target in ("//evil.example/x", "https://evil.example/", "/\\evil.example", "javascript:alert(1)"):
        r = login(client, "anna", next_=target)
        assert r.status_code == 303 and r.headers["location"] == "/", target


def _set_cookie(response) -> str:  # type: ignore[no-untyped-def]
    return next(v for k, v in response.headers.multi_items() if k == "set-cookie" and v.startswith(COOKIE))


def test_cookie_flags_local_and_https(app: FastAPI) -> None:
    with TestClient(app, base_url="http://127.0.0.1") as local:
        cookie = _set_cookie(login(local, "anna"))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/" in cookie and "Max-Age=28800" in cookie
    assert "Secure" not in cookie
    assert PASSWORD not in cookie
    with TestClient(app, base_url="https://nabolag.kommune.no") as remote:
        r = login(remote, "anna")
        cookie = _set_cookie(r)
        assert "Secure" in cookie and "HttpOnly" in cookie
        assert r.headers["strict-transport-security"].startswith("max-age=")
        assert remote.get("/account.json").json()["user"]["username"] == "anna"


def test_secure_cookies_setting_forces_the_flag(ctx: Context, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NABOLAG_SECURE_COOKIES", "true")
    with TestClient(create_app(ctx.settings), base_url="http://localhost") as c:
        assert "Secure" in _set_cookie(c.get("/login"))


def test_a_tampered_or_expired_cookie_is_no_session(ctx: Context, app: FastAPI, client: TestClient) -> None:
    login(client, "vera")
    value = client.cookies[COOKIE]
    payload, rest = value.split(".", 1)
    client.cookies.set(COOKIE, payload[:-2] + "xx." + rest)
    assert client.get("/account.json").status_code == 401
    signer = URLSafeTimedSerializer(app.state.secret_key, salt="nabolag-session")
    stamp = password_stamp(users.get_user(ctx, "adam"))  # type: ignore[arg-type]
    session = {"user": "adam", "login_at": time.time() - 9 * 3600, "password_at": stamp, "csrf": "x"}
    client.cookies.set(COOKIE, signer.dumps(session))
    assert client.get("/account.json").status_code == 401  # signed by us, but signed in nine hours ago
    client.cookies.set(COOKIE, signer.dumps(session | {"login_at": time.time(), "password_at": stamp - 1}))
    assert client.get("/account.json").status_code == 401  # from before the last password change
    client.cookies.set(COOKIE, signer.dumps(session | {"login_at": time.time()}))
    assert client.get("/account.json").json()["user"]["username"] == "adam"  # fresh and current: accepted


def test_csrf_is_required_for_forms_and_json(app: FastAPI, client: TestClient) -> None:
    r = client.post("/login", data={"username": "anna", "password": PASSWORD})
    assert r.status_code == 403 and "CSRF" in r.json()["error"]
    r = client.post("/login", data={"username": "anna", "password": PASSWORD, "csrf_token": "gjettet"})
    assert r.status_code == 403
    before = token(client)
    assert login(client, "anna").status_code == 303
    after = client.get("/login.json").json()["csrf_token"]
    assert after != before  # a new token at sign-in (no session fixation)

    assert client.post("/logout", follow_redirects=False).status_code == 403
    assert client.get("/account.json").status_code == 200  # still signed in
    assert client.post("/test/api", json={"a": 1, "csrf_token": after}).status_code == 403  # JSON: header only
    r = client.post("/test/api", json={"a": 1}, headers={"X-CSRF-Token": after})
    assert r.status_code == 200 and r.json() == {"got": {"a": 1}}
    for method in ("put", "patch", "delete"):
        assert client.request(method, "/test/api").status_code == 403

    with TestClient(app, base_url="http://127.0.0.1") as other:  # another browser's token is no good here
        assert client.post("/test/api", json={}, headers={"X-CSRF-Token": other.get("/login.json").json()[
            "csrf_token"]}).status_code == 403

    html = client.post("/logout", headers={"Accept": "text/html"})
    assert html.status_code == 403 and "<h1>" in html.text and "CSRF" in html.text


@pytest.mark.parametrize(("user", "status"), [("vera", 403), ("kari", 403), ("anna", 200), ("adam", 200)])
def test_roles_on_an_edit_form(client: TestClient, user: str, status: int) -> None:
    login(client, user)
    assert client.get("/test/edit").status_code == status
    assert client.get("/test/edit.json").status_code == status


def test_not_signed_in_edit_form_redirects_and_json_is_401(client: TestClient) -> None:
    r = client.get("/test/edit?x=1", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login?next=%2Ftest%2Fedit%3Fx%3D1"
    assert client.get("/test/edit.json").status_code == 401
    r = client.post("/test/areas/groruddalen", headers={"X-CSRF-Token": token(client),
                                                        "Referer": "http://127.0.0.1/areas/groruddalen?tab=1"},
                    follow_redirects=False)  # a form sent after the session ended: back to the form's page
    assert r.status_code == 303 and r.headers["location"] == "/login?next=%2Fareas%2Fgroruddalen%3Ftab%3D1"
    page = client.get("/test/edit?x=1")  # followed: the login form, which comes back here afterwards
    assert page.status_code == 200 and 'name="next" value="/test/edit?x=1"' in page.text


def test_a_viewer_cannot_reach_the_import_page(client: TestClient) -> None:
    login(client, "vera")
    if client.get("/import").status_code == 404:
        pytest.skip("no /import page in this build")
    assert client.get("/import").status_code == 403
    page = client.get("/import", headers={"Accept": "text/html"})
    assert page.status_code == 403 and "Ingen tilgang" in page.text and "<form" not in page.text.split("<main")[1]
    login(client, "anna")
    assert client.get("/import").status_code == 200


def test_coordinator_edits_only_its_own_areas(client: TestClient) -> None:
    def edit(code: str) -> int:
        return client.post(f"/test/areas/{code}", headers={"X-CSRF-Token": client.get("/login.json").json()[
            "csrf_token"]}).status_code

    login(client, "kari")
    assert edit("groruddalen") == 200 and edit("sondre-nordstrand") == 403
    login(client, "anna")
    assert edit("sondre-nordstrand") == 200
    login(client, "vera")
    assert edit("groruddalen") == 403


def test_removed_disabled_or_repassworded_user_is_signed_out(ctx: Context, client: TestClient) -> None:
    login(client, "anna")
    users.set_disabled(ctx, "anna", True)
    assert client.get("/account.json").status_code == 401
    users.set_disabled(ctx, "anna", False)
    assert login(client, "anna").status_code == 303
    users.set_password(ctx, "anna", "admin-har-byttet")
    assert client.get("/account.json").status_code == 401
    assert login(client, "anna", "admin-har-byttet").status_code == 303
    users.remove_user(ctx, "anna")
    assert client.get("/account.json").status_code == 401


def test_change_own_password_in_the_browser(ctx: Context, app: FastAPI, client: TestClient) -> None:
    login(client, "vera")
    old_cookie = client.cookies[COOKIE]

    def change(current: str, new: str, again: str):  # type: ignore[no-untyped-def]
        return client.post("/account/password", data={"current_password": current, "new_password": new,
                                                       "new_password_again": again,
                                                       "csrf_token": token(client, "/account")},
                           follow_redirects=False)

    r = change("feil", "nytt-passord-1", "nytt-passord-1")
    assert r.status_code == 422 and "nåværende passord" in r.text
    assert change(PASSWORD, "nytt-passord-1", "nytt-passord-2").status_code == 422
    assert change(PASSWORD, "kort", "kort").status_code == 422
    r = change(PASSWORD, "nytt-passord-1", "nytt-passord-1")
    assert r.status_code == 303 and r.headers["location"] == "/account?changed=true"
    assert "Passordet er byttet" in client.get("/account?changed=true").text
    assert users.authenticate(ctx, "vera", "nytt-passord-1") is not None
    with TestClient(app, base_url="http://127.0.0.1") as stolen:
        stolen.cookies.set(COOKIE, old_cookie)
        assert stolen.get("/account.json").status_code == 401  # the session from before the change is gone


def test_login_is_throttled_after_ten_failures(client: TestClient) -> None:
    for _ in range(10):
        assert login(client, "anna", "feil-passord").status_code == 401
    r = login(client, "anna")  # even the right password, while locked
    assert r.status_code == 429 and int(r.headers["retry-after"]) > 0 and "For mange" in r.text
    assert login(client, "adam").status_code == 429  # the same address is locked too
    assert client.get("/account.json").status_code == 401


def test_security_headers_everywhere(client: TestClient) -> None:
    for path in ("/login", "/login.json", "/static/nabolag.css", "/no-such-page", "/account"):
        headers = client.get(path, follow_redirects=False).headers
        assert headers["content-security-policy"].startswith(CSP), path
        assert "unsafe-inline" not in headers["content-security-policy"]
        assert "frame-ancestors 'none'" in headers["content-security-policy"]
        assert headers["x-frame-options"] == "DENY"
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "same-origin"
        assert headers["cross-origin-opener-policy"] == "same-origin"
        assert "camera=()" in headers["permissions-policy"]
    login(client, "anna")
    assert client.get("/account").headers["cache-control"] == "no-store"


def test_basemap_origin_is_allowed_for_images(ctx: Context) -> None:
    settings = replace(ctx.settings, basemap_url="https://cache.kartverket.no/v1/wmts/1.0.0/topo/default/"
                                                 "webmercator/{z}/{y}/{x}.png")
    with TestClient(create_app(settings)) as c:
        csp = c.get("/login").headers["content-security-policy"]
    assert csp.startswith("default-src 'self'; img-src 'self' data: https://cache.kartverket.no;")
    assert "img-src 'self' data: https://*.tile.openstreetmap.org;" in content_security_policy(
        "https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png")
    assert content_security_policy("javascript:alert(1)").startswith(CSP + ";")

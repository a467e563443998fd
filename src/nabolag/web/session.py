"""Signed session cookie, the signed-in user on ``request.state.user``, and the CSRF token.

The cookie holds ``{"user", "login_at", "password_at", "csrf"}`` signed with itsdangerous (HMAC-SHA1 over the
JSON, with a timestamp); nothing secret is stored in it. On every request of a signed-in user the
account is read again, so a removed or disabled account, or a password changed since sign-in (``password_at``), ends
the session at once. A session lasts at most ``lifetime`` seconds from sign-in.

Cookie flags: ``HttpOnly``, ``SameSite=Lax``, ``Path=/`` and ``Secure`` when ``secure`` is true, or,
when it is ``None`` (auto), unless the request's host is the local machine (``127.0.0.1``,
``localhost``, ``::1``) or Starlette's test client (``testserver``).
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
import time
from http.cookies import SimpleCookie
from typing import Any

import anyio.to_thread
from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from nabolag.services import users

COOKIE = "nabolag_session"
LIFETIME_SECONDS = 8 * 3600
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1", "[::1]", "testserver"})


class CsrfToken:
    """The session's CSRF token, made the first time a page asks for it (so visitors who only read get no cookie)."""

    def __init__(self, session: dict[str, Any]) -> None:
        self._session = session

    def __str__(self) -> str:
        if "csrf" not in self._session:
            self._session["csrf"] = secrets.token_urlsafe(32)
        return str(self._session["csrf"])

    def __html__(self) -> str:  # Jinja's autoescape asks for this; the token is URL-safe
        return str(self)

    def matches(self, candidate: str | None) -> bool:
        expected = self._session.get("csrf")
        return bool(expected and candidate) and secrets.compare_digest(str(expected), str(candidate))


class SessionMiddleware:
    """Pure ASGI middleware: reads and writes the session cookie, and loads the signed-in user."""

    def __init__(self, app: ASGIApp, *, secure: bool | None = None, lifetime: int = LIFETIME_SECONDS) -> None:
        self.app, self.secure, self.lifetime = app, secure, lifetime

    def _serializer(self, scope: Scope) -> URLSafeTimedSerializer:
        return URLSafeTimedSerializer(scope["app"].state.secret_key, salt="nabolag-session")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        serializer = self._serializer(scope)
        session = self._read(scope, serializer)
        before = dict(session)
        state = scope.setdefault("state", {})
        state["user"] = await self._user(scope, session)
        scope["session"] = session
        state["csrf_token"] = CsrfToken(session)

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                current = scope["session"]
                if current != before:
                    self._write_cookie(MutableHeaders(scope=message), scope, serializer, current)
            await send(message)

        await self.app(scope, receive, send_with_cookie)

    def _read(self, scope: Scope, serializer: URLSafeTimedSerializer) -> dict[str, Any]:
        raw = _cookie(scope, COOKIE)
        if not raw:
            return {}
        try:
            data = serializer.loads(raw, max_age=self.lifetime)
        except (BadSignature, ValueError, json.JSONDecodeError):
            return {}
        return data if isinstance(data, dict) else {}

    async def _user(self, scope: Scope, session: dict[str, Any]) -> users.User | None:
        username = session.get("user")
        if not username:
            return None
        login_at = float(session.get("login_at") or 0)
        user = None
        if time.time() - login_at <= self.lifetime:
            ctx = scope["app"].state.ctx
            user = await anyio.to_thread.run_sync(users.get_user, ctx, str(username))
        # a password changed since sign-in ends the session
        if user is None or session.get("password_at") != password_stamp(user):
            session.pop("user", None)
            session.pop("login_at", None)
            return None
        return user

    def _write_cookie(self, headers: MutableHeaders, scope: Scope, serializer: URLSafeTimedSerializer,
                      session: dict[str, Any]) -> None:
        flags = "Path=/; HttpOnly; SameSite=Lax" + ("; Secure" if self._secure(scope) else "")
        if session:
            value = serializer.dumps(session)
            headers.append("Set-Cookie", f"{COOKIE}={value}; Max-Age={self.lifetime}; {flags}")
        else:
            headers.append("Set-Cookie", f"{COOKIE}=; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; {flags}")

    def _secure(self, scope: Scope) -> bool:
        if self.secure is not None:
            return self.secure
        return scope.get("scheme") == "https" or request_host(scope) not in LOCAL_HOSTS


def request_host(scope: Scope) -> str:
    """The host name the client asked for, without the port."""
    for key, value in scope.get("headers", []):
        if key == b"host":
            host = value.decode("latin-1").strip().lower()
            if host.startswith("["):
                return host.split("]", 1)[0] + "]"
            return host.rsplit(":", 1)[0] if host.count(":") == 1 else host
    server = scope.get("server")
    return str(server[0]) if server else ""


def _cookie(scope: Scope, name: str) -> str | None:
    for key, value in scope.get("headers", []):
        if key == b"cookie":
            jar: SimpleCookie = SimpleCookie()
            try:
                jar.load(value.decode("latin-1"))
            except Exception:  # noqa: BLE001 - a malformed cookie header is treated as no cookie
                continue
            if name in jar:
                return jar[name].value
    return None


def password_stamp(user: users.User) -> int:
    """When the password was last set, in whole microseconds since 1970 (exact, unlike a float)."""
    return (user.password_changed_at - EPOCH) // dt.timedelta(microseconds=1)


def sign_in(session: dict[str, Any], user: users.User) -> None:
    """Start a session for ``user``: a fresh CSRF token too (no session fixation)."""
    session.clear()
    session.update(user=user.username, login_at=time.time(), password_at=password_stamp(user),
                   csrf=secrets.token_urlsafe(32))


def sign_out(session: dict[str, Any]) -> None:
    session.clear()

"""Security headers on every response, and the CSRF check on every unsafe request.

Headers: ``Content-Security-Policy`` (``default-src 'self'; img-src 'self' data:`` plus the basemap's
origin when ``basemap_url`` is set; no inline scripts or styles; ``frame-ancestors 'none'``),
``X-Frame-Options: DENY``, ``X-Content-Type-Options: nosniff``, ``Referrer-Policy: same-origin``,
``Permissions-Policy``, ``Cross-Origin-Opener-Policy: same-origin``, ``Cross-Origin-Resource-Policy:
same-origin``; ``Strict-Transport-Security`` over https; ``Cache-Control: no-store`` on pages for a
signed-in user.

CSRF: every POST, PUT, PATCH and DELETE must carry the session's token, in the ``X-CSRF-Token``
header or, for a form, in the field ``csrf_token`` (``{% include "_csrf.html" %}``). JSON bodies
must use the header.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from fastapi import Request
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from nabolag.i18n import _

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
PERMISSIONS = "camera=(), microphone=(), payment=(), usb=(), geolocation=(self)"


class CsrfFailed(Exception):
    """An unsafe request without a valid CSRF token; app.py answers 403."""


def basemap_origin(url: str | None) -> str | None:
    """The CSP source for a tile URL template: ``https://{s}.tile.x.org/{z}/…`` → ``https://*.tile.x.org``."""
    if not url:
        return None
    parts = urlsplit(url.replace("{s}", "SUB"))
    if parts.scheme not in ("http", "https") or not parts.netloc or "{" in parts.netloc:
        return None
    host = parts.netloc.replace("SUB", "*", 1) if parts.netloc.startswith("SUB.") else parts.netloc
    return f"{parts.scheme}://{host}"


def content_security_policy(basemap_url: str | None = None) -> str:
    images = "'self' data:" + (f" {origin}" if (origin := basemap_origin(basemap_url)) else "")
    return (f"default-src 'self'; img-src {images}; frame-ancestors 'none'; base-uri 'self'; "
            "form-action 'self'; object-src 'none'")


class SecurityHeaders:
    """Pure ASGI middleware that adds the headers above to every response (errors and static files too)."""

    def __init__(self, app: ASGIApp, *, basemap_url: str | None = None) -> None:
        self.app = app
        self.headers = {
            "Content-Security-Policy": content_security_policy(basemap_url),
            "X-Frame-Options": "DENY",
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "same-origin",
            "Permissions-Policy": PERMISSIONS,
            "Cross-Origin-Opener-Policy": "same-origin",
            "Cross-Origin-Resource-Policy": "same-origin",
        }

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in self.headers.items():
                    headers.setdefault(name, value)
                if scope.get("scheme") == "https":
                    headers.setdefault("Strict-Transport-Security", "max-age=31536000")
                signed_in = scope.get("state", {}).get("user") is not None
                if signed_in and not scope.get("path", "").startswith("/static/"):
                    headers.setdefault("Cache-Control", "no-store")
            await send(message)

        await self.app(scope, receive, send_with_headers)


async def csrf_protect(request: Request) -> None:
    """App-wide dependency: refuse an unsafe request that lacks the session's CSRF token."""
    if request.method not in UNSAFE_METHODS:
        return
    token = getattr(request.state, "csrf_token", None)
    sent = request.headers.get(CSRF_HEADER)
    if not sent and request.headers.get("content-type", "").lower().startswith(FORM_TYPES):
        _refuse_oversize(request)  # before the body is read to find the token
        value = (await request.form()).get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    if token is None or not token.matches(sent):
        raise CsrfFailed()


FORM_OVERHEAD = 256 * 1024  # room for form fields and multipart boundaries beside an uploaded file


def _refuse_oversize(request: Request) -> None:
    """A form body larger than the import limit is refused (413) from its Content-Length alone."""
    from nabolag.services.staging import too_large

    limit = request.app.state.settings.max_import_bytes
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > limit + FORM_OVERHEAD:
        raise too_large(_("opplastingen"), limit)

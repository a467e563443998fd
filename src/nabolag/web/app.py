"""FastAPI application factory."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources
from urllib.parse import urlencode, urlsplit

from fastapi import Depends, FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from nabolag import __version__
from nabolag.errors import InputError, NotFoundError, PermissionDenied
from nabolag.i18n import _
from nabolag.services import users
from nabolag.services.context import Context
from nabolag.services.staging import UploadTooLarge
from nabolag.settings import Settings, load_settings
from nabolag.web import access, auth, imports, mapping, maps, overview, pages, participation, programme, survey
from nabolag.web.deps import LoginRequired
from nabolag.web.language import LanguageMiddleware
from nabolag.web.security import CsrfFailed, SecurityHeaders, csrf_protect
from nabolag.web.session import SessionMiddleware
from nabolag.web.throttle import LoginThrottle

TRUE, FALSE = ("1", "true", "yes", "on"), ("0", "false", "no", "off")


def secure_cookies(settings: Settings) -> bool | None:
    """``secure_cookies`` from settings or ``NABOLAG_SECURE_COOKIES``; ``None`` means decide by host."""
    value = getattr(settings, "secure_cookies", None)
    if isinstance(value, bool):
        return value
    text = str(value if value is not None else os.environ.get("NABOLAG_SECURE_COOKIES", "auto")).strip().lower()
    return True if text in TRUE else False if text in FALSE else None


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app for ``settings``; the database is opened (and migrated) at start-up."""
    settings = settings or load_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.ctx = Context.open(settings=settings, actor="web", role="public")
        secret = getattr(settings, "secret_key", None) or os.environ.get("NABOLAG_SECRET_KEY")
        app.state.secret_key = secret or users.session_secret(app.state.ctx)
        yield
        app.state.ctx.close()

    app = FastAPI(title="nabolag", version=__version__, lifespan=lifespan, dependencies=[Depends(csrf_protect)])
    app.state.settings = settings
    app.state.login_throttle = LoginThrottle()
    static = resources.files("nabolag.web") / "static"
    app.mount("/static", StaticFiles(directory=str(static)), name="static")

    # added last = runs first: headers wrap everything, then the session, then the language
    app.add_middleware(LanguageMiddleware, default=settings.language)
    app.add_middleware(SessionMiddleware, secure=secure_cookies(settings))
    app.add_middleware(SecurityHeaders, basemap_url=getattr(settings, "basemap_url", None))

    @app.exception_handler(NotFoundError)
    async def not_found(_request: Request, exc: NotFoundError) -> JSONResponse:
        return JSONResponse({"error": str(exc)}, status_code=404)

    @app.exception_handler(InputError)
    async def bad_input(_request: Request, exc: InputError) -> JSONResponse:
        return JSONResponse({"error": exc.message, "problems": [p.as_dict() for p in exc.problems]},
                            status_code=413 if isinstance(exc, UploadTooLarge) else 422)

    @app.exception_handler(LoginRequired)
    async def login_required(request: Request, _exc: LoginRequired) -> Response:
        if wants_json(request):
            return JSONResponse({"error": _("Du må logge inn")}, status_code=401,
                                headers={"WWW-Authenticate": "Session"})
        return RedirectResponse("/login?" + urlencode({"next": return_path(request)}), status_code=303)

    @app.exception_handler(PermissionDenied)
    async def forbidden(request: Request, exc: PermissionDenied) -> Response:
        return denied(request, _("Ingen tilgang"), str(exc))

    @app.exception_handler(CsrfFailed)
    async def csrf_failed(request: Request, _exc: CsrfFailed) -> Response:
        return denied(request, _("Skjemaet kunne ikke sendes"),
                      _("Sikkerhetsnøkkelen (CSRF-token) mangler eller er utløpt. Last siden på nytt og prøv "
                        "igjen; skript sender den i feltet csrf_token eller overskriften X-CSRF-Token."))

    for module in (auth, overview, maps, imports, programme, participation, survey, mapping, access, pages):
        app.include_router(module.router)
    app.include_router(__import__("nabolag.web.reports").web.reports.router)  # issue 9: stored reports
    return app


def wants_json(request: Request) -> bool:
    """A ``.json`` twin, an API call, or a client that asks for JSON rather than HTML."""
    accept = request.headers.get("accept", "")
    return request.url.path.endswith(".json") or ("json" in accept and "text/html" not in accept)


def return_path(request: Request) -> str:
    """Where to go after signing in: this page, or for a form sent after the session ended, the form's page."""
    if request.method in ("GET", "HEAD"):
        return request.url.path + (f"?{request.url.query}" if request.url.query else "")
    referer = urlsplit(request.headers.get("referer", ""))
    if referer.netloc and referer.netloc == request.url.netloc and referer.path.startswith("/"):
        return referer.path + (f"?{referer.query}" if referer.query else "")
    return "/"


def denied(request: Request, title: str, message: str) -> Response:
    """403: JSON for API calls, a short page for browsers."""
    if wants_json(request) or "text/html" not in request.headers.get("accept", ""):
        return JSONResponse({"error": message}, status_code=403)
    return pages.TEMPLATES.TemplateResponse(request, "account_denied.html",
                                            {"data": {"title": title, "message": message}}, status_code=403)

"""FastAPI application factory."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles

from nabolag import __version__
from nabolag.errors import InputError, NotFoundError
from nabolag.i18n import LANGUAGES, set_language
from nabolag.services.context import Context
from nabolag.settings import Settings, load_settings
from nabolag.web import pages


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app for ``settings``; the database is opened (and migrated) at start-up."""
    settings = settings or load_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.ctx = Context.open(settings=settings, actor="web", role="viewer")
        yield
        app.state.ctx.close()

    app = FastAPI(title="nabolag", version=__version__, lifespan=lifespan)
    app.state.settings = settings
    static = resources.files("nabolag.web") / "static"
    app.mount("/static", StaticFiles(directory=str(static)), name="static")

    @app.middleware("http")
    async def language(request: Request, call_next):  # type: ignore[no-untyped-def]
        lang = request.query_params.get("lang") or request.cookies.get("lang") or settings.language
        set_language(lang if lang in LANGUAGES else "nb")
        response = await call_next(request)
        if request.query_params.get("lang") in LANGUAGES:
            response.set_cookie("lang", request.query_params["lang"], samesite="lax", httponly=True)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("Content-Security-Policy", "default-src 'self'; img-src 'self' data:")
        return response

    @app.exception_handler(NotFoundError)
    async def not_found(_request: Request, exc: NotFoundError) -> JSONResponse:
        return JSONResponse({"error": str(exc)}, status_code=404)

    @app.exception_handler(InputError)
    async def bad_input(_request: Request, exc: InputError) -> JSONResponse:
        return JSONResponse({"error": exc.message, "problems": [p.as_dict() for p in exc.problems]},
                            status_code=422)

    app.include_router(pages.router)
    return app

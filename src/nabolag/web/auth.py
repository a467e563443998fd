"""Sign in and out, and the signed-in user's own account page (with its JSON twin and password change)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from nabolag.errors import InputError
from nabolag.i18n import _
from nabolag.services import users
from nabolag.services.context import Context
from nabolag.web import pages
from nabolag.web.deps import context, csrf_token, require_signed_in
from nabolag.web.session import sign_in, sign_out
from nabolag.web.throttle import LoginThrottle

router = APIRouter(tags=["konto"])


def role_label(role: str) -> str:
    return {"admin": _("administrator"), "analyst": _("analytiker"), "coordinator": _("koordinator"),
            "viewer": _("leser")}.get(role, role)


def safe_next(target: str | None) -> str:
    """Only a path on this site: no scheme, no host, no ``//`` or ``/\\`` (open-redirect guard)."""
    target = (target or "").strip()
    if not target.startswith("/") or target.startswith(("//", "/\\")) or any(c in target for c in "\r\n\t"):
        return "/"
    return target


def _render(request: Request, name: str, data: dict[str, Any], status: int = 200) -> HTMLResponse:
    data.setdefault("role_label", role_label)
    return pages.TEMPLATES.TemplateResponse(request, name, {"data": data}, status_code=status)


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _throttle(request: Request) -> LoginThrottle:
    return request.app.state.login_throttle  # type: ignore[no-any-return]


@router.get("/login.json", summary="Innlogging: CSRF-token for skjemaet")
def login_json(request: Request) -> dict[str, object]:
    """The token a script needs for ``POST /login`` (sent back in the field ``csrf_token`` or ``X-CSRF-Token``)."""
    user = getattr(request.state, "user", None)
    return {"signed_in": user is not None, "csrf_token": csrf_token(request)}


@router.get("/login", response_class=HTMLResponse, summary="Innlogging")
def login_page(request: Request, next: str | None = None) -> HTMLResponse:  # noqa: A002 - the query name
    return _render(request, "login.html", {"next": safe_next(next), "error": None, "username": ""})


@router.post("/login", response_class=HTMLResponse, summary="Logg inn", responses={
    303: {"description": "Innlogget: videre til «next»"}, 401: {"description": "Feil brukernavn eller passord"},
    429: {"description": "For mange mislykkede forsøk"}})
def login(request: Request, username: str = Form("", max_length=200), password: str = Form("", max_length=2000),
          next: str = Form("/", max_length=2000)) -> Response:  # noqa: A002
    throttle = _throttle(request)
    keys = throttle.keys(username, _client(request))
    data: dict[str, Any] = {"next": safe_next(next), "username": username}
    wait = throttle.wait_seconds(*keys)
    if wait:
        data["error"] = _("For mange mislykkede innlogginger. Prøv igjen om {minutes} minutter.",
                          minutes=max(1, round(wait / 60)))
        response = _render(request, "login.html", data, status=429)
        response.headers["Retry-After"] = str(wait)
        return response
    user = users.authenticate(request.app.state.ctx, username, password)
    if user is None:
        throttle.failed(*keys)
        data["error"] = _("Feil brukernavn eller passord.")
        return _render(request, "login.html", data, status=401)
    throttle.succeeded(keys[0])
    sign_in(request.session, user)
    return RedirectResponse(data["next"], status_code=303)


@router.post("/logout", summary="Logg ut", responses={303: {"description": "Utlogget: videre til forsiden"}})
def logout(request: Request) -> RedirectResponse:
    sign_out(request.session)
    return RedirectResponse("/", status_code=303)


def _account(request: Request, user: users.User) -> dict[str, object]:
    return {"user": user.as_dict(), "role_name": role_label(user.role), "csrf_token": csrf_token(request)}


@router.get("/account.json", summary="Hvem er jeg")
def account_json(request: Request, user: users.User = Depends(require_signed_in)) -> dict[str, object]:
    return _account(request, user)


@router.get("/account", response_class=HTMLResponse, summary="Min konto")
def account(request: Request, changed: bool = False, user: users.User = Depends(require_signed_in)) -> HTMLResponse:
    data = _account(request, user) | {"changed": changed, "error": None}
    return _render(request, "account.html", data)


@router.post("/account/password", response_class=HTMLResponse, summary="Bytt passord", responses={
    303: {"description": "Passordet er byttet"}, 422: {"description": "Passordet ble ikke godtatt"}})
async def change_password(request: Request, current_password: str = Form("", max_length=2000),
                          new_password: str = Form("", max_length=2000),
                          new_password_again: str = Form("", max_length=2000),
                          user: users.User = Depends(require_signed_in),
                          ctx: Context = Depends(context)) -> Response:
    if new_password != new_password_again:
        error = _("De to nye passordene er ulike (felt: nytt passord).")
    else:
        try:
            await run_in_threadpool(users.set_password, ctx, user.username, new_password,
                                    current_password=current_password)
        except InputError as exc:
            error = exc.message
        else:
            fresh = await run_in_threadpool(users.get_user, ctx, user.username)
            if fresh is not None:  # the old session ended with the change; start a new one
                sign_in(request.session, fresh)
            return RedirectResponse("/account?changed=true", status_code=303)
    if "json" in request.headers.get("accept", "") and "html" not in request.headers.get("accept", ""):
        return JSONResponse({"error": error}, status_code=422)
    return _render(request, "account.html", _account(request, user) | {"changed": False, "error": error}, status=422)

"""Request dependencies: the context a request runs in, and who is asking.

``request.state.user`` is set by the session middleware (web/session.py) for a signed-in user: an
object with ``username``, ``display_name``, ``role`` and ``areas`` (codes a coordinator may edit).

Use in a route::

    @router.get("/import", dependencies=[Depends(require_role("analyst", "admin"))])
    @router.get("/account")
    def account(user = Depends(require_signed_in)): ...

A visitor who is not signed in is sent to ``/login?next=…`` from an HTML page and gets 401 from a
``.json`` twin or an API call; a signed-in user without the role gets 403.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from fastapi import Request

from nabolag.errors import PermissionDenied
from nabolag.i18n import _
from nabolag.services.context import ROLES, Context


class LoginRequired(Exception):
    """The request needs a signed-in user; app.py answers 401 (JSON) or redirects to /login (HTML)."""


def current_user(request: Request) -> Any | None:
    """The signed-in user, or ``None`` for a visitor."""
    return getattr(request.state, "user", None)


def context(request: Request) -> Context:
    """The app's context with the signed-in user (``request.state.user``) as actor and role.

    Visitors who are not signed in act as ``public``: they read published (suppressed) figures only.
    """
    base: Context = request.app.state.ctx
    user = current_user(request)
    if user is None:
        return replace(base, actor="web", role="public", areas=())
    return replace(base, actor=user.username, role=user.role, areas=tuple(getattr(user, "areas", ()) or ()))


def require_signed_in(request: Request) -> Any:
    """Dependency: the signed-in user, or :class:`LoginRequired`."""
    user = current_user(request)
    if user is None:
        raise LoginRequired(request.url.path)
    return user


def require_role(*roles: str) -> Callable[[Request], Any]:
    """Dependency factory: a signed-in user with one of ``roles`` (``admin`` always passes)."""
    unknown = [r for r in roles if r not in ROLES]
    if unknown:
        raise ValueError(f"unknown role(s) {unknown}; roles are {ROLES}")
    allowed = frozenset(roles) | {"admin"}

    def dependency(request: Request) -> Any:
        user = require_signed_in(request)
        if user.role not in allowed:
            raise PermissionDenied(_("Rollen «{role}» har ikke tilgang til denne siden", role=user.role))
        return user

    dependency.__name__ = "require_role_" + "_".join(sorted(allowed))
    return dependency


def csrf_token(request: Request) -> str:
    """The session's CSRF token (created on first use), for forms and the ``X-CSRF-Token`` header."""
    token = getattr(request.state, "csrf_token", None)
    return str(token) if token is not None else ""

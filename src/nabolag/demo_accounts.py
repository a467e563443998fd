"""Accounts for trying the demo in a browser: one per role, with a fresh random password each.

Only for the demo database: the passwords are printed in the terminal that starts the demo. An account
that already exists is left as it is (its password is not printed again)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from nabolag.services import users
from nabolag.services.context import Context

#: username → (role, areas a coordinator may edit)
DEMO_ACCOUNTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "admin": ("admin", ()),
    "analytiker": ("analyst", ()),
    "koordinator": ("coordinator", ("groruddalen",)),
    "leser": ("viewer", ()),
}


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    areas: tuple[str, ...]
    password: str | None
    """``None`` when the account existed already."""


def add_demo_accounts(ctx: Context) -> list[DemoAccount]:
    """Create the missing demo accounts; returns every demo account, with the password of the new ones
    (``None`` for one that existed). The coordinator edits the demo area ``groruddalen``, which must exist."""
    out = []
    for username, (role, areas) in DEMO_ACCOUNTS.items():
        password = None
        if users.get_user(ctx, username, include_disabled=True) is None:
            password = secrets.token_urlsafe(12)
            users.add_user(ctx, username, role, password, display_name=f"Demo ({role})", areas=areas)
        out.append(DemoAccount(username, role, areas, password))
    return out

"""The context every use case runs in: settings, store and who is acting."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from nabolag.errors import NabolagError, PermissionDenied
from nabolag.i18n import _
from nabolag.ingest.files import check_file, sha256_of
from nabolag.settings import Settings, load_settings
from nabolag.store import Store, open_store
from nabolag.store.migrate import current_revision, head_revision, migrate

ROLES = ("admin", "analyst", "coordinator", "viewer")
"""Roles a user account can have. ``public`` (a visitor who is not signed in) is not an account role."""
ROLES_THAT_WRITE = ("admin", "analyst", "coordinator")
ROLES_FOR_ALL_AREAS = ("admin", "analyst")

Progress = Callable[[str, float], None]


def no_progress(_label: str, _fraction: float) -> None:
    """Default progress callback: says nothing."""


@dataclass
class Context:
    """Settings + store + actor. Create with :meth:`open`; close with :meth:`close`."""

    settings: Settings
    store: Store
    actor: str = "cli"
    role: str = "admin"
    progress: Progress = field(default=no_progress)
    areas: tuple[str, ...] = ()
    """Codes of the areas a ``coordinator`` may edit (empty for other roles)."""

    @classmethod
    def open(cls, database_url: str | None = None, *, settings: Settings | None = None,
             actor: str | None = None, role: str = "admin", progress: Progress | None = None,
             create: bool = True, areas: tuple[str, ...] = ()) -> Context:
        """Open (and by default create or upgrade) the database.

        ``role`` is one of :data:`ROLES` or ``public`` (a visitor: reads published figures only).
        """
        settings = settings or load_settings(database_url)
        store = open_store(settings.database_url)
        if create:
            migrate(store)
        elif current_revision(store) != head_revision():
            raise NabolagError(_("Databasen {url} er ikke klar; kjør «nabolag init» først", url=store.url))
        return cls(settings=settings, store=store, actor=actor or settings.actor, role=role,
                   progress=progress or no_progress, areas=tuple(areas))

    def close(self) -> None:
        self.store.dispose()

    def require_write(self) -> None:
        if self.role not in ROLES_THAT_WRITE:
            raise PermissionDenied(_("Rollen «{role}» kan ikke endre data", role=self.role))

    def require_area(self, area_code: str) -> None:
        """Allow a change to ``area_code``: admin and analyst always, a coordinator only for its own areas."""
        if self.role in ROLES_FOR_ALL_AREAS:
            return
        if self.role == "coordinator" and area_code in self.areas:
            return
        raise PermissionDenied(
            _("Rollen «{role}» ({actor}) kan ikke endre området «{area}»", role=self.role, actor=self.actor,
              area=area_code))

    def require_admin(self) -> None:
        if self.role != "admin":
            raise PermissionDenied(_("Bare en administrator kan gjøre dette (rollen er «{role}»)", role=self.role))

    @property
    def is_public(self) -> bool:
        """A visitor who is not signed in: sees published (suppressed) figures only."""
        return self.role == "public"

    def input_file(self, path: str | Path) -> tuple[Path, str]:
        """Check size and existence, and return the path with its SHA-256."""
        p = check_file(path, self.settings.max_import_bytes)
        return p, sha256_of(p)

    def __enter__(self) -> Context:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

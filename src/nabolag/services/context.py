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

ROLES_THAT_WRITE = ("admin", "analyst", "coordinator")

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

    @classmethod
    def open(cls, database_url: str | None = None, *, settings: Settings | None = None,
             actor: str | None = None, role: str = "admin", progress: Progress | None = None,
             create: bool = True) -> Context:
        """Open (and by default create or upgrade) the database."""
        settings = settings or load_settings(database_url)
        store = open_store(settings.database_url)
        if create:
            migrate(store)
        elif current_revision(store) != head_revision():
            raise NabolagError(_("Databasen {url} er ikke klar; kjør «nabolag init» først", url=store.url))
        return cls(settings=settings, store=store, actor=actor or settings.actor, role=role,
                   progress=progress or no_progress)

    def close(self) -> None:
        self.store.dispose()

    def require_write(self) -> None:
        if self.role not in ROLES_THAT_WRITE:
            raise PermissionDenied(_("Rollen «{role}» kan ikke endre data", role=self.role))

    def input_file(self, path: str | Path) -> tuple[Path, str]:
        """Check size and existence, and return the path with its SHA-256."""
        p = check_file(path, self.settings.max_import_bytes)
        return p, sha256_of(p)

    def __enter__(self) -> Context:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

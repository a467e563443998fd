"""Settings with one precedence: explicit argument > environment > default.

Nothing is read at import time; call :func:`load_settings` where needed.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

DEFAULT_DATABASE_URL = "sqlite:///nabolag.sqlite"


@dataclass(frozen=True)
class Settings:
    """Runtime settings for the CLI, the web app and the Python API.

    Attributes
    ----------
    database_url:
        SQLAlchemy URL: ``sqlite:///path.sqlite`` (default) or
        ``postgresql+psycopg://user@host:5432/db``.
    language:
        ``nb`` (default) or ``en``.
    suppression_threshold:
        Published counts below this many units are suppressed (default 5).
    max_import_bytes:
        Files larger than this are refused before they are read.
    actor:
        Who is recorded in the audit log for changes made in this process.
    basemap_url:
        A tile URL template for the maps' background (e.g. Kartverket's); empty = plain background.
    secret_key:
        Signs session cookies; when unset one is generated at first start and kept in the database.
    secure_cookies:
        ``True``/``False`` forces the cookie's Secure flag; ``None`` (default) sets it unless the
        browser reached the server as 127.0.0.1, localhost or ::1 over plain http.
    """

    database_url: str = DEFAULT_DATABASE_URL
    language: str = "nb"
    suppression_threshold: int = 5
    max_import_bytes: int = 512 * 1024 * 1024
    actor: str = "cli"
    basemap_url: str | None = None
    secret_key: str | None = None
    secure_cookies: bool | None = None

    def with_(self, **changes: object) -> Settings:
        """Return a copy with the given fields replaced (``None`` keeps the old value)."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


def normalise_database_url(url: str) -> str:
    """Accept a bare file path or ``postgresql://`` and return a SQLAlchemy URL."""
    if "://" not in url:
        return f"sqlite:///{Path(url)}"
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def _flag(text: str | None) -> bool | None:
    """``1/true/yes/on`` → True, ``0/false/no/off`` → False, anything else (``auto``, unset) → None."""
    value = (text or "").strip().lower()
    return True if value in ("1", "true", "yes", "on") else False if value in ("0", "false", "no", "off") else None


def load_settings(database_url: str | None = None, language: str | None = None, **overrides: object) -> Settings:
    """Build settings: arguments first, then ``NABOLAG_*`` environment variables, then defaults."""
    env = os.environ
    settings = Settings(
        database_url=normalise_database_url(
            database_url or env.get("NABOLAG_DATABASE_URL") or DEFAULT_DATABASE_URL
        ),
        language=language or env.get("NABOLAG_LANG", "nb"),
        suppression_threshold=int(env.get("NABOLAG_SUPPRESSION_THRESHOLD", "5")),
        max_import_bytes=int(float(env.get("NABOLAG_MAX_IMPORT_MB", "512")) * 1024 * 1024),
        actor=env.get("NABOLAG_ACTOR") or env.get("USER") or "cli",
        basemap_url=env.get("NABOLAG_BASEMAP_URL") or None,
        secret_key=env.get("NABOLAG_SECRET_KEY") or None,
        secure_cookies=_flag(env.get("NABOLAG_SECURE_COOKIES")),
    )
    return settings.with_(**overrides)

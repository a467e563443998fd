"""One exception tree for nabolag.

::

    NabolagError
    ├── InputError          bad input: a file, a row, a field (carries the problems)
    ├── NotFoundError       a zone, indicator, area … that does not exist
    ├── ConflictError       a write that would duplicate or contradict stored data
    ├── PermissionDenied    the actor may not do this
    └── MissingExtraError   an optional dependency is not installed
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from nabolag.domain.problems import Problem


class NabolagError(Exception):
    """Base of every error nabolag raises on purpose."""


class InputError(NabolagError):
    """The input could not be used; ``problems`` names each place and what is wrong."""

    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.problems = list(problems or [])

    def __str__(self) -> str:
        lines = [self.message]
        lines += [p.describe() for p in self.problems[:50]]
        if len(self.problems) > 50:
            lines.append(f"… (+{len(self.problems) - 50})")
        return "\n".join(lines)


class NotFoundError(NabolagError):
    """Something asked for by code or id does not exist."""


class ConflictError(NabolagError):
    """The write would duplicate or contradict what is stored."""


class PermissionDenied(NabolagError):
    """The actor is not allowed to do this."""


class MissingExtraError(NabolagError):
    """An optional dependency is missing; the message names the extra to install."""

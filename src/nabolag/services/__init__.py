"""Use cases: the only layer the web app, the CLI and Python users call."""

from nabolag.services.context import Context

__all__ = ["Context"]

"""The one translation layer.

Message ids are Norwegian bokmål, the default language; other languages come
from Babel catalogues in ``nabolag/locale/<lang>/LC_MESSAGES/nabolag.po``,
read once per process (no compile step needed).
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from importlib import resources

from babel.messages.pofile import read_po

LANGUAGES = ("nb", "en")
_current = contextvars.ContextVar("nabolag_language", default="nb")


@cache
def _catalog(lang: str) -> dict[str, str]:
    if lang == "nb":
        return {}
    path = resources.files("nabolag") / "locale" / lang / "LC_MESSAGES" / "nabolag.po"
    if not path.is_file():
        return {}
    with path.open("rb") as fh:
        catalog = read_po(fh, locale=lang)
    return {m.id: m.string for m in catalog if m.id and m.string and isinstance(m.id, str)}


def set_language(lang: str) -> None:
    """Set the language for the current context (``nb`` or ``en``)."""
    _current.set(lang if lang in LANGUAGES else "nb")


def get_language() -> str:
    return _current.get()


@contextmanager
def in_language(lang: str) -> Iterator[None]:
    """Run a block in ``lang`` and go back to the language before."""
    token = _current.set(lang if lang in LANGUAGES else "nb")
    try:
        yield
    finally:
        _current.reset(token)


def gettext(message: str, **kwargs: object) -> str:
    """Translate ``message`` into the current language, then format it with ``kwargs``."""
    text = _catalog(_current.get()).get(message, message)
    return text.format(**kwargs) if kwargs else text


_ = gettext

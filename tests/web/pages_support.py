"""Helpers for the page tests: a real demo app, and the figures a page carries in ``data-*`` attributes."""

from __future__ import annotations

import re
from html.parser import HTMLParser

INLINE = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|\sstyle=|\son[a-z]+=", re.IGNORECASE)


class DataCells(HTMLParser):
    """Every element with a ``data-value`` attribute, with its data attributes and the ``data-indicator``
    of the closest enclosing element that has one (a table, a section or a row)."""

    def __init__(self) -> None:
        super().__init__()
        self.cells: list[dict[str, str]] = []
        self._stack: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag not in ("br", "input", "link", "meta", "img"):
            self._stack.append((tag, a.get("data-indicator")))
        if "data-value" in a:
            inherited = next((ind for _t, ind in reversed(self._stack) if ind), "")
            self.cells.append({"indicator": inherited, **{k[5:]: v for k, v in a.items() if k.startswith("data-")},
                               "tag": tag})

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self._stack) - 1, -1, -1):
            if self._stack[i][0] == tag:
                del self._stack[i:]
                return


def data_cells(html: str) -> list[dict[str, str]]:
    parser = DataCells()
    parser.feed(html)
    return parser.cells


def as_number(text: str) -> float | None:
    return None if text == "" else float(text)


def inline_code(html: str) -> list[str]:
    """Inline scripts, inline styles and inline event handlers: all forbidden by the CSP."""
    return INLINE.findall(html)

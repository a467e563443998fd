"""The content model of a report: sections of blocks, plain dicts that the template ``report.html``
renders and that tests (and a JSON download) can read as they are.

A section is ``{"id", "title", "blocks": [...], "children": [sections]}``; a block has a ``kind``:
``text``, ``items`` (a list), ``facts`` (label/value pairs), ``table`` (see :mod:`nabolag.reports.tables`),
``figure`` (an SVG with caption and source), ``figures`` (figures side by side) or ``notice`` (a boxed
remark, e.g. that something could not be measured).
"""

from __future__ import annotations

from collections.abc import Iterable


def section(id: str, title: str, blocks: Iterable[dict[str, object] | None] = (),
            children: Iterable[dict[str, object]] = (), wide: bool = False) -> dict[str, object]:
    """A section; ``wide`` prints it on landscape pages (for tables with many columns)."""
    return {"id": id, "title": title, "blocks": [b for b in blocks if b], "children": list(children), "wide": wide}


def text(value: str) -> dict[str, object] | None:
    return {"kind": "text", "text": value} if value else None


def items(values: Iterable[str]) -> dict[str, object] | None:
    found = [v for v in values if v]
    return {"kind": "items", "items": found} if found else None


def facts(pairs: Iterable[tuple[str, object]]) -> dict[str, object]:
    return {"kind": "facts", "items": [(label, "" if value is None else str(value)) for label, value in pairs]}


def table(t: dict[str, object]) -> dict[str, object] | None:
    return {"kind": "table", "table": t} if t.get("rows") else None


def figure(svg: str | None, caption: str, source: str = "", id: str = "") -> dict[str, object] | None:
    return {"kind": "figure", "svg": svg, "caption": caption, "source": source, "id": id} if svg else None


def notice(value: str) -> dict[str, object]:
    return {"kind": "notice", "text": value}


def toc(sections: list[dict[str, object]]) -> list[dict[str, object]]:
    """The table of contents: every section and its children (one level down)."""
    return [{"id": s["id"], "title": s["title"],
             "children": [{"id": c["id"], "title": c["title"], "children": []}
                          for c in s["children"]]}  # type: ignore[attr-defined]
            for s in sections]

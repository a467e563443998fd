"""Render a chart spec to SVG offline with vl-convert (the Vega-Lite 6 bundled in the wheel).

No network and no files: the ``$schema`` URL is dropped before rendering (vl-convert is told the version
instead), a spec that names any other URL (data, image) is refused, and ``allowed_base_urls=[]`` makes
vl-convert refuse one too. Text stays ``<text>`` (vl-convert's SVG renderer
writes text as text and escapes it), so a PDF made from the SVG carries real text. A responsive width
(``"container"``) becomes the fixed ``width``; a fixed width wider than ``width`` is scaled down with
its height, so the chart keeps its shape. The SVG root gets a ``<title>`` (the spec's description)
and ``role="img"`` for screen readers.
"""

from __future__ import annotations

import copy
import re
from typing import Any
from xml.sax.saxutils import escape

import vl_convert

VL_VERSION = "6.4"  # the newest Vega-Lite 6 in vl-convert 1.9; the web pages load 6.5 (same schema)
_ROOT = re.compile(r"<svg\b[^>]*>")


def fixed(spec: dict[str, Any], width: int) -> dict[str, Any]:
    """A copy of ``spec`` with a fixed size no wider than ``width`` and no ``$schema``."""
    if not isinstance(width, int) or isinstance(width, bool) or width < 50:
        raise ValueError(f"to_svg: width must be a whole number of pixels, at least 50 (got {width!r})")
    out = copy.deepcopy(spec)
    out.pop("$schema", None)
    own = out.get("width")
    if own == "container" or own is None:
        out["width"] = width
    elif isinstance(own, (int, float)) and own > width:
        ratio = width / own
        out["width"] = width
        if isinstance(out.get("height"), (int, float)):
            out["height"] = round(out["height"] * ratio)
    if out.get("height") == "container":
        out["height"] = 220
    return out


def with_title(svg: str, title: str) -> str:
    """``svg`` with ``role="img"`` and a first-child ``<title>`` on its root (unless it has one)."""
    root = _ROOT.search(svg)
    if root is None:
        raise ValueError("to_svg: vl-convert returned no <svg> element")
    tag = root.group(0)
    if svg[root.end():].lstrip().startswith("<title"):
        return svg
    if " role=" not in tag:
        tag = tag[:-1] + ' role="img">'
    return svg[:root.start()] + tag + f"<title>{escape(title)}</title>" + svg[root.end():]


def urls(node: object, where: str = "spec") -> list[str]:
    """Where ``node`` names a URL to load (data, images, …): a chart rendered here has its data inline."""
    if isinstance(node, dict):
        found = [f"{where}.url" for k, v in node.items() if k == "url" and isinstance(v, str)]
        return found + [u for k, v in node.items() if k != "$schema" for u in urls(v, f"{where}.{k}")]
    if isinstance(node, list):
        return [u for i, v in enumerate(node) for u in urls(v, f"{where}[{i}]")]
    return []


def to_svg(spec: dict[str, Any], width: int = 640) -> str:
    """The chart as an SVG document (a string), ``width`` pixels wide at most, rendered without network."""
    if not isinstance(spec, dict) or not any(k in spec for k in ("layer", "mark", "concat", "hconcat", "vconcat")):
        raise ValueError("to_svg: spec must be a Vega-Lite spec (a dict with 'mark' or 'layer')")
    loads = urls(spec)
    if loads:
        raise ValueError(f"to_svg: the chart must carry its data inline, but {', '.join(loads[:3])} names a URL")
    svg = vl_convert.vegalite_to_svg(fixed(spec, width), vl_version=VL_VERSION, allowed_base_urls=[])
    return with_title(svg, str(spec.get("description") or ""))

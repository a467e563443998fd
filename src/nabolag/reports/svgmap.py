"""Zones drawn as an SVG map for reports: projected to a metric grid, simplified to the drawing scale,
one ``<path>`` per zone, a legend and a scale bar; no tiles, no network.

Geometries come in EPSG:4326 (as stored) and are drawn in EPSG:25833 (UTM 33N, the Norwegian national
grid, as the rest of the project measures distances), so a kilometre is as long east–west as north–south.
"""

from __future__ import annotations

import hashlib
import math
from functools import cache

import numpy as np
import shapely
from markupsafe import escape

from nabolag.i18n import _

METRIC_CRS = "EPSG:25833"
ROLES = ("member", "comparison", "context", "highlight")
DRAW_ORDER = ("context", "comparison", "member", "highlight")
#: fill, stroke, stroke width, dash; colours pass WCAG contrast against white for the strokes.
STYLE = {
    "context": ("#eeeeee", "#9e9e9e", 0.6, ""),
    "comparison": ("#fdd9b5", "#a34700", 1.2, "4 2"),
    "member": ("#9ecae1", "#08519c", 1.4, ""),
    "highlight": ("#fdae6b", "#7f2704", 2.2, ""),
}
LEGEND_ROW = 18
PAD = 6
#: Simplify to this many pixels (about 0.3 mm in print): finer detail cannot be seen.
TOLERANCE_PX = 1.0


def role_label(role: str) -> str:
    labels = {"member": _("Soner i området"), "comparison": _("Sammenligningssoner"),
              "context": _("Andre soner"), "highlight": _("Valgt sone")}
    return labels.get(role, role)


@cache
def _transformer() -> object:
    from pyproj import Transformer

    return Transformer.from_crs("EPSG:4326", METRIC_CRS, always_xy=True)


def _project(geoms: np.ndarray) -> np.ndarray:
    t = _transformer()
    return shapely.transform(geoms, lambda xy: np.column_stack(t.transform(xy[:, 0], xy[:, 1])))  # type: ignore[attr-defined]


def _ring_path(coords: np.ndarray) -> str:
    if len(coords) < 3:
        return ""
    pts = " ".join(f"{x:.1f} {y:.1f}" for x, y in coords[:-1])
    return "M" + pts + "Z"


def _path(geom: shapely.Geometry, origin: tuple[float, float], scale: float) -> str:
    """SVG path data for a (multi)polygon in pixel space (y down)."""
    x0, y1 = origin
    parts = []
    polys = shapely.get_parts(geom) if geom.geom_type.startswith("Multi") or geom.geom_type == "GeometryCollection" \
        else [geom]
    for poly in polys:
        if poly.geom_type != "Polygon" or poly.is_empty:
            continue
        for ring in (poly.exterior, *poly.interiors):
            xy = shapely.get_coordinates(ring)
            px = np.column_stack(((xy[:, 0] - x0) * scale + PAD, (y1 - xy[:, 1]) * scale + PAD))
            parts.append(_ring_path(px))
    return "".join(parts)


def _scale_bar(map_width_m: float, scale: float, y: float) -> str:
    """A bar of a round length (1, 2 or 5 × 10ⁿ metres) about a fifth of the map's width."""
    target = map_width_m / 5
    if target <= 0 or not math.isfinite(target):
        return ""
    power = 10 ** math.floor(math.log10(target))
    length = max(m * power for m in (1, 2, 5) if m * power <= target)
    px = length * scale
    label = f"{length / 1000:g} km" if length >= 1000 else f"{length:g} m"
    return (f'<g class="scale" aria-hidden="true"><path d="M{PAD} {y:.1f}h{px:.1f}" stroke="#222" stroke-width="2"/>'
            f'<text x="{PAD + px + 4:.1f}" y="{y + 4:.1f}" font-size="10">{label}</text></g>')


def _legend(roles: list[str], width: int,
            classes: list[tuple[str, str]] | None = None) -> tuple[list[tuple[float, int, str]], int]:
    """Legend items as (x, row, svg with y left as ``{y}``) and the number of rows they take: the roles
    (only their outline when ``classes`` colour the zones), then the colour classes."""
    entries = []
    for role in roles:
        fill, stroke, sw, dash = STYLE[role]
        if classes:
            if role == "context":
                continue
            fill = "none"
        entries.append((fill, stroke, sw, dash, role_label(role)))
    entries += [(colour, "#777777", 0.6, "", label) for colour, label in classes or []]
    items, x, row = [], float(PAD), 0
    for fill, stroke, sw, dash, label in entries:
        text = str(escape(label))
        step = 18 + 6.5 * len(label) + 14
        if x > PAD and x + step > width - PAD:
            x, row = float(PAD), row + 1
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        items.append((x, row, f'<rect x="{x:.0f}" y="{{y}}" width="14" height="10" fill="{fill}" stroke="{stroke}" '
                              f'stroke-width="{sw}"{dash_attr}/><text x="{x + 18:.0f}" y="{{ty}}" font-size="11">'
                              f'{text}</text>'))
        x += step
    return items, row + 1 if items else 0


def _place_legend(items: list[tuple[float, int, str]], top: float) -> str:
    out = []
    for _x, row, svg in items:
        y = top + row * LEGEND_ROW
        out.append(svg.replace("{y}", f"{y:.1f}").replace("{ty}", f"{y + 9:.1f}"))
    return '<g class="legend">' + "".join(out) + "</g>"


def _fill(feature: dict[str, object], role: str) -> str:
    """A feature's own ``fill`` (a ``#rrggbb`` colour, for a choropleth) or the role's."""
    fill = str(feature.get("fill") or "")
    if len(fill) == 7 and fill.startswith("#") and all(c in "0123456789abcdefABCDEF" for c in fill[1:]):
        return fill
    return STYLE[role][0]


def zones_svg(features: list[dict[str, object]], width: int = 640, height: int = 480, title: str = "",
              classes: list[tuple[str, str]] | None = None) -> str:
    """An SVG map of ``features``: each ``{"code", "name", "geometry" (shapely, EPSG:4326), "role"
    ("member" | "comparison" | "context" | "highlight"), "label" (optional short text), "fill" (optional
    ``#rrggbb``)}``. Context zones are drawn first, the highlighted last. The map has ``role="img"``, a
    ``<title>`` (``title``) and a legend of the roles present, and of ``classes`` (``(colour, label)``
    pairs, for zones coloured by their ``fill``); all text is escaped."""
    usable = [f for f in features if f.get("geometry") is not None and not f["geometry"].is_empty]  # type: ignore[attr-defined]
    for f in usable:
        if f.get("role", "member") not in ROLES:
            raise ValueError(f"zones_svg: unknown role {f.get('role')!r} for zone {f.get('code')!r}; use {ROLES}")
    usable.sort(key=lambda f: DRAW_ORDER.index(str(f.get("role", "member"))))
    present = {str(f.get("role", "member")) for f in usable}
    roles = [r for r in ("member", "comparison", "highlight", "context") if r in present]
    uid = "m" + hashlib.blake2s(f"{title}|{[f.get('code') for f in usable]}".encode(), digest_size=4).hexdigest()
    legend, rows = _legend(roles, width, classes)
    legend_h = LEGEND_ROW * rows + 20
    head = (f'<svg xmlns="http://www.w3.org/2000/svg" class="zone-map" role="img" aria-labelledby="{uid}-t" '
            f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-family="DejaVu Sans, sans-serif">'
            f'<title id="{uid}-t">{escape(title or _("Kart over soner"))}</title>')
    if not usable:
        return head + f'<text x="{PAD}" y="20" font-size="12">{escape(_("Ingen kartdata for sonene."))}</text></svg>'
    geoms = _project(np.array([f["geometry"] for f in usable], dtype=object))
    xmin, ymin, xmax, ymax = shapely.total_bounds(geoms)
    draw_w, draw_h = width - 2 * PAD, height - 2 * PAD - legend_h
    scale = min(draw_w / max(xmax - xmin, 1.0), draw_h / max(ymax - ymin, 1.0))
    geoms = shapely.simplify(geoms, TOLERANCE_PX / scale, preserve_topology=True)
    origin = (xmin - (draw_w / scale - (xmax - xmin)) / 2, ymax + (draw_h / scale - (ymax - ymin)) / 2)
    body, labels = [], []
    for f, g in zip(usable, geoms, strict=True):
        role = str(f.get("role", "member"))
        _fill_default, stroke, sw, dash = STYLE[role]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        name = escape(f.get("name") or f.get("code") or "")
        body.append(f'<path d="{_path(g, origin, scale)}" fill="{_fill(f, role)}" stroke="{stroke}" '
                    f'stroke-width="{sw}"{dash_attr} stroke-linejoin="round" data-code="{escape(f.get("code", ""))}" '
                    f'data-role="{role}"><title>{name}</title></path>')
        if f.get("label"):
            p = shapely.get_coordinates(shapely.point_on_surface(g))[0]
            x, y = (p[0] - origin[0]) * scale + PAD, (origin[1] - p[1]) * scale + PAD
            label = escape(str(f["label"]))
            at = f'x="{x:.1f}" y="{y:.1f}" font-size="10" text-anchor="middle"'
            labels.append(f'<text {at} fill="#fff" stroke="#fff" stroke-width="3" stroke-linejoin="round" '
                          f'aria-hidden="true">{label}</text><text {at} fill="#111" class="label">{label}</text>')
    top = height - legend_h + 2
    bar = _scale_bar(draw_w / scale, scale, top + 6)
    return (head + '<g class="zones">' + "".join(body) + "</g>" + "".join(labels) + bar
            + _place_legend(legend, top + 16) + "</svg>")

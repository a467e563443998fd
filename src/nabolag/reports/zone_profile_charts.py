"""The zone profile's chart: a spine chart, one small SVG per indicator row.

Each row shows, on the indicator's own scale, the range of the published values of all zones of the
same level in the same period (light bar: lowest to highest; dark bar: the middle half, 25th to 75th
percentile), the city's value (a black line) and the zone (a dot with its 95 % interval). The dot's
colour says how the zone stands against the city: better, worse or no clear difference (the interval
covers the city's value), judged with the indicator's direction; grey when there is no direction or
no interval. For an indicator where lower is better the scale is turned round, so "better" is always
to the right, as in Public Health England's spine charts.
"""

from __future__ import annotations

import math

import numpy as np
from markupsafe import escape

from nabolag.i18n import _

WIDTH, HEIGHT = 120, 14
PAD = 4
#: Fill and stroke per verdict; blue/red are told apart by people with red-green colour blindness too.
COLOURS = {"better": ("#2166ac", "#2166ac"), "worse": ("#b2182b", "#b2182b"), "similar": ("#ffffff", "#333333"),
           "none": ("#9e9e9e", "#616161")}


def verdict(value: float | None, low: float | None, high: float | None, city: float | None,
            direction: str) -> str:
    """``better``, ``worse``, ``similar`` (the interval covers the city's value) or ``none`` (no value,
    no interval, no city value or no direction).

    >>> verdict(12.0, 10.0, 14.0, 8.0, "lower_is_better"), verdict(12.0, 10.0, 14.0, 11.0, "lower_is_better")
    ('worse', 'similar')
    """
    if value is None or low is None or high is None or city is None or direction not in (
            "higher_is_better", "lower_is_better"):
        return "none"
    if low <= city <= high:
        return "similar"
    above = low > city
    return "better" if above == (direction == "higher_is_better") else "worse"


def verdict_label(v: str) -> str:
    labels = {"better": _("bedre enn byen"), "worse": _("dårligere enn byen"), "similar": _("som byen"),
              "none": _("ikke vurdert")}
    return labels.get(v, v)


def spread(values: np.ndarray) -> dict[str, float] | None:
    """Lowest, 25th and 75th percentile and highest of the finite ``values`` (None if there are none)."""
    v = values[np.isfinite(values)]
    if v.size == 0:
        return None
    q25, q75 = np.percentile(v, [25, 75])
    return {"min": float(v.min()), "q25": float(q25), "q75": float(q75), "max": float(v.max())}


def _finite(*values: float | None) -> list[float]:
    return [float(v) for v in values if v is not None and math.isfinite(float(v))]


def spine_svg(*, value: float | None, low: float | None, high: float | None, city: float | None,
              dist: dict[str, float] | None, direction: str, label: str) -> str:
    """One row of the spine chart as inline SVG (``role="img"`` with ``label`` as its accessible name)."""
    known = _finite(value, low, high, city, *(dist.values() if dist else ()))
    head = (f'<svg xmlns="http://www.w3.org/2000/svg" class="spine" role="img" width="{WIDTH}" height="{HEIGHT}" '
            f'viewBox="0 0 {WIDTH} {HEIGHT}"><title>{escape(label)}</title>')
    if not known:
        return head + "</svg>"
    lo, hi = min(known), max(known)
    if hi - lo < 1e-12:
        lo, hi = lo - 1, hi + 1
    flip = direction == "lower_is_better"

    def x(v: float) -> float:
        f = (v - lo) / (hi - lo)
        return PAD + (1 - f if flip else f) * (WIDTH - 2 * PAD)

    parts = []
    mid = HEIGHT / 2
    if dist:
        a, b = sorted((x(dist["min"]), x(dist["max"])))
        parts.append(f'<rect x="{a:.1f}" y="{mid - 4:.1f}" width="{max(b - a, 0.5):.1f}" height="8" fill="#e0e0e0"/>')
        a, b = sorted((x(dist["q25"]), x(dist["q75"])))
        parts.append(f'<rect x="{a:.1f}" y="{mid - 4:.1f}" width="{max(b - a, 0.5):.1f}" height="8" fill="#a6a6a6"/>')
    if city is not None and math.isfinite(city):
        parts.append(f'<path d="M{x(city):.1f} 1V{HEIGHT - 1}" stroke="#000" stroke-width="1.4"/>')
    if value is not None and math.isfinite(value):
        v = verdict(value, low, high, city, direction)
        fill, stroke = COLOURS[v]
        if low is not None and high is not None:
            a, b = sorted((x(low), x(high)))
            parts.append(f'<path d="M{a:.1f} {mid:.1f}H{b:.1f}" stroke="{stroke}" stroke-width="1.2"/>')
        parts.append(f'<circle cx="{x(value):.1f}" cy="{mid:.1f}" r="3.4" fill="{fill}" stroke="{stroke}" '
                     f'stroke-width="1.1" data-verdict="{v}"/>')
    return head + "".join(parts) + "</svg>"


def legend_svg() -> str:
    """The key under the table: the bars, the city's line and the three dot colours."""
    items = [("bar", _("laveste–høyeste sone")), ("iqr", _("midterste halvdel av sonene")), ("city", _("byen")),
             ("better", verdict_label("better")), ("similar", verdict_label("similar")),
             ("worse", verdict_label("worse")), ("none", verdict_label("none"))]
    parts, x = [], 2.0
    for key, text in items:
        if key == "bar":
            parts.append(f'<rect x="{x:.0f}" y="3" width="14" height="8" fill="#e0e0e0"/>')
        elif key == "iqr":
            parts.append(f'<rect x="{x:.0f}" y="3" width="14" height="8" fill="#a6a6a6"/>')
        elif key == "city":
            parts.append(f'<path d="M{x + 7:.0f} 1V13" stroke="#000" stroke-width="1.4"/>')
        else:
            fill, stroke = COLOURS[key]
            parts.append(f'<circle cx="{x + 7:.0f}" cy="7" r="3.4" fill="{fill}" stroke="{stroke}" '
                         'stroke-width="1.1"/>')
        label = str(escape(text))
        parts.append(f'<text x="{x + 18:.0f}" y="11" font-size="9">{label}</text>')
        x += 24 + 4.9 * len(text)
    width = int(x)
    title = escape(_("Forklaring til søylene"))
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="spine-legend" role="img" width="{width}" height="14" '
            f'viewBox="0 0 {width} 14" font-family="DejaVu Sans, sans-serif"><title>{title}</title>'
            + "".join(parts) + "</svg>")

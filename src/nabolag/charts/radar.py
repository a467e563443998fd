"""A radar chart of survey themes, an area against the city (one entry of the survey results page's
``radars``). Vega-Lite has no radar mark, so the chart is drawn in Cartesian coordinates: theme i is a
spoke at angle 2πi/k (the first straight up), a value sits at radius (value − min)/(max − min) on its
spoke, each place is a closed line through its points; rings and spokes are line and rule layers and the
spokes are numbered like the rows of the table beside the chart. A suppressed value (None) leaves a gap:
the line goes through the shown themes only."""

from __future__ import annotations

import math
from typing import Any

from nabolag.charts.labels import SCHEMA, chart_labels

COLOURS = ["#0b5394", "#3d3d3d"]
DASHES = [[1, 0], [5, 3]]
RINGS = (0.25, 0.5, 0.75, 1.0)
DIGITS = 6  # coordinates in a 300 px chart: a millionth is far below a pixel


def scale_of(unit: str) -> tuple[float, float]:
    """The value range of the radius: 1–7 for Place Standard means, else 0–100 (per cent)."""
    return (1.0, 7.0) if unit == "1-7" else (0.0, 100.0)


def polar(i: int, k: int, r: float) -> tuple[float, float]:
    """The point at radius ``r`` on spoke ``i`` of ``k`` (spoke 0 straight up, clockwise)."""
    a = 2 * math.pi * i / k - math.pi / 2
    return round(r * math.cos(a), DIGITS) + 0.0, round(-r * math.sin(a), DIGITS) + 0.0


def tick(v: float) -> str:
    """A ring label: rounded to one decimal, half up, without a trailing ``.0`` (as JavaScript prints it)."""
    x = math.floor(v * 10 + 0.5) / 10
    return str(int(x)) if x == int(x) else str(x)


def _points(radar: dict[str, Any], names: list[str], lo: float, hi: float) -> list[dict[str, Any]]:
    themes = list(radar["themes"])
    k = len(themes)
    points: list[dict[str, Any]] = []
    for j, role in enumerate(("area", "city")):
        first = None
        for i, t in enumerate(themes):
            v = next((r for r in radar.get("values") or [] if r.get("theme") == t and r.get("place") == role), None)
            if v is None or v.get("value") is None:
                continue
            r = max(0.0, min(1.0, (float(v["value"]) - lo) / (hi - lo)))
            x, y = polar(i, k, r)
            row = {"place": names[j], "order": i, "x": x, "y": y, "theme": f"{i + 1}. {v.get('label', '')}",
                   "value": v["value"], "lo": v.get("ci_low"), "hi": v.get("ci_high")}
            first = first or row
            points.append(row)
        if first:
            points.append({**first, "order": k})  # close the shape
    return points


def radar_chart(radar: dict[str, Any]) -> dict[str, Any]:
    """The Vega-Lite spec of one radar of the survey results page (what survey_results.js used to build)."""
    L = chart_labels()
    for key in ("themes", "area_name", "city_name"):
        if key not in radar:
            raise ValueError(f"radar_chart: the radar {radar.get('area', '?')!r} has no {key!r}; "
                             "pass one entry of results_page(...)['radars']")
    k = len(radar["themes"])
    if k == 0:
        raise ValueError(f"radar_chart: the radar {radar.get('area', '?')!r} has no themes to draw")
    lo, hi = scale_of(str(radar.get("unit") or ""))
    names = [str(radar["area_name"]), str(radar["city_name"])]
    rings = [{"ring": r, "order": i, "x": p[0], "y": p[1]}
             for r in RINGS for i in range(k + 1) for p in [polar(i % k, k, r)]]
    spokes = [{"x": 0, "y": 0, "x2": e[0], "y2": e[1]} for e in (polar(i, k, 1) for i in range(k))]
    numbers = [{"x": p[0], "y": p[1], "text": str(i + 1)} for i in range(k) for p in [polar(i, k, 1.14)]]
    ring_labels = [{"x": 0.03, "y": r, "text": tick(lo + r * (hi - lo))} for r in RINGS]

    def axis(field: str) -> dict[str, Any]:
        return {"field": field, "type": "quantitative", "scale": {"domain": [-1.25, 1.25]}, "axis": None}

    def xy() -> dict[str, Any]:
        return {"x": axis("x"), "y": axis("y")}

    def legend() -> dict[str, Any]:
        return {"title": None, "orient": "bottom", "symbolType": "stroke", "symbolStrokeWidth": 3, "labelFontSize": 13}

    order = {"field": "order", "type": "quantitative"}
    interval = L["interval"]
    return {
        "$schema": SCHEMA, "description": " / ".join(names),
        "width": 300, "height": 300, "autosize": {"type": "pad"}, "view": {"stroke": None},
        "layer": [
            {"data": {"values": rings}, "mark": {"type": "line", "color": "#c8c8c8", "strokeWidth": 1},
             "encoding": {**xy(), "detail": {"field": "ring", "type": "nominal"}, "order": dict(order)}},
            {"data": {"values": spokes}, "mark": {"type": "rule", "color": "#c8c8c8"},
             "encoding": {**xy(), "x2": {"field": "x2"}, "y2": {"field": "y2"}}},
            {"data": {"values": ring_labels},
             "mark": {"type": "text", "align": "left", "baseline": "bottom", "fontSize": 10, "color": "#555"},
             "encoding": {**xy(), "text": {"field": "text"}}},
            {"data": {"values": numbers},
             "mark": {"type": "text", "fontSize": 13, "fontWeight": "bold", "color": "#222"},
             "encoding": {**xy(), "text": {"field": "text"}}},
            {"data": {"values": _points(radar, names, lo, hi)},
             "mark": {"type": "line", "strokeWidth": 2.5, "point": {"filled": True, "size": 40}},
             "encoding": {**xy(),
                          "color": {"field": "place", "type": "nominal",
                                    "scale": {"domain": list(names), "range": list(COLOURS)}, "legend": legend()},
                          "order": dict(order),
                          "strokeDash": {"field": "place", "type": "nominal",
                                         "scale": {"domain": list(names), "range": [list(d) for d in DASHES]},
                                         "legend": legend()},
                          "tooltip": [{"field": "place", "title": L["area"]}, {"field": "theme", "title": " "},
                                      {"field": "value", "title": L["value"], "format": ".1f"},
                                      {"field": "lo", "title": interval + " ↓", "format": ".1f"},
                                      {"field": "hi", "title": interval + " ↑", "format": ".1f"}]}},
        ],
    }

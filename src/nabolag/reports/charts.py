"""Report-only chart specs (Vega-Lite, rendered to SVG by :func:`nabolag.charts.to_svg`): values with
their 95 % intervals, indicator by indicator, as dots on a line for each place or each kind of change.

Indicators in different units cannot share an axis, so the chart is one panel per unit stacked
(``vconcat``), each with its own scale; a change chart has a rule at zero. Places are told apart by
colour *and* shape, so the chart also reads in black and white.
"""

from __future__ import annotations

from typing import Any

from nabolag.charts.labels import SCHEMA

COLOURS = ["#0b5394", "#a04a00", "#3d3d3d", "#1b5e20"]
SHAPES = ["circle", "square", "triangle-up", "diamond"]
ROW_HEIGHT = 22
LABEL_LIMIT = 230


def _panel(rows: list[dict[str, Any]], unit: str, series: list[str], zero: bool, width: int,
           value_title: str) -> dict[str, Any]:
    indicators = list(dict.fromkeys(r["indicator"] for r in rows))
    y = {"field": "indicator", "type": "nominal", "sort": indicators, "title": None,
         "axis": {"labelLimit": LABEL_LIMIT, "labelFontSize": 11}}
    y_offset = {"field": "series", "type": "nominal", "sort": series}
    colour = {"field": "series", "type": "nominal", "scale": {"domain": series, "range": COLOURS[:len(series)]},
              "legend": {"title": None, "orient": "bottom", "labelFontSize": 11, "labelLimit": 400}}
    shape = {"field": "series", "type": "nominal", "scale": {"domain": series, "range": SHAPES[:len(series)]},
             "legend": {"title": None, "orient": "bottom"}}
    x = {"field": "value", "type": "quantitative", "title": f"{value_title} ({unit})" if unit else value_title,
         "scale": {"zero": zero, "nice": True}}
    layers: list[dict[str, Any]] = [
        {"mark": {"type": "rule", "strokeWidth": 1.5},
         "encoding": {"y": y, "yOffset": y_offset, "x": {**x, "field": "lo"}, "x2": {"field": "hi"}, "color": colour}},
        {"mark": {"type": "point", "filled": True, "size": 55},
         "encoding": {"y": y, "yOffset": y_offset, "x": x, "color": colour, "shape": shape}},
    ]
    if zero:
        layers.insert(0, {"data": {"values": [{"zero": 0}]}, "mark": {"type": "rule", "color": "#888",
                                                                       "strokeDash": [3, 3]},
                          "encoding": {"x": {"field": "zero", "type": "quantitative"}}})
    height = len(indicators) * (ROW_HEIGHT + 6 * max(0, len(series) - 2))
    return {"data": {"values": rows}, "width": width, "height": height, "layer": layers}


def interval_chart(rows: list[dict[str, Any]], series: list[str], *, description: str, value_title: str,
                   zero: bool = False, width: int = 380) -> dict[str, Any] | None:
    """Dots with interval lines: ``rows`` of ``{"indicator", "unit", "series", "value", "lo", "hi"}``
    (``lo``/``hi`` may be None), ``series`` in legend order. One panel per unit. None when no row has a
    value (a chart of nothing says nothing)."""
    shown = [r for r in rows if r.get("value") is not None]
    if not shown:
        return None
    units = list(dict.fromkeys(str(r.get("unit") or "") for r in shown))
    used = [s for s in series if any(r["series"] == s for r in shown)]
    panels = [_panel([r for r in shown if str(r.get("unit") or "") == u], u, used, zero, width, value_title)
              for u in units]
    spec: dict[str, Any] = {"$schema": SCHEMA, "description": description,
                            "config": {"font": "DejaVu Sans", "axis": {"labelFontSize": 10, "titleFontSize": 11}}}
    if len(panels) == 1:
        spec.update(panels[0])
    else:
        spec.update(vconcat=panels, resolve={"scale": {"x": "independent"}})
    return spec

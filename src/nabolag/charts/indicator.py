"""An indicator over time for a zone, its bydel and the city: lines with 95 % interval bands, the
areas' baselines (nullpunkt) and targets as horizontal rules. The input is one entry of
``views_zone.zone_page(ctx, code)["indicators"]`` (its ``place_names`` say who the roles are)."""

from __future__ import annotations

from typing import Any

from nabolag.charts.labels import SCHEMA, chart_labels

ROLES = ("zone", "parent", "city")
COLOURS = {"zone": "#0b5394", "parent": "#a04a00", "city": "#3d3d3d"}
DASHES = {"zone": [1, 0], "parent": [6, 3], "city": [2, 2]}
BASELINE_COLOUR = "#6b3e00"
TARGET_COLOUR = "#1b5e20"
LEGEND = {"orient": "bottom", "symbolType": "stroke", "symbolStrokeWidth": 2, "labelFontSize": 12}


def short(v: float | None) -> float | None:
    """``v`` to six significant digits: far below a pixel, and a third of the bytes of a full float."""
    return None if v is None else float(f"{v:.6g}")


def _need(ind: dict[str, Any], key: str) -> Any:
    if key not in ind:
        raise ValueError(f"indicator_chart: the indicator {ind.get('code', '?')!r} has no {key!r}; "
                         "pass one entry of zone_page(...)['indicators']")
    return ind[key]


def _rows(series: list[dict[str, Any]], names: dict[str, str]) -> list[dict[str, Any]]:
    """One row per shown figure: period, place (its name), value and interval (``lo``, ``hi``; None if none)."""
    points = []
    for s in series:
        for role in ROLES:
            c = s.get(role)
            if not c or c.get("value") is None or role not in names:
                continue
            row = {"period": s["period"], "place": names[role], "value": c["value"],
                   "lo": short(c.get("ci_low")), "hi": short(c.get("ci_high"))}
            points.append(row)
    return points


def _rules(values: list[dict[str, Any]], colour: str, dash: list[int], dy: int,
           width: int | None) -> dict[str, Any]:
    """A horizontal rule per value with its label written at the left edge (one layer, its own data)."""
    rule: dict[str, Any] = {"type": "rule", "strokeDash": dash, "color": colour}
    if width is not None:
        rule["strokeWidth"] = width
    y = {"field": "value", "type": "quantitative"}
    return {"data": {"values": values}, "layer": [
        {"mark": rule, "encoding": {"y": y, "tooltip": [{"field": "label", "title": " "}]}},
        {"mark": {"type": "text", "align": "left", "dx": 4, "dy": dy, "color": colour},
         "encoding": {"y": dict(y), "x": {"value": 0}, "text": {"field": "label"}}}]}


def indicator_chart(ind: dict[str, Any]) -> dict[str, Any]:
    """The Vega-Lite spec of one indicator of the zone page (what zone.js used to build)."""
    L = chart_labels()
    names = {r: str(n) for r, n in (_need(ind, "place_names") or {}).items() if n}
    series = _need(ind, "series")
    roles = [r for r in ROLES if r in names and (r == "zone" or ind.get("compared"))]
    shown = [names[r] for r in roles]
    points = _rows(series, {r: names[r] for r in roles})
    periods = [s["period"] for s in series]

    x = {"field": "period", "type": "ordinal", "sort": periods, "title": L["period"], "axis": {"labelAngle": 0}}
    colour = {"field": "place", "type": "nominal", "scale": {"domain": shown, "range": [COLOURS[r] for r in roles]},
              "legend": {"title": None}}
    interval = L["interval"]
    lines: list[dict[str, Any]] = []
    if any(p["lo"] is not None and p["hi"] is not None for p in points):  # a band over the rows with an interval
        lines.append({"transform": [{"filter": {"and": [{"field": "lo", "valid": True},
                                                        {"field": "hi", "valid": True}]}}],
                      "mark": {"type": "area", "fillOpacity": 0.15},
                      "encoding": {"y": {"field": "lo", "type": "quantitative"}, "y2": {"field": "hi"}}})
    lines.append({"mark": {"type": "line", "point": True, "strokeWidth": 2},
                  "encoding": {"y": {"field": "value", "type": "quantitative", "title": ind.get("unit"),
                                     "scale": {"zero": False}},
                               "strokeDash": {"field": "place", "type": "nominal",
                                              "scale": {"domain": shown, "range": [DASHES[r] for r in roles]},
                                              "legend": {"title": None}},
                               "tooltip": [{"field": "place", "title": " "},
                                           {"field": "period", "title": L["period"]},
                                           {"field": "value", "title": L["value"], "format": ".2f"},
                                           {"field": "lo", "title": interval + " ↓", "format": ".2f"},
                                           {"field": "hi", "title": interval + " ↑", "format": ".2f"}]}})
    # the figures (sent once) with the x and colour encodings their band and line share
    layers: list[dict[str, Any]] = [{"data": {"values": points}, "encoding": {"x": x, "color": colour},
                                     "layer": lines}]
    base = []
    for b in ind.get("baselines") or []:
        if b.get("value") is None:
            continue
        label = str(b.get("label") or "")
        name = label if L["baseline"].lower() in label.lower() else f"{L['baseline']} {label}"
        base.append({"value": b["value"], "label": f"{name} ({b.get('area_name', '')})"})
    if base:
        layers.append(_rules(base, BASELINE_COLOUR, [8, 4], -6, None))
    goals = [{"value": t["value"], "label": f"{L['target']} {t.get('period') or ''} ({t.get('area_name', '')})"}
             for t in ind.get("targets") or [] if t.get("value") is not None]
    if goals:
        layers.append(_rules(goals, TARGET_COLOUR, [2, 3], 10, 2))
    return {"$schema": SCHEMA, "description": str(ind.get("name") or ""),
            "width": "container", "height": 220, "autosize": {"type": "fit-x", "contains": "padding"},
            "config": {"legend": dict(LEGEND)}, "layer": layers}

"""The survey results page's radar, built in Python: the spec written out by hand for four themes (so the
spokes point up, right, down and left and every coordinate is a whole or a quarter)."""

from __future__ import annotations

from typing import Any

import pytest

from charts.support import radar, texts
from nabolag.charts import radar_chart, to_svg
from nabolag.i18n import set_language

RINGS = [0.25, 0.5, 0.75, 1.0]
AXIS = {"type": "quantitative", "scale": {"domain": [-1.25, 1.25]}, "axis": None}
XY = {"x": {"field": "x", **AXIS}, "y": {"field": "y", **AXIS}}
NAMES = ["Groruddalen", "Oslo"]
LEGEND = {"title": None, "orient": "bottom", "symbolType": "stroke", "symbolStrokeWidth": 3, "labelFontSize": 13}


def point(place: str, order: int, x: float, y: float, theme: str, value: float) -> dict[str, Any]:
    return {"place": place, "order": order, "x": x, "y": y, "theme": theme, "value": value,
            "lo": value - 0.5, "hi": value + 0.5}


# 1–7 scale: radius (value − 1) / 6. Groruddalen: a = 7 → 1 (up), b hidden, c = 4 → 0.5 (down),
# d = 1 → 0 (centre), then back to a. Oslo: a = 4 → 0.5 up, b = 5.5 → 0.75 right, c = 1 → centre, d = 7 → 1 left.
POINTS = [point("Groruddalen", 0, 0, 1, "1. Trygghet", 7.0), point("Groruddalen", 2, 0, -0.5, "3. Grøntområder", 4.0),
          point("Groruddalen", 3, 0, 0, "4. Trafikk", 1.0), point("Groruddalen", 4, 0, 1, "1. Trygghet", 7.0),
          point("Oslo", 0, 0, 0.5, "1. Trygghet", 4.0), point("Oslo", 1, 0.75, 0, "2. Lek", 5.5),
          point("Oslo", 2, 0, 0, "3. Grøntområder", 1.0), point("Oslo", 3, -1, 0, "4. Trafikk", 7.0),
          point("Oslo", 4, 0, 0.5, "1. Trygghet", 4.0)]
EXPECTED = {
    "$schema": "https://vega.github.io/schema/vega-lite/v6.json", "description": "Groruddalen / Oslo",
    "width": 300, "height": 300, "autosize": {"type": "pad"}, "view": {"stroke": None},
    "layer": [
        {"data": {"values": [{"ring": r, "order": i, "x": x, "y": y} for r in RINGS
                             for i, (x, y) in enumerate([(0, r), (r, 0), (0, -r), (-r, 0), (0, r)])]},
         "mark": {"type": "line", "color": "#c8c8c8", "strokeWidth": 1},
         "encoding": {**XY, "detail": {"field": "ring", "type": "nominal"},
                      "order": {"field": "order", "type": "quantitative"}}},
        {"data": {"values": [{"x": 0, "y": 0, "x2": 0, "y2": 1}, {"x": 0, "y": 0, "x2": 1, "y2": 0},
                             {"x": 0, "y": 0, "x2": 0, "y2": -1}, {"x": 0, "y": 0, "x2": -1, "y2": 0}]},
         "mark": {"type": "rule", "color": "#c8c8c8"}, "encoding": {**XY, "x2": {"field": "x2"}, "y2": {"field": "y2"}}},
        {"data": {"values": [{"x": 0.03, "y": 0.25, "text": "2.5"}, {"x": 0.03, "y": 0.5, "text": "4"},
                             {"x": 0.03, "y": 0.75, "text": "5.5"}, {"x": 0.03, "y": 1, "text": "7"}]},
         "mark": {"type": "text", "align": "left", "baseline": "bottom", "fontSize": 10, "color": "#555"},
         "encoding": {**XY, "text": {"field": "text"}}},
        {"data": {"values": [{"x": 0, "y": 1.14, "text": "1"}, {"x": 1.14, "y": 0, "text": "2"},
                             {"x": 0, "y": -1.14, "text": "3"}, {"x": -1.14, "y": 0, "text": "4"}]},
         "mark": {"type": "text", "fontSize": 13, "fontWeight": "bold", "color": "#222"},
         "encoding": {**XY, "text": {"field": "text"}}},
        {"data": {"values": POINTS}, "mark": {"type": "line", "strokeWidth": 2.5, "point": {"filled": True, "size": 40}},
         "encoding": {**XY,
                      "color": {"field": "place", "type": "nominal", "legend": LEGEND,
                                "scale": {"domain": NAMES, "range": ["#0b5394", "#3d3d3d"]}},
                      "order": {"field": "order", "type": "quantitative"},
                      "strokeDash": {"field": "place", "type": "nominal", "legend": LEGEND,
                                     "scale": {"domain": NAMES, "range": [[1, 0], [5, 3]]}},
                      "tooltip": [{"field": "place", "title": "Område"}, {"field": "theme", "title": " "},
                                  {"field": "value", "title": "Verdi", "format": ".1f"},
                                  {"field": "lo", "title": "95 % intervall ↓", "format": ".1f"},
                                  {"field": "hi", "title": "95 % intervall ↑", "format": ".1f"}]}},
    ],
}


def test_the_spec_for_four_themes_is_the_one_written_by_hand() -> None:
    """The same structure survey_results.js built (its layers, marks and encodings unchanged)."""
    assert radar_chart(radar()) == EXPECTED


def test_a_per_cent_radar_has_rings_at_25_to_100_and_values_are_kept_inside() -> None:
    r = radar()
    r["unit"] = "prosent"
    for v in r["values"]:
        v["value"] = None if v["value"] is None else v["value"] * 20  # 7 → 140 %: drawn at the rim, not beyond
    spec = radar_chart(r)
    assert [t["text"] for t in spec["layer"][2]["data"]["values"]] == ["25", "50", "75", "100"]
    points = spec["layer"][4]["data"]["values"]
    assert max((p["x"] ** 2 + p["y"] ** 2) ** 0.5 for p in points) == pytest.approx(1.0)
    assert points[1]["y"] == pytest.approx(-(80 - 0) / 100)  # c: 4 × 20 = 80 % → radius 0.8, pointing down


def test_three_themes_put_the_spokes_120_degrees_apart() -> None:
    r = radar()
    r["themes"] = ["a", "b", "c"]
    spokes = radar_chart(r)["layer"][1]["data"]["values"]
    assert [(s["x2"], s["y2"]) for s in spokes] == [(0, 1), (pytest.approx(3**0.5 / 2), pytest.approx(-0.5)),
                                                    (pytest.approx(-(3**0.5) / 2), pytest.approx(-0.5))]


def test_english_labels_and_the_svg_carries_the_numbers_and_names_as_text() -> None:
    set_language("en")
    spec = radar_chart(radar())
    assert spec["layer"][4]["encoding"]["tooltip"][0]["title"] == "Area"
    words = texts(to_svg(spec))
    assert {"1", "2", "3", "2.5", "5.5", "7", "Groruddalen", "Oslo"} <= set(words) and words.count("4") == 2  # spoke, ring


def test_a_radar_without_themes_or_names_is_refused_with_a_clear_message() -> None:
    with pytest.raises(ValueError, match="'groruddalen' has no themes"):
        radar_chart({**radar(), "themes": []})
    r = radar()
    del r["city_name"]
    with pytest.raises(ValueError, match="has no 'city_name'"):
        radar_chart(r)

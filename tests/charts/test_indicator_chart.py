"""The zone page's indicator chart, built in Python: the spec written out by hand for a small input (2
periods, 3 places), and the same picture as the spec zone.js used to build (rendered side by side)."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from charts.support import indicator, texts, without_layer_names
from nabolag.charts import indicator_chart, to_svg
from nabolag.i18n import set_language

X = {"field": "period", "type": "ordinal", "sort": ["2020", "2021"], "title": "Periode", "axis": {"labelAngle": 0}}
NAMES = ["Ammerud", "Grorud", "Oslo"]
TOOLTIP = [{"field": "place", "title": " "}, {"field": "period", "title": "Periode"},
           {"field": "value", "title": "Verdi", "format": ".2f"},
           {"field": "lo", "title": "95 % intervall ↓", "format": ".2f"},
           {"field": "hi", "title": "95 % intervall ↑", "format": ".2f"}]
POINTS = [{"period": "2020", "place": "Ammerud", "value": 10.0, "lo": 8.0, "hi": 12.0},
          {"period": "2020", "place": "Grorud", "value": 11.0, "lo": None, "hi": None},
          {"period": "2020", "place": "Oslo", "value": 12.0, "lo": 11.5, "hi": 12.5},
          {"period": "2021", "place": "Ammerud", "value": 11.0, "lo": 9.12346, "hi": 13.0},  # 6 significant digits
          {"period": "2021", "place": "Oslo", "value": 12.5, "lo": 12.0, "hi": 13.0}]
BASE = [{"value": 9.5, "label": "Nullpunkt 2020 (Groruddalen)"}]
GOALS = [{"value": 8.0, "label": "Målverdi 2030 (Groruddalen)"}]


def rules(values: list[dict[str, Any]], rule: dict[str, Any], text: dict[str, Any]) -> dict[str, Any]:
    y = {"field": "value", "type": "quantitative"}
    return {"data": {"values": values}, "layer": [
        {"mark": rule, "encoding": {"y": y, "tooltip": [{"field": "label", "title": " "}]}},
        {"mark": text, "encoding": {"y": y, "x": {"value": 0}, "text": {"field": "label"}}}]}


EXPECTED = {
    "$schema": "https://vega.github.io/schema/vega-lite/v6.json", "description": "Andel med lavinntekt",
    "width": "container", "height": 220, "autosize": {"type": "fit-x", "contains": "padding"},
    "config": {"legend": {"orient": "bottom", "symbolType": "stroke", "symbolStrokeWidth": 2, "labelFontSize": 12}},
    "layer": [
        {"data": {"values": POINTS},
         "encoding": {"x": X, "color": {"field": "place", "type": "nominal", "legend": {"title": None},
                                        "scale": {"domain": NAMES, "range": ["#0b5394", "#a04a00", "#3d3d3d"]}}},
         "layer": [
             {"transform": [{"filter": {"and": [{"field": "lo", "valid": True}, {"field": "hi", "valid": True}]}}],
              "mark": {"type": "area", "fillOpacity": 0.15},
              "encoding": {"y": {"field": "lo", "type": "quantitative"}, "y2": {"field": "hi"}}},
             {"mark": {"type": "line", "point": True, "strokeWidth": 2},
              "encoding": {"y": {"field": "value", "type": "quantitative", "title": "prosent", "scale": {"zero": False}},
                           "strokeDash": {"field": "place", "type": "nominal", "legend": {"title": None},
                                          "scale": {"domain": NAMES, "range": [[1, 0], [6, 3], [2, 2]]}},
                           "tooltip": TOOLTIP}}]},
        rules(BASE, {"type": "rule", "strokeDash": [8, 4], "color": "#6b3e00"},
              {"type": "text", "align": "left", "dx": 4, "dy": -6, "color": "#6b3e00"}),
        rules(GOALS, {"type": "rule", "strokeDash": [2, 3], "strokeWidth": 2, "color": "#1b5e20"},
              {"type": "text", "align": "left", "dx": 4, "dy": 10, "color": "#1b5e20"}),
    ],
}


def zone_js_spec() -> dict[str, Any]:
    """What ``chartSpec`` in zone.js built for :func:`indicator` (before the specs moved to the server),
    written out by hand: a band layer with its own copy of the rows that have an interval, the line layer,
    and a rule and a text layer each for baselines and targets, every layer with its own data."""
    legend = {"title": None, "orient": "bottom", "symbolType": "stroke", "symbolStrokeWidth": 2, "labelFontSize": 12}
    colour = {"field": "place", "type": "nominal", "legend": legend,
              "scale": {"domain": NAMES, "range": ["#0b5394", "#a04a00", "#3d3d3d"]}}
    dash = {"field": "place", "type": "nominal", "legend": legend,
            "scale": {"domain": NAMES, "range": [[1, 0], [6, 3], [2, 2]]}}
    points = copy.deepcopy(POINTS)
    points[3]["lo"] = 9.123456789  # zone.js passed the interval on unrounded
    y = {"field": "value", "type": "quantitative"}
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json", "description": "Andel med lavinntekt",
        "width": "container", "height": 220, "autosize": {"type": "fit-x", "contains": "padding"},
        "layer": [
            {"data": {"values": [p for p in points if p["lo"] is not None]},
             "mark": {"type": "area", "fillOpacity": 0.15},
             "encoding": {"x": X, "y": {"field": "lo", "type": "quantitative"}, "y2": {"field": "hi"}, "color": colour}},
            {"data": {"values": points}, "mark": {"type": "line", "point": True, "strokeWidth": 2},
             "encoding": {"x": X, "y": {**y, "title": "prosent", "scale": {"zero": False}}, "color": colour,
                          "strokeDash": dash, "tooltip": TOOLTIP}},
            {"data": {"values": BASE}, "mark": {"type": "rule", "strokeDash": [8, 4], "color": "#6b3e00"},
             "encoding": {"y": y, "tooltip": [{"field": "label", "title": " "}]}},
            {"data": {"values": BASE}, "mark": {"type": "text", "align": "left", "dx": 4, "dy": -6, "color": "#6b3e00"},
             "encoding": {"y": y, "x": {"value": 0}, "text": {"field": "label"}}},
            {"data": {"values": GOALS},
             "mark": {"type": "rule", "strokeDash": [2, 3], "strokeWidth": 2, "color": "#1b5e20"},
             "encoding": {"y": y, "tooltip": [{"field": "label", "title": " "}]}},
            {"data": {"values": GOALS}, "mark": {"type": "text", "align": "left", "dx": 4, "dy": 10, "color": "#1b5e20"},
             "encoding": {"y": y, "x": {"value": 0}, "text": {"field": "label"}}},
        ],
    }


def test_the_spec_for_two_periods_and_three_places_is_the_one_written_by_hand() -> None:
    assert indicator_chart(indicator()) == EXPECTED


def test_it_draws_exactly_what_zone_js_drew() -> None:
    """Rendered by the same Vega-Lite, the Python spec and zone.js's spec give the same SVG, mark for mark
    (only the names of the layer groups differ, since the band and line now share their data)."""
    ours, theirs = to_svg(indicator_chart(indicator())), to_svg(zone_js_spec())
    assert without_layer_names(ours) == without_layer_names(theirs)
    assert ours.count('aria-roledescription="area mark"') == 2  # Ammerud's and Oslo's bands; Grorud has none


def test_a_count_is_drawn_for_the_zone_only_and_hidden_figures_are_left_out() -> None:
    ind = {**indicator(), "compared": False}
    spec = indicator_chart(ind)
    group = spec["layer"][0]
    assert group["encoding"]["color"]["scale"] == {"domain": ["Ammerud"], "range": ["#0b5394"]}
    assert [(p["period"], p["place"]) for p in group["data"]["values"]] == [("2020", "Ammerud"), ("2021", "Ammerud")]
    hidden = indicator()
    hidden["series"][1]["zone"] = {"value": None, "ci_low": None, "ci_high": None, "suppressed": True}
    rows = indicator_chart(hidden)["layer"][0]["data"]["values"]
    assert ("2021", "Ammerud") not in {(p["period"], p["place"]) for p in rows} and len(rows) == 4


def test_no_band_without_intervals_and_no_rules_without_baselines_or_targets() -> None:
    ind = indicator()
    for s in ind["series"]:
        for c in s.values():
            if isinstance(c, dict):
                c["ci_low"] = c["ci_high"] = None
    ind["baselines"], ind["targets"] = [], []
    [group] = indicator_chart(ind)["layer"]
    assert [layer["mark"]["type"] for layer in group["layer"]] == ["line"]


def test_a_baseline_label_that_says_nullpunkt_is_not_doubled() -> None:
    ind = indicator()
    ind["baselines"][0]["label"] = "Nullpunkt 2020"
    assert indicator_chart(ind)["layer"][1]["data"]["values"][0]["label"] == "Nullpunkt 2020 (Groruddalen)"


def test_labels_in_english_when_the_language_is_english() -> None:
    set_language("en")
    spec = indicator_chart(indicator())
    group = spec["layer"][0]
    assert group["encoding"]["x"]["title"] == "Period"
    assert [t["title"] for t in group["layer"][1]["encoding"]["tooltip"]] == [
        " ", "Period", "Value", "95% interval ↓", "95% interval ↑"]
    assert spec["layer"][1]["data"]["values"][0]["label"] == "Baseline 2020 (Groruddalen)"
    assert spec["layer"][2]["data"]["values"][0]["label"] == "Target value 2030 (Groruddalen)"
    assert {"Period", "Baseline 2020 (Groruddalen)", "Target value 2030 (Groruddalen)"} <= set(texts(to_svg(spec)))


def test_an_entry_without_place_names_is_refused_with_a_clear_message() -> None:
    ind = indicator()
    del ind["place_names"]
    with pytest.raises(ValueError, match="'lavinntekt' has no 'place_names'"):
        indicator_chart(ind)

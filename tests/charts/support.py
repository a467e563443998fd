"""Small inputs for the chart tests: one zone-page indicator (2 periods, 3 places) and one radar."""

from __future__ import annotations

import re
from typing import Any
from xml.etree import ElementTree

SVG = "{http://www.w3.org/2000/svg}"


def indicator(zone: str = "Ammerud", name: str = "Andel med lavinntekt") -> dict[str, Any]:
    """As ``zone_page(...)["indicators"][i]``: Grorud has no figure in 2021, its 2020 figure no interval."""
    return {
        "code": "lavinntekt", "name": name, "unit": "prosent", "compared": True,
        "place_names": {"zone": zone, "parent": "Grorud", "city": "Oslo"},
        "series": [
            {"period": "2020", "zone": {"value": 10.0, "ci_low": 8.0, "ci_high": 12.0},
             "parent": {"value": 11.0, "ci_low": None, "ci_high": None},
             "city": {"value": 12.0, "ci_low": 11.5, "ci_high": 12.5}},
            {"period": "2021", "zone": {"value": 11.0, "ci_low": 9.123456789, "ci_high": 13.0},
             "parent": {"value": None, "ci_low": None, "ci_high": None, "suppressed": True},
             "city": {"value": 12.5, "ci_low": 12.0, "ci_high": 13.0}},
        ],
        "baselines": [{"area": "groruddalen", "area_name": "Groruddalen", "label": "2020", "value": 9.5},
                      {"area": "x", "area_name": "X", "label": "2020", "value": None}],
        "targets": [{"area": "groruddalen", "area_name": "Groruddalen", "period": "2030", "value": 8.0}],
    }


def radar(area: str = "Groruddalen", label: str = "Trygghet") -> dict[str, Any]:
    """As ``results_page(...)["radars"][i]``: four themes on the 1–7 scale, the area's theme b hidden."""
    values = {"area": {"a": 7.0, "b": None, "c": 4.0, "d": 1.0}, "city": {"a": 4.0, "b": 5.5, "c": 1.0, "d": 7.0}}
    labels = {"a": label, "b": "Lek", "c": "Grøntområder", "d": "Trafikk"}
    return {"survey": "s", "period": "2024", "themes": ["a", "b", "c", "d"], "unit": "1-7",
            "area": "groruddalen", "area_name": area, "city": "0301", "city_name": "Oslo",
            "values": [{"theme": t, "label": labels[t], "place": p, "value": v,
                        "ci_low": None if v is None else v - 0.5, "ci_high": None if v is None else v + 0.5}
                       for p, by in values.items() for t, v in by.items()]}


def texts(svg: str) -> list[str]:
    """The text of every <text> element of ``svg`` (parsed as XML, so entities are undone)."""
    root = ElementTree.fromstring(svg)
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


def without_layer_names(svg: str) -> str:
    """``svg`` without the group class names Vega-Lite makes from the layer nesting (layer_0_layer_1_marks)."""
    return re.sub(r"(?:layer_[0-9]+_)+", "", svg)

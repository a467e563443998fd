"""Rendering offline: real <text> in the SVG, hostile labels escaped, a title for screen readers, the
fixed width, and nothing fetched (no $schema, no URL, vl-convert told to allow no base URL)."""

from __future__ import annotations

from typing import Any
from xml.etree import ElementTree

import pytest

import nabolag.charts.render as render
from charts.support import SVG, indicator, radar, texts
from nabolag.charts import indicator_chart, radar_chart, to_svg

HOSTILE = "<script>x</script> & Co"  # short enough for the legend's label limit (160 px)


def test_the_svg_parses_and_carries_every_label_as_text() -> None:
    svg = to_svg(indicator_chart(indicator()))
    root = ElementTree.fromstring(svg)
    assert root.tag == f"{SVG}svg" and root.get("width") == "640"  # "container" became the fixed width
    words = texts(svg)
    assert {"2020", "2021", "Periode", "prosent", "Ammerud", "Grorud", "Oslo", "Nullpunkt 2020 (Groruddalen)",
            "Målverdi 2030 (Groruddalen)"} <= set(words)
    assert "<path" in svg and not any(t.tag.endswith("font") for t in root.iter())  # text is text, not glyphs


def test_the_root_has_a_title_for_screen_readers() -> None:
    root = ElementTree.fromstring(to_svg(indicator_chart(indicator())))
    first = next(iter(root))
    assert first.tag == f"{SVG}title" and first.text == "Andel med lavinntekt" and root.get("role") == "img"


def test_hostile_names_and_labels_stay_text() -> None:
    """Zone names and survey themes come from users: <, > and & are escaped, no element is made of them."""
    for spec in (indicator_chart(indicator(zone=HOSTILE, name=HOSTILE)), radar_chart(radar(area=HOSTILE))):
        svg = to_svg(spec)
        root = ElementTree.fromstring(svg)  # would fail on a bare & or a stray tag
        assert not [e for e in root.iter() if e.tag.split("}")[-1] == "script"]
        assert "<script" not in svg and "&lt;script&gt;" in svg and "&amp; Co" in svg
        assert HOSTILE in texts(svg)  # the legend shows the name as it was written
    title = next(iter(ElementTree.fromstring(to_svg(indicator_chart(indicator(name=HOSTILE))))))
    assert title.text == HOSTILE


def test_width_is_the_room_there_is() -> None:
    assert ElementTree.fromstring(to_svg(indicator_chart(indicator()), width=400)).get("width") == "400"
    small = render.fixed(radar_chart(radar()), 200)  # a 300 px radar in 200 px: scaled down, still square
    assert (small["width"], small["height"]) == (200, 200)
    assert render.fixed(radar_chart(radar()), 640)["width"] == 300  # never blown up
    with pytest.raises(ValueError, match="width must be a whole number of pixels"):
        to_svg(indicator_chart(indicator()), width="container")  # type: ignore[arg-type]


def test_nothing_is_fetched(monkeypatch: pytest.MonkeyPatch) -> None:
    """The $schema URL is never handed to vl-convert, which is told the version and to allow no URL;
    a spec naming a data URL (or a file) is refused before rendering."""
    seen: list[dict[str, Any]] = []
    real = render.vl_convert.vegalite_to_svg

    def spy(spec: dict[str, Any], **kw: Any) -> str:
        seen.append({"spec": spec, **kw})
        return str(real(spec, **kw))

    monkeypatch.setattr(render.vl_convert, "vegalite_to_svg", spy)
    to_svg(radar_chart(radar()))
    [call] = seen
    assert "$schema" not in call["spec"] and "https://" not in repr(call["spec"])
    assert call["allowed_base_urls"] == [] and call["vl_version"] == "6.4"
    for url in ("https://example.org/data.csv", "file:///etc/passwd"):
        spec = {"data": {"url": url}, "mark": "bar", "encoding": {"x": {"field": "a", "type": "nominal"}}}
        with pytest.raises(ValueError, match=r"spec.data.url names a URL"):
            to_svg(spec)
    assert len(seen) == 1
    with pytest.raises(ValueError, match="must be a Vega-Lite spec"):
        to_svg({"description": "no marks"})

"""Zones as an SVG map: projected to a metric grid, escaped text, a legend, fast for a whole city."""

from __future__ import annotations

import re
import time

import pytest
import shapely
from shapely.geometry import box

from nabolag.reports.svgmap import zones_svg
from nabolag.services import Context, zones


def _path_box(svg: str, code: str) -> tuple[float, float]:
    d = re.search(rf'<path d="([^"]+)"[^>]*data-code="{code}"', svg)
    assert d is not None
    xy = [float(v) for v in re.findall(r"-?\d+\.\d", d.group(1))]
    xs, ys = xy[0::2], xy[1::2]
    return max(xs) - min(xs), max(ys) - min(ys)


def test_a_square_kilometre_is_square_on_the_map() -> None:
    """1 km east–west near Oslo is ~0.0163° of longitude but 0.009° of latitude: drawn in EPSG:25833 the
    box is as wide as it is tall (in degrees it would be 1.8 times wider)."""
    lon, lat = 10.75, 59.91
    square = box(lon, lat, lon + 0.009 / 0.5015, lat + 0.009)  # cos(59.91°) ≈ 0.5015
    svg = zones_svg([{"code": "a", "name": "A", "geometry": square, "role": "member"}], 400, 400)
    w, h = _path_box(svg, "a")
    assert w == pytest.approx(h, rel=0.03)


def test_text_is_escaped_and_the_map_is_an_image_with_a_title() -> None:
    g = box(10.7, 59.9, 10.8, 59.95)
    svg = zones_svg([{"code": "x\"<", "name": "<script>alert(1)</script>", "geometry": g, "role": "highlight",
                      "label": "A & B"}], title="Kart <1>")
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "A &amp; B" in svg
    assert 'role="img"' in svg and re.search(r"<title id=\"[^\"]+\">Kart &lt;1&gt;</title>", svg)
    assert "Valgt sone" in svg  # the legend names the role


def test_unknown_role_is_an_error() -> None:
    with pytest.raises(ValueError, match="unknown role 'x'"):
        zones_svg([{"code": "a", "name": "A", "geometry": box(0, 0, 1, 1), "role": "x"}])


def test_choropleth_classes_in_the_legend() -> None:
    feats = [{"code": "a", "name": "A", "geometry": box(10.7, 59.9, 10.8, 59.95), "role": "context",
              "fill": "#fd8d3c"},
             {"code": "b", "name": "B", "geometry": box(10.8, 59.9, 10.9, 59.95), "role": "member",
              "fill": "javascript:alert(1)"}]
    svg = zones_svg(feats, classes=[("#fd8d3c", "poeng 5–6")])
    assert 'fill="#fd8d3c" stroke="#9e9e9e"' in svg  # the zone's own colour
    assert "javascript" not in svg  # a fill that is not a colour is ignored
    assert "poeng 5–6" in svg and "Andre soner" not in svg


def test_all_delbydeler_of_oslo_are_fast(demo_ctx: Context) -> None:
    level = zones.list_zones(demo_ctx, level="delbydel", with_geometry=True)
    feats = [{"code": z.code, "name": z.name, "geometry": shapely.from_wkb(z.geometry),
              "role": "member" if i < 7 else "context"} for i, z in enumerate(level)]
    assert len(feats) == 96
    zones_svg(feats)  # the first call builds the projection
    started = time.perf_counter()
    svg = zones_svg(feats)
    seconds = time.perf_counter() - started
    assert svg.count("data-code=") == 96
    assert len(svg) < 150_000  # simplified to the drawing scale
    assert seconds < 0.5, seconds  # ~0.04 s on an idle machine; generous for a loaded CI runner

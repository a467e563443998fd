"""Vega-Lite chart specs built on the server, shared by the web pages and the reports.

The zone page and the survey results page embed these specs as they come (their JSON twins carry them);
report builders render the same specs to SVG offline with :func:`to_svg` (vl-convert, no network).
"""

from nabolag.charts.indicator import indicator_chart
from nabolag.charts.labels import chart_labels
from nabolag.charts.radar import radar_chart
from nabolag.charts.render import to_svg

__all__ = ["chart_labels", "indicator_chart", "radar_chart", "to_svg"]

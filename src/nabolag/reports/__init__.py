"""Reports: baseline and follow-up area reports and zone profiles, as HTML and PDF from one template.

:mod:`~nabolag.reports.render` holds the Jinja environment and the PDF writer, :mod:`~nabolag.reports.svgmap`
draws zones as SVG, and :mod:`~nabolag.reports.area` builds the area reports.
"""

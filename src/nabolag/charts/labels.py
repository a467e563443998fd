"""The words a chart shows (axis titles, tooltips, rule labels), in the current language."""

from __future__ import annotations

from nabolag.i18n import _

SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"


def chart_labels() -> dict[str, str]:
    """Every chart label in the current language (bokmål message ids, English from the catalogue)."""
    return {"period": _("Periode"), "baseline": _("Nullpunkt"), "interval": _("95 % intervall"),
            "value": _("Verdi"), "target": _("Målverdi"), "area": _("Område")}


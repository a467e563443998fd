"""The words a chart shows (axis titles, tooltips, rule labels), in the current language."""

from __future__ import annotations

from nabolag.i18n import _

SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"
KEYS = ("period", "baseline", "interval", "value", "target", "area")


def chart_labels() -> dict[str, str]:
    """Every chart label in the current language (bokmål message ids, English from the catalogue)."""
    return {"period": _("Periode"), "baseline": _("Nullpunkt"), "interval": _("95 % intervall"),
            "value": _("Verdi"), "target": _("Målverdi"), "area": _("Område")}


def merged(labels: dict[str, str] | None) -> dict[str, str]:
    """The default labels with ``labels`` over them; an unknown key is an error that names it."""
    out = chart_labels()
    for key, value in (labels or {}).items():
        if key not in KEYS:
            raise ValueError(f"charts: unknown label {key!r}; the labels are {', '.join(KEYS)}")
        out[key] = str(value)
    return out

"""Small pieces the page read models share: plain numbers, labels in the user's language, names."""

from __future__ import annotations

import math
from collections.abc import Iterable

from nabolag.domain.indicators import Indicator
from nabolag.domain.zones import Level
from nabolag.errors import InputError
from nabolag.i18n import _, get_language
from nabolag.services import indicators as indicator_service
from nabolag.services.context import Context
from nabolag.services.export import SYNTHETIC_NOTE, rounding_base


def num(value: object) -> float | None:
    """A JSON number: ``None`` for a missing value (None, NaN, ±inf), else a float."""
    if value is None:
        return None
    try:
        f = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


def text(value: object) -> str:
    """Text for JSON: ``""`` for None and NaN."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return str(value)


def level_label(level: str) -> str:
    labels = {"grid": _("rute"), "grunnkrets": _("grunnkrets"), "delbydel": _("delbydel"),
              "levekarssone": _("levekårssone"), "bydel": _("bydel"), "kommune": _("kommune"),
              "fylke": _("fylke"), "land": _("land")}
    return labels.get(level, level)


def direction_label(direction: str) -> str:
    labels = {"higher_is_better": _("høyere er bedre"), "lower_is_better": _("lavere er bedre"),
              "neutral": _("nøytral")}
    return labels.get(direction, direction)


def kind_label(kind: str) -> str:
    labels = {"context": _("kontekst"), "input": _("innsats"), "process": _("prosess"), "result": _("resultat")}
    return labels.get(kind, kind)


def method_label(method: str) -> str:
    labels = {"register": _("register"), "survey": _("spørreundersøkelse"), "count": _("telling"),
              "observation": _("observasjon"), "map": _("kartlegging"), "network": _("nettverksanalyse")}
    return labels.get(method, method)


def status_label(status: str) -> str:
    labels = {"planned": _("planlagt"), "active": _("aktiv"), "ended": _("avsluttet")}
    return labels.get(status, status)


def status_text(status: str) -> str:
    """What a missing value means, for a status other than ``ok``."""
    labels = {"not_applicable": _("ikke aktuelt"), "not_available": _("mangler"),
              "not_yet_available": _("ikke klart ennå"), "confidential": _("skjult av kilden"),
              "nil": _("null (ingen)"), "suppressed": _("skjult")}
    return labels.get(status, "")


def ci_method_label(method: str) -> str:
    labels = {"stored": _("oppgitt av kilden"), "wilson": _("Wilson (andel)"),
              "poisson-exact": _("eksakt Poisson (rate)")}
    return labels.get(method, "")


def indicators_by_code(ctx: Context) -> dict[str, Indicator]:
    return {i.code: i for i in indicator_service.list_indicators(ctx)}


def threshold_of(ctx: Context, ind: Indicator) -> int:
    """The suppression threshold that applies: the indicator's own, else the settings' default."""
    default = ctx.settings.suppression_threshold
    return int(default if ind.suppression_threshold is None else ind.suppression_threshold)


def rule_sentences(ctx: Context, indicators: Iterable[Indicator]) -> str:
    """The parts of small-cell protection that the settings decide: indicators with a threshold of their own,
    and the rounding of counts (the zone profile prints them too)."""
    thresholds = sorted({threshold_of(ctx, i) for i in indicators} - {0})
    base = rounding_base(ctx)
    parts = []
    if len(thresholds) > 1:
        parts.append(_("Noen indikatorer har egen terskel: {values}.", values=", ".join(str(t) for t in thresholds)))
    if base > 1:
        parts.append(_("Antall (teller, nevner og antall personer) er avrundet til nærmeste {base}.", base=base))
    return " ".join(parts)


def indicator_facts(ctx: Context, ind: Indicator) -> dict[str, object]:
    """An indicator's definition as a page shows it, in the user's language."""
    return {"code": ind.code, "name": ind.name(get_language()), "name_nb": ind.name_nb, "name_en": ind.name_en,
            "definition": ind.definition, "unit": ind.unit,
            "direction": str(ind.direction), "direction_label": direction_label(str(ind.direction)),
            "kind": str(ind.kind), "kind_label": kind_label(str(ind.kind)),
            "numerator": ind.numerator, "denominator": ind.denominator, "source": ind.source,
            "method": str(ind.method), "method_label": method_label(str(ind.method)),
            "disaggregations": list(ind.disaggregations), "suppression_threshold": threshold_of(ctx, ind),
            "synthetic": ind.synthetic}


def synthetic_note(synthetic: bool) -> str:
    return SYNTHETIC_NOTE if synthetic else ""


def parse_level(level: str | None) -> str | None:
    """A level from a query string, or a 422 that names the parameter and the levels there are."""
    if level is None or level == "":
        return None
    try:
        return str(Level.parse(level))
    except ValueError:
        raise InputError(_("Ukjent nivå «{level}» i parameteret level; bruk {levels}", level=level[:40],
                           levels=", ".join(str(v) for v in Level))) from None

"""The resident survey as an area report reads it: the round for the report, its published results for the
area, the radar against the city, the weighting summary and (follow-up) the change since the earlier round.

The same services as the survey results page, but only the parts a report needs: the full page also
compares rounds for every place, which re-weights both rounds and is not needed in a baseline report.
"""

from __future__ import annotations

from typing import Any

from nabolag.domain.survey import text_in
from nabolag.i18n import get_language
from nabolag.reports.area_data import AreaData
from nabolag.services import observations, survey_results
from nabolag.services import survey as survey_service
from nabolag.services.context import Context
from nabolag.services.export import published
from nabolag.services.survey_base import Survey
from nabolag.services.views_common import num
from nabolag.services.views_survey_results import change_view, default_round, place_summary, rounds


def _has_area(ctx: Context, s: Survey, area: str) -> bool:
    q = survey_service.get_questionnaire(ctx, s.code)
    codes = [m.indicator for m in survey_results.measures(q)]
    found = observations.query(ctx, areas=[area], indicators=codes, periods=[str(s.period)], groups="")
    return not found.empty


def pick_round(ctx: Context, d: AreaData) -> Survey | None:
    """The earliest round with stored results for the area (a baseline report), or the latest (follow-up)."""
    found = sorted((s for s in survey_service.list_surveys(ctx) if s.period and s.status != "draft"),
                   key=lambda s: (str(s.period), s.code), reverse=d.follow_up)
    return next((s for s in found if _has_area(ctx, s, d.area.code)), None)


def survey_results_for(ctx: Context, d: AreaData) -> dict[str, Any] | None:
    """``survey``, ``questionnaire``, ``indicators`` (label, kind, the area's published value, interval, n),
    ``radar`` (area against the city, or None), ``summary`` (responses and design effect per place) and
    ``change`` (follow-up: against the latest earlier round, or None). None when no round fits."""
    s = pick_round(ctx, d)
    if s is None:
        return None
    q = survey_service.get_questionnaire(ctx, s.code)
    lang = get_language()
    ms = survey_results.measures(q)
    labels = {m.indicator: text_in(q.by_id[m.question].text, lang, q.default_language) for m in ms}
    stored = observations.query(ctx, areas=[d.area.code], indicators=list(labels), periods=[str(s.period)],
                                groups="")
    shown = published(ctx, stored) if not stored.empty else stored
    indicators = []
    for m in ms:
        hit = shown[shown["indicator"] == m.indicator] if not shown.empty else shown
        r = hit.iloc[0] if len(hit) else None
        value = None if r is None else num(r["value"])
        indicators.append({"indicator": m.indicator, "label": labels[m.indicator], "kind": m.kind,
                           "value": value, "ci_low": None if r is None else num(r["ci_low"]),
                           "ci_high": None if r is None else num(r["ci_high"]),
                           "n": None if r is None or value is None else num(r["n"]),
                           "suppressed": r is not None and value is None})
    radar = None
    if d.city is not None:
        radar = survey_results.radar(ctx, s.code, d.area.code, d.city.code)
        for v in radar["values"]:  # type: ignore[attr-defined]
            v["label"] = labels.get(f"{q.code}_{v['theme']}"[:60], v["label"])
        radar.update(area=d.area.code, area_name=d.area.name, city=d.city.code, city_name=d.city.name)
    places = [{"code": d.area.code, "name": d.area.name, "level": "area", "zones": list(d.area.zone_codes)}]
    if d.city is not None:
        places.insert(0, {"code": d.city.code, "name": d.city.name, "level": "kommune", "zones": []})
    zone_places = [{"code": z, "name": d.name(z), "level": d.level, "zones": [z]} for z in d.area.zone_codes]
    change = None
    if d.follow_up:
        other = default_round(s, rounds(ctx, s, q))
        if other:
            directions = {m.indicator: str(d.indicators[m.indicator].direction) for m in ms
                          if m.indicator in d.indicators}
            change = change_view(ctx, s, other, labels, places[-1:], directions)
    return {"survey": s.as_dict(), "questionnaire": q.code, "indicators": indicators, "radar": radar,
            "summary": place_summary(ctx, s.code, places + zone_places), "change": change}

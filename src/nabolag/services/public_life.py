"""Use indicators of a place from its observation sessions (issue 7, stage 2): people per hour by group,
share of women and girls, share by age band, evening against day, before against after; uncertainty from
the number of sessions (:mod:`nabolag.analysis.public_life`). Stored as observations of the site's area
(method ``observation``), one period per year, and linked to the site's measure.
"""

from __future__ import annotations

import pandas as pd

from nabolag.analysis.public_life import before_after, use_summary
from nabolag.domain.indicators import Direction, Indicator, Kind, Method
from nabolag.domain.programme import IndicatorLink
from nabolag.errors import InputError
from nabolag.i18n import _
from nabolag.services import indicators as indicator_service
from nabolag.services import observations
from nabolag.services import programme as programme_service
from nabolag.services.context import Context
from nabolag.services.observation_session_base import require_reader, require_site_rights, session_audit, site_row
from nabolag.services.observation_sessions import list_sessions

MEASURES = {
    "per_hour": ("per_time", "Personer i timen på {name}", "People per hour at {name}", "personer per time"),
    "share_female": ("andel_kvinner", "Kvinner og jenter blant brukerne av {name}",
                     "Women and girls among the users of {name}", "prosent"),
    "share_age": ("andel_alder", "Brukerne av {name} etter alder", "Users of {name} by age", "prosent"),
    "share_staying": ("andel_opphold", "Andel som oppholder seg (ikke bare passerer) på {name}",
                      "Share staying (not just passing) at {name}", "prosent"),
}


def session_frame(ctx: Context, site: str) -> pd.DataFrame:
    """One row per count of every session at ``site`` (an empty slot as a row with count 0)."""
    rows = []
    for s in list_sessions(ctx, site=site):
        for slot, counts in s.slots.items():
            base = {"session": s.uid, "date": s.date, "year": str(s.date.year), "start": s.start, "slot": slot,
                    "slot_minutes": s.slot_minutes, "phase": s.phase}
            if not counts:
                rows.append(base | {"movement": "", "age_band": "", "gender": "", "activity": "", "count": 0})
            for c in counts:
                rows.append(base | {"movement": str(c.movement), "age_band": c.age_band, "gender": c.gender,
                                    "activity": c.activity, "count": c.count})
    columns = ["session", "date", "year", "start", "slot", "slot_minutes", "phase", "movement", "age_band", "gender",
               "activity", "count"]
    return pd.DataFrame(rows, columns=columns)


def use_indicators(ctx: Context, site: str, confidence: float = 0.95) -> pd.DataFrame:
    """:func:`~nabolag.analysis.public_life.use_summary` per year (column ``period``) and per phase
    (``phase``: ``before``, ``after`` or ``""``) for a site's sessions."""
    require_reader(ctx)
    frame = session_frame(ctx, site)
    parts = []
    for (year, phase), part in frame.groupby(["year", "phase"]):
        parts.append(use_summary(part, confidence).assign(period=year, phase=phase))
    if not parts:
        return pd.DataFrame(columns=["measure", "groups", "value", "ci_low", "ci_high", "sessions", "period", "phase"])
    return pd.concat(parts, ignore_index=True)


def compare_before_after(ctx: Context, site: str) -> dict[str, float | int | None]:
    """People per hour before and after the measure, with the change and its Welch interval."""
    require_reader(ctx)
    return before_after(session_frame(ctx, site))


def indicator_code(site: str, measure: str) -> str:
    return f"bruk_{site}_{MEASURES[measure][0]}"


def store_use_indicators(ctx: Context, site: str) -> int:
    """Store the site's use indicators as observations of its area (replacing earlier ones) and link them to
    its measure; returns the number of observations. The site must belong to an area."""
    with ctx.store.read() as conn:
        row = site_row(conn, site)
    require_site_rights(ctx, row["area"])
    if not row["area"]:
        raise InputError(_("Observasjonsstedet {code} hører ikke til et område", code=site))
    if len(indicator_code(site, "share_staying")) > 60:
        raise InputError(_("Stedskoden {code} er for lang til indikatorkoder (høyst 40 tegn)", code=site))
    table = use_indicators(ctx, site)
    if table.empty:
        return 0
    synthetic = bool(row["synthetic"])
    indicator_service.define_indicators(ctx, [_indicator(site, row["name"], m, synthetic) for m in MEASURES])
    if len(set(zip(table["measure"], table["groups"], table["period"], strict=True))) < len(table):
        table = table.sort_values("phase").drop_duplicates(["measure", "groups", "period"], keep="last")
    tidy = pd.DataFrame({"indicator": [indicator_code(site, m) for m in table["measure"]], "area": row["area"],
                         "period": table["period"], "groups": table["groups"], "value": table["value"].round(3),
                         "n": table["sessions"].astype(int), "ci_low": table["ci_low"].astype(float).round(3),
                         "ci_high": table["ci_high"].astype(float).round(3)})
    observations.load_frame(ctx, tidy, file_name=f"observation:{site}", replace=True,
                            source=_("Bylivsobservasjon (PLDP) på {name}", name=row["name"]))
    if row["measure"]:
        _link(ctx, row["area"], row["measure"], [indicator_code(site, m) for m in MEASURES])
    with ctx.store.transaction() as conn:
        session_audit(conn, ctx, "indicators", site, {"observations": len(tidy)})
    return len(tidy)


def _indicator(site: str, name: str, measure: str, synthetic: bool) -> Indicator:
    _suffix, nb, en, unit = MEASURES[measure]
    return Indicator(code=indicator_code(site, measure), name_nb=nb.format(name=name)[:300],
                     name_en=en.format(name=name)[:300], unit=unit, direction=Direction.NEUTRAL if measure in (
                         "share_age", "share_staying") else Direction.HIGHER_IS_BETTER,
                     kind=Kind.RESULT, method=Method.OBSERVATION, source="PLDP", synthetic=synthetic,
                     definition=_("Gjennomsnitt over observasjonsøktene med t-intervall; n er antall økter."),
                     disaggregations=("gender", "age", "time"), suppression_threshold=2)


def _link(ctx: Context, area: str, measure: str, codes: list[str]) -> None:
    m = programme_service.get_measure(ctx, area, measure)
    have = {link.indicator for link in m.indicators}
    new = tuple(IndicatorLink(indicator=c, method=str(Method.OBSERVATION)) for c in codes if c not in have)
    if new:
        programme_service.update_measure(ctx, area, measure, indicators=(*m.indicators, *new))



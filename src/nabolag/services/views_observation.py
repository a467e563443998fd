"""Read models of the observation pages (PLDP, issue 7): the sites with their sessions, the observer's phone
form for one site, and the use of a measure for its card on the programme page.

Sessions (single visits with their slots) are for signed-in users only, as the services say; the measure
card shows visitors the *published* use indicators (``bruk_<site>_*``, stored by
:func:`public_life.store_use_indicators`, passed through :func:`export.published`) year by year, and
signed-in users also the change before → after with Welch's interval (:func:`public_life.compare_before_after`).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pandas as pd

from nabolag.domain.observation_session import (
    AGE_BANDS,
    GENDERS,
    GROUP_SIZES,
    MOVING_ACTIVITIES,
    SLOT_MINUTES,
    STAYING_ACTIVITIES,
    WEATHER,
)
from nabolag.errors import NotFoundError, PermissionDenied
from nabolag.i18n import _
from nabolag.services import observation_sessions, observations, public_life
from nabolag.services.context import Context
from nabolag.services.export import published
from nabolag.services.observation_session_base import SessionView, require_site_rights
from nabolag.services.views_common import num


def gender_label(code: str) -> str:
    return {"female": _("kvinne/jente"), "male": _("mann/gutt"), "unknown": _("usikker")}.get(code, code)


def activity_label(code: str) -> str:
    return {"walking": _("går"), "running": _("løper"), "cycling": _("sykler"),
            "mobility_aid": _("rullestol eller rullator"), "stroller": _("triller barnevogn"),
            "other_wheels": _("sparkesykkel, rullebrett o.l."), "other": _("annet"), "standing": _("står"),
            "sitting_public": _("sitter på benk"), "sitting_commercial": _("sitter på kafé"),
            "sitting_informal": _("sitter på trapp, kant, gress"), "lying": _("ligger"),
            "physical_activity": _("trener"), "playing": _("leker"), "commercial": _("handler/selger"),
            "cultural": _("kultur/underholdning"), "waiting_transport": _("venter på transport")}.get(code, code)


def weather_label(code: str) -> str:
    return {"sunny": _("sol"), "cloudy": _("overskyet"), "rain": _("regn"), "snow": _("snø"), "fog": _("tåke"),
            "windy": _("vind"), "cold": _("kaldt")}.get(code, code)


def phase_label(code: str) -> str:
    return {"before": _("før tiltaket"), "after": _("etter tiltaket")}.get(code, _("ikke knyttet til tiltak"))


def may_write(ctx: Context, area: str | None) -> bool:
    try:
        require_site_rights(ctx, area)
    except PermissionDenied:
        return False
    return True


def session_item(s: SessionView) -> dict[str, object]:
    return {"uid": s.uid, "site": s.site, "date": s.date.isoformat(), "start": s.start,
            "slot_minutes": s.slot_minutes, "observer": s.observer, "weather": s.weather,
            "weather_label": weather_label(s.weather) if s.weather else "", "phase": s.phase,
            "phase_label": phase_label(s.phase), "source": s.source, "synthetic": s.synthetic,
            "slots": len(s.slots), "total": s.total,
            "people_per_hour": round(s.total / (len(s.slots) * s.slot_minutes / 60), 2) if s.slots else None}


def sites_page(ctx: Context) -> dict[str, object]:
    """Every site with its measure and its sessions (newest first), and whether the reader may add some."""
    sites = observation_sessions.list_sites(ctx)
    by_site: dict[str, list[SessionView]] = {}
    for s in observation_sessions.list_sessions(ctx):
        by_site.setdefault(s.site, []).append(s)
    items = []
    for site in sites:
        sessions = sorted(by_site.get(site.code, []), key=lambda s: (s.date, s.start), reverse=True)
        items.append({"code": site.code, "name": site.name, "area": site.area_code, "measure": site.measure,
                      "reference_date": site.reference_date.isoformat() if site.reference_date else None,
                      "synthetic": site.synthetic, "may_write": may_write(ctx, site.area_code),
                      "sessions": [session_item(s) for s in sessions],
                      "links": {"form": f"/observe/{site.code}",
                                "measure": f"/areas/{site.area_code}/programme#measure-{site.measure}"
                                if site.measure and site.area_code else None}})
    return {"sites": items, "may_import": ctx.role in ("admin", "analyst", "coordinator"),
            "synthetic": any(s["synthetic"] for s in items),
            "links": {"json": "/observe.json", "import": "/observe/import"}}


def choices() -> dict[str, object]:
    """The codes the phone form offers, with their labels."""
    return {"movements": [{"code": "moving", "label": _("beveger seg")},
                          {"code": "staying", "label": _("oppholder seg")}],
            "age_bands": [{"code": a, "label": a} for a in AGE_BANDS],
            "genders": [{"code": g, "label": gender_label(g)} for g in GENDERS],
            "moving": [{"code": a, "label": activity_label(a)} for a in MOVING_ACTIVITIES],
            "staying": [{"code": a, "label": activity_label(a)} for a in STAYING_ACTIVITIES],
            "group_sizes": [{"code": g, "label": g} for g in GROUP_SIZES],
            "weather": [{"code": w, "label": weather_label(w)} for w in WEATHER],
            "slot_minutes": list(SLOT_MINUTES)}


def form_page(ctx: Context, code: str, observer: str) -> dict[str, object]:
    """The observer's phone form for one site, with the site's sessions."""
    site = observation_sessions.get_site(ctx, code)
    sessions = sorted(observation_sessions.list_sessions(ctx, site=code), key=lambda s: (s.date, s.start),
                      reverse=True)
    now = dt.datetime.now()
    return {"site": {"code": site.code, "name": site.name, "area": site.area_code, "measure": site.measure,
                     "synthetic": site.synthetic},
            "may_write": may_write(ctx, site.area_code), "observer": observer, "today": dt.date.today().isoformat(),
            "now": f"{now.hour:02d}:{now.minute - now.minute % 10:02d}", "choices": choices(),
            "sessions": [session_item(s) for s in sessions], "synthetic": site.synthetic,
            "links": {"json": f"/observe/{site.code}.json", "slots": f"/observe/{site.code}/slots.json",
                      "list": "/observe"}}


# --- the use of a measure, for its card on the programme page -------------------------------------------------

_SITE = re.compile(r"^bruk_(.+)_per_time$")
ROWS = (("per_time", "", "per_hour"), ("per_time", "gender=female", "per_hour"),
        ("per_time", "gender=male", "per_hour"),
        ("per_time", "time=day", "per_hour"), ("per_time", "time=evening", "per_hour"),
        *((("per_time", f"age={a}", "per_hour")) for a in AGE_BANDS),
        ("andel_kvinner", "", "share"), ("andel_opphold", "", "share"))


def _row_label(suffix: str, groups: str) -> str:
    if suffix == "andel_kvinner":
        return _("Andel kvinner og jenter (%)")
    if suffix == "andel_opphold":
        return _("Andel som oppholder seg (%)")
    label = {"": _("Alle"), "gender=female": _("Kvinner og jenter"), "gender=male": _("Menn og gutter"),
             "time=day": _("Dagtid (før 18)"), "time=evening": _("Kveld (fra 18)")}.get(groups)
    return label or _("Alder {band}", band=groups.split("=", 1)[1])


def measure_use(ctx: Context, area: str, measures: list[dict[str, Any]]) -> dict[str, dict[str, object]]:
    """Per measure code with observed use: the sites, the published figures per year (people per hour by
    group, shares), and for signed-in users the change before → after."""
    sites = {m["code"]: [s for x in m["indicators"] if (s := _site_of(str(x["code"])))] for m in measures}
    codes = sorted({f"bruk_{s}_{suffix}" for found in sites.values() for s in found
                    for suffix in ("per_time", "andel_kvinner", "andel_opphold")})
    if not codes:
        return {}
    frame = observations.query(ctx, indicators=codes, areas=[area])
    frame = published(ctx, frame) if not frame.empty else frame
    out: dict[str, dict[str, object]] = {}
    for measure, found in sites.items():
        for site in found:
            part = frame[frame["indicator"].str.startswith(f"bruk_{site}_")] if not frame.empty else frame
            if part.empty:
                continue
            out.setdefault(measure, {"sites": []})["sites"].append(_site_use(ctx, site, part))  # type: ignore[union-attr]
    return out


def _site_of(indicator: str) -> str | None:
    m = _SITE.match(indicator)
    return m.group(1) if m else None


def _site_use(ctx: Context, site: str, frame: pd.DataFrame) -> dict[str, object]:
    periods = sorted(set(frame["period"]))
    rows = []
    for suffix, groups, kind in ROWS:
        cells = frame[(frame["indicator"] == f"bruk_{site}_{suffix}") & (frame["groups"] == groups)]
        if cells.empty:
            continue
        values = {}
        for _i, c in cells.iterrows():
            hidden = c["status"] in ("suppressed", "confidential") or pd.isna(c["value"])
            values[str(c["period"])] = {"value": None if hidden else num(c["value"]),
                                        "ci_low": None if hidden else num(c["ci_low"]),
                                        "ci_high": None if hidden else num(c["ci_high"]),
                                        "n": None if hidden or pd.isna(c["n"]) else int(c["n"]), "hidden": hidden}
        rows.append({"indicator": f"bruk_{site}_{suffix}", "groups": groups, "kind": kind,
                     "label": _row_label(suffix, groups), "values": values})
    change = None
    if not ctx.is_public:
        try:
            change = {k: num(v) if isinstance(v, float) else v
                      for k, v in public_life.compare_before_after(ctx, site).items()}
        except (NotFoundError, PermissionDenied):
            change = None
    return {"site": site, "periods": periods, "rows": rows, "change": change,
            "links": {"sessions": f"/observe/{site}" if not ctx.is_public else None}}


def with_use(ctx: Context, area: str, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The programme page's measure items with ``use`` added (``None`` for a measure without observed use)."""
    use = measure_use(ctx, area, items)
    for item in items:
        item["use"] = use.get(str(item["code"]))
    return items

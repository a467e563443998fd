"""Survey responses → weighted estimates per zone, area, city and group → stored observations (method
``survey``), the radar chart of an area against the city, and change between two rounds.

What each question becomes (:func:`measures`): a ``likert`` question the share answering in the top two
steps (4–5 of 5, e.g. «trygg» or «svært trygg»; 3 of 3 for children), a ``yesno`` question the share
answering yes (both in per cent), a ``scale`` or ``number`` question the mean. Indicator codes are
``<questionnaire>_<question>`` (``innbyggerundersokelse_trygg_kveld``) so rounds of the same
questionnaire share them. Weights: raking to each zone's population by gender and age band
(:func:`nabolag.analysis.survey.rake`) from the stored ``befolkning`` observations with groups
``gender=…`` and ``age=…`` where they exist (else given as ``margins``); a zone without population keeps
equal weights.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import numpy as np
import pandas as pd

from nabolag.analysis.survey import change, rake, summarise_many
from nabolag.domain.indicators import Direction, Indicator, Kind, Method
from nabolag.domain.survey import Questionnaire, text_in
from nabolag.i18n import _
from nabolag.services import indicators as indicator_service
from nabolag.services import observations
from nabolag.services.context import Context
from nabolag.services.export import published
from nabolag.services.survey_base import require_survey_rights, survey_audit, survey_row, version_questionnaire
from nabolag.store import survey as repo
from nabolag.store import zones as zone_repo

Margins = dict[str, dict[str, dict[str, float]]]
"""zone code → raking column (``gender``, ``age_band``) → category → population."""


@dataclass(frozen=True)
class Measure:
    question: str
    indicator: str
    kind: str  # proportion | mean
    top: int = 0  # a likert answer ≥ top counts as yes


def measures(q: Questionnaire) -> list[Measure]:
    out = []
    for x in q.questions():
        code = f"{q.code}_{x.id}"[:60]
        if x.type == "likert":
            out.append(Measure(x.id, code, "proportion", top=x.points - 1 if x.points > 3 else 3))
        elif x.type == "yesno":
            out.append(Measure(x.id, code, "proportion"))
        elif x.type in ("scale", "number"):
            out.append(Measure(x.id, code, "mean"))
    return out


def indicator_for(q: Questionnaire, m: Measure, synthetic: bool) -> Indicator:
    question = q.by_id[m.question]
    nb, en = text_in(question.text, "nb"), text_in(question.text, "en")
    if m.kind == "proportion":
        rule_nb = _("andel ja") if question.type == "yesno" else _("andel i de to øverste svaralternativene")
        return Indicator(code=m.indicator, name_nb=f"{nb} ({rule_nb})"[:300], name_en=en[:300], unit="prosent",
                         direction=Direction.HIGHER_IS_BETTER, kind=Kind.RESULT, method=Method.SURVEY,
                         source=_("Innbyggerundersøkelse: {code}", code=q.code), synthetic=synthetic,
                         definition=rule_nb, disaggregations=("gender", "age"))
    return Indicator(code=m.indicator, name_nb=f"{nb} ({_('gjennomsnitt')})"[:300], name_en=en[:300],
                     unit=_("skår"), direction=Direction.HIGHER_IS_BETTER, kind=Kind.RESULT, method=Method.SURVEY,
                     source=_("Innbyggerundersøkelse: {code}", code=q.code), synthetic=synthetic,
                     definition=_("vektet gjennomsnitt"), disaggregations=("gender", "age"))


def response_frame(ctx: Context, code: str) -> tuple[pd.DataFrame, Questionnaire, dict[str, object]]:
    """One row per response: zone, age_band, gender, and one column per measure (bool or number)."""
    with ctx.store.read() as conn:
        row = survey_row(conn, code)
        q = version_questionnaire(conn, int(row["id"]), int(row["current_version"]))
        rows = repo.list_responses(conn, int(row["id"]))
    ms = measures(q)
    answers = [json.loads(r["answers"]) for r in rows]
    frame = pd.DataFrame({"zone": [r["zone"] for r in rows], "age_band": [r["age_band"] for r in rows],
                          "gender": [r["gender"] for r in rows]})
    for m in ms:
        raw = [a.get(m.question) for a in answers]
        if m.kind == "mean":
            frame[m.indicator] = pd.Series([np.nan if v is None else float(v) for v in raw], dtype=float)
        elif m.top:
            frame[m.indicator] = pd.Series([None if v is None else v >= m.top for v in raw], dtype=object)
        else:
            frame[m.indicator] = pd.Series([None if v is None else v == "yes" for v in raw], dtype=object)
    return frame, q, row


def population_margins(ctx: Context, zones: list[str], period: str) -> Margins:
    """Raking margins from stored ``befolkning`` observations (nearest period at or before ``period``)."""
    pop = observations.query(ctx, indicators=["befolkning"], zones=zones)
    out: Margins = {}
    if pop.empty:
        return out
    pop = pop[pop["groups"] != ""]
    for zone, part in pop.groupby("zone"):
        periods = sorted(part["period"].unique())
        before = [p for p in periods if p <= period] or periods
        latest = part[part["period"] == before[-1]]
        for groups, value in zip(latest["groups"], latest["value"], strict=True):
            key, _eq, cat = str(groups).partition("=")
            if ";" in str(groups) or key not in ("gender", "age") or value != value:
                continue
            out.setdefault(str(zone), {}).setdefault("gender" if key == "gender" else "age_band", {})[cat] = value
    return out


def weighted(frame: pd.DataFrame, margins: Margins) -> pd.DataFrame:
    """``frame`` with a ``weight`` column: raked within each zone to its margins."""
    frame = frame.copy()
    frame["weight"] = 1.0
    for zone, part in frame.groupby("zone"):
        if zone in margins and margins[zone]:
            frame.loc[part.index, "weight"] = rake(part, margins[zone])
    return frame


def estimates(ctx: Context, code: str, margins: Margins | None = None) -> pd.DataFrame:
    """Weighted estimates per indicator for every zone, the survey's area (if any), the city (all
    responses with a zone) and by gender and age band within each: columns ``indicator, place, kind,
    groups, value, ci_low, ci_high, n, n_eff, deff`` (``level`` zone or area; proportions in per cent).
    Areas are every stored programme area with responses from its member zones."""
    frame, q, row = response_frame(ctx, code)
    frame = frame[frame["zone"].notna()]
    zones = sorted(frame["zone"].unique())
    frame = weighted(frame, population_margins(ctx, zones, str(row["period"])) if margins is None else margins)
    with ctx.store.read() as conn:
        all_zones = {z.code: z for z in zone_repo.list_zones(conn)}
        areas = [a for a in zone_repo.list_areas(conn) if set(a.zone_codes) & set(zones)]
    parts = [("zone", "", frame)]
    parts += [("area", a.code, frame[frame["zone"].isin(a.zone_codes)]) for a in areas]
    city = _city(zones, all_zones)
    if city:
        parts.append(("zone", city, frame))
    kinds = {m.indicator: m.kind for m in measures(q)}
    out = []
    for level, place, part in parts:
        by = [] if place else ["zone"]
        for extra, grouping in (([], ""), (["gender"], "gender"), (["age_band"], "age")):
            sub = part[part[extra[0]] != ""] if extra else part
            s = summarise_many(sub, kinds, by + extra, "weight")
            s["place"] = place if place else s["zone"]
            s["groups"] = [f"{grouping}={g}" for g in s[extra[0]]] if extra else ""
            out.append(s.assign(indicator=s["measure"], kind=s["measure"].map(kinds), level=level))
    result = pd.concat(out, ignore_index=True) if out else pd.DataFrame()
    scale = np.where(result["kind"] == "proportion", 100.0, 1.0)
    for col in ("value", "ci_low", "ci_high"):
        result[col] = result[col] * scale
    return result[["indicator", "level", "place", "kind", "groups", "value", "ci_low", "ci_high", "n", "n_eff",
                   "deff"]]


def _city(zones: list[str], all_zones: dict[str, object]) -> str | None:
    """The kommune zone above the responses' zones, if every zone leads up to the same one (and is
    not itself among them)."""
    tops = set()
    for z in zones:
        current, seen = all_zones.get(z), 0
        while current is not None and getattr(current, "parent_code", None) and seen < 10:
            current, seen = all_zones.get(current.parent_code), seen + 1  # type: ignore[attr-defined]
        tops.add(getattr(current, "code", None) if current is not None and current.level == "kommune" else None)  # type: ignore[attr-defined]
    return tops.pop() if len(tops) == 1 and None not in tops else None


def store_results(ctx: Context, code: str, margins: Margins | None = None) -> int:
    """Compute :func:`estimates` and store them as observations of the survey's period (replacing
    earlier ones); returns the number of observations."""
    with ctx.store.read() as conn:
        row = survey_row(conn, code)
    require_survey_rights(ctx, row["area"])
    if not row["period"]:
        raise _no_period(code)
    est = estimates(ctx, code, margins)
    _frame, q, _row = response_frame(ctx, code)
    indicator_service.define_indicators(ctx, [indicator_for(q, m, bool(row["synthetic"])) for m in measures(q)])
    est = est[est["value"].notna()]
    tidy = pd.DataFrame({"indicator": est["indicator"], "period": str(row["period"]), "groups": est["groups"],
                         "value": est["value"].round(3), "n": est["n"].astype(int),
                         "ci_low": est["ci_low"].round(3), "ci_high": est["ci_high"].round(3)})
    is_area = (est["level"] == "area").to_numpy()
    places = est["place"]
    source = _("Innbyggerundersøkelse {code} (vektet)", code=code)
    if (~is_area).any():
        observations.load_frame(ctx, tidy[~is_area].assign(zone=places[~is_area]), file_name=f"survey:{code}",
                                replace=True, source=source)
    if is_area.any():
        observations.load_frame(ctx, tidy[is_area].assign(area=places[is_area]), file_name=f"survey:{code}",
                                replace=True, source=source)
    with ctx.store.transaction() as conn:
        survey_audit(conn, ctx, "results", code, {"observations": len(tidy)})
    return len(tidy)


def _no_period(code: str) -> Exception:
    from nabolag.errors import InputError

    return InputError(_("Undersøkelsen {code} har ingen periode; den trengs for å lagre resultatene", code=code))


def radar(ctx: Context, code: str, area: str, city: str) -> dict[str, object]:
    """The published (small-cell protected) values for ``area`` against ``city``: the means of the
    ``scale`` questions (1–7, Place Standard) if the questionnaire has them, else the shares (per cent)
    of its likert and yes/no questions. ``{"themes": [...], "unit", "values": [{theme, label, place, code,
    value, ci_low, ci_high}]}``, ready for a Vega-Lite radar or bar chart; suppressed values are None."""
    _frame, q, row = response_frame(ctx, code)
    ms = measures(q)
    kind = "mean" if any(q.by_id[m.question].type == "scale" for m in ms) else "proportion"
    scale = [q.by_id[m.question] for m in ms if m.kind == kind and q.by_id[m.question].type != "number"]
    codes = [f"{q.code}_{x.id}"[:60] for x in scale]
    stored = observations.query(ctx, indicators=codes, periods=[str(row["period"])], groups="")
    mine = stored[(stored["area"] == area) | (stored["zone"] == city)]
    shown = published(ctx, mine) if not mine.empty else mine
    values = []
    for x, ind in zip(scale, codes, strict=True):
        for place, label in ((area, "area"), (city, "city")):
            hit = shown[(shown["indicator"] == ind) & ((shown["area"] == place) | (shown["zone"] == place))]
            r = hit.iloc[0] if len(hit) else None
            values.append({"theme": x.id, "label": text_in(x.text, "nb"), "place": label, "code": place,
                           **{k: (None if r is None or r[k] != r[k] else float(r[k]))
                              for k in ("value", "ci_low", "ci_high")}})
    return {"survey": code, "period": row["period"], "themes": [x.id for x in scale],
            "unit": "1-7" if kind == "mean" else "prosent", "values": values}


def compare_rounds(ctx: Context, before: str, after: str, margins: Margins | None = None) -> pd.DataFrame:
    """Change per indicator and place (total, no groups) from round ``before`` to ``after``, with the
    Newcombe (proportions) or MOVER (means) interval on the weighted estimates."""
    a = estimates(ctx, after, margins)
    b = estimates(ctx, before, margins)
    key = ["indicator", "level", "place", "kind"]
    both = a[a["groups"] == ""].merge(b[b["groups"] == ""], on=key, suffixes=("", "_before"))
    rows = []
    for r in both.itertuples(index=False):
        scale = 100.0 if r.kind == "proportion" else 1.0
        d = change({"value": r.value / scale, "ci_low": r.ci_low / scale, "ci_high": r.ci_high / scale,
                    "n_eff": r.n_eff},
                   {"value": r.value_before / scale, "ci_low": r.ci_low_before / scale,
                    "ci_high": r.ci_high_before / scale, "n_eff": r.n_eff_before}, r.kind)
        rows.append({"indicator": r.indicator, "level": r.level, "place": r.place,
                     "before": r.value_before, "after": r.value,
                     "change": d.value * scale, "ci_low": d.ci_low * scale, "ci_high": d.ci_high * scale,
                     "method": d.method, "n_before": r.n_before, "n_after": r.n})
    return pd.DataFrame(rows)

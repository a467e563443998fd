"""Baseline (nullpunkt) and change: freeze an area's indicator values, then compare later values with
them, and with the area's comparison zones (difference-in-differences).

An area's value in a period is taken from an observation stored for the area itself, else pooled from
all its member zones (sum of numerators over sum of denominators); a period where a member zone lacks
data is not used. Published figures pass small-cell suppression; the frozen values are kept whole.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from nabolag.analysis.change import (
    ALPHA,
    Difference,
    Estimate,
    change_ci,
    difference_in_differences,
    infer_kind,
    period_end,
    pooled_estimate,
    verdict,
)
from nabolag.analysis.suppress import primary_suppression
from nabolag.domain.indicators import Indicator
from nabolag.domain.observations import normalise_period
from nabolag.domain.zones import Area
from nabolag.errors import ConflictError, InputError, NotFoundError
from nabolag.i18n import _
from nabolag.services import indicators as indicator_service
from nabolag.services import observations, zones
from nabolag.services.context import Context
from nabolag.services.export import SYNTHETIC_NOTE, published
from nabolag.store import baselines as repo
from nabolag.store import imports as imports_repo

LABEL_MAX_LENGTH = 100
OUTPUT_SUFFIXES = (".csv", ".xlsx")


def verdict_text(code: str) -> str:
    """The verdict in the user's language."""
    texts = {"improved": _("bedre"), "no_clear_change": _("ingen klar endring"), "worsened": _("verre"),
             "increased": _("økt"), "decreased": _("redusert"), "unknown": _("usikkerhet ukjent")}
    return texts.get(code, "")


@dataclass
class BaselineView:
    """A frozen baseline; ``frame`` holds the published values (one row per indicator)."""

    area: Area
    label: str
    as_of: str | None
    frozen_at: dt.datetime
    actor: str
    member_zones: tuple[str, ...]
    comparison_zones: tuple[str, ...]
    frame: pd.DataFrame
    skipped: dict[str, str] = field(default_factory=dict)


@dataclass
class ChangeTable:
    """Latest values against the baseline; ``frame`` holds one published row per indicator."""

    area: Area
    label: str
    frozen_at: dt.datetime
    frame: pd.DataFrame

    def method_text(self) -> str:
        return _("Nullpunkt «{label}» for {area}, frosset {date}. Områdets verdi er summen av tellerne delt på "
                 "summen av nevnerne i medlemssonene. 95 % konfidensintervall: Wilson for andeler, eksakt Poisson "
                 "for rater; endringen: Newcombe for andeler, MOVER for rater. Vurdering: en endring er klar når "
                 "hele intervallet ligger på samme side av null; indikatorens retning avgjør om den er bedre eller "
                 "verre. Forskjell-i-forskjeller: områdets endring minus sammenligningssonenes endring, med "
                 "intervall fra summen av variansene. Uten teller og nevner er usikkerheten ukjent.",
                 label=self.label, area=self.area.name, date=self.frozen_at.date().isoformat())


@dataclass(frozen=True)
class _Point:
    period: str
    estimate: Estimate
    n: float = math.nan
    note: str = ""


def _bound(period: str | None) -> str | None:
    """The last day a period may end on, from the user's ``--period`` (a year, a date, a quarter …)."""
    if period is None:
        return None
    p = normalise_period(period)
    if p is None:
        raise InputError(_("Ugyldig periode «{period}»: bruk for eksempel 2018, 2018-06-30 eller 2018-Q2",
                           period=period))
    return period_end(p)


def _area(ctx: Context, code: str) -> Area:
    area = zones.get_area(ctx, code)
    if not area.zone_codes:
        raise InputError(_("Området {area} har ingen medlemssoner", area=code))
    return area


def _observations(ctx: Context, area: Area, member: tuple[str, ...], comparison: tuple[str, ...]) -> pd.DataFrame:
    zoned = observations.query(ctx, zones=[*member, *comparison], groups="")
    own = observations.query(ctx, areas=[area.code], groups="")
    frame = pd.concat([zoned, own], ignore_index=True) if not own.empty else zoned
    return frame[(frame["status"] == "ok") & frame["value"].notna()]


def _hidden_cells(ctx: Context, zone_codes: tuple[str, ...]) -> set[tuple[str, str, str]]:
    """(indicator, zone, period) of the zone figures that publication hides (primary or secondary)."""
    zoned = observations.query(ctx, zones=list(zone_codes), groups="")
    if zoned.empty:
        return set()
    shown = published(ctx, zoned)
    hidden = shown[shown["suppression_reason"].astype(str) != ""]
    return set(zip(hidden["indicator"], hidden["zone"], hidden["period"], strict=True))


def _reveals(hidden: set[tuple[str, str, str]], indicator: str, period: object, zone_codes: tuple[str, ...]) -> bool:
    """A sum over ``zone_codes`` would let a hidden zone figure be worked out from the published ones."""
    return period is not None and any((indicator, z, str(period)) in hidden for z in zone_codes)


def _combine(rows: pd.DataFrame, kind: str, scale: float) -> _Point | str:
    """One period's rows (the area's own row, or one row per member zone) as one estimate."""
    period = str(rows["period"].iloc[0])
    num, den = rows["numerator"].to_numpy(dtype=float), rows["denominator"].to_numpy(dtype=float)
    if kind in ("proportion", "rate") and np.isfinite(num).all() and np.isfinite(den).all():
        try:
            return _Point(period, pooled_estimate(num, den, kind, scale, ALPHA))
        except ValueError as exc:
            return _("{period}: tellere og nevnere kan ikke slås sammen ({detail})", period=period, detail=exc)
    if kind == "count":
        return _Point(period, Estimate(float(rows["value"].sum())))
    if len(rows) == 1:
        r = rows.iloc[0]
        low, high = (float("nan") if pd.isna(r[c]) else float(r[c]) for c in ("ci_low", "ci_high"))
        stored = math.isfinite(low) and math.isfinite(high)
        return _Point(period, Estimate(float(r["value"]), low, high, method="stored" if stored else "unknown",
                                       numerator=float(num[0]), denominator=float(den[0])),
                      n=float("nan") if pd.isna(r["n"]) else float(r["n"]))
    return _("{period}: kan ikke slå sammen {n} soner uten teller og nevner", period=period, n=len(rows))


def _at(frame: pd.DataFrame, period: str, zone_codes: tuple[str, ...], kind: str, scale: float,
        area_code: str | None = None) -> _Point | str:
    """The estimate for ``period``: the area's own observation if there is one, else all ``zone_codes``."""
    rows = frame[frame["period"] == period]
    if area_code is not None:
        own = rows[rows["area"] == area_code]
        if not own.empty:
            return _combine(own, kind, scale)
    zoned = rows[rows["zone"].isin(zone_codes)]
    missing = sorted(set(zone_codes) - set(zoned["zone"]))
    if not zone_codes or missing:
        return _("{period}: mangler data for {zones}", period=period, zones=", ".join(missing))
    return _combine(zoned, kind, scale)


def _latest(frame: pd.DataFrame, zone_codes: tuple[str, ...], kind: str, scale: float, bound: str | None,
            area_code: str) -> _Point | str:
    """The latest period ending by ``bound`` that gives the area an estimate (the reason if none does)."""
    periods = sorted(set(frame["period"]), key=lambda p: (period_end(p), p), reverse=True)
    first_problem = ""
    for p in periods:
        if bound is not None and period_end(p) > bound:
            continue
        found = _at(frame, p, zone_codes, kind, scale, area_code)
        if isinstance(found, _Point):
            note = _("{problem}; brukte {period}", problem=first_problem, period=p) if first_problem else ""
            return _Point(found.period, found.estimate, found.n, note)
        first_problem = first_problem or found
    return first_problem or _("ingen data innen perioden")


def create_baseline(ctx: Context, area_code: str, period: str | None = None, label: str | None = None) -> BaselineView:
    """Freeze the area's value of every indicator at the latest period ending by ``period`` (default:
    the latest there is), with its interval, and the comparison zones' value in the same period."""
    ctx.require_write()
    area = _area(ctx, area_code)
    bound = _bound(period)
    label = (label or f"nullpunkt {period or dt.date.today().isoformat()}").strip()
    if not label or len(label) > LABEL_MAX_LENGTH:
        raise InputError(_("Navnet på nullpunktet må ha 1–{n} tegn", n=LABEL_MAX_LENGTH))
    frame = _observations(ctx, area, area.zone_codes, area.comparison_codes)
    values: list[dict[str, object]] = []
    skipped: dict[str, str] = {}
    for ind in indicator_service.list_indicators(ctx):
        rows = frame[frame["indicator"] == ind.code] if not frame.empty else frame
        if rows.empty or not (rows["zone"].isin(area.zone_codes) | (rows["area"] == area.code)).any():
            continue
        kind, scale = infer_kind(ind.unit, rows["numerator"].to_numpy(dtype=float),
                                 rows["denominator"].to_numpy(dtype=float), rows["value"].to_numpy(dtype=float))
        found = _latest(rows, area.zone_codes, kind, scale, bound, area.code)
        if isinstance(found, str):
            skipped[ind.code] = found
            continue
        comp = _at(rows, found.period, area.comparison_codes, kind, scale) if area.comparison_codes else None
        values.append(_frozen_row(ind, kind, scale, found, comp))
    if not values:
        raise InputError(_("Ingen indikatorer har data for området {area} innen {period}", area=area.code,
                           period=period or _("siste periode")))
    with ctx.store.transaction() as conn:
        if repo.baseline_exists(conn, int(area.id or 0), label):
            raise ConflictError(_("Området {area} har allerede et nullpunkt «{label}»; velg et annet navn med "
                                  "--label", area=area.code, label=label))
        baseline_id = repo.save_baseline(conn, area_id=int(area.id or 0), label=label, as_of=period,
                                         actor=ctx.actor, confidence=1 - ALPHA, member_zones=area.zone_codes,
                                         comparison_zones=area.comparison_codes, values=values)
        imports_repo.record_audit(conn, actor=ctx.actor, action="create", object_type="baseline",
                                  object_key=f"{area.code}:{label}"[:200],
                                  details={"id": baseline_id, "as_of": period, "indicators": len(values),
                                           "skipped": skipped})
    view = show_baseline(ctx, area.code, label)
    view.skipped = skipped
    return view


def _frozen_row(ind: Indicator, kind: str, scale: float, found: _Point, comp: _Point | str | None) -> dict[str, object]:
    e = found.estimate
    row: dict[str, object] = {
        "indicator_id": ind.id, "period": found.period, "kind": kind, "scale": scale, "value": _num(e.value),
        "numerator": _num(e.numerator), "denominator": _num(e.denominator), "n": _num(found.n),
        "ci_low": _num(e.ci_low), "ci_high": _num(e.ci_high), "method": e.method, "comparison_method": "unknown",
        "note": found.note}
    if isinstance(comp, _Point):
        c = comp.estimate
        row.update(comparison_value=_num(c.value), comparison_numerator=_num(c.numerator),
                   comparison_denominator=_num(c.denominator), comparison_ci_low=_num(c.ci_low),
                   comparison_ci_high=_num(c.ci_high), comparison_method=c.method)
    elif isinstance(comp, str):
        row["note"] = "; ".join(x for x in (found.note, _("sammenligning: {problem}", problem=comp)) if x)
    return row


def _num(v: object) -> float | None:
    return None if v is None or pd.isna(v) else float(v)  # type: ignore[arg-type]


def _stored(v: dict[str, object], prefix: str = "") -> Estimate | None:
    """A frozen estimate again, with its variance recomputed from the frozen counts."""
    value = v[f"{prefix}value"]
    if value is None:
        return None
    num, den = v[f"{prefix}numerator"], v[f"{prefix}denominator"]
    if v["kind"] in ("proportion", "rate") and num is not None and den is not None:
        return pooled_estimate(np.array([num], dtype=float), np.array([den], dtype=float), str(v["kind"]),
                               float(v["scale"]))  # type: ignore[arg-type]
    f = [math.nan if x is None else float(x)  # type: ignore[arg-type]
         for x in (value, v[f"{prefix}ci_low"], v[f"{prefix}ci_high"], num, den)]
    return Estimate(f[0], f[1], f[2], method=str(v[f"{prefix}method"]), numerator=f[3], denominator=f[4])


def _get(ctx: Context, area_code: str, label: str | None) -> tuple[Area, dict[str, object], list[dict[str, object]]]:
    area = zones.get_area(ctx, area_code)
    with ctx.store.read() as conn:
        base = repo.get_baseline(conn, int(area.id or 0), label)
        values = repo.baseline_values(conn, int(base["id"])) if base else []  # type: ignore[call-overload]
    if base is None:
        raise NotFoundError(_("Området {area} har ikke noe nullpunkt{label}; lag et med «nabolag baseline create "
                              "{area}»", area=area.code, label=f" «{label}»" if label else ""))
    return area, base, values


def _thresholds(ctx: Context) -> dict[str, tuple[Indicator, int]]:
    default = ctx.settings.suppression_threshold
    return {i.code: (i, int(default if i.suppression_threshold is None else i.suppression_threshold))
            for i in indicator_service.list_indicators(ctx)}


def _hidden(e: Estimate | None, n: object, kind: str, threshold: int) -> bool:
    """Primary small-cell rule on what an estimate would show: numerator, denominator, n (a count's value)."""
    if e is None:
        return False
    counts = [e.numerator, e.denominator, math.nan if n is None else float(n),  # type: ignore[arg-type]
              e.value if kind == "count" else math.nan]
    return bool(primary_suppression(np.array(counts, dtype=float), threshold).any())


def show_baseline(ctx: Context, area_code: str, label: str | None = None) -> BaselineView:
    """The area's baseline (the newest, or the one named ``label``), with published figures."""
    area, base, values = _get(ctx, area_code, label)
    inds = _thresholds(ctx)
    member, comparison = tuple(base["member_zones"]), tuple(base["comparison_zones"])  # type: ignore[arg-type]
    hidden = _hidden_cells(ctx, (*member, *comparison))
    rows = []
    for v in values:
        ind, thr = inds[str(v["indicator"])]
        row = {"indicator": v["indicator"], "name": ind.name_nb, "unit": ind.unit, "direction": str(ind.direction),
               **{k: v[k] for k in ("period", "kind", "value", "ci_low", "ci_high", "numerator", "denominator",
                                    "method", "comparison_value", "comparison_ci_low", "comparison_ci_high",
                                    "comparison_numerator", "comparison_denominator", "comparison_method", "note")}}
        parts, keys = [], []
        if _hidden(_stored(v), v["n"], str(v["kind"]), thr) or _reveals(hidden, ind.code, v["period"], member):
            parts.append(_("nullpunkt"))
            keys.append("baseline")
            row.update(value=None, ci_low=None, ci_high=None, numerator=None, denominator=None)
        if _hidden(_stored(v, "comparison_"), None, str(v["kind"]), thr) or \
                _reveals(hidden, ind.code, v["period"], comparison):
            parts.append(_("sammenligning"))
            keys.append("comparison")
            row.update(comparison_value=None, comparison_ci_low=None, comparison_ci_high=None,
                       comparison_numerator=None, comparison_denominator=None)
        row["suppressed"] = _suppressed_text(parts, thr)
        row["suppressed_parts"] = ",".join(keys)  # for programs: which figures were hidden
        row["synthetic"] = SYNTHETIC_NOTE if ind.synthetic else ""
        rows.append(row)
    return BaselineView(area=area, label=str(base["label"]), as_of=base["as_of"],  # type: ignore[arg-type]
                        frozen_at=base["frozen_at"], actor=str(base["actor"]),  # type: ignore[arg-type]
                        member_zones=base["member_zones"], comparison_zones=base["comparison_zones"],  # type: ignore[arg-type]
                        frame=pd.DataFrame(rows))


def _suppressed_text(parts: list[str], threshold: int) -> str:
    return _("prikket (færre enn {n}): {parts}", n=threshold, parts=", ".join(parts)) if parts else ""


def list_baselines(ctx: Context, area_code: str) -> list[dict[str, object]]:
    area = zones.get_area(ctx, area_code)
    with ctx.store.read() as conn:
        return repo.list_baselines(conn, int(area.id or 0))


def compare(ctx: Context, area_code: str, latest_period: str | None = None, label: str | None = None) -> ChangeTable:
    """Per indicator: baseline and latest value with intervals, the change with its interval and verdict,
    and the difference-in-differences against the comparison zones with its interval and verdict."""
    bound = _bound(latest_period)
    area, base, values = _get(ctx, area_code, label)
    member, comparison = base["member_zones"], base["comparison_zones"]
    frame = _observations(ctx, area, member, comparison)  # type: ignore[arg-type]
    inds = _thresholds(ctx)
    hidden = _hidden_cells(ctx, (*member, *comparison))  # type: ignore[misc]
    rows = [_change_row(v, inds[str(v["indicator"])], frame, member, comparison, bound, area.code,  # type: ignore[arg-type]
                        hidden) for v in values]
    return ChangeTable(area=area, label=str(base["label"]), frozen_at=base["frozen_at"],  # type: ignore[arg-type]
                       frame=pd.DataFrame(rows))


def _change_row(v: dict[str, object], ind_thr: tuple[Indicator, int], frame: pd.DataFrame,
                member: tuple[str, ...], comparison: tuple[str, ...], bound: str | None,
                area_code: str, hidden: set[tuple[str, str, str]]) -> dict[str, object]:
    ind, thr = ind_thr
    kind, scale, direction = str(v["kind"]), float(v["scale"]), str(ind.direction)  # type: ignore[arg-type]
    base, base_c = _stored(v), _stored(v, "comparison_")
    rows = frame[frame["indicator"] == ind.code] if not frame.empty else frame
    found = _latest(rows, member, kind, scale, bound, area_code) if not rows.empty else _("ingen data")
    latest = found.estimate if isinstance(found, _Point) else None
    notes = [str(v["note"])] if v["note"] else []
    row: dict[str, object] = {"indicator": ind.code, "name": ind.name_nb, "unit": ind.unit, "direction": direction,
                              "kind": kind, "baseline_period": v["period"], **_est("baseline", base),
                              "latest_period": found.period if isinstance(found, _Point) else None,
                              **_est("latest", latest)}
    change, did = Difference(math.nan), Difference(math.nan)
    latest_c: Estimate | None = None
    if isinstance(found, str):
        notes.append(found)
    elif period_end(found.period) <= period_end(str(v["period"])):
        notes.append(_("ingen nyere periode enn nullpunktet"))
    else:
        notes += [found.note] if found.note else []
        change = change_ci(found.estimate, base, kind, scale) if base else change
        comp = _at(rows, found.period, comparison, kind, scale) if comparison else _("ingen sammenligningssoner")
        if isinstance(comp, _Point) and base and base_c:
            latest_c = comp.estimate
            did = difference_in_differences(base, found.estimate, base_c, latest_c)
        elif comparison:
            notes.append(_("sammenligning: {problem}", problem=comp if isinstance(comp, str) else _("mangler")))
    row.update(change=_num(change.value), change_ci_low=_num(change.ci_low), change_ci_high=_num(change.ci_high),
               change_method=change.method,
               verdict=verdict(change.value, change.ci_low, change.ci_high, direction) if latest is not None
               and math.isfinite(change.value) else "",
               **_est("comparison_baseline", base_c), **_est("comparison_latest", latest_c),
               comparison_change=_num(latest_c.value - base_c.value) if latest_c and base_c else None,
               did=_num(did.value), did_ci_low=_num(did.ci_low), did_ci_high=_num(did.ci_high),
               did_verdict=verdict(did.value, did.ci_low, did.ci_high, direction) if math.isfinite(did.value) else "")
    row["verdict_text"] = verdict_text(str(row["verdict"]))
    row["did_verdict_text"] = verdict_text(str(row["did_verdict"]))
    latest_period = found.period if isinstance(found, _Point) else None
    sums = {"baseline": _reveals(hidden, ind.code, v["period"], member),
            "latest": _reveals(hidden, ind.code, latest_period, member),
            "comparison_baseline": _reveals(hidden, ind.code, v["period"], comparison),
            "comparison_latest": _reveals(hidden, ind.code, latest_period, comparison)}
    row["suppressed"] = _suppress_change(row, thr, kind, v, base, latest, found, base_c, latest_c, sums)
    row["note"] = "; ".join(n for n in notes if n)
    row["synthetic"] = SYNTHETIC_NOTE if ind.synthetic else ""
    return row


def _est(prefix: str, e: Estimate | None) -> dict[str, object]:
    keys = ("value", "ci_low", "ci_high", "numerator", "denominator")
    return {f"{prefix}_{k}": None if e is None else _num(getattr(e, k)) for k in keys}


def _suppress_change(row: dict[str, object], thr: int, kind: str, v: dict[str, object], base: Estimate | None,
                     latest: Estimate | None, found: _Point | str, base_c: Estimate | None,
                     latest_c: Estimate | None, reveals: dict[str, bool]) -> str:
    """Blank what would show a small cell — or a sum from which a hidden zone figure could be worked
    out (``reveals``) — and every difference it enters; return the reason."""
    latest_n = found.n if isinstance(found, _Point) else None
    hidden = {"baseline": _hidden(base, v["n"], kind, thr), "latest": _hidden(latest, latest_n, kind, thr),
              "comparison_baseline": _hidden(base_c, None, kind, thr),
              "comparison_latest": _hidden(latest_c, None, kind, thr)}
    hidden = {k: h or reveals[k] for k, h in hidden.items()}
    for prefix, hide in hidden.items():
        if hide:
            row.update({k: None for k in row if k.startswith(prefix + "_") and not k.endswith("_period")})
    if hidden["baseline"] or hidden["latest"]:
        row.update(change=None, change_ci_low=None, change_ci_high=None)
    if any(hidden.values()):
        row.update(did=None, did_ci_low=None, did_ci_high=None)
    if hidden["comparison_baseline"] or hidden["comparison_latest"]:
        row["comparison_change"] = None
    names = {"baseline": _("nullpunkt"), "latest": _("siste"), "comparison_baseline": _("sammenligning nullpunkt"),
             "comparison_latest": _("sammenligning siste")}
    row["suppressed_parts"] = ",".join(k for k, hide in hidden.items() if hide)  # for programs
    return _suppressed_text([names[k] for k, hide in hidden.items() if hide], thr)


def write_change(ctx: Context, table: ChangeTable, output: str | Path) -> Path:
    """Write the change table to CSV or Excel (Excel with a sheet describing the method)."""
    out = Path(output)
    if out.suffix.lower() not in OUTPUT_SUFFIXES:
        raise InputError(_("Ukjent filtype {suffix}; bruk {valid}", suffix=out.suffix,
                           valid=", ".join(OUTPUT_SUFFIXES)))
    frame = table.frame.assign(area=table.area.code, baseline=table.label)
    tmp = out.with_name(out.name + ".part" + out.suffix)
    if out.suffix.lower() == ".csv":
        frame.to_csv(tmp, index=False, encoding="utf-8")
    else:
        with pd.ExcelWriter(tmp, engine="openpyxl") as xl:
            frame.to_excel(xl, sheet_name="endring", index=False)
            pd.DataFrame({"metode": [table.method_text()]}).to_excel(xl, sheet_name="metode", index=False)
    tmp.replace(out)
    with ctx.store.transaction() as conn:
        imports_repo.record_audit(conn, actor=ctx.actor, action="export", object_type="change",
                                  object_key=out.name, details={"area": table.area.code, "baseline": table.label})
    return out

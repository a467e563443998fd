"""Change since a baseline (nullpunkt): confidence intervals, differences, verdicts and
difference-in-differences.

Values are on the indicator's own scale: a share in percent has ``scale=100`` (the proportion times
100), a rate per 1000 has ``scale=1000``. An area's value is pooled from its zones: the sum of the
numerators over the sum of the denominators, so a large zone weighs more than a small one.

The intervals come from maintained libraries, not hand-written formulas:

- a proportion from counts: Wilson score interval (statsmodels ``proportion_confint``);
- a rate (events per denominator): exact Poisson interval (Garwood), from ``scipy.stats.gamma``;
- a difference of two proportions: Newcombe's hybrid score interval (statsmodels
  ``confint_proportions_2indep``, method ``newcomb``);
- a difference of two rates: MOVER with Poisson score intervals (statsmodels
  ``confint_poisson_2indep``, method ``mover``);
- a difference of two estimates that only carry a stored interval: MOVER (Zou & Donner 2008);
- difference-in-differences: normal approximation with the four variances added.

Where there is no numerator and denominator (and no stored interval) the uncertainty is unknown:
the functions return NaN and the verdict is ``unknown``, never an invented interval.
"""

from __future__ import annotations

import calendar
import math
import re
from dataclasses import dataclass

import numpy as np
from scipy import stats
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_confint
from statsmodels.stats.rates import confint_poisson_2indep

ALPHA = 0.05
KINDS = ("proportion", "rate", "count", "value")
VERDICTS = ("improved", "no_clear_change", "worsened", "increased", "decreased", "unknown")
NAN = float("nan")

_PERCENT = {"prosent", "percent", "%", "pst", "pst.", "prosentandel", "prosentpoeng"}
_SHARE = {"andel", "share", "proportion", "fraction", "brøk"}
_COUNT = {"personer", "persons", "people", "antall", "count", "number", "husholdninger", "households"}
_PER = re.compile(r"^(?:per|pr\.?)\s*([\d\s\u00a0.]+)(?:\s.*)?$")


@dataclass(frozen=True)
class Estimate:
    """A value on the indicator's scale with its interval and variance (NaN where unknown).

    ``method`` names how the interval was found: ``wilson``, ``poisson-exact``, ``stored`` (given with
    the data) or ``unknown``.
    """

    value: float
    ci_low: float = NAN
    ci_high: float = NAN
    variance: float = NAN
    method: str = "unknown"
    numerator: float = NAN
    denominator: float = NAN

    @property
    def has_interval(self) -> bool:
        return math.isfinite(self.ci_low) and math.isfinite(self.ci_high)


@dataclass(frozen=True)
class Difference:
    """A difference (after minus before, or a difference-in-differences) with its interval."""

    value: float
    ci_low: float = NAN
    ci_high: float = NAN
    method: str = "unknown"


def unit_scale(unit: str) -> tuple[str, float] | None:
    """The kind of indicator (``proportion``, ``rate`` or ``count``) and its scale, read from its unit.

    Returns ``None`` when the unit does not say (then see :func:`infer_kind`).

    Examples
    --------
    >>> unit_scale("prosent"), unit_scale("per 1 000"), unit_scale("andel"), unit_scale("personer")
    (('proportion', 100.0), ('rate', 1000.0), ('proportion', 1.0), ('count', 1.0))
    >>> unit_scale("kroner") is None
    True
    """
    text = unit.strip().lower()
    if text in _PERCENT:
        return "proportion", 100.0
    if text in _SHARE:
        return "proportion", 1.0
    if text == "promille":
        return "proportion", 1000.0
    if text in _COUNT:
        return "count", 1.0
    m = _PER.match(text)
    if m:
        digits = re.sub(r"[\s\u00a0.]", "", m.group(1))
        if digits.isdigit() and int(digits) > 0:
            return "rate", float(digits)
    return None


def infer_kind(unit: str, numerators: np.ndarray, denominators: np.ndarray,
               values: np.ndarray) -> tuple[str, float]:
    """Kind and scale of an indicator: from its unit, else from its stored counts and values.

    With counts, a numerator never above its denominator makes a proportion, else a rate; the scale
    is the power of ten nearest to the median of ``value / (numerator / denominator)``. Without counts
    the kind is ``value`` (a figure that cannot be pooled or given an interval).

    Examples
    --------
    >>> infer_kind("", np.array([5.0, 10.0]), np.array([100.0, 200.0]), np.array([5.0, 5.0]))
    ('proportion', 100.0)
    >>> infer_kind("poeng", np.array([np.nan]), np.array([np.nan]), np.array([3.2]))
    ('value', 1.0)
    """
    known = unit_scale(unit)
    if known:
        return known
    num, den, val = (np.asarray(a, dtype=float) for a in (numerators, denominators, values))
    ok = np.isfinite(num) & np.isfinite(den) & (den > 0) & (num > 0) & np.isfinite(val)
    if not ok.any():
        return "value", 1.0
    ratio = np.median(val[ok] / (num[ok] / den[ok]))
    scale = float(10 ** round(math.log10(ratio))) if ratio > 0 else 1.0
    return ("proportion" if bool(np.all(num[ok] <= den[ok])) else "rate"), scale


def proportion_ci(count: np.ndarray | float, nobs: np.ndarray | float,
                  alpha: float = ALPHA) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for ``count / nobs`` (statsmodels ``proportion_confint``).

    Returns the limits as proportions (0–1); multiply by the indicator's scale for percent.

    Examples
    --------
    Newcombe (1998), Statistics in Medicine 17:857, example 81/263: 0.2553 to 0.3662.

    >>> low, high = proportion_ci(81, 263)
    >>> round(float(low), 4), round(float(high), 4)
    (0.2553, 0.3662)
    """
    low, high = proportion_confint(np.asarray(count, dtype=float), np.asarray(nobs, dtype=float),
                                   alpha=alpha, method="wilson")
    return np.asarray(low, dtype=float), np.asarray(high, dtype=float)


def rate_ci(count: np.ndarray | float, exposure: np.ndarray | float, per: float = 1000.0,
            alpha: float = ALPHA) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Rate ``count / exposure * per`` with its exact Poisson (Garwood) interval.

    The limits are gamma quantiles (``scipy.stats.gamma.ppf``): lower ``G(alpha/2; k)``, upper
    ``G(1 - alpha/2; k + 1)``, divided by the exposure; the lower limit is 0 when ``k = 0``.

    Examples
    --------
    10 deaths among 2000 persons, per 1000 (tables of the exact interval for k = 10: 4.795–18.390):

    >>> rate, low, high = rate_ci(10, 2000, per=1000)
    >>> round(float(rate), 3), round(float(low), 4), round(float(high), 4)
    (5.0, 2.3977, 9.1952)
    """
    k = np.asarray(count, dtype=float)
    e = np.asarray(exposure, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        low = np.where(k > 0, stats.gamma.ppf(alpha / 2, np.where(k > 0, k, 1.0)), 0.0)
        high = stats.gamma.ppf(1 - alpha / 2, k + 1)
        return k / e * per, low / e * per, high / e * per


def proportion_diff_ci(count1: float, nobs1: float, count0: float, nobs0: float,
                       alpha: float = ALPHA) -> tuple[float, float, float]:
    """Difference ``count1/nobs1 - count0/nobs0`` with Newcombe's hybrid score interval
    (statsmodels ``confint_proportions_2indep(..., method="newcomb", compare="diff")``).

    Examples
    --------
    Newcombe (1998), Statistics in Medicine 17:873, example 56/70 − 48/80: 0.0524 to 0.3339.

    >>> d, low, high = proportion_diff_ci(56, 70, 48, 80)
    >>> round(d, 4), round(low, 4), round(high, 4)
    (0.2, 0.0524, 0.3339)
    """
    low, high = confint_proportions_2indep(count1, nobs1, count0, nobs0, method="newcomb", compare="diff",
                                           alpha=alpha)
    return float(count1 / nobs1 - count0 / nobs0), float(low), float(high)


def rate_diff_ci(count1: float, exposure1: float, count0: float, exposure0: float, per: float = 1000.0,
                 alpha: float = ALPHA) -> tuple[float, float, float]:
    """Difference of two Poisson rates (``per`` units) with the MOVER interval built from Poisson score
    intervals (statsmodels ``confint_poisson_2indep(..., method="mover", compare="diff")``).

    Examples
    --------
    >>> d, low, high = rate_diff_ci(30, 2000, 15, 2000, per=1000)
    >>> round(d, 3), round(low, 3), round(high, 3)
    (7.5, 0.87, 14.561)
    """
    low, high = confint_poisson_2indep(count1, exposure1, count0, exposure0, method="mover", compare="diff",
                                       alpha=alpha)
    return float((count1 / exposure1 - count0 / exposure0) * per), float(low * per), float(high * per)


def mover_diff_ci(after: Estimate, before: Estimate) -> Difference:
    """Difference ``after - before`` of two independent estimates that carry only their intervals,
    by the method of variance estimates recovery (MOVER; Zou & Donner 2008)::

        low  = d - sqrt((a - a_low)^2 + (b_high - b)^2)
        high = d + sqrt((a_high - a)^2 + (b - b_low)^2)

    With Wilson intervals this is exactly Newcombe's interval for two proportions.

    Examples
    --------
    >>> r = mover_diff_ci(Estimate(62.0, 58.0, 66.0), Estimate(55.0, 50.0, 60.0))
    >>> r.value, round(r.ci_low, 3), round(r.ci_high, 3), r.method
    (7.0, 0.597, 13.403, 'mover')
    """
    d = after.value - before.value
    if not (after.has_interval and before.has_interval):
        return Difference(d)
    low = d - math.hypot(after.value - after.ci_low, before.ci_high - before.value)
    high = d + math.hypot(after.ci_high - after.value, before.value - before.ci_low)
    return Difference(d, low, high, "mover")


def pooled_estimate(numerators: np.ndarray, denominators: np.ndarray, kind: str, scale: float,
                    alpha: float = ALPHA) -> Estimate:
    """An area's value from its zones: ``sum(numerators) / sum(denominators) * scale``, with its
    interval (Wilson for a proportion, exact Poisson for a rate) and its variance (``p(1-p)/n`` or
    ``k/E²``, times ``scale²``) for difference-in-differences.

    Examples
    --------
    Two zones with 12 of 200 and 30 of 400: 42 of 600 = 7 %.

    >>> e = pooled_estimate(np.array([12.0, 30.0]), np.array([200.0, 400.0]), "proportion", 100)
    >>> round(e.value, 2), round(e.ci_low, 2), round(e.ci_high, 2), e.method
    (7.0, 5.22, 9.33, 'wilson')
    """
    num = float(np.sum(np.asarray(numerators, dtype=float)))
    den = float(np.sum(np.asarray(denominators, dtype=float)))
    if not (math.isfinite(num) and math.isfinite(den)) or den <= 0 or num < 0:
        raise ValueError(f"cannot pool numerator {num} over denominator {den}")
    if kind == "proportion":
        if num > den:
            raise ValueError(f"numerator {num} is larger than denominator {den}")
        p = num / den
        low, high = proportion_ci(num, den, alpha)
        return Estimate(p * scale, float(low) * scale, float(high) * scale, p * (1 - p) / den * scale ** 2,
                        "wilson", num, den)
    if kind == "rate":
        rate, low, high = rate_ci(num, den, per=scale, alpha=alpha)
        return Estimate(float(rate), float(low), float(high), num / den ** 2 * scale ** 2, "poisson-exact", num, den)
    raise ValueError(f"kind {kind!r} has no pooled interval; use proportion or rate")


def change_ci(after: Estimate, before: Estimate, kind: str, scale: float, alpha: float = ALPHA) -> Difference:
    """``after - before`` with the interval that fits the kind: Newcombe for proportions, MOVER-Poisson
    for rates (both from the counts), MOVER from stored intervals otherwise, else unknown (NaN).

    Examples
    --------
    >>> a = pooled_estimate(np.array([56.0]), np.array([70.0]), "proportion", 100)
    >>> b = pooled_estimate(np.array([48.0]), np.array([80.0]), "proportion", 100)
    >>> d = change_ci(a, b, "proportion", 100)
    >>> round(d.value, 2), round(d.ci_low, 2), round(d.ci_high, 2), d.method
    (20.0, 5.24, 33.39, 'newcombe')
    >>> change_ci(Estimate(4.0), Estimate(3.0), "value", 1).ci_low
    nan
    """
    counts = all(math.isfinite(x) for x in (after.numerator, after.denominator, before.numerator,
                                            before.denominator))
    if counts and kind == "proportion":
        d, low, high = proportion_diff_ci(after.numerator, after.denominator, before.numerator,
                                          before.denominator, alpha)
        return Difference(d * scale, low * scale, high * scale, "newcombe")
    if counts and kind == "rate":
        d, low, high = rate_diff_ci(after.numerator, after.denominator, before.numerator, before.denominator,
                                    per=scale, alpha=alpha)
        return Difference(d, low, high, "mover-poisson")
    return mover_diff_ci(after, before)


def verdict(diff: float, ci_low: float, ci_high: float, direction: str) -> str:
    """``improved``, ``no_clear_change`` or ``worsened`` for a change with its interval.

    A change is clear when its whole interval lies on one side of zero; then the indicator's
    ``direction`` (``lower_is_better`` or ``higher_is_better``) says whether it is better or worse.
    A ``neutral`` indicator gets ``increased`` or ``decreased``; an unknown interval gives ``unknown``.

    Examples
    --------
    >>> verdict(-1.2, -2.0, -0.4, "lower_is_better"), verdict(-1.2, -2.5, 0.1, "lower_is_better")
    ('improved', 'no_clear_change')
    >>> verdict(0.8, 0.2, 1.4, "lower_is_better"), verdict(0.8, 0.2, 1.4, "higher_is_better")
    ('worsened', 'improved')
    >>> verdict(0.8, 0.2, 1.4, "neutral"), verdict(0.8, float("nan"), float("nan"), "lower_is_better")
    ('increased', 'unknown')
    """
    if not all(math.isfinite(x) for x in (diff, ci_low, ci_high)):
        return "unknown"
    if ci_low <= 0 <= ci_high:
        return "no_clear_change"
    up = ci_low > 0
    direction = str(direction)
    if direction == "lower_is_better":
        return "worsened" if up else "improved"
    if direction == "higher_is_better":
        return "improved" if up else "worsened"
    return "increased" if up else "decreased"


def difference_in_differences(area_before: Estimate, area_after: Estimate, comparison_before: Estimate,
                              comparison_after: Estimate, alpha: float = ALPHA) -> Difference:
    """The area's change minus the comparison zones' change, so that a change the whole city shares is
    not taken for the programme's effect.

    The interval is ``did ± z·sqrt(sum of the four variances)`` with ``z`` from ``scipy.stats.norm``
    (the four estimates taken as independent; with the same people measured twice the true variance
    is usually smaller, so the interval errs on the wide side). Unknown if any variance is unknown.

    Examples
    --------
    The area falls from 10 % to 8 %, the comparison zones from 10 % to 9.5 % (each of 2500 persons):

    >>> v = lambda p: p * (100 - p) / 2500
    >>> r = difference_in_differences(Estimate(10, variance=v(10)), Estimate(8, variance=v(8)),
    ...                               Estimate(10, variance=v(10)), Estimate(9.5, variance=v(9.5)))
    >>> round(r.value, 2), round(r.ci_low, 2), round(r.ci_high, 2), r.method
    (-1.5, -3.78, 0.78, 'normal')
    """
    did = (area_after.value - area_before.value) - (comparison_after.value - comparison_before.value)
    variances = [e.variance for e in (area_before, area_after, comparison_before, comparison_after)]
    if not all(math.isfinite(v) for v in variances):
        return Difference(did)
    half = float(stats.norm.ppf(1 - alpha / 2)) * math.sqrt(sum(variances))
    return Difference(did, did - half, did + half, "normal")


def period_end(period: str) -> str:
    """The last day (ISO date) of a normalised period: ``2019``, ``2020/2022``, ``2019-03``,
    ``2019-03-01`` or ``2019-Q1``. A baseline "at" a period takes periods that ended by then.

    Examples
    --------
    >>> period_end("2018"), period_end("2016/2018"), period_end("2019-02"), period_end("2019-Q3")
    ('2018-12-31', '2018-12-31', '2019-02-28', '2019-09-30')
    """
    if "/" in period:
        return f"{period.split('/')[1][:4]}-12-31"
    if "-Q" in period:
        year, q = int(period[:4]), int(period[-1])
        month = 3 * q
        return f"{year}-{month:02d}-{calendar.monthrange(year, month)[1]:02d}"
    if len(period) == 7:
        year, month = int(period[:4]), int(period[5:7])
        return f"{period}-{calendar.monthrange(year, month)[1]:02d}"
    if len(period) == 10:
        return period
    return f"{period[:4]}-12-31"

"""A seeded generator of clearly synthetic living-conditions indicators for Oslo's delbydeler.

Nothing here is real: levels are plausible, the geography of disadvantage follows a simple
latent score per bydel, and yearly counts are drawn from a binomial distribution so that small
zones are noisy, as real ones are. Every indicator is marked ``synthetic``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from nabolag.domain.indicators import Direction, Indicator, Kind, Method

YEARS = tuple(str(y) for y in range(2015, 2025))
SOURCE = "syntetiske demodata (nabolag.demo_data)"

# Latent disadvantage per bydel (higher = more living-condition challenges). Invented, not measured.
BYDEL_SCORE = {
    "030101": 0.9, "030102": 0.3, "030103": 0.1, "030104": -0.2, "030105": -1.0, "030106": -1.1,
    "030107": -1.3, "030108": -0.9, "030109": 0.6, "030110": 1.1, "030111": 1.2, "030112": 1.2,
    "030113": 0.0, "030114": -0.7, "030115": 1.0,
}

# Invented yearly improvement (log scale) in programme zones from 2019.
PROGRAMME_EFFECT = {"lavinntekt": 0.02, "ikke_sysselsatt": 0.025, "sosialhjelp": 0.03}


@dataclass(frozen=True)
class Spec:
    code: str
    name_nb: str
    name_en: str
    definition: str
    denominator: str
    base_share: float  # city-wide share (per unit below)
    population_share: float  # denominator as a share of all residents
    loading: float  # how strongly it follows the latent score
    trend: float  # relative change per year
    per: int = 100  # 100 = percent, 1000 = per 1000


SPECS = (
    Spec("lavinntekt", "Vedvarende lavinntekt", "Persistent low income",
         "Andel personer i husholdninger med inntekt under 60 % av medianen (EU60) tre år på rad.",
         "personer i privathusholdninger", 0.10, 0.95, 0.55, 0.004),
    Spec("lav_utdanning", "Lav utdanning 30–59 år", "Low education, age 30–59",
         "Andel 30–59 år med grunnskole som høyeste fullførte utdanning.",
         "personer 30–59 år", 0.13, 0.45, 0.50, -0.015),
    Spec("ikke_sysselsatt", "Ikke sysselsatt 30–59 år", "Not employed, age 30–59",
         "Andel 30–59 år som ikke er registrert sysselsatt.", "personer 30–59 år", 0.19, 0.45, 0.35, -0.006),
    Spec("uforetrygd", "Uføretrygd 18–66 år", "Disability benefit, age 18–66",
         "Andel 18–66 år som mottar uføretrygd.", "personer 18–66 år", 0.055, 0.70, 0.55, 0.003),
    Spec("sosialhjelp", "Sosialhjelp 18–66 år", "Social assistance, age 18–66",
         "Andel 18–66 år som har mottatt økonomisk sosialhjelp i løpet av året.", "personer 18–66 år",
         0.035, 0.70, 0.65, -0.01),
    Spec("trangbodd", "Trangboddhet", "Crowded housing",
         "Andel personer i husholdninger som bor trangt (SSBs definisjon).", "personer i privathusholdninger",
         0.11, 0.95, 0.50, 0.002),
    Spec("dodelighet_55_79", "Dødelighet 55–79 år", "Mortality, age 55–79",
         "Døde 55–79 år per 1000 innbyggere 55–79 år.", "personer 55–79 år", 0.009, 0.20, 0.30, -0.012,
         per=1000),
    Spec("arbeidsavklaring", "Arbeidsavklaringspenger 18–66 år", "Work assessment allowance, age 18–66",
         "Andel 18–66 år som mottar arbeidsavklaringspenger.", "personer 18–66 år", 0.03, 0.70, 0.45, -0.005),
    Spec("arbeidsledighet", "Registrert arbeidsledighet 15–74 år", "Registered unemployment, age 15–74",
         "Andel 15–74 år som er registrert helt ledige hos NAV.", "personer 15–74 år", 0.025, 0.72, 0.50, -0.02),
    Spec("overgangsstonad", "Overgangsstønad", "Transitional benefit for single parents",
         "Andel 20–44 år som mottar overgangsstønad som enslig forsørger.", "personer 20–44 år", 0.008, 0.42,
         0.60, -0.03),
    Spec("vold", "Anmeldt vold", "Reported violence",
         "Anmeldte voldslovbrudd per 1000 innbyggere.", "alle innbyggere", 0.006, 1.0, 0.55, -0.01, per=1000),
    Spec("kort_botid_ikke_vestlig", "Ikke-vestlige innvandrere med kort botid",
         "Non-Western immigrants with short residence",
         "Andel innbyggere som er innvandrere fra land utenfor Vest-Europa, Nord-Amerika og Oseania "
         "med under fem års botid.", "alle innbyggere", 0.04, 1.0, 0.70, -0.01),
)


def indicators() -> list[Indicator]:
    return [Indicator(code=s.code, name_nb=s.name_nb, name_en=s.name_en,
                      definition=s.definition + " Syntetiske demodata – ikke virkelige tall.",
                      unit="prosent" if s.per == 100 else "per 1000", direction=Direction.LOWER_IS_BETTER,
                      numerator=s.definition.split(" ")[0], denominator=s.denominator, kind=Kind.CONTEXT,
                      source=SOURCE, method=Method.REGISTER, disaggregations=(), suppression_threshold=5,
                      synthetic=True) for s in SPECS]


def generate(zones: pd.DataFrame, seed: int = 2024, programme_zones: frozenset[str] = frozenset()) -> pd.DataFrame:
    """Observations for every zone and year.

    ``zones`` has columns ``code``, ``parent`` (bydel code) and ``population`` (residents in 2019).
    Zones in ``programme_zones`` improve a little from 2019 on (the invented effect of a programme).
    Returns the standard frame: ``indicator, zone, period, value, numerator, denominator, n, source``.
    """
    rng = np.random.default_rng(seed)
    latent = zones["parent"].map(BYDEL_SCORE).fillna(0.0).to_numpy() + rng.normal(0, 0.35, len(zones))
    programme = zones["code"].isin(programme_zones).to_numpy(dtype=float)
    frames = []
    for spec in SPECS:
        zone_effect = latent * spec.loading + rng.normal(0, 0.12, len(zones))
        for k, year in enumerate(YEARS):
            growth = 1 + 0.012 * (k - 4)  # the city grows ~1.2 % a year around 2019
            den = np.maximum(np.round(zones["population"].to_numpy() * spec.population_share * growth), 0)
            lift = programme * PROGRAMME_EFFECT.get(spec.code, 0.0) * max(0, k - 3)
            p = np.clip(spec.base_share * np.exp(zone_effect + spec.trend * (k - 4) - lift), 0, 0.95)
            num = rng.binomial(den.astype(np.int64), p).astype(float)
            with np.errstate(invalid="ignore", divide="ignore"):
                value = np.where(den > 0, num / den * spec.per, np.nan)
            frames.append(pd.DataFrame({
                "indicator": spec.code, "zone": zones["code"].to_numpy(), "period": year,
                "value": np.round(value, 2), "numerator": num, "denominator": den, "n": den, "source": SOURCE,
            }))
    out = pd.concat(frames, ignore_index=True)
    return out[out["denominator"] > 0].reset_index(drop=True)


def aggregate(frame: pd.DataFrame, parent_of: dict[str, str]) -> pd.DataFrame:
    """Sum numerators and denominators from zones to their parents (bydel or city)."""
    per = {s.code: s.per for s in SPECS}
    agg = (frame.assign(zone=frame["zone"].map(parent_of))
           .groupby(["indicator", "zone", "period"], as_index=False)[["numerator", "denominator"]].sum())
    agg["value"] = (agg["numerator"] / agg["denominator"] * agg["indicator"].map(per)).round(2)
    agg["n"] = agg["denominator"]
    agg["source"] = SOURCE
    return agg

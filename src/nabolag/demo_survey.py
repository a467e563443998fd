"""Demo: a synthetic resident survey of Oslo, baseline 2019 and follow-up 2024, with Groruddalen (where
the area programme works on safety, meeting places and associations) and comparison zones. Every
response is invented (source ``demo``, surveys and indicators marked synthetic)."""

from __future__ import annotations

import numpy as np

from nabolag.services.context import Context
from nabolag.services.survey import close_survey, create_survey, open_survey
from nabolag.services.survey_import import add_responses
from nabolag.services.survey_results import store_results
from nabolag.services.survey_templates import load_template

OTHER_ZONES = ("0301010111", "0301020209", "0301040403", "0301050506", "0301070701", "0301080802")
PER_ZONE = 24
AGES = ("15-24", "25-44", "45-66", "67+")
ROUNDS = (("innbyggere-2019", "2019"), ("innbyggere-2024", "2024"))


def _answers(rng: np.random.Generator, lift: float) -> dict[str, object]:
    """One invented respondent; ``lift`` moves the place's answers up (0 = the city's level)."""
    def likert(mean: float) -> int:
        return int(np.clip(np.rint(rng.normal(mean + lift, 1.0)), 1, 5))

    def yes(p: float) -> str:
        return "yes" if rng.random() < min(max(p + lift / 10, 0.02), 0.98) else "no"

    out: dict[str, object] = {
        "trygg_dag": likert(4.1), "trygg_kveld": likert(3.4), "tilhorighet": likert(3.6),
        "bli_boende": likert(3.7), "tillit_naboer": likert(3.5), "tillit_kommune": likert(3.0),
        "hjelp_nabo": yes(0.62), "medlem_forening": yes(0.38), "styreverv": yes(0.09), "frivillig": yes(0.3),
        "folkemote": yes(0.12), "aktive_dager": int(np.clip(rng.poisson(3.2 + lift), 0, 7)),
        "egen_helse": likert(3.8), "bruk_park": str(rng.choice(["daglig", "ukentlig", "maanedlig", "sjeldnere"])),
    }
    if rng.random() < 0.9:
        out["alder"] = str(rng.choice(AGES, p=[0.16, 0.38, 0.31, 0.15]))
    if rng.random() < 0.93:
        out["kjonn"] = str(rng.choice(["female", "male"]))
    return out


def build_surveys(ctx: Context, area_zones: tuple[str, ...], comparison: tuple[str, ...]) -> None:
    """Two synthetic rounds with results stored as observations (periods 2019 and 2024)."""
    rng = np.random.default_rng(2019)
    questionnaire = load_template("innbyggerundersokelse")
    for code, period in ROUNDS:
        create_survey(ctx, questionnaire, code=code, period=period, synthetic=True)
        records = []
        for zone in (*area_zones, *comparison, *OTHER_ZONES):
            lift = -0.55 if zone in area_zones else (-0.3 if zone in comparison else 0.0)
            if zone in area_zones and period == "2024":
                lift += 0.45  # the programme's years: light in the tunnel, meeting places, associations
            language = "en" if rng.random() < 0.1 else "nb"
            records += [{"answers": _answers(rng, lift), "zone": zone, "language": language}
                        for _i in range(PER_ZONE)]
        add_responses(ctx, code, records, source="demo", file_name=f"demo:{code}")
        store_results(ctx, code)
        open_survey(ctx, code)
        if period == "2019":
            close_survey(ctx, code)

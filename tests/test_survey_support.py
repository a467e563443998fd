"""A small questionnaire and an open survey for the survey tests (imported as ``test_survey_support``)."""

from __future__ import annotations

from nabolag.domain.survey import Questionnaire
from nabolag.domain.zones import Level, Zone
from nabolag.ingest.survey import read_questionnaire_text
from nabolag.services import zones
from nabolag.services.context import Context
from nabolag.services.survey import create_survey, open_survey

SMALL_YAML = """
code: nabolag_kort
version: 1
title: {nb: Livet i nabolaget, en: Life in the neighbourhood, ar: الحياة في الحي}
languages: [nb, en, ar]
sections:
  - id: sted
    title: {nb: Stedet, en: The place, ar: المكان}
    questions:
      - id: trygg_dag
        type: scale
        required: true
        theme: trygghet
        text: {nb: "Hvor trygg føler du deg om dagen?", en: "How safe do you feel by day?", ar: "ما مدى شعورك بالأمان نهارا؟"}
      - id: trivsel
        type: likert
        text: {nb: Jeg trives her, en: I like it here, ar: أحب المكان}
      - id: forening
        type: yesno
        text: {nb: "Er du medlem av en forening?", en: "Are you a member of an association?", ar: "هل أنت عضو في جمعية؟"}
      - id: transport
        type: single
        text: {nb: "Hvordan reiser du?", en: "How do you travel?", ar: "كيف تسافر؟"}
        choices:
          - {code: gange, text: {nb: Går, en: Walk, ar: مشيا}}
          - {code: buss, text: {nb: Buss, en: Bus, ar: حافلة}}
      - id: steder
        type: multiple
        text: {nb: "Hvor møtes du med andre?", en: "Where do you meet others?", ar: "أين تلتقي بالآخرين؟"}
        choices:
          - {code: bibliotek, text: {nb: Biblioteket, en: The library, ar: المكتبة}}
          - {code: parken, text: {nb: Parken, en: The park, ar: الحديقة}}
          - {code: senteret, text: {nb: Senteret, en: The centre, ar: المركز}}
      - id: aar_bodd
        type: number
        min: 0
        max: 100
        integer: true
        text: {nb: "Hvor mange år har du bodd her?", en: "How many years have you lived here?", ar: "كم سنة عشت هنا؟"}
      - id: bra_naa
        type: text
        text: {nb: "Hva er bra nå?", en: "What is good now?", ar: "ما الجيد الآن؟"}
      - id: favoritt
        type: point
        text: {nb: Ditt favorittsted, en: Your favourite place, ar: مكانك المفضل}
  - id: bakgrunn
    title: {nb: Om deg, en: About you, ar: عنك}
    questions:
      - id: alder
        type: single
        background: age_band
        text: {nb: Alder, en: Age, ar: العمر}
        choices:
          - {code: 15-34, text: {nb: 15–34 år, en: 15–34, ar: ١٥–٣٤}}
          - {code: 35-66, text: {nb: 35–66 år, en: 35–66, ar: ٣٥–٦٦}}
          - {code: 67+, text: {nb: 67 år eller eldre, en: 67 or older, ar: ٦٧+}}
      - id: kjonn
        type: single
        background: gender
        text: {nb: Kjønn, en: Gender, ar: الجنس}
        choices:
          - {code: female, text: {nb: Kvinne, en: Woman, ar: امرأة}}
          - {code: male, text: {nb: Mann, en: Man, ar: رجل}}
          - {code: other, text: {nb: Annet, en: Other, ar: آخر}}
"""

ZONES = ("0301101001", "0301101002", "0301121201")

GOOD = {"trygg_dag": 6, "trivsel": "4", "forening": "yes", "transport": "buss", "steder": ["parken", "bibliotek"],
        "aar_bodd": "12", "bra_naa": "<script>alert(1)</script> Parken!", "favoritt": {"lon": 10.9, "lat": 59.95},
        "alder": "35-66", "kjonn": "female"}


def small() -> Questionnaire:
    return read_questionnaire_text(SMALL_YAML, "nabolag_kort.yaml")


def open_small_survey(ctx: Context, code: str = "kort-2024", mode: str = "open") -> None:
    """Three zones and the small questionnaire as an open survey."""
    zones.define_zones(ctx, [Zone(code=c, name=f"Sone {c[-2:]}", level=Level.DELBYDEL) for c in ZONES])
    create_survey(ctx, small(), code=code, mode=mode, period="2024")
    open_survey(ctx, code)


def test_the_small_questionnaire_parses() -> None:
    q = small()
    assert [s.id for s in q.sections] == ["sted", "bakgrunn"]
    assert q.background_question("gender").id == "kjonn"
    assert q.by_id["trygg_dag"].points == 7 and q.by_id["trivsel"].points == 5

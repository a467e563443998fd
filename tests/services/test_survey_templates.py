"""The built-in questionnaires: they parse, ship as package data, carry what issue 6 asks for, and a
survey can be made from each and answered."""

from __future__ import annotations

import pytest

from nabolag.errors import NotFoundError
from nabolag.services.context import Context
from nabolag.services.survey import create_survey, open_survey
from nabolag.services.survey_submit import new_token, submit
from nabolag.services.survey_templates import list_templates, load_template, template_names

PLACE_STANDARD = ("moving_around", "public_transport", "traffic_parking", "streets_spaces", "natural_space",
                  "play_recreation", "facilities_amenities", "work_economy", "housing_community",
                  "social_interaction", "identity_belonging", "feeling_safe", "care_maintenance",
                  "influence_control")


def test_templates_are_listed_with_their_audience() -> None:
    found = {t.name: t for t in list_templates("en")}
    assert set(found) == {"stedsanalyse", "stedsanalyse_ungdom", "stedsanalyse_barn", "innbyggerundersokelse"}
    assert found["stedsanalyse"].title == "How good is your place? Place assessment"
    assert found["stedsanalyse"].languages == ("nb", "nn", "en")
    assert (found["stedsanalyse_barn"].audience, found["stedsanalyse_barn"].variant_of) == ("children", "stedsanalyse")
    assert found["stedsanalyse_ungdom"].audience == "youth"
    with pytest.raises(NotFoundError, match="stedsanalyse"):
        load_template("finnes_ikke")


def test_place_standard_has_fourteen_themes_on_seven_points_with_good_and_better() -> None:
    q = load_template("stedsanalyse")
    by_id = q.by_id
    for theme in PLACE_STANDARD:
        assert by_id[theme].type == "scale" and by_id[theme].points == 7
        assert by_id[f"{theme}_bra"].text["nb"] == "Hva er bra nå?"
        assert by_id[f"{theme}_bedre"].text["en"] == "What could be better?"
    assert {q.background for q in q.questions() if q.background} == {"age_band", "gender", "resident_group"}


def test_children_and_youth_have_simpler_scales() -> None:
    young = load_template("stedsanalyse_ungdom")
    children = load_template("stedsanalyse_barn")
    assert {x.points for x in young.questions() if x.type == "likert"} == {5}
    assert {x.points for x in children.questions() if x.type == "likert"} == {3}
    assert not any(x.type == "scale" for x in [*young.questions(), *children.questions()])


def test_resident_survey_covers_safety_trust_participation_places_and_health() -> None:
    ids = load_template("innbyggerundersokelse").by_id
    for qid in ("trygg_dag", "trygg_kveld", "tilhorighet", "tillit_naboer", "hjelp_nabo", "medlem_forening",
                "styreverv", "frivillig", "folkemote", "bruk_park", "naar_park", "aktive_dager"):
        assert qid in ids
    assert ids["naar_bibliotek"].type == "multiple" and ids["aktive_dager"].max == 7


@pytest.mark.parametrize("name", template_names())
def test_every_template_becomes_a_survey_that_takes_an_answer(ctx: Context, name: str) -> None:
    q = load_template(name)
    create_survey(ctx, q, code=f"t-{name}".replace("_", "-"))
    open_survey(ctx, f"t-{name}".replace("_", "-"))
    required = {x.id: (x.choice_codes[0] if x.choices else 3) for x in q.questions() if x.required}
    receipt = submit(ctx, f"t-{name}".replace("_", "-"), required, new_token(), q.languages[-1])
    assert receipt.response_id > 0

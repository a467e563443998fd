"""Questionnaire parsing names the file, section, question and field of every problem; answers and
versions are checked against the questionnaire; a questionnaire survives the trip to JSON and back."""

from __future__ import annotations

import pytest
import yaml

from nabolag.domain.survey import direction, text_fields
from nabolag.domain.survey_answers import check_answers, version_problems
from nabolag.domain.survey_parse import parse_questionnaire, questionnaire_to_dict
from nabolag.errors import InputError
from nabolag.ingest.survey import read_questionnaire, read_questionnaire_text
from test_survey_support import SMALL_YAML, small


def _data() -> dict:
    return yaml.safe_load(SMALL_YAML)


def _problems(data: object) -> list[tuple[str | None, str]]:
    with pytest.raises(InputError) as caught:
        parse_questionnaire(data, file="skjema.yaml")
    assert all(p.file == "skjema.yaml" for p in caught.value.problems)
    return [(p.field, p.message) for p in caught.value.problems]


def test_round_trip_through_plain_data() -> None:
    q = small()
    assert parse_questionnaire(questionnaire_to_dict(q)) == q


def test_each_problem_names_section_question_and_field() -> None:
    data = _data()
    sted = data["sections"][0]["questions"]
    sted[0]["type"] = "slider"
    sted[1]["points"] = 9
    del sted[2]["text"]["en"]
    sted[3]["choices"][1]["code"] = "gange"
    sted[5]["min"] = 200
    sted[6]["max_length"] = 6000
    sted[7]["colour"] = "red"
    data["sections"][1]["questions"][0]["id"] = "trygg_dag"
    found = _problems(data)
    fields = [f for f, _m in found]
    assert "sections[sted].questions[trygg_dag].type" in fields
    assert "sections[sted].questions[trivsel].points" in fields
    assert ("sections[sted].questions[forening].text", "mangler tekst på språket «en»") in found
    assert "sections[sted].questions[transport].choices" in fields
    assert "sections[sted].questions[aar_bodd].min" in fields
    assert "sections[sted].questions[bra_naa].max_length" in fields
    assert "sections[sted].questions[favoritt].colour" in fields
    assert "questions[trygg_dag]" in fields  # the id is used twice


def test_top_level_problems() -> None:
    assert [f for f, _m in _problems({"code": "Feil kode", "languages": ["norsk"], "sections": []})] == [
        "languages", "code", "sections", "title"]
    with pytest.raises(InputError, match="forventet et spørreskjema"):
        parse_questionnaire(["not", "a", "mapping"])


def test_background_must_be_a_single_choice_once() -> None:
    data = _data()
    data["sections"][1]["questions"][1]["background"] = "age_band"
    data["sections"][0]["questions"][0]["background"] = "gender"
    fields = [f for f, _m in _problems(data)]
    assert "background[age_band]" in fields and "sections[sted].questions[trygg_dag].background" in fields


def test_files_yaml_json_and_bad_syntax(tmp_path) -> None:
    path = tmp_path / "kort.json"
    import json

    path.write_text(json.dumps(_data(), ensure_ascii=False), encoding="utf-8")
    assert read_questionnaire(path) == small()
    with pytest.raises(InputError, match="kan ikke lese YAML"):
        read_questionnaire_text("code: [unclosed", "brutt.yaml")
    with pytest.raises(InputError, match="finnes ikke"):
        read_questionnaire(tmp_path / "mangler.yaml")


def test_right_to_left_and_text_keys() -> None:
    q = small()
    assert [direction(x) for x in q.languages] == ["ltr", "ltr", "rtl"]
    keys = dict(text_fields(q))
    assert keys["steder.choice.parken"]["ar"] == "الحديقة" and "title" in keys


def test_empty_answers_are_left_out_and_required_ones_named() -> None:
    stored, problems = check_answers(small(), {"trygg_dag": "7", "bra_naa": "", "steder": []})
    assert stored == {"trygg_dag": 7} and problems == []
    stored, problems = check_answers(small(), {"trygg_dag": None})
    assert [p.field for p in problems] == ["trygg_dag"]


def test_version_problems_name_the_question() -> None:
    old = small()
    data = _data()
    data["version"] = 2
    data["sections"][0]["questions"][5]["max"] = 50
    data["sections"][0]["questions"][4]["choices"].pop()
    new = parse_questionnaire(data)
    found = {p.field: p.message for p in version_problems(old, new, "v2.yaml")}
    assert set(found) == {"aar_bodd", "steder"}
    assert "senteret" in found["steder"]

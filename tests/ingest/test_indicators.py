"""Indicator definitions read from YAML and CSV: every field, and errors that name row, field and values."""

from __future__ import annotations

from pathlib import Path

import pytest

from nabolag.domain.indicators import Direction, Kind, Method
from nabolag.errors import InputError
from nabolag.ingest.indicators import read_indicators
from obs_support import DATA, write


def test_yaml_reads_every_field() -> None:
    items, report = read_indicators(DATA / "indicators.yaml")
    assert report.ok and report.rows == 3
    by_code = {i.code: i for i in items}
    assert list(by_code) == ["lavinntekt", "utegym_bruk", "trygghet_kveld"]  # file order kept
    low = by_code["lavinntekt"]
    assert low.name_nb == "Husholdninger med vedvarende lavinntekt"
    assert low.name_en == "Households with persistent low income"
    assert low.definition.startswith("Andel husholdninger med inntekt under 60 %")
    assert low.unit == "prosent"
    assert low.direction is Direction.LOWER_IS_BETTER
    assert (low.numerator, low.denominator) == ("husholdninger med lavinntekt", "alle husholdninger")
    assert low.kind is Kind.CONTEXT and low.method is Method.REGISTER
    assert low.source == "SSB, inntekts- og formuesstatistikk"
    assert low.disaggregations == ("age", "gender")  # YAML list
    assert low.suppression_threshold == 10
    assert low.synthetic is False
    gym = by_code["utegym_bruk"]
    assert gym.kind is Kind.PROCESS and gym.method is Method.OBSERVATION
    assert gym.direction is Direction.HIGHER_IS_BETTER
    assert gym.disaggregations == ("age", "gender")  # comma-separated text
    assert gym.synthetic is True and gym.suppression_threshold is None
    safe = by_code["trygghet_kveld"]
    assert safe.kind is Kind.RESULT and safe.method is Method.SURVEY
    assert safe.name_en == "" and safe.name("en") == "Trygg om kvelden"  # falls back to bokmål


def test_csv_reads_every_field() -> None:
    items, report = read_indicators(DATA / "indicators.csv")  # semicolon-separated
    assert report.ok
    low, meet = items
    assert low.code == "lavinntekt" and low.name_en == "Households with persistent low income"
    assert low.direction is Direction.LOWER_IS_BETTER and low.kind is Kind.CONTEXT
    assert low.disaggregations == ("age", "gender") and low.suppression_threshold == 10
    assert low.numerator == "husholdninger med lavinntekt" and low.denominator == "alle husholdninger"
    assert meet.kind is Kind.INPUT and meet.method is Method.COUNT and meet.unit == "antall"
    assert meet.synthetic is True  # "ja"
    assert meet.suppression_threshold is None and meet.disaggregations == ()


def test_defaults_when_optional_fields_are_absent(tmp_path: Path) -> None:
    path = write(tmp_path / "min.yaml", "- code: a\n  name_nb: A\n")
    [ind], _ = read_indicators(path)
    assert (ind.direction, ind.kind, ind.method) == (Direction.NEUTRAL, Kind.CONTEXT, Method.REGISTER)


def _problem(path: Path) -> tuple[InputError, list[str]]:
    with pytest.raises(InputError) as info:
        read_indicators(path)
    return info.value, [p.describe() for p in info.value.problems]


@pytest.mark.parametrize("field,value", [("kind", "outcome"), ("direction", "up"), ("method", "census")])
def test_unknown_enum_value_names_row_field_and_expected_values(tmp_path: Path, field: str, value: str) -> None:
    path = write(tmp_path / "ind.csv", f"code,name_nb,{field}\nok,Fin,\nbad,Dårlig,{value}\n")
    exc, _ = _problem(path)
    [p] = exc.problems
    assert (p.file, p.row, p.field, p.found) == (str(path), 3, field, value)
    enum = {"kind": Kind, "direction": Direction, "method": Method}[field]
    for allowed in enum:
        assert allowed.value in (p.expected or "")
    assert "ingenting er lagret" in exc.message


def test_unknown_kind_in_yaml_names_the_item(tmp_path: Path) -> None:
    path = write(tmp_path / "ind.yaml", "indicators:\n- {code: a, name_nb: A}\n- {code: b, name_nb: B, kind: resultat}\n")
    exc, lines = _problem(path)
    [p] = exc.problems
    assert (p.row, p.field, p.found) == (2, "kind", "resultat")
    assert "context, input, process, result" in (p.expected or "")
    assert lines[0].startswith(f"{path}:2 [kind]")


def test_duplicate_code_points_to_first_row(tmp_path: Path) -> None:
    path = write(tmp_path / "ind.csv", "code,name_nb\nlavinntekt,A\nbefolkning,B\nlavinntekt,C\n")
    exc, _ = _problem(path)
    [p] = exc.problems
    assert (p.row, p.field, p.found) == (4, "code", "lavinntekt")
    assert "rad 2" in p.message


def test_missing_name_nb(tmp_path: Path) -> None:
    path = write(tmp_path / "ind.csv", "code,name_nb,name_en\nlavinntekt,,Low income\n")
    exc, _ = _problem(path)
    [p] = exc.problems
    assert (p.row, p.field) == (2, "name_nb")
    assert "bokmål" in p.message


def test_missing_code_and_unknown_column(tmp_path: Path) -> None:
    path = write(tmp_path / "ind.csv", "code,name_nb,colour\n,A,red\n")
    exc, _ = _problem(path)
    [p] = exc.problems
    assert p.field == "colour" and "name_nb" in (p.expected or "")
    path = write(tmp_path / "ind2.csv", "code,name_nb\n,A\n")
    exc, _ = _problem(path)
    assert (exc.problems[0].row, exc.problems[0].field) == (2, "code")


def test_threshold_must_be_an_integer(tmp_path: Path) -> None:
    path = write(tmp_path / "ind.csv", "code,name_nb,suppression_threshold\na,A,fem\n")
    exc, _ = _problem(path)
    assert (exc.problems[0].row, exc.problems[0].field, exc.problems[0].found) == (2, "suppression_threshold", "fem")


def test_every_bad_row_is_reported_at_once(tmp_path: Path) -> None:
    path = write(tmp_path / "ind.csv", "code,name_nb,kind\na,A,x\nb,,context\na,A2,context\n")
    exc, _ = _problem(path)
    assert [(p.row, p.field) for p in exc.problems] == [(2, "kind"), (3, "name_nb"), (4, "code")]


def test_broken_yaml_and_wrong_shape(tmp_path: Path) -> None:
    exc, _ = _problem(write(tmp_path / "a.yaml", "indicators:\n  - code: a\n    name_nb: [unclosed\n"))
    assert str(tmp_path / "a.yaml") in exc.message and "YAML" in exc.message
    exc, _ = _problem(write(tmp_path / "b.yaml", "indicators: {}\n"))
    assert "indicators" in exc.message
    exc, _lines = _problem(write(tmp_path / "c.yaml", "- code: a\n  name_nb: A\n- just text\n"))
    assert exc.problems[0].row == 2 and exc.problems[0].found == "str"


@pytest.mark.parametrize("text,expected", [("true", True), ("ja", True), ("1", True), ("false", False),
                                           ("nei", False), ("", False)])
def test_synthetic_flag(tmp_path: Path, text: str, expected: bool) -> None:
    [ind], _ = read_indicators(write(tmp_path / "i.csv", f"code,name_nb,synthetic\na,A,{text}\n"))
    assert ind.synthetic is expected


def test_unclear_synthetic_flag_is_refused_not_taken_as_false(tmp_path: Path) -> None:
    # A synthetic indicator silently stored as real would publish demo numbers as facts.
    exc, _ = _problem(write(tmp_path / "i.csv", "code,name_nb,synthetic\na,A,kanskje\n"))
    assert (exc.problems[0].row, exc.problems[0].field, exc.problems[0].found) == (2, "synthetic", "kanskje")


def test_negative_threshold_is_refused(tmp_path: Path) -> None:
    exc, _ = _problem(write(tmp_path / "i.csv", "code,name_nb,suppression_threshold\na,A,-3\n"))
    assert (exc.problems[0].field, exc.problems[0].found) == ("suppression_threshold", "-3")
    [ind], _ = read_indicators(write(tmp_path / "j.csv", "code,name_nb,suppression_threshold\na,A,0\n"))
    assert ind.suppression_threshold == 0

"""``nabolag survey export`` and ``nabolag survey translate``: files written, help with an example, and the
exit codes of the other commands (bad input 2, unknown 3, rights 4)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml
from typer.testing import CliRunner

from nabolag.cli.main import app
from nabolag.errors import PermissionDenied
from nabolag.services.context import Context
from nabolag.services.survey import get_questionnaire, get_survey
from nabolag.services.survey_submit import new_token, submit
from test_survey_support import GOOD, ZONES, open_small_survey

run = CliRunner()


@pytest.fixture
def survey(ctx: Context, db_url: str) -> list[str]:
    open_small_survey(ctx)
    for i in range(6):
        submit(ctx, "kort-2024", {**GOOD, "aar_bodd": i}, new_token(), "nb", home_zone=ZONES[0])
    return ["--database", db_url, "survey"]


def _out(result: object) -> str:
    return result.output + str(getattr(result, "stderr", ""))  # type: ignore[attr-defined]


def test_export_csv_and_excel(survey: list[str], tmp_path: Path) -> None:
    result = run.invoke(app, [*survey, "export", "kort-2024", "--output", str(tmp_path / "svar.csv")])
    assert result.exit_code == 0, _out(result)
    assert "6 svar" in result.output
    data = pd.read_csv(tmp_path / "svar.csv", sep=";", decimal=",", encoding="utf-8-sig", dtype={"zone": str})
    assert len(data) == 6 and "bra_naa" not in data and (tmp_path / "svar-kodebok.csv").is_file()
    result = run.invoke(app, [*survey, "export", "kort-2024", "-o", str(tmp_path / "svar.xlsx"), "--with-text"])
    assert result.exit_code == 0, _out(result)
    sheets = pd.read_excel(tmp_path / "svar.xlsx", sheet_name=None)
    assert list(sheets) == ["svar", "kodebok"] and "bra_naa" in sheets["svar"]


def test_export_exit_codes(survey: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert run.invoke(app, [*survey, "export", "kort-2024", "-o", str(tmp_path / "svar.txt")]).exit_code == 2
    assert run.invoke(app, [*survey, "export", "finnes-ikke", "-o", str(tmp_path / "svar.csv")]).exit_code == 3

    def denied(*_a: object, **_k: object) -> None:
        raise PermissionDenied("nei")

    monkeypatch.setattr("nabolag.services.survey_export.export_responses", denied)
    assert run.invoke(app, [*survey, "export", "kort-2024", "-o", str(tmp_path / "svar.csv")]).exit_code == 4
    assert not list(tmp_path.glob("svar*"))
    assert "Eksempel: nabolag survey export" in run.invoke(app, [*survey, "export", "--help"]).output


def test_translate_writes_a_template_and_reads_it_back(survey: list[str], ctx: Context, tmp_path: Path) -> None:
    template = tmp_path / "so.yaml"
    result = run.invoke(app, [*survey, "translate", "kort-2024", "--language", "so", "--template", str(template)])
    assert result.exit_code == 0, _out(result)
    data = yaml.safe_load(template.read_text(encoding="utf-8"))
    assert (data["survey"], data["language"], data["source"]) == ("kort-2024", "so", "nb")
    assert data["texts"]["trygg_dag.text"] == {"source": "Hvor trygg føler du deg om dagen?", "text": ""}
    unfilled = run.invoke(app, [*survey, "translate", "kort-2024", "--language", "so", "--file", str(template)])
    assert unfilled.exit_code == 2 and "transport.choice.buss" in _out(unfilled)
    for value in data["texts"].values():
        value["text"] = f"[so] {value['source']}"
    template.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = run.invoke(app, [*survey, "translate", "kort-2024", "--language", "so", "--file", str(template)])
    assert result.exit_code == 0, _out(result)
    assert get_survey(ctx, "kort-2024").languages == ("nb", "en", "ar", "so")
    assert get_questionnaire(ctx, "kort-2024").by_id["transport"].choices[1].text["so"] == "[so] Buss"
    assert "Eksempel: nabolag survey translate" in run.invoke(app, [*survey, "translate", "--help"]).output


def test_translate_bad_input_is_2_and_unknown_3(survey: list[str], tmp_path: Path) -> None:
    base = [*survey, "translate", "kort-2024", "--language", "so"]
    assert run.invoke(app, base).exit_code == 2  # neither --template nor --file
    assert run.invoke(app, [*base, "--template", str(tmp_path / "a.yaml"), "--file", str(tmp_path / "a.yaml")]
                      ).exit_code == 2
    other = tmp_path / "pl.yaml"
    other.write_text("survey: kort-2024\nlanguage: pl\ntexts: {title: Życie}\n", encoding="utf-8")
    wrong = run.invoke(app, [*base, "--file", str(other)])
    assert wrong.exit_code == 2 and "pl" in _out(wrong)
    yes = tmp_path / "yes.yaml"
    yes.write_text("language: so\ntexts: {title: yes}\n", encoding="utf-8")
    assert run.invoke(app, [*base, "--file", str(yes)]).exit_code == 2
    assert run.invoke(app, [*base, "--file", str(tmp_path / "mangler.yaml")]).exit_code == 2
    assert run.invoke(app, [*survey, "translate", "finnes-ikke", "--language", "so", "--template",
                            str(tmp_path / "x.yaml")]).exit_code == 3
    assert not (tmp_path / "x.yaml").exists()

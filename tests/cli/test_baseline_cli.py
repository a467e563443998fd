"""``nabolag baseline create|show`` and ``nabolag change`` on the Oslo demo: help with examples, output that
agrees with the service, files, and bad input with a clear message and a non-zero exit."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from nabolag.cli.main import app
from nabolag.services import Context
from nabolag.services.baseline import compare

runner = CliRunner()


@pytest.mark.parametrize("command", [["baseline"], ["baseline", "create"], ["baseline", "show"], ["change"]],
                         ids=lambda c: " ".join(c))
def test_help_has_an_example(command: list[str]) -> None:
    result = runner.invoke(app, [*command, "--help"])
    assert result.exit_code == 0
    assert "Eksempel: nabolag" in result.output


def test_create_show_and_change(demo_url: str, tmp_path: Path) -> None:
    db = ["--database", demo_url]
    result = runner.invoke(app, [*db, "baseline", "create", "groruddalen", "--period", "2018", "--label", "n2018"])
    assert result.exit_code == 0, result.output
    assert "n2018" in result.output and "12 indikatorer" in result.output and "befolkning" in result.output
    shown = json.loads(runner.invoke(app, [*db, "baseline", "show", "groruddalen", "--json"]).output)
    assert shown["label"] == "n2018" and shown["as_of"] == "2018" and len(shown["values"]) == 12
    sosial = next(v for v in shown["values"] if v["indicator"] == "sosialhjelp")
    assert sosial["period"] == "2018" and sosial["method"] == "wilson" and sosial["ci_low"] < sosial["value"]
    table = runner.invoke(app, [*db, "baseline", "show", "groruddalen"])
    assert table.exit_code == 0 and "poisson-exact" in table.output and "wilson" in table.output

    out = tmp_path / "endring.csv"
    result = runner.invoke(app, [*db, "change", "groruddalen", "--period", "2024", "--output", str(out)])
    assert result.exit_code == 0, result.output
    words = " ".join(result.output.split())
    assert "Newcombe" in words and "bedre" in words and "5.55" in words  # sosialhjelp 2024
    csv = pd.read_csv(out).set_index("indicator")
    with Context.open(demo_url) as ctx:  # the file says what the service says
        expected = compare(ctx, "groruddalen", latest_period="2024").frame.set_index("indicator")
    assert csv.loc["sosialhjelp", "did_verdict"] == "improved"
    assert csv["did"].to_numpy() == pytest.approx(expected["did"].to_numpy())
    assert (csv["latest_period"].astype(str) == "2024").all()
    xlsx = tmp_path / "endring.xlsx"
    assert runner.invoke(app, [*db, "change", "groruddalen", "-o", str(xlsx)]).exit_code == 0
    assert set(pd.read_excel(xlsx, sheet_name=None)) == {"endring", "metode"}


def test_bad_input_exits_nonzero_with_a_message(bare_demo_url: str, tmp_path: Path) -> None:
    """On the demo without its 2018 baseline (conftest), so that «no baseline yet» can be shown."""
    db = ["--database", bare_demo_url]
    result = runner.invoke(app, [*db, "baseline", "create", "groruddalen", "--period", "2018x"])
    assert result.exit_code == 2 and "2018x" in result.output
    result = runner.invoke(app, [*db, "change", "groruddalen"])
    assert result.exit_code == 3 and "baseline create groruddalen" in result.output
    result = runner.invoke(app, [*db, "baseline", "show", "atlantis"])
    assert result.exit_code == 3 and "atlantis" in result.output
    assert runner.invoke(app, [*db, "baseline", "create", "groruddalen", "--label", "x"]).exit_code == 0
    result = runner.invoke(app, [*db, "baseline", "create", "groruddalen", "--label", "x"])
    assert result.exit_code == 1 and "«x»" in result.output and "--label" in result.output
    result = runner.invoke(app, [*db, "change", "groruddalen", "--output", str(tmp_path / "endring.pdf")])
    assert result.exit_code == 2 and ".pdf" in result.output
    assert not (tmp_path / "endring.pdf").exists()

"""The CLI: help with examples, init, lists, demo without serving, clear errors and exit codes."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nabolag.cli.main import app

runner = CliRunner()
COMMANDS = [["init"], ["demo"], ["serve"], ["import", "zones"], ["import", "indicators"],
            ["import", "observations"], ["import", "transitions"], ["import", "population"],
            ["zones", "list"], ["indicators", "list"], ["areas", "list"], ["observations", "export"],
            ["index"], ["select"], ["matrix"], ["gaps"]]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c))
def test_help_has_an_example(command: list[str]) -> None:
    result = runner.invoke(app, [*command, "--help"])
    assert result.exit_code == 0
    assert "Eksempel: nabolag" in result.output


def test_demo_then_lists(db_url: str) -> None:
    result = runner.invoke(app, ["--database", db_url, "demo", "--no-serve", "--no-reports"])  # reports: tests/reports
    assert result.exit_code == 0, result.output
    zones = json.loads(runner.invoke(app, ["--database", db_url, "zones", "list", "--level", "bydel",
                                           "--json"]).output)
    assert len(zones) == 15 and all(z["parent"] == "0301" for z in zones)
    inds = json.loads(runner.invoke(app, ["--database", db_url, "indicators", "list", "--json"]).output)
    assert {"lavinntekt", "befolkning"} <= {i["code"] for i in inds}


def test_missing_file_exits_nonzero_with_message(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'x.sqlite'}"
    proc = subprocess.run([sys.executable, "-m", "nabolag.cli", "--database", url, "import", "zones",
                           str(tmp_path / "nope.geojson")], capture_output=True, text=True)
    assert proc.returncode == 2
    assert "nope.geojson" in proc.stderr and "finnes ikke" in proc.stderr


def test_bad_database_url_is_a_clear_error() -> None:
    result = runner.invoke(app, ["--database", "mysql://x/y", "init"])
    assert result.exit_code == 1
    assert "sqlite" in result.output

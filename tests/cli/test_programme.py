"""The programme commands: help with examples, a goal → measure → event → input → answer → logic model
session that agrees with the services, files in and out, and bad input with a message and exit code."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nabolag.cli.main import app
from nabolag.services import Context
from nabolag.services import programme as svc
from services.test_programme_support import AREA, setup

runner = CliRunner()
COMMANDS = [["vocabulary", c] for c in ("list", "set", "remove", "defaults")] + \
    [["goals", c] for c in ("list", "add", "remove")] + \
    [["measures", c] for c in ("list", "add", "status", "milestone", "remove", "import", "export")] + \
    [["programme", c] for c in ("import", "export", "progress")] + [["logic-model"]] + \
    [["actors", c] for c in ("list", "add", "remove")] + \
    [["events", c] for c in ("list", "add", "remove", "import", "export")] + \
    [["inputs", c] for c in ("list", "add", "answer", "remove", "public")]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c))
def test_help_has_an_example(command: list[str]) -> None:
    result = runner.invoke(app, [*command, "--help"])
    assert result.exit_code == 0 and "Eksempel: nabolag" in result.output


@pytest.fixture
def db(db_url: str, shared: Path) -> list[str]:
    with Context.open(db_url, actor="test") as ctx:
        setup(ctx, shared)
    return ["--database", db_url]


def _ok(args: list[str]) -> str:
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    return result.output


def test_a_programme_session(db: list[str], tmp_path: Path) -> None:
    _ok([*db, "goals", "add", AREA, "aktivitet", "--title", "Mer aktivitet", "--dimension", "individ",
         "--theme", "folkehelse", "--group", "age:13-19", "--indicator", "bruk_utegym:observation:30@2026"])
    _ok([*db, "measures", "add", AREA, "utegym", "--title", "Utegym", "--kind", "physical", "--status", "under_way",
         "--location", "POINT (10.8722 59.9631)", "--responsible", "bydel-grorud", "--partner", "ammerud-vel",
         "--goal", "aktivitet", "--indicator", "bruk_utegym:observation", "--start", "2020-01-01",
         "--end", "2021-12-31", "--milestone", "2020-06-01 | 2020-06-03 | Byggestart", "--budget", "100 000"])
    _ok([*db, "measures", "milestone", AREA, "utegym", "--title", "Åpning", "--due", "2021-06-01"])
    listed = json.loads(_ok([*db, "measures", "list", AREA, "--json"]))
    assert listed[0]["progress"] == 0.5 and listed[0]["budget"] == "100000"
    _ok([*db, "events", "add", AREA, "fm-1", "--kind", "folkemote", "--title", "Folkemøte", "--date", "2021-03-01",
         "--attendance", "all=40", "--attendance", "age:13-19=6"])
    assert "innspill-1" in _ok([*db, "inputs", "add", AREA, "--text", "Mer lys", "--received", "2021-03-01",
                                "--event", "fm-1", "--theme", "trygghet"])
    _ok([*db, "inputs", "answer", AREA, "innspill-1", "--answer", "Lys kommer", "--status", "adopted",
         "--date", "2021-03-15"])
    public = json.loads(_ok([*db, "inputs", "public", AREA, "--json"]))
    assert public["items"][0]["answer"] == "Lys kommer" and public["summary"]["answered_within"] == 1
    out = tmp_path / "logikk.md"
    _ok([*db, "logic-model", AREA, "--output", str(out)])
    text = out.read_text()
    assert "## Mål: Mer aktivitet (`aktivitet`)" in text and "Utegym (`utegym`, i gang, 50 %)" in text
    model = json.loads(_ok([*db, "logic-model", AREA, "--json"]))
    assert model["progress"]["percent"] == 50.0
    result = runner.invoke(app, [*db, "measures", "status", AREA, "utegym", "done"])
    assert result.exit_code == 2 and "milepæler som ikke er nådd" in result.output
    _ok([*db, "measures", "milestone", AREA, "utegym", "--title", "Åpning", "--due", "2021-06-01",
         "--done", "2021-06-05"])
    _ok([*db, "measures", "status", AREA, "utegym", "done"])
    with Context.open(db[1]) as ctx:  # the commands did what the services say
        m = svc.get_measure(ctx, AREA, "utegym")
    assert str(m.status) == "done" and [s.title for s in m.milestones] == ["Byggestart", "Åpning"]
    # Files: the whole programme out and in again.
    book = tmp_path / "program.xlsx"
    _ok([*db, "programme", "export", AREA, "-o", str(book)])
    assert "lagret" in _ok([*db, "programme", "import", AREA, str(book)])
    _ok([*db, "measures", "export", AREA, "-o", str(tmp_path / "tiltak.geojson")])
    assert json.loads((tmp_path / "tiltak.geojson").read_text())["features"][0]["geometry"]["type"] == "Point"
    assert "Groruddalen" in _ok([*db, "programme", "progress", AREA])


def test_bad_input_exits_nonzero_with_a_message(db: list[str], tmp_path: Path) -> None:
    result = runner.invoke(app, [*db, "measures", "add", AREA, "x", "--title", "X", "--kind", "physical",
                                 "--location", "POINT (10.78 59.88)", "--end", "2021-01-01",
                                 "--milestone", "2022-01-01 | | Sent", "--indicator", "finnes_ikke:survey"])
    assert result.exit_code == 2
    words = " ".join(result.output.split())
    assert "utenfor områdets soner" in words and "finnes_ikke" in words and "etter tiltakets sluttdato" in words
    result = runner.invoke(app, [*db, "goals", "add", AREA, "g", "--title", "G", "--dimension", "individ",
                                 "--start", "1. mai"])
    assert result.exit_code == 2 and "ugyldig dato" in result.output
    result = runner.invoke(app, [*db, "measures", "status", AREA, "nope", "done"])
    assert result.exit_code == 3 and "nope" in result.output
    result = runner.invoke(app, [*db, "measures", "status", AREA, "nope", "ferdig"])
    assert result.exit_code == 2 and "ferdig" in result.output
    result = runner.invoke(app, [*db, "goals", "list", "atlantis"])
    assert result.exit_code == 3 and "atlantis" in result.output
    result = runner.invoke(app, [*db, "vocabulary", "remove", "theme", "trygghet"])
    assert result.exit_code == 0
    result = runner.invoke(app, [*db, "inputs", "add", AREA, "--text", "Ring 22 33 44 55", "--received", "2021-01-01"])
    assert result.exit_code == 2 and "personopplysninger" in result.output
    result = runner.invoke(app, [*db, "programme", "import", AREA, str(tmp_path / "finnes-ikke.xlsx")])
    assert result.exit_code == 2 and "finnes ikke" in result.output

"""``nabolag survey``: templates, create, open, list, counts, and a bad file exits 2 naming the question."""

from __future__ import annotations

from typer.testing import CliRunner

from nabolag.cli.main import app


def test_survey_commands(db_url: str, tmp_path) -> None:
    run = CliRunner()
    base = ["--database", db_url, "survey"]
    assert "stedsanalyse" in run.invoke(app, [*base, "templates"]).output
    assert run.invoke(app, [*base, "create", "runde-2025", "--template", "stedsanalyse", "--period", "2025"]).exit_code == 0
    assert run.invoke(app, [*base, "open", "runde-2025"]).exit_code == 0
    listed = run.invoke(app, [*base, "list", "--json"])
    assert '"status": "open"' in listed.output
    assert "0 svar" in run.invoke(app, [*base, "counts", "runde-2025"]).output
    bad = tmp_path / "v2.yaml"
    bad.write_text("code: stedsanalyse\nversion: 2\ntitle: {nb: X}\nsections:\n  - id: a\n    title: {nb: A}\n"
                   "    questions:\n      - {id: trygg, type: scale, points: 5, text: {nb: T}}\n", encoding="utf-8")
    result = run.invoke(app, [*base, "version", "runde-2025", str(bad)])
    assert result.exit_code == 2 and "questions[trygg].points" in result.output + str(result.stderr)
    assert "Eksempel: nabolag survey create" in run.invoke(app, [*base, "create", "--help"]).output

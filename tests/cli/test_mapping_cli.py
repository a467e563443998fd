"""``nabolag mapping`` and ``nabolag sessions`` on the demo (issue 7): listing, export/import, use
indicators, and exit codes 2/3 for bad input and unknown campaigns."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from nabolag.cli.main import app


def test_mapping_and_sessions_commands(bare_demo_url: str, tmp_path: Path) -> None:
    run = CliRunner()

    def call(*args: str) -> object:
        return run.invoke(app, ["--database", bare_demo_url, *args])

    listed = call("mapping", "campaigns", "--json")
    assert listed.exit_code == 0 and "ammerud-skole-2025" in listed.output and '"synthetic": true' in listed.output
    out = tmp_path / "b.gpkg"
    assert call("mapping", "export", "ammerud-skole-2025", "--output", str(out)).exit_code == 0 and out.exists()
    assert call("mapping", "create", "kopi", "--school", "Kopi skole", "--area", "groruddalen").exit_code == 0
    assert call("mapping", "import", "kopi", str(out)).exit_code == 0
    assert call("mapping", "import", "finnes-ikke", str(out)).exit_code == 3
    assert call("mapping", "create", "Feil kode", "--school", "X").exit_code == 2
    heat = tmp_path / "h.geojson"
    agg = call("mapping", "aggregate", "ammerud-skole-2025", "--period", "2025", "--heatmap", "route",
               "--output", str(heat))
    assert agg.exit_code == 0 and '"contributors"' in heat.read_text(encoding="utf-8")
    sessions = call("sessions", "list", "--site", "ammerudgymmen", "--json")
    assert sessions.exit_code == 0 and "demo-ammerudgymmen-2019-0" in sessions.output
    use = call("sessions", "use", "ammerudgymmen", "--json")
    assert use.exit_code == 0 and '"before_after"' in use.output
    bad = tmp_path / "bad.csv"
    bad.write_text("session,site,date,start,slot\nx,ammerudgymmen,2020-01-01,17:00,17:00\n", encoding="utf-8")
    assert call("sessions", "import", str(bad)).exit_code == 2
    assert "--help" and "Eksempel" in call("mapping", "create", "--help").output

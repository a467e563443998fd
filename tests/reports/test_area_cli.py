"""``nabolag report AREA …`` and ``nabolag report area AREA …`` (the same command), ``nabolag report zones``
in the same group, and the CLI's errors: nothing is left half-written."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from nabolag.cli.main import app

pytestmark = pytest.mark.slow
runner = CliRunner()


def invoke(url: str, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["--database", url, "report", *args])
    return result.exit_code, result.output


def test_area_report_both_forms_and_zones_in_the_same_group(demo_url: str, tmp_path: Path) -> None:
    short = tmp_path / "nullpunkt.html"
    code, out = invoke(demo_url, "groruddalen", "--kind", "baseline", "--format", "html", "--output", str(short))
    assert code == 0, out
    assert "Rapporten er skrevet til" in out
    html = short.read_text(encoding="utf-8")
    assert html.startswith("<!doctype html>") and "Nullpunktsanalyse: Groruddalen" in html
    long = tmp_path / "oppfolging.html"
    code, out = invoke(demo_url, "area", "Groruddalen", "--kind", "follow-up", "--lang", "en", "--output", str(long))
    assert code == 0, out
    assert '<html lang="en">' in long.read_text(encoding="utf-8")
    profiles = tmp_path / "profiler"
    code, out = invoke(demo_url, "zones", "--codes", "0301101001", "--format", "html", "--output", str(profiles))
    assert code == 0, out
    assert any(profiles.iterdir())
    assert not list(tmp_path.glob("**/*.part"))


def test_pdf_from_the_cli(demo_url: str, tmp_path: Path) -> None:
    out_file = tmp_path / "rapport.pdf"
    code, out = invoke(demo_url, "groruddalen", "--output", str(out_file))  # format from the suffix
    assert code == 0, out
    assert out_file.read_bytes().startswith(b"%PDF-")


@pytest.mark.parametrize(("args", "exit_code", "message"), [
    (["atlantis", "--output", "{dir}/x.pdf"], 3, "Ukjent område: atlantis"),
    (["groruddalen", "--output", "{dir}/mangler/x.pdf"], 2, "/mangler finnes ikke"),
    (["groruddalen", "--kind", "annual", "--output", "{dir}/x.pdf"], 2, "Ukjent rapporttype «annual»"),
    (["groruddalen", "--output", "{dir}/x.docx"], 2, "Ukjent format «.docx»"),
    (["groruddalen", "--lang", "sv", "--output", "{dir}/x.html"], 2, "Ukjent språk «sv»"),
    (["groruddalen", "--baseline", "2030", "--output", "{dir}/x.html"], 3, "ikke noe nullpunkt «2030»"),
])
def test_errors_name_what_is_wrong(demo_url: str, tmp_path: Path, args: list[str], exit_code: int,
                                   message: str) -> None:
    code, out = invoke(demo_url, *[a.replace("{dir}", str(tmp_path)) for a in args])
    assert code == exit_code, out
    assert message in " ".join(out.split())
    assert not [p for p in tmp_path.rglob("*") if p.is_file() and p.suffix != ".sqlite"]


def test_area_without_baseline(bare_demo_url: str, tmp_path: Path) -> None:
    code, out = invoke(bare_demo_url, "groruddalen", "--output", str(tmp_path / "x.pdf"))
    assert code == 3, out
    assert "nabolag baseline create groruddalen" in " ".join(out.split())
    assert not (tmp_path / "x.pdf").exists()

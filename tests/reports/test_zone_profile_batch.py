"""Zone profiles in one run: one file per zone of a level (in two processes), an index listing them, clear
errors for bad input, and the ``report zones`` command with its options."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import typer
from pypdf import PdfReader
from typer.testing import CliRunner

from nabolag.cli.common import state
from nabolag.cli.report_zones import zones as zones_command
from nabolag.errors import InputError, NotFoundError
from nabolag.reports.zone_profile_batch import INDEX_FILE, write_profiles
from nabolag.services import Context, zones


def test_one_file_per_zone_of_a_level_in_two_processes(demo_ctx: Context, tmp_path: Path) -> None:
    bydeler = zones.list_zones(demo_ctx, level="bydel")
    seen: list[float] = []
    paths = write_profiles(demo_ctx.settings.database_url, tmp_path / "ut", level="bydel", fmt="html", workers=2,
                           progress=lambda _label, fraction: seen.append(fraction))
    assert len(bydeler) == 15 and [p.name[:6] for p in paths] == [z.code for z in bydeler]
    assert sorted(p.name for p in (tmp_path / "ut").iterdir()) == sorted([*(p.name for p in paths), INDEX_FILE])
    for z, p in zip(bydeler, paths, strict=True):
        html = p.read_text(encoding="utf-8")
        assert f"Soneprofil: {z.name}" in html and f'data-zone="{z.code}"' in html
    index = (tmp_path / "ut" / INDEX_FILE).read_text(encoding="utf-8")
    assert sorted(re.findall(r'<a href="([^"]+)">', index)) == sorted(p.name for p in paths)
    assert seen[-1] == 1.0 and seen == sorted(seen)  # progress only goes forward


def test_pdf_profiles_in_this_process_for_chosen_codes(demo_ctx: Context, tmp_path: Path) -> None:
    paths = write_profiles(demo_ctx, tmp_path, codes=["0301101005", "0301101001"], workers=1)
    assert [p.name for p in paths] == ["0301101005-romsas.pdf", "0301101001-ammerud.pdf"]
    for p in paths:
        assert len(PdfReader(p).pages) == 1
    assert not list(tmp_path.glob(".*"))  # no temporary files left behind


def test_bad_requests_name_what_is_wrong(demo_ctx: Context, tmp_path: Path) -> None:
    out = tmp_path / "ut"
    with pytest.raises(NotFoundError, match="0301000000"):
        write_profiles(demo_ctx, out, codes=["0301101001", "0301000000"])
    with pytest.raises(NotFoundError, match="grunnkrets.*finnes: bydel, delbydel, kommune"):
        write_profiles(demo_ctx, out, level="grunnkrets")
    with pytest.raises(InputError, match="docx"):
        write_profiles(demo_ctx, out, level="bydel", fmt="docx")
    with pytest.raises(InputError, match="workers"):
        write_profiles(demo_ctx, out, level="bydel", workers=0)
    assert not out.exists()  # nothing is written before the request is known to be good


def _app() -> typer.Typer:
    """The command as ``nabolag report zones`` runs it, under the same global ``--database`` option."""
    app = typer.Typer()

    @app.callback()
    def main(tctx: typer.Context, database: str = typer.Option(None, "--database")) -> None:
        state(tctx).update(database=database, lang=None)

    app.command("zones")(zones_command)
    return app


def test_report_zones_command(demo_url: str, tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "profiler"
    result = runner.invoke(_app(), ["--database", demo_url, "zones", "--codes", "0301101001,0301121203",
                                    "--format", "html", "--workers", "1", "--output", str(out)])
    assert result.exit_code == 0, result.output
    assert "2 soneprofiler skrevet" in result.output
    assert sorted(p.name for p in out.iterdir()) == ["0301101001-ammerud.html", "0301121203-lindeberg.html",
                                                    INDEX_FILE]
    none = runner.invoke(_app(), ["--database", demo_url, "zones", "--output", str(out)])
    assert none.exit_code == 2 and "--all, --level" in none.output
    unknown = runner.invoke(_app(), ["--database", demo_url, "zones", "--level", "gate", "--output", str(out)])
    assert unknown.exit_code == 3 and "gate" in unknown.output

"""The zone profile: one A4 page per zone with the zone's figures, computed here independently from the
store, the suppression mark for a small cell, and the same figures in the HTML and the PDF."""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path

import pandas as pd
import pytest
from area_support import nb, pdf_text
from pypdf import PdfReader
from sqlalchemy import text
from statsmodels.stats.proportion import proportion_confint

from nabolag.domain.indicators import Direction, Indicator
from nabolag.errors import NotFoundError
from nabolag.reports.zone_profile import zone_profile_html, zone_profile_pdf
from nabolag.services import Context, observations
from nabolag.services import indicators as indicator_service

AMMERUD = "0301101001"
PAGE_NUMBERS = re.compile(r"Side 1 av 1")


def line_of(page: str, name: str) -> str:
    found = [ln for ln in page.splitlines() if ln.strip().startswith(name)]
    assert len(found) == 1, f"{name!r} is on {len(found)} lines of the profile"
    return found[0]


def stored(ctx: Context, indicator: str, zone: str, period: str) -> dict[str, float]:
    """The stored figure, read with plain SQL (not through the services the profile uses)."""
    with ctx.store.read() as conn:
        row = conn.execute(text(
            "SELECT o.value, o.numerator, o.denominator FROM observation o JOIN indicator i ON i.id = o.indicator_id "
            "JOIN zone z ON z.id = o.zone_id WHERE i.code = :i AND z.code = :z AND o.period = :p AND o.groups = ''"),
            {"i": indicator, "z": zone, "p": period}).mappings().one()
    return dict(row)


def rank_of(ctx: Context, spec: str, zone: str) -> tuple[int, int, float]:
    """Rank (1 = highest index value, ties share the best rank) among the zones of the newest run, by hand."""
    with ctx.store.read() as conn:
        run = conn.execute(text(
            "SELECT r.id FROM index_run r JOIN index_spec s ON s.id = r.spec_id WHERE s.name = :s "
            "AND r.level = 'delbydel' ORDER BY r.period DESC, r.id DESC LIMIT 1"), {"s": spec}).scalar_one()
        values = dict(conn.execute(text(
            "SELECT z.code, v.value FROM index_value v JOIN zone z ON z.id = v.zone_id WHERE v.run_id = :r "
            "AND v.value IS NOT NULL"), {"r": run}).all())
    mine = values[zone]
    return 1 + sum(v > mine for v in values.values()), len(values), mine


def test_profile_pdf_has_the_zone_and_its_figures(demo_ctx: Context, tmp_path: Path, artifacts: Path) -> None:
    pdf = zone_profile_pdf(demo_ctx, AMMERUD)
    (artifacts / "zone_profile_ammerud.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "60", "-f", "1", "-l", "1", "-png", str(artifacts / "zone_profile_ammerud.pdf"),
                    str(artifacts / "zone_profile_ammerud")], check=True)
    assert (artifacts / "zone_profile_ammerud-1.png").stat().st_size > 10_000
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    assert reader.metadata.title == "Soneprofil: Ammerud"
    assert "/StructTreeRoot" in reader.trailer["/Root"]
    page = pdf_text(pdf, tmp_path, layout=True, plain_spaces=True)
    assert "Soneprofil: Ammerud" in page and "Delbydel i Grorud, Oslo" in page and PAGE_NUMBERS.search(page)
    assert "SYNTETISKE DATA" in page and "6 685 personer (2019)" in page

    # Vedvarende lavinntekt 2024: the stored value; the interval is Wilson's (statsmodels) from the counts
    # as published (rounded to the nearest 5); the parent's and city's stored values.
    own = stored(demo_ctx, "lavinntekt", AMMERUD, "2024")
    k, n = (5 * round(own[c] / 5) for c in ("numerator", "denominator"))
    low, high = proportion_confint(k, n, alpha=0.05, method="wilson")
    parent, city = (stored(demo_ctx, "lavinntekt", z, "2024")["value"] for z in ("030110", "0301"))
    row = line_of(page, "Vedvarende lavinntekt")
    expected = f"2024 {nb(own['value'])} ({nb(100 * low)}–{nb(100 * high)})"
    assert expected in " ".join(row.split()), row
    assert row.split()[-2:] == [nb(parent), nb(city)]

    # the index: rank counted by hand from the stored index values of the newest run
    rank, ranked, value = rank_of(demo_ctx, "oslo-levekar", AMMERUD)
    index_line = line_of(page, "Levekår i Oslo")
    assert f"{rank} av {ranked}" in index_line and nb(value, 2) in index_line


def test_small_cell_shows_the_mark_and_never_the_figure(demo_ctx: Context, tmp_path: Path) -> None:
    indicator_service.define_indicators(demo_ctx, [Indicator(
        code="test_liten", name_nb="Liten gruppe i testen", unit="prosent", direction=Direction.LOWER_IS_BETTER,
        source="testdata")])
    observations.load_frame(demo_ctx, pd.DataFrame([
        {"indicator": "test_liten", "zone": AMMERUD, "period": "2024", "value": "66.7", "numerator": "2",
         "denominator": "3", "n": "3"},
        {"indicator": "test_liten", "zone": "0301", "period": "2024", "value": "12.5", "numerator": "125",
         "denominator": "1000", "n": "1000"}]), source="testdata")
    pdf = zone_profile_pdf(demo_ctx, AMMERUD)
    page = pdf_text(pdf, tmp_path, layout=True, plain_spaces=True)
    row = " ".join(line_of(page, "Liten gruppe i testen").split())
    assert row.startswith("Liten gruppe i testen prosent 2024 :") and "66,7" not in page
    assert row.endswith("12,5")  # the city's cell is large and is shown
    assert "prikket: færre enn 5 i grunnlaget" in page
    html = zone_profile_html(demo_ctx, AMMERUD)
    cell = re.search(r'<tr data-indicator="test_liten".*?</tr>', html, re.S)
    assert cell and 'data-suppressed="1"' in cell[0] and "66" not in cell[0]


def test_html_and_pdf_carry_the_same_figures(demo_ctx: Context, tmp_path: Path) -> None:
    html = zone_profile_html(demo_ctx, "0301101002")
    pdf = zone_profile_pdf(demo_ctx, "0301101002")
    page = " ".join(pdf_text(pdf, tmp_path, layout=True, plain_spaces=True).split())
    cells = re.findall(r'data-field="(zone|parent|city)" data-value="([^"]*)"', html)
    assert len(cells) >= 3 * 12
    for _field, value in cells:
        if value:
            assert nb(float(value)) in page, value
    assert '<html lang="nb">' in html and "<svg" in html and "Rødtvet" in html


def test_english_numbers_and_unknown_zone(demo_ctx: Context) -> None:
    from nabolag.i18n import set_language

    set_language("en")
    html = zone_profile_html(demo_ctx, AMMERUD)
    assert '<html lang="en">' in html
    own = stored(demo_ctx, "lavinntekt", AMMERUD, "2024")["value"]
    assert f'data-value="{own}"' in html and f">{nb(own).replace(',', '.')}<" in html  # a decimal point
    with pytest.raises(NotFoundError, match="0301999999"):
        zone_profile_html(demo_ctx, "0301999999")


def test_walking_access_has_its_own_table(ctx: Context, shared: Path) -> None:
    from nabolag.services.access_demo import build_helsinki_demo

    build_helsinki_demo(ctx, shared / "helsinki")
    html = zone_profile_html(ctx, "hel-a1")
    table = re.search(r'<table class="numbered access-table".*?</table>', html, re.S)
    assert table and 'data-kind="park"' in table[0] and "Gangavstand til nærmeste sted (2020)" in table[0]
    assert "Snitt (m), Rute A1" in table[0]
    # the zone has only the network's indicators: they are not repeated in an indicator table
    assert "access_" not in html and 'id="indicators"' not in html


def test_the_method_note_follows_the_suppression_settings(demo_ctx: Context, monkeypatch: pytest.MonkeyPatch) -> None:
    """Review fix: the profile printed «(vanligvis 5)» and «nærmeste 5» whatever the settings said."""
    from dataclasses import replace

    from nabolag.reports.zone_profile import profile_context
    from nabolag.services import export

    note = str(profile_context(demo_ctx, AMMERUD)["suppression"])
    assert f"færre enn {demo_ctx.settings.suppression_threshold} personer" in note and "vanligvis" not in note
    assert f"nærmeste {export.ROUNDING_BASE}." in note
    monkeypatch.setattr(export, "ROUNDING_BASE", 10)  # the rounding the note names is the one in force
    assert "nærmeste 10." in str(profile_context(demo_ctx, AMMERUD)["suppression"])
    monkeypatch.setattr(export, "ROUNDING_BASE", 1)  # no rounding: no sentence about it
    assert "avrundet" not in str(profile_context(demo_ctx, AMMERUD)["suppression"])
    demo_ctx.settings = replace(demo_ctx.settings, suppression_threshold=8)
    assert "færre enn 8 personer" in str(profile_context(demo_ctx, AMMERUD)["suppression"])

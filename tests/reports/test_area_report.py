"""The baseline report of the Oslo demo's Groruddalen as HTML and PDF: headings, table of contents and page
numbers, figures checked against sums worked out here from the stored observations, small-cell
suppression, the same figures in HTML and PDF, tagging, and PNGs of the first pages (test-artifacts/)."""

from __future__ import annotations

import re
import subprocess
import time
from pathlib import Path

import pypdf
import pytest
from area_support import area, html_numbers, nb, pdf_pages, pdf_text, pooled, squeeze
from statsmodels.stats.proportion import proportion_confint

from nabolag.reports.area import area_report_pdf, build_area_report
from nabolag.reports.render import render_html
from nabolag.services import Context, observations

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def demo(module_demo_ctx: Context) -> Context:
    """The module's copy of the Oslo demo: the reports only read it."""
    return module_demo_ctx


@pytest.fixture(scope="module")
def baseline(demo: Context) -> dict[str, object]:
    started = time.perf_counter()
    content = build_area_report(demo, "groruddalen", "baseline")
    html = render_html("report.html", content)
    pdf = area_report_pdf(demo, "groruddalen", "baseline", content=content)
    return {"content": content, "html": html, "pdf": pdf, "seconds": time.perf_counter() - started}


def test_pdf_has_the_headings_contents_and_page_numbers(baseline: dict[str, object], tmp_path: Path) -> None:
    pages = pdf_pages(baseline["pdf"], tmp_path)  # type: ignore[arg-type]
    pages = [p for p in pages if p.strip()]
    text = "\n".join(pages)
    for heading in ("Nullpunktsanalyse: Groruddalen", "Innhold", "Området og sonene",
                    "Levekår: området mot byen og sammenligningssonene", "Levekårsindeks", "Likhetsmatrise",
                    "Programmet: mål, tiltak og indikatorer", "Indikatorer, nullpunkt og mål", "Hva innbyggerne sa",
                    "Innbyggerundersøkelsen", "Metodevedlegg", "Prikking av små tall", "Indeksens spesifikasjon"):
        assert heading in text, heading
    assert "SYNTETISKE DATA / synthetic data" in pages[0]
    n = len(pages)
    for i, page in enumerate(pages, start=1):
        assert f"Side {i} av {n}" in page, f"page {i} has no page number"
    # the table of contents gives the page each chapter starts on
    laid_out = [p for p in pdf_text(baseline["pdf"], tmp_path, layout=True).split("\f") if p.strip()]  # type: ignore[arg-type]
    toc = re.findall(r"^\s*(Metodevedlegg|Hva innbyggerne sa|Indikatorer, nullpunkt og mål)[ .]*?(\d+)\s*$",
                     laid_out[0] + laid_out[1], flags=re.M)
    assert len(toc) == 3, toc
    for heading, page in toc:
        lines = [line.strip() for line in laid_out[int(page) - 1].splitlines()]
        assert heading in lines, (heading, page)


def test_baseline_figures_match_sums_from_the_store(demo: Context, baseline: dict[str, object],
                                                    tmp_path: Path) -> None:
    """Low income (vedvarende lavinntekt) 2018: the area's share is the sum of the member zones' numerators
    over the sum of their denominators, with a Wilson interval (statsmodels); the comparison zones' the same."""
    member, comparison = area(demo)
    num, den, share = pooled(demo, "lavinntekt", member, "2018")
    low, high = (100 * x for x in proportion_confint(num, den, alpha=0.05, method="wilson"))
    c_num, c_den, c_share = pooled(demo, "lavinntekt", comparison, "2018")
    city = observations.query(demo, indicators=["lavinntekt"], zones=["0301"], periods=["2018"], groups="")
    lines = pdf_text(baseline["pdf"], tmp_path, layout=True).splitlines()  # type: ignore[arg-type]
    row = re.search(r'<tr data-key="lavinntekt">(.*?)</tr>', str(baseline["html"]), flags=re.S)
    assert row is not None
    expected = [nb(share), f"({nb(low)}–{nb(high)})", nb(c_share), nb(float(city["value"].iloc[0]))]
    for figure in expected:
        assert squeeze(figure) in squeeze(row.group(1)), figure
    # the profile table's row, and its interval on the line below (the cell wraps)
    at = next(i for i, x in enumerate(lines) if squeeze(x).startswith("Vedvarendelavinntekt2018lavereerbedre"))
    assert squeeze(lines[at]).endswith(squeeze(f"{nb(share)}{nb(c_share)}{nb(float(city['value'].iloc[0]))}"))
    assert squeeze(lines[at + 1]).startswith(squeeze(f"({nb(low)}–{nb(high)})")), lines[at + 1]


def test_small_cells_show_the_mark_and_a_footnote(demo: Context, baseline: dict[str, object],
                                                  tmp_path: Path) -> None:
    """Board members (styreverv) 2019 rest on 4 people: the baseline cell shows «:» with a footnote, and the
    figure itself is nowhere in the report."""
    raw = observations.query(demo, areas=["groruddalen"], indicators=["styreverv_andel"], periods=["2019"],
                             groups="")
    assert float(raw["numerator"].iloc[0]) < 5  # the demo's small cell
    html = str(baseline["html"])
    row = re.search(r'<tr data-key="styreverv_andel">(.*?)</tr>', html, flags=re.S)
    assert row is not None and 'data-field="baseline" data-value="" data-suppressed="1"' in row.group(1)
    note = re.search(r'<span class="suppressed"[^>]*>:</span><sup class="note-ref">(\d+)</sup>', row.group(1))
    assert note is not None
    text = pdf_text(baseline["pdf"], tmp_path, layout=True)  # type: ignore[arg-type]
    line = next(x for x in text.splitlines() if re.match(r"Innbyggere med\b.*\b2019\b", x))  # the name may wrap
    assert re.search(rf"\s:{note.group(1)}\s", line), line
    assert f"{note.group(1)}. prikket: færre enn 5 i grunnlaget" in text
    assert nb(float(raw["value"].iloc[0]), 4) not in html and "0,0101" not in html


def test_html_and_pdf_carry_the_same_figures(baseline: dict[str, object], tmp_path: Path) -> None:
    figures = html_numbers(str(baseline["html"]))
    assert len(figures) > 300
    text = squeeze(pdf_text(baseline["pdf"], tmp_path))  # type: ignore[arg-type]
    missing = sorted({f for f in figures if f not in text})
    assert not missing, missing[:20]


def test_pdf_is_tagged_with_text_title_and_language(baseline: dict[str, object], tmp_path: Path) -> None:
    path = tmp_path / "r.pdf"
    path.write_bytes(baseline["pdf"])  # type: ignore[arg-type]
    reader = pypdf.PdfReader(path)
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]
    assert root["/Lang"] == "nb"
    assert reader.metadata.title == "Nullpunktsanalyse: Groruddalen"
    assert all(len(page.extract_text().strip()) > 40 for page in reader.pages)
    assert len(reader.pages) >= 10


def test_first_pages_as_png(baseline: dict[str, object], artifacts: Path, tmp_path: Path) -> None:
    pdf = tmp_path / "nullpunkt.pdf"
    pdf.write_bytes(baseline["pdf"])  # type: ignore[arg-type]
    (artifacts / "area-baseline.pdf").write_bytes(baseline["pdf"])  # type: ignore[arg-type]
    subprocess.run(["pdftoppm", "-r", "60", "-f", "1", "-l", "2", "-png", str(pdf), str(artifacts / "area-baseline")],
                   check=True)
    made = sorted(artifacts.glob("area-baseline-*.png"))
    assert len(made) == 2 and all(p.stat().st_size > 10_000 for p in made)


def test_content_model_lists_every_chapter(baseline: dict[str, object]) -> None:
    content = baseline["content"]
    ids = [s["id"] for s in content["sections"]]  # type: ignore[index]
    assert ids == ["omradet", "levekar", "programmet", "indikatorer", "innbyggerne", "metode"]
    toc = content["report"]["toc"]  # type: ignore[index]
    assert [t["id"] for t in toc] == ids
    assert content["report"]["synthetic"] is True  # type: ignore[index]
    print(f"baseline report (content + PDF): {baseline['seconds']:.1f} s")

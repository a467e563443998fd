"""The report renderer: autoescaped templates in the current language, print rules with translated page
numbers, a PDF that fetches nothing from outside the package, and the report-only chart specs."""

from __future__ import annotations

import pypdf
import pytest

from nabolag.i18n import set_language
from nabolag.reports.charts import interval_chart
from nabolag.reports.format import interval, number, signed
from nabolag.reports.render import _fetcher, environment, html_to_pdf, page_css, render_html
from nabolag.reports.tables import Notes, cell


def _page(body: str, synthetic: bool = False) -> str:
    tpl = environment().from_string('{% extends "report_base.html" %}{% block content %}' + body +
                                    "{% endblock %}")
    return tpl.render(report={"title": "T <1>", "subtitle": "S", "date": "2025-01-01", "synthetic": synthetic,
                              "toc": [{"id": "a", "title": "Del A", "children": []}], "facts": []})


def test_autoescape_language_and_synthetic_banner() -> None:
    html = _page("<p>{{ '<b>' }}</p>", synthetic=True)
    assert "<title>T &lt;1&gt;</title>" in html and "&lt;b&gt;" in html
    assert '<html lang="nb">' in html
    assert "SYNTETISKE DATA / synthetic data" in html
    assert 'href="#a"' in html  # the table of contents links the section


def test_page_css_has_translated_page_numbers_and_the_synthetic_mark() -> None:
    css = str(page_css(True))
    assert 'content: "Side " counter(page) " av " counter(pages) "";' in css
    assert "SYNTETISKE DATA / synthetic data" in css
    assert "SYNTETISKE" not in str(page_css(False))


def test_fetcher_refuses_network_and_files_outside_the_package(tmp_path) -> None:
    f = _fetcher()
    with pytest.raises(ValueError, match="eksterne ressurser"):
        f.fetch("http://example.org/x.png")
    outside = tmp_path / "secret.css"
    outside.write_text("body{}")
    with pytest.raises(ValueError):
        f.fetch(outside.as_uri())
    assert f.fetch("data:text/plain,hei").read() == b"hei"


def test_pdf_without_network_still_renders(tmp_path, caplog: pytest.LogCaptureFixture) -> None:
    pdf = html_to_pdf(_page('<section id="a"><img src="http://example.org/x.png" alt="x"><p>Tekst</p></section>'),
                      title="Tittel")
    path = tmp_path / "t.pdf"
    path.write_bytes(pdf)
    reader = pypdf.PdfReader(path)
    assert "/StructTreeRoot" in reader.trailer["/Root"] and reader.metadata.title == "Tittel"
    assert "Tekst" in reader.pages[-1].extract_text()
    assert "henter ikke eksterne ressurser: http://example.org/x.png" in caplog.text


def test_table_macro_marks_suppressed_cells_with_a_footnote() -> None:
    notes = Notes()
    rows = [{"name": "A", "v": cell(12.345, "prosent", 10, 14, notes=notes)},
            {"name": "B", "v": cell(3, "antall", suppressed=True, reason="prikket: færre enn 5", notes=notes)}]
    t = {"id": "t", "caption": "C", "columns": [{"key": "name", "label": "Navn"},
                                                {"key": "v", "label": "Verdi", "num": True}],
         "rows": rows, "notes": notes.items}
    html = environment().from_string('{% import "_macros.html" as m %}{{ m.table(t) }}').render(t=t)
    assert 'data-value="12.345"' in html and "12,3" in html and "(10,0–14,0)" in html
    assert 'data-suppressed="1"' in html and ">:</span><sup class=\"note-ref\">1</sup>" in html
    assert ">3<" not in html  # the small count itself is never printed
    assert '<li value="1">prikket: færre enn 5</li>' in html


def test_numbers_in_both_languages() -> None:
    assert number(1234.56, "prosent") == "1\u00a0234,6" and number(12.4, "antall") == "12"
    assert signed(-1.26) == "\u22121,3" and signed(0.5) == "+0,5"
    assert interval(-0.7, -0.1) == "\u22120,7 til \u22120,1" and number(0.0304, "prosent") == "0,030"
    set_language("en")
    assert number(1234.56, "prosent") == "1,234.6" and interval(1, 2) == "1.0–2.0"


def test_interval_chart_one_panel_per_unit() -> None:
    rows = [{"indicator": "A", "unit": "prosent", "series": "x", "value": 1.0, "lo": 0.5, "hi": 1.5},
            {"indicator": "B", "unit": "per 1000", "series": "x", "value": 3.0, "lo": None, "hi": None}]
    spec = interval_chart(rows, ["x", "y"], description="d", value_title="Verdi", zero=True)
    assert spec is not None and len(spec["vconcat"]) == 2
    assert interval_chart([{**rows[0], "value": None}], ["x"], description="d", value_title="v") is None


def test_render_html_uses_the_report_template() -> None:
    html = render_html("report.html", {"report": {"title": "R", "subtitle": "", "date": "d", "synthetic": False,
                                                  "toc": [], "facts": []},
                                       "sections": [{"id": "s", "title": "Del", "blocks": [
                                           {"kind": "notice", "text": "Merk <x>"}], "children": []}]})
    assert '<section class="chapter" id="s"' in html and "Merk &lt;x&gt;" in html

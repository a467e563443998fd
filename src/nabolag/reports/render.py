"""One template, two outputs: :func:`render_html` fills a Jinja template from ``reports/templates``
(autoescaped, with the project's gettext as ``_``), and :func:`html_to_pdf` prints that HTML with
WeasyPrint as a tagged PDF/UA-1 document, without touching the network.

The report CSS is put inline in the page, so the HTML file stands alone (a download needs no other
file); ``@media screen`` and ``@media print`` rules in the same sheet make it a web page or an A4 print.
"""

from __future__ import annotations

import io
from functools import cache
from importlib import resources
from pathlib import Path
from urllib.parse import unquote, urlparse

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from nabolag.errors import NabolagError
from nabolag.i18n import _, get_language
from nabolag.reports.format import interval, number, signed

TEMPLATES = resources.files("nabolag.reports") / "templates"
PACKAGE_ROOT = Path(str(resources.files("nabolag"))).resolve()
#: PDF/UA-1 (ISO 14289-1): tagged, with title and language; WeasyPrint 70 checks the rest as it can.
PDF_VARIANT = "pdf/ua-1"
#: The banner on synthetic content: in both languages, whatever the report's language.
SYNTHETIC_MARK = "SYNTETISKE DATA / synthetic data"


def _css_string(text: str) -> str:
    """``text`` as a CSS string literal (quotes and backslashes escaped, no line breaks)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def page_css(synthetic: bool = False) -> Markup:
    """The language-dependent part of the print sheet: page numbers («Side 3 av 12»), figure and table
    numbers, and (for synthetic data) a mark in every page's top margin. Generated here because a
    ``<style>`` block is raw text: HTML escaping would break it, and the words come from the translation
    layer."""
    page = _css_string(_("Side {page} av {pages}", page="{page}", pages="{pages}"))
    page = page.replace("{page}", '" counter(page) "').replace("{pages}", '" counter(pages) "')
    rules = [
        "@page { @bottom-right { content: " + page + "; } }",
        "figure.numbered > figcaption::before { content: " + _css_string(_("Figur")) + ' " " counter(figure) ": "; }',
        "table.numbered > caption::before { content: " + _css_string(_("Tabell")) + ' " " counter(table) ": "; }',
    ]
    if synthetic:
        rules.append("@page { @top-right { content: " + _css_string(SYNTHETIC_MARK) + "; } }")
    return Markup("\n".join(rules))  # noqa: S704  # built from escaped CSS strings above


@cache
def _css() -> str:
    return (TEMPLATES / "report.css").read_text(encoding="utf-8")


@cache
def environment() -> Environment:
    """The reports' Jinja environment (templates in ``nabolag/reports/templates``)."""
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=select_autoescape(default=True),
                      trim_blocks=True, lstrip_blocks=True)
    env.globals.update(_=_, lang=get_language, interval=interval, page_css=page_css,
                       report_css=lambda: Markup(_css()))  # noqa: S704  # our own stylesheet
    env.filters.update(number=number, signed=signed)
    return env


def render_html(template: str, context: dict[str, object]) -> str:
    """Render ``template`` (a file in ``reports/templates``) with ``context`` in the current language."""
    return environment().get_template(template).render(**context)


def _fetcher() -> object:
    """A WeasyPrint URL fetcher that serves ``data:`` URLs and files inside the nabolag package, and
    refuses anything else (no network, no other files), so a report cannot leak a request."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class LocalOnly(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
            scheme = urlparse(url).scheme.lower()
            if scheme == "data":
                return super().fetch(url, headers)
            if scheme == "file":
                path = Path(unquote(urlparse(url).path)).resolve()
                if path.is_relative_to(PACKAGE_ROOT) and path.is_file():
                    return URLFetcherResponse(url, path.read_bytes())
            raise ValueError(_("Rapporten henter ikke eksterne ressurser: {url}", url=url[:200]))

    return LocalOnly(allowed_protocols=("data", "file"), fail_on_errors=False)


def html_to_pdf(html: str, title: str | None = None) -> bytes:
    """Print ``html`` as an A4 PDF: tagged PDF/UA-1, with the document title (``title``, else the
    page's ``<title>``) and language (from ``<html lang>``) in the metadata; fonts from the system."""
    try:
        from weasyprint import HTML
    except ImportError as exc:  # pragma: no cover - weasyprint is a dependency, but Pango may be missing
        raise NabolagError(_("PDF krever WeasyPrint og Pango: {detail}", detail=exc)) from None
    doc = HTML(string=html, base_url=PACKAGE_ROOT.as_uri() + "/", url_fetcher=_fetcher()).render()
    if title:
        doc.metadata.title = title
    doc.metadata.lang = doc.metadata.lang or get_language()
    out = io.BytesIO()
    doc.write_pdf(out, pdf_variant=PDF_VARIANT, pdf_tags=True)
    return out.getvalue()

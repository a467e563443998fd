"""The follow-up report of Groruddalen (change since «Nullpunkt 2018»), the report in English, and the
report's errors: an unknown area or kind, an area without a baseline, a baseline with no later data."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from area_support import area, nb, pdf_text, pooled, squeeze

from nabolag.domain.zones import Area
from nabolag.errors import InputError, NotFoundError
from nabolag.i18n import set_language
from nabolag.reports.area import area_report_html, area_report_pdf, build_area_report
from nabolag.reports.render import render_html
from nabolag.services import Context, zones
from nabolag.services.baseline import create_baseline

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def demo(module_demo_ctx: Context) -> Context:
    """The module's copy of the Oslo demo: the reports only read it (a test that adds a baseline uses its
    own copy)."""
    return module_demo_ctx


@pytest.fixture(scope="module")
def follow_up(demo: Context) -> dict[str, object]:
    content = build_area_report(demo, "groruddalen", "follow-up")
    return {"content": content, "html": render_html("report.html", content)}


def table(html: str, table_id: str) -> str:
    found = re.search(rf'<table[^>]*id="{table_id}".*?</table>', html, flags=re.S)
    assert found is not None, table_id
    return found.group(0)


def row(html: str, key: str) -> str:
    found = re.search(rf'<tr data-key="{key}">(.*?)</tr>', html, flags=re.S)
    assert found is not None, key
    return found.group(1)


def test_change_and_difference_in_differences_match_sums_from_the_store(demo: Context,
                                                                        follow_up: dict[str, object]) -> None:
    """Low income 2018 → 2024: the change is the pooled share of the member zones in 2024 minus 2018, and the
    difference-in-differences is that minus the comparison zones' change (sums worked out here)."""
    member, comparison = area(demo)
    base, latest = pooled(demo, "lavinntekt", member, "2018")[2], pooled(demo, "lavinntekt", member, "2024")[2]
    c_base, c_latest = (pooled(demo, "lavinntekt", comparison, p)[2] for p in ("2018", "2024"))
    cells = row(table(str(follow_up["html"]), "tab-endring"), "lavinntekt")
    assert "2018 → 2024" in cells
    for figure in (nb(base), nb(latest), nb(latest - base), nb((latest - base) - (c_latest - c_base))):
        assert squeeze(figure) in squeeze(cells), figure
    assert "bedre" in cells


def test_follow_up_has_its_chapters(follow_up: dict[str, object]) -> None:
    ids = [s["id"] for s in follow_up["content"]["sections"]]  # type: ignore[index]
    assert ids == ["omradet", "endring", "levekar", "programmet", "framdrift", "indikatorer", "innbyggerne",
                   "ikke-malt", "metode"]
    html = str(follow_up["html"])
    for heading in ("Oppfølgingsrapport: Groruddalen", "Endring siden nullpunktet", "Tiltakenes framdrift",
                    "Dere sa, vi gjorde", "Hva som ikke kunne måles, og hvorfor"):
        assert heading in html, heading
    # the survey's change 2019 → 2024 for the area, and the measures' progress from the programme
    assert 'id="tab-undersokelse-endring"' in html and "2019" in table(html, "tab-undersokelse-endring")
    assert "Ammerudgymmen" in table(html, "tab-framdrift")
    # what could not be measured names the small cell and why
    missing = table(html, "tab-ikke-malt")
    assert "Innbyggere med styreverv" in missing and "prikket" in missing


def test_follow_up_pdf_is_landscape_for_the_change_table(demo: Context, follow_up: dict[str, object],
                                                         tmp_path: Path) -> None:
    pdf = area_report_pdf(demo, "groruddalen", "follow-up", content=follow_up["content"])  # type: ignore[arg-type]
    text = pdf_text(pdf, tmp_path)
    assert "Endring siden nullpunktet «Nullpunkt 2018» i Groruddalen" in text
    assert "Forskjell mot sammenligningssonene" in text  # the change chart's legend: the chart is text, too


def test_english_report(demo: Context, tmp_path: Path) -> None:
    set_language("en")
    html = area_report_html(demo, "groruddalen", "baseline")
    assert '<html lang="en">' in html
    for heading in ("Baseline report: Groruddalen", "Contents", "The area and its zones", "Methods appendix",
                    "What residents said"):
        assert heading in html, heading
    assert "Nullpunktsanalyse" not in html and "Metodevedlegg" not in html
    assert "Indicator" in html and "Target value" in html
    assert re.search(r"\d\.\d", table(html, "tab-nivaa"))  # decimal point in English


def test_unknown_area_and_kind(demo: Context) -> None:
    with pytest.raises(NotFoundError, match="Ukjent område: atlantis"):
        build_area_report(demo, "atlantis", "baseline")
    with pytest.raises(InputError, match="Ukjent rapporttype «annual»"):
        build_area_report(demo, "groruddalen", "annual")
    with pytest.raises(NotFoundError, match="ikke noe nullpunkt «2030»; det har «Nullpunkt 2018»"):
        build_area_report(demo, "groruddalen", "baseline", baseline_label="2030")


def test_area_without_baseline_says_how_to_freeze_one(bare_demo_ctx: Context) -> None:
    with pytest.raises(NotFoundError) as err:
        build_area_report(bare_demo_ctx, "groruddalen", "baseline")
    assert "groruddalen (Groruddalen) har ikke noe nullpunkt" in str(err.value)
    assert "nabolag baseline create groruddalen --period" in str(err.value)


def test_follow_up_without_later_data_says_so(demo_ctx: Context) -> None:
    create_baseline(demo_ctx, "groruddalen", label="siste")  # frozen at the latest period: nothing is newer
    content = build_area_report(demo_ctx, "groruddalen", "follow-up", baseline_label="siste")
    change = next(s for s in content["sections"] if s["id"] == "endring")  # type: ignore[index, union-attr]
    notices = [b["text"] for b in change["blocks"] if b["kind"] == "notice"]  # type: ignore[index]
    assert notices and "ingen tall nyere enn nullpunktet «siste»" in notices[0]


def test_area_without_comparison_zones_programme_or_survey(demo_ctx: Context) -> None:
    """A bare area still gets both reports; what it lacks is said in notices, not left out silently."""
    zones.save_area(demo_ctx, Area(code="liten", name="Lite område", zone_codes=("0301010104",)))
    create_baseline(demo_ctx, "liten", period="2018", label="n2018")
    for kind in ("baseline", "follow-up"):
        html = area_report_html(demo_ctx, "liten", kind)
        notices = re.findall(r'<p class="notice"[^>]*>([^<]*)', html)
        assert "Området har ingen mål registrert ennå." in notices
        assert "Ingen innbyggerundersøkelse har resultater for Lite område ennå." in notices
        assert 'data-key="lavinntekt"' in html  # the baseline's indicators are there

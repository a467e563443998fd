"""The indicator catalogue's read model: definitions as stored, periods and zone counts against plain
SQL, and which areas use each indicator (baseline or figures for the area's member zones)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text

from nabolag.demo import AREA_CODE
from nabolag.domain.indicators import Indicator, Kind, Method
from nabolag.domain.zones import Area
from nabolag.errors import NotFoundError
from nabolag.services import Context
from nabolag.services.indicators import define_indicators
from nabolag.services.views import indicator_list, indicator_page
from nabolag.services.zones import save_area


@pytest.fixture
def demo(demo_ctx: Context) -> Context:
    return demo_ctx


def _sql(ctx: Context, sql: str, **params: object) -> list[tuple[object, ...]]:
    with ctx.store.read() as conn:
        return [tuple(r) for r in conn.execute(text(sql), params)]


def test_catalogue_lists_definitions_periods_and_areas(demo: Context) -> None:
    define_indicators(demo, [Indicator(code="utegym_bruk", name_nb="Bruk av utegym", name_en="Outdoor gym use",
                                       unit="personer", kind=Kind.PROCESS, method=Method.OBSERVATION,
                                       numerator="besøk", denominator="", disaggregations=("gender",),
                                       suppression_threshold=3, source="telling")])
    items = {i["code"]: i for i in indicator_list(demo)["indicators"]}
    stored = _sql(demo, "SELECT code FROM indicator")
    assert set(items) == {str(c) for (c,) in stored}
    low = items["lavinntekt"]
    assert low["unit"] == "prosent" and low["direction"] == "lower_is_better" and low["synthetic"]
    assert low["direction_label"] == "lavere er bedre" and low["suppression_threshold"] == 5
    periods = _sql(demo, "SELECT DISTINCT o.period FROM observation o JOIN indicator i ON i.id = o.indicator_id "
                         "WHERE i.code = 'lavinntekt' ORDER BY o.period")
    assert low["periods"] == [str(p) for (p,) in periods] == [str(y) for y in range(2015, 2025)]
    assert (low["first_period"], low["latest_period"]) == ("2015", "2024")
    [area] = low["areas"]
    assert area["code"] == AREA_CODE and area["via"] == ["baseline", "observations"]  # no goal names it
    [vold] = items["vold"]["areas"]
    assert vold["via"] == ["programme", "baseline", "observations"]  # the safety goal's target
    from nabolag.services import programme

    linked = {x.indicator for g in programme.list_goals(demo, AREA_CODE) for x in g.indicators}
    linked |= {x.indicator for m in programme.list_measures(demo, AREA_CODE) for x in m.indicators}
    assert {c for c, i in items.items() if any("programme" in a["via"] for a in i["areas"])} == linked
    gym = items["utegym_bruk"]
    assert gym["periods"] == [] and gym["areas"] == [] and gym["latest_period"] is None
    assert gym["method_label"] == "observasjon" and gym["kind_label"] == "prosess"
    assert gym["disaggregations"] == ["gender"] and gym["suppression_threshold"] == 3
    assert gym["numerator"] == "besøk" and gym["name_en"] == "Outdoor gym use"


def test_default_threshold_comes_from_the_settings(demo: Context) -> None:
    define_indicators(demo, [Indicator(code="x", name_nb="X")])
    assert {i["code"]: i for i in indicator_list(demo)["indicators"]}["x"]["suppression_threshold"] == \
        demo.settings.suppression_threshold


def test_area_with_figures_but_no_baseline_uses_them_through_its_zones(demo: Context) -> None:
    save_area(demo, Area(code="furuset", name="Furuset", zone_codes=("0301121201",), start_date=dt.date(2025, 1, 1)))
    low = indicator_page(demo, "lavinntekt")["indicator"]
    via = {a["code"]: a["via"] for a in low["areas"]}
    assert via == {AREA_CODE: ["baseline", "observations"], "furuset": ["observations"]}


def test_indicator_page_counts_zones_with_figures_in_the_latest_period(demo: Context) -> None:
    data = indicator_page(demo, "sosialhjelp")
    counts = _sql(demo, "SELECT z.level, COUNT(DISTINCT z.code) FROM observation o "
                        "JOIN indicator i ON i.id = o.indicator_id JOIN zone z ON z.id = o.zone_id "
                        "WHERE i.code = 'sosialhjelp' AND o.period = '2024' AND o.groups = '' GROUP BY z.level")
    assert {c["level"]: c["zones"] for c in data["coverage"]} == {str(lv): int(n) for lv, n in counts}
    assert {c["level"]: c["zones"] for c in data["coverage"]} == {"delbydel": 96, "bydel": 15, "kommune": 1}
    assert data["indicator"]["name"] == "Sosialhjelp 18–66 år" and data["synthetic"]


def test_unknown_indicator(demo: Context) -> None:
    with pytest.raises(NotFoundError, match="ukjent_ting"):
        indicator_page(demo, "ukjent_ting")

"""The zone page's read model on the Oslo demo: every figure against the stored observations (read
with plain SQL), intervals against textbook formulas, the area baseline against a pooled sum, and
suppressed figures shown as hidden with their reason."""

from __future__ import annotations

import math
from statistics import NormalDist

import pandas as pd
import pytest
from scipy import stats
from sqlalchemy import text

from nabolag.demo import AREA_CODE, AREA_ZONES
from nabolag.domain.indicators import Direction, Indicator
from nabolag.errors import NotFoundError
from nabolag.services import Context, observations
from nabolag.services.indicators import define_indicators
from nabolag.services.views import zone_page

AMMERUD, GRORUD, OSLO = "0301101001", "030110", "0301"
Z = NormalDist().inv_cdf(0.975)


@pytest.fixture
def demo(demo_ctx: Context) -> Context:
    return demo_ctx


def _stored(ctx: Context, indicator: str, zone: str) -> dict[str, float]:
    """period → value, read with SQL written here rather than through the store."""
    sql = text("SELECT o.period, o.value FROM observation o JOIN indicator i ON i.id = o.indicator_id "
               "JOIN zone z ON z.id = o.zone_id WHERE i.code = :i AND z.code = :z AND o.groups = ''")
    with ctx.store.read() as conn:
        return {str(p): float(v) for p, v in conn.execute(sql, {"i": indicator, "z": zone})}


def _sql(ctx: Context, sql: str, **params: object) -> list[tuple[object, ...]]:
    with ctx.store.read() as conn:
        return [tuple(r) for r in conn.execute(text(sql), params)]


def _wilson(k: float, n: float) -> tuple[float, float]:
    """Wilson's score interval written out (Newcombe 1998, eq. 3)."""
    p = k / n
    centre = (p + Z * Z / (2 * n)) / (1 + Z * Z / n)
    half = Z / (1 + Z * Z / n) * math.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n))
    return centre - half, centre + half


def _ind(data: dict[str, object], code: str) -> dict[str, object]:
    [found] = [i for i in data["indicators"] if i["code"] == code]  # type: ignore[union-attr]
    return found


def test_zone_figures_are_the_stored_ones_for_zone_bydel_and_city(demo: Context) -> None:
    data = zone_page(demo, AMMERUD)
    assert data["zone"]["name"] == "Ammerud" and data["zone"]["parent"]["code"] == GRORUD
    assert data["zone"]["city"]["code"] == OSLO
    assert {r: p["code"] for r, p in data["places"].items()} == {"zone": AMMERUD, "parent": GRORUD, "city": OSLO}
    assert [a["code"] for a in data["areas"]] == [AREA_CODE] and data["areas"][0]["role"] == "member"
    grorud = sorted(r[0] for r in _sql(demo, "SELECT code FROM zone WHERE parent_code = :p", p=GRORUD))
    assert data["synthetic"] and data["map"]["highlight"] == [AMMERUD] and data["map"]["codes"] == grorud
    assert data["map"]["url"] == "/geo/delbydel.geojson?codes=" + ",".join(grorud) and AMMERUD in grorud
    for code in ("lavinntekt", "sosialhjelp", "vold"):
        ind = _ind(data, code)
        assert ind["compared"]
        for role, zone in (("zone", AMMERUD), ("parent", GRORUD), ("city", OSLO)):
            shown = {s["period"]: s[role]["value"] for s in ind["series"]}
            assert shown == pytest.approx(_stored(demo, code, zone), abs=1e-9)
        periods = [s["period"] for s in ind["series"]]
        assert periods == sorted(periods) and len(periods) == 10
        assert ind["source"] and ind["method"] == "register" and ind["sources"]


def test_flat_list_holds_the_zones_own_figures(demo: Context) -> None:
    data = zone_page(demo, AMMERUD)
    flat = {(o["indicator"], o["period"], o["groups"]): o["value"] for o in data["observations"]}
    nested = {(i["code"], s["period"], ""): s["zone"]["value"] for i in data["indicators"] for s in i["series"]}
    nested |= {(i["code"], g["period"], g["groups"]): g["value"] for i in data["indicators"] for g in i["groups"]}
    assert flat == nested and len(flat) == len(data["observations"])


def test_intervals_follow_wilson_and_exact_poisson_on_published_counts(demo: Context) -> None:
    data = zone_page(demo, AMMERUD)
    for s in _ind(data, "lavinntekt")["series"]:
        c = s["zone"]
        assert c["numerator"] % 5 == 0 and c["denominator"] % 5 == 0  # published counts are rounded
        low, high = _wilson(c["numerator"], c["denominator"])
        assert (c["ci_low"], c["ci_high"]) == pytest.approx((low * 100, high * 100), rel=1e-9)
        assert c["ci_method"] == "wilson" and c["ci_low"] < c["value"] < c["ci_high"]
    for s in _ind(data, "dodelighet_55_79")["series"]:  # deaths per 1000: exact Poisson through chi-square
        c = s["zone"]
        k, e = c["numerator"], c["denominator"]
        low = stats.chi2.ppf(0.025, 2 * k) / 2 if k > 0 else 0.0
        high = stats.chi2.ppf(0.975, 2 * k + 2) / 2
        assert (c["ci_low"], c["ci_high"]) == pytest.approx((low / e * 1000, high / e * 1000), rel=1e-9)
        assert c["ci_method"] == "poisson-exact"


def test_counts_are_not_compared_with_the_city(demo: Context) -> None:
    pop = _ind(zone_page(demo, AMMERUD), "befolkning")
    assert not pop["compared"] and all(set(s) == {"period", "zone"} for s in pop["series"])


def test_area_baseline_is_the_pooled_value_of_the_member_zones(demo: Context) -> None:
    baselines = _ind(zone_page(demo, AMMERUD), "lavinntekt")["baselines"]
    [b] = baselines
    obs = observations.query(demo, indicators=["lavinntekt"], zones=list(AREA_ZONES), periods=["2018"], groups="")
    assert len(obs) == len(AREA_ZONES)
    assert b["value"] == pytest.approx(obs["numerator"].sum() / obs["denominator"].sum() * 100, rel=1e-12)
    assert b["period"] == "2018" and b["area"] == AREA_CODE and not b["suppressed"]


def test_area_targets_reach_the_zones_of_the_area(demo: Context) -> None:
    from nabolag.services import programme

    [goal] = [g for g in programme.list_goals(demo, AREA_CODE) if any(x.indicator == "vold" for x in g.indicators)]
    [link] = [x for x in goal.indicators if x.indicator == "vold"]
    [t] = _ind(zone_page(demo, AMMERUD), "vold")["targets"]
    assert (t["value"], t["period"], t["goal"], t["area"]) == (link.target_value, link.target_period, goal.code,
                                                               AREA_CODE)
    assert _ind(zone_page(demo, AMMERUD), "lavinntekt")["targets"] == []
    assert _ind(zone_page(demo, "0301151501"), "vold")["targets"] == []  # a comparison zone: not its target


def test_bydel_page_compares_with_the_city_only_and_city_page_with_nothing(demo: Context) -> None:
    bydel = zone_page(demo, GRORUD)
    assert set(bydel["places"]) == {"zone", "city"} and bydel["areas"] == []
    city = zone_page(demo, OSLO)
    assert set(city["places"]) == {"zone"} and city["zone"]["city"] is None and city["map"]["codes"] == [OSLO]
    assert {s["period"]: s["zone"]["value"] for s in _ind(city, "vold")["series"]} == \
        pytest.approx(_stored(demo, "vold", OSLO))


def test_small_cells_are_hidden_with_their_reason(demo: Context) -> None:
    define_indicators(demo, [Indicator(code="nyankomne", name_nb="Nyankomne", unit="prosent",
                                       direction=Direction.NEUTRAL, suppression_threshold=5)])
    rows = pd.DataFrame({"indicator": "nyankomne", "period": "2024",
                         "zone": [AMMERUD, "0301101002", "0301101005", "0301101004", "0301101003", GRORUD],
                         "numerator": [1, 4, 6, 7, 8, 26], "denominator": [3, 40, 17, 30, 30, 120]})
    rows["n"] = rows["denominator"]
    rows["value"] = rows["numerator"] / rows["denominator"] * 100
    observations.load_frame(demo, rows, file_name="test")
    data = zone_page(demo, AMMERUD)
    [s] = _ind(data, "nyankomne")["series"]
    cell = s["zone"]
    assert cell["suppressed"] and cell["value"] is None and cell["ci_low"] is None and cell["numerator"] is None
    assert cell["reason_code"] == "primary: n<5" and "færre enn 5" in cell["reason"]
    assert s["parent"]["value"] == pytest.approx(26 / 120 * 100)  # the bydel total itself is large enough
    other = zone_page(demo, "0301101005")  # the smallest sibling goes too, or Ammerud = Grorud − the rest
    hidden = _ind(other, "nyankomne")["series"][0]["zone"]
    assert hidden["suppressed"] and hidden["reason_code"].startswith("secondary")


def test_unknown_zone(demo: Context) -> None:
    with pytest.raises(NotFoundError, match="9999"):
        zone_page(demo, "9999")


def test_zone_without_figures(ctx: Context) -> None:
    from nabolag.domain.zones import Level, Zone
    from nabolag.services.zones import define_zones

    define_zones(ctx, [Zone(code="4601", name="Bergen", level=Level.KOMMUNE)])
    data = zone_page(ctx, "4601")
    assert data["indicators"] == [] and data["areas"] == [] and not data["synthetic"]

"""The area pages' read models on the Oslo demo: the change table against sums of the stored counts,
verdicts that agree with their intervals, baselines chosen by name, and areas without a baseline."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import replace

import pytest

from nabolag.demo import AREA_CODE, AREA_ZONES, COMPARISON_ZONES
from nabolag.domain.zones import Area, AreaStatus
from nabolag.errors import InputError, NotFoundError
from nabolag.services import Context, observations
from nabolag.services.views import area_list, area_page
from nabolag.services.zones import save_area


@pytest.fixture
def demo(demo_ctx: Context) -> Context:
    return demo_ctx


def _pooled(ctx: Context, indicator: str, period: str, zones: tuple[str, ...], scale: float = 100) -> float:
    obs = observations.query(ctx, indicators=[indicator], zones=list(zones), periods=[period], groups="")
    assert len(obs) == len(zones)
    return float(obs["numerator"].sum() / obs["denominator"].sum() * scale)


def _row(data: dict[str, object], code: str) -> dict[str, object]:
    [row] = [r for r in data["change"]["rows"] if r["indicator"] == code]  # type: ignore[index]
    return row


def test_change_table_against_pooled_counts(demo: Context) -> None:
    data = area_page(demo, AREA_CODE)
    assert data["change"]["label"] == "Nullpunkt 2018" and data["synthetic"]
    for code, scale in (("lavinntekt", 100), ("sosialhjelp", 100), ("dodelighet_55_79", 1000)):
        r = _row(data, code)
        assert (r["baseline_period"], r["latest_period"]) == ("2018", "2024")
        base = _pooled(demo, code, "2018", AREA_ZONES, scale)
        latest = _pooled(demo, code, "2024", AREA_ZONES, scale)
        assert r["baseline_value"] == pytest.approx(base, rel=1e-12)
        assert r["latest_value"] == pytest.approx(latest, rel=1e-12)
        assert r["change"] == pytest.approx(latest - base, rel=1e-9)
        comp = _pooled(demo, code, "2024", COMPARISON_ZONES, scale) - _pooled(demo, code, "2018", COMPARISON_ZONES,
                                                                                 scale)
        assert r["comparison_change"] == pytest.approx(comp, rel=1e-9)
        assert r["did"] == pytest.approx((latest - base) - comp, rel=1e-9)
        # A lower-is-better indicator improved exactly when the whole interval of the change is below 0.
        expected = "improved" if r["change_ci_high"] < 0 else "worsened" if r["change_ci_low"] > 0 else \
            "no_clear_change"
        assert r["verdict"] == expected and r["verdict_text"]
        assert r["baseline_ci_low"] < r["baseline_value"] < r["baseline_ci_high"]


def test_latest_period_can_be_bounded_and_bad_periods_are_named(demo: Context) -> None:
    r = _row(area_page(demo, AREA_CODE, period="2020"), "lavinntekt")
    assert r["latest_period"] == "2020"
    assert r["latest_value"] == pytest.approx(_pooled(demo, "lavinntekt", "2020", AREA_ZONES))
    with pytest.raises(InputError, match="period"):
        area_page(demo, AREA_CODE, period="tjue-tjue")


def test_zones_map_layers_and_programme(demo: Context) -> None:
    data = area_page(demo, AREA_CODE)
    assert [z["code"] for z in data["area"]["zones"]] == sorted(AREA_ZONES)
    assert [z["code"] for z in data["area"]["comparison"]] == sorted(COMPARISON_ZONES)
    assert {z["name"] for z in data["area"]["zones"]} >= {"Ammerud", "Lindeberg"}
    layers = {layer["role"]: layer for layer in data["map"]["layers"]}
    assert set(layers["member"]["codes"]) == set(AREA_ZONES) and layers["member"]["level"] == "delbydel"
    assert layers["comparison"]["url"] == "/geo/delbydel.geojson?codes=" + ",".join(sorted(COMPARISON_ZONES))
    parts = {p["part"]: p for p in data["programme"]["parts"]}
    assert list(parts) == ["goals", "measures", "participation"] and data["programme"]["recorded"]


def test_programme_summary_and_targets_against_the_programme_register(demo: Context) -> None:
    from nabolag.services import participation, programme

    data = area_page(demo, AREA_CODE)
    parts = {p["part"]: p for p in data["programme"]["parts"]}
    goals = programme.list_goals(demo, AREA_CODE)
    assert [g["title"] for g in parts["goals"]["goals"]] == [g.title for g in goals] and goals
    measures = programme.list_measures(demo, AREA_CODE, with_geometry=False)
    assert parts["measures"]["measures"] == len(measures)
    assert {s["status"]: s["measures"] for s in parts["measures"]["by_status"]} == \
        dict(Counter(str(m.status) for m in measures))
    assert parts["measures"]["budget"] == sum(m.budget or 0 for m in measures)
    inputs = participation.list_inputs(demo, AREA_CODE)
    assert parts["participation"]["events"] == len(participation.list_events(demo, AREA_CODE))
    assert parts["participation"]["inputs"] == len(inputs)
    assert parts["participation"]["answered"] == sum(1 for i in inputs if i.answered)
    # Targets come from the goals' indicator links; the demo's safety goal sets one for reported violence.
    expected = {(x.indicator, x.target_value, g.code) for g in goals for x in g.indicators
                if x.target_value is not None}
    shown = {(r["indicator"], t["value"], t["goal"]) for r in data["change"]["rows"] for t in r["targets"]}
    assert shown == {e for e in expected if e[0] in {r["indicator"] for r in data["change"]["rows"]}}
    assert ("vold", 9.0, "trygghet") in shown


def test_baselines_by_name_and_area_without_one(demo: Context) -> None:
    with pytest.raises(NotFoundError, match="finnes-ikke"):
        area_page(demo, AREA_CODE, baseline="finnes-ikke")
    assert area_page(demo, AREA_CODE, baseline="Nullpunkt 2018")["change"]["label"] == "Nullpunkt 2018"
    save_area(demo, Area(code="furuset", name="Furuset", zone_codes=("0301121201",), status=AreaStatus.PLANNED,
                         start_date=dt.date(2025, 1, 1)))
    data = area_page(demo, "furuset")
    assert data["change"] is None and data["baselines"] == [] and not data["synthetic"]
    assert not data["programme"]["recorded"] and "ikke registrert" in data["programme"]["note"]
    assert all(not p["recorded"] for p in data["programme"]["parts"])
    listed = {a["code"]: a for a in area_list(demo)["areas"]}
    assert listed[AREA_CODE]["zones"] == len(AREA_ZONES) and listed[AREA_CODE]["baselines"] == 1
    assert listed["furuset"]["baselines"] == 0 and listed["furuset"]["status_label"] == "planlagt"


def test_staff_names_stay_off_public_pages(demo: Context) -> None:
    assert "actor" in area_page(demo, AREA_CODE)["baselines"][0]
    assert "actor" not in area_page(replace(demo, role="public"), AREA_CODE)["baselines"][0]


def test_unknown_area(demo: Context) -> None:
    with pytest.raises(NotFoundError, match="atlantis"):
        area_page(demo, "atlantis")

"""The Oslo demo: real zones and population, synthetic indicators, Groruddalen."""

import numpy as np
import pandas as pd

from nabolag import demo_data
from nabolag.demo import AREA_CODE, build_demo
from nabolag.services import Context, indicators, observations, zones
from nabolag.services.export import SYNTHETIC_NOTE, export_observations


def test_demo_builds_and_is_marked_synthetic(ctx: Context, tmp_path) -> None:
    build_demo(ctx)
    assert len(zones.list_zones(ctx, level="delbydel")) == 96
    assert len(zones.list_zones(ctx, level="bydel")) == 15
    area = zones.get_area(ctx, AREA_CODE)
    assert "0301101001" in area.zone_codes and "0301121203" in area.zone_codes  # Ammerud, Lindeberg
    assert area.comparison_codes and area.synthetic
    codes = {s.code for s in demo_data.SPECS}
    assert len(codes) == 12  # Oslo's eight plus the four more that ssb-levekar uses
    assert all(i.synthetic for i in indicators.list_indicators(ctx) if i.code in codes)
    # Every export of demo figures carries the synthetic note.
    out = tmp_path / "demo.csv"
    export_observations(ctx, out, "csv", indicators=["lavinntekt"])
    frame = pd.read_csv(out, dtype=str)
    assert (frame["note"] == SYNTHETIC_NOTE).all()
    # Building twice leaves the database as it is.
    n = observations.summary(ctx)["observations"]
    build_demo(ctx)
    assert observations.summary(ctx)["observations"] == n


def test_city_values_are_sums_of_zone_counts(ctx: Context) -> None:
    """Independent check: the city value equals the population-weighted ratio of the zone counts."""
    build_demo(ctx)
    zone_rows = observations.query(ctx, indicators=["sosialhjelp"], level="delbydel", periods=["2020"])
    city = observations.query(ctx, indicators=["sosialhjelp"], zones=["0301"], periods=["2020"])
    expected = zone_rows["numerator"].sum() / zone_rows["denominator"].sum() * 100
    assert np.isclose(city["value"].iloc[0], expected, atol=0.01)


def test_generator_is_seeded_and_plausible() -> None:
    base = pd.DataFrame({"code": ["a", "b"], "parent": ["030107", "030111"], "population": [8000.0, 8000.0]})
    one, two = demo_data.generate(base), demo_data.generate(base)
    pd.testing.assert_frame_equal(one, two)
    low = one[(one["indicator"] == "lavinntekt") & (one["zone"] == "a")]["value"].mean()
    high = one[(one["indicator"] == "lavinntekt") & (one["zone"] == "b")]["value"].mean()
    assert 0 < low < high < 60  # Vestre Aker-like below Stovner-like, both plausible percentages


def test_demo_has_both_indices_stored(ctx: Context) -> None:
    from nabolag.store.indices import list_runs

    build_demo(ctx)
    with ctx.store.read() as conn:
        runs = {(r["name"], r["period"]) for r in list_runs(conn)}
    assert {("oslo-levekar", "2024"), ("ssb-levekar", "2024"), ("oslo-levekar", "2018")} <= runs


def test_demo_has_a_baseline_for_groruddalen(ctx: Context) -> None:
    from nabolag.services.baseline import compare

    build_demo(ctx)
    table = compare(ctx, AREA_CODE)
    assert table is not None

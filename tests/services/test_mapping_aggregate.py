"""Aggregates of contributions (issue 7, stage 2): heat maps and counts show only places with at least the
threshold of distinct children; a lone child's route never appears; indicators stored with n = children.
Expected numbers are counted by hand from the drawn data."""

from __future__ import annotations

import pytest
import shapely

from nabolag.domain.mapping import MapCampaign
from nabolag.errors import InputError
from nabolag.services import Context, observations
from nabolag.services.mapping import contribute
from nabolag.services.mapping_aggregate import heatmap, measure_surroundings, zone_counts
from nabolag.services.mapping_indicators import UNSAFE, WALK_BIKE, store_map_indicators
from test_mapping_support import AMMERUD, open_test_campaign, place, route, setup_place, token

LONE = [(10.81, 59.91), (10.82, 59.915)]


@pytest.fixture
def drawn(ctx: Context) -> MapCampaign:
    setup_place(ctx)
    c = open_test_campaign(ctx)
    for i in range(6):
        who = f"barn-{i:04d}"
        mode = "walk" if i < 4 else "car"
        contribute(ctx, c.access_code, route((10.86, 59.95 + i * 1e-4), (10.872, 59.962), mode=mode,
                                             participant=who), token())
        contribute(ctx, c.access_code, place(10.871 + i * 1e-5, 59.9625, "traffic", participant=who), token())
        contribute(ctx, c.access_code, place(10.871, 59.9625, "traffic", participant=who), token())
    contribute(ctx, c.access_code, route(*LONE, mode="bike", participant="barn-lone"), token())
    contribute(ctx, c.access_code, place(10.93, 59.93, "good", participant="barn-lone"), token())
    return c


def test_heatmap_hides_cells_under_the_threshold(ctx: Context, drawn: MapCampaign) -> None:
    layer = heatmap(ctx, [drawn.code], "route", size_m=250)
    assert layer["features"] and all(f["properties"]["contributors"] >= 5 for f in layer["features"])
    lone = shapely.LineString(LONE)
    assert not any(shapely.Polygon(f["geometry"]["coordinates"][0]).intersects(lone) for f in layer["features"])
    assert heatmap(ctx, [drawn.code], "good")["features"] == []
    traffic = heatmap(ctx, [drawn.code], "traffic")["features"]
    assert [f["properties"]["contributors"] for f in traffic] == [6]
    with pytest.raises(InputError):
        heatmap(ctx, [drawn.code], "secret")


def test_counts_per_zone_and_around_the_measure(ctx: Context, drawn: MapCampaign) -> None:
    counts = zone_counts(ctx, [drawn.code])
    assert counts["0301101001"]["traffic"] == 6 and counts["0301101001"]["route"] == 6
    assert counts["0301101001"]["walk_bike"] is None
    assert counts["0301121203"]["good"] is None
    near = measure_surroundings(ctx, [drawn.code], "groruddalen", "utegym")
    assert near["traffic"] == 6 and near["good"] == 0


def test_indicators_stored_with_children_as_n(ctx: Context, drawn: MapCampaign) -> None:
    n = store_map_indicators(ctx, [drawn.code], "2025")
    assert n > 0
    stored = observations.query(ctx, indicators=[UNSAFE, WALK_BIKE], periods=["2025"])
    ammerud = stored[stored["zone"] == "0301101001"].set_index("indicator")
    from pyproj import Geod
    km2 = abs(Geod(ellps="GRS80").geometry_area_perimeter(AMMERUD)[0]) / 1e6
    assert ammerud.loc[UNSAFE, "numerator"] == 12 and ammerud.loc[UNSAFE, "n"] == 6
    assert ammerud.loc[UNSAFE, "value"] == pytest.approx(12 / km2, rel=0.01)
    assert ammerud.loc[WALK_BIKE, "value"] == pytest.approx(100 * 4 / 6, abs=1e-3) and ammerud.loc[WALK_BIKE, "n"] == 6

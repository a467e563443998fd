"""Use indicators of a site stored as observations of its area and linked to its measure (issue 7)."""

from __future__ import annotations

import datetime as dt

import numpy as np
from statsmodels.stats.weightstats import DescrStatsW

from nabolag.domain.observation_session import Movement, ObservationSession, ObservationSite, SlotCount
from nabolag.services import Context, observations
from nabolag.services.observation_sessions import save_site, start_session, upload_slot
from nabolag.services.programme import get_measure
from nabolag.services.public_life import compare_before_after, store_use_indicators, use_indicators
from test_mapping_support import setup_place


def test_store_and_link(ctx: Context) -> None:
    setup_place(ctx)
    save_site(ctx, ObservationSite(code="gym", name="Ammerudgymmen", area_code="groruddalen", measure="utegym"))
    people = {"2020-05-12": 2, "2020-05-19": 4, "2020-05-26": 3, "2022-05-10": 8, "2022-05-17": 11}
    for day, n in people.items():
        uid = f"okt-{day}"
        start_session(ctx, ObservationSession(uid=uid, site="gym", date=dt.date.fromisoformat(day),
                                              start=dt.time(17, 0), slot_minutes=30))
        upload_slot(ctx, uid, "17:00", [SlotCount(Movement.STAYING, n, "15-24", "female", "physical_activity")])
        upload_slot(ctx, uid, "17:30", [SlotCount(Movement.MOVING, 1, "45-64", "male", "walking")])
    table = use_indicators(ctx, "gym")
    assert set(table["phase"]) == {"before", "after"}
    assert store_use_indicators(ctx, "gym") > 0
    stored = observations.query(ctx, indicators=["bruk_gym_per_time"], groups="")
    by_period = stored.set_index("period")
    rates = np.array([2 + 1, 4 + 1, 3 + 1], dtype=float)  # people in one hour of two 30-minute slots
    low, high = DescrStatsW(rates).tconfint_mean(0.05)
    assert by_period.loc["2020", "value"] == rates.mean() and by_period.loc["2020", "n"] == 3
    assert np.isclose(by_period.loc["2020", "ci_low"], low, atol=1e-3)
    assert np.isclose(by_period.loc["2020", "ci_high"], high, atol=1e-3)
    assert by_period.loc["2022", "value"] == 10.5
    links = {link.indicator: link.method for link in get_measure(ctx, "groruddalen", "utegym").indicators}
    assert links["bruk_gym_per_time"] == "observation" and "bruk_gym_andel_kvinner" in links
    change = compare_before_after(ctx, "gym")
    assert change["change"] == 10.5 - rates.mean() and change["sessions_after"] == 2

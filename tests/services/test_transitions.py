"""Statistics under old zone codes are moved to today's codes through the real transitions table."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from geo_support import dump
from nabolag.domain.indicators import Indicator
from nabolag.domain.zones import Level, Zone
from nabolag.errors import InputError
from nabolag.services import Context
from nabolag.services import observations as obs
from nabolag.services import zones as zs
from nabolag.services.indicators import define_indicators

INDICATOR = Indicator(code="ikkevestlige_innvandrere", name_nb="Innvandrere fra ikke-vestlige land",
                      unit="personer", source="SSB")


@pytest.fixture
def today(ctx: Context, shared: Path) -> Context:
    """Zones under today's codes: Bergen 4601, Ålesund 1508 and Haram 1580, and Bærum's grunnkretser
    renumbered 0219 → 3201 (the real file's codes and names, as a 2024 database would hold them)."""
    zs.import_transitions(ctx, shared / "norway" / "region_transitions.csv")
    kretser = json.loads((shared / "baerum" / "grunnkretser.geojson").read_text())["features"]
    baerum = [Zone("3201" + f["properties"]["grunnkretsnummer"][4:], f["properties"]["grunnkretsnavn"],
                   Level.GRUNNKRETS, "3201") for f in kretser if f["properties"]["kommunenummer"] == "0219"]
    zs.define_zones(ctx, [Zone("4601", "Bergen", Level.KOMMUNE), Zone("1508", "Ålesund", Level.KOMMUNE),
                          Zone("1580", "Haram", Level.KOMMUNE), *baerum])
    define_indicators(ctx, [INDICATOR])
    return ctx


def _frame(rows: list[tuple[str, str]]) -> pd.DataFrame:
    return pd.DataFrame({"indicator": INDICATOR.code, "zone": [z for z, _ in rows], "period": "2018",
                         "value": [v for _, v in rows]})


def test_old_codes_are_stored_under_new_ones(today: Context, shared: Path) -> None:
    # Real counts per grunnkrets (phaza/innvandring-grunnkrets, SSB figures) under their 2018 codes.
    counts = json.loads((shared / "baerum" / "immigrants.json").read_text())
    old = ["02190101", "02190103", "02190104"]
    rows = [(code, str(counts[code]["non-western-count"])) for code in old]
    report = obs.load_frame(today, _frame([*rows, ("1201", "1")]))  # 1 = a test value for Bergen
    stored = obs.query(today, indicators=[INDICATOR.code]).set_index("zone")["value"]
    assert stored.to_dict() == {"32010101": 17.0, "32010103": 12.0, "32010104": 14.0, "4601": 1.0}
    assert [counts[c]["non-western-count"] for c in old] == [17, 12, 14]  # the file's own numbers
    notes = [p.message for p in report.problems]
    assert "sonekode 1201 overført til 4601: 1201→4601 (renumbered 2021)" in notes
    assert ("sonekode 02190101 overført til 32010101: 0219→3024 (renumbered 2021); "
            "3024→3201 (renumbered 2025)") in notes


def test_split_code_is_refused_with_its_row(today: Context) -> None:
    before = dump(today)
    with pytest.raises(InputError) as exc:
        obs.load_frame(today, _frame([("4601", "1"), ("1507", "2")]))
    (problem,) = exc.value.problems
    assert (problem.row, problem.field, problem.found) == (2, "zone", "1507")
    assert "1507 ble delt i 1508, 1580 (2025)" in problem.message
    assert dump(today) == before


def test_unknown_code_and_old_new_duplicate_are_refused(today: Context) -> None:
    before = dump(today)
    with pytest.raises(InputError) as exc:
        obs.load_frame(today, _frame([("9999", "1"), ("1201", "2"), ("4601", "3")]))
    unknown, duplicate = exc.value.problems
    assert (unknown.row, unknown.field, unknown.message, unknown.found) == (1, "zone", "ukjent sone", "9999")
    # 1201 and 4601 are the same place after the transition: row 3 repeats row 2.
    assert (duplicate.row, duplicate.field, duplicate.found) == (3, "zone", "rad 2")
    assert "etter kodeoverføring" in duplicate.message
    assert dump(today) == before

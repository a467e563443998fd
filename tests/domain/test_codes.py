"""CodeResolver (domain/codes.py) on the real table of code changes from the 2017-2025 reforms.

The expected answers are published facts (SSB's classification of municipalities, KLASS 131):
Bergen 1201 became 4601 in 2020; Bærum 0219 became 3024 in 2020 and 3201 in 2024; Ålesund 1507 was
split in 2024 into Ålesund 1508 and Haram 1580; Østfold county 01 became part of Viken 30 in 2020
and Østfold 31 again in 2024, when Viken was split into 31, 32 and 33.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from nabolag.domain.codes import CodeResolver
from nabolag.domain.zones import Transition


@pytest.fixture
def transitions(shared: Path) -> list[Transition]:
    """The real file read with the csv module (not nabolag's reader)."""
    with (shared / "norway" / "region_transitions.csv").open(encoding="utf-8") as fh:
        return [Transition(level=r["level"], from_code=r["from_id"], to_code=r["to_id"],
                           from_year=int(r["from_year"]), to_year=int(r["to_year"]), change_type=r["change_type"])
                for r in csv.DictReader(fh)]


def test_known_code_is_itself(transitions: list[Transition]) -> None:
    res = CodeResolver({"4601", "1201"}, transitions).resolve("1201")
    assert (res.code, res.steps, res.problem) == ("1201", (), None)


def test_bergen_renumbered(transitions: list[Transition]) -> None:
    res = CodeResolver({"4601"}, transitions).resolve("1201")
    assert res.code == "4601" and res.problem is None
    assert res.steps == ("1201→4601 (renumbered 2021)",)  # the file's to_year for the 2020 reform is 2021


def test_baerum_chain_through_two_reforms(transitions: list[Transition]) -> None:
    res = CodeResolver({"3201"}, transitions).resolve("0219")
    assert res.code == "3201"
    assert res.steps == ("0219→3024 (renumbered 2021)", "3024→3201 (renumbered 2025)")


def test_chain_stops_at_a_known_intermediate_code(transitions: list[Transition]) -> None:
    # A database holding 2020-2023 zones: 0219 must map to 3024, not jump past it.
    assert CodeResolver({"3024"}, transitions).resolve("0219").code == "3024"


def test_grunnkrets_follows_its_municipality(transitions: list[Transition]) -> None:
    resolver = CodeResolver({"46010101", "32010102"}, transitions)
    assert resolver.resolve("12010101").code == "46010101"
    res = resolver.resolve("02190102")  # 8 digits: municipality 0219 + delområde 01 + krets 02
    assert res.code == "32010102" and len(res.steps) == 2


def test_grunnkrets_without_a_known_successor_is_unknown(transitions: list[Transition]) -> None:
    res = CodeResolver({"46010101"}, transitions).resolve("12019999")
    assert res.code is None and res.problem is None


def test_split_is_refused_with_both_successors_named(transitions: list[Transition]) -> None:
    res = CodeResolver({"1508", "1580"}, transitions).resolve("1507")
    assert res.code is None
    assert res.problem == "1507 ble delt i 1508, 1580 (2025); kan ikke overføres automatisk"


def test_split_after_a_renumbering_keeps_the_steps(transitions: list[Transition]) -> None:
    # Ålesund 1504 became 1507 in 2020 and was split in 2024.
    res = CodeResolver({"1508", "1580"}, transitions).resolve("1504")
    assert res.code is None and res.steps == ("1504→1507 (renumbered 2021)",)
    assert res.problem is not None and "1508, 1580" in res.problem


def test_grunnkrets_of_a_split_municipality_is_refused(transitions: list[Transition]) -> None:
    res = CodeResolver({"15080101", "15800101"}, transitions).resolve("15070101")
    assert res.code is None and res.problem is not None and "1507 ble delt" in res.problem


def test_one_successor_per_reform_is_not_a_split(transitions: list[Transition]) -> None:
    # The file lists county 01 twice: 01→30 (merge, 2021) and 01→31 (renumbered, 2025, net of the
    # split of Viken). Those are two reforms, not a split.
    assert CodeResolver({"31"}, transitions).resolve("01").code == "31"
    assert CodeResolver({"30"}, transitions).resolve("01").code == "30"
    res = CodeResolver({"31", "32", "33"}, transitions).resolve("30")  # Viken really was split
    assert res.code is None and res.problem is not None and "30 ble delt i 31, 32, 33" in res.problem


def test_unknown_code_without_transitions() -> None:
    res = CodeResolver({"0301"}, []).resolve("9999")
    assert (res.code, res.steps, res.problem) == (None, (), None)


def test_cyclic_table_terminates() -> None:
    loop = [Transition("municipality", "1111", "2222", 2020, 2021, "renumbered"),
            Transition("municipality", "2222", "1111", 2021, 2022, "renumbered")]
    res = CodeResolver({"0301"}, loop).resolve("1111")
    assert res.code is None and 0 < len(res.steps) <= 20

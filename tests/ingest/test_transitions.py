"""Reading the table of code changes (ingest/transitions.py)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from nabolag.domain.zones import Transition
from nabolag.errors import InputError
from nabolag.ingest.transitions import read_transitions

HEADER = "from_year,to_year,level,from_id,to_id,change_type\n"


def test_real_file(shared: Path) -> None:
    path = shared / "norway" / "region_transitions.csv"
    items, report = read_transitions(path)
    with path.open(encoding="utf-8") as fh:  # independent count with the csv module
        rows = list(csv.DictReader(fh))
    assert len(items) == len(rows) == 386 and report.ok
    assert Transition("municipality", "1201", "4601", 2017, 2021, "renumbered") in items
    assert Transition("county", "01", "30", 2020, 2021, "merge") in items  # leading zero kept
    assert sum(t.change_type == "split" for t in items) == sum(r["change_type"] == "split" for r in rows) == 9


def test_bad_rows_are_named(tmp_path: Path) -> None:
    path = tmp_path / "overganger.csv"
    path.write_text(HEADER
                    + "2017,2021,municipality,1201,4601,renumbered\n"   # line 2: fine
                    + "20x7,2021,municipality,1202,4602,renumbered\n"   # line 3: not a year
                    + "2017,2021,municipality,1203,4603,moved\n"        # line 4: unknown change
                    + "2017,2021,municipality,,4604,merge\n"            # line 5: empty from_id
                    + "2017,2021,municipality,1201,4601,renumbered\n"   # line 6: same as line 2
                    + "2017,2021,municipality," + "9" * 41 + ",4605,merge\n",  # line 7: too long
                    encoding="utf-8")
    with pytest.raises(InputError) as exc:
        read_transitions(path)
    assert exc.value.message == f"{path}: 5 feil; ingenting er lagret"
    found = [(p.row, p.field, p.found) for p in exc.value.problems]
    assert found == [(3, "from_year", "20x7"), (4, "change_type", "moved"), (5, "from_id", ""),
                     (6, "from_id", "1201→4601 (2021)"), (7, "from_id", "9" * 41)]
    assert "rad 2" in exc.value.problems[3].message  # the duplicate names the row it repeats


def test_missing_columns_are_listed(tmp_path: Path) -> None:
    path = tmp_path / "feil.csv"
    path.write_text("fra,til\n1201,4601\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        read_transitions(path)
    assert "from_year, to_year, level, from_id, to_id, change_type" in exc.value.message
    assert "fant fra, til" in exc.value.message

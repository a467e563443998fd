"""Programme rows: every kind written and read back unchanged, cells in the forms spreadsheets produce, and
bad cells reported with row and column."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import shapely

from nabolag.domain.actors import Actor, ActorKind, ActorYear, BoardRole, BoardRoleKind
from nabolag.domain.participation import Event, EventKind, Input, InputStatus
from nabolag.domain.problems import Report
from nabolag.domain.programme import Goal, IndicatorLink, Measure, MeasureKind, MeasureStatus, Milestone
from nabolag.errors import InputError
from nabolag.ingest.programme import COLUMNS, READERS, WRITERS
from nabolag.ingest.programme_cells import Cells, split_items
from nabolag.ingest.programme_files import read_programme_file

D = dt.date
SAMPLES = {
    "goals": Goal("a", "trygghet", "Tryggere ute", "samspill", ("trygghet", "folkehelse"), ("all", "age:67+"),
                  D(2019, 1, 1), D(2026, 12, 31), "Tekst; med semikolon",
                  (IndicatorLink("trygghet_kveld", "survey", target_value=70.5, target_period="2026"),
                   IndicatorLink("vold", "register"), IndicatorLink("ny"))),
    "measures": Measure("a", "tunnel", "Lys i tunnelen", MeasureKind.PHYSICAL, MeasureStatus.UNDER_WAY,
                        "Beskrivelse\nover to linjer",
                        shapely.to_wkb(shapely.LineString([(10.869, 59.96), (10.8745, 59.959)])), "bym",
                        ("vel", "bydel"), 800_000.0, 520_000.5, D(2022, 1, 1), D(2025, 12, 31),
                        (Milestone("Vandring | med strek", D(2022, 3, 15), D(2022, 3, 15)),
                         Milestone("Kunst", D(2025, 6, 1))), ("trygghet",),
                        (IndicatorLink("trygghet_kveld", "survey", "trygghet"), IndicatorLink("vold"))),
    "actors": Actor("vel", "Ammerud vel", ActorKind.ASSOCIATION, "a", D(2019, 9, 10), None, "Lokalt vel",
                    (ActorYear(2020, 60, 8), ActorYear(2021, None, 11)),
                    (BoardRole("p04", BoardRoleKind.CHAIR, True, D(2019, 9, 10)),
                     BoardRole("p09", BoardRoleKind.DEPUTY, False, None, D(2021, 1, 1)))),
    "events": Event("a", "fm-2023", EventKind.FOLKEMOTE, "Årlig folkemøte", D(2023, 3, 21), "Lindeberglokalet",
                    "bydel", (("all", 96), ("age:13-19", 14), ("gender:female", 55))),
    "inputs": Input("a", "i-1", "Mer lys, takk", D(2023, 3, 21), "fm-2023", "trygghet", "tunnel",
                    InputStatus.ADOPTED, "Tatt med", D(2023, 4, 10)),
}


def _read(kind: str, row: dict[str, object]) -> tuple[object, Report]:
    report = Report("t.csv")
    return READERS[kind](Cells(row, report, 2), "a"), report  # type: ignore[operator]


@pytest.mark.parametrize("kind", list(SAMPLES))
def test_every_kind_reads_back_what_was_written(kind: str) -> None:
    row = WRITERS[kind](SAMPLES[kind])  # type: ignore[operator]
    assert list(row) == list(COLUMNS[kind])
    obj, report = _read(kind, row)
    assert report.ok, report.problems
    expected = SAMPLES[kind]
    if kind == "measures":  # WKT keeps 7 decimals: compare the geometry by value
        assert shapely.equals_exact(shapely.from_wkb(obj.geometry), shapely.from_wkb(expected.geometry), 1e-9)
        obj, expected = (x.__class__(**{**x.__dict__, "geometry": None}) for x in (obj, expected))  # type: ignore[union-attr]
    assert obj == expected


def test_cells_in_spreadsheet_forms() -> None:
    report = Report("t.xlsx")
    c = Cells({"d": "2024-05-01 00:00:00", "n": "1 200 000,5", "i": "12.0", "l": "a; b\nc ", "e": None}, report, 4)
    assert c.date("d") == D(2024, 5, 1) and c.number("n") == 1_200_000.5 and c.integer("i") == 12
    assert c.items("l") == ("a", "b", "c") and c.text("e") == "" and c.date("e") is None
    assert report.ok and split_items(" ; ;x") == ("x",)


@pytest.mark.parametrize(("kind", "row", "field"), [
    ("measures", {"code": "x", "title": "X", "kind": "rocket"}, "kind"),
    ("measures", {"code": "x", "title": "X", "kind": "social", "budget": "mye"}, "budget"),
    ("measures", {"code": "x", "title": "X", "kind": "social", "start": "01.02.2024"}, "start"),
    ("measures", {"code": "x", "title": "X", "kind": "social", "milestones": "snart | | Åpning"}, "milestones"),
    ("measures", {"code": "x", "title": "X", "kind": "social", "geometry": "POINT (1"}, "geometry"),
    ("goals", {"code": "x", "title": "X", "dimension": "individ", "indicators": "a:survey:mye@2026"}, "indicators"),
    ("actors", {"code": "x", "name": "X", "kind": "school", "years": "2021:-3:1"}, "years"),
    ("actors", {"code": "x", "name": "X", "kind": "school", "board": "p1:king"}, "board"),
    ("events", {"code": "x", "kind": "befaring", "title": "B", "date": "2021-01-01", "attendance": "alle 40"},
     "attendance"),
    ("inputs", {"text": "T", "received": ""}, "received"),
])
def test_bad_cells_name_row_and_column(kind: str, row: dict[str, object], field: str) -> None:
    _obj, report = _read(kind, row)
    assert [(p.row, p.field) for p in report.errors] == [(2, field)]


def test_files_without_rows_and_with_unknown_columns(tmp_path: Path) -> None:
    empty = tmp_path / "events.csv"
    empty.write_text(",".join(COLUMNS["events"]) + "\n")
    report = Report("events.csv")
    assert read_programme_file(empty, "a", report, "events") == {"events": []} and report.ok
    extra = tmp_path / "goals.csv"
    extra.write_text("code;title;dimension;farge\na;A;individ;blå\n")  # a semicolon-separated file
    report = Report("goals.csv")
    rows = read_programme_file(extra, "a", report, "goals")
    assert rows["goals"][0][0] == 2 and rows["goals"][0][1].code == "a"
    assert "farge" in report.warnings[0].message
    with pytest.raises(InputError, match="Ukjent tabell"):
        read_programme_file(extra, "a", Report("x"), "planer")
    broken = tmp_path / "x.geojson"
    broken.write_text("{not json")
    with pytest.raises(InputError, match="ikke gyldig GeoJSON"):
        read_programme_file(broken, "a", Report("x"))

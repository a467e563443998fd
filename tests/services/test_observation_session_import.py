"""CSV import of observation sessions (issue 7): all or nothing, each bad cell named by row and column,
the same file twice stored once."""

from __future__ import annotations

from pathlib import Path

import pytest

from geo_support import dump
from nabolag.domain.observation_session import ObservationSite
from nabolag.errors import InputError
from nabolag.services import Context
from nabolag.services.observation_session_import import import_sessions_csv
from nabolag.services.observation_sessions import get_session, list_sessions, save_site
from test_mapping_support import setup_place

HEADER = "session;site;date;start;slot_minutes;observer;weather;phase;slot;movement;age_band;gender;activity;group_size;count"
GOOD = [
    "okt-a-2020;gym;2020-05-12;17:00;10;Kari;sunny;;17:00;staying;15-24;female;physical_activity;2;3",
    "okt-a-2020;gym;2020-05-12;17:00;10;Kari;sunny;;17:00;moving;25-44;male;walking;1;5",
    "okt-a-2020;gym;2020-05-12;17:00;10;Kari;sunny;;17:10;;;;;;",
    "okt-b-2022;gym;2022-05-10;19:00;15;Ola;cloudy;;19:15;staying;65+;female;sitting_public;1;2",
]


@pytest.fixture
def gym(ctx: Context) -> None:
    setup_place(ctx)
    save_site(ctx, ObservationSite(code="gym", name="Ammerudgymmen", area_code="groruddalen", measure="utegym"))


def _write(tmp_path: Path, lines: list[str]) -> Path:
    path = tmp_path / "okter.csv"
    path.write_text("\ufeff" + "\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    return path


def test_import_and_again(ctx: Context, gym: None, tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD)
    first = import_sessions_csv(ctx, path)
    assert (first.sessions, first.new_sessions, first.slots, first.rows, first.people) == (2, 2, 3, 3, 10)
    again = import_sessions_csv(ctx, path)
    assert again.new_sessions == 0
    a = get_session(ctx, "okt-a-2020")
    assert a.total == 8 and a.slots["17:10"] == () and a.phase == "before"
    assert [s.phase for s in list_sessions(ctx)] == ["before", "after"]


def test_bad_cells_named_by_row_and_column(ctx: Context, gym: None, tmp_path: Path) -> None:
    before = dump(ctx)
    path = _write(tmp_path, [
        *GOOD,
        "okt-c-2020;gym;2020-13-01;17:00;10;;;;17:00;staying;;;;;1",
        "okt-d-2020;gym;2020-05-12;17:00;10;;;;17:05;staying;25-64;;;;x",
        "okt-a-2020;gym;2020-05-12;18:00;10;Kari;sunny;;18:00;moving;;;sitting_public;;1",
        "okt-e-2020;ukjent;2020-05-12;17:00;10;;;;17:00;staying;;;;;1",
        "okt-a-2020;gym;2020-05-12;17:00;10;Kari;sunny;;17:00;staying;15-24;female;physical_activity;2;4",
        "okt-f-2020;gym;2020-05-12;17:00;10;;hail;;17:00;staying;;;;;1;9",
    ])
    with pytest.raises(InputError) as err:
        import_sessions_csv(ctx, path)
    found = {(p.row, p.field) for p in err.value.problems}
    assert {(6, "date"), (7, "slot"), (7, "count"), (8, "start"), (8, "activity"), (10, "count"),
            (11, None), (9, "site")} <= found, str(err.value)
    assert "okter.csv:6 [date]" in str(err.value)
    with pytest.raises(InputError) as err:
        import_sessions_csv(ctx, _write(tmp_path, ["kort;gym;2020-05-12;17:00;10;;;;17:00;staying;;;;;1"]))
    assert [(p.row, p.field) for p in err.value.problems] == [(2, "session")]
    assert dump(ctx) == before


def test_header_problems(ctx: Context, gym: None, tmp_path: Path) -> None:
    path = tmp_path / "feil.csv"
    path.write_text("session,site,dato,slot\nx,gym,2020-01-01,17:00\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        import_sessions_csv(ctx, path)
    assert {(p.row, p.field) for p in err.value.problems} == {(1, "dato"), (1, "date"), (1, "start")}

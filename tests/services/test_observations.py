"""Importing observations: provenance, existing keys, and bad input that leaves the database as it was."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from sqlalchemy import select

from nabolag.domain.zones import Area
from nabolag.errors import InputError, PermissionDenied
from nabolag.ingest.tidy import TidyOptions
from nabolag.services import Context
from nabolag.services.observations import (
    import_observations,
    load_frame,
    query,
    summary,
)
from nabolag.services.zones import save_area
from nabolag.store.tables import audit, import_batch, observation
from obs_support import DATA, by_key, dump, setup, write

HEAD = "zone,indicator,period,value\n"


def _batches(ctx: Context) -> list[dict[str, object]]:
    with ctx.store.read() as conn:
        return [dict(r) for r in conn.execute(select(import_batch).order_by(import_batch.c.id)).mappings()]


def test_provenance_of_an_import(ctx: Context) -> None:
    setup(ctx)
    path = DATA / "levekar_lang.csv"
    opts = TidyOptions(mapping={"zone": "Ident", "period": "År", "indicator": "Indikator", "value": "Variabel"},
                       filters={"Kjønn": "I alt"})
    import_observations(ctx, path, opts, source="Oslo kommune, statistikkbanken")
    [batch] = _batches(ctx)
    assert batch["kind"] == "observations" and batch["file_name"] == "levekar_lang.csv"
    assert batch["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()  # independent: hashlib on the bytes
    assert batch["rows"] == 6  # 8 lines, 2 filtered away
    assert batch["source"] == "Oslo kommune, statistikkbanken" and batch["actor"] == "test"
    assert batch["started_at"] is not None and batch["finished_at"] is not None
    assert json.loads(str(batch["options"]))["filters"] == {"Kjønn": "I alt"}
    with ctx.store.read() as conn:
        ids = {r for (r,) in conn.execute(select(observation.c.import_id))}
        [entry] = conn.execute(select(audit).where(audit.c.action == "import")).mappings().all()
    assert ids == {batch["id"]}  # every row points back to its import
    assert entry["object_type"] == "observations" and entry["object_key"] == "levekar_lang.csv"
    assert json.loads(entry["details"]) == {"rows": 6, "replaced": 0}
    assert set(query(ctx)["source"]) == {"Oslo kommune, statistikkbanken"}  # the default source for rows
    assert summary(ctx)["observations"] == 6


def test_source_column_wins_over_the_default(ctx: Context, tmp_path: Path) -> None:
    setup(ctx)
    path = write(tmp_path / "s.csv", "zone,indicator,period,value,source\n0301101001,lavinntekt,2019,1,SSB\n"
                                     "0301101005,lavinntekt,2019,2,\n")
    import_observations(ctx, path, source="Bydel Grorud")
    assert dict(zip(query(ctx)["zone"], query(ctx)["source"], strict=True)) == \
        {"0301101001": "SSB", "0301101005": "Bydel Grorud"}


def test_reimport_is_refused_naming_the_rows_then_replace_replaces(ctx: Context, tmp_path: Path) -> None:
    setup(ctx)
    first = write(tmp_path / "a.csv", HEAD + "0301101001,lavinntekt,2019,12\n0301101005,lavinntekt,2019,14\n")
    import_observations(ctx, first)
    before = dump(ctx)
    second = write(tmp_path / "b.csv", HEAD + "0301121203,lavinntekt,2019,9\n0301101005,lavinntekt,2019,15\n")
    with pytest.raises(InputError) as info:
        import_observations(ctx, second)
    [p] = info.value.problems
    assert (p.file, p.row, p.found) == (str(second), 3, "2019") and "--replace" in p.message
    assert dump(ctx) == before  # not even the new row 2 was written
    report = import_observations(ctx, second, replace=True)
    assert by_key(query(ctx)) == {("lavinntekt", "0301101001", "2019", ""): (12.0, "ok"),
                                  ("lavinntekt", "0301101005", "2019", ""): (15.0, "ok"),
                                  ("lavinntekt", "0301121203", "2019", ""): (9.0, "ok")}
    assert any("1 erstattet" in p.message for p in report.problems)
    assert [b["rows"] for b in _batches(ctx)] == [2, 2]


def test_same_key_in_another_group_or_period_is_not_a_conflict(ctx: Context, tmp_path: Path) -> None:
    setup(ctx)
    import_observations(ctx, write(tmp_path / "a.csv", HEAD + "0301101001,lavinntekt,2019,12\n"))
    import_observations(ctx, write(tmp_path / "b.csv", "zone,indicator,period,value,group.gender\n"
                                                      "0301101001,lavinntekt,2019,13,female\n"
                                                      "0301101001,lavinntekt,2020,11,\n"))
    assert len(query(ctx)) == 3


def test_area_observations(ctx: Context, tmp_path: Path) -> None:
    setup(ctx)
    save_area(ctx, Area(code="groruddalen", name="Groruddalen", zone_codes=("0301101001", "0301101005")))
    path = write(tmp_path / "a.csv", "area,indicator,period,value,n\ngroruddalen,trygghet,2023,61.5,212\n"
                                     "groruddalen,trygghet,2023,60,200\nukjent,trygghet,2023,1,10\n")
    with pytest.raises(InputError) as info:
        import_observations(ctx, path)
    assert {(p.row, p.field) for p in info.value.problems} == {(3, "zone"), (4, "area")}
    import_observations(ctx, write(tmp_path / "b.csv", "area,indicator,period,value,n\n"
                                                       "groruddalen,trygghet,2023,61.5,212\n"))
    row = query(ctx).iloc[0]
    assert (row["area"], row["value"], row["n"]) == ("groruddalen", 61.5, 212)


def test_python_api_frame(ctx: Context) -> None:
    setup(ctx)
    frame = pd.DataFrame({"zone": ["0301101001", "0301101005"], "indicator": ["befolkning"] * 2,
                          "period": ["2019", "2019"], "value": [2415, None], "status": [None, ".."],
                          "n": [2415, None]})
    load_frame(ctx, frame, source="api")
    assert by_key(query(ctx)) == {("befolkning", "0301101001", "2019", ""): (2415.0, "ok"),
                                  ("befolkning", "0301101005", "2019", ""): (None, "not_available")}
    # A missing number without a status is refused, not stored as an ok value or a zero.
    with pytest.raises(InputError) as info:
        load_frame(ctx, frame.assign(period="2020", status=None))
    assert [(p.file, p.row, p.field) for p in info.value.problems] == [("api", 2, "value")]


def test_a_reader_cannot_import(db_url: str, tmp_path: Path) -> None:
    with Context.open(db_url, actor="guest", role="viewer") as ctx, pytest.raises(PermissionDenied):
        import_observations(ctx, write(tmp_path / "a.csv", HEAD + "0301101001,lavinntekt,2019,1\n"))


# --- bad input: every case names file, row and field, and leaves the database exactly as before ---------


def _broken_xlsx(path: Path) -> None:
    path.write_bytes(os.urandom(4096))


def _truncated_xlsx(path: Path) -> None:
    wb = openpyxl.Workbook()
    wb.active.append(["zone", "indicator", "period", "value"])
    wb.active.append(["0301101001", "lavinntekt", "2019", "1"])
    wb.save(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])  # a half-copied file


BAD_CSV: list[tuple[str, str, int | None, str | None, str | None]] = [
    # id, file text, row, field, found (or a part of the message)
    ("unknown_zone", HEAD + "0301101001,lavinntekt,2019,1\n0301999999,lavinntekt,2019,2\n", 3, "zone", "0301999999"),
    ("lost_leading_zero", HEAD + "301101001,lavinntekt,2019,1\n", 2, "zone", "301101001"),
    ("unknown_indicator", HEAD + "0301101001,lavinntekt_x,2019,1\n", 2, "indicator", "lavinntekt_x"),
    ("duplicate_key", HEAD + "0301101001,lavinntekt,2019,1\n0301101001,lavinntekt,2019,2\n", 3, "zone", "rad 2"),
    ("text_value", HEAD + "0301101001,lavinntekt,2019,tolv\n", 2, "value", "tolv"),
    ("empty_value", HEAD + "0301101001,lavinntekt,2019,1\n0301101005,lavinntekt,2019,\n", 3, "value", ""),
    ("bad_period", HEAD + "0301101001,lavinntekt,19,1\n", 2, "period", "19"),
    ("text_in_n", "zone,indicator,period,value,n\n0301101001,lavinntekt,2019,1,mange\n", 2, "n", "mange"),
    ("too_many_fields", HEAD + "0301101001,lavinntekt,2019,1\n0301101005,lavinntekt,2019,1,5\n", 3, None,
     "Expected 4 fields in line 3, saw 5"),
    ("unclosed_quote", HEAD + "0301101001,lavinntekt,2019,1\n\"0301101005,lavinntekt,2019,1\n", 3, None, None),
    ("cut_off_mid_row", HEAD + "0301101001,lavinntekt,2019,1\n0301101005,lavinnt", 3, "indicator", "lavinnt"),
    ("header_only", HEAD, 2, None, None),
    ("ci_outside", "zone,indicator,period,value,ci_low,ci_high\n0301101001,lavinntekt,2019,9,10,12\n", 2, "ci_low",
     "9.0"),
]


@pytest.mark.parametrize("case,text,row,field,found", BAD_CSV, ids=[c[0] for c in BAD_CSV])
def test_bad_csv_names_the_place_and_changes_nothing(ctx: Context, tmp_path: Path, case: str, text: str,
                                                    row: int | None, field: str | None, found: str | None) -> None:
    setup(ctx)
    import_observations(ctx, write(tmp_path / "ok.csv", HEAD + "0301121203,befolkning,2019,3102\n"))
    before = dump(ctx)
    path = write(tmp_path / f"{case}.csv", text)
    with pytest.raises(InputError) as info:
        import_observations(ctx, path)
    problems = info.value.problems
    assert problems, "an error without the place it happened"
    p = problems[0]
    assert p.file == str(path) and str(path) in str(info.value)
    assert p.row == row and p.field == field
    if found is not None:
        assert p.found is not None and found in p.found
    assert p.expected  # what was expected is always said
    if case == "lost_leading_zero":
        assert "mistet ledende null? 0301101001 finnes" in p.message
    assert dump(ctx) == before


@pytest.mark.parametrize("case", ["empty", "broken_xlsx", "truncated_xlsx", "binary_csv", "two_gb"])
def test_bad_files_are_refused_before_anything_is_written(ctx: Context, tmp_path: Path, case: str) -> None:
    setup(ctx)
    before = dump(ctx)
    suffix = {"broken_xlsx": ".xlsx", "truncated_xlsx": ".xlsx"}.get(case, ".csv")
    path = tmp_path / f"{case}{suffix}"
    if case == "empty":
        path.touch()
    elif case == "broken_xlsx":
        _broken_xlsx(path)
    elif case == "truncated_xlsx":
        _truncated_xlsx(path)
    elif case == "binary_csv":
        path.write_bytes(b"PK\x03\x04\x00\x00" + os.urandom(1000))
    else:
        with path.open("wb") as fh:  # sparse: 2 GB on paper, nothing on disk
            fh.truncate(2 * 1024**3)
    with pytest.raises(InputError) as info:
        import_observations(ctx, path)
    [p] = info.value.problems
    assert p.file == str(path) and p.expected
    expected_found = {"empty": "0 byte", "two_gb": f"{2 * 1024**3} byte"}
    if case in expected_found:
        assert p.found == expected_found[case]
    if case == "two_gb":
        assert "2048.0 MB" in info.value.message and "NABOLAG_MAX_IMPORT_MB" in info.value.message
    assert dump(ctx) == before


def test_every_problem_is_reported_in_one_go(ctx: Context, tmp_path: Path) -> None:
    setup(ctx)
    path = write(tmp_path / "many.csv", HEAD + "0301999999,lavinntekt,2019,1\n0301101001,nope,2019,x\n"
                                               "0301101005,lavinntekt,20x9,2\n")
    with pytest.raises(InputError) as info:
        import_observations(ctx, path)
    assert sorted((p.row, p.field) for p in info.value.problems) == \
        [(2, "zone"), (3, "indicator"), (3, "value"), (4, "period")]
    assert "4 feil; ingenting er lagret" in info.value.message


def test_a_key_written_by_someone_else_during_validation_is_caught(ctx: Context, db_url: str,
                                                                  tmp_path: Path) -> None:
    """Between validation and writing, another user stores one of our keys: the check inside the
    transaction sees it, and nothing of ours is written."""
    setup(ctx)
    other_file = write(tmp_path / "other.csv", HEAD + "0301101005,lavinntekt,2019,99\n")

    def other_user_writes(label: str, fraction: float) -> None:
        if fraction == 0.5:  # "Lagrer": validation is done, our transaction has not begun
            with Context.open(db_url, actor="other") as other:
                import_observations(other, other_file)

    ctx.progress = other_user_writes
    path = write(tmp_path / "mine.csv", HEAD + "0301101001,lavinntekt,2019,12\n0301101005,lavinntekt,2019,14\n")
    with pytest.raises(InputError) as info:
        import_observations(ctx, path)
    assert [(p.row, p.found) for p in info.value.problems] == [(3, "2019")]
    assert by_key(query(ctx)) == {("lavinntekt", "0301101005", "2019", ""): (99.0, "ok")}
    assert [b["file_name"] for b in _batches(ctx)] == ["other.csv"]


def test_overlong_group_is_refused_by_validation_not_by_the_database(ctx: Context, tmp_path: Path) -> None:
    # The groups column holds 300 characters; PostgreSQL would refuse more with a driver error.
    setup(ctx)
    before = dump(ctx)
    path = write(tmp_path / "g.csv", "zone,indicator,period,value,group.note\n"
                                     f"0301101001,lavinntekt,2019,1,{'x' * 400}\n")
    with pytest.raises(InputError) as info:
        import_observations(ctx, path)
    [p] = info.value.problems
    assert (p.row, p.field) == (2, "groups") and "300" in (p.expected or "")
    assert dump(ctx) == before

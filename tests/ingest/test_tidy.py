"""Tidy (long) and wide tables from CSV and Excel, read and imported into a real database.

Expected values are read off the fixture files by hand (tests/data/levekar_*.csv), with the
decimal comma and thousands space converted by hand.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from nabolag.errors import InputError
from nabolag.ingest.tidy import TidyOptions, parse_pairs, read_tidy
from nabolag.services import Context
from nabolag.services.observations import import_observations, query
from obs_support import DATA, by_key, dump, setup, write

NORWEGIAN_MAP = {"zone": "Ident", "period": "År", "indicator": "Indikator", "value": "Variabel",
                 "unit": "parameter", "group.gender": "Kjønn", "group.age": "Alder"}


def test_read_tidy_with_norwegian_headers_and_semicolons() -> None:
    frame, report = read_tidy(DATA / "levekar_lang.csv", TidyOptions(mapping=NORWEGIAN_MAP))
    assert report.rows == 8 and report.ok and not report.warnings
    assert list(frame["row"]) == list(range(2, 10))  # file line numbers; the header is line 1
    first = frame.iloc[0]
    assert (first["zone"], first["period"], first["indicator"], first["value"], first["unit"]) == \
        ("0301101001", "2019", "lavinntekt", "12,5", "prosent")
    assert first["group.gender"] == "Kvinner" and first["group.age"] == "0-17"


def test_import_long_csv_with_map(ctx: Context) -> None:
    setup(ctx)
    report = import_observations(ctx, DATA / "levekar_lang.csv", TidyOptions(mapping=NORWEGIAN_MAP))
    assert report.ok
    got = by_key(query(ctx))
    assert got == {
        ("lavinntekt", "0301101001", "2019", "age=0-17;gender=Kvinner"): (12.5, "ok"),
        ("lavinntekt", "0301101001", "2019", "age=0-17;gender=Menn"): (10.1, "ok"),
        ("lavinntekt", "0301101001", "2019", ""): (11.3, "ok"),  # "I alt" is the total: no group
        ("lavinntekt", "0301101002", "2019", ""): (None, "not_available"),  # ".."
        ("lavinntekt", "0301121203", "2019", ""): (None, "confidential"),  # ":"
        ("lavinntekt", "0301121203", "2020", ""): (9.75, "ok"),
        ("befolkning", "0301101001", "2019", ""): (2415.0, "ok"),  # "2 415"
        ("befolkning", "0301121203", "2019", ""): (3102.0, "ok"),
    }


def test_group_columns_give_one_canonical_key_whatever_the_column_order(ctx: Context, tmp_path: Path) -> None:
    setup(ctx)
    # gender before age in the file, and upper-case target names: the key is still sorted by name.
    path = write(tmp_path / "g.csv", "zone,indicator,period,value,group.gender,group.age\n"
                                     "0301101001,lavinntekt,2019,1,female,18-66\n"
                                     "0301101001,lavinntekt,2019,2,male,total\n"
                                     "0301101001,lavinntekt,2019,3,,\n")
    import_observations(ctx, path)
    assert sorted(query(ctx)["groups"]) == ["", "age=18-66;gender=female", "gender=male"]


def test_semicolons_and_decimal_commas_in_latin1_give_a_warning(ctx: Context, tmp_path: Path) -> None:
    setup(ctx)
    text = (DATA / "levekar_lang.csv").read_text(encoding="utf-8")
    path = write(tmp_path / "latin1.csv", text, encoding="latin-1")
    assert "Rødtvet".encode("latin-1") in path.read_bytes()  # really latin-1 (ø = 0xF8)
    report = import_observations(ctx, path, TidyOptions(mapping=NORWEGIAN_MAP))
    assert [w.row for w in report.warnings if "latin-1" in w.message] == [1]  # «År» in the header
    assert len(query(ctx)) == 8
    assert by_key(query(ctx))[("lavinntekt", "0301121203", "2020", "")] == (9.75, "ok")


def test_latin1_detected_over_the_whole_file_not_only_its_head(ctx: Context, tmp_path: Path) -> None:
    # The first letter outside ASCII comes after 64 KB, as in a long export whose place names come late.
    setup(ctx)
    rows = [f"0301101001,befolkning,{1000 + i},{i}\n" for i in range(3000)]
    text = "zone,indicator,period,value,navn\n" + "".join(r.rstrip("\n") + ",Ammerud\n" for r in rows) \
        + "0301101002,befolkning,2019,1,Rødtvet\n"
    path = write(tmp_path / "late.csv", text, encoding="latin-1")
    assert path.stat().st_size > 65536
    report = import_observations(ctx, path)
    [warning] = [w for w in report.warnings if "latin-1" in w.message]
    assert warning.row == 3002  # header + 3000 rows + the line with «ø»
    assert len(query(ctx)) == 3001


def test_utf8_and_latin1_mixed_in_one_file_is_refused_with_the_line(ctx: Context, tmp_path: Path) -> None:
    setup(ctx)
    before = dump(ctx)
    path = tmp_path / "mixed.csv"
    path.write_bytes("zone,indicator,period,value,navn\n0301101001,befolkning,2019,1,Rødtvet\n".encode()
                     + "0301101002,befolkning,2019,1,Rødtvet\n".encode("latin-1"))
    with pytest.raises(InputError) as info:
        import_observations(ctx, path)
    [p] = info.value.problems
    assert (p.file, p.row, p.expected) == (str(path), 3, "UTF-8")
    assert dump(ctx) == before


def test_excel_file(ctx: Context, tmp_path: Path) -> None:
    setup(ctx)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Levekår"
    ws.append(["Ident", "År", "Indikator", "Variabel"])
    ws.append(["0301101001", 2019, "lavinntekt", 12.5])  # numbers as Excel numbers
    ws.append(["0301121203", "2019", "lavinntekt", "9,75"])  # and as text with a decimal comma
    ws.append(["0301101005", 2019, "lavinntekt", ".."])
    other = wb.create_sheet("Befolkning")
    other.append(["Ident", "År", "Indikator", "Variabel"])
    other.append(["0301101001", 2019, "befolkning", 2415])
    path = tmp_path / "levekar.xlsx"
    wb.save(path)
    mapping = {"zone": "Ident", "period": "År", "indicator": "Indikator", "value": "Variabel"}
    import_observations(ctx, path, TidyOptions(mapping=mapping))
    import_observations(ctx, path, TidyOptions(mapping=mapping, sheet="Befolkning"))
    assert by_key(query(ctx)) == {
        ("lavinntekt", "0301101001", "2019", ""): (12.5, "ok"),
        ("lavinntekt", "0301121203", "2019", ""): (9.75, "ok"),
        ("lavinntekt", "0301101005", "2019", ""): (None, "not_available"),
        ("befolkning", "0301101001", "2019", ""): (2415.0, "ok"),
    }


def test_excel_zone_codes_typed_as_numbers_lose_their_zero_and_are_caught(ctx: Context, tmp_path: Path) -> None:
    setup(ctx)
    wb = openpyxl.Workbook()
    wb.active.append(["zone", "indicator", "period", "value"])
    wb.active.append([301101001, "lavinntekt", 2019, 1])  # what Excel makes of 0301101001
    path = tmp_path / "z.xlsx"
    wb.save(path)
    with pytest.raises(InputError) as info:
        import_observations(ctx, path)
    [p] = info.value.problems
    assert (p.row, p.field, p.found) == (2, "zone", "301101001")
    assert "0301101001" in p.message  # the hint: a lost leading zero


def test_wide_table_all_other_columns_are_indicators_unless_listed(ctx: Context) -> None:
    setup(ctx)
    # Without --indicators, "navn" and "kommentar" would be taken as indicators and refused by name.
    with pytest.raises(InputError) as info:
        import_observations(ctx, DATA / "levekar_bred.csv",
                            TidyOptions(mapping={"zone": "delbydel"}, constants={"period": "2019"}, wide=True))
    assert {p.found for p in info.value.problems if p.field == "indicator"} == {"navn", "kommentar"}
    assert len(query(ctx)) == 0
    import_observations(ctx, DATA / "levekar_bred.csv",
                        TidyOptions(mapping={"zone": "delbydel"}, constants={"period": "2019"}, wide=True,
                                    indicator_columns=("lavinntekt", "befolkning")))
    assert by_key(query(ctx)) == {
        ("befolkning", "0301101001", "2019", ""): (2415.0, "ok"),
        ("befolkning", "0301101005", "2019", ""): (3550.0, "ok"),
        ("befolkning", "0301121203", "2019", ""): (3102.0, "ok"),
        ("lavinntekt", "0301101001", "2019", ""): (12.5, "ok"),
        ("lavinntekt", "0301101005", "2019", ""): (14.0, "ok"),
        ("lavinntekt", "0301121203", "2019", ""): (None, "not_available"),
    }


def test_wide_without_indicators_flag_when_every_other_column_is_an_indicator(ctx: Context, tmp_path: Path) -> None:
    setup(ctx)
    path = write(tmp_path / "w.csv", "zone;period;lavinntekt;befolkning\n0301101001;2019;12,5;2415\n")
    import_observations(ctx, path, TidyOptions(wide=True))  # zone and period found by their names
    assert by_key(query(ctx)) == {("befolkning", "0301101001", "2019", ""): (2415.0, "ok"),
                                  ("lavinntekt", "0301101001", "2019", ""): (12.5, "ok")}


def test_wide_rows_point_at_the_file_line(ctx: Context, tmp_path: Path) -> None:
    setup(ctx)
    path = write(tmp_path / "w.csv", "zone;period;lavinntekt;befolkning\n0301101001;2019;12,5;2415\n"
                                     "0301101005;2019;14;mange\n")
    with pytest.raises(InputError) as info:
        import_observations(ctx, path, TidyOptions(wide=True))
    [p] = info.value.problems
    assert (p.row, p.field, p.found) == (3, "value", "mange")


def test_set_and_filter(ctx: Context, tmp_path: Path) -> None:
    setup(ctx)
    path = write(tmp_path / "f.csv", "Ident,Indikator,Variabel,Kjønn\n"
                                     "0301101001,lavinntekt,11,I alt\n"
                                     "0301101001,lavinntekt,12,Kvinner\n"
                                     "0301101005,lavinntekt,14,I alt\n")
    opts = TidyOptions(mapping={"zone": "Ident", "indicator": "Indikator", "value": "Variabel"},
                       constants={"period": "2019"}, filters={"Kjønn": "I alt"})
    report = import_observations(ctx, path, opts)
    assert report.rows == 3  # rows read; two pass the filter
    assert by_key(query(ctx)) == {("lavinntekt", "0301101001", "2019", ""): (11.0, "ok"),
                                  ("lavinntekt", "0301101005", "2019", ""): (14.0, "ok")}
    assert set(query(ctx)["period"]) == {"2019"}


def test_filter_that_leaves_nothing(ctx: Context, tmp_path: Path) -> None:
    setup(ctx)
    path = write(tmp_path / "f.csv", "zone,indicator,period,value,Kjønn\n0301101001,lavinntekt,2019,1,Menn\n")
    with pytest.raises(InputError, match="ingen rader igjen"):
        import_observations(ctx, path, TidyOptions(filters={"Kjønn": "I alt"}))


def test_unit_column_is_checked_against_the_indicator(ctx: Context, tmp_path: Path) -> None:
    setup(ctx)
    before = dump(ctx)
    path = write(tmp_path / "u.csv", "zone,indicator,period,value,unit\n"
                                     "0301101001,lavinntekt,2019,12,prosent\n"
                                     "0301101005,lavinntekt,2019,140,promille\n"
                                     "0301101005,befolkning,2019,3550,Personer\n")  # case does not matter
    with pytest.raises(InputError) as info:
        import_observations(ctx, path)
    [p] = info.value.problems
    assert (p.row, p.field, p.expected, p.found) == (3, "unit", "prosent", "promille")
    assert dump(ctx) == before


def test_unknown_map_target_and_missing_column(ctx: Context) -> None:
    setup(ctx)
    with pytest.raises(InputError, match="ukjent mål «sone»"):
        import_observations(ctx, DATA / "levekar_lang.csv", TidyOptions(mapping={"sone": "Ident"}))
    with pytest.raises(InputError) as info:
        import_observations(ctx, DATA / "levekar_lang.csv", TidyOptions(mapping={**NORWEGIAN_MAP, "zone": "Sone"}))
    assert "«Sone»" in info.value.message and "Ident" in info.value.message  # lists the real columns
    with pytest.raises(InputError) as info:
        import_observations(ctx, DATA / "levekar_lang.csv", TidyOptions(mapping={"zone": "Ident"}))
    assert "indicator" in info.value.message and "--map" in info.value.message


def test_parse_pairs() -> None:
    assert parse_pairs(["zone=Ident", "period = År", "value=a=b"], "--map") == \
        {"zone": "Ident", "period": "År", "value": "a=b"}
    with pytest.raises(InputError, match="Ident"):
        parse_pairs(["Ident"], "--map")


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_column_name_used_twice_is_refused_not_renamed(ctx: Context, tmp_path: Path, kind: str) -> None:
    # pandas would call the second one «value.1» and the import would silently use the first.
    setup(ctx)
    header = ["zone", "indicator", "period", "value", "value"]
    row = ["0301101001", "lavinntekt", "2019", "1", "2"]
    if kind == "csv":
        path = write(tmp_path / "dup.csv", ",".join(header) + "\n" + ",".join(row) + "\n")
    else:
        wb = openpyxl.Workbook()
        wb.active.append(header)
        wb.active.append(row)
        path = tmp_path / "dup.xlsx"
        wb.save(path)
    with pytest.raises(InputError) as info:
        import_observations(ctx, path)
    [p] = info.value.problems
    assert (p.file, p.row, p.field) == (str(path), 1, "value")
    assert len(query(ctx)) == 0

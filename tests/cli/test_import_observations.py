"""``nabolag import indicators|observations``, ``indicators list`` and ``observations export`` from the
command line: exit codes, messages that name file, row and field, and an import killed half-way."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from nabolag.cli.main import app
from nabolag.services import Context
from nabolag.services.observations import query
from obs_support import DATA, dump, setup, write

runner = CliRunner()
NABOLAG = Path(sys.executable).parent / "nabolag"  # the installed entry point (nabolag.cli.main:run)
MAP = ["--map", "zone=Ident", "--map", "period=År", "--map", "indicator=Indikator", "--map", "value=Variabel",
       "--map", "unit=parameter", "--map", "group.gender=Kjønn", "--map", "group.age=Alder"]


def cli(db_url: str, *args: str) -> object:
    return runner.invoke(app, ["--database", db_url, *args])


def test_import_indicators_then_list(db_url: str) -> None:
    result = cli(db_url, "import", "indicators", str(DATA / "indicators.yaml"), "--source", "Groruddalen")
    assert result.exit_code == 0, result.output
    listed = json.loads(cli(db_url, "indicators", "list", "--json").stdout)
    assert [i["code"] for i in listed] == ["lavinntekt", "trygghet_kveld", "utegym_bruk"]
    assert listed[0] == {"code": "lavinntekt", "name_nb": "Husholdninger med vedvarende lavinntekt",
                         "name_en": "Households with persistent low income", "unit": "prosent",
                         "direction": "lower_is_better", "kind": "context",
                         "source": "SSB, inntekts- og formuesstatistikk", "synthetic": False}
    table = cli(db_url, "indicators", "list").stdout  # a Rich table: names may wrap, so look for words
    assert "3 indikatorer" in table and "utegym_bruk" in table and "Bruk av" in table
    assert "* syntetiske demodata – ikke virkelige tall" in table
    english = runner.invoke(app, ["--database", db_url, "--lang", "en", "indicators", "list"]).stdout
    assert "outdoor" in english and "Bruk av" not in english


def test_import_indicators_bad_enum_exits_2(db_url: str, tmp_path: Path) -> None:
    path = write(tmp_path / "ind.csv", "code,name_nb,direction\na,A,opp\n")
    result = cli(db_url, "import", "indicators", str(path))
    assert result.exit_code == 2
    assert f"{path}:2 [direction]: ukjent verdi" in result.stderr and "higher_is_better" in result.stderr
    assert "fant «opp»" in result.stderr


def test_import_observations_with_map_and_export_every_format(ctx: Context, db_url: str, tmp_path: Path) -> None:
    setup(ctx)
    result = cli(db_url, "import", "observations", str(DATA / "levekar_lang.csv"), *MAP, "--source", "Oslo kommune")
    assert result.exit_code == 0, result.output
    assert "8 observasjoner lagret" in result.stderr
    assert len(query(ctx)) == 8
    for fmt, name in (("csv", "a.csv"), ("xlsx", "a.xlsx"), ("jsonstat", "a.json"), ("geojson", "a.geojson")):
        out = tmp_path / name
        result = cli(db_url, "observations", "export", "--format", fmt, "--output", str(out),
                     "--indicator", "lavinntekt")
        assert result.exit_code == 0, result.output
        assert "6 rader skrevet" in result.stdout and out.stat().st_size > 0
    result = cli(db_url, "observations", "export", "--format", "pdf", "--output", str(tmp_path / "a.pdf"))
    assert result.exit_code == 2 and "csv, xlsx, jsonstat, geojson" in result.stderr


def test_wide_with_set_and_indicators(ctx: Context, db_url: str) -> None:
    setup(ctx)
    result = cli(db_url, "import", "observations", str(DATA / "levekar_bred.csv"), "--wide", "--map",
                 "zone=delbydel", "--set", "period=2019", "--indicators", "lavinntekt, befolkning")
    assert result.exit_code == 0, result.output
    assert len(query(ctx)) == 6


def test_jsonstat_from_the_command_line(ctx: Context, db_url: str) -> None:
    setup(ctx)
    result = cli(db_url, "import", "observations", str(DATA / "fhi_lavinntekt_barn.json"), "--map", "zone=GEO",
                 "--map", "period=AAR", "--map", "group.age=ALDER", "--set", "indicator=lavinntekt")
    assert result.exit_code == 0, result.output
    assert set(query(ctx)["period"]) == {"2019/2021", "2020/2022"}


def test_reimport_refused_then_replace(ctx: Context, db_url: str) -> None:
    setup(ctx)
    args = ["import", "observations", str(DATA / "levekar_lang.csv"), *MAP]
    assert cli(db_url, *args).exit_code == 0
    before = dump(ctx)
    result = cli(db_url, *args)
    assert result.exit_code == 2
    assert f"{DATA / 'levekar_lang.csv'}:2 [period]" in result.stderr and "--replace" in result.stderr
    assert dump(ctx) == before
    result = cli(db_url, *args, "--replace")
    assert result.exit_code == 0 and "8 erstattet" in result.stderr


BAD = [
    # id, file name, contents (None: made in the test), what stderr must say
    ("unknown_zone", "z.csv", "zone,indicator,period,value\n0301999999,lavinntekt,2019,1\n",
     [":2 [zone]: ukjent sone", "forventet en kjent sonekode", "fant «0301999999»"]),
    ("lost_zero", "z.csv", "zone,indicator,period,value\n301101001,lavinntekt,2019,1\n",
     [":2 [zone]: ukjent sone (mistet ledende null? 0301101001 finnes)"]),
    ("unknown_indicator", "i.csv", "zone,indicator,period,value\n0301101001,lavinntek,2019,1\n",
     [":2 [indicator]: ukjent indikator", "fant «lavinntek»"]),
    ("duplicate", "d.csv", "zone,indicator,period,value\n0301101001,lavinntekt,2019,1\n0301101001,lavinntekt,2019,2\n",
     [":3 [zone]: samme sone", "én rad per nøkkel", "fant «rad 2»"]),
    ("text_value", "t.csv", "zone;indicator;period;value\n0301101001;lavinntekt;2019;12,5\n0301101005;lavinntekt;2019;ca. 13\n",
     [":3 [value]: ikke et tall; forventet et tall eller et statussymbol", "fant «ca. 13»"]),
    ("empty_value", "e.csv", "zone,indicator,period,value\n0301101001,lavinntekt,2019,\n",
     [":2 [value]: tom verdi"]),
    ("broken_csv", "b.csv", "zone,indicator,period,value\n0301101001,lavinntekt,2019,1\n0301101005,lavinntekt,2019,1,2\n",
     [":3", "feil antall felt", "forventet samme antall felt som overskriften"]),
    ("empty_file", "empty.csv", "", ["filen er tom", "0 byte"]),
    ("header_only", "h.csv", "zone,indicator,period,value\n", [":2", "ingen datarader"]),
    ("two_gb", "big.csv", None, ["filen er 2048.0 MB", "grensen er 512 MB"]),
    ("broken_xlsx", "x.xlsx", None, ["ikke en gyldig Excel-fil", "forventet .xlsx"]),
    ("invalid_json", "j.json", '{"version": "2.0", "class": "dataset", "id": ["a"',
     ["ugyldig JSON", "forventet JSON-stat 2.0"]),
    ("jsonstat_size", "s.json", json.dumps({"version": "2.0", "class": "dataset", "id": ["zone", "period"],
                                             "size": [1, 1], "value": [1, 2],
                                             "dimension": {"zone": {"category": {"index": ["0301101001"]}},
                                                           "period": {"category": {"index": ["2019"]}}}}),
     ["value har 2 celler, men dimensjonene gir 1"]),
]


@pytest.mark.parametrize("case,name,contents,needles", BAD, ids=[b[0] for b in BAD])
def test_bad_input_exits_2_names_the_place_and_changes_nothing(ctx: Context, db_url: str, tmp_path: Path,
                                                               case: str, name: str, contents: str | None,
                                                               needles: list[str]) -> None:
    setup(ctx)
    assert cli(db_url, "import", "observations", str(DATA / "levekar_bred.csv"), "--wide", "--map",
               "zone=delbydel", "--set", "period=2018", "--indicators", "lavinntekt").exit_code == 0
    before = dump(ctx)
    path = tmp_path / name
    if case == "two_gb":
        with path.open("wb") as fh:
            fh.truncate(2 * 1024**3)  # sparse: refused by its size before a byte is read
    elif case == "broken_xlsx":
        path.write_bytes(os.urandom(2048))
    else:
        path.write_text(contents or "", encoding="utf-8")
    started = time.perf_counter()
    result = cli(db_url, "import", "observations", str(path), "--set", "indicator=lavinntekt") \
        if case == "jsonstat_size" else cli(db_url, "import", "observations", str(path))
    assert result.exit_code == 2, result.output  # InputError
    assert str(path) in result.stderr
    for needle in needles:
        assert needle in result.stderr, (needle, result.stderr)
    assert result.stdout == ""  # the error goes to stderr only
    assert dump(ctx) == before
    assert time.perf_counter() - started < 2


def test_missing_file_exits_2(db_url: str, tmp_path: Path) -> None:
    result = cli(db_url, "import", "observations", str(tmp_path / "finnes_ikke.csv"))
    assert result.exit_code == 2 and "finnes ikke" in result.stderr


def test_malformed_map_exits_2(db_url: str) -> None:
    result = cli(db_url, "import", "observations", str(DATA / "levekar_lang.csv"), "--map", "Ident")
    assert result.exit_code == 2 and "mål=kolonne" in result.stderr


def test_field_name_reaches_stderr(ctx: Context, db_url: str, tmp_path: Path) -> None:
    setup(ctx)
    path = write(tmp_path / "z.csv", "zone,indicator,period,value\n0301999999,lavinntekt,2019,1\n")
    result = cli(db_url, "import", "observations", str(path))
    assert f"{path}:2 [zone]: ukjent sone" in result.stderr


def test_markup_in_a_cell_is_printed_as_text(ctx: Context, db_url: str, tmp_path: Path) -> None:
    setup(ctx)
    path = write(tmp_path / "z.csv", "zone,indicator,period,value\n[/b],lavinntekt,2019,1\n")
    result = cli(db_url, "import", "observations", str(path))
    assert result.exit_code == 2 and "fant «[/b]»" in result.stderr


# --- killed in the middle --------------------------------------------------------------------------------

ZONES = ["0301101001", "0301101002", "0301101005", "0301121201", "0301121203"]


def _big_csv(path: Path, years: int = 40) -> Path:
    """5 zones × ``years`` years × 1000 age groups, all distinct keys (200,000 rows for 40 years).
    value = (7a + y) mod 1000 + 0.5, n = a mod 50 + 5."""
    lines = ["zone,indicator,period,group.age,value,n"]
    lines += [f"{z},befolkning,{y},{a},{(7 * a + y) % 1000}.5,{a % 50 + 5}"
              for z in ZONES for y in range(2020 - years, 2020) for a in range(1000)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _writing(db_url: str, app_name: str, wal: Path | None) -> bool:
    """Is the import past validation and writing observations inside its transaction?"""
    if wal is not None:  # SQLite: uncommitted pages spill into the write-ahead log
        return wal.exists() and wal.stat().st_size > 1_000_000
    engine = create_engine(db_url.split("?")[0])
    try:
        with engine.connect() as conn:
            return bool(conn.execute(text(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = :a "
                "AND query LIKE 'COPY observation%' AND state = 'active'"), {"a": app_name}).scalar())
    finally:
        engine.dispose()


def _backend_gone(db_url: str, app_name: str) -> bool:
    engine = create_engine(db_url.split("?")[0])
    try:
        with engine.connect() as conn:
            return not conn.execute(text("SELECT count(*) FROM pg_stat_activity WHERE application_name = :a"),
                                    {"a": app_name}).scalar()
    finally:
        engine.dispose()


def test_import_killed_in_the_middle_leaves_the_database_as_it_was(ctx: Context, db_url: str,
                                                                    tmp_path: Path) -> None:
    """SIGKILL while observations are being written: no observation and no import_batch row survive,
    and the next import works. (About 5 s: the file must be big enough to catch it writing.)"""
    setup(ctx)
    big = _big_csv(tmp_path / "big.csv")
    before = dump(ctx)
    sqlite = db_url.startswith("sqlite")
    app_name = "nabolag_kill_" + uuid.uuid4().hex[:8]
    url = db_url if sqlite else f"{db_url}&application_name={app_name}"
    wal = Path(db_url.removeprefix("sqlite:///") + "-wal") if sqlite else None
    proc = subprocess.Popen([str(NABOLAG), "--database", url, "import", "observations", str(big)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 30
        while not _writing(db_url, app_name, wal):
            assert proc.poll() is None, f"finished before it could be killed: {proc.communicate()}"
            assert time.monotonic() < deadline, "never started writing"
            time.sleep(0.02)
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
        if proc.stdout:
            proc.stdout.close()
        if proc.stderr:
            proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL
    if not sqlite:  # the server rolls back once it notices the client is gone
        deadline = time.monotonic() + 15
        while not _backend_gone(db_url, app_name):
            assert time.monotonic() < deadline
            time.sleep(0.05)
    assert dump(ctx) == before  # no observation, no import_batch row, no audit entry
    if sqlite:
        with ctx.store.read() as conn:
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    # A later import works (a small one, to keep the test short).
    small = write(tmp_path / "small.csv", "zone,indicator,period,group.age,value,n\n"
                                          "0301101001,befolkning,2019,7,1049.5,12\n")
    result = subprocess.run([str(NABOLAG), "--database", db_url, "import", "observations", str(small)],
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    frame = query(ctx)
    assert list(zip(frame["zone"], frame["period"], frame["groups"], frame["value"], strict=True)) == \
        [("0301101001", "2019", "age=7", 1049.5)]


def test_a_large_file_of_the_same_kind_imports_whole(ctx: Context, db_url: str, tmp_path: Path) -> None:
    """50,000 rows of the kind the kill test uses, imported whole (about 1.5 s; 3 s on PostgreSQL: it
    runs the bulk path, COPY there). Totals by hand: for each zone and year, 7a + y mod 1000 runs
    through 0..999 once (7 and 1000 are coprime), so values sum to 499,500 + 1000 × 0.5 = 500,000 per
    zone-year; 50 zone-years → 25,000,000. n = a mod 50 + 5 averages 29.5 → 1,475,000."""
    setup(ctx)
    result = subprocess.run([str(NABOLAG), "--database", db_url, "import", "observations",
                             str(_big_csv(tmp_path / "big.csv", years=10))],
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    with ctx.store.read() as conn:
        count, total, n, groups = conn.execute(text(
            "SELECT count(*), sum(value), sum(n), count(DISTINCT groups) FROM observation")).one()
    assert (count, total, n, groups) == (50_000, 25_000_000, 1_475_000, 1000)

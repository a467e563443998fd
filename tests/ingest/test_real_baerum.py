"""The statistics importers on real figures: SSB's immigrant counts per grunnkrets in Asker and Bærum.

``baerum/immigrants.json`` is not itself a table format, so the test writes its real numbers, as they
are (with «-» where SSB suppressed small cells), into the shapes municipalities receive: a wide CSV, a
tidy (long) CSV with Norwegian headers, and a JSON-stat 2.0 dataset in SSB's layout. Each import is
checked cell by cell against the JSON file read with the standard library.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nabolag.cli.main import app
from nabolag.domain.indicators import Indicator
from nabolag.domain.zones import Level, Zone
from nabolag.ingest.zones import ZoneOptions
from nabolag.services import Context
from nabolag.services.indicators import define_indicators
from nabolag.services.observations import query
from nabolag.services.zones import define_zones, import_zones

COUNTS = ("western-count", "non-western-count")
runner = CliRunner()


@pytest.fixture
def baerum(ctx: Context, shared: Path) -> dict[str, dict[str, object]]:
    import_zones(ctx, shared / "baerum" / "grunnkretser.geojson",
                 ZoneOptions(code_field="grunnkretsnummer", name_field="grunnkretsnavn", level="grunnkrets"))
    define_indicators(ctx, [Indicator(code=c, name_nb=c, unit="personer") for c in COUNTS])
    return json.loads((shared / "baerum" / "immigrants.json").read_text(encoding="utf-8"))


def _wide_csv(data: dict[str, dict[str, object]], path: Path) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, delimiter=";")
        w.writerow(["Grunnkrets", *COUNTS])
        for code, row in data.items():
            w.writerow([code, *(row[c] for c in COUNTS)])
    return path


def _check_against_json(ctx: Context, data: dict[str, dict[str, object]], known: set[str]) -> None:
    stored = query(ctx, indicators=list(COUNTS))
    assert len(stored) == 2 * len(known)
    for r in stored.itertuples():
        original = data[r.zone][r.indicator]
        if original == "-":  # suppressed by SSB: missing with its reason, never 0
            assert r.value != r.value and r.status == "confidential"
        else:
            assert r.value == original and r.status == "ok"


def test_wide_csv_of_real_counts(ctx: Context, db_url: str, baerum: dict, tmp_path: Path) -> None:
    path = _wide_csv(baerum, tmp_path / "innvandrere.csv")
    args = ["--database", db_url, "import", "observations", str(path), "--wide", "--map", "zone=Grunnkrets",
            "--set", "period=2018", "--symbol", "-=confidential"]
    refused = runner.invoke(app, args)
    # SSB's «unknown grunnkrets» codes (kommune + 9999) are not zones in the map file: named, nothing saved.
    assert refused.exit_code == 2
    assert "02199999" in refused.output and "02209999" in refused.output and "[zone]" in refused.output
    assert query(ctx).empty
    define_zones(ctx, [Zone(code=c, name="Uoppgitt grunnkrets", level=Level.GRUNNKRETS)
                       for c in ("02199999", "02209999")])
    done = runner.invoke(app, args)
    assert done.exit_code == 0, done.output
    _check_against_json(ctx, baerum, set(baerum))
    assert (query(ctx, indicators=["non-western-count"])["status"] == "confidential").sum() == 27


def test_tidy_csv_and_jsonstat_of_real_counts(ctx: Context, db_url: str, baerum: dict, tmp_path: Path) -> None:
    known = {c for c in baerum if not c.endswith("9999")}
    tidy = tmp_path / "lang.csv"
    with tidy.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["Ident", "År", "Indikator", "Variabel"])
        for code in sorted(known):
            for ind in COUNTS:
                w.writerow([code, "2018", ind, baerum[code][ind]])
    result = runner.invoke(app, ["--database", db_url, "import", "observations", str(tidy), "--map", "zone=Ident",
                                 "--map", "period=År", "--map", "indicator=Indikator", "--map", "value=Variabel",
                                 "--symbol", "-=confidential"])
    assert result.exit_code == 0, result.output
    _check_against_json(ctx, baerum, known)

    # The same figures as SSB's PxWebApi v2 would answer them: index as an object, «:» for suppressed cells.
    codes = sorted(known)
    values, status = [], {}
    for i, code in enumerate(codes):
        for j, ind in enumerate(COUNTS):
            v = baerum[code][ind]
            values.append(None if v == "-" else v)
            if v == "-":
                status[str(i * len(COUNTS) + j)] = ":"
    dataset = {"version": "2.0", "class": "dataset", "label": "Innvandrere per grunnkrets", "source": "SSB",
               "id": ["Region", "ContentsCode", "Tid"], "size": [len(codes), len(COUNTS), 1],
               "role": {"geo": ["Region"], "metric": ["ContentsCode"], "time": ["Tid"]},
               "dimension": {"Region": {"category": {"index": {c: i for i, c in enumerate(codes)}}},
                             "ContentsCode": {"category": {"index": {c: i for i, c in enumerate(COUNTS)}}},
                             "Tid": {"category": {"index": {"2019": 0}}}},
               "value": values, "status": status}
    js = tmp_path / "ssb.json"
    js.write_text(json.dumps(dataset), encoding="utf-8")
    result = runner.invoke(app, ["--database", db_url, "import", "observations", str(js)])
    assert result.exit_code == 0, result.output
    again = query(ctx, indicators=list(COUNTS), periods=["2019"])
    first = query(ctx, indicators=list(COUNTS), periods=["2018"])
    assert again[["zone", "indicator", "value", "status"]].fillna(-1).values.tolist() == \
        first[["zone", "indicator", "value", "status"]].fillna(-1).values.tolist()


def test_unknown_symbol_status_is_refused(db_url: str, baerum: dict, tmp_path: Path) -> None:
    path = _wide_csv(baerum, tmp_path / "innvandrere.csv")
    result = runner.invoke(app, ["--database", db_url, "import", "observations", str(path), "--wide",
                                 "--map", "zone=Grunnkrets", "--set", "period=2018", "--symbol", "-=hemmelig"])
    assert result.exit_code == 2 and "hemmelig" in result.output and "confidential" in result.output

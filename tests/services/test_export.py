"""Exporting observations: every format round trips, small cells are suppressed, files appear whole."""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
import shapely

from db_support import empty_database
from nabolag.domain.indicators import Indicator
from nabolag.errors import InputError
from nabolag.ingest.zones import ZoneOptions
from nabolag.services import Context
from nabolag.services.export import SYNTHETIC_NOTE, export_observations
from nabolag.services.indicators import define_indicators
from nabolag.services.observations import import_observations, query
from nabolag.services.zones import import_zones
from nabolag.settings import load_settings
from nabolag.store.imports import list_audit
from obs_support import by_key, setup, setup_indicators, write

# n below the threshold must not be published. trygghet has its own threshold (10), the others use the
# default (5). Expected suppression worked out by hand: 8 < 10 yes, 12 no, 4 < 5 yes, 5 no, 0 yes,
# unknown n no (the source answers for it).
OBSERVATIONS = """zone,indicator,period,value,n,ci_low,ci_high,group.gender
0301101001,trygghet,2023,62.5,8,40,80,
0301101005,trygghet,2023,71.0,12,60,82,
0301121203,trygghet,2023,55.0,40,47,63,female
0301101001,lavinntekt,2020_2022,12.5,4,,,
0301101005,lavinntekt,2020_2022,14.0,5,,,
0301121203,lavinntekt,2020_2022,..,,,,
0301101001,utegym_bruk,2023-06,23,0,,,
0301121203,befolkning,2019,3102,,,,
"""
SUPPRESSED = {("trygghet", "0301101001"), ("lavinntekt", "0301101001"), ("utegym_bruk", "0301101001")}
REASONS = {("trygghet", "0301101001"): "primary: n<10", ("lavinntekt", "0301101001"): "primary: n<5",
           ("utegym_bruk", "0301101001"): "primary: n<5"}
# befolkning is counted in personer: its published value is rounded to base 5 (3102 → 3100).
ROUNDED = {("befolkning", "0301121203", "2019", ""): 3100.0}


@pytest.fixture
def second_db_url(tmp_path: Path) -> Iterator[str]:
    """Another empty database for the re-import (a fresh schema on PostgreSQL)."""
    with empty_database(tmp_path, "second") as url:
        yield url


@pytest.fixture
def loaded(ctx: Context, tmp_path: Path) -> Context:
    setup(ctx)
    import_observations(ctx, write(tmp_path / "obs.csv", OBSERVATIONS))
    return ctx


def _rows_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:  # the standard library, not pandas
        return list(csv.DictReader(fh))


def test_csv_export_suppresses_small_cells_and_marks_synthetic_rows(loaded: Context, tmp_path: Path) -> None:
    out = tmp_path / "levekar.csv"
    assert export_observations(loaded, out, "csv") == 8
    rows = _rows_csv(out)
    assert len(rows) == 8
    for r in rows:
        key = (r["indicator"], r["zone"])
        if key in SUPPRESSED:
            assert r["status"] == "suppressed", key
            assert r["value"] == r["n"] == r["ci_low"] == r["ci_high"] == "", key  # nothing that reveals the count
            assert r["suppression_reason"] == REASONS[key]
        else:
            assert r["status"] in ("ok", "not_available"), key
            assert r["suppression_reason"] == "", key
    published = {(r["indicator"], r["zone"]): r for r in rows}
    assert float(published[("trygghet", "0301101005")]["value"]) == 71.0
    assert published[("trygghet", "0301101005")]["n"] == "10"  # 12 rounded to base 5, written as an integer
    assert float(published[("lavinntekt", "0301101005")]["value"]) == 14.0  # n == 5 is not below 5
    assert published[("lavinntekt", "0301121203")]["status"] == "not_available"
    assert published[("befolkning", "0301121203")]["value"] == "3100.0"  # n unknown: published; 3102 in
    # personer is a count: rounded to base 5
    assert published[("trygghet", "0301121203")]["groups"] == "gender=female"
    assert published[("lavinntekt", "0301101005")]["period"] == "2020/2022"
    notes = {r["indicator"]: r["note"] for r in rows}
    assert notes["utegym_bruk"] == SYNTHETIC_NOTE and notes["lavinntekt"] == ""
    assert not list(tmp_path.glob("*.part"))


def test_the_database_keeps_the_unsuppressed_values(loaded: Context, tmp_path: Path) -> None:
    export_observations(loaded, tmp_path / "x.csv", "csv")
    stored = by_key(query(loaded, indicators=["trygghet"]))
    assert stored[("trygghet", "0301101001", "2023", "")] == (62.5, "ok")


def test_threshold_from_settings(db_url: str, tmp_path: Path) -> None:
    with Context.open(settings=load_settings(db_url, suppression_threshold=3), actor="t") as ctx:
        setup(ctx)
        import_observations(ctx, write(tmp_path / "o.csv", OBSERVATIONS))
        export_observations(ctx, tmp_path / "x.csv", "csv")
    status = {(r["indicator"], r["zone"]): r["status"] for r in _rows_csv(tmp_path / "x.csv")}
    assert status[("lavinntekt", "0301101001")] == "ok"  # 4 >= 3
    assert status[("utegym_bruk", "0301101001")] == "suppressed"  # 0 < 3
    assert status[("trygghet", "0301101001")] == "suppressed"  # the indicator's own 10 still applies


def test_csv_round_trip(loaded: Context, second_db_url: str, tmp_path: Path) -> None:
    out = tmp_path / "export.csv"
    export_observations(loaded, out, "csv")
    with Context.open(second_db_url, actor="t") as fresh:
        setup(fresh)
        import_observations(fresh, out)
        again = by_key(query(fresh))
    assert again == _published(loaded)


def _published(ctx: Context) -> dict[tuple[str, str, str, str], tuple[object, str]]:
    """What the database holds, with the suppressed cells as an export shows them (hand-listed)."""
    out = by_key(query(ctx))
    for key in list(out):
        if (key[0], key[1]) in SUPPRESSED:
            out[key] = (None, "suppressed")
        if key in ROUNDED:
            out[key] = (ROUNDED[key], out[key][1])
    return out


def test_xlsx_export_read_back_with_openpyxl(loaded: Context, second_db_url: str, tmp_path: Path) -> None:
    out = tmp_path / "levekar.xlsx"
    export_observations(loaded, out, "xlsx")
    wb = openpyxl.load_workbook(out, read_only=True)
    assert wb.sheetnames == ["observasjoner", "om"]
    header, *rows = list(wb["observasjoner"].values)
    records = [dict(zip(header, r, strict=True)) for r in rows]
    by = {(r["indicator"], r["zone"]): r for r in records}
    assert by[("trygghet", "0301101005")]["value"] == 71.0
    assert by[("trygghet", "0301101001")]["value"] is None and by[("trygghet", "0301101001")]["status"] == "suppressed"
    assert by[("utegym_bruk", "0301101001")]["note"] == SYNTHETIC_NOTE
    about = [c for (c,) in wb["om"].values]
    assert SYNTHETIC_NOTE in about
    wb.close()
    with Context.open(second_db_url, actor="t") as fresh:
        setup(fresh)
        import_observations(fresh, out)
        assert by_key(query(fresh)) == _published(loaded)


def test_jsonstat_export_layout_and_round_trip(loaded: Context, second_db_url: str, tmp_path: Path) -> None:
    out = tmp_path / "levekar.json"
    export_observations(loaded, out, "jsonstat")
    ds = json.loads(out.read_text(encoding="utf-8"))
    assert ds["version"] == "2.0" and ds["class"] == "dataset"
    assert ds["id"] == ["indicator", "zone", "period", "groups"]
    cats = {d: ds["dimension"][d]["category"]["index"] for d in ds["id"]}
    assert ds["size"] == [len(cats[d]) for d in ds["id"]] == [4, 3, 4, 2]
    assert math.prod(ds["size"]) == 96 and len(ds["value"]) == 8  # sparse: only the 8 observations

    def cell(ind: str, zone: str, period: str, groups: str = "") -> int:
        # Row-major over id, computed by hand from the JSON-stat 2.0 specification.
        i, z, p, g = cats["indicator"][ind], cats["zone"][zone], cats["period"][period], cats["groups"][groups]
        return str(((i * ds["size"][1] + z) * ds["size"][2] + p) * ds["size"][3] + g)

    assert ds["value"][cell("trygghet", "0301101005", "2023")] == 71.0
    assert ds["value"][cell("trygghet", "0301121203", "2023", "gender=female")] == 55.0
    assert ds["value"][cell("befolkning", "0301121203", "2019")] == 3100.0  # rounded to base 5
    suppressed = cell("trygghet", "0301101001", "2023")
    assert ds["value"][suppressed] is None and ds["status"][suppressed] == ":"
    assert ds["extension"]["suppression_reason"] == {suppressed: "primary: n<10",
                                                     cell("lavinntekt", "0301101001", "2020/2022"): "primary: n<5",
                                                     cell("utegym_bruk", "0301101001", "2023-06"): "primary: n<5"}
    assert any("suppression_reason" in note for note in ds["note"])  # the codes explained
    missing = cell("lavinntekt", "0301121203", "2020/2022")
    assert ds["value"][missing] is None and ds["status"][missing] == ".."
    assert SYNTHETIC_NOTE in ds["note"]
    with Context.open(second_db_url, actor="t") as fresh:
        setup(fresh)
        import_observations(fresh, out)
        again = by_key(query(fresh))
    expected = {k: ((None, "confidential") if v == (None, "suppressed") else v) for k, v in _published(loaded).items()}
    assert again == expected  # suppressed cells come back as ":" (confidential), the JSON-stat symbol


def test_geojson_export_with_real_oslo_geometry(ctx: Context, shared: Path, tmp_path: Path) -> None:
    src = shared / "oslo" / "delbydeler.geojson"
    import_zones(ctx, src, ZoneOptions(code_field="delbydel_code", name_field="delbydel_name",
                                       parent_field="bydel_code", level="delbydel"))
    setup_indicators(ctx)
    import_observations(ctx, write(tmp_path / "obs.csv", OBSERVATIONS))
    out = tmp_path / "levekar.geojson"
    export_observations(ctx, out, "geojson", level="delbydel")
    fc = json.loads(out.read_text(encoding="utf-8"))
    features = {f["properties"]["code"]: f for f in fc["features"]}
    assert set(features) == {"0301101001", "0301101005", "0301121203"}
    ammerud = features["0301101001"]["properties"]
    assert ammerud["name"] == "Ammerud" and ammerud["level"] == "delbydel"
    assert ammerud["trygghet:2023"] is None  # suppressed (n = 8 < 10)
    assert ammerud["note"] == SYNTHETIC_NOTE  # utegym_bruk is synthetic
    lindeberg = features["0301121203"]["properties"]
    assert lindeberg["trygghet:2023:gender=female"] == 55.0 and lindeberg["befolkning:2019"] == 3100.0
    assert ammerud["trygghet:2023:suppression_reason"] == "primary: n<10"
    assert "trygghet:2023:gender=female:suppression_reason" not in lindeberg
    assert "note" not in lindeberg
    # The geometry is the published one: a point inside the source polygon (read with plain json + shapely)
    # lies inside the exported polygon, and the areas agree.
    source = {f["properties"]["delbydel_code"]: shapely.geometry.shape(f["geometry"])
              for f in json.loads(src.read_text(encoding="utf-8"))["features"]}
    for code, feature in features.items():
        exported = shapely.geometry.shape(feature["geometry"])
        original = shapely.make_valid(source[code])
        assert exported.contains(original.representative_point())
        assert exported.area == pytest.approx(original.area, rel=1e-6)


def test_written_atomically_and_an_old_file_survives_a_failed_export(loaded: Context, tmp_path: Path) -> None:
    out = tmp_path / "levekar.csv"
    out.write_text("old contents\n", encoding="utf-8")
    with pytest.raises(InputError, match="Ingen observasjoner"):
        export_observations(loaded, out, "csv", indicators=["finnes_ikke"])
    assert out.read_text(encoding="utf-8") == "old contents\n"
    with pytest.raises(InputError, match="Ukjent format"):
        export_observations(loaded, out, "pdf")
    old_inode = out.stat().st_ino
    export_observations(loaded, out, "csv", indicators=["befolkning"])
    assert out.stat().st_ino != old_inode  # replaced by a rename, never written in place
    assert [r["indicator"] for r in _rows_csv(out)] == ["befolkning"]
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("levekar")) == ["levekar.csv"]


def test_export_is_audited(loaded: Context, tmp_path: Path) -> None:
    export_observations(loaded, tmp_path / "a.json", "jsonstat", periods=["2023"])
    with loaded.store.read() as conn:
        entry = list_audit(conn, limit=1)[0]
    assert (entry["action"], entry["object_key"]) == ("export", "a.json")
    assert json.loads(str(entry["details"])) == {"format": "jsonstat", "rows": 3}  # "2023-06" is not "2023"


def test_threshold_zero_publishes_everything(ctx: Context, tmp_path: Path) -> None:
    """An indicator with threshold 0 (e.g. counts of events, not of people) is never suppressed; 0 must
    not fall back to the default of 5."""
    setup(ctx)
    define_indicators(ctx, [Indicator(code="arrangementer", name_nb="Arrangementer", unit="antall",
                                      suppression_threshold=0)])
    import_observations(ctx, write(tmp_path / "a.csv", "zone,indicator,period,value,n\n"
                                                       "0301121203,arrangementer,2023,3,3\n"))
    export_observations(ctx, tmp_path / "a_out.csv", "csv")
    [row] = _rows_csv(tmp_path / "a_out.csv")
    assert (row["value"], row["status"]) == ("3.0", "ok")


def test_jsonstat_round_trip_of_area_observations(ctx: Context, second_db_url: str, tmp_path: Path) -> None:
    """Area figures go into an «area» dimension (not «zone») and come back as area figures."""
    import pandas as pd

    from nabolag.domain.zones import Area
    from nabolag.services.observations import load_frame
    from nabolag.services.zones import save_area

    def prepare(c: Context) -> None:
        setup(c)
        save_area(c, Area(code="groruddalen", name="Groruddalen", zone_codes=("0301101001",)))

    prepare(ctx)
    load_frame(ctx, pd.DataFrame({"area": ["groruddalen"] * 2, "indicator": ["lavinntekt"] * 2,
                                  "period": ["2019", "2020"], "value": ["11.5", "10.25"]}))
    out = tmp_path / "area.json"
    export_observations(ctx, out, "jsonstat", areas=["groruddalen"])
    ds = json.loads(out.read_text(encoding="utf-8"))
    assert ds["id"][1] == "area" and "geo" not in ds["role"]
    with Context.open(second_db_url, actor="t") as fresh:
        prepare(fresh)
        import_observations(fresh, out)
        back = query(fresh, areas=["groruddalen"])
    assert back.sort_values("period")["value"].tolist() == [11.5, 10.25]


def test_jsonstat_refuses_zones_and_areas_together(ctx: Context, tmp_path: Path) -> None:
    import pandas as pd

    from nabolag.domain.zones import Area
    from nabolag.services.observations import load_frame
    from nabolag.services.zones import save_area

    setup(ctx)
    save_area(ctx, Area(code="a1", name="A", zone_codes=("0301101001",)))
    load_frame(ctx, pd.DataFrame({"area": ["a1"], "indicator": ["lavinntekt"], "period": ["2019"], "value": ["1"]}))
    load_frame(ctx, pd.DataFrame({"zone": ["0301101001"], "indicator": ["lavinntekt"], "period": ["2019"],
                                  "value": ["2"]}))
    with pytest.raises(InputError, match="hver for seg"):
        export_observations(ctx, tmp_path / "x.json", "jsonstat")
    assert not (tmp_path / "x.json").exists()


# Grorud (030110) and three of its delbydeler, plus a programme area of two of them; made-up counts that add up.
# By hand: Ammerud n = 3 < 5 (primary). Grorud 60 - Rødtvet 40 - Romsås 17 would give Ammerud's 3, so the
# smallest other child, Romsås (17), is hidden; the area (43) - Rødtvet (40) would give it too, so Rødtvet goes.
HIERARCHY = """zone,indicator,period,value,n
030110,lavinntekt,2023,60,60
0301101001,lavinntekt,2023,3,3
0301101002,lavinntekt,2023,40,40
0301101005,lavinntekt,2023,17,17
"""


def test_secondary_suppression_with_its_reasons_in_every_format(ctx: Context, tmp_path: Path) -> None:
    import pandas as pd

    from nabolag.domain.zones import Area
    from nabolag.services.observations import load_frame
    from nabolag.services.views import zone_page
    from nabolag.services.zones import save_area

    setup(ctx)
    save_area(ctx, Area(code="a", name="A", zone_codes=("0301101001", "0301101002")))
    import_observations(ctx, write(tmp_path / "h.csv", HIERARCHY))
    load_frame(ctx, pd.DataFrame({"area": ["a"], "indicator": ["lavinntekt"], "period": ["2023"], "value": ["43"],
                                  "n": ["43"]}))
    expected = {"030110": ("60.0", ""), "0301101001": ("", "primary: n<5"),
                "0301101005": ("", "secondary: complement of 0301101001 in 030110"),
                "0301101002": ("", "secondary: complement of 0301101001 in area:a"), "a": ("43.0", "")}
    export_observations(ctx, tmp_path / "h_out.csv", "csv")
    rows = {r["zone"] or r["area"]: r for r in _rows_csv(tmp_path / "h_out.csv")}
    assert {k: (r["value"], r["suppression_reason"]) for k, r in rows.items()} == expected
    assert rows["0301101005"]["n"] == rows["0301101005"]["status"].replace("suppressed", "") == ""
    assert rows["a"]["n"] == "45"  # 43 rounded to base 5 (the value, a percentage, is not a count)

    # One zone alone hides what the whole table hides (else pages together would undo it).
    export_observations(ctx, tmp_path / "one.csv", "csv", zones=["0301101005"])
    [one] = _rows_csv(tmp_path / "one.csv")
    assert (one["value"], one["suppression_reason"]) == ("", "secondary: complement of 0301101001 in 030110")

    export_observations(ctx, tmp_path / "h.xlsx", "xlsx")
    wb = openpyxl.load_workbook(tmp_path / "h.xlsx", read_only=True)
    header, *values = list(wb["observasjoner"].values)
    by = {(r[header.index("zone")] or r[header.index("area")]): r for r in values}
    assert by["0301101002"][header.index("suppression_reason")] == expected["0301101002"][1]
    about = [c for (c,) in wb["om"].values]
    assert any("suppression_reason" in c for c in about) and any("avrundet til nærmeste 5" in c for c in about)
    wb.close()

    export_observations(ctx, tmp_path / "h.json", "jsonstat", level="delbydel")
    ds = json.loads((tmp_path / "h.json").read_text(encoding="utf-8"))
    zones = ds["dimension"]["zone"]["category"]["index"]  # one indicator, period and group: index = zone
    assert {z: ds["extension"]["suppression_reason"].get(str(i), "") for z, i in zones.items()} == \
        {z: expected[z][1] for z in zones}
    assert {z: ds["status"].get(str(i)) for z, i in zones.items()} == \
        {"0301101001": ":", "0301101002": ":", "0301101005": ":"}

    page = zone_page(ctx, "0301101005")
    [obs] = page["observations"]
    assert obs["value"] is None and obs["status"] == "suppressed"
    assert obs["reason_code"] == expected["0301101005"][1]
    assert obs["reason"] == "prikket fordi 0301101001 ellers kunne regnes ut fra summen 030110"
    assert zone_page(ctx, "0301101002")["observations"][0]["reason"] == \
        "prikket fordi 0301101001 ellers kunne regnes ut fra summen området a"


def test_the_reason_codes_in_words() -> None:
    from nabolag.services.export import describe_reason

    assert describe_reason("") == ""
    assert describe_reason("primary: n<10") == "prikket: færre enn 10 i grunnlaget"
    assert describe_reason("secondary: complement of gender=female in total") == \
        "prikket fordi gender=female ellers kunne regnes ut fra summen totalen"
    assert describe_reason("secondary: part of hidden total 030110") == \
        "prikket fordi den skjulte summen 030110 ellers kunne regnes ut"
    assert describe_reason("source: confidential") == "skjult av kilden"

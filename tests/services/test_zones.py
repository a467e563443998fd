"""Zone import, provenance, areas and all-or-nothing writes (services/zones.py) on a real database."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from pyproj import Transformer
from sqlalchemy import select

from geo_support import DELBYDEL_FIELDS, dump, feature, square, write_geojson
from nabolag.domain.zones import Area, AreaStatus, Level, Zone
from nabolag.errors import InputError, NotFoundError
from nabolag.ingest.zones import ZoneOptions
from nabolag.services import Context
from nabolag.services import zones as zs
from nabolag.store.tables import audit, import_batch, zone


def _imports(ctx: Context) -> list[dict[str, object]]:
    with ctx.store.read() as conn:
        return [dict(r) for r in conn.execute(select(import_batch).order_by(import_batch.c.id)).mappings()]


def _audit(ctx: Context) -> list[dict[str, object]]:
    with ctx.store.read() as conn:
        return [dict(r) for r in conn.execute(select(audit).order_by(audit.c.id)).mappings()]


def test_import_real_delbydeler_with_provenance(ctx: Context, shared: Path) -> None:
    path = shared / "oslo" / "delbydeler.geojson"
    report = zs.import_zones(ctx, path, ZoneOptions(**DELBYDEL_FIELDS), source="Oslo kommune, bydelsfakta")
    zones = zs.list_zones(ctx, level="delbydel")
    assert len(zones) == 96
    ammerud = zs.get_zone(ctx, "0301101001")
    assert (ammerud.name, ammerud.level, ammerud.parent_code) == ("Ammerud", Level.DELBYDEL, "030110")
    assert [z.code for z in zs.list_zones(ctx, parent="030110")] == \
        ["0301101001", "0301101002", "0301101003", "0301101004", "0301101005"]  # Grorud's five delbydeler

    (batch,) = _imports(ctx)
    assert batch["kind"] == "zones" and batch["file_name"] == "delbydeler.geojson"
    assert batch["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()  # independent: hashlib
    assert batch["rows"] == 96 and batch["actor"] == "test" and batch["source"] == "Oslo kommune, bydelsfakta"
    assert batch["warnings"] == 5  # the five repaired polygons, nothing else before the import finished
    assert batch["finished_at"] >= batch["started_at"]
    assert json.loads(batch["options"])["code_field"] == "delbydel_code"
    with ctx.store.read() as conn:  # every zone points at the batch that brought it
        assert set(conn.execute(select(zone.c.import_id)).scalars()) == {batch["id"]}

    (entry,) = _audit(ctx)
    assert (entry["actor"], entry["action"], entry["object_type"], entry["object_key"]) == \
        ("test", "import", "zones", "delbydeler.geojson")
    assert json.loads(entry["details"]) == {"inserted": 96, "updated": 0}
    assert sum(p.severity == "warning" for p in report.problems) == 5


def test_reimport_updates_instead_of_duplicating(ctx: Context, shared: Path) -> None:
    path = shared / "oslo" / "bydeler.geojson"
    zs.import_zones(ctx, path)
    report = zs.import_zones(ctx, path)
    assert len(zs.list_zones(ctx)) == 15
    assert "0 nye soner, 15 oppdatert" in [p.message for p in report.problems]
    assert [b["rows"] for b in _imports(ctx)] == [15, 15]


def test_reprojected_grunnkrets_matches_pyproj(ctx: Context, shared: Path) -> None:
    path = shared / "baerum" / "grunnkretser.geojson"
    zs.import_zones(ctx, path)
    assert len(zs.list_zones(ctx, level="grunnkrets")) == 535
    stored = zs.get_zone(ctx, "02201606")  # Slottsberget, the file's first feature
    assert stored.source_crs == "EPSG:25833" and stored.name == "Slottsberget"
    # Independent: the first vertex in the file, transformed by pyproj directly.
    x, y = json.loads(path.read_text())["features"][0]["geometry"]["coordinates"][0][0]
    lon, lat = Transformer.from_crs("EPSG:25833", "EPSG:4326", always_xy=True).transform(x, y)
    assert shapely.get_coordinates(shapely.from_wkb(stored.geometry))[0] == pytest.approx([lon, lat], abs=1e-9)


def test_shapefile_without_prj_fails_then_works_with_crs(ctx: Context, shared: Path, tmp_path: Path) -> None:
    shp = tmp_path / "grunnkretser.shp"
    gpd.read_file(shared / "baerum" / "grunnkretser.geojson")[["grunnkretsnummer", "grunnkretsnavn", "geometry"]] \
        .rename(columns={"grunnkretsnummer": "krets", "grunnkretsnavn": "navn"}).to_file(shp)
    shp.with_suffix(".prj").unlink()
    before = dump(ctx)
    with pytest.raises(InputError) as exc:
        zs.import_zones(ctx, shp, ZoneOptions(code_field="krets", name_field="navn"))
    assert str(shp) in str(exc.value) and "--crs" in str(exc.value)
    assert dump(ctx) == before
    zs.import_zones(ctx, shp, ZoneOptions(code_field="krets", name_field="navn", crs="EPSG:25833"))
    assert len(zs.list_zones(ctx, level="grunnkrets")) == 535
    assert zs.get_zone(ctx, "02201606").source_crs == "EPSG:25833"


def test_csv_and_excel_zones(ctx: Context, tmp_path: Path) -> None:
    csv_path = tmp_path / "bydeler.csv"
    csv_path.write_text("nr;navn\n030110;Grorud\n030112;Alna\n", encoding="utf-8")
    zs.import_zones(ctx, csv_path, ZoneOptions(code_field="nr", name_field="navn", level="bydel",
                                               valid_from=dt.date(2004, 1, 1)))
    xlsx = tmp_path / "kommune.xlsx"
    pd.DataFrame({"Kommunenummer": ["0301"], "Kommunenavn": ["Oslo"]}).to_excel(xlsx, index=False)
    zs.import_zones(ctx, xlsx, ZoneOptions(code_field="Kommunenummer", name_field="Kommunenavn", level="kommune"))
    got = {z.code: (z.name, z.level, z.valid_from, z.geometry) for z in zs.list_zones(ctx, with_geometry=True)}
    assert got == {"030110": ("Grorud", Level.BYDEL, dt.date(2004, 1, 1), None),
                   "030112": ("Alna", Level.BYDEL, dt.date(2004, 1, 1), None),
                   "0301": ("Oslo", Level.KOMMUNE, None, None)}


# --- bad input: a clear message, and the database exactly as before -------------------------------

def _bad_files(tmp: Path) -> dict[str, tuple[Path, ZoneOptions, list[str]]]:
    """name → (file, options, strings the message must contain)."""
    sq = square(10.9, 59.95, 0.01)
    cut = write_geojson(tmp / "avkuttet.geojson", [feature({"code": "0301101001", "name": "Ammerud"}, sq)])
    cut.write_text(cut.read_text()[:100])
    empty = tmp / "tom.geojson"
    empty.write_bytes(b"")
    return {
        "missing code field": (write_geojson(tmp / "uten_kode.geojson", [feature({"navn": "Ammerud"}, sq)]),
                               ZoneOptions(code_field="delbydel_code"), ["«delbydel_code»", "navn"]),
        "duplicate code": (write_geojson(tmp / "dobbel.geojson", [
            feature({"code": "0301101001", "name": "Ammerud"}, sq),
            feature({"code": "0301101001", "name": "Ammerud 2"}, square(10.8, 59.95, 0.01))]),
            ZoneOptions(), [":2 [code]", "rad 1", "0301101001"]),
        "empty name": (write_geojson(tmp / "uten_navn.geojson", [feature({"code": "0301101001", "name": ""}, sq)]),
                       ZoneOptions(), [":1 [name]", "tomt navn"]),
        "line": (write_geojson(tmp / "linje.geojson", [feature({"code": "0301101001", "name": "Ammerud"},
                                                               {"type": "LineString",
                                                                "coordinates": [[10.9, 59.9], [10.95, 59.9]]})]),
                 ZoneOptions(), [":1 [geometry]", "Polygon/MultiPolygon", "LineString"]),
        "utm in wgs84": (write_geojson(tmp / "utm.geojson", [feature({"code": "0301101001", "name": "Ammerud"},
                                                                     square(597000, 6643000, 100))]),
                         ZoneOptions(), [":1 [geometry]", "597000, 6643000", "--crs"]),
        "truncated": (cut, ZoneOptions(), ["ødelagt geodatafil"]),
        "empty": (empty, ZoneOptions(), ["0 byte"]),
        "unknown level": (write_geojson(tmp / "niva.geojson", [feature({"code": "0301101001", "name": "A"}, sq)]),
                          ZoneOptions(level="nabolag"), ["[--level]", "«nabolag»"]),
        # zone.name is VARCHAR(200): PostgreSQL used to fail mid-import with a DataError, SQLite kept it
        "too long name": (write_geojson(tmp / "langt.geojson", [feature({"code": "0301101001", "name": "A" * 201},
                                                                        sq)]),
                          ZoneOptions(), [":1 [name]: for lang verdi; forventet høyst 200 tegn"]),
    }


@pytest.mark.parametrize("case", ["missing code field", "duplicate code", "empty name", "line", "utm in wgs84",
                                  "truncated", "empty", "unknown level", "too long name"])
def test_bad_input_leaves_the_database_as_it_was(ctx: Context, shared: Path, tmp_path: Path, case: str) -> None:
    zs.import_zones(ctx, shared / "oslo" / "bydeler.geojson")  # something to keep
    path, opts, expected = _bad_files(tmp_path)[case]
    before = dump(ctx)
    with pytest.raises(InputError) as exc:
        zs.import_zones(ctx, path, opts)
    text = str(exc.value)
    assert str(path) in text
    for part in expected:
        assert part in text
    assert dump(ctx) == before


def test_two_gigabyte_file_is_refused_by_its_size(ctx: Context, tmp_path: Path) -> None:
    big = tmp_path / "stor.geojson"
    with big.open("wb") as fh:
        fh.truncate(2 * 1024**3)  # sparse: instant, and no disk used
    before = dump(ctx)
    with pytest.raises(InputError) as exc:
        zs.import_zones(ctx, big)
    # The size message (not a parse error) shows it was refused before anything read the file.
    assert exc.value.message == f"{big}: filen er 2048.0 MB; grensen er 512 MB (NABOLAG_MAX_IMPORT_MB)"
    assert exc.value.problems[0].found == "2147483648 byte"
    assert dump(ctx) == before


def test_bow_tie_is_repaired_and_stored(ctx: Context, tmp_path: Path) -> None:
    ring = [[10.90, 59.95], [10.92, 59.96], [10.92, 59.95], [10.90, 59.96], [10.90, 59.95]]
    path = write_geojson(tmp_path / "sloyfe.geojson", [
        feature({"code": "0301101001", "name": "Ammerud"}, {"type": "Polygon", "coordinates": [ring]})])
    report = zs.import_zones(ctx, path)
    (warning,) = [p for p in report.problems if p.severity == "warning"]
    assert warning.describe().startswith(f"{path}:1 [geometry]: ugyldig geometri i «0301101001» reparert")
    geom = shapely.from_wkb(zs.get_zone(ctx, "0301101001").geometry)
    assert geom.is_valid and len(geom.geoms) == 2
    # Hand computation in degrees²: two triangles, base 0.01 (the vertical sides), height 0.01 → 2 × 0.00005.
    assert geom.area == pytest.approx(0.0001)


def test_unknown_zone_is_not_found(ctx: Context) -> None:
    with pytest.raises(NotFoundError, match="Ukjent sone: 0301"):
        zs.get_zone(ctx, "0301")


# --- programme areas ------------------------------------------------------------------------------

@pytest.fixture
def groruddalen(ctx: Context) -> Context:
    zs.define_zones(ctx, [Zone("0301101001", "Ammerud", Level.DELBYDEL, "030110"),
                          Zone("0301101005", "Romsås", Level.DELBYDEL, "030110"),
                          Zone("0301121203", "Lindeberg", Level.DELBYDEL, "030112"),
                          Zone("0301010102", "Grønland", Level.DELBYDEL, "030101")])
    return ctx


def test_save_and_read_an_area(groruddalen: Context) -> None:
    area = Area(code="groruddalen", name="Områdesatsing Groruddalen", zone_codes=("0301101001", "0301101005"),
                comparison_codes=("0301010102",), start_date=dt.date(2017, 1, 1), end_date=dt.date(2026, 12, 31),
                status=AreaStatus.ACTIVE)
    saved = zs.save_area(groruddalen, area)
    assert saved.id is not None
    got = zs.get_area(groruddalen, "groruddalen")
    assert (got.zone_codes, got.comparison_codes, got.status, got.start_date) == \
        (("0301101001", "0301101005"), ("0301010102",), AreaStatus.ACTIVE, dt.date(2017, 1, 1))
    # replacing keeps one area and the new membership
    zs.save_area(groruddalen, Area(code="groruddalen", name="Groruddalen", zone_codes=("0301121203",)))
    (only,) = zs.list_areas(groruddalen)
    assert only.zone_codes == ("0301121203",) and only.comparison_codes == ()
    assert [e["object_key"] for e in _audit(groruddalen) if e["object_type"] == "area"] == ["groruddalen"] * 2


def test_area_with_unknown_zones_is_refused(groruddalen: Context) -> None:
    before = dump(groruddalen)
    area = Area(code="x", name="X", zone_codes=("0301101001", "0301999999"), comparison_codes=("0301888888",))
    with pytest.raises(InputError) as exc:
        zs.save_area(groruddalen, area)
    assert exc.value.message == "Området x: ukjente soner 0301999999, 0301888888"
    assert dump(groruddalen) == before and zs.list_areas(groruddalen) == []


def test_zone_both_member_and_comparison_is_refused(groruddalen: Context) -> None:
    before = dump(groruddalen)
    area = Area(code="x", name="X", zone_codes=("0301101001", "0301101005"), comparison_codes=("0301101005",))
    with pytest.raises(InputError, match="sonene 0301101005 kan ikke både være med og sammenligning"):
        zs.save_area(groruddalen, area)
    assert dump(groruddalen) == before


def test_area_dates_and_lengths_are_checked(groruddalen: Context) -> None:
    before = dump(groruddalen)
    with pytest.raises(InputError, match="sluttdato 2016-12-31 er før startdato 2017-01-01"):
        zs.save_area(groruddalen, Area(code="x", name="X", start_date=dt.date(2017, 1, 1),
                                       end_date=dt.date(2016, 12, 31)))
    # area.code is VARCHAR(60): PostgreSQL would refuse a longer one mid-write, SQLite would keep it.
    with pytest.raises(InputError, match="1–60 tegn"):
        zs.save_area(groruddalen, Area(code="x" * 61, name="X"))
    with pytest.raises(InputError, match="1–200 tegn"):
        zs.save_area(groruddalen, Area(code="x", name=""))
    assert dump(groruddalen) == before


def test_unknown_area_is_not_found(ctx: Context) -> None:
    with pytest.raises(NotFoundError, match="Ukjent område: nei"):
        zs.get_area(ctx, "nei")


# --- transitions ----------------------------------------------------------------------------------

def test_import_real_transitions_twice(ctx: Context, shared: Path) -> None:
    path = shared / "norway" / "region_transitions.csv"
    zs.import_transitions(ctx, path, source="bord4-data")
    assert len(zs.list_transitions(ctx)) == 386  # data rows in the file (wc -l minus the header)
    report = zs.import_transitions(ctx, path)
    assert "0 kodeendringer lagt til (386 fantes fra før)" in [p.message for p in report.problems]
    assert [(b["kind"], b["rows"], b["sha256"]) for b in _imports(ctx)] == \
        [("transitions", 386, hashlib.sha256(path.read_bytes()).hexdigest()),
         ("transitions", 0, hashlib.sha256(path.read_bytes()).hexdigest())]


def test_bad_transitions_leave_nothing(ctx: Context, tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("from_year,to_year,level,from_id,to_id,change_type\n"
                    "2017,2021,municipality,1201,4601,renumbered\n"
                    "2017,2021,municipality,1201,4601,renumbered\n", encoding="utf-8")
    before = dump(ctx)
    with pytest.raises(InputError, match=r":3 \[from_id\]: samme kodeendring som rad 2"):
        zs.import_transitions(ctx, path)
    assert dump(ctx) == before

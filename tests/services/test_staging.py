"""Staged uploads: validated with the real readers without writing anything, then confirmed or discarded."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import select

from geo_support import dump, feature, square
from nabolag.errors import InputError, NotFoundError, PermissionDenied
from nabolag.services import Context, observations, zones
from nabolag.services.dry_run import confirm, validate
from nabolag.services.staging import UploadTooLarge, load, parse_options, pending, stage
from nabolag.store.tables import audit, import_batch
from obs_support import DATA, setup

LANG_FORM = {"map": "zone=Ident, period=År\nindicator=Indikator, value=Variabel", "filter": "Kjønn=I alt",
             "source": "Oslo kommune"}


def _stage(root: Path, data: bytes, name: str, kind: str, form: dict[str, str], owner: str = "test",
           max_bytes: int = 1 << 20):
    return stage(root, io.BytesIO(data), file_name=name, kind=kind, options=parse_options(kind, form), owner=owner,
                 max_bytes=max_bytes)


def _expected_rows(path: Path) -> list[dict[str, str]]:
    """Independent reading with the csv module: the rows the filter keeps."""
    with path.open(encoding="utf-8", newline="") as fh:
        return [r for r in csv.DictReader(fh, delimiter=";") if r["Kjønn"] == "I alt"]


def test_validation_writes_nothing_and_confirm_imports_as_the_actor(ctx: Context, tmp_path: Path) -> None:
    setup(ctx)
    root = tmp_path / "staging"
    path = DATA / "levekar_lang.csv"
    staged = _stage(root, path.read_bytes(), "levekar_lang.csv", "observations", LANG_FORM, owner="anna")
    before = dump(ctx)
    report = validate(ctx, root, staged)
    assert dump(ctx) == before  # a dry run leaves every table as it was
    expected = _expected_rows(path)
    assert report["ok"] and report["errors"] == 0 and report["file"] == "levekar_lang.csv"
    summary = report["summary"]
    assert summary["observations"] == len(expected) == 6
    assert summary["indicators"] == sorted({r["Indikator"] for r in expected})
    assert summary["periods"] == sorted({r["År"] for r in expected})
    assert summary["zones"] == len({r["Ident"] for r in expected}) and summary["replaced"] == 0
    assert load(root, staged.token, actor="anna", role="analyst").report == report  # kept with the upload

    result = confirm(replace(ctx, actor="anna", role="analyst"), root, staged)
    assert result["ok"] and result["confirmed"]
    assert len(observations.query(ctx)) == 6
    with ctx.store.read() as conn:
        [batch] = conn.execute(select(import_batch)).mappings().all()
        entry = conn.execute(select(audit).where(audit.c.action == "import")).mappings().one()
    assert batch["actor"] == "anna" and batch["file_name"] == "levekar_lang.csv" and batch["source"] == "Oslo kommune"
    assert entry["actor"] == "anna" and entry["at"] is not None
    assert not (root / staged.token).exists()
    with pytest.raises(NotFoundError):
        load(root, staged.token, actor="anna", role="analyst")


def test_a_broken_file_gives_a_report_naming_file_row_and_field(ctx: Context, tmp_path: Path) -> None:
    setup(ctx)
    root = tmp_path / "staging"
    text = "zone,indicator,period,value\n0301101001,lavinntekt,2019,12.5\n0301101001,lavinntekt,2020,tolv\n"
    staged = _stage(root, text.encode(), "lavinntekt.csv", "observations", {})
    before = dump(ctx)
    report = validate(ctx, root, staged)
    assert dump(ctx) == before
    assert not report["ok"] and report["errors"] == 1
    [problem] = report["problems"]
    assert problem["file"] == "lavinntekt.csv" and problem["row"] == 3 and problem["field"] == "value"
    assert problem["found"] == "tolv"
    assert str(root) not in json.dumps(report)  # the staging path is never shown
    result = confirm(ctx, root, staged)  # confirming a broken file refuses and writes nothing
    assert not result["ok"] and not result["confirmed"] and result["problems"][0]["row"] == 3
    assert dump(ctx) == before and (root / staged.token).exists()


def test_a_missing_column_is_reported_with_the_uploaded_name(ctx: Context, tmp_path: Path) -> None:
    setup(ctx)
    root = tmp_path / "staging"
    staged = _stage(root, (DATA / "levekar_lang.csv").read_bytes(), "lang.csv", "observations",
                    {"map": "zone=Sone"})
    report = validate(ctx, root, staged)
    assert not report["ok"] and "Sone" in report["message"] and report["message"].startswith("lang.csv")
    assert report["problems"][0]["file"] == "lang.csv"


def test_existing_values_need_replace(ctx: Context, tmp_path: Path) -> None:
    setup(ctx)
    root = tmp_path / "staging"
    data = (DATA / "levekar_lang.csv").read_bytes()
    confirm(ctx, root, _stage(root, data, "a.csv", "observations", LANG_FORM))
    again = validate(ctx, root, _stage(root, data, "a.csv", "observations", LANG_FORM))
    assert not again["ok"] and again["errors"] == 6
    assert {p["field"] for p in again["problems"]} == {"period"}
    replacing = validate(ctx, root, _stage(root, data, "a.csv", "observations", {**LANG_FORM, "replace": "on"}))
    assert replacing["ok"] and replacing["summary"]["replaced"] == 6


def test_zones_are_counted_as_new_or_updated(ctx: Context, tmp_path: Path) -> None:
    setup(ctx)  # five delbydeler and two bydeler
    root = tmp_path / "staging"
    doc = {"type": "FeatureCollection", "features": [
        feature({"kode": "0301101001", "navn": "Ammerud"}, square(10.9, 59.95, 0.01)),
        feature({"kode": "0301101099", "navn": "Ny sone"}, square(10.92, 59.95, 0.01))]}
    staged = _stage(root, json.dumps(doc).encode(), "soner.geojson", "zones", {"level": "delbydel"})
    before = dump(ctx)
    report = validate(ctx, root, staged)
    assert dump(ctx) == before
    assert report["summary"] == {"zones": 2, "new": 1, "updated": 1, "with_geometry": 2,
                                 "levels": {"delbydel": 1 + 1}}
    confirm(ctx, root, staged)
    assert zones.get_zone(ctx, "0301101099").name == "Ny sone"
    assert zones.get_zone(ctx, "0301101001").geometry is not None


def test_garbage_is_a_report_not_a_crash(ctx: Context, tmp_path: Path) -> None:
    setup(ctx)
    root = tmp_path / "staging"
    for name, kind in (("x.xlsx", "observations"), ("x.gpkg", "zones"), ("x.yaml", "indicators")):
        report = validate(ctx, root, _stage(root, b"\x00\x01not really a file\xff", name, kind, {}))
        assert not report["ok"] and report["problems"][0]["file"] == name, report


def test_too_large_keeps_nothing(tmp_path: Path) -> None:
    root = tmp_path / "staging"
    with pytest.raises(UploadTooLarge, match="grensen"):
        _stage(root, b"x" * 2000, "big.csv", "observations", {}, max_bytes=1000)
    assert list(root.iterdir()) == []


def test_bad_names_and_options_name_the_field(tmp_path: Path) -> None:
    with pytest.raises(InputError) as err:
        _stage(tmp_path, b"a", "data.exe", "observations", {})
    assert err.value.problems[0].field == "file" and ".exe" in err.value.message
    with pytest.raises(InputError) as err:
        parse_options("observations", {"map": "zone"})
    assert err.value.problems[0].field == "map"
    with pytest.raises(InputError) as err:
        parse_options("observations", {"set": "colour=red"})
    assert err.value.problems[0].field == "set"
    with pytest.raises(InputError) as err:
        parse_options("zones", {"level": "planet"})
    assert err.value.problems[0].field == "level"
    with pytest.raises(InputError) as err:
        parse_options("people", {})
    assert err.value.problems[0].field == "kind"
    staged = _stage(tmp_path, b"a", "../../etc/passwd.csv", "observations", {})
    assert staged.file_name == "passwd.csv" and (tmp_path / staged.token / "passwd.csv").is_file()


def test_uploads_belong_to_their_owner(tmp_path: Path) -> None:
    staged = _stage(tmp_path, b"a", "a.csv", "observations", {}, owner="anna")
    with pytest.raises(NotFoundError):
        load(tmp_path, staged.token, actor="bjorn", role="analyst")
    assert load(tmp_path, staged.token, actor="root", role="admin").owner == "anna"
    for token in ("../a", "", staged.token + "/../x"):
        with pytest.raises(NotFoundError):
            load(tmp_path, token, actor="anna", role="analyst")
    assert [s.token for s in pending(tmp_path, actor="anna", role="analyst")] == [staged.token]
    assert pending(tmp_path, actor="bjorn", role="analyst") == []


def test_viewers_cannot_validate(ctx: Context, tmp_path: Path) -> None:
    staged = _stage(tmp_path, b"a", "a.csv", "observations", {})
    with pytest.raises(PermissionDenied):
        validate(replace(ctx, role="viewer"), tmp_path, staged)

"""Barnetråkk-style export and import (issue 7, stage 3): the round trip through GeoJSON and GeoPackage
gives back every contribution with its object type, transport mode, grade group and geometry; bad features
are named by number and attribute, nothing saved; staff only."""

from __future__ import annotations

import json
from pathlib import Path

import pyogrio
import pytest
import shapely

from geo_support import dump
from nabolag.errors import InputError, PermissionDenied
from nabolag.services import Context
from nabolag.services.mapping import contribute, list_contributions
from nabolag.services.mapping_barnetrakk import export_contributions, import_contributions
from test_mapping_support import open_test_campaign, place, route, setup_place, token


def _fill(ctx: Context) -> str:
    setup_place(ctx)
    c = open_test_campaign(ctx)
    contribute(ctx, c.access_code, route((10.86, 59.95), (10.872, 59.962), mode="bike", grade=6, gender="male",
                                         comment="Ola går her"), token())
    for cat in ("good", "avoid", "traffic", "activity"):
        contribute(ctx, c.access_code, place(10.87, 59.96, cat), token())
    return c.code


def _key(ctx: Context, code: str) -> list[tuple[object, ...]]:
    return sorted((v.kind, v.mode, v.category, v.grade, v.gender,
                   shapely.set_precision(shapely.from_geojson(json.dumps(v.geometry)), 1e-6).wkt) for v in list_contributions(ctx, code))


@pytest.mark.parametrize("suffix", [".gpkg", ".geojson"])
def test_round_trip(ctx: Context, tmp_path: Path, suffix: str) -> None:
    code = _fill(ctx)
    out = tmp_path / f"barnetrakk{suffix}"
    result = export_contributions(ctx, [code], out)
    assert result.features == {"Barneveg": 1, "PositivOpplevelse": 1, "NegativOpplevelse": 2, "Aktivitet": 1}
    if suffix == ".gpkg":
        assert [name for name, _t in pyogrio.list_layers(out)] == ["Barneveg", "PositivOpplevelse",
                                                                   "NegativOpplevelse", "Aktivitet"]
        assert pyogrio.read_info(out, layer="Barneveg")["crs"] == "EPSG:25833"
    assert b"Ola" not in out.read_bytes()
    open_test_campaign(ctx, "kopi")
    import_contributions(ctx, "kopi", out)
    import_contributions(ctx, "kopi", out)
    assert _key(ctx, "kopi") == _key(ctx, code)
    routes = [v for v in list_contributions(ctx, "kopi") if v.kind == "route"]
    assert routes[0].mode == "bike" and routes[0].comment == ""


def test_bad_features_named_and_nothing_saved(ctx: Context, tmp_path: Path) -> None:
    _fill(ctx)
    bad = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"objtype": "Barneveg", "transportmiddel": "gange"},
         "geometry": {"type": "LineString", "coordinates": [[10.86, 59.95], [10.87, 59.96]]}},
        {"type": "Feature", "properties": {"objtype": "Hemmelig"}, "geometry": {"type": "Point",
                                                                                "coordinates": [10.86, 59.95]}},
        {"type": "Feature", "properties": {"objtype": "Barneveg", "transportmiddel": "rakett"},
         "geometry": {"type": "LineString", "coordinates": [[10.86, 59.95], [10.87, 59.96]]}},
        {"type": "Feature", "properties": {"objtype": "Aktivitet"}, "geometry": {"type": "Point",
                                                                                 "coordinates": [10.5, 59.95]}},
    ]}
    path = tmp_path / "feil.geojson"
    path.write_text(json.dumps(bad), encoding="utf-8")
    before = dump(ctx)
    with pytest.raises(InputError) as err:
        import_contributions(ctx, "ammerud-5-7", path)
    assert {(p.row, p.field) for p in err.value.problems} == {(2, "objtype"), (3, "transportmiddel"), (4, "geometry")}
    assert dump(ctx) == before
    viewer = Context(settings=ctx.settings, store=ctx.store, actor="v", role="viewer")
    with pytest.raises(PermissionDenied):
        export_contributions(viewer, ["ammerud-5-7"], tmp_path / "x.gpkg")
    with pytest.raises(InputError):
        export_contributions(ctx, ["ammerud-5-7"], tmp_path / "x.csv")

"""JSON-stat 2.0 as SSB (PxWebApi v2) and FHI (open statistics API) answer it.

The expected tables below are worked out by hand from the fixtures: JSON-stat stores values
row-major over ``id`` (the last dimension varies fastest), so in ``ssb_lavinntekt.json``
(Region × Kjonn × ContentsCode × Tid = 3 × 2 × 1 × 2) cell i is Region i // 4, Kjonn (i // 2) % 2,
Tid i % 2, with Region in the order of its ``category.index`` *positions*, not of the JSON text.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nabolag.errors import InputError
from nabolag.ingest.jsonstat import read_jsonstat
from nabolag.ingest.tidy import TidyOptions
from nabolag.services import Context
from nabolag.services.observations import import_observations, query
from obs_support import DATA, by_key, dump, setup

SSB = DATA / "ssb_lavinntekt.json"
FHI = DATA / "fhi_lavinntekt_barn.json"

SSB_EXPECTED = {
    ("0301101001", "gender=1", "2019"): (10.1, "ok"),  # cell 0
    ("0301101001", "gender=1", "2020"): (10.4, "ok"),  # cell 1
    ("0301101001", "gender=2", "2019"): (12.5, "ok"),  # cell 2
    ("0301101001", "gender=2", "2020"): (None, "not_available"),  # cell 3, status ".."
    ("0301101002", "gender=1", "2019"): (8.0, "ok"),
    ("0301101002", "gender=1", "2020"): (7.6, "ok"),
    ("0301101002", "gender=2", "2019"): (None, "confidential"),  # cell 6, status ":"
    ("0301101002", "gender=2", "2020"): (9.2, "ok"),
    ("0301121203", "gender=1", "2019"): (15.3, "ok"),
    ("0301121203", "gender=1", "2020"): (0.0, "ok"),  # cell 9: a real zero stays a zero
    ("0301121203", "gender=2", "2019"): (None, "not_applicable"),  # cell 10, status "."
    ("0301121203", "gender=2", "2020"): (16.0, "ok"),
}

FHI_EXPECTED = {
    ("030110", "2019/2021", "age=0_17"): (14.2, "ok"),
    ("030110", "2019/2021", "age=0_120"): (9.1, "ok"),
    ("030110", "2020/2022", "age=0_17"): (13.8, "ok"),
    ("030110", "2020/2022", "age=0_120"): (None, "confidential"),  # ":" anonymised
    ("030112", "2019/2021", "age=0_17"): (17.5, "ok"),
    ("030112", "2019/2021", "age=0_120"): (11.0, "ok"),
    ("030112", "2020/2022", "age=0_17"): (None, "not_available"),  # ".."
    ("030112", "2020/2022", "age=0_120"): (10.7, "ok"),
}


def test_ssb_style_object_index_roles_and_sparse_status(ctx: Context) -> None:
    setup(ctx)
    report = import_observations(ctx, SSB, TidyOptions(mapping={"group.gender": "Kjonn"},
                                                       constants={"indicator": "lavinntekt"}))
    assert report.ok and report.rows == 12
    frame = query(ctx)
    got = {(z, g, p): v for (_i, z, p, g), v in by_key(frame).items()}
    assert got == SSB_EXPECTED
    assert set(frame["source"]) == {"Statistisk sentralbyrå"}


def test_ssb_dimension_without_target_becomes_a_group_named_after_it(ctx: Context) -> None:
    setup(ctx)
    import_observations(ctx, SSB, TidyOptions(constants={"indicator": "lavinntekt"}))
    assert set(query(ctx)["groups"]) == {"Kjonn=1", "Kjonn=2"}


def test_fhi_style_list_index_year_ranges_and_age_groups(ctx: Context) -> None:
    setup(ctx)
    opts = TidyOptions(mapping={"zone": "GEO", "period": "AAR", "group.age": "ALDER"},
                       constants={"indicator": "lavinntekt"})
    report = import_observations(ctx, FHI, opts)
    assert report.ok
    got = {(z, p, g): v for (_i, z, p, g), v in by_key(query(ctx)).items()}
    assert got == FHI_EXPECTED  # KJONN and MEASURE_TYPE have one category each: no group


def test_missing_values_are_never_zero(ctx: Context) -> None:
    setup(ctx)
    import_observations(ctx, FHI, TidyOptions(mapping={"zone": "GEO", "period": "AAR"},
                                              constants={"indicator": "lavinntekt"}))
    frame = query(ctx)
    missing = frame[frame["status"] != "ok"]
    assert len(missing) == 2 and missing["value"].isna().all()
    assert set(frame["groups"]) == {"ALDER=0_17", "ALDER=0_120"}


def _write(tmp_path: Path, ds: dict[str, object], name: str = "ds.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(ds, ensure_ascii=False), encoding="utf-8")
    return path


def _dataset(**over: object) -> dict[str, object]:
    ds: dict[str, object] = {
        "version": "2.0", "class": "dataset", "label": "t",
        "id": ["Region", "ContentsCode", "Tid"], "size": [2, 2, 1],
        "role": {"geo": ["Region"], "metric": ["ContentsCode"], "time": ["Tid"]},
        "dimension": {
            "Region": {"category": {"index": {"0301101001": 0, "0301121203": 1}}},
            "ContentsCode": {"category": {"index": {"lavinntekt": 0, "befolkning": 1}}},
            "Tid": {"category": {"index": {"2021": 0}}},
        },
        "value": [11.5, 2415, 9.0, 3102],
    }
    ds.update(over)
    return ds


def test_metric_role_gives_the_indicator_per_cell(ctx: Context, tmp_path: Path) -> None:
    setup(ctx)
    import_observations(ctx, _write(tmp_path, _dataset()))
    assert by_key(query(ctx)) == {
        ("befolkning", "0301101001", "2021", ""): (2415.0, "ok"),
        ("befolkning", "0301121203", "2021", ""): (3102.0, "ok"),
        ("lavinntekt", "0301101001", "2021", ""): (11.5, "ok"),
        ("lavinntekt", "0301121203", "2021", ""): (9.0, "ok"),
    }


def test_sparse_value_object(ctx: Context, tmp_path: Path) -> None:
    setup(ctx)
    # Cells 1 and 2 are absent from "value"; cell 2 has a status, cell 1 has nothing at all and is not
    # an observation. A null in a dense array, by contrast, is a cell that is not available.
    ds = _dataset(value={"0": 11.5, "3": 3102}, status={"2": ":"})
    report = import_observations(ctx, _write(tmp_path, ds))
    assert report.rows == 3
    assert by_key(query(ctx)) == {
        ("befolkning", "0301121203", "2021", ""): (3102.0, "ok"),
        ("lavinntekt", "0301101001", "2021", ""): (11.5, "ok"),
        ("lavinntekt", "0301121203", "2021", ""): (None, "confidential"),
    }
    import_observations(ctx, _write(tmp_path, _dataset(value=[1, None, 2, 3]), "dense.json"), replace=True)
    assert by_key(query(ctx))[("befolkning", "0301101001", "2021", "")] == (None, "not_available")


def test_read_jsonstat_frame_rows_are_cell_numbers() -> None:
    frame, _report = read_jsonstat(FHI, {"zone": "GEO", "period": "AAR"}, {"indicator": "x"})
    assert list(frame["row"]) == list(range(1, 9))
    assert list(frame["period"][:4]) == ["2019_2021", "2019_2021", "2020_2022", "2020_2022"]
    assert list(frame["value"]) == ["14.2", "9.1", "13.8", ":", "17.5", "11.0", "..", "10.7"]


@pytest.mark.parametrize("change,needle", [
    ({"value": [1, 2, 3]}, "value har 3 celler, men dimensjonene gir 4"),
    ({"size": [2, 2]}, "id har 3 dimensjoner, size har 2"),
    ({"size": [3, 2, 1]}, "Region har 2 kategorier, men size sier 3"),
    ({"status": {"7": ".."}}, "ugyldig celleindeks «7»"),
    ({"class": "collection"}, "class: dataset"),
])
def test_malformed_jsonstat_is_refused_and_nothing_is_written(ctx: Context, tmp_path: Path,
                                                              change: dict[str, object], needle: str) -> None:
    setup(ctx)
    before = dump(ctx)
    path = _write(tmp_path, _dataset(**change))
    with pytest.raises(InputError) as info:
        import_observations(ctx, path)
    assert needle in str(info.value) and str(path) in str(info.value)
    assert dump(ctx) == before


def test_invalid_json_names_line(ctx: Context, tmp_path: Path) -> None:
    setup(ctx)
    before = dump(ctx)
    text = json.dumps(_dataset(), indent=1)
    path = tmp_path / "broken.json"
    path.write_text(text[: len(text) // 2], encoding="utf-8")  # cut off mid-download
    with pytest.raises(InputError) as info:
        import_observations(ctx, path)
    [p] = info.value.problems
    assert p.file == str(path) and p.row is not None and p.row > 1 and p.expected == "JSON-stat 2.0"
    assert dump(ctx) == before


def test_unknown_zone_in_jsonstat_names_the_cell(ctx: Context, tmp_path: Path) -> None:
    setup(ctx)
    ds = _dataset()
    ds["dimension"]["Region"]["category"]["index"] = ["0301101001", "0301999999"]  # type: ignore[index]
    with pytest.raises(InputError) as info:
        import_observations(ctx, _write(tmp_path, ds))
    assert {(p.row, p.field, p.found) for p in info.value.problems} == \
        {(3, "zone", "0301999999"), (4, "zone", "0301999999")}


def test_map_to_unknown_dimension(ctx: Context) -> None:
    setup(ctx)
    with pytest.raises(InputError, match="«Alder» finnes ikke; dimensjoner: GEO, AAR"):
        import_observations(ctx, FHI, TidyOptions(mapping={"group.age": "Alder"}))


def test_plain_json_is_not_taken_for_jsonstat(ctx: Context, shared: Path, tmp_path: Path) -> None:
    # The Bærum immigrants file is real JSON but not JSON-stat.
    setup(ctx)
    src = shared / "baerum" / "immigrants.json"
    path = tmp_path / "immigrants.json"
    path.write_bytes(src.read_bytes())
    with pytest.raises(InputError, match="JSON som ikke er JSON-stat 2.0"):
        import_observations(ctx, path)


def test_jsonstat_1_bundle_as_from_ssb_api_v0(ctx: Context, tmp_path: Path) -> None:
    """SSB's older API (v0, format "json-stat") answers JSON-stat 1.x: one dataset under "dataset",
    with id, size and role inside "dimension"."""
    setup(ctx)
    v2 = _dataset()
    dimension = {"id": v2["id"], "size": v2["size"], "role": v2["role"], **v2["dimension"]}  # type: ignore[dict-item]
    bundle = {"dataset": {"label": "t", "source": "Statistisk sentralbyrå", "dimension": dimension,
                          "value": v2["value"]}}
    import_observations(ctx, _write(tmp_path, bundle, "v0.json"))
    assert by_key(query(ctx))[("befolkning", "0301121203", "2021", "")] == (3102.0, "ok")
    assert len(query(ctx)) == 4

"""Reading SSB's population grid (ingest/population.py): the real 1 km GML, and CSV with cell ids."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely

from nabolag.errors import InputError
from nabolag.ingest.population import cell_polygons, read_population_grid

APP = "{http://skjema.geonorge.no/SOSI/produktspesifikasjon/BefolkningRutenett/20200101}"


def _gml_totals(path: Path) -> tuple[int, int, int, int]:
    """Cells and sums of popTot, popFem, popMal read with the standard library's XML parser."""
    cells = ET.parse(path).getroot().iter(f"{APP}BefolkningPåRuter1km")
    rows = [[int(c.findtext(f"{APP}{f}")) for f in ("popTot", "popFem", "popMal")] for c in cells]
    return len(rows), *np.array(rows).sum(axis=0).tolist()


def test_real_gml(shared: Path) -> None:
    path = shared / "oslo" / "population_1km_2019.gml"
    cells, report = read_population_grid(path)
    n, total, female, male = _gml_totals(path)
    assert len(cells) == n == 258
    assert cells["total"].sum() == total == 678_692
    assert cells["female"].sum() == female and cells["male"].sum() == male and female + male == total
    assert set(cells["year"]) == {"2019"}
    assert cells.crs.to_epsg() == 25833
    assert any("BefolkningPåRuter1km" in p.message for p in report.problems)  # says which layer it used
    named, _report = read_population_grid(path, layer="BefolkningPåRuter1km")  # --layer
    assert named["total"].sum() == total


def test_cell_polygons_equal_the_gml_geometry(shared: Path) -> None:
    gml = gpd.read_file(shared / "oslo" / "population_1km_2019.gml", layer="BefolkningPåRuter1km")
    built = cell_polygons(gml["ssbid1000M"].to_numpy(), 1000)
    # Same squares (vertex order differs: the GML starts at the lower-right corner).
    assert shapely.equals(built, gml.geometry.values).all()
    assert np.allclose(shapely.area(built), 1_000_000)


def test_cell_polygon_by_hand() -> None:
    # ssbid250m = 2e13 + X·1e7 + Y of the lower-left corner (data README): X = 262250, Y = 6649500.
    (cell,) = cell_polygons(np.array([22_622_506_649_500]), 250)
    assert cell.bounds == (262250.0, 6649500.0, 262500.0, 6649750.0)


def test_csv_with_ssbid250m(tmp_path: Path) -> None:
    path = tmp_path / "rutenett.csv"
    path.write_text("ssbid250m;pop_tot;kvinner;menn;statistikkår\n"
                    "22622506649500;12;5;7;2019\n"
                    "22622506649750;0;0;0;2019\n"
                    "22625006649500;3;.;.;2019\n",  # SSB's "." for a suppressed figure
                    encoding="utf-8")
    cells, report = read_population_grid(path)
    assert cells["total"].tolist() == [12, 0, 3] and cells["female"].tolist() == [5, 0, 0]
    assert cells.geometry.iat[1].bounds == (262250.0, 6649750.0, 262500.0, 6650000.0)
    assert cells.geometry.iat[2].bounds == (262500.0, 6649500.0, 262750.0, 6649750.0)
    assert set(cells["year"]) == {"2019"} and report.ok


def test_csv_text_in_numbers_and_bad_ids(tmp_path: Path) -> None:
    path = tmp_path / "feil.csv"
    path.write_text("ssbid250m,popTot\n"
                    "22622506649500,12\n"
                    "22622506649750,tolv\n"    # line 3: text in a number column
                    "abc,3\n"                  # line 4: not an id
                    "22622506650000,-4\n",     # line 5: negative
                    encoding="utf-8")
    with pytest.raises(InputError) as exc:
        read_population_grid(path)
    assert [(p.row, p.field, p.found) for p in exc.value.problems] == [(4, "ssbid250m", "abc")]
    path.write_text(path.read_text().replace("abc", "22622506649250"), encoding="utf-8")
    with pytest.raises(InputError) as exc:
        read_population_grid(path)
    assert [(p.row, p.field, p.found) for p in exc.value.problems] == [(3, "popTot", "tolv"), (5, "popTot", "-4")]
    assert exc.value.message.startswith(str(path))


def test_csv_without_ids_or_population(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("rute,popTot\n1,2\n", encoding="utf-8")
    with pytest.raises(InputError, match="ssbid250m/ssbid1000m"):
        read_population_grid(path)
    path.write_text("ssbid1000m,folk\n22560006672000,4\n", encoding="utf-8")
    with pytest.raises(InputError, match="kolonner: ssbid1000m, folk"):
        read_population_grid(path)


def test_the_boundary_layer_has_no_population(shared: Path) -> None:
    with pytest.raises(InputError, match="popTot"):
        read_population_grid(shared / "oslo" / "population_1km_2019.gml", layer="BefolkningPåRuter1kmGrense")

"""The index service on the demo (an independent pandas computation) and on real Bærum figures."""

import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from scipy import stats
from typer.testing import CliRunner

from nabolag.cli.main import app
from nabolag.domain.indicators import Direction, Indicator
from nabolag.errors import InputError
from nabolag.ingest.index_spec import parse_spec
from nabolag.ingest.zones import ZoneOptions
from nabolag.services import Context, observations
from nabolag.services.index import compute_index, write_index
from nabolag.services.indicators import define_indicators
from nabolag.services.zones import import_zones
from nabolag.store.indices import list_runs


@pytest.fixture
def demo(demo_ctx: Context) -> Context:
    return demo_ctx


def test_oslo_index_equals_an_independent_pandas_computation(demo: Context) -> None:
    table = compute_index(demo, "oslo-levekar", "2024")
    codes = [c.indicator for c in table.spec.components]
    obs = observations.query(demo, indicators=codes, level="delbydel", periods=["2024"], groups="")
    wide = obs.pivot(index="zone", columns="indicator", values="value")[codes]
    # decile = ceil(percent of zones at or below / 10), with scipy's percentileofscore (kind="weak")
    deciles = wide.apply(lambda c: c.map(lambda v: np.ceil(stats.percentileofscore(c, v, kind="weak") / 10)))
    expected = deciles.mean(axis=1)
    got = table.frame.set_index("code")["value"]
    assert np.allclose(got.loc[expected.index], expected)
    assert table.frame["score"].between(1, 10).all()
    assert set(table.frame.loc[table.frame["rank"] == 1, "value"]) == {expected.max()}
    contrib = table.frame[[c for c in table.frame.columns if c.startswith("bidrag:")]].sum(axis=1)
    assert np.allclose(contrib, table.frame["value"])


def test_spec_versions_and_stored_runs(demo: Context, tmp_path: Path) -> None:
    a = compute_index(demo, "oslo-levekar", "2024")
    b = compute_index(demo, "oslo-levekar", "2023")
    assert a.version == b.version == 1
    text = (Path(__file__).resolve().parents[2] / "src/nabolag/specs/oslo-levekar.yaml").read_text()
    changed = tmp_path / "oslo.yaml"
    changed.write_text(text.replace("{indicator: lavinntekt, weight: 1}", "{indicator: lavinntekt, weight: 2}"))
    c = compute_index(demo, str(changed), "2024")
    assert c.version == 2 and "vekt 2" in c.method_text()
    with demo.store.read() as conn:
        runs = list_runs(conn)
    assert [(r["name"], r["version"], r["period"]) for r in runs[-3:]] == [
        ("oslo-levekar", 1, "2024"), ("oslo-levekar", 1, "2023"), ("oslo-levekar", 2, "2024")]


def test_missing_data_is_named(demo: Context) -> None:
    # Sentrum-like zones without figures: remove one zone's figure by asking for a period with partial data
    table = compute_index(demo, parse_spec(
        "name: t\nmax_missing: 0\ncomponents:\n - {indicator: lavinntekt}\n - {indicator: befolkning}\n", "t"),
        "2024")
    # befolkning exists only for 2019: every zone lacks it in 2024, so no zone gets an index
    assert table.frame["value"].isna().all()
    assert table.missing["0301101001"] == ["befolkning"]
    assert "mangler data" in table.method_text()


def test_unknown_indicator_and_bad_spec(demo: Context) -> None:
    with pytest.raises(InputError, match="ukjente indikatorer: finnes_ikke"):
        compute_index(demo, parse_spec("name: x\ncomponents:\n - {indicator: finnes_ikke}\n", "x"), "2024")
    with pytest.raises(InputError, match="normalisation"):
        parse_spec("name: x\nnormalisation: magic\ncomponents:\n - {indicator: a}\n", "x")
    with pytest.raises(InputError, match="vekten"):
        parse_spec("name: x\ncomponents:\n - {indicator: a, weight: -1}\n", "x")


def test_geopackage_opens_with_attributes(demo: Context, tmp_path: Path) -> None:
    table = compute_index(demo, "ssb-levekar", "2024")
    out = write_index(demo, table, tmp_path / "indeks.gpkg")
    gdf = gpd.read_file(out, layer="indeks")
    assert len(gdf) == 96 and gdf.crs.to_epsg() == 4326
    assert {"code", "name", "value", "score", "rank", "bidrag_sosialhjelp"} <= set(gdf.columns)
    ammerud = gdf[gdf["code"] == "0301101001"].iloc[0]
    assert ammerud["value"] == pytest.approx(table.frame.set_index("code").loc["0301101001", "value"])
    assert not list(tmp_path.glob("*.part*"))


def test_cli_index(db_url: str, demo: Context, tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["--database", db_url, "index", "--spec", "ssb-levekar", "--period", "2024",
                                 "--output", str(tmp_path / "i.csv")])
    assert result.exit_code == 0, result.output
    assert "decile-score" in result.output and "Vestli" in result.output
    assert len(pd.read_csv(tmp_path / "i.csv")) == 96
    bad = runner.invoke(app, ["--database", db_url, "index", "--spec", "nope", "--period", "2024"])
    assert bad.exit_code == 2 and "oslo-levekar" in bad.output


def test_index_on_real_baerum_shares(ctx: Context, shared: Path) -> None:
    """Real SSB figures: immigrant shares per grunnkrets; min-max index checked against pandas."""
    import_zones(ctx, shared / "baerum" / "grunnkretser.geojson",
                 ZoneOptions(code_field="grunnkretsnummer", name_field="grunnkretsnavn", level="grunnkrets"))
    define_indicators(ctx, [Indicator(code=c, name_nb=c, unit="prosent", direction=Direction.LOWER_IS_BETTER)
                            for c in ("western-share", "non-western-share")])
    data = json.loads((shared / "baerum" / "immigrants.json").read_text())
    rows = [{"zone": k, "indicator": c, "period": "2018", "value": str(v[c])}
            for k, v in data.items() if not k.endswith("9999") for c in ("western-share", "non-western-share")]
    observations.load_frame(ctx, pd.DataFrame(rows), symbols={"-": observations.Status.CONFIDENTIAL})
    spec = parse_spec("name: innvandring\nnormalisation: minmax\nmax_missing: 0\ncomponents:\n"
                      " - {indicator: western-share}\n - {indicator: non-western-share}\n", "t")
    table = compute_index(ctx, spec, "2018", level="grunnkrets")
    frame = pd.DataFrame({k: {c: (np.nan if v[c] == "-" else v[c]) for c in ("western-share", "non-western-share")}
                          for k, v in data.items() if not k.endswith("9999")}).T.astype(float)
    mm = (frame - frame.min()) / (frame.max() - frame.min())
    expected = mm.mean(axis=1, skipna=False)
    got = table.frame.set_index("code")["value"].loc[expected.index]
    assert np.allclose(got, expected.round(4), equal_nan=True)
    # zones whose share SSB suppressed («-») are listed as missing, not dropped
    suppressed = [k for k, v in data.items() if v["non-western-share"] == "-" and not k.endswith("9999")]
    assert suppressed and all("non-western-share" in table.missing[k] for k in suppressed)


def test_population_weighting_and_distance_to_reference(demo: Context) -> None:
    """Population-weighted deciles use the befolkning figures; distance-to-reference divides by the city."""
    from nabolag.analysis.normalise import decile_score

    weighted = compute_index(demo, parse_spec(
        "name: w\npopulation_weighting: true\ncomponents:\n - {indicator: sosialhjelp}\n", "w"), "2024", save=False)
    obs = observations.query(demo, indicators=["sosialhjelp"], level="delbydel", periods=["2024"], groups="")
    pop = observations.query(demo, indicators=["befolkning"], level="delbydel", groups="").set_index("zone")["value"]
    v = obs.set_index("zone")["value"]
    expected = decile_score(v.to_numpy(), weights=pop.loc[v.index].to_numpy())
    got = weighted.frame.set_index("code").loc[v.index, "desil:sosialhjelp"].to_numpy()
    assert np.array_equal(got, expected)
    # by hand: a zone's share of people at or below decides its decile
    order = v.sort_values().index
    share = pop.loc[order].cumsum() / pop.loc[order].sum()
    assert np.array_equal(np.ceil(np.round(10 * share, 9)).loc[v.index].to_numpy(), expected)

    ratio = compute_index(demo, parse_spec(
        "name: r\nnormalisation: distance-to-reference\ncomponents:\n - {indicator: sosialhjelp}\n", "r"), "2024",
        save=False)
    city = observations.query(demo, indicators=["sosialhjelp"], zones=["0301"], periods=["2024"])["value"].iloc[0]
    assert ratio.frame.set_index("code").loc["0301101001", "value"] == pytest.approx(v["0301101001"] / city, abs=1e-4)

"""Survey results on the demo: observations with method survey, n and intervals, small-cell protection,
the radar of Groruddalen against Oslo, change between 2019 and 2024, and paper import that names each
bad cell and writes nothing."""

from __future__ import annotations

import pytest

from nabolag.errors import InputError
from nabolag.services import observations
from nabolag.services.context import Context
from nabolag.services.export import published
from nabolag.services.indicators import get_indicator
from nabolag.services.survey_import import import_paper_csv
from nabolag.services.survey_results import compare_rounds, radar
from nabolag.services.survey_submit import counts


@pytest.fixture
def demo(demo_ctx: Context) -> Context:
    return demo_ctx


def test_results_are_observations_with_n_and_intervals(demo: Context) -> None:
    ind = get_indicator(demo, "innbyggerundersokelse_trygg_kveld")
    assert (str(ind.method), ind.unit, ind.synthetic) == ("survey", "prosent", True)
    obs = observations.query(demo, indicators=["innbyggerundersokelse_trygg_kveld"], periods=["2019"])
    area = obs[(obs["area"] == "groruddalen") & (obs["groups"] == "")].iloc[0]
    assert area["n"] == 168 and area["ci_low"] < area["value"] < area["ci_high"]
    assert {"gender=female", "gender=male", "age=15-24"} <= set(obs["groups"])
    shown = published(demo, obs[obs["groups"].str.startswith("age=")])
    assert (shown["status"] == "suppressed").any()  # small age groups in one zone are hidden
    assert shown.loc[shown["status"] == "suppressed", "value"].isna().all()


def test_radar_and_change_between_rounds(demo: Context) -> None:
    chart = radar(demo, "innbyggere-2024", "groruddalen", "0301")
    assert "trygg_kveld" in chart["themes"] and chart["unit"] == "prosent"
    places = {v["place"] for v in chart["values"]}
    assert places == {"area", "city"} and all(v["value"] is not None for v in chart["values"])
    ch = compare_rounds(demo, "innbyggere-2019", "innbyggere-2024")
    row = ch[(ch["indicator"] == "innbyggerundersokelse_trygg_kveld") & (ch["place"] == "groruddalen")].iloc[0]
    assert row["method"] == "newcombe" and row["ci_low"] < row["change"] < row["ci_high"]
    assert row["change"] > 0  # the synthetic follow-up was made better in Groruddalen


def test_paper_import_names_each_bad_cell_and_writes_nothing(demo: Context, tmp_path) -> None:
    before = counts(demo, "innbyggere-2024").total
    bad = tmp_path / "papir.csv"
    bad.write_text("zone;trygg_dag;trygg_kveld;naar_park\n0301101001;4;9;kveld;helg\n9999;x;3;kino\n",
                   encoding="utf-8")
    with pytest.raises(InputError) as caught:
        import_paper_csv(demo, "innbyggere-2024", bad)
    where = {(p.row, p.field) for p in caught.value.problems}
    assert {(2, "trygg_kveld"), (3, "zone"), (3, "trygg_dag"), (3, "naar_park")} <= where
    assert counts(demo, "innbyggere-2024").total == before
    good = tmp_path / "papir_ok.csv"
    good.write_text("zone;trygg_dag;trygg_kveld;naar_park;kjonn\n0301101001;4;3;kveld;female\n;5;5;;\n",
                    encoding="utf-8")
    assert import_paper_csv(demo, "innbyggere-2024", good) == 2
    assert counts(demo, "innbyggere-2024").total == before + 2

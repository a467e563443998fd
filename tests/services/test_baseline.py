"""Baseline and change on the Oslo demo: the numbers against an independent pandas + scipy computation,
the demo's invented programme effect found by difference-in-differences, a frozen baseline that later
data does not move, suppression, permissions and errors."""

from __future__ import annotations

import json
import math
from dataclasses import replace
from pathlib import Path
from statistics import NormalDist

import pandas as pd
import pytest
from scipy import stats
from sqlalchemy import select

from nabolag.demo import AREA_CODE, AREA_ZONES, COMPARISON_ZONES
from nabolag.domain.indicators import Direction, Indicator
from nabolag.domain.zones import Area, Level, Zone
from nabolag.errors import ConflictError, InputError, NotFoundError, PermissionDenied
from nabolag.ingest.zones import ZoneOptions
from nabolag.services import Context, observations
from nabolag.services.baseline import compare, create_baseline, list_baselines, show_baseline, write_change
from nabolag.services.indicators import define_indicators, get_indicator
from nabolag.services.zones import define_zones, import_zones, save_area
from nabolag.store.tables import audit

Z = NormalDist().inv_cdf(0.975)  # the standard library, not scipy


@pytest.fixture
def demo(bare_demo_ctx: Context) -> Context:
    return bare_demo_ctx  # the demo without its baseline: these tests create their own


def _pooled(ctx: Context, indicator: str, period: str, zones: tuple[str, ...]) -> tuple[float, float]:
    """Σ numerator, Σ denominator straight from the stored observations."""
    obs = observations.query(ctx, indicators=[indicator], zones=list(zones), periods=[period], groups="")
    assert sorted(obs["zone"]) == sorted(zones)
    return float(obs["numerator"].sum()), float(obs["denominator"].sum())


def _blank(*values: object) -> bool:
    return all(pd.isna(v) for v in values)  # type: ignore[arg-type]


def _row(frame: pd.DataFrame, indicator: str) -> dict[str, object]:
    [row] = frame[frame["indicator"] == indicator].to_dict("records")
    return row


def test_baseline_values_equal_an_independent_computation(demo: Context) -> None:
    view = create_baseline(demo, AREA_CODE, period="2018", label="nullpunkt")
    assert view.label == "nullpunkt" and view.as_of == "2018"
    assert set(view.member_zones) == set(AREA_ZONES) and set(view.comparison_zones) == set(COMPARISON_ZONES)
    assert "befolkning" in view.skipped  # population is only there for 2019: not before the baseline date
    for code in ("sosialhjelp", "lavinntekt", "dodelighet_55_79"):
        row = _row(view.frame, code)
        assert row["period"] == "2018"
        k, n = _pooled(demo, code, "2018", AREA_ZONES)
        ck, cn = _pooled(demo, code, "2018", COMPARISON_ZONES)
        assert (row["numerator"], row["denominator"]) == (k, n)
        assert (row["comparison_numerator"], row["comparison_denominator"]) == (ck, cn)
        if code == "dodelighet_55_79":  # per 1000: exact Poisson, here from chi-square quantiles (Garwood)
            assert row["kind"] == "rate" and row["method"] == "poisson-exact"
            assert row["value"] == pytest.approx(k / n * 1000)
            assert row["ci_low"] == pytest.approx(stats.chi2.ppf(0.025, 2 * k) / 2 / n * 1000)
            assert row["ci_high"] == pytest.approx(stats.chi2.ppf(0.975, 2 * k + 2) / 2 / n * 1000)
        else:  # percent: Wilson, here from scipy's binomtest
            ci = stats.binomtest(int(k), int(n)).proportion_ci(method="wilson")
            assert row["kind"] == "proportion" and row["method"] == "wilson"
            assert row["value"] == pytest.approx(k / n * 100)
            assert (row["ci_low"], row["ci_high"]) == pytest.approx((ci.low * 100, ci.high * 100))
            cci = stats.binomtest(int(ck), int(cn)).proportion_ci(method="wilson")
            assert (row["comparison_ci_low"], row["comparison_ci_high"]) == pytest.approx(
                (cci.low * 100, cci.high * 100))


def test_change_to_2024_finds_the_programme_effect_by_difference_in_differences(demo: Context) -> None:
    create_baseline(demo, AREA_CODE, period="2018")
    table = compare(demo, AREA_CODE, latest_period="2024")
    # the demo's invented programme effect (demo_data.PROGRAMME_EFFECT) shows against the comparison zones
    for code in ("sosialhjelp", "lavinntekt", "ikke_sysselsatt"):
        row = _row(table.frame, code)
        assert (row["verdict"], row["did_verdict"]) == ("improved", "improved"), code
        assert row["did_verdict_text"] == "bedre"
    # independent DiD for sosialhjelp: pandas sums, variances p(1-p)/n by hand, z from the standard library
    p = {(where, year): _pooled(demo, "sosialhjelp", year, zones)
         for where, zones in (("a", AREA_ZONES), ("c", COMPARISON_ZONES)) for year in ("2018", "2024")}
    share = {key: k / n for key, (k, n) in p.items()}
    did = ((share["a", "2024"] - share["a", "2018"]) - (share["c", "2024"] - share["c", "2018"])) * 100
    se = math.sqrt(sum(share[key] * (1 - share[key]) / p[key][1] for key in p)) * 100
    row = _row(table.frame, "sosialhjelp")
    assert row["did"] == pytest.approx(did)
    assert (row["did_ci_low"], row["did_ci_high"]) == pytest.approx((did - Z * se, did + Z * se))
    assert row["comparison_change"] == pytest.approx((share["c", "2024"] - share["c", "2018"]) * 100)
    # city-wide improvement is not the programme's: some indicators improve in the area, but no more than in
    # the comparison zones (demo_data gives them no programme effect)
    shared_trend = table.frame[(table.frame["verdict"] == "improved") & (table.frame["did_verdict"] != "improved")]
    assert {"arbeidsledighet", "lav_utdanning"} <= set(shared_trend["indicator"])
    assert not set(table.frame[table.frame["did_verdict"] == "improved"]["indicator"]) - {
        "sosialhjelp", "lavinntekt", "ikke_sysselsatt"}


def test_change_interval_matches_newcombe_by_hand(demo: Context) -> None:
    create_baseline(demo, AREA_CODE, period="2018")
    row = _row(compare(demo, AREA_CODE, latest_period="2024").frame, "sosialhjelp")
    (k0, n0), (k1, n1) = _pooled(demo, "sosialhjelp", "2018", AREA_ZONES), _pooled(demo, "sosialhjelp", "2024",
                                                                                   AREA_ZONES)
    w0 = stats.binomtest(int(k0), int(n0)).proportion_ci(method="wilson")
    w1 = stats.binomtest(int(k1), int(n1)).proportion_ci(method="wilson")
    p0, p1 = k0 / n0, k1 / n1
    assert row["latest_period"] == "2024" and row["change"] == pytest.approx((p1 - p0) * 100)
    assert row["change_ci_low"] == pytest.approx((p1 - p0 - math.hypot(p1 - w1.low, w0.high - p0)) * 100)
    assert row["change_ci_high"] == pytest.approx((p1 - p0 + math.hypot(w1.high - p1, p0 - w0.low)) * 100)


def test_latest_period_can_be_chosen_and_defaults_to_the_newest(demo: Context) -> None:
    create_baseline(demo, AREA_CODE, period="2018-06-30")  # a date: 2018 has not ended, 2017 is used
    assert set(show_baseline(demo, AREA_CODE).frame["period"]) == {"2017"}
    assert set(compare(demo, AREA_CODE, latest_period="2021").frame["latest_period"]) == {"2021"}
    assert set(compare(demo, AREA_CODE).frame["latest_period"]) == {"2024"}
    same = compare(demo, AREA_CODE, latest_period="2017")
    assert (same.frame["verdict"] == "").all() and same.frame["note"].str.contains("ingen nyere").all()


def test_a_frozen_baseline_does_not_change_when_data_is_replaced(demo: Context) -> None:
    before = create_baseline(demo, AREA_CODE, period="2018", label="a").frame
    obs = observations.query(demo, indicators=["sosialhjelp"], zones=[AREA_ZONES[0]], periods=["2018"], groups="")
    changed = obs[["indicator", "zone", "period"]].assign(numerator=obs["numerator"] + 100,
                                                         denominator=obs["denominator"],
                                                         value=(obs["numerator"] + 100) / obs["denominator"] * 100)
    observations.load_frame(demo, changed, replace=True, file_name="rettelse.csv")
    pd.testing.assert_frame_equal(show_baseline(demo, AREA_CODE, "a").frame, before)
    again = create_baseline(demo, AREA_CODE, period="2018", label="b").frame
    assert _row(again, "sosialhjelp")["numerator"] == _row(before, "sosialhjelp")["numerator"] + 100
    assert _row(compare(demo, AREA_CODE, label="a").frame, "sosialhjelp")["baseline_value"] == _row(
        before, "sosialhjelp")["value"]
    # the area's zones may change; the baseline keeps the zones it was frozen with
    area = replace(demo_area := [a for a in _areas(demo) if a.code == AREA_CODE][0],
                   zone_codes=demo_area.zone_codes[:2])
    save_area(demo, area)
    assert set(show_baseline(demo, AREA_CODE, "a").member_zones) == set(AREA_ZONES)
    assert [b["label"] for b in list_baselines(demo, AREA_CODE)] == ["a", "b"]


def _areas(ctx: Context) -> list[Area]:
    from nabolag.services.zones import list_areas

    return list_areas(ctx)


def test_create_is_audited_and_labels_are_unique(demo: Context) -> None:
    create_baseline(demo, AREA_CODE, period="2018", label="nullpunkt 2018")
    with demo.store.read() as conn:
        [entry] = conn.execute(select(audit).where(audit.c.object_type == "baseline")).mappings().all()
    assert entry["action"] == "create" and entry["actor"] == "test"
    assert entry["object_key"] == f"{AREA_CODE}:nullpunkt 2018"
    assert json.loads(entry["details"])["indicators"] == 12
    with pytest.raises(ConflictError, match="nullpunkt 2018"):
        create_baseline(demo, AREA_CODE, period="2019", label="nullpunkt 2018")


def test_a_viewer_cannot_create_a_baseline(demo: Context) -> None:
    viewer = Context(settings=demo.settings, store=demo.store, actor="guest", role="viewer")
    with pytest.raises(PermissionDenied):
        create_baseline(viewer, AREA_CODE, period="2018")
    create_baseline(demo, AREA_CODE, period="2018")
    assert len(compare(viewer, AREA_CODE).frame) == 12  # reading is allowed


def test_unknown_area_bad_period_and_missing_baseline(demo: Context) -> None:
    for call in (lambda: create_baseline(demo, "atlantis"), lambda: show_baseline(demo, "atlantis"),
                 lambda: compare(demo, "atlantis")):
        with pytest.raises(NotFoundError, match="atlantis"):
            call()
    with pytest.raises(NotFoundError, match="nabolag baseline create"):
        compare(demo, AREA_CODE)
    with pytest.raises(InputError, match="20x8"):
        create_baseline(demo, AREA_CODE, period="20x8")
    with pytest.raises(InputError, match="groruddalen"):
        create_baseline(demo, AREA_CODE, period="1990")  # no data that early: nothing is stored
    assert list_baselines(demo, AREA_CODE) == []


def test_published_numbers_respect_suppression(demo: Context) -> None:
    create_baseline(demo, AREA_CODE, period="2018")
    ind = get_indicator(demo, "sosialhjelp")
    define_indicators(demo, [replace(ind, suppression_threshold=2000)])  # the area's 1998 cases are now "small"
    shown = _row(show_baseline(demo, AREA_CODE).frame, "sosialhjelp")
    assert _blank(shown["value"], shown["numerator"], shown["ci_low"])
    assert "færre enn 2000" in str(shown["suppressed"])
    row = _row(compare(demo, AREA_CODE, latest_period="2024").frame, "sosialhjelp")
    assert _blank(row["baseline_value"], row["change"], row["did"])
    assert row["baseline_period"] == "2018" and row["verdict"] == "improved"  # the verdict stays
    assert "nullpunkt" in str(row["suppressed"])
    # the same, for programs (the reports test these, not the translated text): which figures were hidden
    assert shown["suppressed_parts"] == "baseline,comparison"  # the area report hides the comparison by this
    assert str(row["suppressed_parts"]).split(",") == ["baseline", "latest", "comparison_baseline", "comparison_latest"]
    assert "sammenligning siste" in str(row["suppressed"])  # the text names the same four (threshold 2000)
    untouched = _row(compare(demo, AREA_CODE, latest_period="2024").frame, "lavinntekt")
    assert untouched["suppressed"] == "" and not _blank(untouched["baseline_value"])
    assert untouched["suppressed_parts"] == ""


def test_area_figures_without_counts_have_unknown_uncertainty(demo: Context) -> None:
    """Survey-like figures stored for the area itself: without counts or an interval the uncertainty is
    unknown (no invented interval); with a stored interval the change uses MOVER; small counts are
    suppressed with the default threshold (settings.suppression_threshold = 5)."""
    define_indicators(demo, [
        Indicator("trygghet", "Trygghet om kvelden", unit="poeng", direction=Direction.HIGHER_IS_BETTER),
        Indicator("trygghet_ki", "Trygghet (med KI)", unit="poeng", direction=Direction.HIGHER_IS_BETTER),
        Indicator("styreverv", "Andel med styreverv", unit="prosent", direction=Direction.HIGHER_IS_BETTER)])
    frame = pd.DataFrame({
        "indicator": ["trygghet", "trygghet", "trygghet_ki", "trygghet_ki", "styreverv", "styreverv"],
        "area": [AREA_CODE] * 6, "period": ["2018", "2024"] * 3, "value": [3.1, 3.6, 3.1, 3.6, 7.5, 26.67],
        "ci_low": [None, None, 2.9, 3.4, None, None], "ci_high": [None, None, 3.3, 3.8, None, None],
        "numerator": [None, None, None, None, 3, 12], "denominator": [None, None, None, None, 40, 45]})
    observations.load_frame(demo, frame, file_name="undersøkelse.csv")
    create_baseline(demo, AREA_CODE, period="2018")
    table = compare(demo, AREA_CODE, latest_period="2024")
    plain, with_ci, board = (_row(table.frame, c) for c in ("trygghet", "trygghet_ki", "styreverv"))
    assert plain["baseline_value"] == 3.1 and plain["latest_value"] == 3.6
    assert plain["change"] == pytest.approx(0.5) and _blank(plain["change_ci_low"])
    assert plain["verdict"] == "unknown" and plain["verdict_text"] == "usikkerhet ukjent"
    assert _blank(plain["did"]) and "sammenligning" in str(plain["note"])  # no zones to compare with
    # MOVER by hand: 0.5 ± sqrt(0.2² + 0.2²)
    assert (with_ci["change_ci_low"], with_ci["change_ci_high"]) == pytest.approx((0.5 - 0.08 ** 0.5, 0.5 + 0.08 ** 0.5))
    assert with_ci["change_method"] == "mover" and with_ci["verdict"] == "improved"
    assert _blank(board["baseline_value"]) and "færre enn 5" in str(board["suppressed"])
    assert board["latest_value"] == pytest.approx(12 / 45 * 100)


def test_real_baerum_counts_as_an_area_baseline(ctx: Context, shared: Path) -> None:
    """Real SSB counts: non-western immigrants in the grunnkretser of one Bærum delområde, pooled into an
    area; its Wilson interval checked against scipy on the summed counts read from the JSON file."""
    import_zones(ctx, shared / "baerum" / "grunnkretser.geojson",
                 ZoneOptions(code_field="grunnkretsnummer", name_field="grunnkretsnavn", level="grunnkrets"))
    data = json.loads((shared / "baerum" / "immigrants.json").read_text(encoding="utf-8"))
    known = {z for z in data if z.startswith("021901")}
    cells = {c: r for c, r in data.items() if c in known and "-" not in r.values() and r["western-share"]}
    zones_in_db = {z.code for z in _zones(ctx)}
    members = tuple(sorted(c for c in cells if c in zones_in_db))[:4]
    others = tuple(sorted(c for c in cells if c in zones_in_db))[4:8]
    assert len(members) == 4 and len(others) == 4
    define_indicators(ctx, [Indicator("ikke_vestlige", "Ikke-vestlige innvandrere", unit="prosent")])
    rows = []
    for code in (*members, *others):
        r = cells[code]
        total = round(r["western-count"] * 100 / r["western-share"])
        rows.append({"indicator": "ikke_vestlige", "zone": code, "period": "2017", "numerator": r["non-western-count"],
                     "denominator": total, "value": r["non-western-count"] / total * 100})
    observations.load_frame(ctx, pd.DataFrame(rows), file_name="immigrants.json")
    save_area(ctx, Area(code="baerum-test", name="Bærum 0219-01", zone_codes=members, comparison_codes=others))
    row = _row(create_baseline(ctx, "baerum-test").frame, "ikke_vestlige")
    k = sum(r["numerator"] for r in rows[:4])
    n = sum(r["denominator"] for r in rows[:4])
    ci = stats.binomtest(int(k), int(n)).proportion_ci(method="wilson")
    assert row["value"] == pytest.approx(k / n * 100)
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((ci.low * 100, ci.high * 100))


def _zones(ctx: Context) -> list[Zone]:
    from nabolag.services.zones import list_zones

    return list_zones(ctx, level=str(Level.GRUNNKRETS))


def test_write_change_csv_and_excel(demo: Context, tmp_path: Path) -> None:
    create_baseline(demo, AREA_CODE, period="2018")
    table = compare(demo, AREA_CODE, latest_period="2024")
    csv = pd.read_csv(write_change(demo, table, tmp_path / "endring.csv"))
    assert len(csv) == 12 and set(csv["area"]) == {AREA_CODE}
    assert csv.set_index("indicator").loc["sosialhjelp", "did_verdict"] == "improved"
    xlsx = pd.read_excel(write_change(demo, table, tmp_path / "endring.xlsx"), sheet_name=None)
    assert set(xlsx) == {"endring", "metode"} and "Newcombe" in xlsx["metode"].iloc[0, 0]
    with pytest.raises(InputError, match=".pdf"):
        write_change(demo, table, tmp_path / "endring.pdf")


def test_zone_without_data_in_a_period_is_not_pooled(ctx: Context) -> None:
    """A period where one member zone lacks data is skipped (pooling fewer zones would change the area)."""
    define_zones(ctx, [Zone(code=c, name=c, level=Level.DELBYDEL) for c in ("z1", "z2", "z3")])
    define_indicators(ctx, [Indicator("andel", "Andel", unit="prosent", direction=Direction.LOWER_IS_BETTER)])
    frame = pd.DataFrame({"indicator": "andel", "zone": ["z1", "z2", "z1", "z2", "z1", "z3"],
                          "period": ["2019", "2019", "2020", "2020", "2021", "2021"],
                          "numerator": [10, 20, 12, 18, 9, 5], "denominator": [100, 200, 100, 200, 100, 50]})
    observations.load_frame(ctx, frame.assign(value=frame["numerator"] / frame["denominator"] * 100))
    save_area(ctx, Area(code="a", name="A", zone_codes=("z1", "z2"), comparison_codes=("z3",)))
    row = _row(create_baseline(ctx, "a").frame, "andel")
    assert row["period"] == "2020" and row["value"] == pytest.approx(30 / 300 * 100)
    assert "2021: mangler data for z2" in str(row["note"])
    assert _blank(row["comparison_value"]) and "z3" in str(row["note"])


def test_area_sum_is_hidden_when_it_would_reveal_a_hidden_zone(ctx: Context) -> None:
    """Ammerud's 3 cases are hidden (n < 5). Publishing the area's pooled value beside Romsås' figure
    would give them back (area − Romsås), so the pooled value is hidden too, with its reason."""
    import pandas as pd

    from nabolag.domain.indicators import Direction
    from nabolag.domain.indicators import Indicator as Ind
    from nabolag.domain.zones import Area, Level, Zone
    from nabolag.services.baseline import compare, create_baseline, show_baseline
    from nabolag.services.indicators import define_indicators
    from nabolag.services.observations import load_frame
    from nabolag.services.zones import define_zones, save_area

    define_zones(ctx, [Zone("030110", "Grorud", Level.BYDEL)] + [
        Zone(c, n, Level.DELBYDEL, parent_code="030110")
        for c, n in (("0301101001", "Ammerud"), ("0301101005", "Romsås"), ("0301101002", "Rødtvet"))])
    define_indicators(ctx, [Ind(code="andel", name_nb="Andel", unit="prosent", direction=Direction.LOWER_IS_BETTER)])
    save_area(ctx, Area(code="a", name="A", zone_codes=("0301101001", "0301101005"), comparison_codes=("0301101002",)))
    rows = []
    for period, small in (("2018", 3), ("2024", 40)):
        for zone, num in (("0301101001", small), ("0301101005", 60), ("0301101002", 50)):
            rows.append({"zone": zone, "indicator": "andel", "period": period, "numerator": str(num),
                         "denominator": "1000", "n": str(num), "value": str(num / 10)})
    load_frame(ctx, pd.DataFrame(rows))
    create_baseline(ctx, "a", period="2018", label="b")
    shown = show_baseline(ctx, "a", "b").frame.iloc[0]
    assert pd.isna(shown["value"]) and shown["suppressed"]
    change = compare(ctx, "a", label="b").frame.iloc[0]
    assert pd.isna(change["baseline_value"]) and pd.isna(change["change"]) and pd.isna(change["did"])
    assert change["latest_value"] == pytest.approx(5.0)  # 2024: (40 + 60) / 2000 = 5 %, nothing hidden

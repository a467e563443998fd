"""Small-cell protection: primary and secondary suppression and rounding, checked on tables worked out by hand
and, for secondary suppression, against an attacker written out independently (no use of the module's
equations)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from nabolag.analysis.suppress import (
    Equation,
    group_equations,
    hierarchy_equations,
    primary_suppression,
    round_to_base,
    secondary_suppression,
    small_cell_protection,
)


def test_below_the_threshold_is_suppressed_and_at_it_is_not() -> None:
    n = np.array([0, 1, 4, 5, 6, 100, np.nan])
    assert primary_suppression(n, 5).tolist() == [True, True, True, False, False, False, False]


def test_a_threshold_per_cell() -> None:
    # Indicator thresholds differ: trygghet 10, the default 5, an indicator with 0 (publish everything).
    n = np.array([8, 8, 8, np.nan])
    thresholds = np.array([10, 5, 0, 10])
    assert primary_suppression(n, thresholds).tolist() == [True, False, False, False]


@given(st.lists(st.one_of(st.integers(0, 1000), st.none()), max_size=50), st.integers(0, 20))
def test_same_as_a_plain_loop(counts: list[int | None], threshold: int) -> None:
    # Independent: the rule spelled out one cell at a time.
    expected = [c is not None and c < threshold for c in counts]
    n = np.array([np.nan if c is None else c for c in counts], dtype=float)
    assert primary_suppression(n, threshold).tolist() == expected


# Grorud (030110) and three of its delbydeler (real codes); the counts are made up for the example and add up.
GRORUD = pd.DataFrame({"indicator": "sosialhjelp", "period": "2023", "groups": "",
                       "place": ["030110", "0301101001", "0301101002", "0301101005"],
                       "value": [60.0, 3.0, 40.0, 17.0], "n": [60.0, 3.0, 40.0, 17.0]})
EDGES = [("030110", "0301101001"), ("030110", "0301101002"), ("030110", "0301101005")]


def _recoverable_from_parent(table: pd.DataFrame, hidden: np.ndarray, parent: str) -> dict[str, float]:
    """What an attacker gets from «parent minus the published children»: the value of a hidden child if it is
    the only one hidden (written out here, not taken from the module)."""
    rows = table.set_index("place")
    hidden_at = dict(zip(table["place"], hidden, strict=True))
    children = [c for p, c in EDGES if p == parent]
    if hidden_at[parent]:
        return {}
    unknown = [c for c in children if hidden_at[c]]
    if len(unknown) != 1:
        return {}
    return {unknown[0]: rows.loc[parent, "value"] - sum(rows.loc[c, "value"] for c in children if not hidden_at[c])}


def test_a_parent_with_three_children_one_small_gets_one_more_child_hidden() -> None:
    primary = primary_suppression(GRORUD["n"].to_numpy(), 5)
    assert primary.tolist() == [False, True, False, False]
    # Without the secondary step Ammerud's 3 is recovered exactly: 60 - 40 - 17.
    assert _recoverable_from_parent(GRORUD, primary, "030110") == {"0301101001": 3.0}
    out = small_cell_protection(GRORUD, 5, EDGES)
    # The smallest other child by n (Romsås, 17) is hidden too; Grorud and Rødtvet stay published.
    assert out["suppressed"].tolist() == [False, True, False, True]
    assert out["reason"].tolist() == ["", "primary: n<5", "", "secondary: complement of 0301101001 in 030110"]
    # Now 60 - 40 = 20 is the sum of two hidden cells: neither is recovered.
    assert _recoverable_from_parent(GRORUD, out["suppressed"].to_numpy(), "030110") == {}


def test_groups_female_male_total() -> None:
    t = pd.DataFrame({"indicator": "uforetrygd", "place": "0301101001", "period": "2023",
                      "groups": ["", "gender=female", "gender=male"], "n": [30.0, 4.0, 26.0]})
    out = small_cell_protection(t, 5)
    # female = 4 < 5; with the total (30) and male (26) published it would be 30 - 26: male goes too.
    assert out["suppressed"].tolist() == [False, True, True]
    assert out["reason"].tolist() == ["", "primary: n<5", "secondary: complement of gender=female in total"]


def test_two_variables_each_sums_to_its_own_total() -> None:
    groups = ["", "age=0-17", "age=18+", "age=0-17;gender=female", "age=0-17;gender=male"]
    t = pd.DataFrame({"indicator": "x", "place": "0301", "period": "2023", "groups": groups,
                      "n": [100.0, 10.0, 90.0, 3.0, 7.0]})
    equations = {(e.total_label, e.part_labels) for e in group_equations(t)}
    assert equations == {("total", ("age=0-17", "age=18+")),
                         ("age=0-17", ("age=0-17;gender=female", "age=0-17;gender=male"))}
    out = small_cell_protection(t, 5)
    # girls 3 < 5 → boys (the only other part of «age=0-17»); no other equation has a single hidden cell.
    assert out["suppressed"].tolist() == [False, False, False, True, True]
    assert out["reason"].iloc[4] == "secondary: complement of age=0-17;gender=female in age=0-17"


def test_zones_and_groups_together_until_nothing_leaks() -> None:
    # Grorud and two delbydeler, each with female/male/total. Ammerud's women (n 2) are hidden first.
    rows = []
    for place, female, male in (("030110", 52, 48), ("0301101001", 2, 18), ("0301101002", 50, 30)):
        rows += [(place, "", female + male), (place, "gender=female", female), (place, "gender=male", male)]
    t = pd.DataFrame(rows, columns=["place", "groups", "n"]).assign(indicator="x", period="2023")
    edges = [("030110", "0301101001"), ("030110", "0301101002")]
    primary = primary_suppression(t["n"].to_numpy(), 5)
    assert _leaks(t.assign(hidden=primary), edges) == ["('0301101001', 'gender=female') from ('030110', 'gender=female')",
                                                       "('0301101001', 'gender=female') from ('0301101001', '')"]
    out = small_cell_protection(t, 5, edges).set_index(t["place"] + "|" + t["groups"])
    hidden = set(out.index[out["suppressed"]])
    # By hand: Ammerud women (primary) → Ammerud men (its group) and Rødtvet women (its zone equation); then
    # Rødtvet men (Rødtvet's group) and, for Grorud's men = Ammerud men + Rødtvet men, that pair is hidden
    # already: the four cells of the two delbydeler's gender rows. The totals stay.
    assert hidden == {"0301101001|gender=female", "0301101001|gender=male", "0301101002|gender=female",
                      "0301101002|gender=male"}
    assert _leaks(t.assign(hidden=out["suppressed"].to_numpy()), edges) == []


def test_a_parent_with_one_child_is_hidden_with_it() -> None:
    t = pd.DataFrame({"indicator": "x", "period": "2023", "groups": "", "place": ["P", "C"], "n": [3.0, 3.0]})
    t.loc[0, "n"] = np.nan  # the parent's n unknown: only the child is primary
    out = small_cell_protection(t, 5, [("P", "C")])
    assert out["suppressed"].tolist() == [True, True]
    assert out["reason"].tolist() == ["secondary: complement of C in P", "primary: n<5"]


def test_a_hidden_total_hides_a_part() -> None:
    # The source hid the total (SSB «:»); with both parts published it is their sum.
    t = pd.DataFrame({"indicator": "x", "period": "2023", "place": "Z", "groups": ["", "g=a", "g=b"],
                      "n": [np.nan, 12.0, 9.0]})
    out = small_cell_protection(t, 5, hidden_at_source=np.array([True, False, False]))
    assert out["suppressed"].tolist() == [True, False, True]
    assert out["reason"].tolist() == ["source: confidential", "", "secondary: part of hidden total total"]


def test_a_missing_cell_already_protects() -> None:
    # Rødtvet is not available (no value): 60 - 17 = 3 + Rødtvet's unknown value, nothing more to hide.
    missing = np.array([False, False, True, False])
    out = small_cell_protection(GRORUD, 5, EDGES, missing=missing)
    assert out["suppressed"].tolist() == [False, True, False, False]


def test_same_cells_whatever_the_row_order() -> None:
    t = pd.concat([GRORUD.assign(period=p) for p in ("2022", "2023")], ignore_index=True)
    t["n"] = [60, 3, 17, 17, 60, 30, 15, 15]  # 2022: Rødtvet and Romsås tie at 17
    keys = (t["period"] + " " + t["place"]).tolist()
    base = small_cell_protection(t, 5, EDGES)
    # 2022: Ammerud (3) primary, then of the tied 17s the first code (Rødtvet 0301101002). 2023: nothing small.
    assert {k for k, h in zip(keys, base["suppressed"], strict=True) if h} == {"2022 0301101001", "2022 0301101002"}
    for seed in range(5):
        shuffled = t.sample(frac=1, random_state=seed)
        again = small_cell_protection(shuffled, 5, EDGES)
        assert dict(zip([keys[i] for i in shuffled.index], again["suppressed"], strict=True)) == \
            dict(zip(keys, base["suppressed"], strict=True))


def test_equations_from_a_hierarchy_skip_parents_without_rows() -> None:
    t = GRORUD[GRORUD["place"] != "030110"]
    assert hierarchy_equations(t, EDGES) == []
    eq = hierarchy_equations(GRORUD, EDGES)[0]
    assert eq == Equation(0, (1, 2, 3), "030110", ("0301101001", "0301101002", "0301101005"))


def test_rounding_to_base_5_by_hand() -> None:
    # 1, 2 → 0; 3, 4, 5, 6, 7 → 5; 7.5 → 10 (halves up); 12 → 10; 13 → 15; 3102 → 3100.
    x = np.array([1, 2, 3, 4, 5, 6, 7, 7.5, 12, 13, 3102, np.nan])
    assert round_to_base(x, 5).tolist()[:-1] == [0, 0, 5, 5, 5, 5, 5, 10, 10, 15, 3100]
    assert np.isnan(round_to_base(x, 5)[-1])
    assert round_to_base(np.array([12.0, 17.0]), 10).tolist() == [10.0, 20.0]
    assert round_to_base(np.array([12.0]), 1).tolist() == [12.0]  # base 1: as is


def test_secondary_leaves_a_table_without_hidden_cells_alone() -> None:
    mask, why = secondary_suppression(np.zeros(4, bool), hierarchy_equations(GRORUD, EDGES), GRORUD["n"].to_numpy())
    assert not mask.any() and set(why) == {""}


# --- property: no single equation of the published table gives back a hidden cell -----------------------

def _leaks(t: pd.DataFrame, edges: list[tuple[str, str]]) -> list[str]:
    """Every hidden cell an attacker recomputes from one equation: parent minus published children (or
    children summed for a hidden parent), and the same across the categories of ``gender``. Written from
    the table's codes, independently of the module's equation builders."""
    hidden = {(r.place, r.groups): bool(r.hidden) for r in t.itertuples()}
    found = []
    families = [(parent, [c for p, c in edges if p == parent], g) for parent in {p for p, _ in edges}
                for g in {r.groups for r in t.itertuples()}]
    families += [(place, None, "") for place in {r.place for r in t.itertuples()}]
    for total_place, children, g in families:
        if children is not None:
            members = [(total_place, g)] + [(c, g) for c in children]
        else:
            members = [(total_place, "")] + [k for k in hidden if k[0] == total_place and k[1] != ""]
        members = [m for m in members if m in hidden]
        if len(members) < 2 or members[0] != (total_place, g if children is not None else ""):
            continue
        unknown = [m for m in members if hidden[m]]
        if len(unknown) == 1:
            found.append(f"{unknown[0]} from {members[0]}")
    return found


@st.composite
def _tables(draw: st.DrawFn) -> tuple[pd.DataFrame, list[tuple[str, str]]]:
    """A bydel with 1-4 delbydeler, each with 0-3 grunnkretser; every place with female/male/total counts
    that add up in both directions (counts 0-30 at the bottom)."""
    edges, leaves = [], []
    for i in range(draw(st.integers(1, 4))):
        d = f"D{i}"
        edges.append(("B", d))
        kids = [f"{d}K{j}" for j in range(draw(st.integers(0, 3)))]
        edges += [(d, k) for k in kids]
        leaves += kids or [d]
    counts = {leaf: (draw(st.integers(0, 30)), draw(st.integers(0, 30))) for leaf in leaves}

    def total(place: str) -> tuple[int, int]:
        if place in counts:
            return counts[place]
        parts = [total(c) for p, c in edges if p == place]
        return sum(f for f, _ in parts), sum(m for _, m in parts)

    rows = []
    for place in ["B"] + [c for _, c in edges]:
        f, m = total(place)
        rows += [(place, "", f + m), (place, "gender=female", f), (place, "gender=male", m)]
    t = pd.DataFrame(rows, columns=["place", "groups", "n"]).assign(indicator="x", period="2023")
    return t, edges


@settings(max_examples=300, deadline=None)
@given(_tables(), st.integers(1, 12))
def test_no_hidden_cell_is_recomputed_from_one_equation(drawn: tuple[pd.DataFrame, list[tuple[str, str]]],
                                                         threshold: int) -> None:
    t, edges = drawn
    out = small_cell_protection(t, threshold, edges)
    hidden = out["suppressed"].to_numpy()
    assert (hidden >= primary_suppression(t["n"].to_numpy(), threshold)).all()  # primary cells stay hidden
    assert _leaks(t.assign(hidden=hidden), edges) == []
    assert (out["reason"] != "").tolist() == hidden.tolist()  # every hidden cell says why

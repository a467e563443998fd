"""Small-cell protection on real figures: SSB's immigrant counts per grunnkrets in Asker and Bærum
(``../shared/data/baerum/immigrants.json``), which carry SSB's own suppression marks («-»).

The file holds, per grunnkrets, western and non-western immigrant counts and their shares of the population.
We load the counts as one indicator, ``innvandrere``, with the groups ``landbakgrunn=vestlig`` and
``landbakgrunn=ikke-vestlig``, «-» as ``confidential``, and ``n`` = the count itself (a count of people is its
own base). Zones: the grunnkretser of the map file, under their delområde (the first 6 digits of the code, the
level SSB uses between grunnkrets and kommune; stored at nabolag's ``delbydel`` level) and kommune (0219
Bærum, 0220 Asker).

Totals are not in the file. A municipality holds them from other SSB tables, and they are what makes a
hidden cell recomputable, so the test adds them from the file's own numbers, and only where every part is
known from the file: a published count, or a «-» whose share column in the same row is 0 (the file itself
says it is 0). Where a part is not known from the file, the total is left out rather than invented. This
gives 1,036 grunnkrets cells (518 codes, with SSB's two «unknown grunnkrets» 02199999 and 02209999),
498 grunnkrets totals and 78 delområde cells (a group or total where all its grunnkretser are known).

What the file shows (counted below, from the JSON read with the standard library):

- 40 count cells are «-» (13 western, 27 non-western). For 18 of them the same row's share is 0, so the
  value is 0: SSB's «-» is its symbol for nil as well as for hidden figures, and the file mixes the two.
  The other 22 cannot be worked out from the row; once they can be bounded tightly: 02191715 has 7 western
  immigrants making 87.5 % of the population (8 people), so its hidden non-western count is 0 or 1.
- SSB published 23 counts below 5 (two 0s, and 3s and 4s): its marks are not an «n < 5» rule. Our rule
  hides those 23 (reason ``primary: n<5``); with «-» read as hidden, ours is the stricter of the two.
- With SSB's marks and our primary rule alone (1,612 cells: 40 «-», 28 below 5 including five grunnkrets
  totals), a grunnkrets or delområde total minus the published cells gives back 35 single hidden cells,
  12 of them cells SSB marked «-» (e.g. 02190812: 16 western immigrants, total 16, so non-western = 0).
  The secondary step hides 37 more cells, and afterwards no total minus its published parts isolates a
  cell. The kommune totals are not derivable from the file (22 «-» are unknown), so they are not in the
  table; if a municipality adds SSB's kommune figures, the same rule covers them.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from nabolag.domain.indicators import Indicator
from nabolag.domain.observations import Status
from nabolag.domain.zones import Level, Zone
from nabolag.ingest.zones import ZoneOptions
from nabolag.services import Context
from nabolag.services.export import published
from nabolag.services.indicators import define_indicators
from nabolag.services.observations import load_frame, query
from nabolag.services.zones import define_zones, import_zones

ORIGINS = {"western-count": "landbakgrunn=vestlig", "non-western-count": "landbakgrunn=ikke-vestlig"}
SHARES = {"western-count": "western-share", "non-western-count": "non-western-share"}
KOMMUNER = {"0219": "Bærum", "0220": "Asker"}


def _known(row: dict[str, object], col: str) -> float | None:
    """The count as the file gives it: the number, 0 for a «-» whose share is 0, else unknown."""
    value = row[col]
    if value != "-":
        return float(value)  # type: ignore[arg-type]
    return 0.0 if row[SHARES[col]] == 0 else None


def _parent(code: str) -> str:
    return code[:4] if code.endswith("9999") else code[:6]  # SSB's «unknown grunnkrets» belongs to the kommune


@pytest.fixture
def data(shared: Path) -> dict[str, dict[str, object]]:
    return json.loads((shared / "baerum" / "immigrants.json").read_text(encoding="utf-8"))


def _table(data: dict[str, dict[str, object]]) -> tuple[pd.DataFrame, dict[tuple[str, str], float]]:
    """The observations to load, and every cell's value as far as the file tells it (for the checks)."""
    rows, truth = [], {}
    for code, row in sorted(data.items()):
        for col, group in ORIGINS.items():
            v = row[col]
            rows.append({"zone": code, "groups": group, "value": str(v), "n": "" if v == "-" else str(v)})
            if (k := _known(row, col)) is not None:
                truth[(code, group)] = k
        if (code, "landbakgrunn=vestlig") in truth and (code, "landbakgrunn=ikke-vestlig") in truth:
            truth[(code, "")] = truth[(code, "landbakgrunn=vestlig")] + truth[(code, "landbakgrunn=ikke-vestlig")]
    delomrader = {c: _parent(c) for c in data if not c.endswith("9999")}
    kommuner = {d: d[:4] for d in delomrader.values()} | {c: c[:4] for c in data if c.endswith("9999")}
    for parent_of in (delomrader, kommuner):  # delområder first: the kommune totals are made of them
        children: dict[str, list[str]] = defaultdict(list)
        for child, parent in parent_of.items():
            children[parent].append(child)
        for parent, kids in sorted(children.items()):
            for g in ("", *ORIGINS.values()):
                if all((k, g) in truth for k in kids):
                    truth[(parent, g)] = sum(truth[(k, g)] for k in kids)
    for (code, g), v in sorted(truth.items()):
        if g == "" or len(code) < 8:
            rows.append({"zone": code, "groups": g, "value": repr(v), "n": repr(v)})
    return pd.DataFrame(rows).assign(indicator="innvandrere", period="2018"), truth


@pytest.fixture
def loaded(ctx: Context, shared: Path, data: dict[str, dict[str, object]], tmp_path: Path) -> Context:
    fc = json.loads((shared / "baerum" / "grunnkretser.geojson").read_text(encoding="utf-8"))
    for f in fc["features"]:
        f["properties"]["delomrade"] = f["properties"]["grunnkretsnummer"][:6]
    path = tmp_path / "grunnkretser.geojson"
    path.write_text(json.dumps(fc), encoding="utf-8")
    import_zones(ctx, path, ZoneOptions(code_field="grunnkretsnummer", name_field="grunnkretsnavn",
                                        parent_field="delomrade", level="grunnkrets"))
    delomrader = sorted({_parent(c) for c in data if not c.endswith("9999")})
    define_zones(ctx, [Zone(code=d, name=f"Delområde {d}", level=Level.DELBYDEL, parent_code=d[:4]) for d in delomrader]
                 + [Zone(code=k, name=n, level=Level.KOMMUNE) for k, n in KOMMUNER.items()]
                 + [Zone(code=c, name="Uoppgitt grunnkrets", level=Level.GRUNNKRETS, parent_code=c[:4])
                    for c in data if c.endswith("9999")])
    define_indicators(ctx, [Indicator(code="innvandrere", name_nb="Innvandrere", unit="personer", source="SSB")])
    frame, _truth = _table(data)
    load_frame(ctx, frame, symbols={"-": Status.CONFIDENTIAL}, source="SSB (phaza/innvandring-grunnkrets)")
    return ctx


def _dashes(data: dict[str, dict[str, object]]) -> list[tuple[str, str]]:
    return [(code, ORIGINS[col]) for code, row in data.items() for col in ORIGINS if row[col] == "-"]


def test_what_the_file_itself_shows(data: dict[str, dict[str, object]]) -> None:
    """The numbers quoted in the module docstring, from the JSON alone."""
    dashes = _dashes(data)
    assert len(dashes) == 40
    assert sum(g == ORIGINS["western-count"] for _c, g in dashes) == 13
    implied_zero = [(c, g) for c, g in dashes if _known(data[c], {v: k for k, v in ORIGINS.items()}[g]) == 0]
    assert len(implied_zero) == 18
    small_published = sorted(row[col] for row in data.values() for col in ORIGINS
                             if row[col] != "-" and row[col] < 5)  # type: ignore[operator]
    assert len(small_published) == 23 and small_published[:2] == [0, 0] and set(small_published) == {0, 3, 4}
    row = data["02191715"]  # 7 western = 87.5 %: 8 residents, so the hidden non-western count is 0 or 1
    assert row["non-western-count"] == "-" and round(7 / row["western-share"] * 100) == 8


def test_published_figures_never_show_what_ssb_hid(loaded: Context, data: dict[str, dict[str, object]]) -> None:
    pub = published(loaded, query(loaded))
    by = pub.set_index(["zone", "groups"])
    for key in _dashes(data):
        r = by.loc[key]
        assert np.isnan(r["value"]) and np.isnan(r["n"]) and r["status"] == "confidential", key
        assert r["suppression_reason"] == "source: confidential", key
    # Every published figure is the file's own count, rounded to base 5 (n likewise).
    frame, truth = _table(data)
    shown = pub[pub["value"].notna()]
    assert len(shown) > 900
    for r in shown.itertuples():
        expected = np.floor(truth[(r.zone, r.groups)] / 5 + 0.5) * 5
        assert r.value == expected == r.n, (r.zone, r.groups)


def test_our_primary_rule_hides_the_small_counts_ssb_published(loaded: Context,
                                                              data: dict[str, dict[str, object]]) -> None:
    pub = published(loaded, query(loaded, level="grunnkrets")).set_index(["zone", "groups"])
    small = [(code, ORIGINS[col]) for code, row in data.items() for col in ORIGINS
             if row[col] != "-" and row[col] < 5]  # type: ignore[operator]
    assert len(small) == 23
    for key in small:
        assert pub.loc[key, "status"] == "suppressed" and pub.loc[key, "suppression_reason"] == "primary: n<5", key
        assert np.isnan(pub.loc[key, "value"])


def _leaks(cells: dict[tuple[str, str], bool]) -> list[tuple[tuple[str, str], tuple[str, str]]]:
    """Hidden cells an attacker isolates with one published total minus its published parts, written from
    the codes alone: grunnkrets total = western + non-western; delområde = its grunnkretser; kommune = its
    delområder and its «unknown grunnkrets»; per group. ``cells`` maps (zone, groups) → hidden; the answer
    lists (hidden cell, the total it is recomputed from)."""
    equations: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    for zone, g in cells:
        if len(zone) == 8 and g:
            equations[(zone, "")].append((zone, g))
        if len(zone) == 8:
            equations[(_parent(zone), g)].append((zone, g))
        if len(zone) == 6:
            equations[(zone[:4], g)].append((zone, g))
    found = []
    for total, parts in sorted(equations.items()):
        if total not in cells:
            continue
        hidden = [c for c in (total, *parts) if cells[c]]
        if len(hidden) == 1:
            found.append((hidden[0], total))
    return found


def test_no_hidden_cell_is_recomputed_from_a_total(loaded: Context, data: dict[str, dict[str, object]]) -> None:
    stored = query(loaded)
    # Before: SSB's marks and our primary rule alone leave single hidden cells under published totals.
    naive = {(r.zone, r.groups): r.status == "confidential" or (r.n == r.n and r.n < 5) for r in stored.itertuples()}
    before = _leaks(naive)
    assert (("02190812", "landbakgrunn=ikke-vestlig"), ("02190812", "")) in before
    assert len({cell for cell, _total in before}) == len(before) == 35
    status = stored.set_index(["zone", "groups"])["status"]
    assert sum(status[cell] == "confidential" for cell, _total in before) == 12  # SSB's «-», all 0 (see above)
    # After: nothing.
    pub = published(loaded, stored)
    after = {(r.zone, r.groups): bool(np.isnan(r.value)) for r in pub.itertuples()}
    assert _leaks(after) == []
    secondary = pub[pub["suppression_reason"].str.startswith("secondary")]
    assert len(secondary) == 37 and secondary["n"].isna().all() and (secondary["status"] == "suppressed").all()
    # The same cells are hidden when one zone is shown alone (its page): protection is worked out on the table.
    one = secondary.iloc[0]
    page = published(loaded, query(loaded, zones=[one["zone"]]))
    assert page.set_index("groups").loc[one["groups"], "suppression_reason"] == one["suppression_reason"]


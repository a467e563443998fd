"""Paper import: a row with more cells than the header is refused, naming the row, and nothing is written;
a quoted cell with the separator in it (a multiple answer ``"parken;bibliotek"``) is one cell."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from nabolag.errors import InputError
from nabolag.services.context import Context
from nabolag.services.survey_import import import_paper_csv
from nabolag.services.survey_submit import counts
from nabolag.store.survey_tables import survey_response
from test_survey_support import ZONES, open_small_survey


def test_a_row_with_more_cells_than_the_header_is_refused(ctx: Context, tmp_path: Path) -> None:
    open_small_survey(ctx)
    bad = tmp_path / "papir.csv"
    bad.write_text("zone;trygg_dag;steder\n"
                   f"{ZONES[0]};4;parken\n"
                   f"{ZONES[0]};5;parken;bibliotek\n"  # the multiple answer unquoted: 4 cells, header has 3
                   f"{ZONES[1]};9;senteret\n"
                   ";3;bibliotek;x;y\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        import_paper_csv(ctx, "kort-2024", bad)
    extra = [p for p in caught.value.problems if "overskriften har 3 kolonner" in p.message]
    assert [(p.row, p.found) for p in extra] == [(3, "bibliotek"), (5, "x;y")]
    assert "4 celler" in extra[0].message and "5 celler" in extra[1].message
    assert (4, "trygg_dag") in {(p.row, p.field) for p in caught.value.problems}  # other problems still named
    assert "papir.csv:3" in str(caught.value)
    assert counts(ctx, "kort-2024").total == 0


def test_a_quoted_cell_with_the_separator_is_one_cell(ctx: Context, tmp_path: Path) -> None:
    open_small_survey(ctx)
    good = tmp_path / "papir.csv"
    good.write_text(f'zone;trygg_dag;steder\n{ZONES[0]};5;"parken;bibliotek"\n', encoding="utf-8")
    assert import_paper_csv(ctx, "kort-2024", good) == 1
    with ctx.store.read() as conn:
        [answers] = [json.loads(r.answers) for r in conn.execute(select(survey_response))]
    assert answers["steder"] == ["bibliotek", "parken"]

"""Importing indicator definitions: stored fields, provenance, updates, and refusals that change nothing."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from sqlalchemy import select

from nabolag.domain.indicators import Direction, Kind, Method
from nabolag.errors import InputError, NotFoundError
from nabolag.services import Context
from nabolag.services.indicators import (
    get_indicator,
    import_indicators,
    list_indicators,
)
from nabolag.store.tables import audit, import_batch, indicator
from obs_support import DATA, dump, write


def test_import_yaml_stores_every_field_and_its_provenance(ctx: Context) -> None:
    path = DATA / "indicators.yaml"
    import_indicators(ctx, path, source="Områdesatsingen i Groruddalen")
    got = get_indicator(ctx, "lavinntekt")
    assert got.name_en == "Households with persistent low income"
    assert got.direction is Direction.LOWER_IS_BETTER and got.kind is Kind.CONTEXT
    assert got.method is Method.REGISTER and got.disaggregations == ("age", "gender")
    assert got.suppression_threshold == 10 and got.synthetic is False
    assert (got.numerator, got.denominator) == ("husholdninger med lavinntekt", "alle husholdninger")
    assert get_indicator(ctx, "utegym_bruk").synthetic is True
    assert [i.code for i in list_indicators(ctx)] == ["lavinntekt", "trygghet_kveld", "utegym_bruk"]
    with ctx.store.read() as conn:
        [batch] = conn.execute(select(import_batch)).mappings().all()
        import_ids = {r for (r,) in conn.execute(select(indicator.c.import_id))}
        [entry] = conn.execute(select(audit)).mappings().all()
    assert (batch["kind"], batch["file_name"], batch["rows"]) == ("indicators", "indicators.yaml", 3)
    assert batch["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert batch["source"] == "Områdesatsingen i Groruddalen"
    assert import_ids == {batch["id"]}
    assert json.loads(entry["details"]) == {"new": 3, "updated": 0}


def test_reimport_updates_definitions(ctx: Context, tmp_path: Path) -> None:
    import_indicators(ctx, DATA / "indicators.csv")
    path = write(tmp_path / "v2.csv", "code,name_nb,unit,direction\nlavinntekt,Lavinntekt (EU-60),prosent,"
                                      "lower_is_better\nny,Ny indikator,antall,\n")
    report = import_indicators(ctx, path)
    assert any("1 nye indikatorer, 1 oppdatert" in p.message for p in report.problems)
    assert get_indicator(ctx, "lavinntekt").name_nb == "Lavinntekt (EU-60)"
    assert len(list_indicators(ctx)) == 3


def test_refused_file_changes_nothing(ctx: Context, tmp_path: Path) -> None:
    import_indicators(ctx, DATA / "indicators.csv")
    before = dump(ctx)
    path = write(tmp_path / "bad.csv", "code,name_nb,kind\nlavinntekt,Endret navn,context\nx,X,outcome\n")
    with pytest.raises(InputError) as info:
        import_indicators(ctx, path)
    assert [(p.file, p.row, p.field, p.found) for p in info.value.problems] == [(str(path), 3, "kind", "outcome")]
    assert dump(ctx) == before  # the good first row was not written either


def test_empty_and_header_only_files(ctx: Context, tmp_path: Path) -> None:
    empty = tmp_path / "empty.yaml"
    empty.touch()
    with pytest.raises(InputError, match="tom"):
        import_indicators(ctx, empty)
    with pytest.raises(InputError, match="ingen datarader"):
        import_indicators(ctx, write(tmp_path / "h.csv", "code,name_nb\n"))
    assert list_indicators(ctx) == []


def test_unknown_indicator(ctx: Context) -> None:
    with pytest.raises(NotFoundError, match="nope"):
        get_indicator(ctx, "nope")

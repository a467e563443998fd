"""Indicator definitions."""

from __future__ import annotations

import json
from collections.abc import Sequence

from sqlalchemy import Connection, insert, select, update

from nabolag.domain.indicators import Direction, Indicator, Kind, Method
from nabolag.store.tables import indicator


def _row(ind: Indicator, import_id: int | None) -> dict[str, object]:
    return {"code": ind.code, "name_nb": ind.name_nb, "name_en": ind.name_en, "definition": ind.definition,
            "unit": ind.unit, "direction": str(ind.direction), "numerator": ind.numerator,
            "denominator": ind.denominator, "kind": str(ind.kind), "source": ind.source,
            "method": str(ind.method), "disaggregations": json.dumps(list(ind.disaggregations)),
            "suppression_threshold": ind.suppression_threshold, "synthetic": ind.synthetic,
            "import_id": import_id}


def upsert_indicators(conn: Connection, items: Sequence[Indicator], import_id: int | None) -> tuple[int, int]:
    existing = indicator_ids(conn)
    new = [_row(i, import_id) for i in items if i.code not in existing]
    if new:
        conn.execute(insert(indicator), new)
    changed = [i for i in items if i.code in existing]
    for i in changed:
        conn.execute(update(indicator).where(indicator.c.code == i.code).values(**_row(i, import_id)))
    return len(new), len(changed)


def indicator_ids(conn: Connection) -> dict[str, int]:
    return {c: i for c, i in conn.execute(select(indicator.c.code, indicator.c.id))}


def _to_indicator(r: object) -> Indicator:
    m = r._mapping  # type: ignore[attr-defined]
    return Indicator(code=m["code"], name_nb=m["name_nb"], name_en=m["name_en"], definition=m["definition"],
                     unit=m["unit"], direction=Direction(m["direction"]), numerator=m["numerator"],
                     denominator=m["denominator"], kind=Kind(m["kind"]), source=m["source"],
                     method=Method(m["method"]), disaggregations=tuple(json.loads(m["disaggregations"])),
                     suppression_threshold=m["suppression_threshold"], synthetic=bool(m["synthetic"]),
                     id=m["id"])


def list_indicators(conn: Connection) -> list[Indicator]:
    return [_to_indicator(r) for r in conn.execute(select(indicator).order_by(indicator.c.code)).all()]


def get_indicator(conn: Connection, code: str) -> Indicator | None:
    row = conn.execute(select(indicator).where(indicator.c.code == code)).first()
    return _to_indicator(row) if row else None

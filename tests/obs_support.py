"""Shared set-up for the statistics tests (indicators, observations, export).

Importable from any test module because pytest puts ``tests/`` on ``sys.path`` (rootdir conftest).
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from nabolag.domain.indicators import Direction, Indicator, Kind, Method
from nabolag.domain.zones import Level, Zone
from nabolag.services import Context
from nabolag.services.indicators import define_indicators
from nabolag.services.zones import define_zones
from nabolag.store.tables import audit, import_batch, indicator, observation

DATA = Path(__file__).resolve().parent / "data"

#: Real delbydel codes and names from ../shared/data/oslo/delbydeler.geojson (Groruddalen).
DELBYDELER = {
    "0301101001": "Ammerud",
    "0301101002": "Rødtvet",
    "0301101005": "Romsås",
    "0301121201": "Furuset",
    "0301121203": "Lindeberg",
}
#: Real bydel codes (same file, ``bydel_code``).
BYDELER = {"030110": "Grorud", "030112": "Alna"}

LAVINNTEKT = Indicator(code="lavinntekt", name_nb="Husholdninger med lavinntekt", name_en="Low-income households",
                       unit="prosent", direction=Direction.LOWER_IS_BETTER, kind=Kind.CONTEXT,
                       method=Method.REGISTER, source="SSB")
BEFOLKNING = Indicator(code="befolkning", name_nb="Befolkning", unit="personer", source="SSB")
TRYGGHET = Indicator(code="trygghet", name_nb="Trygg om kvelden", unit="prosent",
                     direction=Direction.HIGHER_IS_BETTER, kind=Kind.RESULT, method=Method.SURVEY,
                     suppression_threshold=10)
UTEGYM = Indicator(code="utegym_bruk", name_nb="Bruk av utegym", unit="personer", kind=Kind.PROCESS,
                   method=Method.OBSERVATION, synthetic=True)


def setup_zones(ctx: Context) -> None:
    define_zones(ctx, [Zone(code=c, name=n, level=Level.DELBYDEL, parent_code=c[:6])
                       for c, n in DELBYDELER.items()]
                 + [Zone(code=c, name=n, level=Level.BYDEL) for c, n in BYDELER.items()])


def setup_indicators(ctx: Context, *extra: Indicator) -> None:
    define_indicators(ctx, [LAVINNTEKT, BEFOLKNING, TRYGGHET, UTEGYM, *extra])


def setup(ctx: Context) -> None:
    setup_zones(ctx)
    setup_indicators(ctx)


def dump(ctx: Context) -> dict[str, list[tuple[object, ...]]]:
    """Every row of the tables an import may touch, to compare before and after a refused import."""
    with ctx.store.read() as conn:
        return {t.name: [tuple(r) for r in conn.execute(select(t).order_by(t.c.id))]
                for t in (observation, import_batch, audit, indicator)}


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def by_key(frame: object) -> dict[tuple[str, str, str], tuple[object, str]]:
    """``(indicator, zone, period, groups) → (value or None, status)`` from a query frame."""
    out = {}
    for r in frame.itertuples():  # type: ignore[attr-defined]
        value = None if r.value != r.value or r.value is None else float(r.value)
        out[(r.indicator, r.zone, r.period, r.groups)] = (value, r.status)
    return out
